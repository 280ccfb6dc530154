// The remote JWK Set of the web entry: the Node createRemoteJWKSet's semantics over `fetch` (the same
// lib/fetch-json.ts: deadline, byte cap, JSON depth, same-host redirects, https unless allowed; the same
// cache policy: Cache-Control within bounds, cooldown, single flight, stale-if-error), plus what short-lived
// isolates need: a shared `store` (the Workers Cache API, a KV namespace, anything with get/put), and
// stale-while-revalidate with a `waitUntil` hook so the background refresh outlives the response.
import { JWKSClientError } from '../errors.js';
import { DISCOVERY_OPTION_NAMES, type DiscoveryOptions } from '../lib/discover.js';
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
import { checkOptionNames, optionNames } from '../lib/options.js';
import type { Duration, JWK, JWSHeader } from '../types.js';
import { type JWKSetDocument, preparedDocument, selectKeys, prepareSet } from './jwks.js';

/**
 * A snapshot of a remote JWK Set's cache: what `export()` returns, what the `cache` option starts from, and
 * what a {@link JWKSStore} holds. JSON-serializable; instants are NumericDate seconds (fractions allowed).
 * The same shape as the Node entry's `CachedJWKS`.
 * @example
 * ```ts
 * const snapshot: CachedJWKS | undefined = jwks.export();
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
 * Where isolates share a fetched JWK Set: anything with `get` and `put` (sync or async). The key is the
 * endpoint URL; `ttlSeconds` is how long the value can still be used (freshness plus the stale windows),
 * for stores that expire entries themselves. A store that throws or rejects is treated as a miss: the set
 * is then fetched, never trusted from elsewhere. Stored values are checked like fetched sets.
 * @example
 * ```ts
 * // A Workers KV namespace (KV wants a TTL of at least 60 seconds):
 * const store: JWKSStore = {
 *   get: (key) => env.JWKS_KV.get(key, 'json'),
 *   put: (key, value, ttl) => env.JWKS_KV.put(key, JSON.stringify(value), { expirationTtl: Math.max(60, ttl) }),
 * };
 * ```
 */
export interface JWKSStore {
  /** The stored snapshot for `key`, or `undefined`/`null` when there is none. */
  get(key: string): CachedJWKS | undefined | null | Promise<CachedJWKS | undefined | null>;
  /** Stores `value` for `key`, usable for `ttlSeconds` from now. */
  put(key: string, value: CachedJWKS, ttlSeconds: number): unknown;
}

/**
 * Options of the web {@link createRemoteJWKSet}: those of the Node entry's (the HTTP options of
 * {@link DiscoveryOptions} and the cache policy), plus `store`, `staleWhileRevalidate` and `waitUntil`.
 * @example
 * ```ts
 * const options: RemoteJWKSetOptions = { cacheMaxAge: '10m', staleWhileRevalidate: '5m', store };
 * ```
 */
