// The README's Cloudflare Worker example, verbatim (the test checks that the README still holds this file's
// code), bundled as wrangler would (esbuild, browser conditions) and served by workerd with its two bindings:
// a Node-signed token gets 200 and its subject, a token for another issuer and a missing token get 401 and
// the error code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { generateKeyPair, signJWT } from 'tessera-jwt';
import { OUT } from '../suite/bundle.mjs';
import { findRuntime } from './runtimes.mjs';

const runtime = findRuntime('workerd');
const EXAMPLE = fileURLToPath(new URL('../examples/worker.js', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

test('README: the Cloudflare Worker example on workerd', { skip: runtime.skip ?? false, timeout: 60_000 }, async () => {
  assert.ok(
    readFileSync(README, 'utf8').includes(readFileSync(EXAMPLE, 'utf8')),
    'the README shows examples/worker.js',
  );
  const dir = join(OUT, 'example-worker');
  mkdirSync(dir, { recursive: true });
  await esbuild.build({
    entryPoints: [EXAMPLE],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    outfile: join(dir, 'worker.js'),
    logLevel: 'warning',
  });
  const issuer = 'https://auth.example.com';
  const { privateKey, publicKey } = generateKeyPair('ES256');
  const port = await freePort();
  const text = (v) => JSON.stringify(v); // a Cap'n Proto text literal is a JSON string literal
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .w)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const w :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  bindings = [(name = "PUBLIC_JWK", text = ${text(JSON.stringify(publicKey.toJWK()))}), (name = "ISSUER", text = ${text(issuer)})],
  compatibilityDate = "2026-01-01",
);
`,
  );
  const child = spawn(runtime.path, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const call = async (token) => {
    for (let i = 0; i < 100; i++) {
      try {
        return await fetch(`http://127.0.0.1:${port}/`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      } catch {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`workerd did not answer:\n${output}`);
  };
  try {
    const good = await call(signJWT({ sub: 'user-42' }, privateKey, { algorithm: 'ES256', issuer, expiresIn: '5m' }));
    assert.equal(good.status, 200, output);
    assert.deepEqual(await good.json(), { hello: 'user-42' });
    const other = await call(
      signJWT({ sub: 'user-42' }, privateKey, { algorithm: 'ES256', issuer: 'https://evil.example' }),
    );
    assert.equal(other.status, 401);
    assert.deepEqual(await other.json(), { error: 'ERR_JWT_ISSUER_INVALID' });
    const none = await call(undefined);
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), { error: 'ERR_JWT_MALFORMED' });
  } finally {
    child.kill();
  }
});
