// npm run bench:http — protected routes over real HTTP on 127.0.0.1: Express 5, Fastify 5 and Hono 4
// with tessera-jwt's adapter, the framework's usual JWT peer, no auth (the floor) and a no-op middleware
// mounted as Tessera's is (what the framework's own middleware dispatch costs). Each server runs
// in its own process; autocannon (fixed connections) drives them one at a time, the implementations of a
// cell in a new random order every round. Medians over rounds; ratios are medians of per-round ratios.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { exportJWK, signJWT } from 'tessera-jwt';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const arg = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
};
const ROUNDS = Number(arg('--rounds', quick ? 1 : 3));
const DURATION = Number(arg('--duration', quick ? 1 : 2));
const CONNECTIONS = Number(arg('--connections', 16));
const FRAMEWORKS = arg('--frameworks', 'express,fastify,hono').split(',');
const ALGS = arg('--algs', 'HS256,RS256,ES256').split(',');
const IMPLS = ['floor', 'noop', 'peer', 'tessera', 'tessera-cache'];
const PEER = { express: 'express-jwt', fastify: '@fastify/jwt', hono: 'hono/jwt' };
const peerName = (fw, alg) => (fw === 'hono' && alg !== 'HS256' ? 'hono/jwk' : PEER[fw]);
const AUDIENCE = 'https://api.example.com';
const ISSUER = 'https://auth.example.com/';
const here = (f) => fileURLToPath(new URL(f, import.meta.url));

function start(script, config) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [here(script), config], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ready (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
  });
}
const stop = (s) => new Promise((r) => (s.child.exitCode !== null ? r() : (s.child.once('exit', r), s.child.kill())));

// Keys, the JWKS and one access token per algorithm (11 claims, like bench.mjs).
const secret = crypto.randomBytes(32).toString('base64url');
const pairs = {
  RS256: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
};
const jwks = {
  keys: Object.entries(pairs).map(([alg, p]) => ({ ...exportJWK(p.publicKey), kid: `k-${alg}`, alg, use: 'sig' })),
};
const now = Math.floor(Date.now() / 1000);
const payload = {
  iss: ISSUER,
  aud: AUDIENCE,
  sub: 'user_4f3c2a1b9e8d7c6b',
  iat: now,
  exp: now + 24 * 3600,
  nbf: now - 5,
  jti: '6f1c2e9a-4b7d-4c2e-9f3a-1d2b3c4d5e6f',
  scope: 'openid profile email read:orders write:orders',
  roles: ['admin', 'editor', 'viewer'],
  name: 'Jane Q. Example',
  email_verified: true,
};
const tokens = {
  HS256: signJWT(payload, new Uint8Array(Buffer.from(secret, 'utf8')), { algorithm: 'HS256' }),
  RS256: signJWT(payload, pairs.RS256.privateKey, { algorithm: 'RS256', kid: 'k-RS256' }),
  ES256: signJWT(payload, pairs.ES256.privateKey, { algorithm: 'ES256', kid: 'k-ES256' }),
};
const tamper = (t) => {
  const [h, p, s] = t.split('.');
  return `${h}.${p}.${s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`}`;
};

async function get(port, token) {
  const res = await fetch(`http://127.0.0.1:${port}/protected`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: await res.text() };
}

// The correctness gate: the token is accepted with its claims, none / tampered / wrong-alg refused.
async function gate(impl, port, alg) {
  const ok = await get(port, tokens[alg]);
  if (ok.status !== 200) return `valid token answered ${ok.status}`;
  if (impl === 'floor' || impl === 'noop') return undefined;
  if (!ok.body.includes(payload.sub)) return 'claims missing';
  for (const [what, t] of [
    ['no token', undefined],
    ['tampered signature', tamper(tokens[alg])],
    ['other algorithm', tokens[alg === 'HS256' ? 'ES256' : 'HS256']],
  ]) {
    const r = await get(port, t);
    if (r.status < 400) return `${what} answered ${r.status}`;
  }
  return undefined;
}

