// RFC 7591 dynamic client registration, RFC 7592 management and the provider's CORS policy, over real
// HTTP on 127.0.0.1 against createProvider on the memory store.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createClientRegistry, createProvider, type ProviderOptions } from 'tessera-jwt/provider';
import { createMemoryStore, createTokenService, toNodeHandler } from 'tessera-jwt/server';
import { listen } from './helpers/http.js';

const IAT = 'initial-access-token-for-tests-0123456789';

async function start(registration: ProviderOptions['registration'] | null = { enabled: true }) {
  const store = createMemoryStore();
  let handler: (req: any, res: any) => void = () => {};
  const { origin } = await listen((req, res) => handler(req, res));
  const service = createTokenService({
    issuer: origin,
    audience: 'https://api.example.com',
    store,
    keys: { encryptionKey: randomBytes(32) },
  });
  const clients = createClientRegistry({ store });
  await clients.seed([
    { client_id: 'seeded', client_secret: 'seeded-client-secret-1234', redirect_uris: ['https://seeded.example/cb'] },
  ]);
  const provider = createProvider({
    service,
    store,
    clients,
    interactionUrl: '/interaction',
    ...(registration !== null ? { registration } : {}),
  });
  const userinfo = provider.withCORS(async (request: Request) =>
    new URL(request.url).pathname === '/userinfo' ? Response.json({ sub: 'x' }) : undefined,
  );
  const app = async (request: Request) =>
    (await provider.handle(request)) ?? (await userinfo(request)) ?? new Response('not found', { status: 404 });
  handler = toNodeHandler(app);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { origin, store, service, clients, provider, post };
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const form = (origin: string, path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });

