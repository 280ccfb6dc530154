// The authorization_code grant (RFC 6749 §4.1.3, RFC 7636, OAuth 2.1 §4.1.3): the code is single-use,
// lives 60 seconds, and is bound to the client, the redirect_uri and the PKCE verifier (S256). A replayed
// code revokes the token family issued from it and every record of its grant (RFC 6749 §4.1.2).
import { createHash, timingSafeEqual } from 'node:crypto';
import { decodeJWT } from '../jwt/decode.js';
import type { GrantRefusal } from '../server/endpoints.js';
import type { RecordStore } from '../server/record-store.js';
import type { TokenStore } from '../server/store.js';
import type { TokenService } from '../server/token-service.js';
import type { CodeRecord } from './authorize.js';
import type { RegisteredClient } from './clients.js';
import { FAMILY_MARKER, recordFamily, sessionEnded } from './families.js';
import type { IDTokens } from './id-token.js';
import { RECORD_KINDS } from './record-kinds.js';
import { checkResources } from './resources.js';
import { jsonResponse } from '../server/json-response.js';

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export interface CodeGrantOptions {
  store: RecordStore & Pick<TokenStore, 'revokeFamily'>;
  service: TokenService;
  now: () => number;
  /** Signs the ID token of a grant with `openid`. */
  idTokens: IDTokens;
  /** How long the provider session lives (the session record is rewritten with the same expiry). */
  sessionTTL: number;
  /** How long a family record is kept (the token service's absolute refresh-token lifetime). */
  familyLifetime: number;
}

const refusal = (description: string): GrantRefusal => ({ error: 'invalid_grant', error_description: description });

export function createCodeGrant(options: CodeGrantOptions) {
  const { store, service, now } = options;
  return async (
    params: URLSearchParams,
    client: RegisteredClient,
    json = jsonResponse,
  ): Promise<GrantRefusal | Response> => {
    const code = params.get('code');
    const verifier = params.get('code_verifier');
    const redirectUri = params.get('redirect_uri');
    if (code === null || code === '' || code.length > 128)
      return { error: 'invalid_request', error_description: 'The "code" parameter is required' };
    if (verifier === null || verifier === '')
      return { error: 'invalid_request', error_description: 'The "code_verifier" parameter is required (PKCE)' };
    const found = (await store.findRecord(RECORD_KINDS.authorizationCode, code, now())) as CodeRecord | undefined;
    if (!found) return refusal('The authorization code is invalid or expired');
    // A code of another client is refused without touching it (code injection must not burn the real one).
    if (found.clientId !== client.client_id) return refusal('The authorization code was issued to another client');
    const consumed = await store.consumeRecord(RECORD_KINDS.authorizationCode, code, now());
    if (consumed.status === 'reused') {
      const record = consumed.record as CodeRecord;
      if (typeof record.familyId === 'string') await store.revokeFamily(record.familyId, now() + FAMILY_MARKER);
      await store.deleteRecordsByGrant(record.grantId);
      return refusal('The authorization code was already used; the tokens issued from it are revoked');
    }
    if (consumed.status !== 'ok') return refusal('The authorization code is invalid or expired');
    // Exact redirect_uri binding (RFC 6749 §4.1.3; OAuth 2.1 requires it when it was in the request, OIDC always).
    if (redirectUri !== found.redirectUri) return refusal('The redirect_uri does not match the authorization request');
    const computed = VERIFIER.test(verifier)
      ? createHash('sha256').update(verifier, 'ascii').digest()
      : Buffer.alloc(32);
    const expected = Buffer.from(found.codeChallenge, 'base64url');
    if (!VERIFIER.test(verifier) || expected.length !== 32 || !timingSafeEqual(computed, expected))
      return refusal('The code_verifier does not match the code_challenge (PKCE)');
    // RFC 8707 §2.2: the token request may narrow the audience to some of the authorized resources.
    const target = checkResources(params.getAll('resource'), found.resource, service);
    if (target instanceof Response) return target;
    // The session the code was issued in was logged out since: its grants are over.
    if (await sessionEnded(store, found.sessionId, now()))
      return refusal('The authorization code is invalid or expired');
    const scopes = found.scope.split(' ');
    const openid = scopes.includes('openid');
    // OpenID Connect Core §11 (node-oidc-provider's default): in an OpenID flow, a refresh token only with
    // offline_access; otherwise whenever the client may use the refresh_token grant.
    const withRefresh = client.grant_types.includes('refresh_token') && (!openid || scopes.includes('offline_access'));
    const tokens = await service.issue({
      sub: found.sub,
      client_id: client.client_id,
      scope: found.scope,
      refreshToken: withRefresh,
      ...(target ? { audience: target } : {}),
      // Narrowed at this request, the grant still covers the authorized resources: a refresh may ask for them.
      ...(target && found.resource ? { grantAudience: found.resource } : {}),
    });
    const familyId = (decodeJWT(tokens.access_token).payload as { sid?: string }).sid;
    await store.putRecord(
      RECORD_KINDS.authorizationCode,
      code,
      { ...consumed.record, ...(familyId ? { familyId } : {}) },
      now() + 600,
    );
    if (familyId)
      await recordFamily(
        store,
        familyId,
        {
          clientId: client.client_id,
          sub: found.sub,
          scope: found.scope,
          sessionId: found.sessionId,
          authTime: found.authTime,
          grantId: found.grantId,
          ...(found.sid ? { sid: found.sid } : {}),
          ...(found.amr ? { amr: found.amr } : {}),
          ...(found.acr ? { acr: found.acr } : {}),
          ...(found.resource ? { resource: found.resource } : {}),
        },
        options.familyLifetime,
        options.sessionTTL,
        now(),
      );
    const body: Record<string, unknown> = { ...tokens };
    if (openid)
      body.id_token = await options.idTokens.issue({
        clientId: client.client_id,
        sub: found.sub,
        authTime: found.authTime,
        accessToken: tokens.access_token,
        ...(found.sid ? { sid: found.sid } : {}),
        ...(found.nonce !== undefined ? { nonce: found.nonce } : {}),
        ...(found.amr ? { amr: found.amr } : {}),
        ...(found.acr ? { acr: found.acr } : {}),
      });
    return json(200, body);
  };
}
