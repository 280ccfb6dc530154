/**
 * `tessera/jwe`: JSON Web Encryption (RFC 7516) and encrypted JWTs. The same objects as the `tessera`
 * entry point.
 * @module
 */
export { encryptJWE, type EncryptJWEOptions, type JWERecipient } from './encrypt.js';
export { decryptJWE, type DecryptJWEOptions, type DecryptedJWE } from './decrypt.js';
export { encryptJWT, type EncryptJWTOptions } from '../jwt/encrypt.js';
export { decryptJWT, type DecryptJWTOptions, type DecryptedJWT } from '../jwt/decrypt.js';
