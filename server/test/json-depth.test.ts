// Regression (issue 12 item 2): request bodies are parsed with Tessera's depth-limited parser
// (tessera-jwt/server parseJSON), so a deeply nested JSON body is a 400 invalid_request found while
// reading, and a pasted key nested too deeply is reported as a key problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, postJSON, startServer, tempDir } from './helpers/server.js';

const PASSWORD = 'json-depth-password';
const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

test('deeply nested JSON bodies are refused with 400 invalid_request', async (t) => {
  const data = tempDir();
  const port = await freePort();
  const server = await startServer({ dataDir: data.path, port, env: { TESSERA_DEMO_PASSWORD: PASSWORD } });
  const url = server.url;
  const post = (path: string, body: string) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  try {
    await t.test('/login: 3,000 levels (within the 8 KiB body limit) is invalid_request', async () => {
      const r = await post('/login', `{"username":"demo","password":"${PASSWORD}","x":${nested(3_000)}}`);
      assert.equal(r.status, 400);
      assert.deepEqual(await r.json(), {
        error: 'invalid_request',
        error_description: 'The body nests JSON too deeply',
      });
      // 256 levels (the body object is level 1) is still an ordinary login.
      const ok = await post('/login', `{"username":"demo","password":"${PASSWORD}","x":${nested(255)}}`);
      assert.equal(ok.status, 200);
    });

    await t.test('/login: a repeated member name is invalid_request (receivers disagree on which wins)', async () => {
      const r = await post('/login', `{"username":"demo","password":"wrong","password":"${PASSWORD}"}`);
      assert.equal(r.status, 400);
      assert.deepEqual(await r.json(), {
        error: 'invalid_request',
        error_description: 'The body repeats a JSON member name',
      });
    });

    await t.test('/debugger/verify: a deep body is invalid_request, a deep pasted JWK is a key error', async () => {
      const r = await post('/debugger/verify', `{"token":"a.b.c","key":"x","x":${nested(40_000)}}`);
      assert.equal(r.status, 400);
      assert.equal(((await r.json()) as { error: string }).error, 'invalid_request');
      const token = (await (await postJSON(`${url}/login`, { username: 'demo', password: PASSWORD })).json()) as {
        access_token: string;
      };
      const deepKey = `{"kty":"EC","x":${nested(300)}}`;
      const v = await postJSON(`${url}/debugger/verify`, { token: token.access_token, key: deepKey });
      const body = (await v.json()) as { valid: boolean; error?: { code: string; message: string } };
      assert.equal(body.valid, false);
      assert.equal(body.error?.code, 'ERR_KEY_INPUT');
      assert.match(body.error!.message, /nests too deeply/);
    });
  } finally {
    await server.stop();
    data.remove();
  }
});
