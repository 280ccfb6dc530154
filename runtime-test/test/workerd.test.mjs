// The conformance suite on workerd (Cloudflare Workers' runtime, from @cloudflare/workerd-linux-64): the
// same bundle as a module Worker, without nodejs_compat, served on 127.0.0.1 and asked over HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSuite, OUT } from '../suite/bundle.mjs';
import { checkReport } from './report.mjs';
import { findRuntime } from './runtimes.mjs';

const runtime = findRuntime('workerd');

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

test('conformance suite on workerd', { skip: runtime.skip ?? false, timeout: 120_000 }, async () => {
  const { cases } = await bundleSuite();
  copyFileSync(fileURLToPath(new URL('../suite/worker.js', import.meta.url)), join(OUT, 'worker.js'));
  const port = await freePort();
  const config = join(OUT, 'workerd.capnp');
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .suite)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const suite :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "suite.js", esModule = embed "suite.js"),
    (name = "cases.json", json = embed "cases.json"),
  ],
  compatibilityDate = "2026-01-01",
);
`,
  );
  const child = spawn(runtime.path, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    checkReport(await response.json(), cases);
  } finally {
    child.kill();
  }
});
