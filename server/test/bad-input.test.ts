// Hostile and broken requests: each gets the exact RFC 6749 / RFC 6750 error body, the server keeps
// serving, and nothing in the store is corrupted (a login still works, a revoked token stays revoked,
// SQLite's integrity check passes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  freePort,
  postForm,
  postJSON,
  startServer,
  tempDir,
  type RunningServer,
  type Tokens,
} from './helpers/server.js';

const PASSWORD = 'bad-input-password';

/** A raw request with exactly these headers and body (fetch would fix some of them up). */
function raw(
  url: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string | number>;
    body?: Buffer | string;
    chunks?: Array<Buffer | string>;
  },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${options.path}`,
      { method: options.method ?? 'POST', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else req.end(options.body);
  });
}

const error = (error: string, error_description: string) => ({ error, error_description });

test('bad input gets clear RFC errors, and the server and its store stay sound', async (t) => {
  const data = tempDir();
  const port = await freePort();
  const server: RunningServer = await startServer({
    dataDir: data.path,
    port,
    env: { TESSERA_DEMO_PASSWORD: PASSWORD },
  });
  const url = server.url;
  const login = async () =>
    (await (await postJSON(`${url}/login`, { username: 'demo', password: PASSWORD })).json()) as Tokens;
  try {
    // A revoked token from before the barrage must still be revoked after it.
    const revoked = await login();
    assert.equal(
      (await postForm(`${url}/revoke`, { token: revoked.refresh_token, client_id: 'tessera-debugger' })).status,
      200,
    );
    const live = await login();

    await t.test('malformed JSON bodies', async () => {
      let r = await fetch(`${url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username": "demo", ',
      });
      assert.equal(r.status, 400);
      assert.deepEqual(await r.json(), error('invalid_request', 'The body is not valid JSON'));
      r = await fetch(`${url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '["demo"]',
      });
      assert.deepEqual(await r.json(), error('invalid_request', 'The body must be a JSON object'));
      r = await postJSON(`${url}/login`, { username: 'demo', password: 42 });
      assert.deepEqual(
        await r.json(),
        error('invalid_request', 'The "password" parameter is required and must be a string'),
      );
      r = await fetch(`${url}/debugger/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'nul\u0000l',
      });
      assert.equal(r.status, 400);
      assert.deepEqual(await r.json(), error('invalid_request', 'The body is not valid JSON'));
      const invalidUTF8 = await raw(url, {
        path: '/login',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
      });
      assert.equal(invalidUTF8.status, 400);
      assert.deepEqual(JSON.parse(invalidUTF8.body), error('invalid_request', 'The body is not valid UTF-8'));
    });

    await t.test('huge bodies are refused with 413, by Content-Length or while streaming', async () => {
      const huge = 'x'.repeat(2 * 1024 * 1024);
      let r = await raw(url, {
        path: '/login',
        headers: { 'content-type': 'application/json', 'content-length': huge.length },
        body: huge,
      });
      assert.equal(r.status, 413);
      assert.deepEqual(JSON.parse(r.body), error('invalid_request', 'The request body is larger than 8192 bytes'));
      r = await raw(url, {
        path: '/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': huge.length },
        body: huge,
      });
      assert.equal(r.status, 413);
      assert.deepEqual(JSON.parse(r.body), error('invalid_request', 'The request body is larger than 16384 bytes'));
      // Chunked, no Content-Length: the limit is enforced on the bytes actually read.
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      r = await raw(url, {
        path: '/debugger/verify',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        chunks: [chunk, chunk, chunk],
      });
      assert.equal(r.status, 413);
      assert.deepEqual(JSON.parse(r.body), error('invalid_request', 'The request body is larger than 98304 bytes'));
    });

    await t.test('wrong content types', async () => {
      let r = await postJSON(`${url}/token`, {
        grant_type: 'refresh_token',
        refresh_token: live.refresh_token,
        client_id: 'tessera-debugger',
      });
      assert.equal(r.status, 400);
      assert.deepEqual(
        await r.json(),
        error('invalid_request', 'The body must be application/x-www-form-urlencoded (RFC 6749 §3.2)'),
      );
      r = await fetch(`${url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'username=demo',
      });
      assert.equal(r.status, 400);
      assert.deepEqual(
        await r.json(),
        error('invalid_request', 'The body must be application/json or application/x-www-form-urlencoded'),
      );
      r = await postForm(`${url}/debugger/verify`, { token: 'x' });
      assert.equal(r.status, 415);
      assert.deepEqual(await r.json(), error('invalid_request', 'The body must be application/json'));
      r = await fetch(`${url}/revoke`, {
        method: 'POST',
        body: 'token=abc' + '',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      });
      assert.equal(r.status, 400);
    });

    await t.test('unknown, missing and repeated grant parameters', async () => {
      // The client authenticates first (RFC 6749 §3.2.1), then the grant is looked at.
      let r = await postForm(`${url}/token`, { grant_type: 'authorization_code', code: 'abc' });
      assert.equal(r.status, 401);
      assert.equal(((await r.json()) as { error: string }).error, 'invalid_client');
      r = await postForm(`${url}/token`, { grant_type: 'implicit', client_id: 'tessera-debugger' });
      assert.equal(r.status, 400);
      assert.deepEqual(await r.json(), error('unsupported_grant_type', 'The grant type is not supported'));
      r = await postForm(`${url}/token`, { client_id: 'tessera-debugger' });
      assert.deepEqual(await r.json(), error('invalid_request', 'The "grant_type" parameter is required'));
      r = await postForm(`${url}/token`, { grant_type: 'refresh_token', client_id: 'tessera-debugger' });
      assert.deepEqual(await r.json(), error('invalid_request', 'The "refresh_token" parameter is required'));
      r = await fetch(`${url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&grant_type=refresh_token',
      });
      assert.deepEqual(await r.json(), error('invalid_request', 'The parameter "grant_type" is repeated'));
      r = await postForm(`${url}/token`, {
        grant_type: 'refresh_token',
        refresh_token: 'not-a-refresh-token',
        client_id: 'tessera-debugger',
      });
      assert.equal(r.status, 400);
      assert.equal(((await r.json()) as { error: string }).error, 'invalid_grant');
    });

    await t.test('wrong methods get 405 with Allow', async () => {
      for (const path of ['/token', '/revoke', '/introspect', '/login', '/debugger/verify']) {
        const r = await fetch(`${url}${path}`);
        assert.equal(r.status, 405, path);
        assert.equal(r.headers.get('allow'), 'POST', path);
        assert.equal(((await r.json()) as { error: string }).error, 'invalid_request');
      }
      const del = await fetch(`${url}/.well-known/jwks.json`, { method: 'DELETE' });
      assert.equal(del.status, 405);
    });

    await t.test('RFC 6750 errors on the protected resource', async () => {
      let r = await fetch(`${url}/userinfo`, { headers: { authorization: 'Bearer a b c' } });
      assert.equal(r.status, 400);
      assert.match(r.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
      // Another scheme: RFC 6750 §3.1, a bare 401 challenge without an error code.
      r = await fetch(`${url}/userinfo`, {
        headers: { authorization: `Basic ${Buffer.from('demo:x').toString('base64')}` },
      });
      assert.equal(r.status, 401);
      assert.equal(
        r.headers.get('www-authenticate'),
        `Bearer realm="tessera", resource_metadata="${url}/.well-known/oauth-protected-resource"`,
      );
      // RFC 6750 §2: a token in the header and in the query (or the form body) is one method too many.
      const twice = { error: 'invalid_request', error_description: 'Send the access token in exactly one place' };
      r = await fetch(`${url}/userinfo?access_token=${live.access_token}`, {
        headers: { authorization: `Bearer ${live.access_token}` },
      });
      assert.equal(r.status, 400);
      assert.match(r.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
      assert.deepEqual(await r.json(), twice);
      r = await fetch(`${url}/userinfo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${live.access_token}` },
        body: new URLSearchParams({ access_token: live.access_token }),
      });
      assert.equal(r.status, 400);
      assert.match(r.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
      assert.deepEqual(await r.json(), twice);
      r = await fetch(`${url}/userinfo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${live.access_token}` },
        body: new URLSearchParams({ other: 'x' }),
      });
      assert.equal(r.status, 200, 'a form without a token is fine');
      // The query string is not a way in (RFC 6750 §2.3 is off), and it is never logged.
      r = await fetch(`${url}/userinfo?access_token=${live.access_token}`);
      assert.equal(r.status, 401);
      assert.ok(!server.output().includes(live.access_token));
      // A token signed by someone else.
      const forged = `${live.access_token.split('.').slice(0, 2).join('.')}.${'A'.repeat(86)}`;
      r = await fetch(`${url}/userinfo`, { headers: { authorization: `Bearer ${forged}` } });
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    });

    await t.test('odd requests: unknown paths, a malformed Host, a verify without a key', async () => {
      const r = await fetch(`${url}/nope`);
      assert.equal(r.status, 404);
      assert.deepEqual(await r.json(), error('not_found', 'No such endpoint'));
      const host = await raw(url, { method: 'GET', path: '/health', headers: { host: 'bad host/' } });
      assert.equal(host.status, 400);
      const noKey = await postJSON(`${url}/debugger/verify`, { token: live.access_token });
      assert.equal(noKey.status, 400);
      assert.deepEqual(
        await noKey.json(),
        error('invalid_request', 'Give a "key" (secret, PEM, JWK or JWK Set) or set "useServerKeys": true'),
      );
    });

    await t.test('afterwards the server still serves and the store is intact', async () => {
      assert.equal((await fetch(`${url}/health`)).status, 200);
      const again = await login();
      assert.equal(
        (await fetch(`${url}/userinfo`, { headers: { authorization: `Bearer ${again.access_token}` } })).status,
        200,
      );
      const refreshed = await postForm(`${url}/token`, {
        grant_type: 'refresh_token',
        refresh_token: live.refresh_token,
        client_id: 'tessera-debugger',
      });
      assert.equal(refreshed.status, 200, 'the wrong-content-type refresh attempt did not consume the token');
      assert.equal(
        (await fetch(`${url}/userinfo`, { headers: { authorization: `Bearer ${revoked.access_token}` } })).status,
        401,
      );
      const stillRevoked = await postForm(`${url}/token`, {
        grant_type: 'refresh_token',
        refresh_token: revoked.refresh_token,
        client_id: 'tessera-debugger',
      });
      assert.equal(stillRevoked.status, 400);
      const db = new Database(join(data.path, 'tessera.db'), { readonly: true });
      try {
        assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      } finally {
        db.close();
      }
      assert.equal(server.child.exitCode, null, 'still running');
      assert.ok(!server.logs().some((l) => l.level === 'error'), 'no 5xx and no unhandled error');
    });
  } finally {
    assert.equal(await server.stop(), 0);
    data.remove();
  }
});
