/**
 * Tessera: JSON Web Tokens for TypeScript — strict, fast, zero dependencies.
 *
 * @example
 * ```ts
 * import { signJWT, verifyJWT } from 'tessera-jwt';
 * const secret = crypto.getRandomValues(new Uint8Array(32));
 * const token = signJWT({ sub: 'user-42' }, secret, { expiresIn: '15m' });
 * const claims = verifyJWT(token, secret, { algorithms: ['HS256'] });
 * ```
 * @module
 */
export * from './errors.js';
export type * from './types.js';
export { signJWT, signJWTAsync } from './jwt/sign.js';
export { createSigner, createAsyncSigner } from './jwt/signer.js';
export { verifyJWT } from './jwt/verify.js';
export { createVerifier, type VerifierOptions } from './jwt/verifier.js';
export {
  decodeJWT,
  decodeProtectedHeader,
  type DecodeJWTOptions,
  type DecodeProtectedHeaderOptions,
} from './jwt/decode.js';
export { encodeUnsecuredJWT, decodeUnsecuredJWT, type UnsecuredSignOptions } from './jwt/unsecured.js';
export { signJWS, type SignJWSOptions, type JWSSigner } from './jws/sign.js';
export { verifyJWS, type VerifyJWSOptions, type VerifiedJWS } from './jws/verify.js';
export { decodeJWS, type DecodeJWSOptions, type DecodedJWS, type DecodedJWSSignature } from './lib/jws-decode.js';
export { JWS_ALGORITHMS } from './lib/algorithms.js';
export { Key, importKey, type ImportKeyOptions, type ExportJWKOptions } from './jwk/key.js';
export { exportJWK } from './jwk/export.js';
export { generateKeyPair, generateSecret, type GenerateKeyPairOptions } from './jwk/generate.js';
export { calculateJWKThumbprint, calculateJWKThumbprintURI, type ThumbprintDigest } from './jwk/thumbprint.js';
export { JWKSet, type JWKSetOptions } from './jwks/set.js';
export { createRemoteJWKSet, type RemoteJWKSetOptions, type RemoteJWKSet, type CachedJWKS } from './jwks/remote.js';
export { discover, type DiscoveryOptions, type AuthorizationServerMetadata } from './jwks/discover.js';
export { encryptJWE, type EncryptJWEOptions, type JWERecipient } from './jwe/encrypt.js';
export { decryptJWE, type DecryptJWEOptions, type DecryptedJWE } from './jwe/decrypt.js';
export { encryptJWT, type EncryptJWTOptions } from './jwt/encrypt.js';
export { decryptJWT, type DecryptJWTOptions, type DecryptedJWT } from './jwt/decrypt.js';
