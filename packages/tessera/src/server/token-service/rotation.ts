// Refresh-token rotation (RFC 9700 §4.14.2): every use consumes the token and issues its successor;
// a used token presented again is a replay and revokes the whole family, except the immediately
// previous token within the grace period, which gets the same (derived) successor again.
import { InvalidGrantError, InvalidScopeError, RefreshTokenReusedError } from '../../errors.js';
import type { StoredRefreshToken } from '../store.js';
import { storeCall } from '../store-call.js';
import { audienceList, grantAudience, hashId, REFRESH_TOKEN, scopeList, type TokenServiceContext } from './context.js';
import type { TokenService } from './types.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `refresh(token, request, found?)`: the service's refresh, where `found` is the token's stored record that
 * the caller has just read (the provider reads it for the family): the first store read is not repeated.
 * The record is only a starting point; consuming it, which decides, is atomic in the store.
 */
export type RefreshWithRecord = (
  ...args: [...Parameters<TokenService['refresh']>, found?: StoredRefreshToken]
) => ReturnType<TokenService['refresh']>;

export function createRefresh(ctx: TokenServiceContext): RefreshWithRecord {
  const { store, grace } = ctx;
  return async (refreshToken, request, preloaded) => {
    if (request === null || typeof request !== 'object' || typeof request.client_id !== 'string')
      throw new TypeError('refresh() takes (refreshToken, { client_id, scope?, audience? })');
    if (typeof refreshToken !== 'string' || !REFRESH_TOKEN.test(refreshToken))
      throw new InvalidGrantError('the refresh token is invalid, expired or revoked');
    const t = ctx.now();
    const id = hashId(refreshToken);
    const found =
      preloaded !== undefined && preloaded.id === id
        ? preloaded
        : await storeCall('reading a refresh token', () => store.findRefreshToken(id, t));
    if (!found) throw new InvalidGrantError('the refresh token is invalid, expired or revoked');
    const killFamily = (token: StoredRefreshToken) =>
      storeCall('revoking a token family', () => store.revokeFamily(token.familyId, ctx.familyMarkerUntil(token, t)));
    // A family revoked, or created while a "log out everywhere" was running (stores that cannot
    // revoke a subject atomically), is refused here even if one of its tokens escaped the deletion.
    if (await ctx.revokedGrant(found)) {
      await killFamily(found);
      throw new InvalidGrantError('the refresh token is invalid, expired or revoked');
    }
    const granted = new Set(found.scope.split(' ').filter(Boolean));
    const requested = request.scope === undefined ? [...granted] : scopeList(request.scope, 'scope');
    // RFC 8707 §2.2: a refresh may narrow the audience to some of the grant's resources, never widen it.
    const grantAud = grantAudience(found.claims) ?? (typeof ctx.audience === 'string' ? [ctx.audience] : ctx.audience);
    const audience = request.audience === undefined ? undefined : audienceList(request.audience, 'audience');
    const checkRequest = () => {
      if (found.clientId !== request.client_id)
        throw new InvalidGrantError('the refresh token was issued to another client');
      if (requested.some((s) => !granted.has(s)))
        throw new InvalidScopeError('the requested scope is wider than the grant');
      if (audience?.some((a) => !grantAud.includes(a)))
        throw new InvalidGrantError('the requested audience is not part of the grant');
    };
    // An unused token: client and scope are checked before it is consumed, so a mistaken request does
    // not burn it. A used one goes straight to reuse detection, whatever the request says.
    if (found.consumedAt === undefined) checkRequest();
    const result = await storeCall('consuming a refresh token', () => store.consumeRefreshToken(id, t));
    if (result.status === 'missing') throw new InvalidGrantError('the refresh token is invalid, expired or revoked');
    const token = result.token;
    const successor = ctx.successorOf(refreshToken);
    if (result.status === 'reused') {
      // Within the grace period, the immediately previous token (its successor still unused) gets
      // the same successor again — a client that lost the response can retry. Anything else is a
      // replay: the whole family dies (RFC 9700 §4.14.2).
      if (
        grace > 0 &&
        token.consumedAt !== undefined &&
        t - token.consumedAt <= grace &&
        token.clientId === request.client_id &&
        !requested.some((s) => !granted.has(s)) &&
        !audience?.some((a) => !grantAud.includes(a))
      ) {
        let next = await storeCall('reading a refresh token', () => store.findRefreshToken(hashId(successor), t));
        // Two requests at once (a duplicated or retried request racing the first): the first exchange
        // may not have stored the successor yet. Wait for it briefly, so both get the same answer.
        for (
          let waited = 0, step = 10;
          !next && waited < Math.min(2000, grace * 1000);
          waited += step, step = Math.min(step * 2, 200)
        ) {
          await sleep(step);
          next = await storeCall('reading a refresh token', () => store.findRefreshToken(hashId(successor), ctx.now()));
        }
        if (next && next.consumedAt === undefined) {
          const access = await ctx.accessToken(
            {
              sub: token.sub,
              clientId: token.clientId,
              scope: requested.join(' '),
              familyId: token.familyId,
              claims: token.claims,
              ...(audience ? { audience } : {}),
            },
            t,
          );
          return ctx.response(access, successor, requested.join(' '));
        }
        // Still not stored (a slow store): retry, do not kill.
        if (!next && !(await ctx.revokedGrant(token)))
          throw new InvalidGrantError('the refresh token is being exchanged by a concurrent request; retry');
      }
      await killFamily(token);
      throw new RefreshTokenReusedError('the refresh token was already used: the whole grant has been revoked');
    }
    const record: StoredRefreshToken = {
      id: hashId(successor),
      familyId: token.familyId,
      sub: token.sub,
      clientId: token.clientId,
      scope: token.scope, // the grant keeps its scope; only this access token is narrowed
      issuedAt: t,
      expiresAt: Math.min(t + ctx.refreshTTL, token.familyExpiresAt),
      familyExpiresAt: token.familyExpiresAt,
      ...(token.claims ? { claims: token.claims } : {}),
    };
    await storeCall('storing a refresh token', () => store.insertRefreshToken(record));
    // A revocation (or a replay) that ran between the consume and the insert deleted the family's
    // tokens but not this new one: look again, and delete it. The response still goes out, as it would
    // have a moment earlier — its tokens are dead either way (the family marker denies the access token).
    if (await ctx.revokedGrant(record)) await killFamily(record);
    const access = await ctx.accessToken(
      {
        sub: token.sub,
        clientId: token.clientId,
        scope: requested.join(' '),
        familyId: token.familyId,
        claims: token.claims,
        ...(audience ? { audience } : {}),
      },
      t,
    );
    return ctx.response(access, successor, requested.join(' '));
  };
}
