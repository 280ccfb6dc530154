// The token endpoints over real HTTP (node:http + toNodeHandler on 127.0.0.1): RFC 6749 token
// responses and errors, RFC 7009 revocation, RFC 7662 introspection, JWKS and metadata documents.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createMemoryStore, createTokenEndpoints, createTokenService, toNodeHandler } from 'tessera-jwt/server';
import type { TokenStore } from 'tessera-jwt/server';
import { listen } from './helpers/http.js';

// fetch's json() is typed unknown: these bodies are read as the RFC documents they are.
const read = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

const INTROSPECTION_SECRET = 'introspection-secret-for-tests';

async function start(store: TokenStore = createMemoryStore()) {
  const service = createTokenService({
    issuer: 'https://auth.example.com',
    audience: 'https://api.example.com',
    store,
    keys: { encryptionKey: randomBytes(32) },
  });
  const errors: unknown[] = [];
  const endpoints = createTokenEndpoints(service, {
    grants: {
      password: (params) => {
        if (!params.get('username'))
          return { error: 'invalid_request', error_description: 'The "username" parameter is required' };
        if (params.get('client_id') === 'unknown-client')
          return { error: 'invalid_client', error_description: 'Unknown client' };
        return params.get('username') === 'jane' && params.get('password') === 'correct horse'
          ? { sub: 'user-42', client_id: params.get('client_id') ?? 'web', scope: params.get('scope') ?? 'read' }
          : undefined;
      },
    },
    authenticateIntrospection: (request) => request.headers.get('authorization') === `Bearer ${INTROSPECTION_SECRET}`,
    onError: (err) => errors.push(err),
  });
  const { origin } = await listen(toNodeHandler(endpoints.handle));
  const form = (path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
    });
  return { origin, form, service, errors };
}

const login = { grant_type: 'password', username: 'jane', password: 'correct horse', client_id: 'web' };

describe('POST /token', () => {
  test("a password grant (the application's own hook) issues a token pair with no-store caching", async () => {
    const { form } = await start();
    const res = await form('/token', login);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('pragma'), 'no-cache');
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    const body = await read(res);
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
  });

  test('refresh_token rotates; replaying the old one is invalid_grant and kills the new one', async () => {
    const { form } = await start();
    const first = await read(form('/token', login));
    const second = await form('/token', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: 'web',
    });
    assert.equal(second.status, 200);
    const next = await read(second);
    const replay = await form('/token', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: 'web',
    });
    assert.equal(replay.status, 400);
    assert.deepEqual(Object.keys(await read(replay)).sort(), ['error', 'error_description']);
    const dead = await form('/token', {
      grant_type: 'refresh_token',
      refresh_token: next.refresh_token,
      client_id: 'web',
    });
    assert.equal((await read(dead)).error, 'invalid_grant');
  });

  test('RFC 6749 §5.2 errors: wrong credentials, unknown grant type, missing parameter, wider scope', async () => {
    const { form } = await start();
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ ...login, password: 'wrong' }, 400, 'invalid_grant'],
      [{ grant_type: 'client_credentials' }, 400, 'unsupported_grant_type'],
      [{ grant_type: 'refresh_token', client_id: 'web' }, 400, 'invalid_request'],
      [{}, 400, 'invalid_request'],
      [{ grant_type: 'password', password: 'x' }, 400, 'invalid_request'], // the application's own refusal
      [{ ...login, client_id: 'unknown-client' }, 401, 'invalid_client'],
    ];
    for (const [params, status, error] of cases) {
      const res = await form('/token', params);
      assert.equal(res.status, status, JSON.stringify(params));
      assert.equal((await read(res)).error, error);
    }
    const tokens = await read(form('/token', login));
    const wider = await form('/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: 'web',
      scope: 'read admin',
    });
    assert.equal((await read(wider)).error, 'invalid_scope');
  });

  test('bad requests: JSON body, repeated parameters, GET, a huge body', async () => {
    const { origin, form } = await start();
    const asJson = await fetch(`${origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(login),
    });
    assert.equal(asJson.status, 400);
    assert.equal((await read(asJson)).error, 'invalid_request');
    const repeated = await fetch(`${origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&grant_type=refresh_token',
    });
    assert.equal((await read(repeated)).error, 'invalid_request');
    const get = await fetch(`${origin}/token`);
    assert.equal(get.status, 405);
    const huge = await form('/token', { ...login, padding: 'x'.repeat(100_000) });
    assert.equal(huge.status, 413);
    // …and the server keeps serving
    assert.equal((await form('/token', login)).status, 200);
  });

  test('a failing store is 503 temporarily_unavailable, and the details go to onError only', async () => {
    const store: TokenStore = {
      ...createMemoryStore(),
      insertRefreshToken: async () => {
        throw new Error('disk I/O error at /var/lib/secret.db');
      },
    };
    const { form, errors } = await start(store);
    const res = await form('/token', login);
    assert.equal(res.status, 503);
    const text = await res.text();
    assert.doesNotMatch(text, /disk|secret/);
    assert.equal(JSON.parse(text).error, 'temporarily_unavailable');
    assert.equal(errors.length, 1);
  });
});

