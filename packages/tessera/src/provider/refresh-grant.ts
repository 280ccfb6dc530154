// The refresh_token grant of the provider (RFC 6749 §6, OpenID Connect Core §12): the token service's
// rotation and reuse detection, plus what the provider knows about the family — a logged-out session
// ends it, `resource` may narrow the audience to the grant's resources (RFC 8707 §2.2), and a grant
// with `openid` gets a new ID token (same `auth_time`, `sid`, `amr`/`acr`; no `nonce`, §12.2).
import { InvalidGrantError, InvalidScopeError } from '../errors.js';
import type { RecordStore } from '../server/record-store.js';
import type { TokenStore } from '../server/store.js';
import { storeCall } from '../server/store-call.js';
import { type TokenService, tokenServiceRefresh } from '../server/token-service.js';
import { hashId, REFRESH_TOKEN } from '../server/token-service/context.js';
import type { RegisteredClient } from './clients.js';
import { FAMILY_MARKER, type FamilyRecord, sessionEnded } from './families.js';
import type { IDTokens } from './id-token.js';
import { RECORD_KINDS } from './record-kinds.js';
import { checkResources } from './resources.js';
import { type JSONResponder, jsonResponse } from '../server/json-response.js';

const invalidGrant = (json: JSONResponder) =>
  json(400, {
    error: 'invalid_grant',
    error_description: 'The refresh token is invalid, expired, revoked, or was issued to another client',
  });

export function createRefreshGrant(options: {
  store: RecordStore & TokenStore;
  service: TokenService;
  idTokens: IDTokens;
  now: () => number;
}) {
  const { store, service, idTokens, now } = options;
  // The record read below for the family is handed on, so the rotation does not read it a second time.
  const refresh = tokenServiceRefresh(service) ?? ((token, request) => service.refresh(token, request));
  /** Answers the grant; store failures are thrown (the caller answers 503). */
  return async (params: URLSearchParams, client: RegisteredClient, json = jsonResponse): Promise<Response> => {
    const token = params.get('refresh_token');
    if (token === null || token === '')
      return json(400, { error: 'invalid_request', error_description: 'The "refresh_token" parameter is required' });
    const scope = params.get('scope') ?? undefined;
    const t = now();
    // Store failures are StoreUnavailableError (503), as in the token service: never a pass.
    const stored = REFRESH_TOKEN.test(token)
      ? await storeCall('reading a refresh token', () => store.findRefreshToken(hashId(token), t))
      : undefined;
    const family = stored
      ? ((await storeCall('reading a token family', () =>
          store.findRecord(RECORD_KINDS.tokenFamily, stored.familyId, t),
        )) as FamilyRecord | undefined)
      : undefined;
    if (
      stored &&
      family &&
      stored.clientId === client.client_id &&
      (await storeCall('reading a session', () => sessionEnded(store, family.sessionId, t)))
    ) {
      await storeCall('revoking a token family', () => store.revokeFamily(stored.familyId, t + FAMILY_MARKER));
      return invalidGrant(json);
    }
    let audience: string[] | undefined;
    const requested = params.getAll('resource');
    if (requested.length > 0) {
      const target = checkResources(requested, family?.resource, service);
      if (target instanceof Response) return target;
      audience = target;
    }
    let tokens: Awaited<ReturnType<TokenService['refresh']>>;
    try {
      tokens = await refresh(
        token,
        {
          client_id: client.client_id,
          ...(scope !== undefined ? { scope } : {}),
          ...(audience ? { audience } : {}),
        },
        stored,
      );
    } catch (err) {
      if (err instanceof InvalidScopeError)
        return json(400, {
          error: 'invalid_scope',
          error_description: 'The requested scope is invalid or exceeds the granted scope',
        });
      if (err instanceof InvalidGrantError) return invalidGrant(json);
      throw err;
    }
    const body: Record<string, unknown> = { ...tokens };
    if (family && (tokens.scope ?? '').split(' ').includes('openid'))
      body.id_token = await idTokens.issue({
        clientId: client.client_id,
        sub: family.sub,
        authTime: family.authTime,
        accessToken: tokens.access_token,
        ...(family.sid ? { sid: family.sid } : {}),
        ...(family.amr ? { amr: family.amr } : {}),
        ...(family.acr ? { acr: family.acr } : {}),
      });
    return json(200, body);
  };
}
