#!/usr/bin/env node
// Load test for the RecordStore (not part of the unit suite): the storage an OpenID provider does for one
// authorization-code flow, on each store, with N concurrent workers. One "flow" is, in order:
// find the client, insert the interaction, put the session, delete the interaction, put the grant and the
// authorization code (both with the grantId), consume the code, and insert a used private_key_jwt jti
// (replay detection). Prints flows/s and per-operation throughput with p50/p99. This is the store's share
// of a flow, without HTTP, hashing or signing.
//
//   npm run load:records -w tessera-stores-test             (after npm run build -w tessera-stores-test)
//   node stores-test/load-records.mjs --seconds 10 --concurrency 32 --stores sqlite,redis
import { randomBytes } from 'node:crypto';
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
const id = () => randomBytes(16).toString('base64url');

async function run(name, store) {
  const nowS = () => Date.now() / 1000;
  await store.putRecord(
    'Client',
    'web',
    { client_id: 'web', redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'private_key_jwt' },
    undefined,
  );
  const ops = ['client', 'interaction', 'session', 'endInteraction', 'grant', 'code', 'consume', 'jti'];
  const samples = Object.fromEntries([...ops, 'flow'].map((op) => [op, []]));
  const timed = async (op, fn) => {
    const t0 = performance.now();
    const out = await fn();
    samples[op].push(performance.now() - t0);
    return out;
  };
  const end = performance.now() + SECONDS * 1000;
  let errors = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const f0 = performance.now();
      try {
        const t = nowS();
        const sub = `user-${id()}`;
        const grantId = id();
        const uid = id();
        const code = id();
        if (!(await timed('client', () => store.findRecord('Client', 'web', t)))) throw new Error('client missing');
        await timed('interaction', () =>
          store.insertRecord(
            'Interaction',
            uid,
            { clientId: 'web', params: { scope: 'openid', state: id() } },
            t + 600,
          ),
        );
        await timed('session', () => store.putRecord('Session', id(), { accountId: sub, loginTs: t }, t + 86400));
        await timed('endInteraction', () => store.deleteRecord('Interaction', uid));
        await timed('grant', () =>
          store.putRecord(
            'Grant',
            grantId,
            { grantId, accountId: sub, clientId: 'web', openid: { scope: 'openid' } },
            t + 86400,
          ),
        );
        await timed('code', () =>
          store.putRecord(
            'AuthorizationCode',
            code,
            { grantId, clientId: 'web', sub, redirectUri: 'https://app.example/cb', codeChallenge: id() },
            t + 60,
          ),
        );
        const consumed = await timed('consume', () => store.consumeRecord('AuthorizationCode', code, nowS()));
        if (consumed.status !== 'ok') throw new Error(`code ${consumed.status}`);
        if (!(await timed('jti', () => store.insertRecord('ReplayDetection', id(), {}, t + 300))))
          throw new Error('jti collision');
        samples.flow.push(performance.now() - f0);
      } catch (err) {
        errors++;
        if (errors < 3) console.error(`${name}: ${err.message}`);
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
  const elapsed = (performance.now() - t0) / 1000;
  const rows = Object.entries(samples).map(([op, xs]) => {
    xs.sort((a, b) => a - b);
    const label = op === 'flow' ? '**whole flow**' : op;
    return `| ${name} | ${label} | ${Math.round(xs.length / elapsed).toLocaleString('en-US')} | ${quantile(xs, 0.5).toFixed(2)} | ${quantile(xs, 0.99).toFixed(2)} |`;
  });
  return { rows: [rows.at(-1), ...rows.slice(0, -1)], errors };
}

console.log(`# record store load: ${CONCURRENCY} concurrent workers, ${SECONDS} s per store, node ${process.version}`);
console.log(
  'one flow: find client, insert interaction, put session, delete interaction, put grant, put code, consume code, insert jti\n',
);
console.log('| store | operation | ops/s | p50 ms | p99 ms |');
console.log('|---|---|---:|---:|---:|');
const cleanups = [];
try {
  for (const name of STORES) {
    const { store, skip } = await openStore(name, { cleanups, poolSize: CONCURRENCY, file: 'records.db' });
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
