// npm run bench:oauth — the token endpoint over real HTTP on 127.0.0.1: tessera-jwt/provider
// (createProvider on node:http) beside node-oidc-provider 9 (its in-memory adapter), same client
// (client_secret_basic), same key type (RS256 and ES256 rows), JWT access tokens on both sides.
// Grants: client_credentials, refresh_token (rotation on both: every request spends its token and the
// response's new refresh token feeds the next request) and authorization_code (codes pre-issued through
// each provider's authorization endpoint and interaction API before each run, PKCE S256). Tessera runs on
// the memory store (the target row) and on SQLite, Redis and PostgreSQL. Every server is its own process;
// autocannon (fixed connections) drives one at a time, the implementations of a cell in a new random
// order every round. Medians over rounds; ratios are medians of per-round ratios.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { decodeJWT } from 'tessera-jwt';
import { postgresServer, redisServer } from './lib/db-servers.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const arg = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
};
if (argv.includes('--help')) {
  console.log(
    'node bench/oauth.mjs [--quick] [--rounds N] [--duration s] [--codes N] [--connections N] [--grants client_credentials,refresh_token,authorization_code] [--algs RS256,ES256] [--impls oidc-provider,tessera,tessera-seeded,tessera-sqlite,tessera-redis,tessera-postgres] [--json file]',
  );
  process.exit(0);
}
const ROUNDS = Number(arg('--rounds', quick ? 1 : 3));
const DURATION = Number(arg('--duration', quick ? 1 : 2));
// Authorization codes per run (a fixed amount). node-oidc-provider's in-memory adapter is an LRU of 1,000
// entries and a login flow with its code exchange leaves ~6 (interaction, session, grant, code, refresh token…): more would evict codes.
const CODES = Number(arg('--codes', quick ? 80 : 100));
const CONNECTIONS = Number(arg('--connections', 16));
const GRANTS = arg('--grants', 'client_credentials,refresh_token,authorization_code').split(',');
const ALGS = arg('--algs', 'RS256,ES256').split(',');
const ALL_IMPLS = ['oidc-provider', 'tessera', 'tessera-seeded', 'tessera-sqlite', 'tessera-redis', 'tessera-postgres'];
const IMPLS = arg('--impls', ALL_IMPLS.join(',')).split(',');
const AUDIENCE = 'https://api.example.com';
const REDIRECT = 'https://app.example/cb';
const SCOPE = 'api:read api:write';
const here = (f) => fileURLToPath(new URL(f, import.meta.url));

const LABEL = {
  'oidc-provider': 'oidc-provider (memory)',
  tessera: 'tessera (memory)',
  'tessera-seeded': 'tessera (memory, seeded client: scrypt)',
  'tessera-sqlite': 'tessera (SQLite file, WAL)',
  'tessera-redis': 'tessera (Redis)',
  'tessera-postgres': 'tessera (PostgreSQL)',
};
// The seeded client's scrypt check is the same on every grant: it is measured on client_credentials only.
const implsFor = (grant) => IMPLS.filter((i) => i !== 'tessera-seeded' || grant === 'client_credentials');

function configOf(impl, alg, dbs) {
  const base = { alg, audience: AUDIENCE, redirectUri: REDIRECT, scope: SCOPE };
  if (impl === 'oidc-provider') return { ...base, impl };
  const store = impl === 'tessera' || impl === 'tessera-seeded' ? 'memory' : impl.slice('tessera-'.length);
  return { ...base, impl: 'tessera', store, seeded: impl === 'tessera-seeded', storeUrl: dbs[store]?.url };
}

