// The web entry's encryptJWT and decryptJWT: jwt-encrypt.ts does the JWE work and receives the JWS half
// (signJWT, and the compact verification plus claim checks) from here, which keeps the import graph acyclic.
import { normalizeClaimOptions, validateClaims } from '../lib/claims.js';
import { normalizeMaxJSONDepth } from '../lib/json.js';
import type { JWTPayload, JWTPayloadInput } from '../types.js';
import type { WebJWEKeyInput, WebJWEKeySource } from './jwe.js';
import { segmentJSON, verifyCompact, type WebCompactVerifyOptions } from './jws-verify.js';
import type { WebKeySource } from './jwks.js';
import { signJWT, type WebSignOptions } from './jwt.js';
import {
  decryptJWTWith,
  encryptJWTWith,
  type WebDecryptedJWT,
  type WebDecryptJWTOptions,
  type WebEncryptJWTOptions,
} from './jwt-encrypt.js';
import type { WebKeyInput } from './keys.js';
import { checkOptions, WEB_VERIFY_OPTION_NAMES } from './options.js';

/**
 * Encrypts a claims set as a compact JWE over `crypto.subtle` (RFC 7519 §7.1), optionally signing it first
 * (`sign`, a nested JWT with `cty: "JWT"`), with the options of the Node entry's `encryptJWT`.
 * @example
 * ```ts
 * const token = await encryptJWT({ sub: 'user-42' }, recipientPublicJwk, {
 *   alg: 'ECDH-ES+A256KW',
 *   enc: 'A256GCM',
 *   expiresIn: '15m',
 *   sign: { key: issuerPrivateJwk, algorithm: 'ES256' },
 * });
 * ```
 */
export function encryptJWT(
  payload: JWTPayloadInput,
  key: WebJWEKeyInput,
  options: WebEncryptJWTOptions,
): Promise<string> {
  return encryptJWTWith(
    (p, k, o) => signJWT(p, k as WebKeyInput, o as unknown as WebSignOptions),
    payload,
    key,
    options,
  );
}

/**
 * Decrypts an encrypted JWT over `crypto.subtle` and validates its claims exactly like `verifyJWT`; a
 * nested token (`cty: "JWT"`) needs `nested: { key, algorithms }` and is verified before its claims are
 * trusted. The options of the Node entry's `decryptJWT`.
 * @example
 * ```ts
 * const claims = await decryptJWT(token, recipientPrivateJwk, {
 *   keyManagementAlgorithms: ['ECDH-ES+A256KW'],
 *   contentEncryptionAlgorithms: ['A256GCM'],
 *   nested: { key: issuerPublicJwk, algorithms: ['ES256'] },
 * });
 * ```
 */
export function decryptJWT<P extends JWTPayload = JWTPayload>(
  token: string,
  key: WebJWEKeySource,
  options: WebDecryptJWTOptions & { complete: true },
): Promise<WebDecryptedJWT<P>>;
export function decryptJWT<P extends JWTPayload = JWTPayload>(
  token: string,
  key: WebJWEKeySource,
  options: WebDecryptJWTOptions,
): Promise<P>;
export function decryptJWT(token: string, key: WebJWEKeySource, options: WebDecryptJWTOptions): Promise<unknown> {
  return decryptJWTWith(
    async (inner, innerKey, innerOptions) => {
      const algorithms = checkOptions(innerOptions, WEB_VERIFY_OPTION_NAMES, 'decryptJWT "nested"');
      const claims = normalizeClaimOptions(innerOptions);
      const { header, payload: bytes } = await verifyCompact(
        inner,
        innerKey as WebKeySource,
        innerOptions as unknown as WebCompactVerifyOptions,
        algorithms,
      );
      const depth = normalizeMaxJSONDepth((innerOptions as { maxJSONDepth?: number }).maxJSONDepth);
      const payload = segmentJSON(bytes, 'payload', depth) as JWTPayload;
      validateClaims(payload, header, claims);
      return { header, payload };
    },
    token,
    key,
    options,
  );
}
