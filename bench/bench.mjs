#!/usr/bin/env node
// Tessera vs jose, jsonwebtoken, fast-jwt and a raw node:crypto floor.
//
//   npm run bench                      (repo root: build, then a full run, ~3-4 min on 2 cores)
//   npm run bench -- --quick           (< 60 s)
//   npm run bench -- --json bench/results/run.json   (also write the results; relative to where npm ran)
//   node --expose-gc bench.mjs --ops verify,cached --algs HS256 --only tessera,fast-jwt --time 3000
//
// Options: --quick, --json FILE, --ops sign,verify,cached,decode,jwe, --algs HS256,RS256,ES256,EdDSA,
//          --only NAME,… (the references floor / floor-full / fast-jwt always stay),
//          --time MS (measured time per implementation per cell), --warmup MS, --batch MS.
//
// Method: a correctness gate first (every verifier accepts the reference token and rejects a
// tampered, an expired, an alg:none, a wrong-aud and a wrong-iss token; every signer's token passes
// the floor-full verifier with an identical payload); failing cells are excluded. Then, per cell
// (operation x algorithm), all implementations run interleaved in the same process: sweeps of one
// short batch each, in a new random order every sweep. Reported: median ops/s over batches, and the
// ratio to the cell's reference as the median over sweeps of (impl time / reference time), > 1 = slower.
// References: floor for sign and decode, floor-full for verify, fast-jwt's cache for cached verify.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { ALGS, makeFixtures } from './lib/fixtures.mjs';
import { loadImplementations } from './lib/impls.mjs';
import { sampleInterleaved, median, quantile, loadMeter } from './lib/sampler.mjs';
import { runJWEBench } from './jwe.mjs';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  console.log(
    lines
      .slice(
        1,
        lines.findIndex((l) => l.startsWith('import ')),
      )
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n'),
  );
  process.exit(0);
}
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const QUICK = argv.includes('--quick');
const CFG = {
  mode: QUICK ? 'quick' : 'full',
  timeMs: Number(opt('--time', QUICK ? 400 : 2500)),
  warmupMs: Number(opt('--warmup', QUICK ? 70 : 300)),
  batchMs: Number(opt('--batch', QUICK ? 3 : 5)),
  minSweeps: QUICK ? 5 : 10,
  ops: opt('--ops', 'sign,verify,cached,decode,jwe').split(','),
  algs: opt('--algs', ALGS.join(',')).split(','),
  only: opt('--only', null)?.split(','),
  json: opt('--json', null),
};
const REFS = { sign: 'floor', verify: 'floor-full', cached: 'fast-jwt', decode: 'floor' };
const COLUMNS = ['floor', 'floor-full', 'tessera', 'jose', 'jsonwebtoken', 'fast-jwt'];

// Targets of the issue; `max`: tessera time / reference time must be <= max (a per-sweep ratio);
// `speedup`: reference time / tessera time must be >= speedup.
const TARGETS = [
  { op: 'verify', alg: 'HS256', vs: 'floor-full', max: 1.1 },
  { op: 'verify', alg: 'HS256', vs: 'fast-jwt', speedup: 1.3 },
  { op: 'sign', alg: 'HS256', vs: 'floor', max: 1.1 },
  ...['RS256', 'ES256', 'EdDSA'].flatMap((alg) => [
    { op: 'sign', alg, vs: 'floor', max: 1.05 },
    { op: 'verify', alg, vs: 'floor-full', max: 1.05 },
  ]),
  ...ALGS.map((alg) => ({ op: 'cached', alg, vs: 'fast-jwt', speedup: 1.0 })),
];

const log = (...a) => console.log(...a);
const fmtOps = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
const fmtX = (r) => `${r.toFixed(2)}x`;

function versionOf(pkg) {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const f = join(dir, 'node_modules', pkg, 'package.json');
    if (existsSync(f)) return JSON.parse(readFileSync(f, 'utf8')).version;
    if (dirname(dir) === dir) return '?';
  }
}