describe('POST /revoke and POST /introspect', () => {
  test('revoke answers 200 for valid and unknown tokens; a revoked refresh token no longer works', async () => {
    const { form } = await start();
    const tokens = await read(form('/token', login));
    const res = await form('/revoke', { token: tokens.refresh_token, token_type_hint: 'refresh_token' });
    assert.equal(res.status, 200);
    assert.equal((await form('/revoke', { token: 'unknown' })).status, 200);
    const after = await form('/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: 'web',
    });
    assert.equal((await read(after)).error, 'invalid_grant');
  });

  test("revoking another client's token is refused with unauthorized_client and the token stays valid (RFC 7009 §2.1)", async () => {
    const { form } = await start();
    const tokens = await read(form('/token', login));
    for (const token of [tokens.refresh_token, tokens.access_token]) {
      const res = await form('/revoke', { token, client_id: 'mobile' });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal((await read(res)).error, 'unauthorized_client');
    }
    const still = await form(
      '/introspect',
      { token: tokens.access_token },
      { authorization: `Bearer ${INTROSPECTION_SECRET}` },
    );
    assert.equal((await read(still)).active, true);
    assert.equal((await form('/revoke', { token: tokens.refresh_token, client_id: 'web' })).status, 200);
    const after = await form('/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: 'web',
    });
    assert.equal((await read(after)).error, 'invalid_grant');
  });

  test('introspection requires the caller to authenticate', async () => {
    const { form } = await start();
    const tokens = await read(form('/token', login));
    const anonymous = await form('/introspect', { token: tokens.access_token });
    assert.equal(anonymous.status, 401);
    assert.equal((await read(anonymous)).error, 'invalid_client');
    const res = await form(
      '/introspect',
      { token: tokens.access_token },
      { authorization: `Bearer ${INTROSPECTION_SECRET}` },
    );
    const body = await read(res);
    assert.equal(body.active, true);
    assert.equal(body.sub, 'user-42');
    assert.equal(body.client_id, 'web');
    await form('/revoke', { token: tokens.access_token });
    const revoked = await form(
      '/introspect',
      { token: tokens.access_token },
      { authorization: `Bearer ${INTROSPECTION_SECRET}` },
    );
    assert.deepEqual(await read(revoked), { active: false });
  });
});

describe('createTokenEndpoints options', () => {
  test('an unknown option name, at the top or under paths, is a TypeError that suggests the right one', () => {
    const service = createTokenService({
      issuer: 'https://auth.example.com',
      audience: 'https://api.example.com',
      store: createMemoryStore(),
      keys: { encryptionKey: randomBytes(32) },
    });
    assert.throws(() => createTokenEndpoints(service, { authenticateIntrospect: () => true } as never), {
      name: 'TypeError',
      message:
        'createTokenEndpoints: unknown option "authenticateIntrospect"; did you mean "authenticateIntrospection"?',
    });
    assert.throws(() => createTokenEndpoints(service, { paths: { revocation: '/oauth/revoke' } } as never), {
      name: 'TypeError',
      message: /^createTokenEndpoints paths: unknown option "revocation"/,
    });
    createTokenEndpoints(service, {
      grants: {},
      authenticateIntrospection: () => false,
      maxBodyBytes: 1024,
      paths: { token: '/oauth/token', revoke: '/r', introspect: '/i', jwks: '/j', metadata: '/m' },
      onError: () => {},
    });
  });
});

describe('documents', () => {
  test('the JWKS is public and cacheable; the metadata names every endpoint', async () => {
    const { origin } = await start();
    const jwks = await fetch(`${origin}/.well-known/jwks.json`);
    assert.equal(jwks.status, 200);
    assert.match(jwks.headers.get('cache-control')!, /^public, max-age=\d+$/);
    const { keys } = await read(jwks);
    assert.equal(keys.length, 1);
    assert.equal(keys[0].d, undefined);
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const meta = await read(fetch(`${origin}${path}`));
      assert.equal(meta.issuer, 'https://auth.example.com');
      assert.equal(meta.jwks_uri, 'https://auth.example.com/.well-known/jwks.json');
      assert.deepEqual(meta.grant_types_supported, ['refresh_token', 'password']);
    }
    assert.equal((await fetch(`${origin}/nope`)).status, 404);
  });
});

describe('toNodeHandler', () => {
  test('routes on the request target only: a Host header cannot steer the path', async () => {
    const { origin } = await start();
    const { request } = await import('node:http');
    const port = new URL(origin).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/public/page', headers: { host: 'x/.well-known/jwks.json?' } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 404);
  });
});
