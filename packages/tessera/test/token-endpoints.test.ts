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

describe('client authentication (RFC 6749 §2.3)', () => {
  // Public clients: a registered id, no secret. `web` is registered; `confidential` has a secret.
  async function startWithClients() {
    const service = createTokenService({
      issuer: 'https://auth.example.com',
      audience: 'https://api.example.com',
      store: createMemoryStore(),
      keys: { encryptionKey: randomBytes(32) },
    });
    const seen: Array<{ id: string; secret?: string }> = [];
    const endpoints = createTokenEndpoints(service, {
      grants: {
        password: (params) =>
          params.get('password') === 'correct horse'
            ? { sub: 'user-42', client_id: params.get('client_id')! }
            : undefined,
      },
      authenticateClient: (client) => {
        seen.push(client);
        return (
          (client.id === 'web' && client.secret === undefined) ||
          (client.id === 'confidential' && client.secret === 's3cret')
        );
      },
      realm: 'example',
    });
    const { origin } = await listen(toNodeHandler(endpoints.handle));
    const form = (path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(params).toString(),
      });
    return { form, seen };
  }
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

  test('an unregistered client_id is 401 invalid_client with a Basic challenge, on the password and the refresh grant', async () => {
    const { form } = await startWithClients();
    const ok = await read(form('/token', { grant_type: 'password', password: 'correct horse', client_id: 'web' }));
    for (const params of [
      { grant_type: 'password', password: 'correct horse', client_id: 'evil' } as Record<string, string>,
      { grant_type: 'refresh_token', refresh_token: ok.refresh_token, client_id: 'evil' },
    ]) {
      const res = await form('/token', params);
      assert.equal(res.status, 401, params.grant_type);
      assert.equal(res.headers.get('www-authenticate'), 'Basic realm="example"');
      assert.equal((await read(res)).error, 'invalid_client');
    }
    // The refresh token was not touched by the refused request.
    assert.equal(
      (await form('/token', { grant_type: 'refresh_token', refresh_token: ok.refresh_token, client_id: 'web' })).status,
      200,
    );
  });

  test('HTTP Basic: right credentials work, wrong ones and other schemes are 401 invalid_client with a challenge', async () => {
    const { form, seen } = await startWithClients();
    const good = await form(
      '/token',
      { grant_type: 'password', password: 'correct horse' },
      { authorization: basic('confidential', 's3cret') },
    );
    assert.equal(good.status, 200);
    assert.deepEqual(seen.at(-1), { id: 'confidential', secret: 's3cret' });
    for (const authorization of [
      basic('confidential', 'wrong'),
      basic('web', 'anything'),
      'Basic !!!',
      'Basic Zm9v',
      'Bearer abc',
    ]) {
      const res = await form('/token', { grant_type: 'password', password: 'correct horse' }, { authorization });
      assert.equal(res.status, 401, authorization);
      assert.equal(res.headers.get('www-authenticate'), 'Basic realm="example"');
      assert.equal((await read(res)).error, 'invalid_client');
    }
    // Two methods at once, or a client_id that contradicts the header, are malformed requests.
    const both = await form(
      '/token',
      { grant_type: 'password', password: 'correct horse', client_secret: 's3cret' },
      { authorization: basic('confidential', 's3cret') },
    );
    assert.equal((await read(both)).error, 'invalid_request');
    const other = await form(
      '/token',
      { grant_type: 'password', password: 'correct horse', client_id: 'web' },
      { authorization: basic('confidential', 's3cret') },
    );
    assert.equal((await read(other)).error, 'invalid_request');
  });

  test('revocation authenticates the client it names, too', async () => {
    const { form } = await startWithClients();
    const tokens = await read(form('/token', { grant_type: 'password', password: 'correct horse', client_id: 'web' }));
    const res = await form('/revoke', { token: tokens.refresh_token, client_id: 'evil' });
    assert.equal(res.status, 401);
    assert.equal((await read(res)).error, 'invalid_client');
    assert.equal((await form('/revoke', { token: tokens.refresh_token, client_id: 'web' })).status, 200);
  });

  test("a grant handler may answer with a Response of its own (a throttle's 429)", async () => {
    const service = createTokenService({
      issuer: 'https://auth.example.com',
      audience: 'https://api.example.com',
      store: createMemoryStore(),
      keys: { encryptionKey: randomBytes(32) },
    });
    const endpoints = createTokenEndpoints(service, {
      grants: {
        password: () => new Response('{"error":"slow_down"}', { status: 429, headers: { 'retry-after': '7' } }),
      },
    });
    const { origin } = await listen(toNodeHandler(endpoints.handle));
    const res = await fetch(`${origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
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
  test('the metadata advertises the client authentication methods it is told the endpoints accept', async () => {
    const service = createTokenService({
      issuer: 'https://auth.example.com',
      audience: 'https://api.example.com',
      store: createMemoryStore(),
      keys: { encryptionKey: randomBytes(32) },
    });
    const endpoints = createTokenEndpoints(service, {
      authMethods: {
        token: ['none', 'client_secret_basic'],
        introspection: ['client_secret_basic', 'private_key_jwt'],
      },
    });
    const meta = await read(
      endpoints.metadata(new Request('https://auth.example.com/.well-known/openid-configuration')),
    );
    assert.deepEqual(meta.token_endpoint_auth_methods_supported, ['none', 'client_secret_basic']);
    assert.deepEqual(meta.revocation_endpoint_auth_methods_supported, ['none']);
    assert.deepEqual(meta.introspection_endpoint_auth_methods_supported, ['client_secret_basic', 'private_key_jwt']);
    assert.throws(() => createTokenEndpoints(service, { authMethods: { introspect: ['x'] } } as never), {
      name: 'TypeError',
      message: /authMethods: unknown option "introspect"; did you mean "introspection"\?/,
    });
  });

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
      // RFC 8414: an absent introspection_endpoint_auth_methods_supported would mean client_secret_basic.
      assert.deepEqual(meta.token_endpoint_auth_methods_supported, ['none']);
      assert.deepEqual(meta.revocation_endpoint_auth_methods_supported, ['none']);
      assert.deepEqual(meta.introspection_endpoint_auth_methods_supported, ['client_secret_basic']);
    }
    assert.equal((await fetch(`${origin}/nope`)).status, 404);
  });
});

describe('toNodeHandler', () => {
  test('TRACE, TRACK and CONNECT, which a fetch Request cannot carry, are 501, not a 500', async () => {
    const { origin } = await start();
    const { request } = await import('node:http');
    const port = new URL(origin).port;
    for (const method of ['TRACE']) {
      // node:http itself answers 400 to TRACK; CONNECT never reaches a request listener
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/token', method }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 501, method);
    }
  });

  test('the handler gets the peer address, and request.signal aborts when the client leaves mid-body', async () => {
    const { request } = await import('node:http');
    let address: string | undefined;
    let signal: AbortSignal | undefined;
    let readFailed: unknown;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const { origin } = await listen(
      toNodeHandler(async (req, connection) => {
        address = connection.remoteAddress;
        signal = req.signal;
        try {
          await req.text();
        } catch (err) {
          readFailed = err;
        }
        finished();
        return new Response('ok');
      }),
    );
    const req = request({
      host: '127.0.0.1',
      port: new URL(origin).port,
      path: '/',
      method: 'POST',
      headers: { 'content-length': '1000' },
    });
    req.on('error', () => {});
    req.write('x'.repeat(10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    req.destroy();
    await done;
    assert.equal(address, '127.0.0.1');
    assert.ok(readFailed, 'reading the body fails');
    assert.equal(signal?.aborted, true);
  });

  test('the body arrives whole: in the packet of the headers, in pieces over time, chunked, and large', async () => {
    const { request } = await import('node:http');
    const { origin } = await listen(
      toNodeHandler(async (req) => {
        const bytes = new Uint8Array(await req.arrayBuffer());
        const digest = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
        return Response.json({ length: bytes.length, digest, aborted: req.signal.aborted });
      }),
    );
    const port = new URL(origin).port;
    const send = (parts: Buffer[], headers: Record<string, string>, gapMs: number) =>
      new Promise<{ length: number; digest: string; aborted: boolean }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', method: 'POST', headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
        });
        req.on('error', reject);
        void (async () => {
          for (const part of parts) {
            req.write(part);
            if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
          }
          req.end();
        })();
      });
    const { createHash } = await import('node:crypto');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const small = Buffer.from('grant_type=client_credentials&scope=a%20b');
    const large = randomBytes(3 * 1024 * 1024);
    const cases: Array<[string, Buffer[], Record<string, string>, number, Buffer]> = [
      ['one packet', [small], { 'content-length': String(small.length) }, 0, small],
      [
        'pieces 50 ms apart',
        [small.subarray(0, 10), small.subarray(10)],
        { 'content-length': String(small.length) },
        50,
        small,
      ],
      ['chunked', [small.subarray(0, 5), small.subarray(5)], { 'transfer-encoding': 'chunked' }, 20, small],
      ['3 MiB', [large], { 'content-length': String(large.length) }, 0, large],
      ['empty', [], { 'content-length': '0' }, 0, Buffer.alloc(0)],
    ];
    for (const [name, parts, headers, gap, whole] of cases) {
      const got = await send(parts, headers, gap);
      assert.equal(got.length, whole.length, name);
      assert.equal(got.digest, sha(whole), name);
      assert.equal(got.aborted, false, name);
    }
  });

  test('a response goes out with its Content-Length (not chunked): token JSON, UTF-8 text, bytes; HEAD and 204 without a body', async () => {
    const { request } = await import('node:http');
    const bytes = randomBytes(1000);
    const { origin } = await listen(
      toNodeHandler(async (req) => {
        const path = new URL(req.url).pathname;
        if (path === '/text')
          return new Response('päss ✓', { headers: { 'content-type': 'text/plain;charset=utf-8' } });
        if (path === '/bytes') return new Response(bytes);
        if (path === '/empty') return new Response(null, { status: 204 });
        if (path === '/own-length') return new Response('abc', { headers: { 'content-length': '3' } });
        return undefined;
      }),
    );
    const { origin: tokens } = await start();
    const get = (url: string, method = 'GET', body?: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const target = new URL(url);
        const headers: Record<string, string> = body ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
        const req = request({ host: '127.0.0.1', port: target.port, path: target.pathname, method, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const framed = (r: { headers: Record<string, unknown>; body: Buffer }, name: string) => {
      assert.equal(r.headers['transfer-encoding'], undefined, name);
      assert.equal(r.headers['content-length'], String(r.body.length), name);
    };
    const text = await get(`${origin}/text`);
    framed(text, 'text');
    assert.equal(text.body.toString('utf8'), 'päss ✓');
    const raw = await get(`${origin}/bytes`);
    framed(raw, 'bytes');
    assert.ok(raw.body.equals(bytes));
    framed(await get(`${origin}/own-length`), 'a length the handler set');
    // A token endpoint answer (the JSON the endpoints build) and an OAuth error.
    const refused = await get(`${tokens}/token`, 'POST', 'grant_type=refresh_token&refresh_token=nope&client_id=web');
    assert.equal(refused.status, 400);
    framed(refused, 'token endpoint error');
    assert.equal(JSON.parse(refused.body.toString()).error, 'invalid_grant');
    const head = await get(`${origin}/text`, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    const empty = await get(`${origin}/empty`);
    assert.equal(empty.status, 204);
    assert.equal(empty.body.length, 0);
    assert.equal(empty.headers['transfer-encoding'], undefined);
  });

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
