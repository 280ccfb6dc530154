/**
 * The Hono 4 middleware on web runtimes (Workers, Deno, Bun, edge functions) over the web entry's
 * `verifyJWT`: the same `honoAuth` as the Node `tessera-jwt/hono` — which resolves here under the
 * `browser`, `workerd`, `worker` and `edge-light` conditions — with the web key forms. Import it as
 * `tessera-jwt/web/hono` on Deno and Bun.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { createRemoteJWKSet } from 'tessera-jwt/web';
 * import { honoAuth, type HonoAuthEnv } from 'tessera-jwt/web/hono';
 * const auth = honoAuth({ key: createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json'), algorithms: ['RS256'] });
 * const app = new Hono<HonoAuthEnv>();
 * app.get('/me', auth, (c) => c.json({ user: c.get('auth').sub }));
 * export default app;
 * ```
 * @module
 */
import type { HonoAuthEnv, HonoAuthMiddleware, HonoContextLike } from '../adapters/hono.js';
import { honoMiddleware } from '../middleware/fetch-request.js';
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
export type { HonoAuthEnv, HonoAuthMiddleware, HonoContextLike, WebAuthOptions };

/**
 * Creates a Hono 4 middleware that requires a valid Bearer token (verified over `crypto.subtle`) and sets
 * the verified claims as `c.get('auth')`; refusals get the RFC 6750 §3 status, `WWW-Authenticate` and body.
 * @example
 * ```ts
 * const auth = honoAuth<{ sub: string }>({ key: jwks, algorithms: ['ES256'], issuer: 'https://auth.example.com' });
 * app.use('/api/*', auth);
 * ```
 */
export function honoAuth<Claims = JWTPayload>(
  options: WebAuthOptions<Claims, HonoContextLike>,
): HonoAuthMiddleware<Claims> {
  return honoMiddleware(webAuthCore<Claims, HonoContextLike>(options, 'honoAuth')) as HonoAuthMiddleware<Claims>;
}
