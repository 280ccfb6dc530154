// The middleware contract (integration/test/helpers/contract.ts: statuses, RFC 6750 challenges, bodies, the
// claims the handler sees, hooks, remote JWKS rotation and outage) on each web runtime's own server: workerd,
// Deno.serve, Bun.serve, and Node's http. One app (contract/app.js), bundled once as a Worker bundler does
// (conditions workerd/worker/browser), so that `tessera-jwt/fetch` and `tessera-jwt/hono` resolve to their web
// forms; each profile is served by withAuth/fetchAuth and by honoAuth in a Hono 4 app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHTTPServer } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { OUT } from '../suite/bundle.mjs';
import {
  AUDIENCE,
  CASES,
  get,
  ISSUER,
  outage,
  REALM,
  remoteCases,
  rotationA,
  rotationB,
  trusted,
} from './contract-cases.mjs';
import { startJWKSServer } from './jwks-server.mjs';
import { findRuntime } from './runtimes.mjs';

const DIR = join(OUT, 'contract');
const here = (name) => fileURLToPath(new URL(`../contract/${name}`, import.meta.url));
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function bundle() {
  mkdirSync(DIR, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [here('app.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    outfile: join(DIR, 'contract-app.js'),
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs);
  for (const entry of ['dist/web/fetch.js', 'dist/web/hono.js', 'dist/web/index.js'])
    assert.ok(
      inputs.some((file) => file.includes(entry)),
      `the worker conditions did not pick ${entry}`,
    );
  assert.ok(!inputs.some((file) => file.includes('dist/adapters/')), 'a Node adapter slipped into the worker bundle');
  for (const name of ['deno.js', 'bun.js', 'worker.js']) copyFileSync(here(name), join(DIR, name));
}

const jwksContext = (keys) => ({ keys, privates: {} });
const control = (server) => ({
  control: async (query) => assert.equal((await fetch(`${server.base}/control?${query}`)).status, 204),
  count: async () => (await (await fetch(`${server.base}/count`)).json()).count,
});

async function runContract(t, base) {
  const setup = (await get(`${base}/setup`)).body;
  await t.test('setup: unknown options are TypeErrors naming the adapter and the closest option', () => {
    for (const adapter of ['fetchAuth', 'withAuth', 'honoAuth']) {
      assert.match(
        setup[`audiance ${adapter}`],
        new RegExp(`^TypeError: ${adapter}: unknown option "audiance"; did you mean "audience"\\?$`),
      );
      assert.match(
        setup[`credentialsRequred ${adapter}`],
        /unknown option "credentialsRequred"; did you mean "credentialsRequired"\?/,
      );
      assert.match(setup[`isRevoke ${adapter}`], /unknown option "isRevoke"; did you mean "isRevoked"\?/);
      assert.match(setup[`cache ${adapter}`], /^TypeError: .*"cache" option .* not available on web runtimes/);
      assert.match(setup[`noAlgorithms ${adapter}`], /^TypeError: "algorithms" option is required/);
    }
    assert.equal(setup['every documented option'], 'accepted');
  });
  for (const adapter of ['fetch', 'hono']) {
    for (const [profile, name, check] of CASES) {
      await t.test(`${adapter}: ${profile}: ${name}`, () => check(`${base}/${profile}/${adapter}`));
    }
  }
}

async function withJWKS(fn) {
  const rotation = await startJWKSServer(
    jwksContext({ k1: rotationA.publicKey.toJWK(), k2: rotationB.publicKey.toJWK() }),
  );
  const down = await startJWKSServer(jwksContext({ k1: outage.publicKey.toJWK() }));
  try {
    return await fn(rotation, down);
  } finally {
    await rotation.close();
    await down.close();
  }
}

async function contractOn(t, start) {
  await bundle();
  await withJWKS(async (rotation, down) => {
    const port = await freePort();
    const config = {
      key: trusted.publicKey.toJWK(),
      issuer: ISSUER,
      audience: AUDIENCE,
      realm: REALM,
      rotationURL: `${rotation.base}/jwks.json`,
      downURL: `${down.base}/jwks.json`,
      port,
    };
    writeFileSync(join(DIR, 'contract.json'), JSON.stringify(config));
    const stop = await start(port, config);
    try {
      const base = `http://127.0.0.1:${port}`;
      await runContract(t, base);
      for (const adapter of ['fetch', 'hono']) {
        await t.test(`${adapter}: remote JWKS rotation and outage`, async () => {
          await control(rotation).control('set=k1&mode=ok');
          await control(down).control('set=k1&mode=fail');
          await remoteCases(
            { rotation: `${base}/rotation/${adapter}`, down: `${base}/down/${adapter}` },
            control(rotation),
            control(down),
          );
        });
      }
    } finally {
      await stop();
    }
  });
}

/** Spawns a server process and waits until it answers on `port`. */
async function spawnServer(path, args, port, env = {}) {
  const child = spawn(path, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  for (let i = 0; i < 150; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/nowhere`);
      return () => {
        child.kill();
        return new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      };
    } catch {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error(`${path} did not serve:\n${output}`);
}

test('middleware contract on Node (web adapters over node:http)', { timeout: 120_000 }, (t) =>
  contractOn(t, async (port) => {
    const { createContractApp } = await import(pathToFileURL(join(DIR, 'contract-app.js')).href);
    const config = JSON.parse((await import('node:fs')).readFileSync(join(DIR, 'contract.json'), 'utf8'));
    const app = createContractApp(config);
    // A minimal fetch bridge: repeated header lines are folded as fetch servers fold them.
    const server = createHTTPServer(async (req, res) => {
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const response = await app(new Request(`http://127.0.0.1:${port}${req.url}`, { headers }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise((r) => server.listen(port, '127.0.0.1', r));
    return () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      });
  }),
);

const deno = findRuntime('Deno');
test('middleware contract on Deno (Deno.serve)', { skip: deno.skip ?? false, timeout: 120_000 }, (t) =>
  contractOn(t, (port, config) =>
    spawnServer(
      deno.path,
      [
        'run',
        '--quiet',
        '--no-prompt',
        `--allow-read=${DIR}`,
        `--allow-net=127.0.0.1:${port},${new URL(config.rotationURL).host},${new URL(config.downURL).host}`,
        join(DIR, 'deno.js'),
      ],
      port,
    ),
  ),
);

const bun = findRuntime('Bun');
test('middleware contract on Bun (Bun.serve)', { skip: bun.skip ?? false, timeout: 120_000 }, (t) =>
  contractOn(t, (port) => spawnServer(bun.path, [join(DIR, 'bun.js')], port)),
);

const workerd = findRuntime('workerd');
test('middleware contract on workerd', { skip: workerd.skip ?? false, timeout: 120_000 }, (t) =>
  contractOn(t, (port) => {
    writeFileSync(
      join(DIR, 'contract.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .w), (name = "loopback", network = (allow = ["local"]))],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const w :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "contract-app.js", esModule = embed "contract-app.js"),
    (name = "contract.json", json = embed "contract.json"),
  ],
  compatibilityDate = "2026-01-01",
  globalOutbound = "loopback",
);
`,
    );
    return spawnServer(workerd.path, ['serve', join(DIR, 'contract.capnp')], port);
  }),
);