// CPU time (user + system) of a server process, in seconds: per-request CPU cost is the cross-check
// that preemption by other processes on a shared machine cannot skew.
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function load(port, alg, duration) {
  return autocannon({
    url: `http://127.0.0.1:${port}/protected`,
    connections: CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${tokens[alg]}` },
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const shuffle = (xs) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

const t0 = Date.now();
const jwksServer = await start('http/jwks-server.mjs', JSON.stringify(jwks));
const jwksUrl = `http://127.0.0.1:${jwksServer.port}/.well-known/jwks.json`;
console.log(
  `bench:http — node ${process.version}, ${ROUNDS} round(s) × ${DURATION} s per server, ${CONNECTIONS} connections, autocannon`,
);
const results = [];
try {
  for (const framework of FRAMEWORKS) {
    for (const alg of ALGS) {
      const servers = {};
      const failures = {};
      for (const impl of IMPLS) {
        const config = JSON.stringify({ framework, impl, alg, secret, jwksUrl, audience: AUDIENCE, issuer: ISSUER });
        servers[impl] = await start('http/server.mjs', config);
        const failure = await gate(impl, servers[impl].port, alg);
        if (failure) failures[impl] = failure;
        else await load(servers[impl].port, alg, 0.5); // warm-up
      }
      const runs = Object.fromEntries(IMPLS.map((i) => [i, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const impl of shuffle(IMPLS.filter((i) => !failures[i]))) {
          const cpu0 = cpuSeconds(servers[impl].child.pid);
          const r = await load(servers[impl].port, alg, DURATION);
          const cpu = cpuSeconds(servers[impl].child.pid) - cpu0;
          if (r.non2xx || r.errors) failures[impl] = `${r.non2xx} non-2xx, ${r.errors} errors under load`;
          runs[impl].push({
            rps: r.requests.average,
            p50: r.latency.p50,
            p99: r.latency.p99,
            cpuPerReq: (cpu * 1e6) / r.requests.total,
          });
        }
      }
      await Promise.all(Object.values(servers).map(stop));
      const cell = { framework, alg, peer: peerName(framework, alg), impls: {}, failures };
      for (const impl of IMPLS) {
        if (failures[impl] || runs[impl].length === 0) continue;
        cell.impls[impl] = {
          rps: median(runs[impl].map((r) => r.rps)),
          p50: median(runs[impl].map((r) => r.p50)),
          p99: median(runs[impl].map((r) => r.p99)),
          cpuPerReq: median(runs[impl].map((r) => r.cpuPerReq)),
        };
      }
      const ratio = (a, b) =>
        runs[a]?.length && runs[b]?.length && !failures[a] && !failures[b]
          ? median(runs[a].map((r, i) => r.rps / runs[b][i].rps))
          : undefined;
      cell.tesseraVsPeer = ratio('tessera', 'peer');
      cell.cacheVsPeer = ratio('tessera-cache', 'peer');
      cell.cacheVsFloor = ratio('tessera-cache', 'floor');
      cell.noopVsFloor = ratio('noop', 'floor');
      // CPU-time ratios (peer µs/req ÷ tessera µs/req): > 1 means tessera costs less per request.
      const cpuRatio = (a, b) =>
        cell.impls[a] && cell.impls[b] ? cell.impls[b].cpuPerReq / cell.impls[a].cpuPerReq : undefined;
      cell.cpuTesseraVsPeer = cpuRatio('tessera', 'peer');
      cell.cpuCacheVsFloor = cpuRatio('tessera-cache', 'floor');
      results.push(cell);
      printCell(cell);
    }
  }
} finally {
  await stop(jwksServer);
}

function printCell(cell) {
  const label = (impl) =>
    impl === 'peer'
      ? cell.peer
      : impl === 'floor'
        ? 'no auth (floor)'
        : impl === 'noop'
          ? 'no-op middleware'
          : impl === 'tessera'
            ? 'tessera'
            : 'tessera cache';
  console.log(`\n${cell.framework} ${cell.alg}${cell.alg === 'HS256' ? ' (static secret)' : ' (JWKS on loopback)'}`);
  console.log(
    `  ${'impl'.padEnd(18)}${'req/s'.padStart(9)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'CPU µs/req'.padStart(12)}`,
  );
  for (const impl of IMPLS) {
    const r = cell.impls[impl];
    if (!r) {
      console.log(`  ${label(impl).padEnd(18)}  EXCLUDED: ${cell.failures[impl]}`);
      continue;
    }
    console.log(
      `  ${label(impl).padEnd(18)}${Math.round(r.rps).toString().padStart(9)}${r.p50.toString().padStart(8)}${r.p99.toString().padStart(8)}${r.cpuPerReq.toFixed(0).padStart(12)}`,
    );
  }
}

const fmt = (x) => (x === undefined ? '  n/a' : `${x.toFixed(2)}x`);
const verdict = (x, min) => (x === undefined ? 'MISS' : x >= min ? 'PASS' : 'MISS');
console.log('\nTargets (ratios of req/s, medians of per-round ratios; higher is better)');
console.log(
  `  ${'cell'.padEnd(16)}${'peer'.padEnd(14)}${'tessera/peer'.padStart(14)}${'cache/peer'.padStart(12)}${'cache/floor'.padStart(13)}${'CPU t/peer'.padStart(19)}${'CPU c/floor'.padStart(13)}${'noop/floor'.padStart(12)}`,
);
let misses = 0;
for (const c of results) {
  const v1 = verdict(c.tesseraVsPeer, 1);
  const v2 = verdict(c.cacheVsFloor, 0.9);
  if (v1 === 'MISS') misses++;
  if (v2 === 'MISS') misses++;
  console.log(
    `  ${`${c.framework} ${c.alg}`.padEnd(16)}${c.peer.padEnd(14)}${`${fmt(c.tesseraVsPeer)} ${v1}`.padStart(14)}${fmt(c.cacheVsPeer).padStart(12)}${`${fmt(c.cacheVsFloor)} ${v2}`.padStart(13)}${fmt(c.cpuTesseraVsPeer).padStart(19)}${fmt(c.cpuCacheVsFloor).padStart(13)}${fmt(c.noopVsFloor).padStart(12)}`,
  );
}
console.log(
  `\n  targets: tessera/peer >= 1.00 (no cache on either side), tessera cache/floor >= 0.90; ${misses} MISS (by req/s). CPU columns: CPU time per request of the other ÷ tessera's (higher is better for tessera; immune to preemption). noop/floor: a middleware that only reads the header, mounted as Tessera's is — the framework's own share of the gap. ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
const json = arg('--json');
if (json) fs.writeFileSync(json, JSON.stringify(results, null, 2));
