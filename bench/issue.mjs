// npm run bench:issue — access tokens issued through the token service (memory store), RS256 and ES256,
// signed inline (`keys.signOffThread: false`, signJWT on the main thread) vs off the main thread (the
// default, signJWTAsync on the libuv threadpool). A closed loop keeps `--concurrency` issue() calls in
// flight, like a token endpoint under load; perf_hooks.monitorEventLoopDelay records the loop's delay
// meanwhile. Modes are interleaved in a new random order every round; medians over rounds.
import crypto from 'node:crypto';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createMemoryStore, createTokenService } from 'tessera-jwt/server';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const arg = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
};
const ROUNDS = Number(arg('--rounds', quick ? 2 : 5));
const DURATION = Number(arg('--duration', quick ? 0.5 : 1.5)) * 1000;
const CONCURRENCY = Number(arg('--concurrency', 32));
const ALGS = arg('--algs', 'RS256,ES256').split(',');
const MODES = ['inline', 'off-thread'];

async function service(algorithm, mode) {
  const s = createTokenService({
    issuer: 'https://auth.example.com',
    audience: 'https://api.example.com',
    store: createMemoryStore(),
    keys: { encryptionKey: crypto.randomBytes(32), algorithm, signOffThread: mode === 'off-thread' },
  });
  await s.issue({ sub: 'warm', client_id: 'web' }); // creates the first signing key
  return s;
}

async function run(s, ms) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let issued = 0;
  let n = 0;
  const deadline = performance.now() + ms;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  histogram.enable();
  const worker = async () => {
    while (performance.now() < deadline) {
      await s.issue({ sub: `user-${n++}`, client_id: 'web', scope: 'read:orders write:orders' });
      issued++;
      // The next request of this client arrives through I/O, i.e. in a later turn of the event loop
      // (without this, an in-memory store lets one microtask chain run the whole benchmark).
      await new Promise(setImmediate);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  histogram.disable();
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    rate: issued / elapsed,
    // No sample at all means the loop never got to run a timer: blocked for the whole run.
    p99: histogram.count === 0 ? elapsed * 1000 : histogram.percentile(99) / 1e6,
    max: histogram.count === 0 ? elapsed * 1000 : histogram.max / 1e6,
    cpu: (cpu.user + cpu.system) / 1e6 / elapsed,
  };
}

// The machine's own noise: the loop's delay while this process does nothing (other processes on a shared
// machine preempt it too), measured in every round beside the two modes.
async function idle(ms) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, ms));
  histogram.disable();
  return histogram.percentile(99) / 1e6;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

console.log(
  `bench:issue — node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, ${ROUNDS} rounds × ${DURATION / 1000} s, ${CONCURRENCY} issue() calls in flight`,
);
const results = [];
for (const alg of ALGS) {
  const services = {};
  for (const mode of MODES) {
    services[mode] = await service(alg, mode);
    await run(services[mode], 200); // warm-up
  }
  const runs = { inline: [], 'off-thread': [] };
  const idles = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = crypto.randomInt(2) ? MODES : [...MODES].reverse();
    for (const mode of order) runs[mode].push(await run(services[mode], DURATION));
    idles.push(await idle(Math.min(DURATION, 1000)));
  }
  const ratio = median(runs['off-thread'].map((r, i) => r.rate / runs.inline[i].rate));
  const row = { alg, ratio, idleP99: median(idles) };
  console.log(`\n${alg} access tokens via createTokenService().issue() (memory store)`);
  console.log(
    `  ${'path'.padEnd(12)}${'tokens/s'.padStart(10)}${'loop p99 ms'.padStart(13)}${'loop max ms'.padStart(13)}${'CPU cores'.padStart(11)}`,
  );
  for (const mode of MODES) {
    const r = runs[mode];
    row[mode] = {
      rate: median(r.map((x) => x.rate)),
      p99: median(r.map((x) => x.p99)),
      max: median(r.map((x) => x.max)),
    };
    console.log(
      `  ${mode.padEnd(12)}${Math.round(row[mode].rate).toString().padStart(10)}${row[mode].p99.toFixed(2).padStart(13)}${row[mode].max.toFixed(2).padStart(13)}${median(
        r.map((x) => x.cpu),
      )
        .toFixed(2)
        .padStart(11)}`,
    );
  }
  console.log(
    `  ${'(idle)'.padEnd(12)}${''.padStart(10)}${row.idleP99.toFixed(2).padStart(13)}   the loop of this process doing nothing`,
  );
  results.push(row);
}

console.log('\nTargets: off-thread >= 1.70x inline throughput, event-loop delay p99 < 5 ms while issuing');
let misses = 0;
for (const r of results) {
  const v1 = r.ratio >= 1.7 ? 'PASS' : 'MISS';
  const v2 = r['off-thread'].p99 < 5 ? 'PASS' : 'MISS';
  misses += (v1 === 'MISS') + (v2 === 'MISS');
  console.log(
    `  ${r.alg}  throughput ${r.ratio.toFixed(2)}x ${v1}   loop p99 ${r['off-thread'].p99.toFixed(2)} ms ${v2} (inline: ${r.inline.p99.toFixed(2)} ms, idle: ${r.idleP99.toFixed(2)} ms)`,
  );
}
console.log(
  `  ${misses} MISS; load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
