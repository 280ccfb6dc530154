// The middleware contract's cases (integration/test/helpers/contract.ts, the same statuses, challenges and
// bodies), asserted over real HTTP against a contract app (contract/app.js) served by a web runtime.
// node:http is the client because fetch cannot send two Authorization header lines.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { encodeUnsecuredJWT, generateKeyPair, signJWT } from 'tessera-jwt';

export const ISSUER = 'https://auth.tessera.test';
export const AUDIENCE = 'https://api.tessera.test';
export const REALM = 'Tessera "contract" \\ v1';
const REALM_PARAM = 'realm="Tessera \\"contract\\" \\\\ v1"';
const JSON_TYPE = 'application/json; charset=utf-8';
const NOT_BEARER = 'The Authorization header must use the Bearer scheme';
const UNAVAILABLE = {
  error: 'temporarily_unavailable',
  error_description: 'The access token cannot be verified right now',
};

export const trusted = generateKeyPair('ES256', { kid: 'trusted-1' });
const stranger = generateKeyPair('ES256', { kid: 'trusted-1' });
export const rotationA = generateKeyPair('ES256', { kid: 'rotation-a' });
export const rotationB = generateKeyPair('ES256', { kid: 'rotation-b' });
export const outage = generateKeyPair('ES256', { kid: 'outage' });
const now = () => Math.floor(Date.now() / 1000);

function token(claims = {}, options = {}, key = trusted.privateKey) {
  return signJWT({ sub: 'user-42', scope: 'read:profile', ...claims }, key, {
    ...('exp' in claims ? {} : { expiresIn: '5m' }),
    ...('iat' in claims ? { issuedAt: false } : {}),
    issuer: ISSUER,
    audience: AUDIENCE,
    ...options,
  });
}
const tokens = {
  valid: () => token(),
  expired: () => token({ exp: now() - 120, iat: now() - 600 }),
  notYetValid: () => token({ nbf: now() + 600 }),
  wrongAudience: () => token({}, { audience: 'https://other.tessera.test' }),
  wrongSignature: () => token({}, {}, stranger.privateKey),
  algNone: () => encodeUnsecuredJWT({ sub: 'user-42', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 }),
  revoked: () => token({ jti: 'revoked-jti' }),
  withScopes: (scope) => token({ scope }),
  withScp: (scp) => token({ scope: undefined, scp }),
  withRoles: (roles) => token({ roles }),
};

