#!/usr/bin/env node
// Load test for the OpenID provider over real HTTP on 127.0.0.1 (not part of the unit suite): per store,
// N concurrent "browsers" each run complete authorization-code flows — GET /authorize (S256 PKCE), the
// application's interaction route finishing login (and consent on the first flow of a browser), the code
// redirect, POST /token with client_secret_basic — then token-endpoint requests (refresh_token rotation).
// Prints flows/s and token-endpoint requests/s with p50/p99. The client, server and store share this
// machine's 2 cores.
//
//   npm run load:provider -w tessera-stores-test            (after npm run build)
//   node stores-test/load-provider.mjs --seconds 10 --concurrency 8 --stores sqlite,redis
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createClientRegistry, createProvider } from 'tessera-jwt/provider';
import { createTokenService, toNodeHandler } from 'tessera-jwt/server';
import { openStore } from './load-stores.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const SECONDS = Number(opt('--seconds', 5));
const CONCURRENCY = Number(opt('--concurrency', 8));
const STORES = opt('--stores', 'memory,sqlite,redis,postgres').split(',');
const REDIRECT = 'https://app.example/cb';
const quantile = (xs, q) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function startProvider(store) {
  let handler = () => {};
  const server = createServer((req, res) => handler(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const service = createTokenService({
    issuer: origin,
    audience: 'https://api.example.com',
    store,
    keys: { encryptionKey: randomBytes(32) },
  });
  const clients = createClientRegistry({ store });
  // A registered client: its generated secret is stored SHA-256-hashed. (A secret configured through
  // seed() is scrypt-hashed, as a possibly human-chosen one must be: every check then costs an scrypt.)
  const { client, client_secret } = await clients.register({
    redirect_uris: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_basic',
  });
  const provider = createProvider({ service, store, clients, interactionUrl: '/interaction' });
  handler = toNodeHandler(async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/interaction' && request.method === 'GET') {
      const details = await provider.interactionDetails(request);
      return details ? Response.json({ prompt: details.prompt }) : new Response('gone', { status: 404 });
    }
    if (pathname === '/interaction' && request.method === 'POST')
      return provider.finishInteraction(request, await request.json());
    return provider.handle(request);
  });
  return {
    origin,
    clientId: client.client_id,
    basic: `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client_secret)}`).toString('base64')}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function run(name, store) {
  const { origin, clientId, basic, close } = await startProvider(store);
  const token = (params) =>
    fetch(`${origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: new URLSearchParams(params).toString(),
    });
  const browser = () => {
    const jar = new Map();
    return async (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      const res = await fetch(new URL(path, origin), { ...init, headers, redirect: 'manual' });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        if (/Max-Age=0/i.test(line)) jar.delete(pair.slice(0, eq));
        else jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      return res;
    };
  };
  // A refresher's flow asks for offline_access, which needs prompt=consent (OIDC Core §11); the measured
  // flows are plain sign-ins (login, consent once per browser).
  const flow = async (go, sub, offline = false) => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(8).toString('hex');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: offline ? 'openid offline_access' : 'openid',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      prompt: offline ? 'login consent' : 'login',
    });
    let res = await go(`/authorize?${query}`);
    let location = new URL(res.headers.get('location'), origin);
    while (location.pathname === '/interaction') {
      const uid = location.searchParams.get('uid');
      const details = await (await go(`/interaction?uid=${uid}`)).json();
      const result = details.prompt === 'login' ? { login: { sub, amr: ['pwd'] } } : { consent: {} };
      res = await go(`/interaction?uid=${uid}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(result),
      });
      location = new URL(res.headers.get('location'), origin);
    }
    const code = location.searchParams.get('code');
    if (!code || location.searchParams.get('state') !== state) throw new Error(`no code: ${location}`);
    const tokens = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    if (tokens.status !== 200) throw new Error(`token ${tokens.status}: ${await tokens.text()}`);
    return tokens.json();
  };

  const samples = { flow: [], refresh: [] };
  let errors = 0;
  const phase = async (op, body) => {
    const end = performance.now() + SECONDS * 1000;
    const worker = async (w) => {
      const go = browser();
      let state = { n: 0 };
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          state = await body(go, w, state);
          samples[op].push(performance.now() - t0);
        } catch (err) {
          errors++;
          if (errors < 3) console.error(`${name} ${op}: ${err.message}`);
        }
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
    return (performance.now() - t0) / 1000;
  };
  const elapsed = {};
  elapsed.flow = await phase('flow', async (go, w, s) => {
    await flow(go, `user-${w}-${s.n}`);
    return { n: s.n + 1 };
  });
  elapsed.refresh = await phase('refresh', async (go, w, s) => {
    const current = s.refresh ?? (await flow(go, `refresher-${w}`, true)).refresh_token;
    const res = await token({ grant_type: 'refresh_token', refresh_token: current });
    if (res.status !== 200) throw new Error(`refresh ${res.status}: ${await res.text()}`);
    return { refresh: (await res.json()).refresh_token };
  });
  await close();
  return Object.entries(samples).map(([op, xs]) => {
    xs.sort((a, b) => a - b);
    const label = op === 'flow' ? 'authorization-code flow' : 'token endpoint (refresh_token)';
    return { name, label, rate: xs.length / elapsed[op], p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), errors };
  });
}

console.log(
  `# provider load over HTTP: ${CONCURRENCY} concurrent clients, ${SECONDS} s per phase and store, node ${process.version}`,
);
console.log(
  'flow: /authorize → interaction (login, consent once) → code → POST /token; then refresh_token rotations\n',
);
console.log('| store | measure | per second | p50 ms | p99 ms |');
console.log('|---|---|---:|---:|---:|');
const cleanups = [];
try {
  for (const name of STORES) {
    const { store, skip } = await openStore(name, { cleanups, poolSize: CONCURRENCY * 2, file: 'provider.db' });
    if (skip) {
      console.log(`| ${name} | skipped: ${skip} | | | |`);
      continue;
    }
    for (const row of await run(name, store)) {
      console.log(
        `| ${row.name} | ${row.label} | ${Math.round(row.rate).toLocaleString('en-US')} | ${row.p50.toFixed(2)} | ${row.p99.toFixed(2)} |`,
      );
    }
  }
} finally {
  for (const cleanup of cleanups) await cleanup();
}
