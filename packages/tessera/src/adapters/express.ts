/**
 * Express 5 middleware: Bearer tokens (RFC 6750) verified with a key, a `JWKSet` or a remote JWKS, the
 * claims on `req.auth`, and every refusal answered here with the RFC 6750 §3 status, `WWW-Authenticate`
 * and a JSON body. Express is typed structurally: this module imports nothing from it.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createRemoteJWKSet } from 'tessera-jwt';
 * import { expressAuth, requireScopes } from 'tessera-jwt/express';
 * const auth = expressAuth({ key: createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json'), algorithms: ['RS256'], audience: 'https://api.example.com' });
 * const app = express();
 * app.get('/orders', auth.require(requireScopes('read:orders')), (req, res) => { res.json({ for: auth.claims(req)?.sub }); });
 * ```
 * @module
 */
import type { JWTPayload } from '../types.js';
import {
  AUTH_OPTION_NAMES,
  type AuthOptions,
  type Outcome,
  checkGuards,
  createAuthCore,
  failureText,
  isThenable,
} from '../middleware/core.js';
import { nodeVerifier } from '../middleware/node-verifier.js';
import { nodeRequestView } from '../middleware/node-request.js';
import type { ClaimsGuard } from '../middleware/scopes.js';

export { requireScopes, requireClaims, type ClaimsGuard, type ClaimRequirements } from '../middleware/scopes.js';
export {
  protectedResourceMetadata,
  protectedResourceMetadataURL,
  type ProtectedResourceMetadata,
  type ProtectedResourceMetadataOptions,
} from '../middleware/resource-metadata.js';
export type { AuthOptions, AuthFailure, AuthResponse, AuthErrorBody } from '../middleware/core.js';

/**
 * The parts of an Express (or plain Node) request the middleware reads and writes. An Express
 * `Request` satisfies it.
 * @example
 * ```ts
 * const req: ExpressRequestLike = { headers: { authorization: `Bearer ${token}` }, url: '/orders' };
 * ```
 */
export interface ExpressRequestLike {
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  url?: string;
  originalUrl?: string;
  /** The verified claims, set by {@link expressAuth}. */
  auth?: unknown;
}

/**
 * The parts of an Express (or plain Node `ServerResponse`) response the middleware uses to answer.
 * @example
 * ```ts
 * const send = (res: ExpressResponseLike) => { res.statusCode = 401; res.end('{}'); };
 * ```
 */
export interface ExpressResponseLike {
  statusCode: number;
  /** Sets a response header. */
  setHeader(name: string, value: string): unknown;
  /** Sends the body and ends the response. */
  end(chunk: string): unknown;
}

/**
 * An Express middleware from {@link expressAuth}: authenticates, sets `req.auth`, calls `next()`; or
 * answers the refusal itself (it never passes an error to `next`).
 * @example
 * ```ts
 * const auth: ExpressAuthMiddleware<{ sub: string; scope: string }> = expressAuth({ key, algorithms: ['ES256'] });
 * app.use(auth);
 * app.get('/admin', auth.require(requireClaims({ roles: 'admin' })), handler);
 * ```
 */
export interface ExpressAuthMiddleware<Claims = JWTPayload, Req extends ExpressRequestLike = ExpressRequestLike> {
  /** Calls `next()` in the same tick when verification is synchronous, else returns the promise of its work. */
  (req: Req, res: ExpressResponseLike, next: (err?: unknown) => void): Promise<void> | undefined;
  /** A middleware that also requires the guards; it reuses the result when this middleware already ran for the request. */
  require(
    ...guards: Array<ClaimsGuard<Claims>>
  ): (req: Req, res: ExpressResponseLike, next: (err?: unknown) => void) => Promise<void> | undefined;
  /** The verified claims of `req` (typed), or `undefined` when it was not authenticated by this middleware. */
  claims(req: Req): Claims | undefined;
}

/**
 * Creates Express 5 middleware that requires a valid Bearer token: `req.auth` holds the verified claims
 * (`auth.claims(req)` reads them typed). Refusals follow RFC 6750 §3: 401 with `error="invalid_token"`
 * for a bad, expired or revoked token, 401 without `error` when none was sent, 400 `invalid_request` for
 * malformed credentials, 403 `insufficient_scope` from guards; 503 when a remote JWKS or the revocation
 * hook is unavailable. Options are validated at once (`TypeError`), like `createVerifier`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { expressAuth, requireScopes } from 'tessera-jwt';
 * const auth = expressAuth<{ sub: string; scope: string }>({ key: process.env.JWT_SECRET!, algorithms: ['HS256'], issuer: 'https://auth.example.com' });
 * const app = express();
 * app.use('/api', auth);
 * app.get('/api/orders', auth.require(requireScopes('read:orders')), (req, res) => {
 *   res.json({ user: auth.claims(req)!.sub });
 * });
 * app.listen(3000);
 * ```
 */
export function expressAuth<Claims = JWTPayload, Req extends ExpressRequestLike = ExpressRequestLike>(
  options: AuthOptions<Claims, Req>,
): ExpressAuthMiddleware<Claims, Req> {
  const core = createAuthCore<Claims, Req>(options, 'expressAuth', AUTH_OPTION_NAMES, nodeVerifier);
  const answer = (req: Req, res: ExpressResponseLike, next: (err?: unknown) => void, result: Outcome<Claims>) => {
    if (result.ok) {
      if (result.claims !== undefined) req.auth = result.claims;
      next();
      return;
    }
    res.statusCode = result.status;
    for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
    res.end(failureText(result));
  };
  // Synchronous when the verification was (a cached or HMAC token): `next()` runs in the same tick.
  const handle = (
    req: Req,
    res: ExpressResponseLike,
    next: (err?: unknown) => void,
    guards?: ReadonlyArray<ClaimsGuard<Claims>>,
  ): Promise<void> | undefined => {
    const view = nodeRequestView(req, () => req.originalUrl ?? req.url);
    const result = core.run(req, view, guards);
    if (isThenable(result)) return result.then((outcome) => answer(req, res, next, outcome));
    answer(req, res, next, result);
    return undefined;
  };
  const middleware = ((req: Req, res: ExpressResponseLike, next: (err?: unknown) => void) =>
    handle(req, res, next)) as ExpressAuthMiddleware<Claims, Req>;
  middleware.require = (...guards) => {
    const checked = checkGuards(guards);
    return (req, res, next) => handle(req, res, next, checked);
  };
  middleware.claims = (req) => {
    const recorded = core.recorded(req);
    return recorded?.claims;
  };
  return middleware;
}
