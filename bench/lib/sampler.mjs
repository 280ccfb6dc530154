// Interleaved sampler. All implementations of one cell (e.g. "verify HS256") run in the same
// process in sweeps: one short timed batch of each per sweep, in a fresh random order every sweep
// (a mere rotation would always put the same implementation after another, so one's leftover GC
// work would always land in the same neighbour's batch).
// Batches of neighbouring implementations are milliseconds apart, so machine noise (which moves on
// a ~100 ms scale on a shared VM) hits them alike, and a per-sweep ratio cancels most of it.

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};

const isThenable = (v) => v !== null && typeof v === 'object' && typeof v.then === 'function';
let sinkValue; // keeps results alive so the loop body cannot be optimised away
const sink = (v) => {
  sinkValue = v;
};
export const lastSink = () => sinkValue;

// One generated loop per function, so each call site stays monomorphic and no implementation
// can deoptimise another's loop. run(n) → [wall-clock ms, process CPU ms] for n calls. The CPU time
// (all threads: main, GC helpers, the libuv pool) is a cross-check that preemption cannot inflate.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function makeRunner(fn, isAsync) {
  const body = isAsync
    ? 'return async function run(n) { let r; const c0 = cpu(); const t0 = now(); for (let i = 0; i < n; i++) r = await fn(); const t = now() - t0; const c = cpu() - c0; sink(r); return [t, c]; }'
    : 'return function run(n) { let r; const c0 = cpu(); const t0 = now(); for (let i = 0; i < n; i++) r = fn(); const t = now() - t0; const c = cpu() - c0; sink(r); return [t, c]; }';
  return new Function('fn', 'now', 'cpu', 'sink', body)(fn, performance.now.bind(performance), cpuMs, sink);
}

// entries: [{ fn }] — fn() performs one operation (sync, or returns a Promise).
// cfg: { timeMs (measured time per entry), warmupMs, batchMs, minSweeps }
// Returns { wall, cpu }: [i][sweep] = wall-clock / process-CPU nanoseconds per operation of entry i.
export async function sampleInterleaved(entries, cfg) {
  const runners = [];
  const estimate = [];
  for (const e of entries) {
    const first = e.fn();
    const isAsync = isThenable(first);
    if (isAsync) await first;
    const run = makeRunner(e.fn, isAsync);
    // warm-up (JIT tiers, caches) and a first estimate of the per-call cost
    let n = 1,
      spent = 0,
      calls = 0;
    const end = performance.now() + cfg.warmupMs;
    while (performance.now() < end || calls < 10) {
      const [t] = await run(n);
      spent += t;
      calls += n;
      if (t < 1) n *= 2;
    }
    runners.push(run);
    estimate.push((spent * 1e6) / calls);
  }
  const sizeFor = (nsPerOp) => Math.max(1, Math.round((cfg.batchMs * 1e6) / nsPerOp));
  const batch = estimate.map(sizeFor);
  const ns = entries.map(() => []);
  const cpu = entries.map(() => []);
  const spent = entries.map(() => 0);
  const wallCap = performance.now() + Math.max(4 * cfg.timeMs * entries.length, 2000);
  let seed = 0x9e3779b9; // deterministic shuffles (mulberry32)
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = entries.map((_, i) => i);
  globalThis.gc?.();
  for (let sw = 0; ; sw++) {
    if (sw >= cfg.minSweeps && (spent.every((t) => t >= cfg.timeMs) || performance.now() > wallCap)) break;
    // re-size the batches from what was observed (a warm-up estimate can be off by a stall)
    if (sw === 3 || sw === 12) for (let i = 0; i < entries.length; i++) batch[i] = sizeFor(median(ns[i]));
    for (let j = order.length - 1; j > 0; j--) {
      const k = Math.floor(random() * (j + 1));
      [order[j], order[k]] = [order[k], order[j]];
    }
    for (const i of order) {
      let r = runners[i](batch[i]);
      if (isThenable(r)) r = await r;
      spent[i] += r[0];
      ns[i].push((r[0] * 1e6) / batch[i]);
      cpu[i].push((r[1] * 1e6) / batch[i]);
    }
  }
  return { wall: ns, cpu };
}

// Machine load while a cell ran: CPU used by other processes, in cores (from /proc/stat).
import { readFileSync } from 'node:fs';
function procStat() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] || 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: (total - idle) * 10, total: total * 10 }; // ms, USER_HZ = 100
  } catch {
    return null;
  }
}
export function loadMeter() {
  const s0 = procStat(),
    c0 = process.cpuUsage(),
    t0 = performance.now();
  return () => {
    const s1 = procStat(),
      c = process.cpuUsage(c0),
      wall = performance.now() - t0;
    if (!s0 || !s1 || wall <= 0) return null;
    const ours = (c.user + c.system) / 1000 / wall;
    return { seconds: wall / 1000, otherCores: Math.max(0, (s1.busy - s0.busy) / wall - ours) };
  };
}
