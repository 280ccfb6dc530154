/**
 * Bearer-token authentication (RFC 6750) for fetch-style servers: `fetchAuth` for any
 * `(request: Request) => Response` runtime, `withAuth` to wrap such a handler, and `honoAuth`, a Hono 4
 * middleware. Hono is typed structurally: this module imports nothing from it.
 *
 * @example
 * ```ts
 * import { withAuth } from 'tessera/fetch';
 * export default {
 *   fetch: withAuth({ key: publicKey, algorithms: ['ES256'] }, (request, auth) => Response.json({ user: auth.claims.sub })),
 * };
 * ```
 * @module
 */
import type { JWTPayload } from './types.js';
import {
  type AuthAnonymous,
  type AuthFailure,
  type AuthOptions,
  type AuthSuccess,
  checkGuards,
  createAuthCore,
  failureText,
} from './middleware/core.js';
import type { RequestView } from './middleware/extract.js';
import type { ClaimsGuard } from './middleware/scopes.js';

export { requireScopes, requireClaims, type ClaimsGuard, type ClaimRequirements } from './middleware/scopes.js';
export type { AuthOptions, AuthSuccess, AuthAnonymous, AuthFailure, AuthResponse, AuthErrorBody } from './middleware/core.js';

/**
 * A refusal from {@link fetchAuth}, with the ready-made `Response` (status, `WWW-Authenticate`, JSON body).
 * @example
 * ```ts
 * const result = await auth(request);
 * if (!result.ok) return result.response;
 * ```
 */
export interface FetchAuthFailure extends AuthFailure {
  readonly response: Response;
}

/**
 * What {@link fetchAuth} returns: call it with a `Request`; `require(…)` gives one that also checks guards.
 * `Granted` is `AuthSuccess<Claims>`, or also `AuthAnonymous` with `credentialsRequired: false`.
 * @example
 * ```ts
 * const auth: FetchAuthenticator<{ sub: string }> = fetchAuth({ key, algorithms: ['ES256'] });
 * const admin = auth.require(requireClaims({ roles: 'admin' }));
 * ```
 */
export interface FetchAuthenticator<Claims = JWTPayload, Granted = AuthSuccess<Claims>> {
  (request: Request): Promise<Granted | FetchAuthFailure>;
  require(...guards: Array<ClaimsGuard<Claims>>): (request: Request) => Promise<Granted | FetchAuthFailure>;
}

function fetchView(request: Request): RequestView {
  // Headers folds repeated fields into one value joined by ", ", which the Bearer syntax rejects:
  // two Authorization headers still answer 400 invalid_request.
  return {
    header(name) {
      const value = request.headers.get(name);
      return value === null ? [] : [value];
    },
    url: () => request.url,
  };
}

function respond(failure: AuthFailure): FetchAuthFailure {
  return Object.freeze({ ...failure, response: new Response(failureText(failure), { status: failure.status, headers: failure.headers }) });
}

/**
 * Creates a framework-free authenticator for fetch-style servers (Node, Deno, Bun, Workers, plain
 * `Request` objects): it resolves to `{ ok: true, claims, token }` or to a refusal carrying the RFC 6750
 * §3 `Response` to return. Options are those of every Tessera middleware, validated at once.
 *
 * @example
 * ```ts
 * import { fetchAuth, requireScopes } from 'tessera';
 * const auth = fetchAuth({ key: publicKey, algorithms: ['ES256'], audience: 'https://api.example.com' });
 * const readOrders = auth.require(requireScopes('read:orders'));
 * async function handle(request: Request): Promise<Response> {
 *   const result = await readOrders(request);
 *   if (!result.ok) return result.response;
 *   return Response.json({ user: result.claims.sub });
 * }
 * ```
 */
export function fetchAuth<Claims = JWTPayload>(options: AuthOptions<Claims, Request> & { credentialsRequired: false }): FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous>;
export function fetchAuth<Claims = JWTPayload>(options: AuthOptions<Claims, Request> & { credentialsRequired?: true }): FetchAuthenticator<Claims>;
export function fetchAuth<Claims = JWTPayload>(options: AuthOptions<Claims, Request>): FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous>;
export function fetchAuth<Claims = JWTPayload>(options: AuthOptions<Claims, Request>): FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous> {
  const core = createAuthCore<Claims, Request>(options);
  const run = async (request: Request, guards?: ReadonlyArray<ClaimsGuard<Claims>>) => {
    const result = await core.run(request, fetchView(request), guards);
    return result.ok ? result : respond(result);
  };
  const authenticator = ((request: Request) => run(request)) as FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous>;
  authenticator.require = (...guards) => {
    const checked = checkGuards(guards);
    return (request) => run(request, checked);
  };
  return authenticator;
}

/**
 * Wraps a fetch handler so it only runs for authenticated requests; refusals are answered with the
 * RFC 6750 §3 `Response`. The handler gets the `Request`, the verified `{ claims, token }`, and any
 * further arguments the runtime passes (Workers' `env` and `ctx`, Bun's `server`). The first argument is
 * the options, or an authenticator from {@link fetchAuth} (e.g. `auth.require(…)`) to share its cache.
 *
 * @example
 * ```ts
 * import { withAuth, requireScopes } from 'tessera';
 * const handler = withAuth(
 *   { key: process.env.JWT_SECRET!, algorithms: ['HS256'], guards: [requireScopes('read:orders')] },
 *   (request, auth) => Response.json({ orders: [], user: auth.claims.sub }),
 * );
 * // Node: serve it with any fetch adapter; Bun: Bun.serve({ fetch: handler }); Workers: export default { fetch: handler }
 * ```
 */
