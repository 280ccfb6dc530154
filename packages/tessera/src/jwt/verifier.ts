import { nodeCrypto } from '../lib/node-crypto.js';
import { nowSeconds } from '../lib/claims.js';
import { toSeconds } from '../lib/duration.js';
import { isResolver } from '../lib/jws.js';
import { prepareKeyForReuse } from '../lib/keys.js';
import { toVerificationKey } from '../lib/verification-key.js';
import type { JWKSet } from '../jwks/set.js';
import { deepFreeze } from '../lib/freeze.js';
import { LRU } from '../lib/lru.js';
import { checkVerifierOptions } from '../lib/option-names.js';
import type {
  CacheOptions,
  CompleteResult,
  JWKSetDocument,
  JWTPayload,
  KeyInput,
  KeyResolver,
  VerifyOptions,
} from '../types.js';
import { type CompiledVerify, compileVerifyOptions, verifyResolved, verifyStatic } from '../lib/jwt-verify.js';

/**
 * Options of {@link createVerifier}: VerifyOptions plus the key and an optional cache.
 * @example
 * ```ts
 * const options: VerifierOptions = { key: publicKey, algorithms: ['ES256'], cache: 5000 };
 * ```
 */
export interface VerifierOptions extends VerifyOptions {
  /** A static key, or a resolver function (then the verifier returns Promises). */
  key: KeyInput | JWKSet | JWKSetDocument | KeyResolver;
  /** Cache verified tokens: `true` (1,000 entries), a maximum number of entries, or `{ max, ttl }`. */
  cache?: boolean | number | CacheOptions;
}

interface CacheEntry {
  readonly value: unknown;
  /** NumericDate seconds after which the entry is dead. */
  readonly until: number;
}

const DEFAULT_CACHE_MAX = 1000;
const DEFAULT_CACHE_TTL = 600;

function cacheSettings(cache: VerifierOptions['cache']): { max: number; ttl: number } | undefined {
  if (cache === undefined || cache === false) return undefined;
  if (cache === true) return { max: DEFAULT_CACHE_MAX, ttl: DEFAULT_CACHE_TTL };
  if (typeof cache === 'number') {
    if (!Number.isInteger(cache) || cache < 1) throw new TypeError('"cache" option must be a positive integer');
    return { max: cache, ttl: DEFAULT_CACHE_TTL };
  }
  if (cache === null || typeof cache !== 'object')
    throw new TypeError('"cache" option must be a boolean, a number or { max, ttl }');
  const max = cache.max ?? DEFAULT_CACHE_MAX;
  if (!Number.isInteger(max) || max < 1) throw new TypeError('"cache.max" option must be a positive integer');
  return { max, ttl: cache.ttl === undefined ? DEFAULT_CACHE_TTL : toSeconds(cache.ttl, 'cache.ttl') };
}

// The latest instant an entry may be served: never past the token's exp (RFC 7519 §4.1.4), nor
// past maxTokenAge, nor past the cache ttl.
function entryDeadline(result: unknown, c: CompiledVerify, now: number, ttl: number): number {
  const payload = (c.complete ? (result as CompleteResult).payload : result) as JWTPayload;
  let until = now + ttl;
  if (typeof payload.exp === 'number' && c.claims.exp) until = Math.min(until, payload.exp);
  if (c.claims.maxTokenAge !== undefined && typeof payload.iat === 'number')
    until = Math.min(until, payload.iat + c.claims.maxTokenAge);
  return until;
}

/**
 * Builds a reusable verifier: options are validated and the key imported once. With `cache`, tokens
 * that verified are remembered (keyed by the SHA-256 of the whole token) until their `exp`, the
 * `ttl`, or eviction from the LRU; cached results are deeply frozen and shared between calls.
 *
 * @example
 * ```ts
 * import { createVerifier } from 'tessera-jwt';
 * const verify = createVerifier({
 *   key: process.env.JWT_SECRET!,
 *   algorithms: ['HS256'],
 *   audience: 'https://api.example.com',
 *   cache: { max: 10_000, ttl: '5m' },
 * });
 * const claims = verify(token);
 * ```
 */
export function createVerifier<P = JWTPayload>(
  options: VerifierOptions & { key: KeyResolver; complete: true },
): (token: string) => Promise<CompleteResult<P>>;
export function createVerifier<P = JWTPayload>(
  options: VerifierOptions & { key: KeyResolver },
): (token: string) => Promise<P>;
export function createVerifier<P = JWTPayload>(
  options: VerifierOptions & { key: KeyInput | JWKSet | JWKSetDocument; complete: true },
): (token: string) => CompleteResult<P>;
export function createVerifier<P = JWTPayload>(
  options: VerifierOptions & { key: KeyInput | JWKSet | JWKSetDocument },
): (token: string) => P;
export function createVerifier<P = JWTPayload>(options: VerifierOptions): (token: string) => P | Promise<P>;
export function createVerifier(options: VerifierOptions): (token: string) => unknown {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkVerifierOptions(options);
  const { key } = options;
  if (key === undefined) throw new TypeError('"key" option is required');
  const c = compileVerifyOptions(options, key);
  const settings = cacheSettings(options.cache);
  let verify: (token: string) => unknown;
  if (isResolver(key)) {
    verify = (token) => verifyResolved(token, key as KeyResolver, c);
  } else {
    const prepared = toVerificationKey(key, c.jws, prepareKeyForReuse);
    verify = (token) => verifyStatic(token, prepared, c);
  }
  if (!settings) return verify;

  const lru = new LRU<string, CacheEntry>(settings.max);
  const remember = (id: string, result: unknown): unknown => {
    const now = nowSeconds(c.claims);
    const until = entryDeadline(result, c, now, settings.ttl);
    if (until > now) lru.set(id, { value: deepFreeze(result), until });
    return result;
  };
  return (token) => {
    if (typeof token !== 'string' || token.length > c.jws.maxTokenLength) return verify(token);
    const id = nodeCrypto().hash('sha256', token, 'base64');
    const hit = lru.get(id);
    if (hit !== undefined) {
      if (nowSeconds(c.claims) < hit.until) return isResolver(key) ? Promise.resolve(hit.value) : hit.value;
      lru.delete(id);
    }
    const result = verify(token);
    if (result instanceof Promise) return result.then((value) => remember(id, value));
    return remember(id, result);
  };
}
