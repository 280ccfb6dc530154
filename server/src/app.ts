// The reference server as one fetch-style handler (Request → Response): the library's OpenID provider
// (createProvider from tessera-jwt/provider: GET /authorize with the built-in login and consent pages at
// /interaction, POST /token with authorization_code, refresh_token and client_credentials, /revoke,
// /introspect, /register when dynamic registration is on, the JWKS and metadata documents, CORS for
// browser clients), plus its own API GET /userinfo with its RFC 9728 protected-resource metadata,
// GET /health, POST /debugger/verify and the debugger page. The password grant and POST /login are a
// development grant, only when `devPasswordGrant` is on. main.ts mounts it on node:http.
import { createHash, timingSafeEqual } from 'node:crypto';
import { protectedResourceMetadata, protectedResourceMetadataURL } from 'tessera-jwt/fetch';
import { type ClientRegistry, createProvider, type ProviderOptions } from 'tessera-jwt/provider';
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
  /** Login throttle (default: a new one with the documented figures), shared by every login route. */
  readonly throttle?: LoginThrottle;
  /** The client registry, already seeded from the clients file. */
  readonly clients: ClientRegistry;
  /** RFC 7591 registration: off, open, or gated by `registrationToken`. */
  readonly registration: 'off' | 'open' | 'token';
  readonly registrationToken?: string | undefined;
  /** The development password grant (POST /token grant_type=password, POST /login). */
  readonly devPasswordGrant: boolean;
}

/** The scopes this server's provider knows. */
export const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'read:orders'] as const;

/** A request handler that also takes what node:http knows of the connection (the peer address). */
export type AppHandler = (request: Request, connection?: NodeConnectionInfo) => Promise<Response>;

// The methods each route serves, for 405 Allow answers that no route handler gets to give (TRACE and
// the like, which a fetch Request cannot carry). Routes answer other wrong methods themselves.
const ROUTE_METHODS: Record<string, string> = {
  '/health': 'GET, HEAD',
  '/login': 'POST',
  '/userinfo': 'GET, POST',
  '/authorize': 'GET, HEAD',
  '/interaction': 'GET, POST',
  '/register': 'POST',
  '/.well-known/oauth-protected-resource': 'GET, HEAD',
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
  const connectionOf = (request: Request) => ({ remoteAddress: addresses.get(request) });
  const throttle = options.throttle ?? createLoginThrottle();
  const login = createLogin({
    users: options.users,
    service,
    clientIds: options.clientIds,
    throttle,
    addressOf: (request) => addresses.get(request) ?? 'unknown',
  });
  const base = service.issuer.replace(/\/+$/, '');
  const registration: ProviderOptions['registration'] =
    options.registration === 'off'
      ? { enabled: false }
      : options.registration === 'open'
        ? { enabled: true }
        : { enabled: true, initialAccessToken: options.registrationToken! };
  const provider = createProvider({
    service,
    store: options.store.store,
    clients: options.clients,
    interactionUrl: '/interaction',
    // The built-in login page checks the user store; an unknown user costs one scrypt like a wrong password.
    authenticate: async (username, password) => {
      const user = await options.users.verify(username, password);
      return user ? { sub: user.sub, amr: ['pwd'] } : undefined;
    },
    scopes: SCOPES,
    registration,
    realm: 'tessera',
    loginThrottle: throttle,
    // The development password grant: a labelled convenience of the demo, never on by accident.
    ...(options.devPasswordGrant
      ? { grants: { password: (params: URLSearchParams, request: Request) => login.passwordGrant(params, request) } }
      : {}),
    onError: (err) => log.error('provider failure', errorFields(err)),
  });
  // Kept for existing callers: /introspect with the introspection secret as a Bearer token. HTTP Basic
  // (client_secret_basic of the registered resource-server client) goes to the provider.
  const legacyIntrospection = createTokenEndpoints(service, {
    authenticateIntrospection: introspectionCallerCheck(options.introspectionClientId, options.introspectionSecret),
    realm: 'tessera',
    onError: (err) => log.error('token endpoint failure', errorFields(err)),
  });
  // RFC 9728: this server's own API (/userinfo) describes itself, when its audience is a URL here.
  let resourceMetadataPath: string | undefined;
  let resourceMetadataURL: string | undefined;
  let resourceDocument: Record<string, unknown> | undefined;
  try {
    const url = protectedResourceMetadataURL(options.audience);
    if (new URL(url).origin === new URL(base).origin) {
      resourceDocument = protectedResourceMetadata({
        resource: options.audience,
        authorizationServers: [service.issuer],
        scopesSupported: [...SCOPES],
        resourceName: 'Tessera reference server API (/userinfo)',
      });
      resourceMetadataURL = url;
      resourceMetadataPath = new URL(url).pathname;
    }
  } catch {
    // An audience that is not an http(s) URL: no metadata document.
  }
  const userinfo = provider.withCORS(
    createUserinfo({
      service,
      users: options.users,
      audience: options.audience,
      algorithm: options.algorithm,
      ...(resourceMetadataURL !== undefined ? { resourceMetadata: resourceMetadataURL } : {}),
      isClientRegistered: async (clientId) => (await options.clients.find(clientId)) !== undefined,
    }) as (request: Request) => Promise<Response | undefined>,
  );
  const resourceMetadata = provider.withCORS(async (request: Request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return oauthError(405, 'invalid_request', 'Use GET', { allow: 'GET, HEAD' });
    return json(200, resourceDocument, { 'cache-control': 'public, max-age=3600' });
  });
  const debuggerVerify = createDebuggerVerify({ service, audience: options.audience, algorithm: options.algorithm });
  const serveStatic = await loadStatic();

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

  // The provider's metadata, plus this server's own userinfo endpoint (RFC 8414 allows further members).
  const metadata = async (request: Request): Promise<Response> => {
    const response = (await provider.handle(request, connectionOf(request)))!;
    if (response.status !== 200 || request.method !== 'GET') return response;
    const body = (await response.json()) as Record<string, unknown>;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify({ ...body, userinfo_endpoint: `${base}/userinfo` }), {
      status: 200,
      headers,
    });
  };
  const notFound = () => json(404, { error: 'not_found', error_description: 'No such endpoint' });

  const handle = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case '/health':
        return health(request);
      case '/login':
        return options.devPasswordGrant ? login.route(request) : notFound();
      case '/userinfo':
        return (await userinfo(request))!;
      case '/debugger/verify':
        return debuggerVerify(request);
      case '/.well-known/openid-configuration':
      case '/.well-known/oauth-authorization-server':
        return metadata(request);
      case '/introspect':
        if (/^Bearer /i.test(request.headers.get('authorization') ?? ''))
          return legacyIntrospection.introspect(request);
        break;
    }
    if (resourceMetadataPath !== undefined && pathname === resourceMetadataPath)
      return (await resourceMetadata(request))!;
    return (await provider.handle(request, connectionOf(request))) ?? serveStatic(request) ?? notFound();
  };
  const logged = withAccessLog(handle, log);
  return (request, connection) => {
    if (connection?.remoteAddress !== undefined) addresses.set(request, connection.remoteAddress);
    return logged(request);
  };
}
