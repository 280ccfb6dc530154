// The reference server as one fetch-style handler (Request → Response): the library's token
// endpoints (POST /token with refresh_token and password grants, /revoke, /introspect, the JWKS and
// metadata documents), plus POST /login, GET /userinfo, GET /health, POST /debugger/verify and the
// debugger page. main.ts mounts it on node:http; tests can call it directly.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createTokenEndpoints, type NodeConnectionInfo, type TokenService } from 'tessera-jwt/server';
import { withAccessLog } from './access-log.js';
import { createDebuggerVerify } from './debugger-verify.js';
import { json, oauthError } from './http.js';
import { createLogin } from './login.js';
import { errorFields, type Logger } from './logger.js';
import { loadStatic, STATIC_PATHS } from './static.js';
import type { OpenedStore } from './store.js';
import { createLoginThrottle, type LoginThrottle } from 'tessera-jwt/provider';
import { createUserinfo } from './userinfo.js';
import type { UserStore } from './users.js';

export interface AppOptions {
  readonly service: TokenService;
  readonly store: OpenedStore;
  readonly users: UserStore;
  readonly audience: string;
  readonly algorithm: string;
  readonly clientIds: readonly string[];
  readonly introspectionSecret: string;
  /** The client id a resource server uses with HTTP Basic (client_secret_basic) on /introspect. */
  readonly introspectionClientId: string;
  readonly log: Logger;
  /** Login throttle (default: a new one with the documented figures). */
  readonly throttle?: LoginThrottle;
}

/** A request handler that also takes what node:http knows of the connection (the peer address). */
export type AppHandler = (request: Request, connection?: NodeConnectionInfo) => Promise<Response>;

// The methods each route serves, for 405 Allow answers that no route handler gets to give (TRACE and
// the like, which a fetch Request cannot carry). Routes answer other wrong methods themselves.
const ROUTE_METHODS: Record<string, string> = {
  '/health': 'GET, HEAD',
  '/login': 'POST',
  '/userinfo': 'GET, POST',
  '/debugger/verify': 'POST',
  '/token': 'POST',
  '/revoke': 'POST',
  '/introspect': 'POST',
  '/.well-known/jwks.json': 'GET, HEAD',
  '/.well-known/openid-configuration': 'GET, HEAD',
  '/.well-known/oauth-authorization-server': 'GET, HEAD',
};

/** The Allow value of a path this server serves, or undefined for unknown paths. */
export function allowedMethods(pathname: string): string | undefined {
  if (Object.hasOwn(ROUTE_METHODS, pathname)) return ROUTE_METHODS[pathname];
  return STATIC_PATHS.has(pathname) ? 'GET, HEAD' : undefined;
}

/**
 * The /introspect caller check, in constant time (digests first, so lengths do not leak): HTTP Basic
 * with the introspection client id and the secret (client_secret_basic, what the metadata advertises),
 * or the secret as a Bearer token (kept for existing callers).
 */
function introspectionCallerCheck(clientId: string, secret: string): (request: Request) => boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = digest(secret);
  const expectedId = digest(clientId);
  return (request) => {
    const header = request.headers.get('authorization') ?? '';
    const bearer = /^Bearer ([\x21-\x7e]+)$/i.exec(header);
    if (bearer) return timingSafeEqual(digest(bearer[1]!), expected);
    const basic = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
    if (!basic) return false;
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    let id: string;
    let given: string;
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      given = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      return false;
    }
    const idOk = timingSafeEqual(digest(id), expectedId);
    return timingSafeEqual(digest(given), expected) && idOk;
  };
}

export async function createApp(options: AppOptions): Promise<AppHandler> {
  const { service, log } = options;
  // The peer address of each request, for the login throttle (set by the handler below).
  const addresses = new WeakMap<Request, string>();
  const clients = new Set(options.clientIds);
  const login = createLogin({
    users: options.users,
    service,
    clientIds: options.clientIds,
    throttle: options.throttle ?? createLoginThrottle(),
    addressOf: (request) => addresses.get(request) ?? 'unknown',
  });
  const endpoints = createTokenEndpoints(service, {
    grants: { password: (params, request) => login.passwordGrant(params, request) },
    authenticateIntrospection: introspectionCallerCheck(options.introspectionClientId, options.introspectionSecret),
    // Every client of this server is public (RFC 6749 §2.1): a registered client_id, never a secret.
    authenticateClient: (client) => clients.has(client.id) && client.secret === undefined,
    realm: 'tessera',
    authMethods: { token: ['none'], revocation: ['none'], introspection: ['client_secret_basic'] },
    onError: (err) => log.error('token endpoint failure', errorFields(err)),
  });
  const userinfo = createUserinfo({
    service,
    users: options.users,
    audience: options.audience,
    algorithm: options.algorithm,
  });
  const debuggerVerify = createDebuggerVerify({ service, audience: options.audience, algorithm: options.algorithm });
  const serveStatic = await loadStatic();
  const base = service.issuer.replace(/\/+$/, '');

  const health = async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return oauthError(405, 'invalid_request', 'Use GET', { allow: 'GET, HEAD' });
    // Ready means the store answers: one cheap read.
    try {
      await options.store.store.isTokenDenied('health-check');
      return json(200, { status: 'ok', store: options.store.description.kind });
    } catch (err) {
      log.warn('health check: the store does not answer', errorFields(err));
      return json(503, { status: 'unavailable', store: options.store.description.kind }, { 'retry-after': '5' });
    }
  };

  // The library's metadata, plus what this server adds (RFC 8414 allows any further members).
  const metadata = async (request: Request): Promise<Response> => {
    const response = await endpoints.metadata(request);
    if (response.status !== 200) return response;
    const body = (await response.json()) as Record<string, unknown>;
    return json(
      200,
      {
        ...body,
        userinfo_endpoint: `${base}/userinfo`,
        scopes_supported: ['openid', 'profile', 'email', 'read:orders'],
      },
      { 'cache-control': response.headers.get('cache-control') ?? 'no-cache' },
    );
  };

  const handle = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/health':
        return health(request);
      case '/login':
        return login.route(request);
      case '/userinfo':
        return userinfo(request);
      case '/debugger/verify':
        return debuggerVerify(request);
      case endpoints.paths.metadata:
      case '/.well-known/oauth-authorization-server':
        return metadata(request);
    }
    return (
      (await endpoints.handle(request)) ??
      serveStatic(request) ??
      json(404, { error: 'not_found', error_description: 'No such endpoint' })
    );
  };
  const logged = withAccessLog(handle, log);
  return (request, connection) => {
    if (connection?.remoteAddress !== undefined) addresses.set(request, connection.remoteAddress);
    return logged(request);
  };
}
