// JWK Sets, key resolvers and the remote JWK Set (cooldown, rotation, stale-if-error, timeouts, size and depth
// limits, a store shared by two isolates, stale-while-revalidate) on every runtime: the same scenario
// (suite/keysets.js) in the same bundle, against a real JWKS server on 127.0.0.1 that this runner starts.
// workerd reaches it through a network service that allows local addresses (its default outbound allows
// public addresses only); Deno gets --allow-net for that one address; Chromium loads the page from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { bundleSuite, OUT } from '../suite/bundle.mjs';
import { checkKeySetReport, keySetContext, startJWKSServer } from './jwks-server.mjs';
import { findRuntime } from './runtimes.mjs';

const run = promisify(execFile);
const suiteFile = (name) => fileURLToPath(new URL(`../suite/${name}`, import.meta.url));
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const ctx = keySetContext();
const bundled = bundleSuite();

async function withServer(extra, fn) {
  const server = await startJWKSServer(ctx, extra);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

test('key sets and remote JWKS on Node (web entry)', { timeout: 60_000 }, async () => {
  const { suite } = await bundled;
  const { lib, runKeySets } = await import(pathToFileURL(suite).href);
  await withServer(undefined, async ({ base }) => {
    checkKeySetReport(await runKeySets(lib, { ...ctx, base }, `Node ${process.version}`), assert);
  });
});

for (const name of ['Deno', 'Bun']) {
  const runtime = findRuntime(name);
  test(`key sets and remote JWKS on ${name}`, { skip: runtime.skip ?? false, timeout: 90_000 }, async () => {
    await bundled;
    const cli = join(OUT, 'cli-keysets.js');
    copyFileSync(suiteFile('cli-keysets.js'), cli);
    await withServer(undefined, async ({ base, port }) => {
      writeFileSync(join(OUT, 'keysets.json'), JSON.stringify({ ...ctx, base }));
      const args =
        name === 'Deno'
          ? ['run', '--quiet', '--no-prompt', `--allow-read=${OUT}`, `--allow-net=127.0.0.1:${port}`, cli]
          : [cli];
      const { stdout } = await run(runtime.path, args, {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
        timeout: 80_000,
      });
      const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
      assert.ok(line, `${name} printed no report:\n${stdout}`);
      checkKeySetReport(JSON.parse(line.slice(7)), assert);
    });
  });
}

const workerd = findRuntime('workerd');
test('key sets and remote JWKS on workerd', { skip: workerd.skip ?? false, timeout: 90_000 }, async () => {
  await bundled;
  copyFileSync(suiteFile('worker-keysets.js'), join(OUT, 'worker-keysets.js'));
  await withServer(undefined, async ({ base }) => {
    writeFileSync(join(OUT, 'keysets.json'), JSON.stringify({ ...ctx, base }));
    const port = await freePort();
    const config = join(OUT, 'keysets.capnp');
    writeFileSync(
      config,
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .w),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const w :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker-keysets.js"),
    (name = "suite.js", esModule = embed "suite.js"),
    (name = "keysets.json", json = embed "keysets.json"),
  ],
  compatibilityDate = "2026-01-01",
  globalOutbound = "loopback",
);
`,
    );
    const child = spawn(workerd.path, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      let response;
      for (let i = 0; i < 100 && !response; i++) {
        try {
          response = await fetch(`http://127.0.0.1:${port}/`);
        } catch {
          if (child.exitCode !== null) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      assert.ok(response, `workerd did not answer:\n${output}`);
      assert.equal(response.status, 200, output);
      checkKeySetReport(await response.json(), assert);
    } finally {
      child.kill();
    }
  });
});

const CHROMIUM = '/usr/bin/chromium';
const noChromium = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found: install Debian's chromium`;
if (noChromium && process.env.CI === 'true') throw new Error(`CI: ${noChromium}`);
if (noChromium) console.warn(`\n!! SKIPPING the Chromium key-set run: ${noChromium}\n`);
test('key sets and remote JWKS in Chromium', { skip: noChromium ?? false, timeout: 120_000 }, async () => {
  const { suite } = await bundled;
  const code = readFileSync(suite);
  const page = (req, res) => {
    if (req.url === '/suite.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>tessera key sets</title>');
    return true;
  };
  await withServer(page, async ({ base }) => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const tab = await browser.newPage();
      await tab.goto(`${base}/`);
      const report = await tab.evaluate(
        async ({ url, ctx }) => {
          const { lib, runKeySets } = await import(url);
          return runKeySets(lib, ctx, `Chromium ${navigator.userAgent.match(/Chrome\/(\S+)/)?.[1] ?? ''}`);
        },
        { url: `${base}/suite.js`, ctx: { ...ctx, base } },
      );
      checkKeySetReport(report, assert);
    } finally {
      await browser.close();
    }
  });
});
