// Issuing: the first access/refresh token pair of a login, after the application authenticated the
// user its own way. The grant (refresh token family) starts here, with its absolute lifetime.
import type { StoredRefreshToken } from '../store.js';
import { storeCall } from '../store-call.js';
import { audienceList, hashId, randomId, scopeList, type TokenServiceContext } from './context.js';
import type { TokenService } from './types.js';

const RESERVED_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'client_id',
  'scope',
  'sid',
  'cnf',
  'act',
]);

export function createIssue(ctx: TokenServiceContext): TokenService['issue'] {
  const issue = async (grant: Parameters<TokenService['issue']>[0]) => {
    if (grant === null || typeof grant !== 'object')
      throw new TypeError('issue() takes { sub, client_id, scope?, claims?, audience?, refreshToken? }');
    const { sub, client_id: clientId } = grant;
    if (typeof sub !== 'string' || sub.length === 0) throw new TypeError('"sub" must be a non-empty string');
    if (typeof clientId !== 'string' || clientId.length === 0)
      throw new TypeError('"client_id" must be a non-empty string');
    const scope = scopeList(grant.scope, 'scope').join(' ');
    const claims = grant.claims ?? {};
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims))
      throw new TypeError('"claims" must be an object');
    for (const name of Object.keys(claims))
      if (RESERVED_CLAIMS.has(name)) throw new TypeError(`"claims.${name}" is set by the token service`);
    const audience = grant.audience === undefined ? undefined : audienceList(grant.audience, 'audience');
    // The grant's resources (kept by the refresh token) may be wider than this first access token's.
    const grantAud = grant.grantAudience === undefined ? audience : audienceList(grant.grantAudience, 'grantAudience');
    if (audience && grantAud && audience.some((a) => !grantAud.includes(a)))
      throw new TypeError('"audience" must be some of "grantAudience"');
    const firstAud = audience ?? grantAud;
    if (grant.refreshToken !== undefined && typeof grant.refreshToken !== 'boolean')
      throw new TypeError('"refreshToken" must be a boolean');
    const t = ctx.now();
    const familyId = randomId(16);
    // Without a refresh token the grant is still a family: its access tokens carry `sid` and revoking
    // the family (a replayed code, a logout) denies them.
    if (grant.refreshToken === false) {
      const access = await ctx.accessToken(
        { sub, clientId, scope, familyId, claims, ...(firstAud ? { audience: firstAud } : {}) },
        t,
      );
      const { refresh_token: _none, ...response } = ctx.response(access, '', scope);
      return response;
    }
    const refresh = randomId(32);
    const record: StoredRefreshToken = {
      id: hashId(refresh),
      familyId,
      sub,
      clientId,
      scope,
      issuedAt: t,
      expiresAt: t + Math.min(ctx.refreshTTL, ctx.absoluteTTL),
      familyExpiresAt: t + ctx.absoluteTTL,
      // The grant's audience rides in the stored claims (see grantAudience), so refreshes keep it.
      ...(Object.keys(claims).length > 0 || grantAud
        ? { claims: { ...claims, ...(grantAud ? { aud: grantAud } : {}) } }
        : {}),
    };
    const access = await ctx.accessToken(
      { sub, clientId, scope, familyId, claims, ...(firstAud ? { audience: firstAud } : {}) },
      t,
    );
    await storeCall('storing a refresh token', () => ctx.store.insertRefreshToken(record));
    return ctx.response(access, refresh, scope);
  };
  return issue as TokenService['issue'];
}
