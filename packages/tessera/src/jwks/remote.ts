import { JWKSClientError } from '../errors.js';
import { toSeconds } from '../lib/duration.js';
import { describeURL, fetchJSON, normalizeHTTPOptions, parseEndpointURL } from '../lib/fetch-json.js';
import {
  DEFAULT_CACHE_MAX_AGE,
  DEFAULT_COOLDOWN,
  DEFAULT_STALE_IF_ERROR,
  freshness,
  MAX_SERVER_MAX_AGE,
  outageError,
} from '../lib/jwks-cache.js';
import { markRemoteKeySet } from '../lib/key-set.js';
import type { Duration, JWK, ResolverHeader } from '../types.js';
import { checkOptionNames, optionNames } from '../lib/options.js';
import { DISCOVERY_OPTION_NAMES, type DiscoveryOptions } from './discover.js';
import { JWKSet } from './set.js';

/**
 * Options of {@link createRemoteJWKSet}: the HTTP options of {@link DiscoveryOptions} plus the cache policy.
 * @example
 * ```ts
 * const options: RemoteJWKSetOptions = { cacheMaxAge: '10m', cooldown: '30s', timeout: '5s', staleIfError: '1h' };
 * const jwks = createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json', options);
 * ```
 */
export interface RemoteJWKSetOptions extends DiscoveryOptions {
  /**
   * How long a fetched set is fresh when the response has no `Cache-Control: max-age` (default `'10m'`).
   * A `max-age` from the server wins, kept between 30 seconds and 24 hours (`no-store`/`no-cache` count
   * as 30 seconds); a `cacheMaxAge` outside those bounds widens them to include it.
   */
  cacheMaxAge?: Duration;
  /**
   * The minimum time between fetches caused by a `kid` the set does not have, and between retries after
   * a failed fetch (default `'30s'`). A flood of tokens with random `kid`s costs one request per cooldown.
   */
  cooldown?: Duration;
  /**
   * How long past its freshness the last good set keeps verifying tokens while the endpoint fails
   * (default `'1h'`). Only keys already known are used; after this the fetch error surfaces.
   */
  staleIfError?: Duration;
  /**
   * Start warm from a value of `export()` (serverless cold starts): no request until it expires or a
   * token names an unknown `kid`. Ignored when it is for another URL; its keys are checked like a fetched
   * set (JWKSetError/JWKError), and its expiry is capped at 24 hours (or `cacheMaxAge`) from now.
   */
  cache?: CachedJWKS;
}

/**
 * A snapshot of a remote JWK Set's cache, as returned by `export()` and accepted by the `cache` option.
 * JSON-serializable; instants are NumericDate seconds (fractions allowed).
 * @example
 * ```ts
 * await redis.set('jwks', JSON.stringify(jwks.export()));
 * const warm = createRemoteJWKSet(url, { cache: JSON.parse((await redis.get('jwks'))!) as CachedJWKS });
 * ```
 */
export interface CachedJWKS {
  /** The JWK Set endpoint the keys came from. */
  url: string;
  /** The public keys. */
  jwks: { keys: JWK[] };
  /** When the set was fetched (NumericDate seconds). */
  fetchedAt: number;
  /** When the set stops being fresh (NumericDate seconds). */
  expiresAt: number;
}

/**
 * What {@link createRemoteJWKSet} returns: a key resolver for `verifyJWT`/`verifyJWS`/`createVerifier`
 * (it resolves to the whole {@link JWKSet}; the verifier picks the key by `kid` and `alg`), with cache controls.
 * @example
 * ```ts
 * const jwks: RemoteJWKSet = createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json');
 * await jwks.refresh(); // fetch now, e.g. at start-up
 * console.log(jwks.jwks()?.keys.map((k) => k.kid));
 * ```
 */
export interface RemoteJWKSet {
  /** Resolves to the current set (fetching it when needed). The header's `jku`/`x5u` are never followed. */
  (header: ResolverHeader, token?: string): Promise<JWKSet>;
  /** Fetches the set now (sharing a fetch already in progress), whatever the cache and cooldown say. A failure leaves the cache as it was. */
  refresh(): Promise<void>;
  /** A JSON-serializable snapshot of the cache for the `cache` option, or `undefined` before the first fetch. */
  export(): CachedJWKS | undefined;
  /** The cached public keys, or `undefined` before the first fetch. Never fetches. */
  jwks(): { keys: JWK[] } | undefined;
  /** The JWK Set endpoint. */
  readonly url: string;
}

