import { isResolver } from '../lib/jws.js';
import { compileVerifyOptions, verifyResolved, verifyStatic } from '../lib/jwt-verify.js';
import { checkVerifyOptions } from '../lib/option-names.js';
import { toVerificationKey } from '../lib/verification-key.js';
import type { Key } from '../jwk/key.js';
import type { JWKSet } from '../jwks/set.js';
import type {
  CompleteResult,
  JWK,
  JWKSetDocument,
  JWTPayload,
  KeyInput,
  KeyResolver,
  VerifyOptions,
} from '../types.js';

/**
 * Verifies a compact JWT and validates its claims (PyJWT `jwt.decode`). Returns the payload, or
 * `{ header, payload, signature }` with `complete: true`.
 *
 * `algorithms` is required unless the key pins it: a JWK or `Key` carrying `alg`, or a `JWKSet` whose
 * keys all carry `alg` (then the options may be omitted). `none` is never accepted.
 * A token carrying `aud` is rejected unless `audience` is given. A key resolver function (e.g. a
 * remote JWKS) makes the call asynchronous. Failures throw the typed errors of `tessera/errors`.
 *
 * @example
 * ```ts
 * import { verifyJWT, ExpiredSignatureError } from 'tessera-jwt';
 * try {
 *   const claims = verifyJWT<{ sub: string; scope: string }>(token, publicKeyPem, {
 *     algorithms: ['RS256'],
 *     audience: 'https://api.example.com',
 *     issuer: 'https://auth.example.com',
 *     clockTolerance: '30s',
 *   });
 *   console.log(claims.sub);
 * } catch (err) {
 *   if (err instanceof ExpiredSignatureError) console.log('expired at', err.expiredAt);
 * }
 * ```
 */
export function verifyJWT<P = JWTPayload>(
  token: string,
  key: JWKSet | JWKSetDocument | JWK | Key,
  options: VerifyOptions & { complete: true },
): CompleteResult<P>;
export function verifyJWT<P = JWTPayload>(
  token: string,
  key: JWKSet | JWKSetDocument | JWK | Key,
  options?: VerifyOptions,
): P;
export function verifyJWT<P = JWTPayload>(
  token: string,
  key: KeyInput | JWKSet | JWKSetDocument,
  options: VerifyOptions & { complete: true },
): CompleteResult<P>;
export function verifyJWT<P = JWTPayload>(
  token: string,
  key: KeyInput | JWKSet | JWKSetDocument,
  options: VerifyOptions,
): P;
export function verifyJWT<P = JWTPayload>(
  token: string,
  key: KeyResolver,
  options: VerifyOptions & { complete: true },
): Promise<CompleteResult<P>>;
export function verifyJWT<P = JWTPayload>(token: string, key: KeyResolver, options: VerifyOptions): Promise<P>;
export function verifyJWT<P = JWTPayload>(
  token: string,
  key: KeyInput | JWKSet | JWKSetDocument | KeyResolver,
  options: VerifyOptions,
): P | Promise<P>;
export function verifyJWT(
  token: string,
  key: KeyInput | JWKSet | JWKSetDocument | KeyResolver,
  options: VerifyOptions = {},
): unknown {
  checkVerifyOptions(options);
  const c = compileVerifyOptions(options, key, token);
  if (isResolver(key)) return verifyResolved(token, key as KeyResolver, c);
  return verifyStatic(token, toVerificationKey(key, c.jws), c);
}