export function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body;
        try {
          body = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode, headers: res.headers, text, body });
      });
    });
    req.setTimeout(8000, () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
const bearer = (t) => ({ authorization: `Bearer ${t}` });

function expectOk(a, body) {
  assert.equal(a.status, 200, a.text);
  assert.equal(a.headers['www-authenticate'], undefined);
  assert.deepEqual(a.body, body);
}
function expectRefusal(a, status, challenge, body, sent) {
  assert.equal(a.status, status, a.text);
  assert.equal(a.headers['www-authenticate'], challenge);
  assert.equal(a.headers['content-type'], JSON_TYPE);
  assert.deepEqual(a.body, body);
  if (sent !== undefined) assert.ok(!a.text.includes(sent), 'the body never echoes the token');
}
const invalidToken = (a, d, sent) =>
  expectRefusal(
    a,
    401,
    `Bearer ${REALM_PARAM}, error="invalid_token", error_description="${d}"`,
    { error: 'invalid_token', error_description: d },
    sent,
  );
const invalidRequest = (a, d) =>
  expectRefusal(a, 400, `Bearer ${REALM_PARAM}, error="invalid_request", error_description="${d}"`, {
    error: 'invalid_request',
    error_description: d,
  });
const missing = (a, d = 'Authentication required') =>
  expectRefusal(a, 401, `Bearer ${REALM_PARAM}`, { error: 'unauthorized', error_description: d });

/** [profile, name, check(url)] — `url` is the profile's base for one adapter, e.g. http://…/required/hono. */
export const CASES = [
  [
    'required',
    'accepts a valid token and attaches its claims',
    async (u) => expectOk(await get(`${u}/me`, bearer(tokens.valid())), { sub: 'user-42' }),
  ],
  [
    'required',
    'accepts the scheme in lower case',
    async (u) => expectOk(await get(`${u}/me`, { authorization: `bearer ${tokens.valid()}` }), { sub: 'user-42' }),
  ],
  [
    'required',
    '401 invalid_token: expired',
    async (u) => {
      const s = tokens.expired();
      invalidToken(await get(`${u}/me`, bearer(s)), 'The access token expired', s);
    },
  ],
  [
    'required',
    '401 invalid_token: not valid yet',
    async (u) => {
      const s = tokens.notYetValid();
      invalidToken(await get(`${u}/me`, bearer(s)), 'The access token is not valid yet', s);
    },
  ],
  [
    'required',
    '401 invalid_token: wrong audience',
    async (u) => {
      const s = tokens.wrongAudience();
      invalidToken(await get(`${u}/me`, bearer(s)), 'The access token audience is not accepted', s);
    },
  ],
  [
    'required',
    '401 invalid_token: wrong signature',
    async (u) => {
      const s = tokens.wrongSignature();
      invalidToken(await get(`${u}/me`, bearer(s)), 'The access token signature is invalid', s);
    },
  ],
  [
    'required',
    '401 invalid_token: alg none',
    async (u) => {
      const s = tokens.algNone();
      invalidToken(await get(`${u}/me`, bearer(s)), 'The access token algorithm is not allowed', s);
    },
  ],
  [
    'required',
    '401 invalid_token: not a JWT',
    async (u) => invalidToken(await get(`${u}/me`, bearer('not-a-jwt')), 'The access token is malformed', 'not-a-jwt'),
  ],
  [
    'required',
    '401 invalid_token: revoked (hook after the signature)',
    async (u) => {
      const s = tokens.revoked();
      invalidToken(await get(`${u}/me`, bearer(s)), 'The access token has been revoked', s);
    },
  ],
  ['required', '401 without an error code when no credentials were sent', async (u) => missing(await get(`${u}/me`))],
  [
    'required',
    'never reads the query string unless enabled',
    async (u) => missing(await get(`${u}/me?access_token=${tokens.valid()}`)),
  ],
  [
    'required',
    '400 invalid_request: two Authorization headers (folded by fetch servers)',
    async (u) =>
      invalidRequest(
        await get(`${u}/me`, { authorization: [`Bearer ${tokens.valid()}`, `Bearer ${tokens.valid()}`] }),
        'The Bearer credentials are malformed',
      ),
  ],
  [
    'required',
    'another scheme: a 401 challenge without an error code',
    async (u) => {
      for (const authorization of [
        'Basic dXNlcjpwYXNz',
        'basic dXNlcjpwYXNz',
        'Digest username="u", realm="r", nonce="n", uri="/me", response="x"',
        'Negotiate YIIB',
        'Basic',
      ]) {
        missing(await get(`${u}/me`, { authorization }), NOT_BEARER);
        missing(await get(`${u}/orders`, { authorization }), NOT_BEARER);
      }
    },
  ],
  [
    'required',
    'reads the cookie beside another scheme',
    async (u) =>
      expectOk(await get(`${u}/me`, { authorization: 'Basic dXNlcjpwYXNz', cookie: `tessera_at=${tokens.valid()}` }), {
        sub: 'user-42',
      }),
  ],
  [
    'required',
    '400: header token beside an access_token query parameter',
    async (u) => {
      invalidRequest(
        await get(`${u}/me?access_token=${tokens.valid()}`, bearer(tokens.valid())),
        'Send the access token in exactly one place',
      );
      invalidRequest(
        await get(`${u}/me?page=2&access_token=`, bearer(tokens.valid())),
        'Send the access token in exactly one place',
      );
      expectOk(await get(`${u}/me?page=2&access_token_hint=x`, bearer(tokens.valid())), { sub: 'user-42' });
    },
  ],
  [
    'required',
    '400: "Bearer" without a token',
    async (u) =>
      invalidRequest(await get(`${u}/me`, { authorization: 'Bearer' }), 'The Bearer access token is missing'),
  ],
  [
    'required',
    '400: two tokens in one header',
    async (u) =>
      invalidRequest(
        await get(`${u}/me`, { authorization: `Bearer ${tokens.valid()} ${tokens.valid()}` }),
        'The Bearer credentials are malformed',
      ),
  ],
  [
    'required',
    'reads the configured cookie',
    async (u) =>
      expectOk(await get(`${u}/me`, { cookie: `theme=dark; tessera_at=${tokens.valid()}` }), { sub: 'user-42' }),
  ],
  [
    'required',
    'prefers the header over the cookie',
    async (u) =>
      expectOk(await get(`${u}/me`, { ...bearer(tokens.valid()), cookie: `tessera_at=${tokens.expired()}` }), {
        sub: 'user-42',
      }),
  ],
  [
    'required',
    '401 for a bad cookie token',
    async (u) => {
      const s = tokens.expired();
      invalidToken(await get(`${u}/me`, { cookie: `tessera_at=${s}` }), 'The access token expired', s);
    },
  ],
  [
    'required',
    '400: the token cookie twice',
    async (u) =>
      invalidRequest(
        await get(`${u}/me`, { cookie: `tessera_at=${tokens.valid()}; tessera_at=${tokens.valid()}` }),
        'Only one tessera_at cookie is allowed',
      ),
  ],
  [
    'required',
    'scope in "scope"',
    async (u) =>
      expectOk(await get(`${u}/orders`, bearer(tokens.withScopes('read:profile read:orders'))), { orders: [] }),
  ],
  [
    'required',
    'scope in "scp"',
    async (u) => expectOk(await get(`${u}/orders`, bearer(tokens.withScp(['read:orders']))), { orders: [] }),
  ],
  [
    'required',
    '403 insufficient_scope naming the scope',
    async (u) =>
      expectRefusal(
        await get(`${u}/orders`, bearer(tokens.withScopes('read:profile read:ordersX'))),
        403,
        `Bearer ${REALM_PARAM}, error="insufficient_scope", error_description="The access token lacks the required scope", scope="read:orders"`,
        { error: 'insufficient_scope', error_description: 'The access token lacks the required scope' },
      ),
  ],
  [
    'required',
    '401 on a scoped route for an invalid token',
    async (u) => {
      const s = tokens.expired();
      invalidToken(await get(`${u}/orders`, bearer(s)), 'The access token expired', s);
    },
  ],
  [
    'required',
    'claims guard grants',
    async (u) => expectOk(await get(`${u}/admin`, bearer(tokens.withRoles(['support', 'admin']))), { admin: true }),
  ],
  [
    'required',
    '403 from a claims guard',
    async (u) =>
      expectRefusal(
        await get(`${u}/admin`, bearer(tokens.withRoles(['support']))),
        403,
        `Bearer ${REALM_PARAM}, error="insufficient_scope", error_description="The access token does not grant access to this resource"`,
        { error: 'insufficient_scope', error_description: 'The access token does not grant access to this resource' },
      ),
  ],
  ['required', '401 on a guarded route without credentials', async (u) => missing(await get(`${u}/admin`))],
  ['optional', 'lets a request without a token through', async (u) => expectOk(await get(`${u}/me`), { sub: null })],
  [
    'optional',
    'still verifies a token that is sent',
    async (u) => {
      const s = tokens.expired();
      invalidToken(await get(`${u}/me`, bearer(s)), 'The access token expired', s);
    },
  ],
  ['optional', 'still requires a token where a guard needs claims', async (u) => missing(await get(`${u}/orders`))],
  [
    'optional',
    'reads access_token from the query',
    async (u) => expectOk(await get(`${u}/me?access_token=${tokens.valid()}`), { sub: 'user-42' }),
  ],
  [
    'optional',
    '400: header and query',
    async (u) =>
      invalidRequest(
        await get(`${u}/me?access_token=${tokens.valid()}`, bearer(tokens.valid())),
        'Send the access token in exactly one place',
      ),
  ],
  [
    'optional',
    'another scheme passes unauthenticated; a query token beside it is read',
    async (u) => {
      expectOk(await get(`${u}/me`, { authorization: 'Basic dXNlcjpwYXNz' }), { sub: null });
      expectOk(await get(`${u}/me?access_token=${tokens.valid()}`, { authorization: 'Basic dXNlcjpwYXNz' }), {
        sub: 'user-42',
      });
      missing(await get(`${u}/orders`, { authorization: 'Basic dXNlcjpwYXNz' }));
    },
  ],
  [
    'hook',
    '503 without leaking the hook error',
    async (u) => {
      const a = await get(`${u}/me`, bearer(tokens.valid()));
      expectRefusal(a, 503, undefined, UNAVAILABLE);
      assert.ok(!a.text.includes('secret-detail'));
    },
  ],
  [
    'hook',
    '503 when the hook rejects',
    async (u) => expectRefusal(await get(`${u}/me`, bearer(token({ sub: 'rejects' }))), 503, undefined, UNAVAILABLE),
  ],
  [
    'hook',
    '500 when the hook returns a non-boolean',
    async (u) =>
      expectRefusal(await get(`${u}/me`, bearer(token({ sub: 'sloppy' }))), 500, undefined, {
        error: 'server_error',
        error_description: 'The access token could not be verified',
      }),
  ],
  [
    'hook',
    'verifies the signature before the hook',
    async (u) => {
      const s = tokens.wrongSignature();
      invalidToken(await get(`${u}/me`, bearer(s)), 'The access token signature is invalid', s);
    },
  ],
  [
    'onerror',
    'onError adds headers and body members',
    async (u) => {
      const s = tokens.expired();
      const a = await get(`${u}/me`, bearer(s));
      expectRefusal(
        a,
        401,
        `Bearer ${REALM_PARAM}, error="invalid_token", error_description="The access token expired"`,
        { error: 'invalid_token', error_description: 'The access token expired', request_id: 'r-1' },
        s,
      );
      assert.equal(a.headers['x-request-id'], 'r-1');
    },
  ],
  ['onerror', 'onError cannot answer a success status', async (u) => missing(await get(`${u}/me`))],
  [
    'onerror',
    'a throwing onError sends the default refusal',
    async (u) =>
      invalidRequest(await get(`${u}/me`, { authorization: 'Bearer' }), 'The Bearer access token is missing'),
  ],
];

/** Rotation and outage, in order, with the JWKS servers' controls. */
export async function remoteCases(u, rotation, down) {
  expectOk(await get(`${u.rotation}/me`, bearer(token({}, {}, rotationA.privateKey))), { sub: 'user-42' });
  await rotation.control('set=k1k2');
  const before = await rotation.count();
  expectOk(await get(`${u.rotation}/me`, bearer(token({}, {}, rotationB.privateKey))), { sub: 'user-42' });
  assert.equal((await rotation.count()) - before, 1, 'one refetch for the new kid');
  await rotation.control('set=k2');
  const unknown = token({}, { kid: 'rotation-c' }, generateKeyPair('ES256').privateKey);
  invalidToken(
    await get(`${u.rotation}/me`, bearer(unknown)),
    'The access token was not signed by a known key',
    unknown,
  );
  const retired = token({}, {}, rotationA.privateKey);
  invalidToken(
    await get(`${u.rotation}/me`, bearer(retired)),
    'The access token was not signed by a known key',
    retired,
  );
  const a = await get(`${u.down}/me`, bearer(token({}, {}, outage.privateKey)));
  expectRefusal(a, 503, undefined, UNAVAILABLE);
  assert.ok(!a.text.includes('127.0.0.1'), 'the body never names the JWKS endpoint');
  await down.control('mode=ok');
  expectOk(await get(`${u.down}/me`, bearer(token({}, {}, outage.privateKey))), { sub: 'user-42' });
}