function start(config) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [here('oauth/server.mjs'), JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onExit = () => child.kill();
    process.once('exit', onExit);
    child.once('exit', () => process.off('exit', onExit));
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ready (\{.*\})\n/.exec(out);
      if (m) {
        const info = JSON.parse(m[1]);
        const origin = `http://127.0.0.1:${info.port}`;
        const basic = `Basic ${Buffer.from(`${encodeURIComponent(info.clientId)}:${encodeURIComponent(info.clientSecret)}`).toString('base64')}`;
        resolve({ child, origin, basic, ...info });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before it was ready:\n${err.slice(-2000)}`)));
  });
}
const stop = (s) =>
  new Promise((resolve) => {
    if (s.child.exitCode !== null) return resolve();
    s.child.once('exit', resolve);
    s.child.kill();
  });

const form = (params) => new URLSearchParams(params).toString();
const FORM = 'application/x-www-form-urlencoded';

async function token(s, params) {
  const res = await fetch(`${s.origin}${s.paths.token}`, {
    method: 'POST',
    headers: { 'content-type': FORM, authorization: s.basic },
    body: form(params),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

// One authorization request through the provider's authorization endpoint and the interaction route,
// with a cookie jar, up to the code at the redirect_uri.
async function authorizationCode(s) {
  const jar = new Map();
  const go = async (url) => {
    const headers = {};
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(pair.slice(0, eq));
      else jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    await res.arrayBuffer();
    return res;
  };
  const verifier = crypto.randomBytes(32).toString('base64url');
  const state = crypto.randomBytes(8).toString('hex');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: s.clientId,
    redirect_uri: REDIRECT,
    scope: SCOPE,
    state,
    code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  let url = new URL(`${s.paths.authorize}?${query}`, s.origin);
  for (let hops = 0; hops < 10; hops++) {
    const res = await go(url);
    const location = res.headers.get('location');
    if (!location) throw new Error(`authorization flow stopped at ${url.pathname} with ${res.status}`);
    url = new URL(location, s.origin);
    if (url.href.startsWith(REDIRECT)) {
      const code = url.searchParams.get('code');
      if (!code || url.searchParams.get('state') !== state) throw new Error(`no code in the redirect: ${url.search}`);
      return { code, verifier };
    }
  }
  throw new Error('authorization flow did not reach the redirect_uri');
}

const codeParams = ({ code, verifier }) => ({
  grant_type: 'authorization_code',
  code,
  redirect_uri: REDIRECT,
  code_verifier: verifier,
});

// n results of fn, 8 at a time.
async function pool(n, fn) {
  const out = [];
  let started = 0;
  const worker = async () => {
    while (started < n) {
      started++;
      out.push(await fn());
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, n) }, worker));
  return out;
}

// The correctness gate: the grant answers 200 with a JWT access token of the right alg, audience and
// client; a wrong client secret is refused; a spent refresh token / code is refused (rotation, single use).
async function gate(s, grant, alg) {
  let params;
  if (grant === 'client_credentials') params = { grant_type: 'client_credentials', scope: SCOPE };
  else if (grant === 'refresh_token') {
    const first = await token(s, codeParams(await authorizationCode(s)));
    if (first.status !== 200 || !first.body.refresh_token) return `code exchange answered ${first.status}`;
    params = { grant_type: 'refresh_token', refresh_token: first.body.refresh_token };
  } else params = codeParams(await authorizationCode(s));
  const ok = await token(s, params);
  if (ok.status !== 200) return `${grant} answered ${ok.status} ${JSON.stringify(ok.body)}`;
  let claims;
  try {
    claims = decodeJWT(ok.body.access_token);
  } catch {
    return 'the access token is not a JWT';
  }
  if (claims.header.alg !== alg) return `access token signed with ${claims.header.alg}`;
  const aud = [].concat(claims.payload.aud);
  if (!aud.includes(AUDIENCE) || claims.payload.client_id !== s.clientId) return 'wrong aud or client_id';
  if (grant !== 'client_credentials') {
    if (!ok.body.refresh_token) return 'no refresh token';
    if (grant === 'refresh_token' && ok.body.refresh_token === params.refresh_token) return 'refresh token not rotated';
    const again = await token(s, params);
    if (again.status < 400)
      return `a spent ${grant === 'refresh_token' ? 'refresh token' : 'code'} answered ${again.status}`;
  }
  const wrong = await fetch(`${s.origin}${s.paths.token}`, {
    method: 'POST',
    headers: { 'content-type': FORM, authorization: `Basic ${Buffer.from(`${s.clientId}:wrong`).toString('base64')}` },
    body: form({ grant_type: 'client_credentials' }),
  });
  if (wrong.status !== 401) return `a wrong client secret answered ${wrong.status}`;
  return undefined;
}

// CPU time (user + system) of a server process, in seconds (from /proc: immune to preemption).
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

// Refresh tokens chain: a shared queue holds the unspent tokens; each request takes one and its response
// puts the rotated successor back. A connection has one request in flight, so CONNECTIONS + spare
// tokens (issued by authorization-code flows beforehand) keep every connection busy, and no token is
// ever sent twice. Codes: a pool of CODES + CONNECTIONS fresh ones, one per request, for a fixed amount.
async function load(s, grant, duration, seeds) {
  const common = {
    url: `${s.origin}${s.paths.token}`,
    connections: CONNECTIONS,
    method: 'POST',
    headers: { 'content-type': FORM, authorization: s.basic },
  };
  if (grant === 'client_credentials')
    return autocannon({ ...common, duration, body: form({ grant_type: 'client_credentials', scope: SCOPE }) });
  const queue = [...seeds];
  let starved = 0;
  let answered = 0;
  let lastAt = 0;
  let refusal;
  const requests = [
    {
      setupRequest(req) {
        const next = queue.shift();
        if (next === undefined) {
          starved++;
          return req; // the previous body again: a spent token, refused and counted as non-2xx
        }
        req.body = form(
          grant === 'refresh_token' ? { grant_type: 'refresh_token', refresh_token: next } : codeParams(next),
        );
        return req;
      },
      onResponse(status, body) {
        answered++;
        lastAt = performance.now();
        if (status !== 200) refusal ??= `${status} ${body.slice(0, 200)}`;
        else if (grant === 'refresh_token') queue.push(JSON.parse(body).refresh_token);
      },
    },
  ];
  const started = performance.now();
  const r = await autocannon({
    ...common,
    requests,
    ...(grant === 'authorization_code' ? { amount: CODES } : { duration }),
  });
  r.starved = starved;
  r.refusal = refusal;
  // A fixed amount: autocannon's duration is whole seconds there; the rate is timed to the last response.
  if (grant === 'authorization_code') r.rate = answered / ((lastAt - started) / 1000);
  return r;
}

async function seedsFor(s, grant) {
  if (grant === 'client_credentials') return [];
  if (grant === 'authorization_code') {
    // Codes live 60 s on both providers: issuing them must take well under that.
    const t = performance.now();
    const codes = await pool(CODES + CONNECTIONS, () => authorizationCode(s));
    const seconds = (performance.now() - t) / 1000;
    if (seconds > 40)
      console.warn(`  (issuing ${codes.length} codes took ${seconds.toFixed(0)} s: the first may expire)`);
    return codes;
  }
  return pool(CONNECTIONS + 4, async () => {
    const r = await token(s, codeParams(await authorizationCode(s)));
    if (r.status !== 200) throw new Error(`seeding refresh tokens: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.refresh_token;
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
console.log(
  `bench:oauth — node ${process.version}, ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(
      ' ',
    )}; ${ROUNDS} round(s) × ${DURATION} s per server (authorization_code: ${CODES} codes per run), ${CONNECTIONS} connections, autocannon`,
);

// Ctrl-C: exit normally, so the servers and databases started here are stopped by their exit hooks.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

// Redis and PostgreSQL: throwaway servers on loopback (or TESSERA_TEST_REDIS_URL / _POSTGRES_URL).
const dbs = {};
const skipped = {};
for (const [name, startDb] of [
  ['redis', redisServer],
  ['postgres', postgresServer],
]) {
  if (!IMPLS.includes(`tessera-${name}`)) continue;
  const db = await startDb();
  if ('skip' in db) skipped[`tessera-${name}`] = db.skip;
  else dbs[name] = db;
}

const results = [];
try {
  for (const grant of GRANTS) {
    for (const alg of ALGS) {
      const impls = implsFor(grant);
      const servers = {};
      const failures = {};
      for (const impl of impls) {
        if (skipped[impl]) {
          failures[impl] = `SKIPPED: ${skipped[impl]}`;
          continue;
        }
        servers[impl] = await start(configOf(impl, alg, dbs));
        const failure = await gate(servers[impl], grant, alg).catch((err) => err.message);
        if (failure) failures[impl] = failure;
        else await load(servers[impl], grant, 0.5, await seedsFor(servers[impl], grant)); // warm-up
      }
      const runs = Object.fromEntries(impls.map((i) => [i, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const impl of shuffle(impls.filter((i) => !failures[i]))) {
          const s = servers[impl];
          const seeds = await seedsFor(s, grant);
          const cpu0 = cpuSeconds(s.child.pid);
          const r = await load(s, grant, DURATION, seeds);
          const cpu = cpuSeconds(s.child.pid) - cpu0;
          if (r.non2xx || r.errors || r.starved)
            failures[impl] =
              `${r.non2xx} non-2xx, ${r.errors} errors, ${r.starved ?? 0} starved under load${r.refusal ? ` (first: ${r.refusal})` : ''}`;
          runs[impl].push({
            rps: r.rate ?? r.requests.total / r.duration,
            p50: r.latency.p50,
            p99: r.latency.p99,
            cpuPerReq: (cpu * 1e6) / r.requests.total,
          });
        }
      }
      await Promise.all(Object.values(servers).map(stop));
      const cell = { grant, alg, impls: {}, failures };
      for (const impl of impls) {
        if (failures[impl] || runs[impl].length === 0) continue;
        cell.impls[impl] = {
          rps: median(runs[impl].map((r) => r.rps)),
          p50: median(runs[impl].map((r) => r.p50)),
          p99: median(runs[impl].map((r) => r.p99)),
          cpuPerReq: median(runs[impl].map((r) => r.cpuPerReq)),
        };
      }
      for (const impl of impls) {
        if (!cell.impls[impl] || !cell.impls['oidc-provider'] || impl === 'oidc-provider') continue;
        cell.impls[impl].ratio = median(runs[impl].map((r, i) => r.rps / runs['oidc-provider'][i].rps));
        cell.impls[impl].cpuRatio = cell.impls['oidc-provider'].cpuPerReq / cell.impls[impl].cpuPerReq;
      }
      results.push(cell);
      printCell(cell, impls);
    }
  }
} finally {
  for (const db of Object.values(dbs)) await db.stop();
}

function printCell(cell, impls) {
  console.log(`\n${cell.grant} ${cell.alg}`);
  console.log(
    `  ${'impl'.padEnd(42)}${'req/s'.padStart(8)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'CPU µs/req'.padStart(12)}${'vs oidc-provider'.padStart(18)}`,
  );
  for (const impl of impls) {
    const r = cell.impls[impl];
    if (!r) {
      console.log(`  ${LABEL[impl].padEnd(42)}EXCLUDED: ${cell.failures[impl]}`);
      continue;
    }
    const vs = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x (CPU ${r.cpuRatio.toFixed(2)}x)`;
    console.log(
      `  ${LABEL[impl].padEnd(42)}${Math.round(r.rps).toString().padStart(8)}${r.p50.toString().padStart(8)}${r.p99.toString().padStart(8)}${r.cpuPerReq.toFixed(0).padStart(12)}${vs.padStart(18)}`,
    );
  }
}

console.log(
  '\nTarget: tessera (memory) >= 2.00x oidc-provider req/s (median of per-round ratios) at an equal or lower p99',
);
let misses = 0;
for (const c of results) {
  const t = c.impls.tessera;
  const o = c.impls['oidc-provider'];
  if (!t || !o) {
    misses++;
    console.log(
      `  ${`${c.grant} ${c.alg}`.padEnd(26)} MISS (excluded: ${c.failures.tessera ?? c.failures['oidc-provider']})`,
    );
    continue;
  }
  const pass = t.ratio >= 2 && t.p99 <= o.p99;
  if (!pass) misses++;
  console.log(
    `  ${`${c.grant} ${c.alg}`.padEnd(26)} ${t.ratio.toFixed(2)}x req/s, p99 ${t.p99} vs ${o.p99} ms: ${pass ? 'PASS' : 'MISS'}`,
  );
}
console.log(
  `  ${misses} MISS. CPU: oidc-provider's server CPU time per request ÷ tessera's (higher is better for tessera). load average now ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}; ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
if (argv.includes('--markdown')) {
  console.log(
    '\n| grant | alg | implementation | req/s | p50 ms | p99 ms | server CPU µs/req | req/s vs oidc-provider |',
  );
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const c of results)
    for (const impl of implsFor(c.grant)) {
      const r = c.impls[impl];
      const cells = r
        ? [Math.round(r.rps).toLocaleString('en-US'), r.p50, r.p99, Math.round(r.cpuPerReq).toLocaleString('en-US')]
        : ['excluded', '', '', ''];
      const vs = r?.ratio === undefined ? (impl === 'oidc-provider' ? '(reference)' : '') : `${r.ratio.toFixed(2)}x`;
      console.log(`| ${c.grant} | ${c.alg} | ${LABEL[impl]} | ${cells.join(' | ')} | ${vs} |`);
    }
}
const json = arg('--json');
if (json) fs.writeFileSync(json, JSON.stringify(results, null, 2));
