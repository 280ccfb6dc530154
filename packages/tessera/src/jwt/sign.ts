import { encodeBase64url } from '../lib/base64url.js';
import { buildClaims, normalizeClaimBuild, serializeClaims } from '../lib/claims-build.js';
import { createSignature, encodeProtectedHeader, signingAlgorithm } from '../lib/jws.js';
import { inferAlgorithm, prepareKey, prepareKeyForReuse } from '../lib/keys.js';
import { customAlgorithmInfo, customSign, isCustomAlgorithm } from '../lib/custom-algorithm.js';
import type { AsyncCustomAlgorithm, CustomAlgorithm, JWTPayloadInput, KeyInput, SignOptions } from '../types.js';

/** Internal: everything about a signer that does not depend on the payload. */
export function compileSigner(
  key: unknown,
  options: SignOptions,
  reuse = false,
): (payload: JWTPayloadInput) => string | Promise<string> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (options.allowWeakKeys !== undefined && typeof options.allowWeakKeys !== 'boolean') {
    throw new TypeError('"allowWeakKeys" option must be a boolean');
  }
  if (isCustomAlgorithm(options.algorithm)) {
    // The key goes to the caller's sign function untouched (a KMS key ID, an HSM handle, …).
    const info = customAlgorithmInfo(options.algorithm, 'sign');
    const { header, segment } = encodeProtectedHeader(info.name, options, 'JWT');
    if (header.b64 === false) throw new TypeError('"b64": false (RFC 7797) cannot be used for a JWT; use signJWS');
    const build = normalizeClaimBuild(options);
    return (payload) => {
      const input = `${segment}.${encodeBase64url(serializeClaims(buildClaims(payload, build)))}`;
      const signature = customSign(info, key, input);
      return typeof signature === 'string' ? `${input}.${signature}` : signature.then((sig) => `${input}.${sig}`);
    };
  }
  const prepared = reuse ? prepareKeyForReuse(key as KeyInput) : prepareKey(key as KeyInput);
  const info = signingAlgorithm(options.algorithm, prepared, options.allowWeakKeys === true, () =>
    inferAlgorithm(prepared),
  );
  const { header, segment } = encodeProtectedHeader(info.name, options, 'JWT', prepared.jwkKid);
  if (header.b64 === false) throw new TypeError('"b64": false (RFC 7797) cannot be used for a JWT; use signJWS');
  const build = normalizeClaimBuild(options);
  const prefix = `${segment}.`;
  return (payload) => {
    const input = prefix + encodeBase64url(serializeClaims(buildClaims(payload, build)));
    return `${input}.${createSignature(info, prepared, input)}`;
  };
}

/**
 * Signs a claims set and returns a compact JWT (PyJWT `jwt.encode`).
 *
 * The algorithm defaults from the key (HS256 for a secret, RS256 for RSA, ES256/384/512 by curve,
 * ES256K for secp256k1, EdDSA for Ed25519/Ed448). `iat` is added unless `issuedAt: false`; `Date`
 * values of `exp`, `nbf`, `iat` become NumericDates. Weak keys are refused with an InvalidKeyError.
 *
 * @example
 * ```ts
 * import { signJWT } from 'tessera-jwt';
 * const token = signJWT({ sub: 'user-42', scope: 'read:orders' }, process.env.JWT_SECRET!, {
 *   algorithm: 'HS256',
 *   expiresIn: '15m',
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 * });
 * ```
 */
export function signJWT(
  payload: JWTPayloadInput,
  key: unknown,
  options: SignOptions & { algorithm: AsyncCustomAlgorithm },
): Promise<string>;
export function signJWT(
  payload: JWTPayloadInput,
  key: unknown,
  options: SignOptions & { algorithm: CustomAlgorithm },
): string;
export function signJWT(payload: JWTPayloadInput, key: KeyInput, options?: SignOptions): string;
export function signJWT(payload: JWTPayloadInput, key: unknown, options: SignOptions = {}): string | Promise<string> {
  return compileSigner(key, options)(payload);
}
