// The fetch-API view of a request and the ready-made refusal Response, shared by the fetch and Hono
// adapters (both see a standard `Request`).
import { type AuthCore, type AuthFailure, checkGuards, failureText } from './core.js';
import type { RequestView } from './extract.js';
import type { ClaimsGuard } from './scopes.js';

/**
 * A refusal from `fetchAuth`, with the ready-made `Response` (status, `WWW-Authenticate`, JSON body).
 * @example
 * ```ts
 * const result = await auth(request);
 * if (!result.ok) return result.response;
 * ```
 */
export interface FetchAuthFailure extends AuthFailure {
  readonly response: Response;
}

export function fetchView(request: Request): RequestView {
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

export function respond(failure: AuthFailure): FetchAuthFailure {
  return Object.freeze({
    ...failure,
    response: new Response(failureText(failure), { status: failure.status, headers: failure.headers }),
  });
}

type Authenticate = (request: Request) => Promise<{ ok: boolean; response?: Response }>;

/**
 * Internal: `fetchAuth`'s authenticator over a core (the Node and the web `tessera-jwt/fetch` share it):
 * resolves to the core's success, or to the refusal with its ready-made Response; `require(…)` adds guards.
 */
export function fetchAuthenticator<Claims>(core: AuthCore<Claims, Request>) {
  const run = async (request: Request, guards?: ReadonlyArray<ClaimsGuard<Claims>>) => {
    const result = await core.run(request, fetchView(request), guards);
    return result.ok ? result : respond(result);
  };
  const authenticator = (request: Request) => run(request);
  authenticator.require = (...guards: Array<ClaimsGuard<Claims>>) => {
    const checked = checkGuards(guards);
    return (request: Request) => run(request, checked);
  };
  return authenticator;
}

/** Internal: `withAuth`'s wrapper: the handler runs only for an authenticated request. */
export function wrapHandler<Rest extends unknown[]>(
  authenticate: Authenticate,
  handler: (request: Request, auth: never, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response> {
  if (typeof handler !== 'function') throw new TypeError('withAuth() needs a handler function');
  return async (request, ...rest) => {
    const result = await authenticate(request);
    if (!result.ok) return (result as FetchAuthFailure).response;
    return handler(request, result as never, ...rest);
  };
}

/** Internal: the structural Hono context (see HonoContextLike in tessera-jwt/hono). */
interface HonoContext {
  req: { raw: Request };
  // biome-ignore lint/complexity/noBannedTypes: Hono's `set` is generic over the app's Env (as in HonoContextLike).
  set: Function;
}

/** Internal: `honoAuth`'s middleware over a core: the claims on `c.get('auth')`, refusals answered. */
export function honoMiddleware<Claims, C extends HonoContext>(core: AuthCore<Claims, C>) {
  const run = async (c: C, next: () => Promise<void>, guards?: ReadonlyArray<ClaimsGuard<Claims>>) => {
    const result = await core.run(c, fetchView(c.req.raw), guards);
    if (!result.ok) return respond(result).response;
    if (result.claims !== undefined) c.set('auth', result.claims);
    await next();
    return undefined;
  };
  const middleware = (c: C, next: () => Promise<void>) => run(c, next);
  middleware.require = (...guards: Array<ClaimsGuard<Claims>>) => {
    const checked = checkGuards(guards);
    return (c: C, next: () => Promise<void>) => run(c, next, checked);
  };
  return middleware;
}
