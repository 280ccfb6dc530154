// The reference server's hardening, over real HTTP against the built server on SQLite: passwords with
// control characters, login throttling (429 + Retry-After, per address), client errors on /token and
// /login, introspection from exp on, the refresh grace period under 30 concurrent refreshes, methods a
// fetch Request cannot carry, client aborts in the log, and the advertised introspection auth method.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJWT } from 'tessera-jwt';
import {
  freePort,
  postForm,
  postJSON,
  startServer,
  tempDir,
  type RunningServer,
  type Tokens,
} from './helpers/server.js';

const PASSWORD = 'hardening-password';
const CLIENT = 'tessera-debugger';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A JSON POST from a chosen loopback source address (the throttle counts per client address). */
function postFrom(
  localAddress: string,
  url: string,
  body: unknown,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const target = new URL(url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A raw request line and headers, for methods fetch refuses to send. */
function rawRequest(
  port: number,
  method: string,
  path: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

async function withServer(
  env: Record<string, string>,
  body: (server: RunningServer, dataDir: string) => Promise<void>,
): Promise<void> {
  const data = tempDir();
  const server = await startServer({
    dataDir: data.path,
    port: await freePort(),
    env: { TESSERA_DEMO_PASSWORD: PASSWORD, ...env },
  });
  try {
    await body(server, data.path);
  } finally {
    await server.stop();
    data.remove();
  }
}

test('passwords with control characters are refused at login, NUL included (item 17)', async () => {
  await withServer({}, async (server) => {
    for (const password of [`${PASSWORD}\0`, `${PASSWORD}\0\0\0`, `${PASSWORD}\n`, `\u0000${PASSWORD}`]) {
      const viaLogin = await postJSON(`${server.url}/login`, { username: 'demo', password });
      assert.equal(viaLogin.status, 400, JSON.stringify(password));
      assert.deepEqual(await viaLogin.json(), {
        error: 'invalid_request',
        error_description: 'The password must not contain control characters',
      });
      const viaToken = await postForm(`${server.url}/token`, {
        grant_type: 'password',
        username: 'demo',
        password,
        client_id: CLIENT,
      });
      assert.equal(viaToken.status, 400);
      assert.equal(((await viaToken.json()) as { error: string }).error, 'invalid_request');
    }
    assert.equal((await postJSON(`${server.url}/login`, { username: 'demo', password: PASSWORD })).status, 200);
  });
});

test('brute force on login: 429 with Retry-After from the guessing address only, and the right password works once the wait is over (item 18)', async () => {
  await withServer({}, async (server) => {
    const wrong = { username: 'demo', password: 'wrong-password' };
    // Five failures are free, the sixth starts a 1 s wait.
    for (let i = 0; i < 6; i++)
      assert.equal((await postFrom('127.0.0.1', `${server.url}/login`, wrong)).status, 400, `attempt ${i + 1}`);
    const throttled = await postFrom('127.0.0.1', `${server.url}/login`, wrong);
    assert.equal(throttled.status, 429);
    const retryAfter = Number(throttled.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 2, String(retryAfter));
    assert.equal((JSON.parse(throttled.body) as { error: string }).error, 'slow_down');
    // The right password is not even checked while the wait runs…
    assert.equal(
      (await postFrom('127.0.0.1', `${server.url}/login`, { username: 'demo', password: PASSWORD })).status,
      429,
    );
    // …the password grant on /token shares the throttle…
    const viaToken = await postForm(`${server.url}/token`, {
      grant_type: 'password',
      username: 'demo',
      password: PASSWORD,
      client_id: CLIENT,
    });
    assert.equal(viaToken.status, 429);
    assert.ok(Number(viaToken.headers.get('retry-after')) >= 1);
    // …but the real user on another address logs in at once.
    assert.equal(
      (await postFrom('127.0.0.2', `${server.url}/login`, { username: 'demo', password: PASSWORD })).status,
      200,
    );
    // After the wait, the right password works from the guessing address too.
    await sleep(retryAfter * 1000 + 100);
    assert.equal(
      (await postFrom('127.0.0.1', `${server.url}/login`, { username: 'demo', password: PASSWORD })).status,
      200,
    );
    // 30 more wrong guesses in a row: waits grow, every one is a 400 or a 429, never a success.
    const statuses = new Set<number>();
    for (let i = 0; i < 30; i++) statuses.add((await postFrom('127.0.0.1', `${server.url}/login`, wrong)).status);
    assert.deepEqual([...statuses].sort(), [400, 429]);
  });
});

test('client errors: unknown client_id and bad HTTP Basic credentials are 401 invalid_client with a challenge; a missing username is invalid_request (item 21)', async () => {
  await withServer({}, async (server) => {
    const challenge = 'Basic realm="tessera"';
    let r = await postForm(`${server.url}/token`, {
      grant_type: 'password',
      username: 'demo',
      password: PASSWORD,
      client_id: 'evil-client',
    });
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), challenge);
    assert.equal(((await r.json()) as { error: string }).error, 'invalid_client');
    const tokens = (await (
      await postJSON(`${server.url}/login`, { username: 'demo', password: PASSWORD })
    ).json()) as Tokens;
    r = await postForm(`${server.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: 'evil-client',
    });
    assert.equal(r.status, 401);
    assert.equal(((await r.json()) as { error: string }).error, 'invalid_client');
    for (const authorization of [
      `Basic ${Buffer.from(`${CLIENT}:guess`).toString('base64')}`,
      `Basic ${Buffer.from('nobody:x').toString('base64')}`,
      'Basic !!!',
      'Digest x',
    ]) {
      r = await postForm(
        `${server.url}/token`,
        { grant_type: 'password', username: 'demo', password: PASSWORD },
        { authorization },
      );
      assert.equal(r.status, 401, authorization);
      assert.equal(r.headers.get('www-authenticate'), challenge);
      assert.equal(((await r.json()) as { error: string }).error, 'invalid_client');
      r = await postJSON(`${server.url}/login`, { username: 'demo', password: PASSWORD }, { authorization });
      assert.equal(r.status, 401, authorization);
      assert.equal(r.headers.get('www-authenticate'), challenge);
    }
    for (const [path, send] of [
      ['/token', postForm],
      ['/login', postJSON],
    ] as const) {
      r = await send(`${server.url}${path}`, { grant_type: 'password', password: PASSWORD, client_id: CLIENT });
      assert.equal(r.status, 400, path);
      assert.equal(((await r.json()) as { error: string }).error, 'invalid_request', path);
    }
    // No client identification at all is a failed client authentication (RFC 6749 §5.2 invalid_client:
    // "no client authentication included"), answered 401 with the challenge.
    r = await postForm(`${server.url}/token`, { grant_type: 'password', username: 'demo', password: PASSWORD });
    assert.equal(r.status, 401, 'no client_id');
    assert.equal(r.headers.get('www-authenticate'), challenge);
    assert.equal(((await r.json()) as { error: string }).error, 'invalid_client', 'no client_id');
    // The refresh token survived every refused request.
    assert.equal(
      (
        await postForm(`${server.url}/token`, {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: CLIENT,
        })
      ).status,
      200,
    );
  });
});

test('introspection: advertised client_secret_basic works, and an access token is inactive from its exp on (items 19, 24)', async () => {
  await withServer({ TESSERA_ACCESS_TTL: '10s' }, async (server, dataDir) => {
    const meta = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    // The provider's client authentication: every method at the token and revocation endpoints, and every
    // method but none at introspection (the resource-server client uses client_secret_basic below).
    assert.deepEqual(meta.introspection_endpoint_auth_methods_supported, [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
    ]);
    const all = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
    assert.deepEqual(meta.revocation_endpoint_auth_methods_supported, all);
    assert.deepEqual(meta.token_endpoint_auth_methods_supported, all);
    const { introspectionSecret } = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as {
      introspectionSecret: string;
    };
    const basic = (id: string, secret: string) => ({
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    });
    const tokens = (await (
      await postJSON(`${server.url}/login`, { username: 'demo', password: PASSWORD })
    ).json()) as Tokens;
    const introspect = async (headers: Record<string, string>) =>
      postForm(`${server.url}/introspect`, { token: tokens.access_token }, headers);
    let r = await introspect(basic('resource-server', introspectionSecret));
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { active: boolean }).active, true);
    for (const headers of [basic('resource-server', 'wrong'), basic('someone', introspectionSecret)])
      assert.equal((await introspect(headers)).status, 401);
    assert.equal(
      (await introspect({ authorization: `Bearer ${introspectionSecret}` })).status,
      200,
      'the Bearer secret still works',
    );
    // From exp on: inactive, although verifiers allow 30 s of clock skew.
    const { exp } = decodeJWT(tokens.access_token).payload;
    await sleep(Math.max(0, exp! * 1000 - Date.now()) + 50);
    r = await introspect(basic('resource-server', introspectionSecret));
    assert.deepEqual(await r.json(), { active: false });
  });
});

test('30 concurrent refreshes of one token all get the same successor within the grace period; a replay after it revokes the grant (item 20)', async () => {
  await withServer({ TESSERA_REFRESH_GRACE: '2s' }, async (server) => {
    const tokens = (await (
      await postJSON(`${server.url}/login`, { username: 'demo', password: PASSWORD })
    ).json()) as Tokens;
    const refresh = (token: string) =>
      postForm(`${server.url}/token`, { grant_type: 'refresh_token', refresh_token: token, client_id: CLIENT });
    const responses = await Promise.all(Array.from({ length: 30 }, () => refresh(tokens.refresh_token)));
    const bodies = await Promise.all(
      responses.map(async (r) => ({ status: r.status, body: (await r.json()) as Tokens })),
    );
    assert.deepEqual(
      bodies.map((b) => b.status),
      Array(30).fill(200),
    );
    const successors = new Set(bodies.map((b) => b.body.refresh_token));
    assert.equal(successors.size, 1);
    const [successor] = successors;
    assert.equal(
      (await fetch(`${server.url}/userinfo`, { headers: { authorization: `Bearer ${bodies[29]!.body.access_token}` } }))
        .status,
      200,
    );
    // A later replay of the used token is reuse: the whole grant dies, the successor with it.
    await sleep(2500);
    const replay = await refresh(tokens.refresh_token);
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant');
    assert.equal((await refresh(successor!)).status, 400);
  });
});

test('TRACE and friends get 405 with Allow (404 off-route) and a log line; a client that leaves mid-body is logged as a client abort, not a 500 (item 22)', async () => {
  await withServer({}, async (server) => {
    const cases: Array<[string, number, string | undefined]> = [
      ['/health', 405, 'GET, HEAD'],
      ['/token', 405, 'POST'],
      ['/login', 405, 'POST'],
      ['/userinfo', 405, 'GET, POST'],
      ['/.well-known/jwks.json', 405, 'GET, HEAD'],
      ['/', 405, 'GET, HEAD'],
      ['/no-such-path', 404, undefined],
    ];
    for (const [path, status, allow] of cases) {
      const r = await rawRequest(server.port, 'TRACE', path);
      assert.equal(r.status, status, path);
      assert.equal(r.headers.allow, allow, path);
    }
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await rawRequest(server.port, method, '/health');
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.allow, 'GET, HEAD');
    }
    const traced = server.logs().filter((l) => l.msg === 'request' && l.method === 'TRACE');
    assert.equal(traced.length, cases.length, 'one access-log line per TRACE');
    assert.ok(traced.every((l) => l.level === 'info' && typeof l.requestId === 'string'));

    // Half a body, then the client disconnects.
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"username":`,
    );
    await sleep(100);
    socket.destroy();
    await sleep(300);
    const logs = server.logs();
    const aborted = logs.filter((l) => l.msg === 'request' && l.clientAborted === true);
    assert.equal(aborted.length, 1, server.output());
    assert.equal(aborted[0]!.level, 'info');
    assert.equal(aborted[0]!.status, 499);
    assert.equal(aborted[0]!.path, '/login');
    assert.ok(!logs.some((l) => l.level === 'error'), 'nothing is logged as a server failure');
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
  });
});
