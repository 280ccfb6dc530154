/**
 * Bearer-token authentication (RFC 6750) for fetch-style servers: `fetchAuth` for any
 * `(request: Request) => Response` runtime, and `withAuth` to wrap such a handler. Hono has its own
 * entry, `tessera-jwt/hono`.
 *
 * @example
 * ```ts
 * import { withAuth } from 'tessera-jwt/fetch';
 * export default {
 *   fetch: withAuth({ key: publicKey, algorithms: ['ES256'] }, (request, auth) => Response.json({ user: auth.claims.sub })),
 * };
 * ```
 * @module
 */
import type { JWTPayload } from '../types.js';
import {
  type AuthAnonymous,
  type AuthOptions,
  type AuthSuccess,
  AUTH_OPTION_NAMES,
  createAuthCore,
} from '../middleware/core.js';
import { type FetchAuthFailure, fetchAuthenticator, wrapHandler } from '../middleware/fetch-request.js';
import { nodeVerifier } from '../middleware/node-verifier.js';
import type { ClaimsGuard } from '../middleware/scopes.js';

export { requireScopes, requireClaims, type ClaimsGuard, type ClaimRequirements } from '../middleware/scopes.js';
export {
  protectedResourceMetadata,
  protectedResourceMetadataURL,
  type ProtectedResourceMetadata,
  type ProtectedResourceMetadataOptions,
} from '../middleware/resource-metadata.js';
export type { FetchAuthFailure };
export type {
  AuthOptions,
  AuthSuccess,
  AuthAnonymous,
  AuthFailure,
  AuthResponse,
  AuthErrorBody,
} from '../middleware/core.js';

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
  /** An authenticator that also requires the guards (403 when one denies). */
  require(...guards: Array<ClaimsGuard<Claims>>): (request: Request) => Promise<Granted | FetchAuthFailure>;
}

/**
 * Creates a framework-free authenticator for fetch-style servers (Node, Deno, Bun, Workers, plain
 * `Request` objects): it resolves to `{ ok: true, claims, token }` or to a refusal carrying the RFC 6750
 * §3 `Response` to return. Options are those of every Tessera middleware, validated at once.
 *
 * @example
 * ```ts
 * import { fetchAuth, requireScopes } from 'tessera-jwt';
 * const auth = fetchAuth({ key: publicKey, algorithms: ['ES256'], audience: 'https://api.example.com' });
 * const readOrders = auth.require(requireScopes('read:orders'));
 * async function handle(request: Request): Promise<Response> {
 *   const result = await readOrders(request);
 *   if (!result.ok) return result.response;
 *   return Response.json({ user: result.claims.sub });
 * }
 * ```
 */
export function fetchAuth<Claims = JWTPayload>(
  options: AuthOptions<Claims, Request> & { credentialsRequired: false },
): FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous>;
export function fetchAuth<Claims = JWTPayload>(
  options: AuthOptions<Claims, Request> & { credentialsRequired?: true },
): FetchAuthenticator<Claims>;
export function fetchAuth<Claims = JWTPayload>(
  options: AuthOptions<Claims, Request>,
): FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous>;
export function fetchAuth<Claims = JWTPayload>(
  options: AuthOptions<Claims, Request>,
): FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous> {
  return createFetchAuth(options, 'fetchAuth');
}

function createFetchAuth<Claims>(
  options: AuthOptions<Claims, Request>,
  where: string,
): FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous> {
  const core = createAuthCore<Claims, Request>(options, where, AUTH_OPTION_NAMES, nodeVerifier);
  return fetchAuthenticator(core) as FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous>;
}

/**
 * Wraps a fetch handler so it only runs for authenticated requests; refusals are answered with the
 * RFC 6750 §3 `Response`. The handler gets the `Request`, the verified `{ claims, token }`, and any
 * further arguments the runtime passes (Workers' `env` and `ctx`, Bun's `server`). The first argument is
 * the options, or an authenticator from {@link fetchAuth} (e.g. `auth.require(…)`) to share its cache.
 *
 * @example
 * ```ts
 * import { withAuth, requireScopes } from 'tessera-jwt';
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
  auth:
    | (AuthOptions<Claims, Request> & { credentialsRequired?: true })
    | ((request: Request) => Promise<AuthSuccess<Claims> | FetchAuthFailure>),
  handler: (request: Request, auth: AuthSuccess<Claims>, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response>;
export function withAuth<Claims = JWTPayload, Rest extends unknown[] = []>(
  auth:
    | AuthOptions<Claims, Request>
    | ((request: Request) => Promise<AuthSuccess<Claims> | AuthAnonymous | FetchAuthFailure>),
  handler: (request: Request, auth: AuthSuccess<Claims> | AuthAnonymous, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response>;
export function withAuth<Claims, Rest extends unknown[]>(
  auth:
    | AuthOptions<Claims, Request>
    | ((request: Request) => Promise<AuthSuccess<Claims> | AuthAnonymous | FetchAuthFailure>),
  handler: (request: Request, auth: AuthSuccess<Claims>, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response> {
  if (typeof handler !== 'function') throw new TypeError('withAuth() needs a handler function');
  const authenticate = typeof auth === 'function' ? auth : createFetchAuth<Claims>(auth, 'withAuth');
  // Anonymous results only reach handlers typed for them (the credentialsRequired: false overloads).
  return wrapHandler(authenticate, handler as (request: Request, auth: never, ...rest: Rest) => Response);
}
