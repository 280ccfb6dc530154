// The README's Next.js middleware example, verbatim (next/middleware.ts must appear in the README): `next
// build` (Next's SWC comes from the registry package @next/swc-linux-x64-gnu; telemetry off, nothing is
// downloaded), then `next start` on 127.0.0.1. The middleware runs on Next's edge runtime, where `tessera-jwt`
// resolves through the "edge-light" condition to the web build; /api/* answers 401 + WWW-Authenticate without
// a token and with an expired one, and 200 with the subject for a Node-signed ES256 token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, signJWT } from 'tessera-jwt';

const APP = fileURLToPath(new URL('../next', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
let NEXT;
try {
  NEXT = join(createRequire(import.meta.url).resolve('next/package.json'), '..', 'dist', 'bin', 'next');
} catch {
  const reason = 'next not found: npm install (devDependency next of runtime-test)';
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING the Next.js example: ${reason}\n${'!'.repeat(100)}\n`);
}

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

test('README: the Next.js middleware example (next build, next start)', { skip: !NEXT, timeout: 400_000 }, async () => {
  assert.ok(
    readFileSync(README, 'utf8').includes(readFileSync(join(APP, 'middleware.ts'), 'utf8')),
    'the README shows runtime-test/next/middleware.ts',
  );
  const { privateKey, publicKey } = generateKeyPair('ES256');
  const ISSUER = 'https://auth.example.com';
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NEXT_TELEMETRY_DISABLED: '1',
    JWT_PUBLIC_JWK: JSON.stringify(publicKey.toJWK()),
    JWT_ISSUER: ISSUER,
  };
  const started = Date.now();
  await new Promise((resolve, reject) =>
    execFile(process.execPath, [NEXT, 'build', APP], { cwd: APP, env, timeout: 360_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`next build failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(),
    ),
  );
  console.log(`next build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // The middleware is an edge function bundled with the web build (crypto.subtle), not the node:crypto one.
  const edge = join(APP, '.next', 'server', 'edge', 'chunks');
  const chunks = readdirSync(edge).filter((f) => f.endsWith('.js'));
  const code = chunks.map((f) => readFileSync(join(edge, f), 'utf8')).join('\n');
  assert.match(code, /crypto\.subtle|\.subtle\b/, 'the edge middleware holds the web build');
  assert.doesNotMatch(code, /["']node:crypto["']/, 'no node:crypto in the edge middleware');

  const port = await freePort();
  const child = spawn(process.execPath, [NEXT, 'start', APP, '-H', '127.0.0.1', '-p', String(port)], {
    cwd: APP,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const get = (token) =>
    fetch(`http://127.0.0.1:${port}/api/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  try {
    let ready = false;
    for (let i = 0; i < 300 && !ready; i++) {
      try {
        await get();
        ready = true;
      } catch {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.ok(ready, `next start did not answer:\n${output}`);

    const none = await get();
    assert.equal(none.status, 401, output);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="api"');

    const valid = signJWT({ sub: 'user-42' }, privateKey, { issuer: ISSUER, audience: 'api', expiresIn: '5m' });
    const ok = await get(valid);
    assert.equal(ok.status, 200, output);
    assert.deepEqual(await ok.json(), { user: 'user-42' });

    const now = Math.floor(Date.now() / 1000);
    const expired = signJWT({ sub: 'user-42', iat: now - 600, exp: now - 300 }, privateKey, {
      issuer: ISSUER,
      audience: 'api',
      issuedAt: false,
    });
    const late = await get(expired);
    assert.equal(late.status, 401, output);
    assert.equal(late.headers.get('www-authenticate'), 'Bearer realm="api", error="invalid_token"');

    const otherIssuer = signJWT({ sub: 'user-42' }, privateKey, { issuer: 'https://evil.example', audience: 'api' });
    assert.equal((await get(otherIssuer)).status, 401);
  } finally {
    child.kill();
  }
});
