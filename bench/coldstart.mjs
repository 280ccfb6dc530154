#!/usr/bin/env node
// Cold start: wall time of a fresh `node -e "import('tessera')"` against `node -e 0` (and the
// peers, for context). Runs are interleaved (one of each command per round) so machine noise hits
// them alike. A future CLI needs `tessera` cold start under 150 ms.
//
//   npm run coldstart -w tessera-bench [-- --runs 20 --peers --json FILE]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, quantile } from './lib/sampler.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', 20));
const BUDGET_MS = 150;
const cwd = dirname(fileURLToPath(import.meta.url)); // resolves packages like the benchmark does

const commands = [
  { name: 'node -e 0', code: '0' },
  { name: "import('node:crypto')", code: "import('node:crypto')" },
  { name: "import('tessera')", code: "import('tessera')" },
  ...(argv.includes('--peers') ? ['jose', 'jsonwebtoken', 'fast-jwt'].map((p) => ({ name: `import('${p}')`, code: `import('${p}')` })) : []),
];

const runOnce = (code) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', code], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`\`node -e "${code}"\` failed: ${r.stderr.toString().trim().split('\n').slice(0, 5).join(' | ')}`);
  return ms;
};

for (const c of commands) { runOnce(c.code); c.ms = []; } // warm the file-system cache, check it works
for (let i = 0; i < RUNS; i++) for (const c of commands) c.ms.push(runOnce(c.code));

const base = median(commands[0].ms);
console.log(`cold start, ${RUNS} runs each (interleaved), node ${process.version}\n`);
console.log('| command | median ms | p10-p90 ms | over `node -e 0` |');
console.log('|---|---:|---:|---:|');
for (const c of commands) {
  const m = median(c.ms);
  console.log(`| \`node -e "${c.code}"\` | ${m.toFixed(1)} | ${quantile(c.ms, 0.1).toFixed(1)}-${quantile(c.ms, 0.9).toFixed(1)} | ${c === commands[0] ? '' : `+${(m - base).toFixed(1)}`} |`);
}
const tessera = median(commands.find((c) => c.code === "import('tessera')").ms);
console.log(`\ntessera cold start ${tessera.toFixed(1)} ms (import cost +${(tessera - base).toFixed(1)} ms): ${tessera < BUDGET_MS ? 'PASS' : 'MISS'} (< ${BUDGET_MS} ms for the CLI)`);

const json = opt('--json', null);
if (json) {
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), json);
  writeFileSync(file, JSON.stringify({ node: process.version, runs: RUNS, commands: commands.map(({ name, code, ms }) => ({ name, code, medianMs: median(ms), ms })) }, null, 1));
  console.log(`wrote ${file}`);
}