export function withAuth<Claims = JWTPayload, Rest extends unknown[] = []>(
  auth: AuthOptions<Claims, Request> & { credentialsRequired: false },
  handler: (request: Request, auth: AuthSuccess<Claims> | AuthAnonymous, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response>;
export function withAuth<Claims = JWTPayload, Rest extends unknown[] = []>(
  auth: (AuthOptions<Claims, Request> & { credentialsRequired?: true }) | ((request: Request) => Promise<AuthSuccess<Claims> | FetchAuthFailure>),
  handler: (request: Request, auth: AuthSuccess<Claims>, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response>;
export function withAuth<Claims = JWTPayload, Rest extends unknown[] = []>(
  auth: AuthOptions<Claims, Request> | ((request: Request) => Promise<AuthSuccess<Claims> | AuthAnonymous | FetchAuthFailure>),
  handler: (request: Request, auth: AuthSuccess<Claims> | AuthAnonymous, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response>;
export function withAuth<Claims, Rest extends unknown[]>(
  auth: AuthOptions<Claims, Request> | ((request: Request) => Promise<AuthSuccess<Claims> | AuthAnonymous | FetchAuthFailure>),
  handler: (request: Request, auth: AuthSuccess<Claims>, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response> {
  if (typeof handler !== 'function') throw new TypeError('withAuth() needs a handler function');
  const authenticate = typeof auth === 'function' ? auth : fetchAuth<Claims>(auth);
  return async (request, ...rest) => {
    const result = await authenticate(request);
    if (!result.ok) return result.response;
    // Anonymous results only reach handlers typed for them (the credentialsRequired: false overloads).
    return handler(request, result as AuthSuccess<Claims>, ...rest);
  };
}

/**
 * The parts of a Hono `Context` the middleware uses. Hono's `Context` satisfies it.
 * @example
 * ```ts
 * const user = (c: HonoContextLike) => c.get('auth');
 * ```
 */
export interface HonoContextLike {
  req: { raw: Request };
  // Function-typed: Hono's `set`/`get` are generic over the app's Env, which a structural type cannot name.
  set: Function;
  get: Function;
}

/**
 * The Hono environment that types `c.get('auth')`: `new Hono<HonoAuthEnv<Claims>>()`.
 * @example
 * ```ts
 * const app = new Hono<HonoAuthEnv<{ sub: string; scope: string }>>();
 * app.get('/me', auth, (c) => c.json({ user: c.get('auth').sub }));
 * ```
 */
export interface HonoAuthEnv<Claims = JWTPayload> {
  Variables: { auth: Claims };
}

/**
 * A Hono middleware from {@link honoAuth}; `require(…)` gives one that also checks guards.
 * @example
 * ```ts
 * const auth: HonoAuthMiddleware = honoAuth({ key, algorithms: ['ES256'] });
 * app.use('/api/*', auth);
 * ```
 */
export interface HonoAuthMiddleware<Claims = JWTPayload> {
  (c: HonoContextLike, next: () => Promise<void>): Promise<Response | void>;
  require(...guards: Array<ClaimsGuard<Claims>>): (c: HonoContextLike, next: () => Promise<void>) => Promise<Response | void>;
}

/**
 * Creates a Hono 4 middleware that requires a valid Bearer token and sets the verified claims as
 * `c.get('auth')` (type it with {@link HonoAuthEnv}). Refusals are answered with the RFC 6750 §3
 * status, `WWW-Authenticate` and a JSON body; the next handler never runs for them.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { honoAuth, requireScopes, type HonoAuthEnv } from 'tessera';
 * type Claims = { sub: string; scope: string };
 * const auth = honoAuth<Claims>({ key: publicKey, algorithms: ['ES256'], issuer: 'https://auth.example.com' });
 * const app = new Hono<HonoAuthEnv<Claims>>();
 * app.use('/api/*', auth);
 * app.get('/api/orders', auth.require(requireScopes('read:orders')), (c) => c.json({ user: c.get('auth').sub }));
 * export default app;
 * ```
 */
export function honoAuth<Claims = JWTPayload>(options: AuthOptions<Claims, HonoContextLike>): HonoAuthMiddleware<Claims> {
  const core = createAuthCore<Claims, HonoContextLike>(options);
  const run = async (c: HonoContextLike, next: () => Promise<void>, guards?: ReadonlyArray<ClaimsGuard<Claims>>): Promise<Response | void> => {
    const result = await core.run(c, fetchView(c.req.raw), guards);
    if (!result.ok) return respond(result).response;
    if (result.claims !== undefined) c.set('auth', result.claims);
    await next();
  };
  const middleware = ((c: HonoContextLike, next: () => Promise<void>) => run(c, next)) as HonoAuthMiddleware<Claims>;
  middleware.require = (...guards) => {
    const checked = checkGuards(guards);
    return (c, next) => run(c, next, checked);
  };
  return middleware;
}
