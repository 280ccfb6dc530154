import { type NormalizedClaims, normalizeClaimOptions, validateClaims } from '../lib/claims.js';
import { type CompactParts, decodeJSONSegment, decodeSignature, splitCompact } from '../lib/compact.js';
import { checkProtectedHeader, isResolver, type NormalizedJWS, normalizeJWSOptions } from '../lib/jws.js';
import { toVerificationKey, type VerificationKey, verifySignatureWith } from '../lib/verification-key.js';
import type { JWKSet } from '../jwks/set.js';
import type { CompleteResult, JWTPayload, KeyInput, KeyResolver, VerifyOptions } from '../types.js';

/** Internal: verification options validated once. */
export interface CompiledVerify {
  readonly jws: NormalizedJWS;
  readonly claims: NormalizedClaims;
  readonly complete: boolean;
}

/** Validates VerifyOptions (TypeError for programmer mistakes). */
export function compileVerifyOptions(options: VerifyOptions, key: unknown): CompiledVerify {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('options must be an object with at least "algorithms", e.g. { algorithms: [\'HS256\'] }');
  }
  if (isResolver(key) && options.algorithms === undefined) {
    throw new TypeError('"algorithms" option is required with a key resolver');
  }
  return {
    jws: normalizeJWSOptions(options, key),
    claims: normalizeClaimOptions(options),
    complete: options.complete === true,
  };
}

/** Internal: the checks after the key is known (signature, payload, claims). */
export function finishVerify(
  token: string,
  parts: CompactParts,
  key: VerificationKey,
  c: CompiledVerify,
  allowAsync = false,
): unknown {
  const info = checkProtectedHeader(parts.header, c.jws, false);
  const pending = verifySignatureWith(key, parts.header, info, token, parts.d2, c.jws.allowWeakKeys, allowAsync);
  if (pending) return pending.then(() => finishClaims(token, parts, c));
  return finishClaims(token, parts, c);
}

function finishClaims(token: string, parts: CompactParts, c: CompiledVerify): unknown {
  const payloadSegment = token.slice(parts.d1 + 1, parts.d2);
  const payload = decodeJSONSegment(payloadSegment, 'payload') as JWTPayload;
  validateClaims(payload, parts.header, c.claims);
  if (!c.complete) return payload;
  return {
    header: parts.header,
    payload,
    signature: decodeSignature(token.slice(parts.d2 + 1)),
  } satisfies CompleteResult;
}

/** Internal: synchronous verification with a static key. */
export function verifyStatic(token: string, key: VerificationKey, c: CompiledVerify): unknown {
  return finishVerify(token, splitCompact(token, c.jws.maxTokenLength), key, c);
}

/** Internal: verification through a key resolver; every failure is a rejection. */
export async function verifyResolved(token: string, resolver: KeyResolver, c: CompiledVerify): Promise<unknown> {
  const parts = splitCompact(token, c.jws.maxTokenLength);
  // Refuse disallowed algorithms before asking the resolver (which may fetch a remote JWKS).
  checkProtectedHeader(parts.header, c.jws, false);
  const key = toVerificationKey(await resolver(parts.header, token), c.jws);
  return finishVerify(token, parts, key, c, true);
}

/**
 * Verifies a compact JWT and validates its claims (PyJWT `jwt.decode`). Returns the payload, or
 * `{ header, payload, signature }` with `complete: true`.
 *
 * `algorithms` is required (unless the key is a JWK carrying `alg`); `none` is never accepted.
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
  key: KeyInput | JWKSet,
  options: VerifyOptions & { complete: true },
): CompleteResult<P>;
export function verifyJWT<P = JWTPayload>(token: string, key: KeyInput | JWKSet, options: VerifyOptions): P;
export function verifyJWT<P = JWTPayload>(
  token: string,
  key: KeyResolver,
  options: VerifyOptions & { complete: true },
): Promise<CompleteResult<P>>;
export function verifyJWT<P = JWTPayload>(token: string, key: KeyResolver, options: VerifyOptions): Promise<P>;
export function verifyJWT<P = JWTPayload>(
  token: string,
  key: KeyInput | JWKSet | KeyResolver,
  options: VerifyOptions,
): P | Promise<P>;
export function verifyJWT(token: string, key: KeyInput | JWKSet | KeyResolver, options: VerifyOptions): unknown {
  const c = compileVerifyOptions(options, key);
  if (isResolver(key)) return verifyResolved(token, key as KeyResolver, c);
  return verifyStatic(token, toVerificationKey(key, c.jws), c);
}
