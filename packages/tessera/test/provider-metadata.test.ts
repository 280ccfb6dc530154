// The provider's Discovery 1.0 / RFC 8414 metadata, taken at its word over real HTTP on 127.0.0.1:
// every advertised endpoint answers, every advertised grant type, response type and mode, PKCE method,
// scope, client authentication method and assertion algorithm works — and things it does not advertise
// are refused.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { decodeJWT, exportJWK, generateKeyPair, signJWT } from 'tessera-jwt';
import { pkce, startProvider, WEB_SECRET } from './helpers/provider.js';

const read = async (res: Response | Promise<Response>): Promise<any> => (await res).json();
const POST_SECRET = 'post-client-secret-for-tests';
// Every assertion algorithm the metadata advertises (checked below to be exactly this list).
const CLIENT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

async function start() {
  const keys = Object.fromEntries(CLIENT_ALGORITHMS.map((alg) => [alg, generateKeyPair(alg)]));
  const ctx = await startProvider({
    clients: [
      {
        client_id: 'web',
        client_secret: WEB_SECRET,
        client_name: 'Web App',
        redirect_uris: ['https://app.example/cb'],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      },
      {
        client_id: 'spa',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1:5173/cb'],
        grant_types: ['authorization_code', 'refresh_token'],
      },
      {
        client_id: 'poster',
        client_secret: POST_SECRET,
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: ['https://poster.example/cb'],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      },
      ...CLIENT_ALGORITHMS.map((alg) => ({
        client_id: `jwt-${alg}`,
        token_endpoint_auth_method: 'private_key_jwt' as const,
        redirect_uris: ['https://jwt.example/cb'],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        jwks: { keys: [{ ...exportJWK(keys[alg]!.publicKey), kid: `${alg}-1`, alg }] },
      })),
    ],
  });
  const doc = await read(fetch(`${ctx.origin}/.well-known/openid-configuration`));
  /** Credentials of each authentication method, for the token, revocation and introspection endpoints. */
  const credentials = (
    method: string,
    endpoint: string,
    alg = 'ES256',
  ): { params: Record<string, string>; headers: Record<string, string>; clientId: string } => {
    switch (method) {
      case 'client_secret_basic':
        return { params: {}, headers: ctx.basic('web', WEB_SECRET), clientId: 'web' };
      case 'client_secret_post':
        return { params: { client_id: 'poster', client_secret: POST_SECRET }, headers: {}, clientId: 'poster' };
      case 'none':
        return { params: { client_id: 'spa' }, headers: {}, clientId: 'spa' };
      case 'private_key_jwt': {
        const id = `jwt-${alg}`;
        const assertion = signJWT({ iss: id, sub: id, aud: endpoint, jti: randomUUID() }, keys[alg]!.privateKey, {
          algorithm: alg,
          kid: `${alg}-1`,
          expiresIn: 60,
        });
        return {
          params: {
            client_id: id,
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: assertion,
          },
          headers: {},
          clientId: id,
        };
      }
      default:
        throw new Error(`no credentials for ${method}`);
    }
  };
  return { ...ctx, doc, credentials, keys };
}