export interface RemoteJWKSetOptions extends DiscoveryOptions {
  /** Freshness when the response has no `Cache-Control: max-age` (default `'10m'`); a server max-age wins, kept within 30 s … 24 h. */
  cacheMaxAge?: Duration;
  /** Minimum time between fetches caused by an unknown `kid`, and between retries after a failure (default `'30s'`). */
  cooldown?: Duration;
  /** How long past freshness the last good set keeps verifying while the endpoint fails (default `'1h'`). */
  staleIfError?: Duration;
  /** Start warm from a value of `export()` (ignored when it is for another URL; expiry capped at 24 h or `cacheMaxAge`). */
  cache?: CachedJWKS;
  /** A cache shared across isolates (Workers Cache API, KV, …): read before fetching, written after each fetch. */
  store?: JWKSStore;
  /**
   * For this long past freshness, a stale set is served at once while one background refresh runs
   * (default 0: off, a stale set waits for the refresh as on Node). A token whose `kid` the stale set
   * lacks still waits for the refresh.
   */
  staleWhileRevalidate?: Duration;
  /**
   * Keeps background work alive after the response (Workers: `ctx.waitUntil.bind(ctx)`, or `waitUntil`
   * from `cloudflare:workers`; Vercel: `waitUntil` from `@vercel/functions`). Receives each background
   * refresh and store write.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/**
 * What the web {@link createRemoteJWKSet} returns: a key resolver for the web `verifyJWT`/`verifyJWS`
 * (it resolves to the whole set; the verifier picks the key by `kid` and `alg`), with cache controls.
 * @example
 * ```ts
 * const jwks: RemoteJWKSet = createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json');
 * await jwks.refresh();
 * ```
 */
export interface RemoteJWKSet {
  /** Resolves to the current set (fetching it when needed). The header's `jku`/`x5u` are never followed. */
  (header: JWSHeader, token?: string): Promise<JWKSetDocument>;
  /** Fetches the set now (sharing a fetch in progress) and waits for the store write. A failure leaves the cache as it was. */
  refresh(): Promise<void>;
  /** A JSON-serializable snapshot of the cache, or `undefined` before the first fetch. */
  export(): CachedJWKS | undefined;
  /** The cached public keys, or `undefined` before the first fetch. Never fetches. */
  jwks(): { keys: JWK[] } | undefined;
  /** The JWK Set endpoint. */
  readonly url: string;
}

const OPTION_NAMES = optionNames(DISCOVERY_OPTION_NAMES, [
  'cacheMaxAge',
  'cooldown',
  'staleIfError',
  'cache',
  'store',
  'staleWhileRevalidate',
  'waitUntil',
]);

interface Entry {
  readonly document: JWKSetDocument;
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

function isSnapshot(c: unknown): c is CachedJWKS {
  const v = c as Partial<CachedJWKS> | null;
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof v.url === 'string' &&
    v.jwks !== null &&
    typeof v.jwks === 'object' &&
    typeof v.fetchedAt === 'number' &&
    typeof v.expiresAt === 'number' &&
    Number.isFinite(v.fetchedAt) &&
    Number.isFinite(v.expiresAt)
  );
}

/** A snapshot as an entry: another URL's is ignored; its expiry may not extend trust beyond `maxLifetime`. */
function fromSnapshot(c: CachedJWKS, url: string, maxLifetime: number): Entry | undefined {
  if (c.url !== url) return undefined;
  const fetchedAt = c.fetchedAt * 1000;
  const expiresAt = Math.min(c.expiresAt * 1000, fetchedAt + maxLifetime * 1000, Date.now() + maxLifetime * 1000);
  return { document: preparedDocument(c.jwks, true), fetchedAt, expiresAt };
}

/**
 * A key resolver backed by a remote JWK Set, over `fetch`, with the Node entry's semantics: cached for
 * `cacheMaxAge` or the server's `Cache-Control: max-age` (30 s … 24 h); an unknown `kid` refetches at most
 * once per `cooldown`; concurrent callers share one request; when the endpoint fails, known keys keep
 * working for `staleIfError`, and a token whose key is not cached fails with the fetch failure's own
 * error (JWKSTimeoutError, JWKSConnectionError, JWKSClientError; its cause the NoMatchingKeyError).
 *
 * For short-lived isolates (Workers, edge functions), `store` shares the fetched set across isolates
 * (a cold isolate reads it instead of fetching; an unknown `kid` first looks for a newer stored set, and
 * a set stored by another isolate within the cooldown counts as this isolate's attempt), and
 * `staleWhileRevalidate` serves a stale set while one background refresh runs, kept alive by `waitUntil`.
 *
 * @example
 * ```ts
 * import { createRemoteJWKSet, verifyJWT } from 'tessera-jwt/web';
 * const jwks = createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json');
 * const claims = await verifyJWT(token, jwks, { algorithms: ['RS256'], issuer: 'https://auth.example.com' });
 * ```
 */
export function createRemoteJWKSet(
  url: string | URL | { jwks_uri?: string },
  options: RemoteJWKSetOptions = {},
): RemoteJWKSet {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkOptionNames(options, OPTION_NAMES, 'createRemoteJWKSet');
  const http = normalizeHTTPOptions(options, 'application/jwk-set+json, application/json;q=0.9');
  const endpoint = parseEndpointURL(endpointOf(url), 'url', http.allowHttp);
  const cacheMaxAge = toSeconds(options.cacheMaxAge ?? DEFAULT_CACHE_MAX_AGE, 'cacheMaxAge');
  if (cacheMaxAge === 0) throw new TypeError('"cacheMaxAge" option must be greater than zero');
  const cooldown = toSeconds(options.cooldown ?? DEFAULT_COOLDOWN, 'cooldown') * 1000;
  const staleIfError = toSeconds(options.staleIfError ?? DEFAULT_STALE_IF_ERROR, 'staleIfError') * 1000;
  const swr = toSeconds(options.staleWhileRevalidate ?? 0, 'staleWhileRevalidate') * 1000;
  const { store, waitUntil } = options;
  if (
    store !== undefined &&
    (store === null || typeof store !== 'object' || typeof store.get !== 'function' || typeof store.put !== 'function')
  )
    throw new TypeError('"store" option must be an object with get(key) and put(key, value, ttlSeconds)');
  if (waitUntil !== undefined && typeof waitUntil !== 'function')
    throw new TypeError('"waitUntil" option must be a function, e.g. ctx.waitUntil.bind(ctx)');
  const href = endpoint.href;
  const maxLifetime = Math.max(MAX_SERVER_MAX_AGE, cacheMaxAge);

  let entry: Entry | undefined;
  if (options.cache !== undefined) {
    if (!isSnapshot(options.cache)) throw new TypeError('"cache" option must be a value returned by export()');
    entry = fromSnapshot(options.cache, href, maxLifetime);
  }
  /** When the latest fetch started (ms), here or (as seen in the store) in another isolate. */
  let lastAttempt = entry === undefined ? Number.NEGATIVE_INFINITY : Math.min(entry.fetchedAt, Date.now());
  let lastError: unknown;
  let inflight: Promise<Entry> | undefined;
  let storeWrite: Promise<void> = Promise.resolve();

  const keep = (promise: Promise<unknown>): void => {
    if (waitUntil === undefined) return;
    try {
      waitUntil(promise);
    } catch {
      // Outside a request (e.g. at start-up) a platform's waitUntil may throw; the promise runs anyway.
    }
  };

  /** Adopts a stored snapshot newer than the cache; a store that fails or holds junk is a miss. */
  async function readStore(): Promise<void> {
    if (store === undefined) return;
    let stored: Entry | undefined;
    try {
      const value = await store.get(href);
      if (value === undefined || value === null || !isSnapshot(value)) return;
      stored = fromSnapshot(value, href, maxLifetime);
    } catch {
      return;
    }
    if (stored === undefined || (entry !== undefined && stored.fetchedAt <= entry.fetchedAt)) return;
    entry = stored;
    lastAttempt = Math.max(lastAttempt, Math.min(stored.fetchedAt, Date.now()));
  }

  function writeStore(e: Entry): Promise<void> {
    if (store === undefined) return Promise.resolve();
    const ttl = Math.max(1, Math.ceil((e.expiresAt + staleIfError + swr - Date.now()) / 1000));
    const value: CachedJWKS = {
      url: href,
      jwks: { keys: [...e.document.keys] },
      fetchedAt: e.fetchedAt / 1000,
      expiresAt: e.expiresAt / 1000,
    };
    return (async () => {
      try {
        await store.put(href, value, ttl);
      } catch {
        // The store is an optimisation: a failed write costs another isolate a fetch, nothing more.
      }
    })();
  }

  async function fetchSet(): Promise<Entry> {
    lastAttempt = Date.now();
    try {
      const { value, headers } = await fetchJSON(endpoint, http, 'the JWK Set');
      let document: JWKSetDocument;
      try {
        document = preparedDocument(value, true);
      } catch (err) {
        const reason = err instanceof Error ? err.message : 'invalid';
        throw new JWKSClientError(
          `fetching the JWK Set from ${describeURL(endpoint)} failed: the response is not a usable JWK Set (${reason})`,
          { cause: err },
        );
      }
      const fetchedAt = Date.now();
      const fetched: Entry = { document, fetchedAt, expiresAt: fetchedAt + freshness(headers, cacheMaxAge) * 1000 };
      entry = fetched;
      lastError = undefined;
      storeWrite = writeStore(fetched);
      keep(storeWrite);
      return fetched;
    } catch (err) {
      lastError = err;
      throw err;
    }
  }

  /**
   * Single flight: one store read and, when still needed, one fetch, shared by every caller meanwhile.
   * `need` says when a stored set makes the fetch unnecessary (`undefined`: always fetch).
   */
  const load = (need?: (e: Entry, now: number) => boolean): Promise<Entry> =>
    (inflight ??= (async () => {
      try {
        if (need !== undefined) {
          await readStore();
          if (entry !== undefined && need(entry, Date.now())) return entry;
        }
        return await fetchSet();
      } finally {
        inflight = undefined;
      }
    })());

  const fresh = (e: Entry, now: number): boolean => now < e.expiresAt;
  const usableStale = (e: Entry | undefined, now: number): e is Entry =>
    e !== undefined && now < e.expiresAt + staleIfError;

  async function renew(now: number): Promise<Entry> {
    const backingOff = lastError !== undefined && inflight === undefined && now - lastAttempt < cooldown;
    if (backingOff) {
      if (usableStale(entry, now)) return entry;
      throw lastError;
    }
    try {
      return await load(fresh);
    } catch (err) {
      if (usableStale(entry, Date.now())) return entry;
      throw err;
    }
  }

  async function resolve(header: JWSHeader, _token?: string): Promise<JWKSetDocument> {
    if (header === null || typeof header !== 'object' || typeof header.alg !== 'string')
      throw new TypeError("a remote JWK Set resolver must be called with the token's protected header");
    // jku/x5u are deliberately not read: only `url` decides which keys are trusted.
    if (entry === undefined && store !== undefined) await (inflight ?? readStore()).catch(() => undefined);
    const now = Date.now();
    let current = entry;
    if (current !== undefined && !fresh(current, now) && now < current.expiresAt + swr) {
      // Stale but within stale-while-revalidate: answer now, refresh once in the background.
      if (inflight === undefined && !(lastError !== undefined && now - lastAttempt < cooldown)) {
        const background = load(fresh).then(
          () => undefined,
          () => undefined, // recorded in lastError; the next caller past the window sees it
        );
        keep(background);
      }
    } else if (current === undefined || !fresh(current, now)) {
      current = await renew(now);
    }
    const has = (e: Entry) => selectKeys(prepareSet(e.document), header).length > 0;
    if (has(current)) return current.document;
    // An unknown kid (or no key for the alg): perhaps the issuer rotated keys since the last fetch.
    if (inflight === undefined && Date.now() - lastAttempt < cooldown) {
      if (lastError === undefined) return current.document;
      throw outageError(lastError);
    }
    try {
      // A newer stored set (another isolate saw the rotation) or one stored within the cooldown saves the fetch.
      return (await load((e, t) => has(e) || t - lastAttempt < cooldown)).document;
    } catch (err) {
      throw outageError(err);
    }
  }

  const remote = Object.assign(resolve, {
    async refresh(): Promise<void> {
      await load();
      await storeWrite;
    },
    export(): CachedJWKS | undefined {
      if (entry === undefined) return undefined;
      return {
        url: href,
        jwks: { keys: [...entry.document.keys] },
        fetchedAt: entry.fetchedAt / 1000,
        expiresAt: entry.expiresAt / 1000,
      };
    },
    jwks(): { keys: JWK[] } | undefined {
      return entry === undefined ? undefined : { keys: [...entry.document.keys] };
    },
  });
  Object.defineProperty(remote, 'url', { value: href, enumerable: true });
  return remote as typeof remote & { readonly url: string };
}
