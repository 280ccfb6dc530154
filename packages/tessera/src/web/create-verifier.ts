// createVerifier for the web entry: options checked once, and an optional cache of verified tokens.
import { normalizeClaimOptions, nowSeconds } from '../lib/claims.js';
import { toSeconds } from '../lib/duration.js';
import { deepFreeze } from '../lib/freeze.js';
import { LRU } from '../lib/lru.js';
import { optionNames } from '../lib/options.js';
import type { CacheOptions, JWTPayload } from '../types.js';
import type { WebKeySource } from './jwks.js';
import { verifyJWT, type WebVerifyOptions } from './jwt.js';
import { checkOptions, WEB_VERIFY_OPTION_NAMES } from './options.js';

/** Options of the web {@link createVerifier}: the web {@link verifyJWT}'s options, the key, and a cache. */
export interface WebVerifierOptions extends WebVerifyOptions {
  /** A key, a JWK Set, a resolver or a remote JWK Set, as for {@link verifyJWT}. */
  key: WebKeySource;
  /**
   * Remember verified tokens: `true` (1,000 entries), a maximum number of entries, or `{ max, ttl }` (default
   * ttl 10 minutes). An entry is never served past the token's `exp`, its `iat` + `maxTokenAge`, or the ttl.
   */
  cache?: boolean | number | CacheOptions;
}

const VERIFIER_OPTION_NAMES = /* @__PURE__ */ optionNames(WEB_VERIFY_OPTION_NAMES, ['key', 'cache']);

function verifierCache(cache: WebVerifierOptions['cache']): { max: number; ttl: number } | undefined {
  if (cache === undefined || cache === false) return undefined;
  if (cache === true) return { max: 1000, ttl: 600 };
  if (typeof cache === 'number') {
    if (!Number.isInteger(cache) || cache < 1) throw new TypeError('"cache" option must be a positive integer');
    return { max: cache, ttl: 600 };
  }
  if (cache === null || typeof cache !== 'object')
    throw new TypeError('"cache" option must be a boolean, a number or { max, ttl }');
  const max = cache.max ?? 1000;
  if (!Number.isInteger(max) || max < 1) throw new TypeError('"cache.max" option must be a positive integer');
  return { max, ttl: cache.ttl === undefined ? 600 : toSeconds(cache.ttl, 'cache.ttl') };
}

/**
 * Builds a reusable verifier, as the Node entry's `createVerifier` does: the options are checked once, at
 * creation (a bad option throws here), and each call resolves to the verified claims. With `cache`, tokens
 * that verified are remembered (keyed by the token itself, so memory is bounded by `max` × `maxTokenLength`)
 * and their frozen claims are shared between calls.
 * @example
 * ```ts
 * import { createRemoteJWKSet, createVerifier } from 'tessera-jwt/web';
 * const verify = createVerifier({
 *   key: createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json'),
 *   algorithms: ['ES256'],
 *   issuer: 'https://auth.example.com',
 *   cache: { max: 10_000, ttl: '5m' },
 * });
 * const claims = await verify(token);
 * ```
 */
export function createVerifier<P extends JWTPayload = JWTPayload>(
  options: WebVerifierOptions,
): (token: string) => Promise<P> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkOptions(options, VERIFIER_OPTION_NAMES, 'createVerifier');
  const { key, cache, ...verifyOptions } = options;
  if (key === undefined || key === null) throw new TypeError('"key" option is required');
  const claims = normalizeClaimOptions(verifyOptions);
  const settings = verifierCache(cache);
  const verify = (token: string) => verifyJWT<P>(token, key, verifyOptions);
  if (settings === undefined) return verify;
  const entries = new LRU<string, { claims: P; until: number }>(settings.max);
  return async (token) => {
    const now = nowSeconds(claims);
    const hit = typeof token === 'string' ? entries.get(token) : undefined;
    if (hit !== undefined && now < hit.until) return hit.claims;
    const payload = deepFreeze(await verify(token)) as P;
    let until = now + settings.ttl;
    if (typeof payload.exp === 'number' && claims.exp) until = Math.min(until, payload.exp);
    if (claims.maxTokenAge !== undefined && typeof payload.iat === 'number')
      until = Math.min(until, payload.iat + claims.maxTokenAge);
    entries.set(token, { claims: payload, until });
    return payload;
  };
}
