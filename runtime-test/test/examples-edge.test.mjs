// The README's remote-JWKS examples, verbatim (each test checks that the README still holds the file's code):
// the Cloudflare Worker with the Cache API store and stale-while-revalidate (bundled as wrangler bundles it:
// conditions workerd/worker/browser, `cloudflare:workers` external) on workerd, the Deno.serve example on
// Deno and the Bun.serve + Hono example on Bun, each bundled by esbuild as a deploy step would. Each fetches
// its keys from a real JWKS server on 127.0.0.1: a Node-signed token gets 200 and its subject, a token of
// another issuer 401 invalid_token, a request without a token 401 with a bare Bearer challenge.
// (workerd without a configured cache service keeps nothing in caches.default: the store is exercised by
// the key-set scenario, not here.)
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
import { startJWKSServer } from './jwks-server.mjs';
import { findRuntime } from './runtimes.mjs';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const example = (name) => fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const issuer = 'https://auth.example.com';
const { privateKey, publicKey } = generateKeyPair('ES256', { kid: 'edge-1' });
const sign = (iss) => signJWT({ sub: 'user-42' }, privateKey, { algorithm: 'ES256', issuer: iss, expiresIn: '5m' });

async function bundle(name, conditions, external = []) {
  const dir = join(OUT, 'examples-edge');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, name);
  await esbuild.build({
    entryPoints: [example(name)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions,
    external,
    target: 'es2022',
    outfile,
    logLevel: 'warning',
  });
  return { dir, outfile };
}

async function exercise(start) {
  const jwks = await startJWKSServer({ keys: { k1: publicKey.toJWK() } });
  const port = await freePort();
  const env = { JWKS_URL: `${jwks.base}/jwks.json`, ISSUER: issuer, DEV: '1', PORT: String(port) };
  const child = start(env, port);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const call = async (token) => {
    for (let i = 0; i < 150; i++) {
      try {
        return await fetch(`http://127.0.0.1:${port}/`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      } catch {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`the example did not answer:\n${output}`);
  };
  try {
    const good = await call(sign(issuer));
    assert.equal(good.status, 200, output);
    assert.deepEqual(await good.json(), { hello: 'user-42' });
    const other = await call(sign('https://evil.example'));
    assert.equal(other.status, 401);
    assert.match(other.headers.get('www-authenticate'), /^Bearer error="invalid_token"/);
    assert.equal((await other.json()).error, 'invalid_token');
    const none = await call(undefined);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    await none.body?.cancel();
  } finally {
    child.kill();
    await jwks.close();
  }
}

const workerd = findRuntime('workerd');
test('README: the Worker with a remote JWKS, the Cache API store and SWR, on workerd', {
  skip: workerd.skip ?? false,
  timeout: 60_000,
}, async () => {
  assert.ok(
    README.includes(readFileSync(example('worker-jwks.js'), 'utf8')),
    'the README shows examples/worker-jwks.js',
  );
  const { dir } = await bundle('worker-jwks.js', ['workerd', 'worker', 'browser'], ['cloudflare:workers']);
  const text = (v) => JSON.stringify(v);
  await exercise((env, port) => {
    writeFileSync(
      join(dir, 'worker-jwks.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .w), (name = "loopback", network = (allow = ["local"]))],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const w :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker-jwks.js")],
  bindings = [(name = "JWKS_URL", text = ${text(env.JWKS_URL)}), (name = "ISSUER", text = ${text(env.ISSUER)}), (name = "DEV", text = "1")],
  compatibilityDate = "2026-01-01",
  globalOutbound = "loopback",
);
`,
    );
    return spawn(workerd.path, ['serve', join(dir, 'worker-jwks.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] });
  });
});

const deno = findRuntime('Deno');
test('README: the Deno.serve example on Deno', { skip: deno.skip ?? false, timeout: 60_000 }, async () => {
  assert.ok(README.includes(readFileSync(example('deno.js'), 'utf8')), 'the README shows examples/deno.js');
  const { outfile } = await bundle('deno.js', ['deno']);
  await exercise((env, port) =>
    spawn(
      deno.path,
      [
        'run',
        '--quiet',
        '--no-prompt',
        '--allow-env',
        `--allow-net=127.0.0.1:${port},${new URL(env.JWKS_URL).host}`,
        outfile,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...env },
      },
    ),
  );
});

const bun = findRuntime('Bun');
test('README: the Bun.serve + Hono example on Bun', { skip: bun.skip ?? false, timeout: 60_000 }, async () => {
  assert.ok(README.includes(readFileSync(example('bun.js'), 'utf8')), 'the README shows examples/bun.js');
  const { outfile } = await bundle('bun.js', ['bun']);
  await exercise((env) =>
    spawn(bun.path, [outfile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
    }),
  );
});
