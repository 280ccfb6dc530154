// The sign-in routes (oidcExpress, oidcFastify, oidcHono) in real Express 5, Fastify 5 and Hono 4 apps
// against node-oidc-provider, driven by Chromium: /login → provider login and consent → /callback →
// encrypted session cookie → /me; tokens refreshed before they expire; /logout ends both sessions.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { discoverClient, oidcExpress, oidcFastify, oidcHono } from 'tessera-jwt/oidc';
import { authorize, browserMissing, freePort, SECRET, startProvider } from './provider.mjs';
import { chromium } from 'playwright-core';

const skip = browserMissing();
const FRAMEWORKS = ['express', 'fastify', 'hono'];
const key = randomBytes(32);
let op;
let browser;
const apps = {};

async function startApp(name, port, client) {
  const origin = `http://127.0.0.1:${port}`;
  // Every request refreshes (refreshBefore is longer than the access token's life): the rotation is visible.
  const options = { secret: key, refreshBefore: '2h', afterLogout: '/' };
  const me = (session) => (session ? { sub: session.claims.sub, at: session.accessToken.slice(-8) } : undefined);
  if (name === 'express') {
    const app = express();
    app.use(oidcExpress(client, options));
    app.get('/me', (req, res) => (req.oidc ? res.json(me(req.oidc)) : res.status(401).json({ signedIn: false })));
    app.get('/', (_req, res) => res.send('home'));
    const server = await new Promise((resolve) => {
      const s = app.listen(port, '127.0.0.1', () => resolve(s));
    });
    return {
      origin,
      close: () =>
        new Promise((r) => {
          server.closeAllConnections();
          server.close(r);
        }),
    };
  }
  if (name === 'fastify') {
    const app = Fastify();
    await app.register(oidcFastify(client, options));
    app.get('/me', async (request, reply) =>
      request.oidc ? me(request.oidc) : reply.code(401).send({ signedIn: false }),
    );
    app.get('/', async () => 'home');
    await app.listen({ port, host: '127.0.0.1' });
    return { origin, close: () => app.close() };
  }
  const app = new Hono();
  app.use(oidcHono(client, options));
  app.get('/me', (c) => (c.get('oidc') ? c.json(me(c.get('oidc'))) : c.json({ signedIn: false }, 401)));
  app.get('/', (c) => c.text('home'));
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    origin,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(r);
      }),
  };
}

before(async () => {
  if (skip) return;
  const ports = {};
  for (const name of FRAMEWORKS) ports[name] = await freePort();
  op = await startProvider(
    FRAMEWORKS.map((name) => ({
      client_id: `app-${name}`,
      client_secret: SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [`http://127.0.0.1:${ports[name]}/callback`],
      post_logout_redirect_uris: [`http://127.0.0.1:${ports[name]}/`],
    })),
  );
  for (const name of FRAMEWORKS) {
    const origin = `http://127.0.0.1:${ports[name]}`;
    const client = await discoverClient(op.issuer, {
      clientId: `app-${name}`,
      clientSecret: SECRET,
      redirectUri: `${origin}/callback`,
      postLogoutRedirectUri: `${origin}/`,
      allowHttp: true,
    });
    apps[name] = await startApp(name, ports[name], client);
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
  for (const app of Object.values(apps)) await app.close();
  await op?.close();
});

describe('sign-in routes in Express, Fastify and Hono', { skip: skip ?? false, timeout: 120_000 }, () => {
  for (const name of FRAMEWORKS) {
    test(`${name}: login, session cookie, refresh, logout`, async () => {
      const { origin } = apps[name];
      const context = await browser.newContext();
      await context.route('**/*', (route) =>
        route.request().url().startsWith('http://127.0.0.1') ? route.continue() : route.abort(),
      );
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const read = async () => {
        const response = await page.goto(`${origin}/me`);
        return { status: response.status(), body: JSON.parse(await page.locator('body').textContent()) };
      };
      assert.equal((await read()).status, 401);

      // Sign in: the app redirects to the provider; Chromium fills in the login and consent pages.
      await authorize(page, `${origin}/login?returnTo=/me`, 'grace', origin);
      await page.waitForURL(`${origin}/me`);
      const first = JSON.parse(await page.locator('body').textContent());
      assert.equal(first.sub, 'grace');

      const cookies = await context.cookies(origin);
      const session = cookies.find((c) => c.name === 'tessera_session');
      assert.ok(session, 'session cookie set');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');
      assert.equal(session.secure, false, 'http: no Secure attribute');
      assert.equal(session.value.split('.').length, 5, 'a compact JWE');
      assert.ok(!session.value.includes(first.at), 'the cookie is encrypted');
      assert.equal(
        cookies.find((c) => c.name === 'tessera_session_tx'),
        undefined,
        'the transaction cookie is cleared',
      );

      // Refreshed before expiry: every request here rotates the tokens.
      const second = await read();
      assert.equal(second.status, 200);
      assert.equal(second.body.sub, 'grace');
      assert.notEqual(second.body.at, first.at, 'a refreshed access token');

      // A tampered cookie is no session.
      await context.addCookies([{ ...session, value: `${session.value.slice(0, -4)}AAAA` }]);
      assert.equal((await read()).status, 401);

      // Sign in again (the provider session still exists, so no password), then log out of both.
      await authorize(page, `${origin}/login`, 'grace', origin);
      assert.equal((await read()).status, 200);
      await page.goto(`${origin}/logout`);
      await Promise.all([page.waitForURL(`${origin}/`), page.click('button[name="logout"]')]);
      assert.equal((await read()).status, 401);
      await page.goto(`${origin}/login`);
      assert.equal(await page.locator('input[name="login"]').count(), 1, 'the provider asks for the login again');
      await context.close();
    });
  }

  test('the back-channel logout route reads the form and refuses a bad token the same way in all three', async () => {
    for (const name of FRAMEWORKS) {
      const response = await fetch(`${apps[name].origin}/backchannel-logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'logout_token=eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
      });
      assert.equal(response.status, 400, name);
      assert.equal(response.headers.get('cache-control'), 'no-store', name);
      const answer = await response.json();
      assert.equal(answer.error, 'invalid_request', name);
      assert.match(answer.error_description, /refused \(ERR_/, name);
    }
  });

  test('a callback without a sign-in in progress is refused without echoing the code', async () => {
    const { origin } = apps.express;
    const response = await fetch(
      `${origin}/callback?code=secret-code-value&state=x&iss=${encodeURIComponent(op.issuer)}`,
    );
    assert.equal(response.status, 400);
    assert.ok(!(await response.text()).includes('secret-code-value'));
  });
});
