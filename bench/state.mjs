// npm run bench:state — cost as state grows. For each store (memory, SQLite file in WAL mode) and each
// size N (10^3 … 10^5; 10^6 with --million, memory by default), the store is filled with N denied jtis,
// N revoked families, N revoked subjects and N live refresh tokens (each in its own family), then the
// token service's revocation check (isRevoked: jti + family + subject), a refresh exchange and an
// introspection are timed one by one (p50/p99). Then a year of traffic with an injected clock: every
// simulated day adds records that expire (15-minute access tokens denied, 14-day refresh tokens, 90-day
// revocation markers), the store is swept once a day, and the number of live records is printed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createMemoryStore, createTokenService } from 'tessera-jwt/server';
import { createSQLiteStore } from 'tessera-jwt/stores/sqlite';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const sizesArg = argv.indexOf('--sizes');
const SIZES = sizesArg !== -1 ? argv[sizesArg + 1].split(',').map(Number) : quick ? [1e3, 1e4] : [1e3, 1e4, 1e5, 1e6];
const storesArg = argv.indexOf('--stores');
const STORES = storesArg !== -1 ? argv[storesArg + 1].split(',') : ['memory', 'sqlite'];
const noYear = argv.includes('--no-year');
const SQLITE_MAX = argv.includes('--million') ? 1e6 : 1e5;
const SAMPLES = quick ? 300 : 1000;
const DAYS = quick ? 60 : 365;
const PER_DAY = quick ? 200 : 1000;
const START = 1_800_000_000;
const DAY = 86400;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-state-'));
const stores = {
  memory: (clock) => ({ store: createMemoryStore({ now: () => clock.t }), bytes: undefined, close() {} }),
  sqlite: (clock, name) => {
    const file = path.join(tmp, `${name}.db`);
    const db = new Database(file);
    const store = createSQLiteStore(db, { now: () => clock.t });
    return {
      store,
      db,
      bytes: () => db.pragma('page_count', { simple: true }) * db.pragma('page_size', { simple: true }),
      close: () => db.close(),
    };
  },
};

const id = () => crypto.randomBytes(16).toString('base64url');
async function fill(s, n, t) {
  const { store, db } = s;
  const batch = 10_000;
  for (let done = 0; done < n; done += batch) {
    db?.exec('BEGIN');
    const ops = [];
    for (let i = done; i < Math.min(n, done + batch); i++) {
      ops.push(store.denyToken(`jti-${i}`, t + 900));
      ops.push(store.revokeFamily(`revoked-family-${i}`, t + 90 * DAY));
      ops.push(store.revokeSubject(`revoked-user-${i}`, t, t + 90 * DAY));
      ops.push(
        store.insertRefreshToken({
          id: id(),
          familyId: `family-${i}`,
          sub: `user-${i}`,
          clientId: 'web',
          scope: 'read:orders',
          issuedAt: t,
          expiresAt: t + 14 * DAY,
          familyExpiresAt: t + 90 * DAY,
        }),
      );
    }
    await Promise.all(ops);
    db?.exec('COMMIT');
  }
}

async function time(samples, fn) {
  const ms = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length * 0.5)], p99: ms[Math.floor(ms.length * 0.99)] };
}

const heap = () => {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};

