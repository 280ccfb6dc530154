// npm run bench:web — Tessera's web entry beside jose and a hand-written crypto.subtle floor on Node, Deno,
// Bun, workerd and Chromium (sign and verify HS256, RS256, ES256, EdDSA). web/bench.js is bundled once with
// esbuild for the browser platform (so `tessera-jwt` resolves to the web build) and run unchanged on each
// runtime, interleaving the three implementations in random order per sweep. Prints a table per runtime and
// the targets: Tessera >= jose (time ratio <= 1.00x) and within 1.10x of the floor.
//   node bench/web.mjs [--quick] [--smoke] [--runtimes node,deno,bun,workerd,chromium] [--json FILE]
// --smoke: a tiny run that only proves every runtime runs the bench (no timing is meaningful).
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { findRuntime } from '../runtime-test/test/runtimes.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const OUT = join(here, 'results', 'web');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    runtimes: { type: 'string', default: 'node,deno,bun,workerd,chromium' },
    json: { type: 'string' },
  },
});
const options = args.smoke
  ? { sweeps: 2, batchMs: 1 }
  : args.quick
    ? { sweeps: 9, batchMs: 10 }
    : { sweeps: 31, batchMs: 25 };
// workerd reads a millisecond clock across I/O: longer batches keep its resolution under 2%.
const workerdOptions = args.smoke
  ? { sweeps: 2, batchMs: 5 }
  : { ...options, batchMs: Math.max(50, options.batchMs * 4) };

