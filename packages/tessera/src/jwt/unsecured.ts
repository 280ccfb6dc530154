// encodeUnsecuredJWT and decodeUnsecuredJWT live in lib/ (no crypto), so the web entry exports the same code.
export { decodeUnsecuredJWT, encodeUnsecuredJWT, type UnsecuredSignOptions } from '../lib/jwt-unsecured.js';
