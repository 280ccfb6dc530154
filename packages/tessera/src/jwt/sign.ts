import { compileSigner } from '../lib/jwt-sign.js';
import { checkSignOptions } from '../lib/option-names.js';
import type { AsyncCustomAlgorithm, CustomAlgorithm, JWTPayloadInput, KeyInput, SignOptions } from '../types.js';

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
  checkSignOptions(options);
  return compileSigner(key, options)(payload);
}

/**
 * Signs a claims set like {@link signJWT}, with the asymmetric signature (RS*, PS*, ES*, EdDSA) computed
 * on the libuv threadpool through `node:crypto`'s callback form, so a token endpoint under load keeps
 * its event loop free and uses more than one core. The header, claims, defaults and key checks are
 * {@link signJWT}'s, byte for byte; HMAC (microseconds) is computed inline. Every error, including a bad
 * option or key, is a rejection. At most min(CPU cores + 2, threadpool size) signatures run at once; further
 * calls wait their turn in order, so signing never oversubscribes the cores.
 *
 * @example
 * ```ts
 * import { signJWTAsync } from 'tessera-jwt';
 * const token = await signJWTAsync({ sub: 'user-42' }, privatePem, { algorithm: 'RS256', expiresIn: '15m' });
 * ```
 */
export async function signJWTAsync(payload: JWTPayloadInput, key: unknown, options: SignOptions = {}): Promise<string> {
  checkSignOptions(options);
  return compileSigner(key, options, false, true)(payload);
}