// ------------------------------------------------------------------ set-up
const startedAt = new Date();
const fx = makeFixtures();
const impls = (await loadImplementations(fx)).filter(
  (i) => !CFG.only || CFG.only.includes(i.name) || Object.values(REFS).includes(i.name),
);
log(`# Tessera benchmark (${CFG.mode})  ${startedAt.toISOString()}`);
log(
  `node ${process.version} ${os.platform()}/${os.arch()}, ${os.cpus().length} cpu ${os.cpus()[0]?.model ?? ''}, loadavg ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}${globalThis.gc ? '' : ' (no --expose-gc)'}`,
);
log(
  `sampler: ${CFG.timeMs} ms measured per implementation per cell, ${CFG.batchMs} ms batches, ${CFG.warmupMs} ms warm-up, >= ${CFG.minSweeps} sweeps`,
);
for (const i of impls) {
  i.version = i.pkg ? versionOf(i.pkg) : `node ${process.versions.node}`;
  log(
    i.error
      ? `  ${i.name.padEnd(13)} NOT AVAILABLE: ${i.error}`
      : `  ${i.name.padEnd(13)} ${String(i.version).padEnd(8)} ${i.note}`,
  );
}

// ------------------------------------------------------------------ correctness gate
const sameClaims = (a, b) =>
  a !== null &&
  typeof a === 'object' &&
  Object.keys(a).length === Object.keys(b).length &&
  Object.keys(b).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
const why = (e) => `${e?.code ?? e?.name ?? 'Error'}: ${e?.message ?? e}`;
const excluded = new Map(); // `${impl}|${op}|${alg}` → reason
const warnings = [];

async function gateVerify(fn, alg, payloadOf, notChecked = []) {
  const problems = [];
  try {
    if (!sameClaims(payloadOf(await fn(fx.tokens[alg])), fx.payload)) problems.push('returns a wrong payload');
  } catch (e) {
    return [`rejects the valid token (${why(e)})`];
  }
  for (const [what, token] of Object.entries(fx.bad[alg])) {
    if (notChecked.includes(what)) continue;
    try {
      await fn(token);
      problems.push(`accepts the ${what} token`);
    } catch {
      /* rejected, as it must be */
    }
  }
  try {
    await fn(fx.tokens[alg]);
  } catch (e) {
    problems.push(`rejects the valid token after the bad ones (${why(e)})`);
  }
  return problems;
}
async function gateSign(fn, alg, name) {
  const before = JSON.stringify(fx.payload);
  let token;
  try {
    token = await fn(fx.payload);
  } catch (e) {
    return [`throws (${why(e)})`];
  }
  if (JSON.stringify(fx.payload) !== before) return ['mutates the payload'];
  let claims;
  try {
    claims = fx.floors[alg].verifyFull(token);
  } catch (e) {
    return [`token rejected by floor-full (${e.message})`];
  }
  if (!sameClaims(claims, fx.payload)) return [`token claims differ from the payload: ${JSON.stringify(claims)}`];
  const header = fx.floors[alg].decode(token).header;
  if (JSON.stringify(Object.keys(header).sort()) !== '["alg","typ"]' || header.typ !== 'JWT')
    warnings.push(`${name} sign ${alg}: header is ${JSON.stringify(header)} (others emit {"alg","typ":"JWT"})`);
  return [];
}
for (const impl of impls.filter((i) => !i.error)) {
  const mark = (op, alg, problems) => {
    if (problems.length) excluded.set(`${impl.name}|${op}|${alg}`, problems.join('; '));
  };
  const payloadOf = impl.verifyPayload ?? ((r) => r);
  for (const [alg, fn] of Object.entries(impl.sign ?? {})) mark('sign', alg, await gateSign(fn, alg, impl.name));
  for (const [alg, fn] of Object.entries(impl.verify ?? {}))
    mark('verify', alg, await gateVerify(fn, alg, payloadOf, impl.notChecked));
  for (const [alg, fn] of Object.entries(impl.cached ?? {})) mark('cached', alg, await gateVerify(fn, alg, (r) => r));
  if (impl.decode) {
    let problems = [];
    try {
      const r = await impl.decode(fx.tokens.HS256);
      if (!sameClaims(r.payload, fx.payload) || r.header?.alg !== 'HS256') problems = ['wrong header or payload'];
    } catch (e) {
      problems = [`throws (${why(e)})`];
    }
    mark('decode', '-', problems);
  }
}
if (excluded.size) {
  log('\ncorrectness gate FAILURES (excluded from timing):');
  for (const [k, v] of excluded) log(`  ${k.replaceAll('|', ' ')}: ${v}`);
} else log('\ncorrectness gate: every signer, verifier and decoder passed');
for (const w of warnings) log(`  note: ${w}`);

