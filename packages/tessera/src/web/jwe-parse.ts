// JWE parsing on the web is the core's own (lib/jwe.ts): it needs only base64url and UTF-8 decoding, which the web
// build takes from its twins (web/base64url.ts, web/utf8.ts), so one parser serves both builds.
export {
  joseHeader as webJoseHeader,
  type ParsedJWE as WebParsedJWE,
  type ParsedRecipient as WebParsedRecipient,
  parseJWE as parseWebJWE,
} from '../lib/jwe.js';