const REMOTE_OPTIONS: Record<Exclude<keyof RemoteJWKSetOptions, keyof DiscoveryOptions>, true> = {
  cacheMaxAge: true,
  cooldown: true,
  staleIfError: true,
  cache: true,
};
const REMOTE_OPTION_NAMES = optionNames(DISCOVERY_OPTION_NAMES, Object.keys(REMOTE_OPTIONS));

interface Entry {
  readonly set: JWKSet;
  /** Milliseconds since the epoch. */
  readonly fetchedAt: number;
  readonly expiresAt: number;
}

function endpointOf(input: unknown): unknown {
  if (input !== null && typeof input === 'object' && !(input instanceof URL)) {
    const jwksUri = (input as { jwks_uri?: unknown }).jwks_uri;
    if (typeof jwksUri !== 'string')
      throw new TypeError('"url" must be a string, a URL, or authorization server metadata with a "jwks_uri"');
    return jwksUri;
  }
  return input;
}

function readCache(cache: unknown, url: string, maxLifetime: number): Entry | undefined {
  const c = cache as Partial<CachedJWKS> | null;
  if (
    c === null ||
    typeof c !== 'object' ||
    typeof c.url !== 'string' ||
    c.jwks === null ||
    typeof c.jwks !== 'object' ||
    typeof c.fetchedAt !== 'number' ||
    typeof c.expiresAt !== 'number' ||
    !Number.isFinite(c.fetchedAt) ||
    !Number.isFinite(c.expiresAt)
  ) {
    throw new TypeError('"cache" option must be a value returned by export()');
  }
  // A snapshot from a deployment that used another endpoint must not decide which keys are trusted.
  if (c.url !== url) return undefined;
  const fetchedAt = c.fetchedAt * 1000;
  // A stored snapshot is data, not configuration: it may not extend trust beyond the longest lifetime.
  const expiresAt = Math.min(c.expiresAt * 1000, fetchedAt + maxLifetime * 1000, Date.now() + maxLifetime * 1000);
  return { set: JWKSet.from(c.jwks, { publicOnly: true }), fetchedAt, expiresAt };
}

/**
 * A key resolver backed by a remote JWK Set (PyJWT's `PyJWKClient`, jose's `createRemoteJWKSet`), built
 * for production traffic:
 *
 * - the set is cached for `cacheMaxAge` (default 10 minutes) or the server's `Cache-Control: max-age`,
 *   kept between 30 seconds and 24 hours;
 * - a token whose `kid` is unknown triggers a refetch at most once per `cooldown` (default 30 seconds),
 *   so a flood of forged `kid`s costs one request; the same cooldown spaces retries after a failure;
 * - concurrent callers share one in-flight request;
 * - when the endpoint fails, keys already known keep working for `staleIfError` (default 1 hour) past
 *   freshness, and a failed fetch never empties the cache; a token whose key is not cached then fails
 *   with the fetch failure's own error (its `cause` is the {@link NoMatchingKeyError});
 * - every fetch has a `timeout` (default 5 seconds, then {@link JWKSTimeoutError}; a refused, reset or
 *   unresolvable connection is a {@link JWKSConnectionError}), a body limit of
 *   `maxResponseBytes` (default 1 MiB), follows redirects only on the same host (at most 3), and requires
 *   `https:` unless `allowHttp`;
 * - the response must be a JWK Set of public keys; anything else is a {@link JWKSClientError} that says
 *   what was wrong without quoting the body;
 * - the token's `jku` and `x5u` headers are never followed: only `url` decides which keys are trusted.
 *
 * `url` may be the metadata returned by {@link discover}, whose `jwks_uri` is then used.
 *
 * @example
 * ```ts
 * import { createRemoteJWKSet, createVerifier } from 'tessera-jwt';
 * const jwks = createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json', { cacheMaxAge: '10m' });
 * const verify = createVerifier({ key: jwks, algorithms: ['RS256', 'ES256'], issuer: 'https://auth.example.com', audience: 'api' });
 * const claims = await verify(token);
 * ```
 */
