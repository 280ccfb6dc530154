#!/usr/bin/env node
// Load test for the token service (not part of the unit suite): issue → refresh → verify cycles with
// N concurrent workers against SQLite (a real file), Redis and PostgreSQL (throwaway servers, or the
// TESSERA_TEST_REDIS_URL / TESSERA_TEST_POSTGRES_URL ones), and the memory store as a baseline. Prints
// throughput and latency percentiles per operation.
//
//   npm run load -w tessera-stores-test                     (after npm run build -w tessera-stores-test)
//   node stores-test/load.mjs --seconds 10 --concurrency 32 --stores sqlite,redis
import { randomBytes } from 'node:crypto';
import { createTokenService } from 'tessera-jwt/server';
import { openStore } from './load-stores.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const SECONDS = Number(opt('--seconds', 5));
const CONCURRENCY = Number(opt('--concurrency', 16));
const STORES = opt('--stores', 'memory,sqlite,redis,postgres').split(',');

const quantile = (xs, q) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function run(name, store) {
  const service = createTokenService({
    issuer: 'https://auth.example.com',
    audience: 'https://api.example.com',
    store,
    keys: { encryptionKey: randomBytes(32) },
  });
  await service.issue({ sub: 'warm-up', client_id: 'web' }); // creates the signing key
  const samples = { issue: [], refresh: [], verify: [] };
  const timed = async (op, fn) => {
    const t0 = performance.now();
    const out = await fn();
    samples[op].push(performance.now() - t0);
    return out;
  };
  const end = performance.now() + SECONDS * 1000;
  let errors = 0;
  const worker = async (w) => {
    let n = 0;
    while (performance.now() < end) {
      try {
        let tokens = await timed('issue', () =>
          service.issue({ sub: `user-${w}-${n++}`, client_id: 'web', scope: 'read write' }),
        );
        for (let i = 0; i < 3; i++) {
          tokens = await timed('refresh', () => service.refresh(tokens.refresh_token, { client_id: 'web' }));
          await timed('verify', () => service.verifyAccessToken(tokens.access_token));
        }
      } catch (err) {
        errors++;
        if (errors < 3) console.error(`${name}: ${err.message}`);
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  const elapsed = (performance.now() - t0) / 1000;
  const rows = Object.entries(samples).map(([op, xs]) => {
    xs.sort((a, b) => a - b);
    return `| ${name} | ${op} | ${Math.round(xs.length / elapsed).toLocaleString('en-US')} | ${quantile(xs, 0.5).toFixed(2)} | ${quantile(xs, 0.99).toFixed(2)} |`;
  });
  return { rows, errors };
}

console.log(`# token service load: ${CONCURRENCY} concurrent workers, ${SECONDS} s per store, node ${process.version}`);
console.log(
  'each worker: issue, then 3 × (refresh, verifyAccessToken) — every refresh rotates and every verify checks revocation in the store\n',
);
console.log('| store | operation | ops/s | p50 ms | p99 ms |');
console.log('|---|---|---:|---:|---:|');
const cleanups = [];
try {
  for (const name of STORES) {
    const { store, skip } = await openStore(name, { cleanups, poolSize: CONCURRENCY, file: 'tokens.db' });
    if (skip) {
      console.log(`| ${name} | skipped: ${skip} | | | |`);
      continue;
    }
    const { rows, errors } = await run(name, store);
    for (const row of rows) console.log(row);
    if (errors) console.log(`| ${name} | ERRORS | ${errors} | | |`);
  }
} finally {
  for (const cleanup of cleanups) await cleanup();
}