console.log(
  `bench:state — node ${process.version}, ${os.cpus().length} CPUs; ${SAMPLES} timed calls per cell; sizes: ${SIZES.join(', ')} (SQLite up to ${SQLITE_MAX})`,
);
const rows = [];
for (const [storeName, make] of Object.entries(stores).filter(([name]) => STORES.includes(name))) {
  for (const n of SIZES) {
    if (storeName === 'sqlite' && n > SQLITE_MAX) continue;
    const clock = { t: START };
    const before = heap();
    const s = make(clock, `n${n}`);
    const filled0 = performance.now();
    await fill(s, n, START);
    const fillSeconds = (performance.now() - filled0) / 1000;
    const bytes = s.bytes ? s.bytes() : heap() - before;
    const service = createTokenService({
      issuer: 'https://auth.example.com',
      audience: 'https://api.example.com',
      store: s.store,
      keys: { encryptionKey: crypto.randomBytes(32) },
      now: () => clock.t,
    });
    const grants = [];
    for (let i = 0; i < SAMPLES; i++) grants.push(await service.issue({ sub: `live-${i}`, client_id: 'web' }));
    const claims = grants.map((g) => service.verifyAccessToken(g.access_token));
    const verified = await Promise.all(claims);
    const revocation = await time(SAMPLES, (i) => service.isRevoked(verified[i]));
    const refresh = await time(SAMPLES, (i) => service.refresh(grants[i].refresh_token, { client_id: 'web' }));
    const introspection = await time(SAMPLES, (i) => service.introspect(grants[i].access_token));
    const logout = await time(SAMPLES, (i) => service.revokeAll({ sub: `live-${i}` }));
    const row = {
      store: storeName,
      n,
      revocation,
      refresh,
      introspection,
      logout,
      bytesPerMillion: (bytes / (4 * n)) * 1e6,
      fillSeconds,
    };
    rows.push(row);
    console.log(
      `  ${storeName.padEnd(7)} N=${String(n).padEnd(8)} isRevoked ${fmt(revocation)}  refresh ${fmt(refresh)}  introspect ${fmt(introspection)}  revokeAll ${fmt(logout)}  ${(row.bytesPerMillion / 2 ** 20).toFixed(0)} MiB per 10^6 records (filled in ${fillSeconds.toFixed(1)} s)`,
    );
    s.close();
  }
}
function fmt(r) {
  return `p50 ${r.p50.toFixed(3)} / p99 ${r.p99.toFixed(3)} ms`;
}

// A year of traffic, swept daily: the live record count must level off instead of growing with time.
if (noYear) process.exit(0);
console.log(`\nA simulated year: ${PER_DAY} logins, refreshes, revocations and denials per day, sweep() daily`);
for (const [storeName, make] of Object.entries(stores).filter(([name]) => STORES.includes(name))) {
  const clock = { t: START };
  const s = make(clock, 'year');
  const counts = [];
  let removed = 0;
  let sweepMs = 0;
  for (let day = 0; day < DAYS; day++) {
    clock.t = START + day * DAY;
    s.db?.exec('BEGIN');
    const ops = [];
    for (let i = 0; i < PER_DAY; i++) {
      const k = `${day}-${i}`;
      ops.push(s.store.denyToken(`jti-${k}`, clock.t + 900));
      ops.push(s.store.revokeFamily(`rf-${k}`, clock.t + 90 * DAY));
      if (i % 10 === 0) ops.push(s.store.revokeSubject(`ru-${k}`, clock.t, clock.t + 90 * DAY));
      ops.push(
        s.store.insertRefreshToken({
          id: id(),
          familyId: `f-${k}`,
          sub: `u-${k}`,
          clientId: 'web',
          scope: 'read:orders',
          issuedAt: clock.t,
          expiresAt: clock.t + 14 * DAY,
          familyExpiresAt: clock.t + 90 * DAY,
        }),
      );
    }
    await Promise.all(ops);
    s.db?.exec('COMMIT');
    const t0 = performance.now();
    removed += await s.store.sweep(clock.t);
    sweepMs += performance.now() - t0;
    if ((day + 1) % Math.ceil(DAYS / 6) === 0 || day === DAYS - 1) counts.push(`day ${day + 1}: ${liveCount(s)}`);
  }
  console.log(
    `  ${storeName.padEnd(7)} live records ${counts.join(', ')}; ${removed} purged, sweep ${(sweepMs / DAYS).toFixed(1)} ms/day${s.bytes ? `, file ${(s.bytes() / 2 ** 20).toFixed(1)} MiB` : ''}`,
  );
  s.close();
}
fs.rmSync(tmp, { recursive: true, force: true });

function liveCount(s) {
  if (s.db) {
    const tables = ['refresh_tokens', 'revoked_families', 'revoked_subjects', 'denied_tokens'];
    return tables.reduce((sum, t) => sum + s.db.prepare(`SELECT count(*) AS c FROM tessera_${t}`).get().c, 0);
  }
  return `${(heap() / 2 ** 20).toFixed(0)} MiB heap`;
}
