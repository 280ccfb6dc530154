#!/usr/bin/env node
// Where the time goes: CPU-profiles one implementation doing one operation in a loop (the V8
// sampling profiler, started only around the loop) and prints the functions with the most self
// time and the most total time.
//
//   node profile.mjs verify HS256                 (tessera; ops: sign, verify, cached, decode)
//   node profile.mjs verify HS256 --impl floor-full --seconds 5 --top 25 --save verify.cpuprofile
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeFixtures } from './lib/fixtures.mjs';
import { loadImplementations } from './lib/impls.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const [op = 'verify', alg = 'HS256'] = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const implName = opt('--impl', 'tessera');
const seconds = Number(opt('--seconds', 4));
const top = Number(opt('--top', 20));

const fx = makeFixtures();
const impl = (await loadImplementations(fx)).find((i) => i.name === implName);
if (!impl || impl.error) throw new Error(`${implName}: ${impl?.error ?? 'unknown implementation'}`);
const f = op === 'decode' ? impl.decode : impl[op]?.[alg];
if (!f) throw new Error(`${implName} has no ${op} ${alg}`);
const arg = op === 'sign' ? fx.payload : fx.tokens[op === 'decode' ? 'HS256' : alg];
if (f(arg)?.then) throw new Error('profile.mjs profiles synchronous functions only');

let sink;
const loop = (ms) => {
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 256; i++) sink = f(arg);
    n += 256;
  }
  return n;
};
loop(500); // warm-up (JIT) outside the profile
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 }); // µs
await session.post('Profiler.start');
const t0 = performance.now();
const n = loop(seconds * 1000);
const elapsed = performance.now() - t0;
const { profile } = await session.post('Profiler.stop');
session.disconnect();
if (argv.includes('--save'))
  writeFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), opt('--save')), JSON.stringify(profile));

// self time per node from the samples; total time = self + descendants
const byId = new Map(profile.nodes.map((nd) => [nd.id, { ...nd, self: 0 }]));
const parent = new Map();
for (const nd of profile.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
profile.samples.forEach((id, i) => {
  byId.get(id).self += profile.timeDeltas[i] ?? 0;
});
const totalUs = profile.timeDeltas.reduce((a, b) => a + b, 0);
const label = (cf) => {
  const file = cf.url
    ? cf.url
        .replace(/^file:\/\//, '')
        .replace(/^.*\/node_modules\//, '')
        .replace(/^.*\/packages\//, '')
    : '';
  return `${cf.functionName || '(anonymous)'}${file ? ` ${file}:${cf.lineNumber + 1}` : ''}`;
};
const self = new Map(),
  total = new Map();
for (const nd of byId.values()) {
  const k = label(nd.callFrame);
  self.set(k, (self.get(k) ?? 0) + nd.self);
  // add this node's self time to every distinct function on its stack
  const seen = new Set();
  for (let id = nd.id; id !== undefined; id = parent.get(id)) {
    const kk = label(byId.get(id).callFrame);
    if (!seen.has(kk)) {
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + nd.self);
    }
  }
}
const print = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${((100 * us) / totalUs).toFixed(1).padStart(6)}%  ${(((us / totalUs) * elapsed * 1e6) / n).toFixed(0).padStart(6)} ns/op  ${k}`,
    );
  }
};
console.log(
  `${implName} ${op} ${alg}: ${n.toLocaleString('en-US')} ops in ${(elapsed / 1000).toFixed(1)} s = ${((elapsed * 1e6) / n).toFixed(0)} ns/op (${Math.round((n / elapsed) * 1000).toLocaleString('en-US')} ops/s) under the profiler`,
);
print('self time (top functions):', self);
print(
  'total time (function and its callees):',
  [...total]
    .filter(([k]) => !/^\((root|program|garbage collector)\)$|^loop |^\(anonymous\) file/.test(k))
    .reduce((m, [k, v]) => m.set(k, v), new Map()),
);
void sink;
