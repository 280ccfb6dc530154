// The provider's built-in login and consent pages over real HTTP on 127.0.0.1: forms without JavaScript,
// CSRF token checked, clickjacking headers, escaping, the login throttle, and the consent decision.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createClientRegistry, createProvider } from 'tessera-jwt/provider';
import { createMemoryStore, createTokenService, toNodeHandler } from 'tessera-jwt/server';
import { listen } from './helpers/http.js';

async function start() {
  const store = createMemoryStore();
  let handler: (req: any, res: any) => void = () => {};
  const { origin } = await listen((req, res) => handler(req, res));
  const service = createTokenService({
    issuer: origin,
    audience: 'api',
    store,
    keys: { encryptionKey: randomBytes(32) },
  });
  const clients = createClientRegistry({ store });
  await clients.seed([
    {
      client_id: 'spa',
      client_name: 'Demo <App>',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1:5173/cb'],
    },
  ]);
  const provider = createProvider({
    service,
    store,
    clients,
    interactionUrl: '/login',
    authenticate: (username, password) =>
      username === 'jane' && password === 'correct horse' ? { sub: 'user-42' } : undefined,
  });
  handler = toNodeHandler(provider.handle);
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(new URL(url, origin), { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (/Max-Age=0/i.test(line)) jar.delete(pair!.slice(0, eq));
      else jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  };
  const post = (path: string, form: Record<string, string>) =>
    go(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const begin = async (extra: Record<string, string> = {}) => {
    const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
    const res = await go(
      `/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'spa', redirect_uri: 'http://127.0.0.1:5173/cb', scope: 'openid email', state: 'st', code_challenge: challenge, code_challenge_method: 'S256', ...extra })}`,
    );
    const location = res.headers.get('location')!;
    const page = await go(location);
    const html = await page.text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
    return { page, html, uid: field('uid')!, csrf: field('csrf')! };
  };
  return { origin, go, post, begin, jar };
}

describe('built-in pages', () => {
  test('login page: a form without scripts, framing forbidden, values escaped; login then consent then code', async () => {
    const { post, begin, jar, go } = await start();
    const { page, html, uid, csrf } = await begin({ login_hint: '"><script>alert(1)</script>' });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'none'/);
    // The form may lead (through redirects) to this client's redirect URI only: Chromium enforces
    // form-action on the redirects after a submission (provider-test drives it).
    assert.match(page.headers.get('content-security-policy')!, /form-action 'self' http:\/\/127\.0\.0\.1:5173;/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(html.includes('<script>'), false);
    assert.ok(html.includes('Demo &lt;App&gt;'));
    assert.match(html, /<form method="post" action="\/login">/);
    const login = await post('/login', { uid, csrf, prompt: 'login', username: 'jane', password: 'correct horse' });
    assert.equal(login.status, 303);
    assert.ok(jar.get('tessera_session'));
    const consentURL = login.headers.get('location')!;
    const consent = await go(consentURL);
    const consentHTML = await consent.text();
    assert.match(consentHTML, /<li>openid<\/li><li>email<\/li>/);
    const csrf2 = /name="csrf" value="([^"]*)"/.exec(consentHTML)![1]!;
    const uid2 = /name="uid" value="([^"]*)"/.exec(consentHTML)![1]!;
    const done = await post('/login', { uid: uid2, csrf: csrf2, prompt: 'consent', decision: 'allow' });
    assert.equal(done.status, 303);
    const location = new URL(done.headers.get('location')!);
    assert.equal(location.origin, 'http://127.0.0.1:5173');
    assert.ok(location.searchParams.get('code'));
    assert.equal(location.searchParams.get('state'), 'st');
  });

  test('the session cookie is HttpOnly and SameSite=Lax (no Secure on an http issuer)', async () => {
    const { begin, go } = await start();
    const { uid, csrf } = await begin();
    const res = await go('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ uid, csrf, prompt: 'login', username: 'jane', password: 'correct horse' }).toString(),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith('tessera_session='))!;
    assert.match(session, /; HttpOnly/);
    assert.match(session, /; SameSite=Lax/);
    assert.doesNotMatch(session, /Secure/);
  });

  test('CSRF: a login or consent post without the page token is refused', async () => {
    const { post, begin } = await start();
    const { uid } = await begin();
    const forged = await post('/login', {
      uid,
      csrf: 'guess',
      prompt: 'login',
      username: 'jane',
      password: 'correct horse',
    });
    assert.equal(forged.status, 403);
    const missing = await post('/login', { uid, prompt: 'login', username: 'jane', password: 'correct horse' });
    assert.equal(missing.status, 403);
  });

  test('a wrong password re-renders the form (401); after 5 free failures the next one starts a wait (429 Retry-After)', async () => {
    const { post, begin } = await start();
    const { uid, csrf } = await begin();
    for (let i = 0; i < 6; i++) {
      const wrong = await post('/login', { uid, csrf, prompt: 'login', username: 'jane', password: `wrong-${i}` });
      assert.equal(wrong.status, 401);
      assert.match(await wrong.text(), /username or password is wrong/);
    }
    const throttled = await post('/login', { uid, csrf, prompt: 'login', username: 'jane', password: 'correct horse' });
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers.get('retry-after')) >= 1);
  });

  test('deny on the consent page redirects with access_denied', async () => {
    const { post, begin, go } = await start();
    const { uid, csrf } = await begin();
    const login = await post('/login', { uid, csrf, prompt: 'login', username: 'jane', password: 'correct horse' });
    const html = await (await go(login.headers.get('location')!)).text();
    const uid2 = /name="uid" value="([^"]*)"/.exec(html)![1]!;
    const csrf2 = /name="csrf" value="([^"]*)"/.exec(html)![1]!;
    const denied = await post('/login', { uid: uid2, csrf: csrf2, prompt: 'consent', decision: 'deny' });
    const location = new URL(denied.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('code'), null);
  });
});
