// The UserInfo endpoint (OpenID Connect Core §5.3): GET or POST with a Bearer access token, in the
// Authorization header or (POST only) the form body (RFC 6750 §2.1, §2.2), answered with `sub` and the
// claims of the granted scopes (§5.4). The token is checked by the same middleware core the APIs use
// (signature, RFC 9068 claims, revocation), so the refusals are the RFC 6750 §3 challenges it gives
// everywhere. Like node-oidc-provider, an access token without `openid` is insufficient_scope and one
// bound to other resources (RFC 8707) is invalid_token here.
import { type FetchAuthenticator, fetchAuth } from '../adapters/fetch.js';
import { formatBearerChallenge } from '../middleware/www-authenticate.js';
import { type AccessTokenClaims, type TokenService, tokenServiceSigner } from '../server/token-service.js';
import { serviceKeys } from './id-token.js';

/**
 * The claims of an account, as {@link ProviderOptions.findAccount} returns them: standard OpenID Connect
 * claims (§5.1) and your own; userinfo releases those of the granted scopes only.
 * @example
 * ```ts
 * const account: AccountClaims = { name: 'Ada Lovelace', email: 'ada@example.com', email_verified: true };
 * ```
 */
export type AccountClaims = Record<string, unknown>;

/**
 * The claims each standard scope releases at userinfo (OpenID Connect Core §5.4); extend it with the
 * provider's `scopeClaims` option.
 * @example
 * ```ts
 * const released = SCOPE_CLAIMS.email; // ['email', 'email_verified']
 * ```
 */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
});

const MAX_BODY = 16 * 1024;

export interface UserinfoOptions {
  service: TokenService;
  findAccount?: (sub: string) => AccountClaims | undefined | Promise<AccountClaims | undefined>;
  /** Claims per scope, beyond (or replacing) the standard ones. */
  scopeClaims: Readonly<Record<string, readonly string[]>>;
  realm: string;
  now: () => number;
}

export function createUserinfo(options: UserinfoOptions) {
  const { service, findAccount, scopeClaims, realm, now } = options;
  const audiences = typeof service.audience === 'string' ? [service.audience] : [...service.audience];
  const keys = serviceKeys(service);
  const algorithms = [tokenServiceSigner(service)!.algorithm];
  // The middleware checks exp/iat against a fixed currentDate: one authenticator per second of the
  // provider's clock (its `now` option), so userinfo and the token service agree on time.
  let current: { second: number; auth: FetchAuthenticator<AccessTokenClaims> } | undefined;
  const authenticator = () => {
    const second = Math.floor(now());
    if (current?.second !== second)
      current = {
        second,
        auth: fetchAuth<AccessTokenClaims>({
          key: () => keys(),
          algorithms,
          issuer: service.issuer,
          audience: audiences,
          typ: 'at+jwt',
          requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id', 'sid'],
          clockTolerance: 30,
          currentDate: new Date(second * 1000),
          realm,
          isRevoked: (claims) => service.isRevoked(claims),
        }),
      };
    return current.auth;
  };
  const refuse = (status: number, error: string, description: string, scope?: string) =>
    new Response(JSON.stringify({ error, error_description: description }), {
      status,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'www-authenticate': formatBearerChallenge({ realm, error, errorDescription: description, scope }),
      },
    });

  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'POST')
      return new Response(null, { status: 405, headers: { allow: 'GET, POST' } });
    let checked = request;
    if (request.method === 'POST') {
      // RFC 6750 §2.2: the token may come as the access_token form parameter; one method per request.
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type === 'application/x-www-form-urlencoded') {
        if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY)
          return refuse(400, 'invalid_request', 'The request body is too large');
        const text = await request.text();
        if (text.length > MAX_BODY) return refuse(400, 'invalid_request', 'The request body is too large');
        const form = new URLSearchParams(text);
        const tokens = form.getAll('access_token');
        if (tokens.length > 1) return refuse(400, 'invalid_request', 'Send the access token in exactly one place');
        if (tokens.length === 1) {
          if (request.headers.has('authorization'))
            return refuse(400, 'invalid_request', 'Send the access token in exactly one place');
          const headers = new Headers(request.headers);
          headers.set('authorization', `Bearer ${tokens[0]}`);
          checked = new Request(request.url, { method: 'GET', headers });
        }
      }
    }
    const result = await authenticator()(checked);
    if (!result.ok) return result.response;
    const claims = result.claims;
    const scopes = (typeof claims.scope === 'string' ? claims.scope : '').split(' ').filter(Boolean);
    if (!scopes.includes('openid'))
      return refuse(403, 'insufficient_scope', 'The access token was not issued for OpenID Connect', 'openid');
    // A token narrowed to other resources (RFC 8707) is theirs, not this endpoint's.
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (aud.length !== audiences.length || !audiences.every((a) => aud.includes(a)))
      return refuse(401, 'invalid_token', 'The access token audience prevents access to the userinfo endpoint');
    const body: Record<string, unknown> = {};
    if (findAccount) {
      const account = await findAccount(claims.sub);
      if (account === undefined || account === null)
        return refuse(401, 'invalid_token', 'The account of the access token no longer exists');
      for (const scope of scopes)
        for (const name of scopeClaims[scope] ?? [])
          if (Object.hasOwn(account, name) && account[name] !== undefined) body[name] = account[name];
    }
    // `sub` is the token's (and so the ID token's), whatever the account record says (§5.3.2).
    body.sub = claims.sub;
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store', pragma: 'no-cache' },
    });
  };
}