// ------------------------------------------------------------------ measurement
const cellDefs = [];
for (const op of ['sign', 'verify', 'cached']) {
  if (!CFG.ops.includes(op)) continue;
  for (const alg of CFG.algs) cellDefs.push({ op, alg });
}
if (CFG.ops.includes('decode')) cellDefs.push({ op: 'decode', alg: '-' });

function entriesOf({ op, alg }) {
  const arg = op === 'sign' ? fx.payload : fx.tokens[alg === '-' ? 'HS256' : alg];
  const entries = [];
  for (const impl of impls) {
    if (impl.error || excluded.has(`${impl.name}|${op}|${alg}`)) continue;
    const fn = op === 'decode' ? impl.decode : impl[op]?.[alg];
    if (fn) entries.push({ name: impl.name, fn: () => fn(arg) });
  }
  return entries;
}

const cells = [];
const t0 = performance.now();
const runLoad = loadMeter();
log('');
for (const def of cellDefs) {
  const entries = entriesOf(def);
  if (!entries.length) continue;
  const meter = loadMeter();
  const { wall: ns, cpu } = await sampleInterleaved(entries, CFG);
  const load = meter();
  const rows = entries.map((e, i) => {
    const ops = ns[i].map((x) => 1e9 / x);
    const ratioTo = {};
    entries.forEach((o, j) => {
      if (j === i) return;
      const r = ns[i].map((x, s) => x / ns[j][s]);
      // CPU-time ratio: batches with no measurable CPU time (timer granularity) are skipped
      const rc = cpu[i].map((x, s) => x / cpu[j][s]).filter((x) => Number.isFinite(x) && x > 0);
      ratioTo[o.name] = { median: median(r), p10: quantile(r, 0.1), p90: quantile(r, 0.9), cpu: median(rc) };
    });
    return {
      name: e.name,
      opsPerSec: median(ops),
      p10: quantile(ops, 0.1),
      p90: quantile(ops, 0.9),
      sweeps: ops.length,
      ratioTo,
    };
  });
  const cell = { ...def, ref: REFS[def.op], rows, seconds: load?.seconds, otherCores: load?.otherCores };
  cells.push(cell);
  const ref = cell.ref;
  log(
    `${def.op} ${def.alg}`.padEnd(14) +
      rows
        .map((r) => `${r.name} ${fmtOps(r.opsPerSec)}${r.ratioTo[ref] ? ` (${fmtX(r.ratioTo[ref].median)})` : ''}`)
        .join(' | ') +
      `   [${load ? `${load.seconds.toFixed(1)} s, other processes ${load.otherCores.toFixed(2)} cores` : ''}]`,
  );
  globalThis.gc?.();
}
const totalLoad = runLoad();

// ------------------------------------------------------------------ report
const opLabel = (op) => (op === 'cached' ? 'verify (cached)' : op);
const targetResults = TARGETS.map((t) => {
  const label = t.max
    ? `${t.alg} ${opLabel(t.op)}: tessera within ${t.max.toFixed(2)}x of ${t.vs}`
    : t.speedup === 1
      ? `${t.alg} ${opLabel(t.op)}: tessera at least as fast as ${t.vs}`
      : `${t.alg} ${opLabel(t.op)}: tessera >= ${t.speedup.toFixed(2)}x ${t.vs} throughput`;
  const row = cells.find((c) => c.op === t.op && c.alg === t.alg)?.rows.find((r) => r.name === 'tessera');
  const r = row?.ratioTo[t.vs];
  if (!r) return { ...t, label, result: 'n/a', measured: 'not measured' };
  if (t.max) {
    return {
      ...t,
      label,
      value: r.median,
      cpuValue: r.cpu,
      pass: r.median <= t.max,
      result: r.median <= t.max ? 'PASS' : 'MISS',
      measured: `${fmtX(r.median)} (p10-p90 ${r.p10.toFixed(2)}-${r.p90.toFixed(2)})`,
      cpuMeasured: fmtX(r.cpu),
    };
  }
  const s = 1 / r.median;
  return {
    ...t,
    label,
    value: s,
    cpuValue: 1 / r.cpu,
    pass: s >= t.speedup,
    result: s >= t.speedup ? 'PASS' : 'MISS',
    measured: `${s.toFixed(2)}x as fast (p10-p90 ${(1 / r.p90).toFixed(2)}-${(1 / r.p10).toFixed(2)})`,
    cpuMeasured: `${(1 / r.cpu).toFixed(2)}x as fast`,
  };
});