describe('RFC 7591 dynamic client registration', () => {
  test('off by default: /register is not served and not advertised', async () => {
    const { origin, post } = await start(null);
    assert.equal((await post('/register', { redirect_uris: ['https://app.example/cb'] })).status, 404);
    const meta = (await (await fetch(`${origin}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(meta.registration_endpoint, undefined);
  });

  test('gated registration: 201 with the RFC 7591 §3.2.1 response; the client works at the token endpoint', async () => {
    const { origin, post: open, clients } = await start({ enabled: true, initialAccessToken: IAT });
    const post = (path: string, body: unknown) => open(path, body, { authorization: `Bearer ${IAT}` });
    const meta = (await (await fetch(`${origin}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(meta.registration_endpoint, `${origin}/register`);
    const response = await post('/register', {
      redirect_uris: ['https://app.example/cb'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      client_name: 'My App',
      client_id: 'chosen-by-client',
      client_secret: 'chosen-by-client-secret',
      software_statement: 'ignored',
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as Record<string, any>;
    assert.notEqual(body.client_id, 'chosen-by-client');
    assert.notEqual(body.client_secret, 'chosen-by-client-secret');
    assert.match(body.client_id, /^[A-Za-z0-9_-]{22}$/);
    assert.match(body.client_secret, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(body.client_secret_expires_at, 0);
    assert.ok(Math.abs(body.client_id_issued_at - Date.now() / 1000) < 5);
    assert.equal(body.registration_client_uri, `${origin}/register/${body.client_id}`);
    assert.match(body.registration_access_token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(body.token_endpoint_auth_method, 'client_secret_basic');
    assert.deepEqual(body.redirect_uris, ['https://app.example/cb']);
    assert.equal(body.client_name, 'My App');
    assert.equal(body.software_statement, undefined);
    assert.ok((await clients.find(body.client_id)) !== undefined);
    const token = await form(
      origin,
      '/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(body.client_id, body.client_secret) },
    );
    assert.equal(token.status, 200, await token.clone().text());
    const wrong = await form(
      origin,
      '/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(body.client_id, `${body.client_secret}x`) },
    );
    assert.equal(wrong.status, 401);
  });

  test('open registration: no client_credentials, and only scopes the provider knows', async () => {
    const { post } = await start();
    let r = await post('/register', { grant_types: ['client_credentials'] });
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { error: string }).error, 'invalid_client_metadata');
    r = await post('/register', {
      redirect_uris: ['https://app.example/cb'],
      grant_types: ['authorization_code', 'client_credentials'],
    });
    assert.equal(r.status, 400);
    r = await post('/register', { redirect_uris: ['https://app.example/cb'], scope: 'openid admin:everything' });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { error_description: string }).error_description, /scope/);
    r = await post('/register', { redirect_uris: ['https://app.example/cb'], scope: 'openid profile' });
    assert.equal(r.status, 201);
    // The same rules hold for an update.
    const client = (await r.json()) as Record<string, string>;
    const put = await fetch(client.registration_client_uri!, {
      method: 'PUT',
      headers: { authorization: `Bearer ${client.registration_access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: client.client_id, redirect_uris: ['https://app.example/cb'], scope: 'root' }),
    });
    assert.equal(put.status, 400);
  });

  test('the secret and the registration access token are stored only as hashes', async () => {
    const { post, store } = await start();
    const body = (await (await post('/register', { redirect_uris: ['https://app.example/cb'] })).json()) as any;
    const stored = JSON.stringify(await store.listRecords('Client', Date.now() / 1000));
    assert.ok(stored.includes(body.client_id));
    assert.ok(!stored.includes(body.client_secret), 'no plaintext secret');
    assert.ok(!stored.includes(body.registration_access_token), 'no plaintext registration token');
  });

  test('a public client (none) gets no secret and no client_secret_expires_at', async () => {
    const { post } = await start();
    const response = await post('/register', {
      redirect_uris: ['http://127.0.0.1:5173/cb'],
      token_endpoint_auth_method: 'none',
    });
    assert.equal(response.status, 201);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.client_secret, undefined);
    assert.equal(body.client_secret_expires_at, undefined);
    assert.equal(body.token_endpoint_auth_method, 'none');
  });

  test('strict metadata validation: RFC 7591 §3.2.2 errors', async () => {
    const { post } = await start();
    const refuse = async (metadata: unknown, error: string) => {
      const response = await post('/register', metadata);
      assert.equal(response.status, 400, JSON.stringify(metadata));
      const body = (await response.json()) as { error: string; error_description: string };
      assert.equal(body.error, error, JSON.stringify(metadata));
      assert.equal(typeof body.error_description, 'string');
    };
    await refuse({ redirect_uris: ['http://app.example/cb'] }, 'invalid_redirect_uri');
    await refuse({ redirect_uris: ['https://app.example/cb#frag'] }, 'invalid_redirect_uri');
    await refuse({ redirect_uris: ['/relative'] }, 'invalid_redirect_uri');
    await refuse({ redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri');
    await refuse({}, 'invalid_redirect_uri');
    await refuse({ redirect_uris: ['https://a.example/cb'], response_types: ['token'] }, 'invalid_client_metadata');
    await refuse(
      { redirect_uris: ['https://a.example/cb'], grant_types: ['client_credentials'], response_types: ['code'] },
      'invalid_client_metadata',
    );
    await refuse({ redirect_uris: ['https://a.example/cb'], grant_types: ['implicit'] }, 'invalid_client_metadata');
    await refuse(
      { redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'client_secret_jwt' },
      'invalid_client_metadata',
    );
    await refuse(
      {
        redirect_uris: ['https://a.example/cb'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] },
        jwks_uri: 'https://a.example/jwks',
      },
      'invalid_client_metadata',
    );
    await refuse(
      { redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'private_key_jwt' },
      'invalid_client_metadata',
    );
    await refuse([{ redirect_uris: ['https://a.example/cb'] }], 'invalid_client_metadata');
    await refuse('{not json', 'invalid_client_metadata');
    const asForm = await fetch(`${(await start()).origin}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'redirect_uris=https://a.example/cb',
    });
    assert.equal(asForm.status, 400);
    const big = await post('/register', { redirect_uris: ['https://a.example/cb'], client_name: 'x'.repeat(70_000) });
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as { error: string }).error, 'invalid_client_metadata');
  });

  test('gated by an initial access token: missing or wrong → 401 invalid_token with a Bearer challenge', async () => {
    const { post } = await start({ enabled: true, initialAccessToken: IAT });
    const metadata = { redirect_uris: ['https://app.example/cb'] };
    const missing = await post('/register', metadata);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="registration"');
    assert.equal(((await missing.json()) as { error: string }).error, 'invalid_token');
    const wrong = await post('/register', metadata, { authorization: `Bearer ${IAT}x` });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="registration", error="invalid_token"');
    const basicAuth = await post('/register', metadata, { authorization: basic('a', IAT) });
    assert.equal(basicAuth.status, 401);
    const ok = await post('/register', metadata, { authorization: `Bearer ${IAT}` });
    assert.equal(ok.status, 201);
  });

  test('a function decides on the initial access token', async () => {
    const seen: string[] = [];
    const { post } = await start({
      enabled: true,
      initialAccessToken: (token) => {
        seen.push(token);
        return token === 'let-me-in';
      },
    });
    const metadata = { redirect_uris: ['https://app.example/cb'] };
    assert.equal((await post('/register', metadata, { authorization: 'Bearer nope' })).status, 401);
    assert.equal((await post('/register', metadata, { authorization: 'Bearer let-me-in' })).status, 201);
    assert.deepEqual(seen, ['nope', 'let-me-in']);
  });

  test('registration options are checked', async () => {
    await assert.rejects(
      start({ enabled: true, initialAcessToken: IAT } as never),
      /createProvider registration: unknown option "initialAcessToken"; did you mean "initialAccessToken"\?/,
    );
    await assert.rejects(start({ enabled: true, initialAccessToken: 'short' }), TypeError);
    await assert.rejects(start({ enabled: 'yes' } as never), TypeError);
  });
});

describe('RFC 7592 client configuration endpoint', () => {
  const register = async (ctx: Awaited<ReturnType<typeof start>>, metadata: Record<string, unknown> = {}) => {
    const response = await ctx.post(
      '/register',
      {
        redirect_uris: ['https://app.example/cb'],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        ...metadata,
      },
      { authorization: `Bearer ${IAT}` },
    );
    assert.equal(response.status, 201);
    return (await response.json()) as Record<string, any>;
  };
  const call = (uri: string, method: string, token: string | undefined, body?: unknown) =>
    fetch(uri, {
      method,
      headers: {
        ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  test('GET reads the registration with the registration access token; the secret is not returned again', async () => {
    const ctx = await start({ enabled: true, initialAccessToken: IAT });
    const client = await register(ctx);
    const response = await call(client.registration_client_uri, 'GET', client.registration_access_token);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.client_id, client.client_id);
    assert.deepEqual(body.redirect_uris, client.redirect_uris);
    assert.equal(body.registration_client_uri, client.registration_client_uri);
    assert.equal(body.registration_access_token, client.registration_access_token);
    assert.equal(body.client_id_issued_at, client.client_id_issued_at);
    assert.equal(body.client_secret_expires_at, 0);
    assert.equal(body.client_secret, undefined);
  });

  test('missing, wrong, other-client and seeded-client tokens → 401 invalid_token', async () => {
    const ctx = await start({ enabled: true, initialAccessToken: IAT });
    const a = await register(ctx);
    const b = await register(ctx);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const missing = await call(a.registration_client_uri, method, undefined);
      assert.equal(missing.status, 401, method);
      assert.equal(((await missing.json()) as { error: string }).error, 'invalid_token');
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="registration"');
      const wrong = await call(a.registration_client_uri, method, `${a.registration_access_token}x`);
      assert.equal(wrong.status, 401, method);
      assert.match(wrong.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
      // B's token does not open A's registration.
      assert.equal((await call(a.registration_client_uri, method, b.registration_access_token)).status, 401, method);
    }
    // A client from the configuration has no registration token: not manageable over HTTP.
    assert.equal((await call(`${ctx.origin}/register/seeded`, 'GET', a.registration_access_token)).status, 401);
    assert.equal((await call(`${ctx.origin}/register/%E0%A4%A`, 'GET', a.registration_access_token)).status, 401);
    // Still there after all that.
    assert.equal((await call(a.registration_client_uri, 'GET', a.registration_access_token)).status, 200);
  });

  test('PUT replaces the metadata (omitted fields are dropped) under the rules of §2.2', async () => {
    const ctx = await start({ enabled: true, initialAccessToken: IAT });
    const client = await register(ctx, { client_name: 'Old name', scope: 'openid profile' });
    const uri = client.registration_client_uri;
    const token = client.registration_access_token;
    // client_id is required and must match.
    let r = await call(uri, 'PUT', token, { redirect_uris: ['https://app.example/new'] });
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { error: string }).error, 'invalid_client_metadata');
    r = await call(uri, 'PUT', token, { client_id: 'someone-else', redirect_uris: ['https://app.example/new'] });
    assert.equal(r.status, 400);
    // A client_secret, when sent, must be the current one; the client cannot choose its secret.
    r = await call(uri, 'PUT', token, {
      client_id: client.client_id,
      client_secret: 'my-own-secret-value-123',
      redirect_uris: ['https://app.example/new'],
    });
    assert.equal(r.status, 400);
    // Invalid metadata is refused and changes nothing.
    r = await call(uri, 'PUT', token, { client_id: client.client_id, redirect_uris: ['http://evil.example/cb'] });
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { error: string }).error, 'invalid_redirect_uri');
    // A valid replacement, echoing the server's own fields back (ignored).
    r = await call(uri, 'PUT', token, {
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: ['https://app.example/new'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      registration_access_token: 'ignored',
      registration_client_uri: 'https://evil.example/',
      client_id_issued_at: 1,
      client_secret_expires_at: 99,
    });
    assert.equal(r.status, 200, await r.clone().text());
    const body = (await r.json()) as Record<string, unknown>;
    assert.deepEqual(body.redirect_uris, ['https://app.example/new']);
    assert.equal(body.client_name, undefined, 'an omitted field is removed');
    assert.equal(body.scope, undefined);
    assert.equal(body.client_id_issued_at, client.client_id_issued_at);
    assert.equal(body.registration_client_uri, uri);
    assert.equal(body.client_secret_expires_at, 0);
    // The secret is unchanged and still works.
    const tokenResponse = await form(
      ctx.origin,
      '/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(client.client_id, client.client_secret) },
    );
    assert.equal(tokenResponse.status, 200);
    const found = await ctx.clients.find(client.client_id);
    assert.deepEqual(found?.redirect_uris, ['https://app.example/new']);
  });

  test('DELETE → 204; the client is gone, its registration token, secret and tokens stop working', async () => {
    const ctx = await start({ enabled: true, initialAccessToken: IAT });
    const client = await register(ctx);
    const auth = { authorization: basic(client.client_id, client.client_secret) };
    const issued = (await (await form(ctx.origin, '/token', { grant_type: 'client_credentials' }, auth)).json()) as {
      access_token: string;
    };
    // A resource server (the seeded client) introspects the token: active before the delete.
    const rs = { authorization: basic('seeded', 'seeded-client-secret-1234') };
    let introspection = (await (await form(ctx.origin, '/introspect', { token: issued.access_token }, rs)).json()) as {
      active: boolean;
    };
    assert.equal(introspection.active, true);
    const deleted = await call(client.registration_client_uri, 'DELETE', client.registration_access_token);
    assert.equal(deleted.status, 204);
    assert.equal(await deleted.text(), '');
    assert.equal(await ctx.clients.find(client.client_id), undefined);
    assert.equal((await call(client.registration_client_uri, 'GET', client.registration_access_token)).status, 401);
    assert.equal((await call(client.registration_client_uri, 'DELETE', client.registration_access_token)).status, 401);
    const token = await form(ctx.origin, '/token', { grant_type: 'client_credentials' }, auth);
    assert.equal(token.status, 401);
    assert.equal(((await token.json()) as { error: string }).error, 'invalid_client');
    introspection = (await (await form(ctx.origin, '/introspect', { token: issued.access_token }, rs)).json()) as {
      active: boolean;
    };
    assert.equal(introspection.active, false, 'the deleted client’s access token is inactive');
  });
});

describe('CORS for browser clients', () => {
  const SPA = 'http://127.0.0.1:5173';
  const preflight = (origin: string, path: string, from: string, method = 'POST') =>
    fetch(`${origin}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin: from,
        'access-control-request-method': method,
        'access-control-request-headers': 'content-type',
      },
    });

  test('preflight on /token from a registered origin: 204 with methods, headers, max-age, Vary', async () => {
    const ctx = await start();
    await ctx.clients.seed([{ client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: [`${SPA}/cb`] }]);
    const r = await preflight(ctx.origin, '/token', SPA);
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), SPA);
    assert.equal(r.headers.get('access-control-allow-methods'), 'POST');
    assert.match(r.headers.get('access-control-allow-headers') ?? '', /content-type/);
    assert.match(r.headers.get('access-control-allow-headers') ?? '', /authorization/);
    assert.equal(r.headers.get('access-control-max-age'), '600');
    assert.match(r.headers.get('vary') ?? '', /Origin/);
    assert.equal(r.headers.get('access-control-allow-credentials'), null);
    // The actual request carries the header too.
    const token = await form(
      ctx.origin,
      '/token',
      { grant_type: 'authorization_code', client_id: 'spa' },
      { origin: SPA },
    );
    assert.equal(token.status, 400);
    assert.equal(token.headers.get('access-control-allow-origin'), SPA);
    assert.match(token.headers.get('vary') ?? '', /Origin/);
    // Revocation and userinfo (answered by another handler) get the same policy.
    const revoke = await preflight(ctx.origin, '/revoke', SPA);
    assert.equal(revoke.headers.get('access-control-allow-origin'), SPA);
    const userinfo = await preflight(ctx.origin, '/userinfo', SPA, 'GET');
    assert.equal(userinfo.headers.get('access-control-allow-origin'), SPA);
    assert.equal(userinfo.headers.get('access-control-allow-methods'), 'GET, POST');
    const info = await fetch(`${ctx.origin}/userinfo`, { headers: { origin: SPA } });
    assert.equal(info.headers.get('access-control-allow-origin'), SPA);
    assert.match(info.headers.get('access-control-expose-headers') ?? '', /www-authenticate/);
  });

  test('an unlisted origin gets no Access-Control-Allow-Origin', async () => {
    const ctx = await start();
    for (const from of ['https://evil.example', 'null', `${SPA}.evil.example`, 'https://seeded.example.evil'])
      for (const path of ['/token', '/revoke', '/userinfo']) {
        const r = await preflight(ctx.origin, path, from);
        assert.equal(r.status, 204);
        assert.equal(r.headers.get('access-control-allow-origin'), null, `${from} ${path}`);
        assert.equal(r.headers.get('access-control-allow-methods'), null);
      }
    const token = await form(
      ctx.origin,
      '/token',
      { grant_type: 'client_credentials' },
      { origin: 'https://evil.example' },
    );
    assert.equal(token.headers.get('access-control-allow-origin'), null);
    // The origin of a seeded client's redirect URI is listed.
    const seeded = await preflight(ctx.origin, '/token', 'https://seeded.example');
    assert.equal(seeded.headers.get('access-control-allow-origin'), 'https://seeded.example');
  });

  test('introspection and registration get no CORS', async () => {
    const ctx = await start();
    for (const path of ['/introspect', '/register']) {
      const r = await preflight(ctx.origin, path, 'https://seeded.example');
      assert.equal(r.headers.get('access-control-allow-origin'), null, path);
    }
  });

  test('discovery and JWKS are readable from any origin', async () => {
    const ctx = await start();
    for (const path of [
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
      '/.well-known/jwks.json',
    ]) {
      const r = await fetch(`${ctx.origin}${path}`, { headers: { origin: 'https://anyone.example' } });
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('access-control-allow-origin'), '*', path);
      const p = await preflight(ctx.origin, path, 'https://anyone.example', 'GET');
      assert.equal(p.headers.get('access-control-allow-origin'), '*', path);
      assert.equal(p.headers.get('access-control-allow-methods'), 'GET, HEAD', path);
    }
    // No Origin header: no CORS headers (same-origin or server-to-server).
    const plain = await fetch(`${ctx.origin}/.well-known/jwks.json`);
    assert.equal(plain.headers.get('access-control-allow-origin'), null);
  });

  test('the origin set follows registration: a new client is allowed at once, a deleted one no longer', async () => {
    const ctx = await start();
    const APP = 'https://new-app.example';
    assert.equal((await preflight(ctx.origin, '/token', APP)).headers.get('access-control-allow-origin'), null);
    const client = (await (
      await ctx.post('/register', { redirect_uris: [`${APP}/cb`], token_endpoint_auth_method: 'none' })
    ).json()) as Record<string, string>;
    assert.equal((await preflight(ctx.origin, '/token', APP)).headers.get('access-control-allow-origin'), APP);
    const r = await fetch(client.registration_client_uri!, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${client.registration_access_token}` },
    });
    assert.equal(r.status, 204);
    assert.equal((await preflight(ctx.origin, '/token', APP)).headers.get('access-control-allow-origin'), null);
  });
});