describe('metadata', () => {
  test("one document at both well-known paths; the issuer is the origin; Discovery's required members are there", async () => {
    const ctx = await start();
    const oauth = await read(fetch(`${ctx.origin}/.well-known/oauth-authorization-server`));
    assert.deepEqual(oauth, ctx.doc);
    assert.equal(ctx.doc.issuer, ctx.origin);
    for (const member of [
      'authorization_endpoint',
      'token_endpoint',
      'userinfo_endpoint',
      'jwks_uri',
      'end_session_endpoint',
      'revocation_endpoint',
      'introspection_endpoint',
      'response_types_supported',
      'subject_types_supported',
      'id_token_signing_alg_values_supported',
    ])
      assert.ok(ctx.doc[member] !== undefined, member);
    assert.deepEqual(ctx.doc.subject_types_supported, ['public']);
    assert.equal(ctx.doc.claims_parameter_supported, false);
    assert.equal(ctx.doc.request_parameter_supported, false);
    assert.equal(ctx.doc.request_uri_parameter_supported, false);
  });

  test('every advertised endpoint answers on the issuer origin (no 404), with its own kind of answer', async () => {
    const ctx = await start();
    const endpoints = Object.entries(ctx.doc).filter(([name]) => name.endsWith('_endpoint') || name === 'jwks_uri');
    assert.ok(endpoints.length >= 7);
    for (const [name, url] of endpoints as Array<[string, string]>) {
      assert.ok(url.startsWith(`${ctx.origin}/`), name);
      const res = await fetch(url, {
        method: ['token_endpoint', 'revocation_endpoint', 'introspection_endpoint'].includes(name) ? 'POST' : 'GET',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
        ...(name.includes('token') || name.includes('revocation') || name.includes('introspection')
          ? { body: '' }
          : {}),
      });
      assert.notEqual(res.status, 404, name);
      assert.ok(res.status < 500, `${name}: ${res.status}`);
    }
    assert.equal((await fetch(ctx.doc.userinfo_endpoint)).status, 401);
    assert.equal((await fetch(ctx.doc.end_session_endpoint)).status, 200);
    assert.ok((await read(fetch(ctx.doc.jwks_uri))).keys.length >= 1);
  });

  test('every advertised grant type works; an unadvertised one is unsupported_grant_type', async () => {
    const ctx = await start();
    assert.deepEqual([...ctx.doc.grant_types_supported].sort(), [
      'authorization_code',
      'client_credentials',
      'refresh_token',
    ]);
    const b = ctx.browser();
    const code = await ctx.signIn(b, { scope: 'openid offline_access', prompt: 'consent' });
    assert.equal(code.status, 200);
    const refreshed = await ctx.form(
      '/token',
      { grant_type: 'refresh_token', refresh_token: code.body.refresh_token },
      ctx.basic('web', WEB_SECRET),
    );
    assert.equal(refreshed.status, 200);
    const machine = await ctx.form('/token', { grant_type: 'client_credentials' }, ctx.basic('web', WEB_SECRET));
    assert.equal(machine.status, 200);
    for (const grant of [
      'password',
      'implicit',
      'urn:ietf:params:oauth:grant-type:device_code',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ]) {
      const res = await ctx.form('/token', { grant_type: grant }, ctx.basic('web', WEB_SECRET));
      assert.equal(res.status, 400, grant);
      assert.equal((await read(res)).error, 'unsupported_grant_type', grant);
    }
  });

  test('every advertised token endpoint auth method and assertion algorithm works; others are refused', async () => {
    const ctx = await start();
    const tokenURL = ctx.doc.token_endpoint;
    for (const method of ctx.doc.token_endpoint_auth_methods_supported) {
      const algs = method === 'private_key_jwt' ? CLIENT_ALGORITHMS : [undefined];
      for (const alg of algs) {
        const c = ctx.credentials(method, tokenURL, alg);
        const issued = await ctx.service.issue({ sub: 'user-42', client_id: c.clientId, scope: 'openid' });
        const res = await ctx.form(
          '/token',
          { grant_type: 'refresh_token', refresh_token: issued.refresh_token, ...c.params },
          c.headers,
        );
        assert.equal(res.status, 200, `${method} ${alg ?? ''}`);
      }
    }
    assert.deepEqual(
      [...ctx.doc.token_endpoint_auth_signing_alg_values_supported].sort(),
      [...CLIENT_ALGORITHMS].sort(),
    );
    assert.ok(!ctx.doc.token_endpoint_auth_methods_supported.includes('client_secret_jwt'));
    assert.ok(!ctx.doc.token_endpoint_auth_signing_alg_values_supported.includes('HS256'));
    assert.ok(!ctx.doc.token_endpoint_auth_signing_alg_values_supported.includes('none'));
    // client_secret_jwt (an HS256 assertion MACed with the secret) is not advertised and does not work.
    const hs = signJWT(
      { iss: 'web', sub: 'web', aud: tokenURL, jti: randomUUID() },
      Buffer.from(WEB_SECRET.padEnd(32, '!')),
      {
        algorithm: 'HS256',
        expiresIn: 60,
      },
    );
    const refused = await ctx.form('/token', {
      grant_type: 'client_credentials',
      client_id: 'web',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: hs,
    });
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate')!, /^Basic /);
  });

  test('revocation and introspection: their advertised auth methods work; introspection refuses public clients', async () => {
    const ctx = await start();
    for (const method of ctx.doc.revocation_endpoint_auth_methods_supported) {
      const c = ctx.credentials(method, ctx.doc.revocation_endpoint);
      const issued = await ctx.service.issue({ sub: 'user-42', client_id: c.clientId });
      const res = await ctx.form('/revoke', { token: issued.refresh_token, ...c.params }, c.headers);
      assert.equal(res.status, 200, method);
      assert.equal((await ctx.service.introspect(issued.refresh_token)).active, false, method);
    }
    assert.ok(!ctx.doc.introspection_endpoint_auth_methods_supported.includes('none'));
    for (const method of ctx.doc.introspection_endpoint_auth_methods_supported) {
      const c = ctx.credentials(method, ctx.doc.introspection_endpoint);
      const issued = await ctx.service.issue({ sub: 'user-42', client_id: 'web' });
      const res = await ctx.form('/introspect', { token: issued.access_token, ...c.params }, c.headers);
      assert.equal(res.status, 200, method);
      assert.equal((await read(res)).active, true, method);
    }
    const c = ctx.credentials('none', ctx.doc.introspection_endpoint);
    const issued = await ctx.service.issue({ sub: 'user-42', client_id: 'spa' });
    assert.equal((await ctx.form('/introspect', { token: issued.access_token, ...c.params })).status, 401);
  });

  test('response types and modes, PKCE methods, scopes, ID token algorithm and claims: advertised ones work, others do not', async () => {
    const ctx = await start();
    const b = ctx.browser();
    assert.deepEqual(ctx.doc.response_types_supported, ['code']);
    assert.deepEqual(ctx.doc.response_modes_supported, ['query']);
    assert.deepEqual(ctx.doc.code_challenge_methods_supported, ['S256']);
    // Every advertised scope at once, with response_mode=query said explicitly.
    const all = await ctx.signIn(b, {
      scope: ctx.doc.scopes_supported.join(' '),
      prompt: 'consent',
      response_mode: 'query',
    });
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.scope.split(' ').sort(), [...ctx.doc.scopes_supported].sort());
    const { header, payload } = decodeJWT(all.body.id_token);
    assert.deepEqual(ctx.doc.id_token_signing_alg_values_supported, [header.alg]);
    const info = await read(
      fetch(ctx.doc.userinfo_endpoint, { headers: { authorization: `Bearer ${all.body.access_token}` } }),
    );
    for (const claim of [...Object.keys(payload), ...Object.keys(info)])
      assert.ok(ctx.doc.claims_supported.includes(claim), claim);
    // subject_types public: every client sees the same sub.
    const spa = await ctx.signIn(b, {}, { id: 'spa', redirect: 'http://127.0.0.1:5173/cb' });
    assert.equal((decodeJWT(spa.body.id_token).payload as any).sub, payload.sub);
    const { challenge } = pkce();
    const base = {
      client_id: 'web',
      redirect_uri: 'https://app.example/cb',
      scope: 'openid',
      state: 's',
      code_challenge: challenge,
    };
    const cases: Array<[Record<string, string>, string]> = [
      [{ response_type: 'token', code_challenge_method: 'S256' }, 'unsupported_response_type'],
      [{ response_type: 'code id_token', code_challenge_method: 'S256' }, 'unsupported_response_type'],
      [{ response_type: 'code', response_mode: 'fragment', code_challenge_method: 'S256' }, 'invalid_request'],
      [{ response_type: 'code', response_mode: 'form_post', code_challenge_method: 'S256' }, 'invalid_request'],
      [{ response_type: 'code', code_challenge_method: 'plain' }, 'invalid_request'],
      [{ response_type: 'code', code_challenge_method: 'S256', scope: 'openid admin' }, 'invalid_scope'],
      [{ response_type: 'code', code_challenge_method: 'S256', request: 'e30.e30.' }, 'request_not_supported'],
      [
        { response_type: 'code', code_challenge_method: 'S256', request_uri: 'https://app.example/r' },
        'request_uri_not_supported',
      ],
    ];
    for (const [extra, error] of cases) {
      const res = await b.go(ctx.authorizeURL({ ...base, ...extra }));
      assert.equal(res.status, 303, error);
      assert.equal(new URL(res.headers.get('location')!).searchParams.get('error'), error, JSON.stringify(extra));
    }
  });
});
