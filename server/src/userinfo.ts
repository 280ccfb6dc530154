// GET /userinfo (OpenID Connect Core §5.3): the "API" of the demo, protected by Tessera's own fetch
// middleware exactly as a separate resource server would be: the token is checked against this
// server's JWKS (issuer, audience, RFC 9068 `typ`), then against the store's revocations, and every
// refusal is the middleware's RFC 6750 §3 answer.
import { JWKSet, RevokedTokenError } from 'tessera-jwt';
import { fetchAuth } from 'tessera-jwt/fetch';
import type { AccessTokenClaims, TokenService } from 'tessera-jwt/server';
import { json, parseForm, readBody, RequestProblem } from './http.js';
import type { UserStore } from './users.js';

const TWICE = 'Send the access token in exactly one place';
const twice = (resourceMetadata: string | undefined) =>
  json(
    400,
    { error: 'invalid_request', error_description: TWICE },
    {
      'www-authenticate': `Bearer realm="tessera", error="invalid_request", error_description="${TWICE}"${resourceMetadata !== undefined ? `, resource_metadata="${resourceMetadata}"` : ''}`,
    },
  );

export function createUserinfo(options: {
  service: TokenService;
  users: UserStore;
  audience: string;
  algorithm: string;
  /** RFC 9728: the protected-resource metadata URL, named in every challenge. */
  resourceMetadata?: string;
  /** When given, a token whose client is no longer registered (deleted at /register) is refused as revoked. */
  isClientRegistered?: (clientId: string) => Promise<boolean>;
}): (request: Request) => Promise<Response> {
  const { service, users } = options;
  // The JWKS changes only when keys rotate: rebuild the JWKSet only then.
  let cached: { json: string; set: JWKSet } | undefined;
  const keys = async () => {
    const jwks = await service.jwks();
    const text = JSON.stringify(jwks);
    if (cached?.json !== text) cached = { json: text, set: JWKSet.from(jwks) };
    return cached.set;
  };
  const auth = fetchAuth<AccessTokenClaims>({
    key: keys,
    algorithms: [options.algorithm],
    issuer: service.issuer,
    audience: options.audience,
    typ: 'at+jwt',
    realm: 'tessera',
    ...(options.resourceMetadata !== undefined ? { resourceMetadata: options.resourceMetadata } : {}),
    // The middleware verified signature and claims; the service adds the store's revocations (a
    // denylisted jti, a revoked grant, "log out everywhere"). A store failure throws: the middleware
    // fails closed.
    isRevoked: async (claims, token) => {
      if (options.isClientRegistered && !(await options.isClientRegistered(String(claims.client_id)))) return true;
      try {
        await service.verifyAccessToken(token);
        return false;
      } catch (err) {
        if (err instanceof RevokedTokenError) return true;
        throw err;
      }
    },
  });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'POST') {
      return json(405, { error: 'invalid_request', error_description: 'Use GET or POST' }, { allow: 'GET, POST' });
    }
    // RFC 6750 §2: one method per request. The middleware refuses a header token beside a query one;
    // a form-body token (§2.2, which this route does not read) only the route can see.
    if (
      request.method === 'POST' &&
      request.headers.has('authorization') &&
      /^application\/x-www-form-urlencoded\s*(;|$)/i.test(request.headers.get('content-type') ?? '')
    ) {
      try {
        const form = parseForm(
          (await readBody(request, { types: ['application/x-www-form-urlencoded'], maxBytes: 8 * 1024 })).text,
        );
        if ('access_token' in form) return twice(options.resourceMetadata);
      } catch (err) {
        if (err instanceof RequestProblem) return err.response;
        throw err;
      }
    }
    const result = await auth(request);
    if (!result.ok) return result.response;
    const { claims } = result;
    const user = users.findBySub(claims.sub);
    const scopes = new Set((claims.scope ?? '').split(' '));
    // OIDC §5.4: profile and email claims only with their scopes.
    return json(200, {
      sub: claims.sub,
      ...(scopes.has('profile') && user ? { name: user.name, preferred_username: user.username } : {}),
      ...(scopes.has('email') && user ? { email: user.email } : {}),
      scope: claims.scope ?? '',
      client_id: claims.client_id,
    });
  };
}