describe('provider options of this step', () => {
  test('a grant type the server does not serve is unsupported_grant_type; one the client lacks is unauthorized_client', async () => {
    const { origin } = await start();
    const auth = { authorization: basic('seeded', 'seeded-client-secret-1234') };
    let r = await form(origin, '/token', { grant_type: 'implicit' }, auth);
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { error: string }).error, 'unsupported_grant_type');
    r = await form(origin, '/token', { grant_type: 'client_credentials' }, auth);
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { error: string }).error, 'unauthorized_client');
  });

  test('realm names the Basic challenge; grants see the request object as it came in; loginThrottle is used', async () => {
    const store = createMemoryStore();
    const service = createTokenService({
      issuer: 'https://id.example',
      audience: 'https://api.example',
      store,
      keys: { encryptionKey: randomBytes(32) },
    });
    const clients = createClientRegistry({ store });
    await clients.seed([
      { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example/cb'] },
    ]);
    const seen: Request[] = [];
    const asked: string[] = [];
    const provider = createProvider({
      service,
      store,
      clients,
      interactionUrl: '/interaction',
      realm: 'tessera-test',
      authenticate: () => undefined,
      grants: {
        'urn:example:test': (_params, request) => {
          seen.push(request);
          return { error: 'invalid_grant' };
        },
      },
      loginThrottle: {
        wait: (username) => (asked.push(username), 7),
        failed() {},
        succeeded() {},
      },
    });
    const bad = await provider.handle(
      new Request('https://id.example/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic eDp5' },
        body: 'grant_type=client_credentials',
      }),
    );
    assert.equal(bad!.status, 401);
    assert.equal(bad!.headers.get('www-authenticate'), 'Basic realm="tessera-test"');
    const request = new Request('https://id.example/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=urn%3Aexample%3Atest&client_id=spa',
    });
    assert.equal((await provider.handle(request))!.status, 400);
    assert.equal(seen.length, 1);
    assert.equal(seen[0], request, 'the same Request object (a WeakMap key for the peer address)');
    // The shared throttle answers before any password check.
    const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
    const started = await provider.handle(
      new Request(
        `https://id.example/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'spa', redirect_uri: 'https://spa.example/cb', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' })}`,
      ),
    );
    const uid = new URL(started!.headers.get('location')!).searchParams.get('uid')!;
    const cookie = started!.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = await (await provider.handle(
      new Request(`https://id.example/interaction?uid=${uid}`, { headers: { cookie } }),
    ))!.text();
    const csrf = /name="csrf" value="([^"]*)"/.exec(page)![1]!;
    const login = await provider.handle(
      new Request('https://id.example/interaction', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ uid, csrf, prompt: 'login', username: 'ada', password: 'pw' }).toString(),
      }),
    );
    assert.equal(login!.status, 429);
    assert.equal(login!.headers.get('retry-after'), '7');
    assert.deepEqual(asked, ['ada']);
  });
});
