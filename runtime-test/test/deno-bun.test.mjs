// The conformance suite on Deno and on Bun: the same bundle, run by each runtime's own binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSuite, OUT } from '../suite/bundle.mjs';
import { checkReport } from './report.mjs';
import { findRuntime } from './runtimes.mjs';

const CLI = fileURLToPath(new URL('../suite/cli.js', import.meta.url));

for (const [name, args] of [
  ['Deno', (cli) => ['run', '--quiet', '--no-prompt', `--allow-read=${OUT}`, cli]],
  ['Bun', (cli) => [cli]],
]) {
  const runtime = findRuntime(name);
  test(`conformance suite on ${name}`, { skip: runtime.skip ?? false, timeout: 120_000 }, async () => {
    const { cases } = await bundleSuite();
    const cli = join(OUT, 'cli.js');
    copyFileSync(CLI, cli);
    const out = execFileSync(runtime.path, args(cli), {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      timeout: 100_000,
    });
    const line = out.split('\n').find((l) => l.startsWith('REPORT '));
    assert.ok(line, `${name} printed no report:\n${out}`);
    checkReport(JSON.parse(line.slice(7)), cases);
  });
}
