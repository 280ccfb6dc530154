// The reference server as one fetch-style handler (Request → Response): the library's token
// endpoints (POST /token with refresh_token and password grants, /revoke, /introspect, the JWKS and
// metadata documents), plus POST /login, GET /userinfo, GET /health, POST /debugger/verify and the
// debugger page. main.ts mounts it on node:http; tests can call it directly.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createTokenEndpoints, type TokenService } from 'tessera-jwt/server';
import { withAccessLog } from './access-log.js';
import { createDebuggerVerify } from './debugger-verify.js';
import { json, oauthError } from './http.js';
import { createLogin } from './login.js';
import { errorFields, type Logger } from './logger.js';
import { loadStatic } from './static.js';
import type { OpenedStore } from './store.js';
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
  readonly log: Logger;
}

/** Bearer-secret check for /introspect, in constant time (digests first, so lengths do not leak). */
function bearerSecretCheck(secret: string): (request: Request) => boolean {
  const expected = createHash('sha256').update(secret).digest();
  return (request) => {
    const header = request.headers.get('authorization') ?? '';
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec(header);
    const given = createHash('sha256')
      .update(match?.[1] ?? '')
      .digest();
    return timingSafeEqual(given, expected) && match !== null;
  };
}

export async function createApp(options: AppOptions): Promise<(request: Request) => Promise<Response>> {
  const { service, log } = options;
  const login = createLogin({ users: options.users, service, clientIds: options.clientIds });
  const endpoints = createTokenEndpoints(service, {
    grants: { password: (params) => login.passwordGrant(params) },
    authenticateIntrospection: bearerSecretCheck(options.introspectionSecret),
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
  return withAccessLog(handle, log);
}
