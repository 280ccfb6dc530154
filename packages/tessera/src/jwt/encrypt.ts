import { buildClaims, normalizeClaimBuild, serializeClaims } from '../lib/claims-build.js';
import { type EncryptJWEOptions, encryptJWE } from '../jwe/encrypt.js';
import type { JWTPayloadInput, KeyInput, SignOptions } from '../types.js';
import { compileSigner } from './sign.js';

type ClaimBuildOptions = Pick<
  SignOptions,
  'expiresIn' | 'notBefore' | 'issuer' | 'subject' | 'audience' | 'jwtId' | 'issuedAt' | 'currentDate'
>;

/**
 * Options of {@link encryptJWT}: the JWE options, the claim options of `signJWT`, and `sign` for a
 * nested (signed, then encrypted) JWT.
 * @example
 * ```ts
 * const options: EncryptJWTOptions = { alg: 'RSA-OAEP-256', enc: 'A256GCM', expiresIn: '15m', sign: { key: signingKey } };
 * ```
 */
export interface EncryptJWTOptions
  extends Omit<EncryptJWEOptions, 'serialization' | 'recipients' | 'aad' | 'unprotectedHeader'>,
    ClaimBuildOptions {
  /** Sign the claims first (RFC 7519 §5.2, nested JWT): the JWS becomes the plaintext and `cty` is `"JWT"`. */
  sign?: Omit<SignOptions, keyof ClaimBuildOptions> & { key: KeyInput };
}

/**
 * Encrypts a claims set as a compact JWE (RFC 7519 §7.1), optionally signing it first (`sign`): the
 * recipient decrypts and verifies with `decryptJWT`. Claim options (`expiresIn`, `issuer`, …) work as in
 * `signJWT`; `typ` defaults to `"JWT"`.
 * @example
 * ```ts
 * import { encryptJWT } from 'tessera-jwt';
 * const token = encryptJWT({ sub: 'user-42', email: 'jane@example.com' }, recipientPublicKey, {
 *   alg: 'ECDH-ES+A256KW',
 *   enc: 'A256GCM',
 *   expiresIn: '15m',
 *   sign: { key: issuerPrivateKey, algorithm: 'ES256' },
 * });
 * ```
 */
export function encryptJWT(payload: JWTPayloadInput, key: KeyInput, options: EncryptJWTOptions = {}): string {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const { sign, expiresIn, notBefore, issuer, subject, audience, jwtId, issuedAt, currentDate, ...jwe } = options;
  const claimOptions: ClaimBuildOptions = {
    expiresIn,
    notBefore,
    issuer,
    subject,
    audience,
    jwtId,
    issuedAt,
    currentDate,
  };
  let plaintext: string;
  if (sign !== undefined) {
    if (sign === null || typeof sign !== 'object') throw new TypeError('"sign" option must be { key, algorithm?, … }');
    if (jwe.cty !== undefined && jwe.cty !== 'JWT') throw new TypeError('a nested JWT has cty "JWT"');
    plaintext = compileSigner(sign.key, { ...sign, ...claimOptions })(payload) as string;
    return encryptJWE(plaintext, key, { ...jwe, cty: 'JWT', serialization: 'compact' });
  }
  plaintext = serializeClaims(buildClaims(payload, normalizeClaimBuild(claimOptions)));
  return encryptJWE(plaintext, key, { typ: 'JWT', ...jwe, serialization: 'compact' });
}
