// The one contract every adapter passes: the same servers' behaviour over real HTTP, with status,
// headers and body asserted for every case. An adapter's harness builds an app with three routes:
//   GET /me      auth                                   → 200 { sub } (from req.auth / request.auth / c.get('auth'))
//   GET /orders  auth, auth.require(requireScopes('read:orders')) → 200 { orders: [] }
//   GET /admin   auth.require(requireClaims({ roles: 'admin' }))   → 200 { admin: true }
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, generateKeyPair } from 'tessera-jwt';
import type { AuthOptions } from 'tessera-jwt/fetch';
import { type Answer, bearer, get } from './http.js';
import { type JWKSServer, startJWKSServer } from './jwks-server.js';
import { AUDIENCE, ISSUER, token, tokens, trusted } from './tokens.js';

export interface Server {
  url: string;
  close(): Promise<void>;
}

export interface Harness {
  name: string;
  /** Fetch-style servers see two Authorization lines folded into one value ("Bearer a, Bearer b"). */
  foldsRepeatedHeaders?: boolean;
  start(options: AuthOptions<any, any>): Promise<Server>;
}

// A realm with a quote and a backslash: every challenge below proves the escaping.
const REALM = 'Tessera "contract" \\ v1';
const REALM_PARAM = 'realm="Tessera \\"contract\\" \\\\ v1"';
const JSON_TYPE = 'application/json; charset=utf-8';

const base = {
  key: trusted.publicKey,
  algorithms: ['ES256'],
  issuer: ISSUER,
  audience: AUDIENCE,
  realm: REALM,
};

function expectOk(answer: Answer, body: unknown): void {
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.headers['www-authenticate'], undefined);
  assert.deepEqual(answer.body, body);
}

/** A refusal: exact status, exact WWW-Authenticate (or none), JSON content type, exact body. */
function expectRefusal(
  answer: Answer,
  status: number,
  challenge: string | undefined,
  body: Record<string, unknown>,
  sent?: string,
): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(answer.headers['www-authenticate'], challenge);
  assert.equal(answer.headers['content-type'], JSON_TYPE);
  assert.deepEqual(answer.body, body);
  if (sent !== undefined) assert.ok(!answer.text.includes(sent), 'the body never echoes the token');
}

function invalidToken(answer: Answer, description: string, sent: string): void {
  expectRefusal(
    answer,
    401,
    `Bearer ${REALM_PARAM}, error="invalid_token", error_description="${description}"`,
    { error: 'invalid_token', error_description: description },
    sent,
  );
}

function invalidRequest(answer: Answer, description: string): void {
  expectRefusal(answer, 400, `Bearer ${REALM_PARAM}, error="invalid_request", error_description="${description}"`, {
    error: 'invalid_request',
    error_description: description,
  });
}

function missing(answer: Answer, description = 'Authentication required'): void {
  expectRefusal(answer, 401, `Bearer ${REALM_PARAM}`, { error: 'unauthorized', error_description: description });
}

const NOT_BEARER = 'The Authorization header must use the Bearer scheme';

const UNAVAILABLE = {
  error: 'temporarily_unavailable',
  error_description: 'The access token cannot be verified right now',
};

/** Starts a server for `options` around the tests of one describe block. */
function serve(harness: Harness, options: () => AuthOptions<any, any>): () => string {
  let server: Server | undefined;
  before(async () => {
    server = await harness.start(options());
  });
  after(async () => {
    await server?.close();
  });
  return () => server!.url;
}

