// RFC 7662 introspection of an access token (signature, claims, revocation) or a refresh token (stored,
// unused, its grant not revoked). Anything not active is `{ active: false }` and nothing else (§2.2).
import { StoreUnavailableError } from '../../errors.js';
import { storeCall } from '../store-call.js';
import { grantAudience, hashId, looksLikeJWT, REFRESH_TOKEN, type TokenServiceContext } from './context.js';
import type { IntrospectionResponse, TokenService } from './types.js';

export function createIntrospect(ctx: TokenServiceContext): TokenService['introspect'] {
  const { store } = ctx;
  return async (token, introspectOptions = {}) => {
    if (typeof token !== 'string' || token.length === 0 || token.length > 8192) return { active: false };
    const t = ctx.now();
    const asAccess = async (): Promise<IntrospectionResponse | undefined> => {
      if (!looksLikeJWT(token)) return undefined;
      try {
        const c = await ctx.verifyAccess(token, t, true);
        // Verification allows clock skew past exp; introspection is the server's own clock, and from
        // exp on the token is no longer active (RFC 7662 §2.2).
        if (t >= c.exp) return undefined;
        return {
          active: true,
          token_type: 'Bearer',
          scope: c.scope,
          client_id: c.client_id,
          sub: c.sub,
          exp: c.exp,
          iat: c.iat,
          iss: c.iss,
          aud: c.aud,
          jti: c.jti,
        };
      } catch (err) {
        if (err instanceof StoreUnavailableError) throw err;
        return undefined;
      }
    };
    const asRefresh = async (): Promise<IntrospectionResponse | undefined> => {
      if (!REFRESH_TOKEN.test(token)) return undefined;
      const found = await storeCall('reading a refresh token', () => store.findRefreshToken(hashId(token), t));
      if (!found || found.consumedAt !== undefined || (await ctx.revokedGrant(found))) return undefined;
      return {
        active: true,
        token_type: 'refresh_token',
        ...(found.scope ? { scope: found.scope } : {}),
        client_id: found.clientId,
        sub: found.sub,
        exp: Math.floor(found.expiresAt),
        iat: Math.floor(found.issuedAt),
        iss: ctx.issuer,
        ...(grantAudience(found.claims) ? { aud: grantAudience(found.claims)! } : {}),
      };
    };
    const order = introspectOptions.token_type_hint === 'refresh_token' ? [asRefresh, asAccess] : [asAccess, asRefresh];
    for (const attempt of order) {
      const result = await attempt();
      if (result) return result;
    }
    return { active: false };
  };
}
