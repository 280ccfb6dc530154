#!/usr/bin/env node
// Cold start: wall time of a fresh `node -e "import('tessera-jwt')"` and of the CLI's
// `node packages/tessera/dist/cli/main.js decode <token>` against `node -e 0` (and the peers, for
// context). Runs are interleaved (one of each command per round) so machine noise hits them alike.
// The CLI's budget: `tessera decode` under 150 ms (PASS/MISS below; the figure over `node -e 0` is
// the part the CLI controls). Its stdout is a pipe, as in `tessera decode … | jq`.
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
const CLI = resolve(cwd, '../packages/tessera/dist/cli/main.js');
// An HS256 JWT with iat/exp (header {"alg":"HS256","typ":"JWT"}); decode never verifies it.
const TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMiLCJhZG1pbiI6dHJ1ZSwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3NjcyMjY1MDB9.' +
  'r3b3C1lsaSBQJ2eM-8tzb0pKAGWnr0pM9lYk1d1z5xQ';

const node = (code) => ({ name: `node -e "${code}"`, args: ['-e', code] });
const commands = [
  node('0'),
  node("import('node:crypto')"),
  node("import('tessera-jwt')"),
  { name: 'tessera decode <token>', args: [CLI, 'decode', TOKEN], cli: true },
  ...(argv.includes('--peers') ? ['jose', 'jsonwebtoken', 'fast-jwt'].map((p) => node(`import('${p}')`)) : []),
];

const runOnce = (c) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', TESSERA_NOW: '2026-01-01T00:00:00Z' },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0)
    throw new Error(
      `\`${c.name}\` failed: ${r.stderr.toString().trim().split('\n').slice(0, 5).join(' | ')}${c.cli ? ' (run npm run build first)' : ''}`,
    );
  return ms;
};

for (const c of commands) {
  runOnce(c);
  c.ms = [];
} // warm the file-system cache, check it works
for (let i = 0; i < RUNS; i++) for (const c of commands) c.ms.push(runOnce(c));

const base = median(commands[0].ms);
console.log(`cold start, ${RUNS} runs each (interleaved), node ${process.version}\n`);
console.log('| command | median ms | p10-p90 ms | over `node -e 0` |');
console.log('|---|---:|---:|---:|');
for (const c of commands) {
  const m = median(c.ms);
  console.log(
    `| \`${c.name}\` | ${m.toFixed(1)} | ${quantile(c.ms, 0.1).toFixed(1)}-${quantile(c.ms, 0.9).toFixed(1)} | ${c === commands[0] ? '' : `+${(m - base).toFixed(1)}`} |`,
  );
}
const tessera = median(commands.find((c) => c.name === `node -e "import('tessera-jwt')"`).ms);
console.log(`\nimport('tessera-jwt') ${tessera.toFixed(1)} ms (import cost +${(tessera - base).toFixed(1)} ms)`);
const cli = median(commands.find((c) => c.cli).ms);
console.log(
  `tessera decode cold start ${cli.toFixed(1)} ms (+${(cli - base).toFixed(1)} ms over \`node -e 0\`): ${cli < BUDGET_MS ? 'PASS' : 'MISS'} (< ${BUDGET_MS} ms)`,
);

const json = opt('--json', null);
if (json) {
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), json);
  writeFileSync(
    file,
    JSON.stringify(
      {
        node: process.version,
        runs: RUNS,
        commands: commands.map(({ name, args, ms }) => ({ name, args, medianMs: median(ms), ms })),
      },
      null,
      1,
    ),
  );
  console.log(`wrote ${file}`);
}