export function createRemoteJWKSet(
  url: string | URL | { jwks_uri?: string },
  options: RemoteJWKSetOptions = {},
): RemoteJWKSet {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  // Checked once here: a misspelt "cacheMaxage" would otherwise silently keep the default.
  checkOptionNames(options, REMOTE_OPTION_NAMES, 'createRemoteJWKSet');
  const http = normalizeHTTPOptions(options, 'application/jwk-set+json, application/json;q=0.9');
  const endpoint = parseEndpointURL(endpointOf(url), 'url', http.allowHttp);
  const cacheMaxAge = toSeconds(options.cacheMaxAge ?? DEFAULT_CACHE_MAX_AGE, 'cacheMaxAge');
  if (cacheMaxAge === 0) throw new TypeError('"cacheMaxAge" option must be greater than zero');
  const cooldown = toSeconds(options.cooldown ?? DEFAULT_COOLDOWN, 'cooldown') * 1000;
  const staleIfError = toSeconds(options.staleIfError ?? DEFAULT_STALE_IF_ERROR, 'staleIfError') * 1000;
  const href = endpoint.href;

  let entry =
    options.cache === undefined ? undefined : readCache(options.cache, href, Math.max(MAX_SERVER_MAX_AGE, cacheMaxAge));
  /** When the latest fetch started (ms); the cooldown counts from here. */
  let lastAttempt = entry === undefined ? Number.NEGATIVE_INFINITY : Math.min(entry.fetchedAt, Date.now());
  /** The error of the latest fetch, or undefined when it succeeded. */
  let lastError: unknown;
  let inflight: Promise<Entry> | undefined;

  async function fetchSet(): Promise<Entry> {
    lastAttempt = Date.now();
    try {
      const { value, headers } = await fetchJSON(endpoint, http, 'the JWK Set');
      let set: JWKSet;
      try {
        set = JWKSet.from(value as unknown as { keys: JWK[] }, { publicOnly: true });
      } catch (err) {
        const reason = err instanceof Error ? err.message : 'invalid';
        throw new JWKSClientError(
          `fetching the JWK Set from ${describeURL(endpoint)} failed: the response is not a usable JWK Set (${reason})`,
          { cause: err },
        );
      }
      const fetchedAt = Date.now();
      entry = { set, fetchedAt, expiresAt: fetchedAt + freshness(headers, cacheMaxAge) * 1000 };
      lastError = undefined;
      return entry;
    } catch (err) {
      lastError = err;
      throw err;
    } finally {
      inflight = undefined;
    }
  }

  // Single flight: every caller that needs the network while a fetch is running shares that fetch.
  const load = (): Promise<Entry> => (inflight ??= fetchSet());

  const usableStale = (e: Entry | undefined, now: number): e is Entry =>
    e !== undefined && now < e.expiresAt + staleIfError;

  // The set to use when the cache is empty or no longer fresh.
  async function renew(now: number): Promise<Entry> {
    const previous = entry;
    // After a failure, retry once per cooldown rather than once per request: an outage must not turn
    // every verification into a request (or into a wait for the timeout).
    const backingOff = lastError !== undefined && inflight === undefined && now - lastAttempt < cooldown;
    if (backingOff) {
      if (usableStale(previous, now)) return previous;
      throw lastError;
    }
    try {
      return await load();
    } catch (err) {
      if (usableStale(previous, Date.now())) return previous;
      throw err;
    }
  }

  async function resolve(header: ResolverHeader, _token?: string): Promise<JWKSet> {
    if (header === null || typeof header !== 'object' || typeof header.alg !== 'string') {
      throw new TypeError("a remote JWK Set resolver must be called with the token's protected header");
    }
    // jku/x5u are deliberately not read: letting the token name the URL of its own keys lets anyone sign.
    const now = Date.now();
    let current = entry;
    if (current === undefined || now >= current.expiresAt) current = await renew(now);
    if (current.set.select(header).length > 0) return current.set;
    // An unknown kid (or no key for the alg): perhaps the issuer rotated keys since our last fetch.
    if (inflight === undefined && Date.now() - lastAttempt < cooldown) {
      if (lastError === undefined) return current.set;
      throw outageError(lastError);
    }
    try {
      return (await load()).set;
    } catch (err) {
      throw outageError(err);
    }
  }

  const remote = Object.assign(resolve, {
    async refresh(): Promise<void> {
      await load();
    },
    export(): CachedJWKS | undefined {
      if (entry === undefined) return undefined;
      return {
        url: href,
        jwks: entry.set.toJSON(),
        fetchedAt: entry.fetchedAt / 1000,
        expiresAt: entry.expiresAt / 1000,
      };
    },
    jwks(): { keys: JWK[] } | undefined {
      return entry?.set.toJSON();
    },
  });
  Object.defineProperty(remote, 'url', { value: href, enumerable: true });
  markRemoteKeySet(remote);
  return remote as typeof remote & { readonly url: string };
}
