#!/usr/bin/env node
// Single sign-on with Tessera, end to end, on this machine: `npm run demo:sso`.
//
//   the provider  the reference server (npm start's) on its own SQLite file in a temporary folder, with two
//                 registered clients seeded from a clients file written here
//   app A         an Express 5 app signing users in with tessera-jwt/oidc (oidcExpress)
//   app B         a Hono 4 app doing the same (oidcHono)
//
// Sign in at A with the demo user's password; open B and you are signed in without typing it again (the
// provider's session); log out at either and both are signed out (RP-Initiated Logout at the provider,
// then its Back-Channel Logout tokens to A and B). Ports: DEMO_PROVIDER_PORT (8090), DEMO_A_PORT (3001),
// DEMO_B_PORT (3002). Everything listens on 127.0.0.1 and is deleted when you stop the demo (Ctrl-C).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { discoverClient, oidcExpress, oidcHono } from 'tessera-jwt/oidc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = (name, fallback) => Number(process.env[name] ?? fallback);
const providerPort = port('DEMO_PROVIDER_PORT', 8090);
const issuer = `http://127.0.0.1:${providerPort}`;
const apps = {
  a: { name: 'App A (Express)', origin: `http://127.0.0.1:${port('DEMO_A_PORT', 3001)}` },
  b: { name: 'App B (Hono)', origin: `http://127.0.0.1:${port('DEMO_B_PORT', 3002)}` },
};
const password = process.env.TESSERA_DEMO_PASSWORD ?? 'demo-password';
// Only the documented default is printed; a password of your own stays off the terminal.
const shown = process.env.TESSERA_DEMO_PASSWORD === undefined ? password : '(your TESSERA_DEMO_PASSWORD)';

// The provider's clients: the server's own (its token debugger), and two confidential web apps with
// secrets made for this run only.
const serverClients = JSON.parse(readFileSync(join(root, 'server/clients.json'), 'utf8')).clients;
const dir = mkdtempSync(join(tmpdir(), 'tessera-sso-demo-'));
for (const app of Object.values(apps)) app.secret = randomBytes(24).toString('base64url');
const clientsFile = join(dir, 'clients.json');
writeFileSync(
  clientsFile,
  JSON.stringify({
    clients: [
      ...serverClients,
      ...Object.entries(apps).map(([id, app]) => ({
        client_id: `demo-app-${id}`,
        client_name: app.name,
        client_secret: app.secret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: [`${app.origin}/callback`],
        post_logout_redirect_uris: [`${app.origin}/`],
        backchannel_logout_uri: `${app.origin}/backchannel-logout`,
        backchannel_logout_session_required: true,
        scope: 'openid profile email',
      })),
    ],
  }),
  { mode: 0o600 }, // the apps' client secrets
);

const provider = spawn(process.execPath, [join(root, 'server/build/src/main.js')], {
  env: {
    ...process.env,
    TESSERA_HOST: '127.0.0.1',
    TESSERA_PORT: String(providerPort),
    TESSERA_ISSUER: issuer,
    TESSERA_DATA_DIR: dir,
    TESSERA_STORE: 'sqlite',
    TESSERA_CLIENTS_FILE: clientsFile,
    TESSERA_DEMO_PASSWORD: password,
    TESSERA_LOG_LEVEL: process.env.TESSERA_LOG_LEVEL ?? 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const servers = [];
let stopping = false;
const stop = (code = 0) => {
  if (stopping) return;
  stopping = true;
  provider.kill('SIGTERM');
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
provider.on('exit', (code) => {
  if (!stopping) {
    console.error(`the provider stopped (exit ${code}); is port ${providerPort} free? (DEMO_PROVIDER_PORT)`);
    stop(1);
  }
});

// Wait for the provider's discovery document.
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${issuer}/.well-known/openid-configuration`)).ok) break;
  } catch {}
  if (i > 100) {
    console.error('the provider did not start');
    stop(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const escapeHTML = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (app, session, other) => `<!doctype html><meta charset="utf-8"><title>${app.name}</title>
<body style="font-family: system-ui; max-width: 40rem; margin: 3rem auto">
<h1>${app.name}</h1>
${
  session
    ? `<p id="status">Signed in as <b>${escapeHTML(session.claims.name ?? session.claims.sub)}</b> (sub <code>${escapeHTML(session.claims.sub)}</code>).</p>
<p><a href="/logout">Log out</a> (ends the provider session: you are signed out of both apps)</p>`
    : `<p id="status">Not signed in.</p><p><a href="/login">Sign in</a> at ${escapeHTML(issuer)}</p>`
}
<p>The other app: <a href="${other.origin}/">${other.name}</a></p>`;

const clientOf = (id) =>
  discoverClient(issuer, {
    clientId: `demo-app-${id}`,
    clientSecret: apps[id].secret,
    redirectUri: `${apps[id].origin}/callback`,
    postLogoutRedirectUri: `${apps[id].origin}/`,
    allowHttp: true, // loopback only: this demo has no TLS
  });
const routes = (id) => ({
  secret: randomBytes(32),
  cookieName: `demo_app_${id}`, // both apps are on 127.0.0.1, where cookies ignore the port
  authorizationParams: { scope: 'openid profile email' },
});

const expressApp = express();
expressApp.use(oidcExpress(await clientOf('a'), routes('a')));
expressApp.get('/', (req, res) => res.type('html').send(page(apps.a, req.oidc, apps.b)));
const { port: portA } = new URL(apps.a.origin);
servers.push(expressApp.listen(Number(portA), '127.0.0.1'));

const honoApp = new Hono();
honoApp.use(oidcHono(await clientOf('b'), routes('b')));
honoApp.get('/', (c) => c.html(page(apps.b, c.get('oidc'), apps.a)));
servers.push(serve({ fetch: honoApp.fetch, port: Number(new URL(apps.b.origin).port), hostname: '127.0.0.1' }));

console.log(`
Tessera single sign-on demo (stop with Ctrl-C)
  provider  ${issuer}   (the reference server on SQLite in ${dir})
  app A     ${apps.a.origin}/   (Express + oidcExpress)
  app B     ${apps.b.origin}/   (Hono + oidcHono)

1. Open ${apps.a.origin}/ and sign in as demo / ${shown}
2. Open ${apps.b.origin}/ and click "Sign in": no password this time (single sign-on)
3. Log out at either app: both are signed out (back-channel logout)
sso-demo ready`);
