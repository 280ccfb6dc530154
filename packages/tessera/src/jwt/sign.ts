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
