// decodeJWT and decodeProtectedHeader live in lib/ (they only parse), so the web entry exports the same code.
export {
  type DecodeJWTOptions,
  type DecodeProtectedHeaderOptions,
  decodeJWT,
  decodeProtectedHeader,
} from '../lib/jwt-decode.js';