log(`\n## Results: median ops/s (ratio = impl time / reference time, median of per-sweep ratios; > 1.00x is slower)`);
log(`reference (bold): floor for sign and decode, floor-full for verify, fast-jwt's cache for cached verify\n`);
log(`| op | alg | ${COLUMNS.join(' | ')} | targets (tessera) |`);
log(`|---|---|${COLUMNS.map(() => '---:').join('|')}|---|`);
for (const c of cells) {
  const cols = COLUMNS.map((name) => {
    const r = c.rows.find((x) => x.name === name);
    if (!r) return excluded.has(`${name}|${c.op}|${c.alg}`) ? 'FAILED GATE' : 'n/a';
    return name === c.ref
      ? `**${fmtOps(r.opsPerSec)}**`
      : `${fmtOps(r.opsPerSec)} (${fmtX(r.ratioTo[c.ref]?.median ?? NaN)})`;
  });
  const ts = targetResults
    .filter((t) => t.op === c.op && t.alg === c.alg)
    .map(
      (t) =>
        `${t.result} ${t.max ? `<= ${t.max.toFixed(2)}x ${t.vs}` : `>= ${t.speedup.toFixed(2)}x ${t.vs}`}${t.value !== undefined ? ` (${t.value.toFixed(2)}x)` : ''}`,
    );
  log(`| ${opLabel(c.op)} | ${c.alg} | ${cols.join(' | ')} | ${ts.join('; ')} |`);
}

if (totalLoad && totalLoad.otherCores > 0.25) {
  log(
    `\nnote: other processes used ${totalLoad.otherCores.toFixed(2)} of ${os.cpus().length} cores during the run, so some batches ran at a`,
  );
  log(
    'fraction of full speed: absolute ops/s are noisy (compare p10/p90 in --json); per-sweep ratios cancel most of it.',
  );
}
log(`\n## Targets\n`);
log('| target | measured (wall-clock, per-sweep ratio) | cross-check: CPU-time ratio | result |');
log('|---|---|---|---|');
const measuredCell = (t) => cells.some((c) => c.op === t.op && c.alg === t.alg);
for (const t of targetResults)
  if (measuredCell(t)) log(`| ${t.label} | ${t.measured} | ${t.cpuMeasured ?? ''} | ${t.result} |`);
const verdict = targetResults.filter((t) => t.result !== 'n/a');
log(
  `\n${verdict.filter((t) => t.pass).length}/${verdict.length} targets met${
    verdict.some((t) => !t.pass)
      ? `; missed: ${verdict
          .filter((t) => !t.pass)
          .map((t) => `${t.alg} ${opLabel(t.op)} vs ${t.vs}`)
          .join(', ')}`
      : ''
  }.`,
);
log(
  `measured in ${((performance.now() - t0) / 1000).toFixed(0)} s${totalLoad ? `; other processes used ${totalLoad.otherCores.toFixed(2)} cores on average` : ''}; loadavg ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);

// JWE encrypt/decrypt against jose and a node:crypto floor (bench/jwe.mjs), with its own targets.
const jwe = CFG.ops.includes('jwe') ? await runJWEBench(CFG, log) : undefined;

if (CFG.json) {
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), CFG.json);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        startedAt,
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        config: CFG,
        versions: Object.fromEntries(impls.map((i) => [i.name, i.error ? null : i.version])),
        unavailable: Object.fromEntries(impls.filter((i) => i.error).map((i) => [i.name, i.error])),
        excluded: Object.fromEntries(excluded),
        warnings,
        otherCores: totalLoad?.otherCores,
        cells,
        targets: targetResults.map(({ label, op, alg, vs, max, speedup, value, cpuValue, result }) => ({
          label,
          op,
          alg,
          vs,
          max,
          speedup,
          value,
          cpuValue,
          result,
        })),
        jwe,
      },
      null,
      1,
    ),
  );
  log(`wrote ${file}`);
}
