// Smoke test of `npm run bench:web`: the per-runtime benchmark (Tessera's web entry, jose, a crypto.subtle
// floor) runs on Node, Deno, Bun, workerd and Chromium and its correctness gate passes on each. No timing is
// asserted (a shared CI machine cannot give meaningful figures); a missing runtime fails under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('../../bench/web.mjs', import.meta.url));

test('bench:web --quick --smoke runs on every runtime', { timeout: 300_000 }, async () => {
  const json = join(mkdtempSync(join(tmpdir(), 'tessera-bench-web-')), 'smoke.json');
  const output = await new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [BENCH, '--quick', '--smoke', '--json', json],
      { timeout: 280_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
    ),
  );
  assert.ok(existsSync(json), output);
  const results = JSON.parse(readFileSync(json, 'utf8'));
  const ran = results.filter((r) => !r.skip);
  for (const r of results) if (r.skip) console.warn(`!! bench:web skipped ${r.runtime}: ${r.skip}`);
  if (process.env.CI === 'true') assert.equal(ran.length, 5, 'every runtime ran under CI');
  assert.ok(ran.length >= 1, output);
  for (const r of ran) {
    assert.deepEqual(r.failed, [], `${r.runtime}: correctness gate`);
    const cells = r.rows.map((row) => `${row.op} ${row.alg}`);
    for (const alg of ['HS256', 'RS256', 'ES256'])
      for (const op of ['sign', 'verify']) assert.ok(cells.includes(`${op} ${alg}`), `${r.runtime}: ${op} ${alg}`);
    // EdDSA is benchmarked where the runtime has Ed25519, and otherwise listed with its reason.
    assert.ok(cells.includes('verify EdDSA') || r.unsupported.some((u) => u.alg === 'EdDSA'), r.runtime);
    for (const row of r.rows)
      for (const impl of ['tessera', 'jose', 'floor'])
        assert.ok(row.opsPerSec[impl] > 0, `${r.runtime} ${row.op} ${row.alg} ${impl}`);
  }
});
