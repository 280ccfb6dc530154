/**
 * Tessera on web runtimes (browsers, Cloudflare Workers, Deno, Bun, edge functions): JWT signing and
 * verification over `crypto.subtle`, with the same names as the Node entry but asynchronous, because
 * `crypto.subtle` is. Nothing here imports a `node:` module; the build bundles this entry for the browser
 * platform and fails if one slips in.
 *
 * This first cut covers compact JWS/JWT with every JWS algorithm `crypto.subtle` provides (HS*, RS*, PS*,
 * ES256/384/512, EdDSA/Ed25519 where the runtime has Ed25519) and keys given as a secret, a JWK, a
 * `CryptoKey` or a PEM SPKI / PKCS#8 text. Claims are validated by the same code as on Node.
 *
 * @example
 * ```ts
 * import { signJWT, verifyJWT } from 'tessera-jwt/web';
 * const secret = crypto.getRandomValues(new Uint8Array(32));
 * const token = await signJWT({ sub: 'user-42' }, secret, { algorithm: 'HS256', expiresIn: '15m' });
 * const claims = await verifyJWT(token, secret, { algorithms: ['HS256'] });
 * ```
 * @module
 */
export * from '../errors.js';
export { JWS_ALGORITHMS } from '../lib/algorithms.js';
export {
  type DecodeJWTOptions,
  type DecodeProtectedHeaderOptions,
  decodeJWT,
  decodeProtectedHeader,
} from '../lib/jwt-decode.js';
export { decodeUnsecuredJWT, encodeUnsecuredJWT, type UnsecuredSignOptions } from '../lib/jwt-unsecured.js';
export type { CryptoKeyLike, KeyLike, PassphraseKeyInput, WebKeyInput } from './keys.js';
export {
  type ExportJWKOptions,
  exportJWK,
  type GenerateKeyPairOptions,
  generateKeyPair,
  generateSecret,
  type ImportKeyOptions,
  importKey,
  Key,
} from './key.js';
export { calculateJWKThumbprint, calculateJWKThumbprintURI, type ThumbprintDigest } from './thumbprint.js';
export type { JWKSetDocument, WebKeyResolver, WebKeySource } from './jwks.js';
export { type JWKSetOptions, MAX_KEYS_WITHOUT_KID } from '../lib/jwk-set-base.js';
export { JWKSet } from './jwk-set.js';
export { type AuthorizationServerMetadata, type DiscoveryOptions, discover } from './discover.js';
export {
  type CachedJWKS,
  createRemoteJWKSet,
  type JWKSStore,
  type RemoteJWKSet,
  type RemoteJWKSetOptions,
} from './remote.js';
export {
  decryptJWE,
  encryptJWE,
  type WebDecryptedJWE,
  type WebDecryptJWEOptions,
  type WebEncryptJWEOptions,
  type WebJWEKeyInput,
  type WebJWEKeySource,
  type WebJWERecipient,
} from './jwe.js';
export type { WebDecryptedJWT, WebDecryptJWTOptions, WebEncryptJWTOptions } from './jwt-encrypt.js';
export type { WebCompactVerifyOptions, WebVerifiedJWS, WebVerifyJWSOptions } from './jws-verify.js';
export { verifyJWS } from './verify-jws.js';
export { signJWT, signJWTAsync, verifyJWT, type WebSignOptions, type WebVerifyOptions } from './jwt.js';
export { createVerifier, type WebVerifierOptions } from './create-verifier.js';
export { createAsyncSigner, createSigner, type WebSignerOptions } from './create-signer.js';
export { decryptJWT, encryptJWT } from './encrypted-jwt.js';
export { signJWS, type WebJWSSigner, type WebSignJWSOptions } from './jws-sign.js';
export { type DecodedJWS, type DecodedJWSSignature, type DecodeJWSOptions, decodeJWS } from '../lib/jws-decode.js';
