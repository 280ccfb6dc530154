/**
 * Bearer-token authentication (RFC 6750) for fetch-style servers on web runtimes — Cloudflare Workers,
 * Deno (`Deno.serve`), Bun (`Bun.serve`), edge functions — over the web entry's `verifyJWT`
 * (`crypto.subtle`): the same `fetchAuth` and `withAuth`, answers, challenges and option checks as the
 * Node `tessera-jwt/fetch`, which resolves here under the `browser`, `workerd`, `worker` and `edge-light`
 * conditions. Import it as `tessera-jwt/web/fetch` on Deno and Bun, beside `tessera-jwt/web`.
 *
 * @example
 * ```ts
 * import { createRemoteJWKSet } from 'tessera-jwt/web';
 * import { withAuth } from 'tessera-jwt/web/fetch';
 * const jwks = createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json');
 * Deno.serve(withAuth({ key: jwks, algorithms: ['RS256'] }, (request, auth) => Response.json({ user: auth.claims.sub })));
 * ```
 * @module
 */
import type { FetchAuthenticator } from '../adapters/fetch.js';
import type { AuthAnonymous, AuthSuccess } from '../middleware/core.js';
import { type FetchAuthFailure, fetchAuthenticator, wrapHandler } from '../middleware/fetch-request.js';
import type { JWTPayload } from '../types.js';
import { type WebAuthOptions, webAuthCore } from './middleware.js';

export { requireClaims, requireScopes, type ClaimRequirements, type ClaimsGuard } from '../middleware/scopes.js';
export type {
  AuthAnonymous,
  AuthErrorBody,
  AuthFailure,
  AuthResponse,
  AuthSuccess,
} from '../middleware/core.js';
export type { FetchAuthenticator, FetchAuthFailure, WebAuthOptions };

/**
 * Creates a framework-free authenticator for fetch-style servers over the web entry: it resolves to
 * `{ ok: true, claims, token }` or to a refusal carrying the RFC 6750 §3 `Response` to return.
 * @example
 * ```ts
 * import { fetchAuth, requireScopes } from 'tessera-jwt/web/fetch';
 * const auth = fetchAuth({ key: jwks, algorithms: ['ES256'], audience: 'https://api.example.com' });
 * const result = await auth.require(requireScopes('read:orders'))(request);
 * if (!result.ok) return result.response;
 * ```
 */
export function fetchAuth<Claims = JWTPayload>(
  options: WebAuthOptions<Claims, Request> & { credentialsRequired: false },
): FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous>;
export function fetchAuth<Claims = JWTPayload>(
  options: WebAuthOptions<Claims, Request> & { credentialsRequired?: true },
): FetchAuthenticator<Claims>;
export function fetchAuth<Claims = JWTPayload>(
  options: WebAuthOptions<Claims, Request>,
): FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous>;
export function fetchAuth<Claims = JWTPayload>(
  options: WebAuthOptions<Claims, Request>,
): FetchAuthenticator<Claims, AuthSuccess<Claims> | AuthAnonymous> {
  return fetchAuthenticator(webAuthCore<Claims, Request>(options, 'fetchAuth')) as FetchAuthenticator<
    Claims,
    AuthSuccess<Claims> | AuthAnonymous
  >;
}

/**
 * Wraps a fetch handler so it only runs for authenticated requests; refusals are answered with the
 * RFC 6750 §3 `Response`. Further arguments (Workers' `env` and `ctx`, Bun's `server`) are passed on.
 * @example
 * ```ts
 * import { withAuth } from 'tessera-jwt/web/fetch';
 * export default { fetch: withAuth({ key: jwks, algorithms: ['ES256'] }, (request, auth) => Response.json(auth.claims)) };
 * ```
 */
export function withAuth<Claims = JWTPayload, Rest extends unknown[] = []>(
  auth: WebAuthOptions<Claims, Request> & { credentialsRequired: false },
  handler: (request: Request, auth: AuthSuccess<Claims> | AuthAnonymous, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response>;
export function withAuth<Claims = JWTPayload, Rest extends unknown[] = []>(
  auth:
    | (WebAuthOptions<Claims, Request> & { credentialsRequired?: true })
    | ((request: Request) => Promise<AuthSuccess<Claims> | FetchAuthFailure>),
  handler: (request: Request, auth: AuthSuccess<Claims>, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response>;
export function withAuth<Claims = JWTPayload, Rest extends unknown[] = []>(
  auth:
    | WebAuthOptions<Claims, Request>
    | ((request: Request) => Promise<AuthSuccess<Claims> | AuthAnonymous | FetchAuthFailure>),
  handler: (request: Request, auth: AuthSuccess<Claims> | AuthAnonymous, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response>;
export function withAuth<Claims, Rest extends unknown[]>(
  auth:
    | WebAuthOptions<Claims, Request>
    | ((request: Request) => Promise<AuthSuccess<Claims> | AuthAnonymous | FetchAuthFailure>),
  handler: (request: Request, auth: AuthSuccess<Claims>, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response> {
  if (typeof handler !== 'function') throw new TypeError('withAuth() needs a handler function');
  const authenticate =
    typeof auth === 'function' ? auth : fetchAuthenticator(webAuthCore<Claims, Request>(auth, 'withAuth'));
  return wrapHandler(authenticate, handler as (request: Request, auth: never, ...rest: Rest) => Response);
}