export function runContract(harness: Harness): void {
  describe(`${harness.name}: RFC 6750 contract`, () => {
    describe('option names', () => {
      it('refuses an unknown option at setup, naming the adapter and the closest known option', async () => {
        const adapter = /^(expressAuth|fastifyAuth|honoAuth|fetchAuth|withAuth): /.source;
        await assert.rejects(harness.start({ ...base, audiance: AUDIENCE } as never), (err: unknown) => {
          assert.ok(err instanceof TypeError);
          assert.match(err.message, new RegExp(`${adapter}unknown option "audiance"; did you mean "audience"\\?$`));
          return true;
        });
        await assert.rejects(
          harness.start({ ...base, credentialsRequred: false } as never),
          /unknown option "credentialsRequred"; did you mean "credentialsRequired"\?/,
        );
        await assert.rejects(
          harness.start({ ...base, isRevoke: () => false } as never),
          /unknown option "isRevoke"; did you mean "isRevoked"\?/,
        );
      });
      it('accepts every documented option and alias', async () => {
        const server = await harness.start({
          ...base,
          leeway: 5,
          require: ['sub'],
          checks: { iat: true },
          clockTolerance: undefined,
          requiredClaims: undefined,
          strictAudience: false,
          subject: undefined,
          jwtId: undefined,
          nonce: undefined,
          maxTokenAge: '1h',
          typ: undefined,
          crit: [],
          currentDate: undefined,
          validate: () => true,
          maxTokenLength: 8192,
          allowWeakKeys: false,
          cache: true,
          credentialsRequired: true,
          cookie: 'at',
          query: false,
          guards: [],
          onError: () => undefined,
          isRevoked: () => false,
        });
        try {
          expectOk(await get(`${server.url}/me`, bearer(tokens.valid())), { sub: 'user-42' });
        } finally {
          await server.close();
        }
      });
    });

    describe('required credentials, a static key, a cookie and a revocation list', () => {
      const url = serve(harness, () => ({
        ...base,
        cookie: 'tessera_at',
        isRevoked: (claims) => claims.jti === 'revoked-jti',
      }));

      it('accepts a valid token and attaches its claims', async () => {
        expectOk(await get(`${url()}/me`, bearer(tokens.valid())), { sub: 'user-42' });
      });
      it('accepts the scheme in lower case ("bearer"): auth-schemes are case-insensitive', async () => {
        expectOk(await get(`${url()}/me`, { authorization: `bearer ${tokens.valid()}` }), { sub: 'user-42' });
      });
      it('answers 401 invalid_token for an expired token', async () => {
        const sent = tokens.expired();
        invalidToken(await get(`${url()}/me`, bearer(sent)), 'The access token expired', sent);
      });
      it('answers 401 invalid_token for a token that is not valid yet', async () => {
        const sent = tokens.notYetValid();
        invalidToken(await get(`${url()}/me`, bearer(sent)), 'The access token is not valid yet', sent);
      });
      it('answers 401 invalid_token for the wrong audience', async () => {
        const sent = tokens.wrongAudience();
        invalidToken(await get(`${url()}/me`, bearer(sent)), 'The access token audience is not accepted', sent);
      });
      it('answers 401 invalid_token for a wrong signature', async () => {
        const sent = tokens.wrongSignature();
        invalidToken(await get(`${url()}/me`, bearer(sent)), 'The access token signature is invalid', sent);
      });
      it('answers 401 invalid_token for alg "none"', async () => {
        const sent = tokens.algNone();
        invalidToken(await get(`${url()}/me`, bearer(sent)), 'The access token algorithm is not allowed', sent);
      });
      it('answers 401 invalid_token for a token that is not a JWT', async () => {
        invalidToken(await get(`${url()}/me`, bearer('not-a-jwt')), 'The access token is malformed', 'not-a-jwt');
      });
      it('answers 401 invalid_token for a revoked token (the hook runs after the signature check)', async () => {
        const sent = tokens.revoked();
        invalidToken(await get(`${url()}/me`, bearer(sent)), 'The access token has been revoked', sent);
      });
      it('answers 401 without an error code when no credentials were sent', async () => {
        missing(await get(`${url()}/me`));
      });
      it('never reads the query string unless enabled', async () => {
        missing(await get(`${url()}/me?access_token=${tokens.valid()}`));
      });
      it('answers 400 invalid_request for two Authorization headers', async () => {
        const answer = await get(`${url()}/me`, {
          authorization: [`Bearer ${tokens.valid()}`, `Bearer ${tokens.valid()}`],
        });
        // Node keeps both lines in rawHeaders; fetch-style servers fold them into "Bearer a, Bearer b".
        invalidRequest(
          answer,
          harness.foldsRepeatedHeaders
            ? 'The Bearer credentials are malformed'
            : 'Only one Authorization header is allowed',
        );
      });
      it('answers another scheme (Basic, Digest, Negotiate) with a 401 challenge without an error code (RFC 6750 §3.1)', async () => {
        for (const authorization of [
          'Basic dXNlcjpwYXNz',
          'basic dXNlcjpwYXNz',
          'Digest username="u", realm="r", nonce="n", uri="/me", response="x"',
          'Negotiate YIIB',
          'Basic',
        ]) {
          missing(await get(`${url()}/me`, { authorization }), NOT_BEARER);
          missing(await get(`${url()}/orders`, { authorization }), NOT_BEARER);
        }
      });
      it('reads the cookie token when the Authorization header is of another scheme (a Basic-auth proxy in front)', async () => {
        expectOk(
          await get(`${url()}/me`, { authorization: 'Basic dXNlcjpwYXNz', cookie: `tessera_at=${tokens.valid()}` }),
          { sub: 'user-42' },
        );
      });
      it('answers 400 invalid_request for a header token beside an access_token query parameter, although the query is not read', async () => {
        invalidRequest(
          await get(`${url()}/me?access_token=${tokens.valid()}`, bearer(tokens.valid())),
          'Send the access token in exactly one place',
        );
        invalidRequest(
          await get(`${url()}/me?page=2&access_token=`, bearer(tokens.valid())),
          'Send the access token in exactly one place',
        );
        expectOk(await get(`${url()}/me?page=2&access_token_hint=x`, bearer(tokens.valid())), { sub: 'user-42' });
      });
      it('answers 400 invalid_request for "Bearer" without a token', async () => {
        invalidRequest(await get(`${url()}/me`, { authorization: 'Bearer' }), 'The Bearer access token is missing');
      });
      it('answers 400 invalid_request for two tokens in one header', async () => {
        invalidRequest(
          await get(`${url()}/me`, { authorization: `Bearer ${tokens.valid()} ${tokens.valid()}` }),
          'The Bearer credentials are malformed',
        );
      });
      it('reads the token from the configured cookie', async () => {
        expectOk(await get(`${url()}/me`, { cookie: `theme=dark; tessera_at=${tokens.valid()}` }), { sub: 'user-42' });
      });
      it('prefers the Authorization header over the cookie', async () => {
        expectOk(await get(`${url()}/me`, { ...bearer(tokens.valid()), cookie: `tessera_at=${tokens.expired()}` }), {
          sub: 'user-42',
        });
      });
      it('answers 401 invalid_token for a bad cookie token', async () => {
        const sent = tokens.expired();
        invalidToken(await get(`${url()}/me`, { cookie: `tessera_at=${sent}` }), 'The access token expired', sent);
      });
      it('answers 400 invalid_request when the token cookie is sent twice (cookie tossing)', async () => {
        invalidRequest(
          await get(`${url()}/me`, { cookie: `tessera_at=${tokens.valid()}; tessera_at=${tokens.valid()}` }),
          'Only one tessera_at cookie is allowed',
        );
      });
      it('grants a route whose scope is in the space-separated "scope" claim', async () => {
        expectOk(await get(`${url()}/orders`, bearer(tokens.withScopes('read:profile read:orders'))), { orders: [] });
      });
      it('grants a route whose scope is in an "scp" array', async () => {
        expectOk(await get(`${url()}/orders`, bearer(tokens.withScp(['read:orders']))), { orders: [] });
      });
      it('answers 403 insufficient_scope, naming the scope, when the scope is missing', async () => {
        expectRefusal(
          await get(`${url()}/orders`, bearer(tokens.withScopes('read:profile read:ordersX'))),
          403,
          `Bearer ${REALM_PARAM}, error="insufficient_scope", error_description="The access token lacks the required scope", scope="read:orders"`,
          { error: 'insufficient_scope', error_description: 'The access token lacks the required scope' },
        );
      });
      it('still answers 401 on a scoped route for an invalid token', async () => {
        const sent = tokens.expired();
        invalidToken(await get(`${url()}/orders`, bearer(sent)), 'The access token expired', sent);
      });
      it('grants a claims guard (roles) when the role is present', async () => {
        expectOk(await get(`${url()}/admin`, bearer(tokens.withRoles(['support', 'admin']))), { admin: true });
      });
      it('answers 403 insufficient_scope from a claims guard', async () => {
        expectRefusal(
          await get(`${url()}/admin`, bearer(tokens.withRoles(['support']))),
          403,
          `Bearer ${REALM_PARAM}, error="insufficient_scope", error_description="The access token does not grant access to this resource"`,
          { error: 'insufficient_scope', error_description: 'The access token does not grant access to this resource' },
        );
      });
      it('answers 401 on a guarded route without credentials', async () => {
        missing(await get(`${url()}/admin`));
      });
    });

    describe('RFC 9728: resource_metadata in every challenge', () => {
      const METADATA = 'https://api.example.com/.well-known/oauth-protected-resource';
      const url = serve(harness, () => ({ ...base, resourceMetadata: METADATA }));
      const PARAM = `resource_metadata="${METADATA}"`;

      it('names the metadata URL in the 401 of a request without credentials', async () => {
        expectRefusal(await get(`${url()}/me`), 401, `Bearer ${REALM_PARAM}, ${PARAM}`, {
          error: 'unauthorized',
          error_description: 'Authentication required',
        });
      });
      it('names it in a 401 invalid_token', async () => {
        const sent = tokens.expired();
        expectRefusal(
          await get(`${url()}/me`, bearer(sent)),
          401,
          `Bearer ${REALM_PARAM}, error="invalid_token", error_description="The access token expired", ${PARAM}`,
          { error: 'invalid_token', error_description: 'The access token expired' },
          sent,
        );
      });
      it('names it in a 403 insufficient_scope, after the scope', async () => {
        expectRefusal(
          await get(`${url()}/orders`, bearer(tokens.withScopes('read:profile'))),
          403,
          `Bearer ${REALM_PARAM}, error="insufficient_scope", error_description="The access token lacks the required scope", scope="read:orders", ${PARAM}`,
          { error: 'insufficient_scope', error_description: 'The access token lacks the required scope' },
        );
      });
      it('still lets a valid token through', async () => {
        expectOk(await get(`${url()}/me`, bearer(tokens.valid())), { sub: 'user-42' });
      });
      it('refuses a resourceMetadata that is not an absolute http(s) URL at setup', async () => {
        for (const bad of [
          '/.well-known/oauth-protected-resource',
          'ftp://api.example.com/x',
          'https://a.example/#f',
          'https://a.example/\r\nX: y',
        ])
          await assert.rejects(harness.start({ ...base, resourceMetadata: bad }), TypeError, bad);
      });
    });

    describe('optional credentials and query tokens', () => {
      const url = serve(harness, () => ({ ...base, credentialsRequired: false, query: true }));

      it('lets a request without a token through, unauthenticated', async () => {
        expectOk(await get(`${url()}/me`), { sub: null });
      });
      it('still verifies a token that is sent', async () => {
        const sent = tokens.expired();
        invalidToken(await get(`${url()}/me`, bearer(sent)), 'The access token expired', sent);
      });
      it('still requires a token where a guard needs claims', async () => {
        missing(await get(`${url()}/orders`));
      });
      it('reads access_token from the query when enabled', async () => {
        expectOk(await get(`${url()}/me?access_token=${tokens.valid()}`), { sub: 'user-42' });
      });
      it('answers 400 invalid_request for a token in both the header and the query', async () => {
        invalidRequest(
          await get(`${url()}/me?access_token=${tokens.valid()}`, bearer(tokens.valid())),
          'Send the access token in exactly one place',
        );
      });
      it('lets a request with credentials of another scheme through, unauthenticated, and reads a query token beside them', async () => {
        expectOk(await get(`${url()}/me`, { authorization: 'Basic dXNlcjpwYXNz' }), { sub: null });
        expectOk(await get(`${url()}/me?access_token=${tokens.valid()}`, { authorization: 'Basic dXNlcjpwYXNz' }), {
          sub: 'user-42',
        });
        missing(await get(`${url()}/orders`, { authorization: 'Basic dXNlcjpwYXNz' }));
      });
    });

    describe('a revocation hook that throws fails closed', () => {
      const url = serve(harness, () => ({
        ...base,
        isRevoked: async (claims) => {
          if (claims.sub === 'rejects') throw new Error('revocation store unreachable: 10.0.0.7 secret-detail');
          if (claims.sub === 'sloppy') return 'no' as unknown as boolean;
          throw new Error('revocation store unreachable: 10.0.0.7 secret-detail');
        },
      }));

      it('answers 503 without leaking the hook error when the hook throws', async () => {
        const answer = await get(`${url()}/me`, bearer(tokens.valid()));
        expectRefusal(answer, 503, undefined, UNAVAILABLE);
        assert.ok(!answer.text.includes('secret-detail'));
      });
      it('answers 503 when the hook rejects', async () => {
        expectRefusal(await get(`${url()}/me`, bearer(token({ sub: 'rejects' }))), 503, undefined, UNAVAILABLE);
      });
      it('answers 500 when the hook returns something other than a boolean', async () => {
        expectRefusal(await get(`${url()}/me`, bearer(token({ sub: 'sloppy' }))), 500, undefined, {
          error: 'server_error',
          error_description: 'The access token could not be verified',
        });
      });
      it('verifies the signature before asking the hook', async () => {
        const sent = tokens.wrongSignature();
        invalidToken(await get(`${url()}/me`, bearer(sent)), 'The access token signature is invalid', sent);
      });
    });

    describe('an onError hook shapes refusals but cannot let them through', () => {
      const url = serve(harness, () => ({
        ...base,
        onError: (failure) => {
          if (failure.body.error === 'unauthorized') return { status: 200, body: { error: 'none' } };
          if (failure.body.error === 'invalid_request') throw new Error('broken hook');
          return { headers: { 'x-request-id': 'r-1' }, body: { ...failure.body, request_id: 'r-1' } };
        },
      }));

      it('adds headers and body members', async () => {
        const sent = tokens.expired();
        const answer = await get(`${url()}/me`, bearer(sent));
        expectRefusal(
          answer,
          401,
          `Bearer ${REALM_PARAM}, error="invalid_token", error_description="The access token expired"`,
          { error: 'invalid_token', error_description: 'The access token expired', request_id: 'r-1' },
          sent,
        );
        assert.equal(answer.headers['x-request-id'], 'r-1');
      });
      it('ignores a hook result with a success status', async () => {
        missing(await get(`${url()}/me`));
      });
      it('sends the default refusal when the hook throws', async () => {
        invalidRequest(await get(`${url()}/me`, { authorization: 'Bearer' }), 'The Bearer access token is missing');
      });
    });

    describe('a remote JWKS that rotates its keys', () => {
      const a = generateKeyPair('ES256', { kid: 'rotation-a' });
      const b = generateKeyPair('ES256', { kid: 'rotation-b' });
      let jwks: JWKSServer;
      before(async () => {
        jwks = await startJWKSServer([a.publicKey.toJWK()]);
      });
      after(async () => {
        await jwks.close();
      });
      const url = serve(harness, () => ({
        ...base,
        key: createRemoteJWKSet(jwks.url, { allowHttp: true, cooldown: 0, timeout: '2s' }),
      }));

      it('verifies with the published key', async () => {
        expectOk(await get(`${url()}/me`, bearer(token({}, {}, a.privateKey))), { sub: 'user-42' });
      });
      it('picks up a new key when a token names its kid', async () => {
        jwks.publish([a.publicKey.toJWK(), b.publicKey.toJWK()]);
        const before = jwks.hits;
        expectOk(await get(`${url()}/me`, bearer(token({}, {}, b.privateKey))), { sub: 'user-42' });
        assert.equal(jwks.hits, before + 1);
      });
      it('refuses tokens of a retired key', async () => {
        jwks.publish([b.publicKey.toJWK()]);
        const sent = token({}, { kid: 'rotation-c' }, generateKeyPair('ES256').privateKey);
        invalidToken(await get(`${url()}/me`, bearer(sent)), 'The access token was not signed by a known key', sent);
        const retired = token({}, {}, a.privateKey);
        // The refetch above saw A retired.
        invalidToken(
          await get(`${url()}/me`, bearer(retired)),
          'The access token was not signed by a known key',
          retired,
        );
      });
    });

    describe("a remote JWKS without algorithms: the keys' alg pins them", () => {
      const pinned = generateKeyPair('ES256', { kid: 'pinned' });
      const loose = generateKeyPair('ES256', { kid: 'loose' });
      let jwks: JWKSServer;
      before(async () => {
        jwks = await startJWKSServer([pinned.publicKey.toJWK()]);
      });
      after(async () => {
        await jwks.close();
      });
      const { algorithms: _omitted, ...withoutAlgorithms } = base;
      const url = serve(harness, () => ({
        ...withoutAlgorithms,
        key: createRemoteJWKSet(jwks.url, { allowHttp: true, cooldown: 0, timeout: '2s' }),
      }));

      it('verifies a token of a key that names its alg', async () => {
        expectOk(await get(`${url()}/me`, bearer(token({}, { kid: 'pinned' }, pinned.privateKey))), { sub: 'user-42' });
      });
      it("refuses another algorithm than the key's, and HS256 before any fetch", async () => {
        const hs = token({}, { algorithm: 'HS256', kid: 'pinned' }, 'a shared secret of at least 32 bytes!' as never);
        const before = jwks.hits;
        invalidToken(await get(`${url()}/me`, bearer(hs)), 'The access token algorithm is not allowed', hs);
        assert.equal(jwks.hits, before);
      });
      it('answers 500 server_error once the set has a key without alg: algorithms must be configured', async () => {
        jwks.publish([pinned.publicKey.toJWK(), { ...loose.publicKey.toJWK(), alg: undefined } as never]);
        const answer = await get(`${url()}/me`, bearer(token({}, { kid: 'loose' }, loose.privateKey)));
        expectRefusal(answer, 500, undefined, {
          error: 'server_error',
          error_description: 'The access token could not be verified',
        });
      });
    });

    describe('a remote JWKS that is down', () => {
      const key = generateKeyPair('ES256', { kid: 'outage' });
      let jwks: JWKSServer;
      before(async () => {
        jwks = await startJWKSServer([key.publicKey.toJWK()]);
        jwks.fail(true);
      });
      after(async () => {
        await jwks.close();
      });
      const url = serve(harness, () => ({
        ...base,
        key: createRemoteJWKSet(jwks.url, { allowHttp: true, cooldown: 0, timeout: '2s' }),
      }));

      it('answers 503 temporarily_unavailable: the token may be fine', async () => {
        const answer = await get(`${url()}/me`, bearer(token({}, {}, key.privateKey)));
        expectRefusal(answer, 503, undefined, UNAVAILABLE);
        assert.ok(!answer.text.includes('127.0.0.1'), 'the body never names the JWKS endpoint');
      });
      it('recovers when the endpoint is back', async () => {
        jwks.fail(false);
        expectOk(await get(`${url()}/me`, bearer(token({}, {}, key.privateKey))), { sub: 'user-42' });
      });
    });
  });
}
