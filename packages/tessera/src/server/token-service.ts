// Access and refresh tokens done right: RFC 9068 access tokens signed by rotating keys, opaque refresh
// tokens stored only as hashes and rotated on every use with reuse detection (RFC 9700 §4.14.2),
// revocation that fails closed, and RFC 7662 introspection. This file only composes the parts in
// token-service/: the shared context, issuing, rotation, revocation and introspection.
import { createContext } from './token-service/context.js';
import { createIntrospect } from './token-service/introspection.js';
import { createIssue } from './token-service/issue.js';
import { createRevocation } from './token-service/revocation.js';
import { createRefresh, type RefreshWithRecord } from './token-service/rotation.js';
import type { TokenServiceContext } from './token-service/context.js';
import type { TokenService, TokenServiceOptions } from './token-service/types.js';

export type {
  AccessTokenClaims,
  IssueGrant,
  IntrospectionResponse,
  TokenResponse,
  TokenService,
  TokenServiceOptions,
} from './token-service/types.js';

/**
 * Creates a token service on a store (memory, SQLite, Redis, PostgreSQL or your own): RFC 9068 access
 * tokens (`typ: at+jwt`) signed by keys it rotates and publishes itself, and opaque 256-bit refresh
 * tokens stored only as SHA-256 hashes, rotated on every use; replaying a used one revokes the whole
 * family. Revocation checks that cannot reach the store deny (StoreUnavailableError).
 * @example
 * ```ts
 * import { createTokenService, createMemoryStore } from 'tessera-jwt/server';
 * const service = createTokenService({
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 *   store: createMemoryStore(),
 *   keys: { encryptionKey: randomBytes(32) },
 * });
 * const tokens = await service.issue({ sub: 'user-42', client_id: 'web', scope: 'read:orders' });
 * const next = await service.refresh(tokens.refresh_token, { client_id: 'web' });
 * const claims = await service.verifyAccessToken(next.access_token);
 * ```
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const ctx = createContext(options);
  const refresh = createRefresh(ctx);
  const jwksMaxAge = Math.max(0, Math.min(600, Math.floor(ctx.publishAhead / 2)));
  const service: TokenService = {
    issuer: ctx.issuer,
    audience: ctx.audience,
    jwksCacheControl: `public, max-age=${jwksMaxAge}`,
    issue: createIssue(ctx),
    refresh: (token, request) => refresh(token, request),
    ...createRevocation(ctx),
    introspect: createIntrospect(ctx),
    verifyAccessToken: (token) => ctx.verifyAccess(token, ctx.now()),
    jwks: () => ctx.keys.publicJWKS(),
    maintainKeys: () => ctx.keys.maintain(),
  };
  contexts.set(service, ctx);
  refreshes.set(service, refresh);
  return service;
}

const contexts = new WeakMap<TokenService, TokenServiceContext>();
const refreshes = new WeakMap<TokenService, RefreshWithRecord>();

/**
 * Internal: the service's refresh taking the stored record its caller has just read (see rotation.ts), or
 * undefined for a TokenService not made by createTokenService.
 */
export function tokenServiceRefresh(service: TokenService): RefreshWithRecord | undefined {
  return refreshes.get(service);
}

/**
 * Internal (not exported from a public entry point): what the provider needs beyond the public service
 * — the signing algorithm and a signer with the current key, for ID tokens. Undefined for a TokenService
 * not made by createTokenService.
 */
export function tokenServiceSigner(
  service: TokenService,
): Pick<TokenServiceContext, 'algorithm' | 'sign' | 'now' | 'absoluteTTL'> | undefined {
  return contexts.get(service);
}
