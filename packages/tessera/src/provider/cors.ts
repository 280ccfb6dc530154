// CORS for browser clients (single-page apps). Two policies, by path:
//   - public documents (discovery, JWKS, protected-resource metadata): any origin (`*`), GET only;
//   - the endpoints a browser client calls with tokens (token, userinfo, revocation): only the origins
//     of registered redirect URIs, computed from the client registry and cached (invalidated when a
//     client is registered, updated or deleted through the provider, and refreshed every 60 s for
//     changes made elsewhere).
// Introspection and registration get no CORS: they are for resource servers and back ends. No route
// answers cookies across origins (no Access-Control-Allow-Credentials). A request from an origin not
// on the list gets no Access-Control-Allow-Origin, so the browser withholds the response.
import type { RecordStore } from '../server/record-store.js';
import { RECORD_KINDS } from './record-kinds.js';
import { bodySource, withBodySource } from '../server/body-source.js';

export interface CORSPaths {
  /** Paths any origin may read (GET/HEAD). */
  public: readonly string[];
  /** Paths and their methods for registered origins only. */
  restricted: Readonly<Record<string, string>>;
}

const MAX_AGE = '600';
const ALLOW_HEADERS = 'authorization, content-type, dpop';
const EXPOSE_HEADERS = 'www-authenticate, retry-after';
const CACHE_SECONDS = 60;

/**
 * Adds `Vary: Origin` (once) and, for an allowed origin, the CORS response headers. A Response built with
 * `new Response()` has mutable headers: they are added in place, since a copy of the response costs another
 * body stream. Headers of a fetched or Response.error() response are immutable (the append throws before
 * changing anything): those are copied.
 */
export function withCORSHeaders(response: Response, allowed: string | undefined): Response {
  const addTo = (headers: Headers) => {
    // Once only, even if a handler hands out one Response object again and again.
    if (!/(?:^|,)\s*origin\s*(?:,|$)/i.test(headers.get('vary') ?? '')) headers.append('vary', 'Origin');
    if (allowed !== undefined) {
      headers.set('access-control-allow-origin', allowed);
      headers.set('access-control-expose-headers', EXPOSE_HEADERS);
    }
  };
  try {
    addTo(response.headers);
    return response;
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
  }
  const headers = new Headers(response.headers);
  addTo(headers);
  const source = bodySource(response);
  const init = { status: response.status, statusText: response.statusText, headers };
  return source === undefined ? new Response(response.body, init) : withBodySource(new Response(source, init), source);
}

/** The origin of a URI (`https://app.example`), or undefined. */
const originOf = (uri: string): string | undefined => {
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
};

export function createCORS(options: { store: RecordStore; paths: CORSPaths; now: () => number }) {
  const { store, paths, now } = options;
  const publicPaths = new Set(paths.public);
  let cached: { at: number; origins: Promise<ReadonlySet<string>> } | undefined;

  const load = async (): Promise<ReadonlySet<string>> => {
    const origins = new Set<string>();
    for (const { record } of await store.listRecords(RECORD_KINDS.client, now(), 100_000)) {
      const uris = (record as { metadata?: { redirect_uris?: unknown } }).metadata?.redirect_uris;
      if (!Array.isArray(uris)) continue;
      for (const uri of uris) {
        const origin = typeof uri === 'string' ? originOf(uri) : undefined;
        if (origin) origins.add(origin);
      }
    }
    return origins;
  };
  const allowedOrigins = (): Promise<ReadonlySet<string>> => {
    const t = now();
    if (!cached || t - cached.at >= CACHE_SECONDS) {
      const origins = load();
      cached = { at: t, origins };
      // A failed load is not cached (the next request tries again); this request fails closed.
      origins.catch(() => {
        if (cached?.origins === origins) cached = undefined;
      });
    }
    return cached.origins;
  };

  /** The Access-Control-Allow-Origin value for this request and path, or undefined. */
  const allowOrigin = async (request: Request, pathname: string): Promise<string | undefined> => {
    const origin = request.headers.get('origin');
    if (origin === null) return undefined;
    if (publicPaths.has(pathname)) return '*';
    if (!Object.hasOwn(paths.restricted, pathname) || origin === 'null') return undefined;
    const normalized = originOf(origin);
    if (normalized === undefined || normalized !== origin.toLowerCase()) return undefined;
    try {
      return (await allowedOrigins()).has(normalized) ? origin : undefined;
    } catch {
      return undefined;
    }
  };

  const applies = (pathname: string) => publicPaths.has(pathname) || Object.hasOwn(paths.restricted, pathname);

  return {
    /** Forget the cached origin set (a client was registered, changed or deleted). */
    invalidate(): void {
      cached = undefined;
    },
    /**
     * Wraps a handler: answers CORS preflights (OPTIONS with Access-Control-Request-Method) on the CORS
     * paths and adds the CORS headers to what the handler answers.
     */
    wrap<A extends unknown[]>(
      handler: (request: Request, ...rest: A) => Promise<Response | undefined>,
    ): (request: Request, ...rest: A) => Promise<Response | undefined> {
      return async (request, ...rest) => {
        const { pathname } = new URL(request.url);
        if (!applies(pathname)) return handler(request, ...rest);
        const methods = publicPaths.has(pathname) ? 'GET, HEAD' : paths.restricted[pathname]!;
        if (request.method === 'OPTIONS') {
          const headers = new Headers({ vary: 'Origin', allow: `${methods}, OPTIONS`, 'cache-control': 'no-store' });
          const allowed = await allowOrigin(request, pathname);
          const wanted = request.headers.get('access-control-request-method');
          if (allowed !== undefined && wanted !== null) {
            headers.set('access-control-allow-origin', allowed);
            headers.set('access-control-allow-methods', methods);
            headers.set('access-control-allow-headers', ALLOW_HEADERS);
            headers.set('access-control-max-age', MAX_AGE);
          }
          return new Response(null, { status: 204, headers });
        }
        const response = await handler(request, ...rest);
        if (response === undefined) return undefined;
        return withCORSHeaders(response, await allowOrigin(request, pathname));
      };
    },
  };
}
