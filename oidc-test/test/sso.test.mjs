// Single sign-on across two applications and single logout, against node-oidc-provider: an Express app
// and a Hono app, each with the sign-in routes of tessera-jwt/oidc, registered with a
// backchannel_logout_uri. Chromium signs in at the first (password), then opens the second (no password:
// the provider session signs it in), logs out at the first, and both are signed out — the second by the
// provider's back-channel logout token. Both run on 127.0.0.1, where cookies ignore the port, so each app
// names its cookie.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { chromium } from 'playwright-core';
import { generateKeyPair, signJWT } from 'tessera-jwt';
import { discoverClient, oidcExpress, oidcHono } from 'tessera-jwt/oidc';
import { authorize, browserMissing, CHROMIUM, freePort, SECRET, startProvider } from './provider.mjs';

const skip = browserMissing();
let op;
let browser;
const apps = {};
const clients = {};

const me = (session) => (session ? { sub: session.claims.sub, sid: session.claims.sid } : undefined);

async function startExpress(port, client) {
  const app = express();
  app.use(oidcExpress(client, { secret: randomBytes(32), cookieName: 'app_a' }));
  app.get('/me', (req, res) => (req.oidc ? res.json(me(req.oidc)) : res.status(401).json({ signedIn: false })));
  app.get('/', (_req, res) => res.send('home of A'));
  const server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  return () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(r);
    });
}

async function startHono(port, client) {
  const app = new Hono();
  app.use(oidcHono(client, { secret: randomBytes(32), cookieName: 'app_b' }));
  app.get('/me', (c) => (c.get('oidc') ? c.json(me(c.get('oidc'))) : c.json({ signedIn: false }, 401)));
  app.get('/', (c) => c.text('home of B'));
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return () =>
    new Promise((r) => {
      server.closeAllConnections?.();
      server.close(r);
    });
}

before(async () => {
  if (skip) return;
  const ports = { a: await freePort(), b: await freePort() };
  const origin = (name) => `http://127.0.0.1:${ports[name]}`;
  op = await startProvider(
    ['a', 'b'].map((name) => ({
      client_id: `sso-${name}`,
      client_secret: SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [`${origin(name)}/callback`],
      post_logout_redirect_uris: [`${origin(name)}/`],
      backchannel_logout_uri: `${origin(name)}/backchannel-logout`,
      backchannel_logout_session_required: true,
    })),
  );
  for (const name of ['a', 'b'])
    clients[name] = await discoverClient(op.issuer, {
      clientId: `sso-${name}`,
      clientSecret: SECRET,
      redirectUri: `${origin(name)}/callback`,
      postLogoutRedirectUri: `${origin(name)}/`,
      allowHttp: true,
    });
  apps.a = { origin: origin('a'), close: await startExpress(ports.a, clients.a) };
  apps.b = { origin: origin('b'), close: await startHono(ports.b, clients.b) };
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
  for (const app of Object.values(apps)) await app.close();
  await op?.close();
});

describe('single sign-on and single logout across an Express and a Hono app', {
  skip: skip ?? false,
  timeout: 120_000,
}, () => {
  test('sign in at A with a password, at B without one; log out at A and B is signed out too', async () => {
    const context = await browser.newContext();
    await context.route('**/*', (route) =>
      route.request().url().startsWith('http://127.0.0.1') ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const read = async (app) => {
      const response = await page.goto(`${app.origin}/me`);
      return { status: response.status(), body: JSON.parse(await page.locator('body').textContent()) };
    };
    assert.equal((await read(apps.a)).status, 401);
    assert.equal((await read(apps.b)).status, 401);

    await authorize(page, `${apps.a.origin}/login?returnTo=/me`, 'lin', apps.a.origin);
    const atA = await read(apps.a);
    assert.equal(atA.status, 200);
    assert.equal(atA.body.sub, 'lin');
    assert.equal(typeof atA.body.sid, 'string', 'the ID token names the provider session (sid)');

    // B: the provider session signs the user in; the login form never appears (consent may, once).
    let passwordAsked = false;
    page.on('framenavigated', async (frame) => {
      if (frame === page.mainFrame() && frame.url().startsWith(op.issuer))
        passwordAsked ||=
          (await frame
            .locator('input[name="password"]')
            .count()
            .catch(() => 0)) > 0;
    });
    await authorize(page, `${apps.b.origin}/login?returnTo=/me`, 'nobody', apps.b.origin);
    page.removeAllListeners('framenavigated');
    assert.equal(passwordAsked, false, 'no password prompt at the second application');
    const atB = await read(apps.b);
    assert.equal(atB.status, 200);
    assert.equal(atB.body.sub, 'lin', 'the same user, signed in by single sign-on');
    // (node-oidc-provider gives each client its own sid for the one provider session: OIDC allows either.)

    // Log out at A (RP-initiated logout; the provider asks to confirm), then B is signed out by the
    // provider's back-channel logout token.
    await page.goto(`${apps.a.origin}/logout`);
    await Promise.all([page.waitForURL(`${apps.a.origin}/`), page.click('button[name="logout"]')]);
    assert.equal((await read(apps.a)).status, 401);
    assert.equal((await read(apps.b)).status, 401, 'the second application is signed out too');
    await context.close();
  });

  test('the back-channel logout route refuses what is not a logout token from this provider', async () => {
    const url = `${apps.b.origin}/backchannel-logout`;
    const post = (body, type = 'application/x-www-form-urlencoded') =>
      fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
    const stranger = generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const forged = signJWT(
      {
        iss: op.issuer,
        aud: 'sso-b',
        iat: now,
        exp: now + 120,
        jti: 'x1',
        sid: 'some-session',
        events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
      },
      stranger.privateKey,
      { header: { typ: 'logout+jwt' } },
    );
    for (const [body, type] of [
      [`logout_token=${forged}`, undefined],
      ['logout_token=not-a-jwt', undefined],
      ['', undefined],
      [JSON.stringify({ logout_token: forged }), 'application/json'],
    ]) {
      const response = await post(body, type);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const answer = await response.json();
      assert.equal(answer.error, 'invalid_request');
      assert.ok(!JSON.stringify(answer).includes(forged), 'the token is not echoed');
    }
  });
});
