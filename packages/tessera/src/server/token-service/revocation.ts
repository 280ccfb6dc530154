// Revocation: RFC 7009 for one token (an access token is denylisted until its exp, a refresh token
// revokes its whole family), "log out everywhere" for a subject, and the revocation checks alone for
// claims verified elsewhere. Checks that cannot reach the store throw: callers fail closed.
import { StoreUnavailableError, UnauthorizedClientError } from '../../errors.js';
import { verifyJWT } from '../../jwt/verify.js';
import { storeCall } from '../store-call.js';
import { hashId, looksLikeJWT, REFRESH_TOKEN, type TokenServiceContext } from './context.js';
import type { AccessTokenClaims, TokenService } from './types.js';

export function createRevocation(ctx: TokenServiceContext): Pick<TokenService, 'revoke' | 'revokeAll' | 'isRevoked'> {
  const { store, tolerance } = ctx;
  return {
    async revoke(token, revokeOptions = {}) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 8192) return; // RFC 7009 §2.2: invalid tokens are not an error
      const t = ctx.now();
      // RFC 7009 §2.1: a token issued to another client is refused, not silently kept (§2.2.1 error).
      const checkOwner = (owner: string) => {
        if (revokeOptions.client_id !== undefined && owner !== revokeOptions.client_id)
          throw new UnauthorizedClientError('the token was issued to another client');
      };
      const asRefresh = async () => {
        if (!REFRESH_TOKEN.test(token)) return false;
        const found = await storeCall('reading a refresh token', () => store.findRefreshToken(hashId(token), t));
        if (!found) return false;
        checkOwner(found.clientId);
        await storeCall('revoking a token family', () =>
          store.revokeFamily(found.familyId, ctx.familyMarkerUntil(found, t)),
        );
        return true;
      };
      const asAccess = async () => {
        if (!looksLikeJWT(token)) return false;
        let claims: AccessTokenClaims;
        try {
          const set = await ctx.keys.verificationKeys();
          claims = verifyJWT<AccessTokenClaims>(token, set, {
            algorithms: [ctx.algorithm],
            issuer: ctx.issuer,
            audience: [/^/], // its own tokens, whatever resource they were bound to (RFC 8707)
            typ: 'at+jwt',
            clockTolerance: tolerance,
            currentDate: new Date(t * 1000),
            requiredClaims: ['exp', 'jti'],
          });
        } catch (err) {
          if (err instanceof StoreUnavailableError) throw err;
          return false; // not ours, or expired already: nothing to revoke
        }
        checkOwner(claims.client_id);
        await storeCall('denying an access token', () => store.denyToken(claims.jti, claims.exp + tolerance));
        return true;
      };
      const order = revokeOptions.token_type_hint === 'refresh_token' ? [asRefresh, asAccess] : [asAccess, asRefresh];
      for (const attempt of order) if (await attempt()) return;
    },

    async revokeAll(subject) {
      if (
        subject === null ||
        typeof subject !== 'object' ||
        typeof subject.sub !== 'string' ||
        subject.sub.length === 0
      )
        throw new TypeError('revokeAll() takes { sub }');
      const t = ctx.now();
      await storeCall('revoking a subject', () => store.revokeSubject(subject.sub, t, ctx.subjectMarkerUntil(t)));
    },

    async isRevoked(claims) {
      if (
        claims === null ||
        typeof claims !== 'object' ||
        typeof claims.jti !== 'string' ||
        typeof claims.sid !== 'string' ||
        typeof claims.sub !== 'string' ||
        typeof claims.iat !== 'number'
      ) {
        return true; // not an access token of this service: nothing vouches for it
      }
      return (await ctx.revocation(claims as Pick<AccessTokenClaims, 'jti' | 'sid' | 'sub' | 'iat'>)) !== undefined;
    },
  };
}
