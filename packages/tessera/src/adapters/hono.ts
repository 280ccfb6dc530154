/**
 * A Hono 4 middleware: Bearer tokens (RFC 6750) verified with a key, a `JWKSet` or a remote JWKS, the
 * claims on `c.get('auth')`, and every refusal answered with the RFC 6750 §3 status, `WWW-Authenticate`
 * and a JSON body. Hono is typed structurally: this module imports nothing from it.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { honoAuth, requireScopes, type HonoAuthEnv } from 'tessera-jwt/hono';
 * const auth = honoAuth({ key: publicKey, algorithms: ['ES256'] });
 * const app = new Hono<HonoAuthEnv>();
 * app.get('/orders', auth.require(requireScopes('read:orders')), (c) => c.json({ user: c.get('auth').sub }));
 * ```
 * @module
 */
import type { JWTPayload } from '../types.js';
import { AUTH_OPTION_NAMES, type AuthOptions, createAuthCore } from '../middleware/core.js';
import { nodeVerifier } from '../middleware/node-verifier.js';
import { honoMiddleware } from '../middleware/fetch-request.js';
import type { ClaimsGuard } from '../middleware/scopes.js';

export { requireScopes, requireClaims, type ClaimsGuard, type ClaimRequirements } from '../middleware/scopes.js';
export {
  protectedResourceMetadata,
  protectedResourceMetadataURL,
  type ProtectedResourceMetadata,
  type ProtectedResourceMetadataOptions,
} from '../middleware/resource-metadata.js';
export type {
  AuthOptions,
  AuthSuccess,
  AuthAnonymous,
  AuthFailure,
  AuthResponse,
  AuthErrorBody,
} from '../middleware/core.js';

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
  /** A middleware that also requires the guards (403 when one denies). */
  require(
    ...guards: Array<ClaimsGuard<Claims>>
  ): (c: HonoContextLike, next: () => Promise<void>) => Promise<Response | void>;
}

/**
 * Creates a Hono 4 middleware that requires a valid Bearer token and sets the verified claims as
 * `c.get('auth')` (type it with {@link HonoAuthEnv}). Refusals are answered with the RFC 6750 §3
 * status, `WWW-Authenticate` and a JSON body; the next handler never runs for them.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { honoAuth, requireScopes, type HonoAuthEnv } from 'tessera-jwt/hono';
 * type Claims = { sub: string; scope: string };
 * const auth = honoAuth<Claims>({ key: publicKey, algorithms: ['ES256'], issuer: 'https://auth.example.com' });
 * const app = new Hono<HonoAuthEnv<Claims>>();
 * app.use('/api/*', auth);
 * app.get('/api/orders', auth.require(requireScopes('read:orders')), (c) => c.json({ user: c.get('auth').sub }));
 * export default app;
 * ```
 */
export function honoAuth<Claims = JWTPayload>(
  options: AuthOptions<Claims, HonoContextLike>,
): HonoAuthMiddleware<Claims> {
  const core = createAuthCore<Claims, HonoContextLike>(options, 'honoAuth', AUTH_OPTION_NAMES, nodeVerifier);
  return honoMiddleware(core) as HonoAuthMiddleware<Claims>;
}