export async function bundle() {
  mkdirSync(OUT, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(here, 'web', 'bench.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2022',
    outfile: join(OUT, 'bench.js'),
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs);
  if (!inputs.some((f) => f.includes('dist/web/index.js')))
    throw new Error('the "browser" condition did not pick tessera-jwt\'s web entry');
  if (!inputs.some((f) => f.includes('jose/dist/webapi'))) throw new Error('jose was not bundled as its webapi build');
  for (const f of ['cli.js', 'worker.js']) copyFileSync(join(here, 'web', f), join(OUT, f));
  return join(OUT, 'bench.js');
}

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

const RUNNERS = {
  async node() {
    const { runBench } = await import(pathToFileURL(join(OUT, 'bench.js')).href);
    return runBench({ ...options, runtime: `Node ${process.version}` });
  },
  async deno() {
    return cli('Deno', (path) => [
      'run',
      '--quiet',
      '--no-prompt',
      `--allow-read=${OUT}`,
      path,
      JSON.stringify(options),
    ]);
  },
  async bun() {
    return cli('Bun', (path) => [path, JSON.stringify(options)]);
  },
  async workerd() {
    const rt = findRuntime('workerd');
    if (rt.skip) return { skip: rt.skip };
    const tick = createServer((_, res) => res.end('t'));
    const tickPort = await listen(tick);
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r));
    const config = join(OUT, 'workerd.capnp');
    writeFileSync(
      config,
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .bench),
    (name = "tick", external = (address = "127.0.0.1:${tickPort}", http = ())),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const bench :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "bench.js", esModule = embed "bench.js"),
  ],
  bindings = [(name = "TICK", service = "tick")],
  compatibilityDate = "2026-01-01",
);
`,
    );
    const child = spawn(rt.path, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      const url = `http://127.0.0.1:${port}/?options=${encodeURIComponent(JSON.stringify(workerdOptions))}`;
      for (let i = 0; i < 100; i++) {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(600_000) });
          if (response.status !== 200) throw new Error(`workerd answered ${response.status}:\n${output}`);
          return await response.json();
        } catch (err) {
          if (err.message?.startsWith('workerd answered') || child.exitCode !== null) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error(`workerd did not answer:\n${output}`);
    } finally {
      child.kill();
      tick.close();
    }
  },
  async chromium() {
    const CHROMIUM = '/usr/bin/chromium';
    if (!existsSync(CHROMIUM)) {
      const reason = `${CHROMIUM} not found: install Debian's chromium`;
      if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
      console.warn(`!! SKIPPING Chromium: ${reason}`);
      return { skip: reason };
    }
    const { chromium } = await import('playwright-core');
    const { readFileSync } = await import('node:fs');
    const code = readFileSync(join(OUT, 'bench.js'));
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': req.url === '/bench.js' ? 'text/javascript' : 'text/html' });
      res.end(req.url === '/bench.js' ? code : '<!doctype html><title>tessera bench</title>');
    });
    const base = `http://127.0.0.1:${await listen(server)}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      return await page.evaluate(
        async ({ url, options }) => {
          const { runBench } = await import(url);
          const runtime = `Chromium ${navigator.userAgent.match(/Chrome\/(\S+)/)?.[1] ?? ''}`;
          return runBench({ ...options, runtime });
        },
        { url: `${base}/bench.js`, options },
      );
    } finally {
      await browser.close();
      server.close();
    }
  },
};

function cli(name, argv) {
  const rt = findRuntime(name);
  if (rt.skip) return { skip: rt.skip };
  const out = execFileSync(rt.path, argv(join(OUT, 'cli.js')), {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    timeout: 900_000,
  });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`${name} printed no result:\n${out}`);
  return JSON.parse(line.slice(7));
}

const fmt = (x) => (x === undefined ? '-' : `${x.toFixed(2)}x`);
const verdict = (row) => {
  const jose = row.ratio.jose === undefined ? undefined : row.ratio.jose <= 1.0;
  const floor = row.ratio.floor === undefined ? undefined : row.ratio.floor <= 1.1;
  return [jose, floor].map((v) => (v === undefined ? '-' : v ? 'PASS' : 'MISS'));
};

function print(result) {
  console.log(
    `\n## ${result.runtime}  (${result.sweeps} sweeps, ~${result.batchMs} ms batches${result.clock ? `; clock: ${result.clock.method}, overhead ${result.clock.overheadMs} ms subtracted` : ''})`,
  );
  console.log(
    '| op     | alg   | tessera ops/s | jose ops/s | floor ops/s | vs jose | vs floor | >= jose | <= 1.10x floor |',
  );
  console.log(
    '| ------ | ----- | ------------- | ---------- | ----------- | ------- | -------- | ------- | -------------- |',
  );
  for (const row of result.rows) {
    const [j, f] = verdict(row);
    const o = row.opsPerSec;
    console.log(
      `| ${row.op.padEnd(6)} | ${row.alg.padEnd(5)} | ${String(o.tessera ?? '-').padStart(13)} | ${String(o.jose ?? '-').padStart(10)} | ${String(o.floor ?? '-').padStart(11)} | ${fmt(row.ratio.jose).padStart(7)} | ${fmt(row.ratio.floor).padStart(8)} | ${j.padEnd(7)} | ${f.padEnd(14)} |`,
    );
  }
  for (const u of result.unsupported) console.log(`  not run: ${u.alg} — ${u.reason}`);
  for (const f of result.failed) console.log(`  GATE FAILED: ${f.alg} ${f.problem}`);
}

const started = Date.now();
await bundle();
const results = [];
let failures = 0;
for (const name of args.runtimes.split(',')) {
  const runner = RUNNERS[name];
  if (!runner) throw new TypeError(`unknown runtime ${name}; one of ${Object.keys(RUNNERS).join(', ')}`);
  const t0 = Date.now();
  const result = await runner();
  if (result.skip) {
    console.log(`\n## ${name}: SKIPPED — ${result.skip}`);
    results.push({ runtime: name, skip: result.skip });
    continue;
  }
  result.seconds = (Date.now() - t0) / 1000;
  print(result);
  console.log(`  (${result.seconds.toFixed(1)} s)`);
  failures += result.failed.length;
  if (result.rows.length === 0) failures++;
  results.push(result);
}
if (!args.smoke) {
  const all = results.flatMap((r) => (r.rows ?? []).map((row) => [r.runtime, row, verdict(row)]));
  const pass = (i) => all.filter(([, , v]) => v[i] === 'PASS').length;
  console.log(
    `\nTargets: tessera >= jose ${pass(0)}/${all.length} PASS; tessera <= 1.10x floor ${pass(1)}/${all.length} PASS`,
  );
}
console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2));
if (failures > 0) {
  console.error(`${failures} correctness-gate failure(s)`);
  process.exitCode = 1;
}
