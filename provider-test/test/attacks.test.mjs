// Attacks on tessera-jwt/provider, each asserting the refusal: open redirect, code replay, code
// injection, PKCE downgrade and missing verifier, mix-up (the client library's own iss check), state
// tampering, CSRF on login and consent, session fixation, prompt=none without a session, private_key_jwt
// assertions replayed or for another audience, oversized and malformed parameters (clear OAuth errors,
// and the server keeps serving). Over real HTTP on 127.0.0.1; the sign-ins in Chromium.
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { signJWT } from 'tessera-jwt';
import { authorize, browserMissing, CLIENT_KEY, launchBrowser, SECRET, startProvider, USER } from './harness.mjs';

const skip = browserMissing();
let op;
let browser;
let page;

before(async () => {
  op = await startProvider();
  if (!skip) ({ browser, page } = await launchBrowser(op));
});
after(async () => {
  await browser?.close();
  await op?.close();
});

const insecure = { execute: [client.allowInsecureRequests] };
const discover = (id) => client.discovery(new URL(op.issuer), id, SECRET, client.ClientSecretBasic(SECRET), insecure);
const basic = (id, secret = SECRET) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = (path, params, headers = {}) =>
  fetch(`${op.issuer}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const authorizeURL = (params) =>
  `${op.issuer}/authorize?${new URLSearchParams({ response_type: 'code', scope: 'profile offline_access', ...params })}`;

/** A cookie jar and manual redirects: a second browser, driven by hand. */
function jarBrowser() {
  const jar = new Map();
  const go = async (url, init = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const r = await fetch(new URL(url, op.issuer), { ...init, headers, redirect: 'manual' });
    for (const line of r.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (/Max-Age=0/i.test(line)) jar.delete(pair.slice(0, eq));
      else jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return r;
  };
  const post = (path, fields) =>
    go(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  return { jar, go, post };
}
const field = (html, name) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

/** Starts an authorization in a jar browser; returns the login page's uid and csrf. */
async function beginLogin(b, clientId = 'web-basic', redirect = `${op.rp}/cb`) {
  const r = await b.go(authorizeURL({ client_id: clientId, redirect_uri: redirect, ...codeChallenge() }));
  assert.equal(r.status, 303);
  const html = await (await b.go(r.headers.get('location'))).text();
  return { uid: field(html, 'uid'), csrf: field(html, 'csrf'), html };
}
const codeChallenge = () => ({ code_challenge: pkce().challenge, code_challenge_method: 'S256' });

/** A code for `clientId` from Chromium (signed in once; later requests ride the session). */
async function codeFor(clientId, redirect = `${op.rp}/cb`) {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const back = await authorize(
    page,
    authorizeURL({
      client_id: clientId,
      redirect_uri: redirect,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
    op.rp,
  );
  const url = new URL(back.url);
  assert.equal(url.searchParams.get('iss'), op.issuer);
  return { code: url.searchParams.get('code'), verifier, state, url, redirect };
}
const redeem = (code, verifier, redirect, auth = basic('web-basic')) =>
  form(
    '/token',
    { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirect },
    {
      authorization: auth,
    },
  );
const errorOf = async (r) => (await r.json()).error;

describe('attacks on the provider, each refused', () => {
  test('open redirect: an unregistered or altered redirect_uri gets an error page, never a redirect', async () => {
    const variants = [
      'https://evil.example/cb',
      `${op.rp}/cb/../evil`,
      `${op.rp}/cb?next=https://evil.example`,
      `${op.rp}/cbx`,
      `${op.rp}/CB`,
      `${op.rp}/cb#frag`,
      `${op.evil}/cb`,
      `${op.rp.replace('127.0.0.1', 'localhost')}/cb`,
    ];
    for (const redirect_uri of variants) {
      const r = await fetch(authorizeURL({ client_id: 'web-basic', redirect_uri, ...codeChallenge() }), {
        redirect: 'manual',
      });
      assert.equal(r.status, 400, redirect_uri);
      assert.equal(r.headers.get('location'), null, redirect_uri);
      assert.match(r.headers.get('content-type'), /text\/html/);
    }
    const unknown = await fetch(authorizeURL({ client_id: 'nobody', redirect_uri: 'https://evil.example/cb' }), {
      redirect: 'manual',
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.headers.get('location'), null);
  });

  test('prompt=none without a session: login_required at the client, which openid-client reads as such', async () => {
    const config = await discover('web-basic');
    const state = client.randomState();
    const r = await fetch(
      authorizeURL({ client_id: 'web-basic', redirect_uri: `${op.rp}/cb`, prompt: 'none', state, ...codeChallenge() }),
      { redirect: 'manual' },
    );
    assert.equal(r.status, 303);
    const back = new URL(r.headers.get('location'));
    assert.equal(back.searchParams.get('error'), 'login_required');
    assert.equal(back.searchParams.get('iss'), op.issuer);
    await assert.rejects(
      client.authorizationCodeGrant(config, back, { pkceCodeVerifier: pkce().verifier, expectedState: state }),
      (err) => {
        assert.equal(err.error, 'login_required');
        return true;
      },
    );
  });

  test('PKCE is required: no code_challenge, plain, or a malformed one are refused at the authorization endpoint', async () => {
    const base = { client_id: 'web-basic', redirect_uri: `${op.rp}/cb`, state: 's1' };
    for (const extra of [
      {},
      { code_challenge: pkce().verifier, code_challenge_method: 'plain' },
      { code_challenge: pkce().challenge },
      { code_challenge: 'short', code_challenge_method: 'S256' },
    ]) {
      const r = await fetch(authorizeURL({ ...base, ...extra }), { redirect: 'manual' });
      assert.equal(r.status, 303, JSON.stringify(extra));
      const back = new URL(r.headers.get('location'));
      assert.equal(back.searchParams.get('error'), 'invalid_request', JSON.stringify(extra));
      assert.equal(back.searchParams.get('state'), 's1');
      assert.equal(back.searchParams.get('code'), null);
    }
  });

  describe('in the browser', { skip: skip ?? false, timeout: 120_000 }, () => {
    test('session fixation: a planted session cookie is not adopted; login issues a new session id', async () => {
      await page.context().clearCookies();
      const planted = 'attacker-chosen-session-id';
      await page.context().addCookies([{ name: 'tessera_session', value: planted, url: op.issuer }]);
      const { code } = await codeFor('web-basic');
      assert.ok(code);
      const cookies = await page.context().cookies(op.issuer);
      const session = cookies.find((c) => c.name === 'tessera_session');
      assert.ok(session, 'signed in');
      assert.notEqual(session.value, planted);
      assert.match(session.value, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');
      // A second login (prompt=login) replaces the session id again.
      const again = await authorize(
        page,
        authorizeURL({ client_id: 'web-basic', redirect_uri: `${op.rp}/cb`, prompt: 'login', ...codeChallenge() }),
        op.rp,
      );
      assert.equal(again.shown.login, true);
      const after = (await page.context().cookies(op.issuer)).find((c) => c.name === 'tessera_session');
      assert.notEqual(after.value, session.value);
    });

    test('code replay: the second redemption is refused and the tokens of the first are revoked', async () => {
      const { code, verifier, redirect } = await codeFor('web-basic');
      const first = await redeem(code, verifier, redirect);
      assert.equal(first.status, 200);
      const tokens = await first.json();
      const replay = await redeem(code, verifier, redirect);
      assert.equal(replay.status, 400);
      assert.equal(await errorOf(replay), 'invalid_grant');
      const refresh = await form(
        '/token',
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
        { authorization: basic('web-basic') },
      );
      assert.equal(await errorOf(refresh), 'invalid_grant', 'the refresh token from the replayed code is dead');
      const introspection = await form(
        '/introspect',
        { token: tokens.access_token },
        { authorization: basic('app-two') },
      );
      assert.deepEqual(await introspection.json(), { active: false });
    });

    test('code injection: a code of one client is refused to another, and stays good for its own client', async () => {
      const { code, verifier, redirect } = await codeFor('web-basic');
      const stolen = await redeem(code, verifier, redirect, basic('app-two'));
      assert.equal(stolen.status, 400);
      assert.equal(await errorOf(stolen), 'invalid_grant');
      const asOtherRedirect = await redeem(code, verifier, `${op.rp}/cb2`, basic('app-two'));
      assert.equal(await errorOf(asOtherRedirect), 'invalid_grant');
      const own = await redeem(code, verifier, redirect);
      assert.equal(own.status, 200, 'the injection attempt did not burn the code');
    });

    test('PKCE at the token endpoint: a missing verifier and a wrong one are refused', async () => {
      const { code, redirect } = await codeFor('web-basic');
      const missing = await form(
        '/token',
        { grant_type: 'authorization_code', code, redirect_uri: redirect },
        { authorization: basic('web-basic') },
      );
      assert.equal(missing.status, 400);
      assert.equal(await errorOf(missing), 'invalid_request');
      const wrong = await redeem(code, pkce().verifier, redirect);
      assert.equal(wrong.status, 400);
      assert.equal(await errorOf(wrong), 'invalid_grant');
    });

    test('mix-up: openid-client refuses a callback whose iss is another issuer, or missing', async () => {
      const config = await discover('web-basic');
      for (const tamper of [
        (u) => u.searchParams.set('iss', 'https://attacker-as.example'),
        (u) => u.searchParams.delete('iss'),
      ]) {
        const verifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const url = client.buildAuthorizationUrl(config, {
          redirect_uri: `${op.rp}/cb`,
          scope: 'profile',
          state,
          code_challenge: await client.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
        });
        const back = new URL((await authorize(page, url.href, op.rp)).url);
        tamper(back);
        await assert.rejects(
          client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state }),
          (err) => {
            assert.match(err.cause?.message ?? '', /"iss"/);
            return true;
          },
        );
      }
    });

    test('state tampering: openid-client refuses a callback with another state', async () => {
      const config = await discover('web-basic');
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: `${op.rp}/cb`,
        scope: 'profile',
        state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const back = new URL((await authorize(page, url.href, op.rp)).url);
      back.searchParams.set('state', client.randomState());
      await assert.rejects(
        client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state }),
        (err) => {
          assert.match(err.cause?.message ?? '', /"state"/);
          return true;
        },
      );
    });
  });

  test('CSRF on login: a wrong or missing token, or another browser’s interaction, is refused', async () => {
    const victim = jarBrowser();
    const { uid, csrf } = await beginLogin(victim);
    const creds = { prompt: 'login', username: USER.username, password: USER.password };
    let r = await victim.post('/interaction', { uid, csrf: 'forged', ...creds });
    assert.equal(r.status, 403);
    r = await victim.post('/interaction', { uid, ...creds });
    assert.equal(r.status, 403);
    // The attacker's own interaction (its uid and csrf), posted from the victim's browser: not this browser's.
    const attacker = jarBrowser();
    const theirs = await beginLogin(attacker);
    r = await victim.post('/interaction', { uid: theirs.uid, csrf: theirs.csrf, ...creds });
    assert.equal(r.status, 400);
    assert.equal(victim.jar.has('tessera_session'), false, 'no session from a refused form');
    // A cross-site post carries no interaction cookie (SameSite=Lax): refused.
    const crossSite = await fetch(`${op.issuer}/interaction`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ uid, csrf, ...creds }).toString(),
      redirect: 'manual',
    });
    assert.equal(crossSite.status, 400);
    assert.equal(crossSite.headers.getSetCookie().length, 0);
    // The genuine form still works.
    r = await victim.post('/interaction', { uid, csrf, ...creds });
    assert.equal(r.status, 303);
    assert.ok(victim.jar.has('tessera_session'));
  });

  test('CSRF on consent: a forged decision is refused and records no consent', async () => {
    const b = jarBrowser();
    const { uid, csrf } = await beginLogin(b, 'app-two', `${op.rp}/cb2`);
    let r = await b.post('/interaction', { uid, csrf, prompt: 'login', ...USER });
    assert.equal(r.status, 303);
    const consentHTML = await (await b.go(r.headers.get('location'))).text();
    assert.match(consentHTML, /Allow access\?/);
    const uid2 = field(consentHTML, 'uid');
    r = await b.post('/interaction', { uid: uid2, csrf: 'forged', prompt: 'consent', decision: 'allow' });
    assert.equal(r.status, 403);
    // Still asked for consent: nothing was recorded.
    r = await b.go(authorizeURL({ client_id: 'app-two', redirect_uri: `${op.rp}/cb2`, ...codeChallenge() }));
    assert.equal(r.status, 303);
    assert.ok(r.headers.get('location').startsWith(`${op.issuer}/interaction`));
    assert.match(await (await b.go(r.headers.get('location'))).text(), /Allow access\?/);
  });

  test('private_key_jwt: a replayed assertion and one for another audience are invalid_client', async () => {
    const assertion = (aud) =>
      signJWT({ iss: 'web-jwt', sub: 'web-jwt', aud, jti: randomUUID() }, CLIENT_KEY.privateJWK, {
        algorithm: 'ES256',
        kid: CLIENT_KEY.kid,
        expiresIn: '60s',
      });
    const introspect = (jwt) =>
      form('/introspect', {
        token: 'anything',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      });
    const good = assertion(`${op.issuer}/token`);
    const first = await introspect(good);
    assert.equal(first.status, 200, 'the assertion authenticates once');
    const replay = await introspect(good);
    assert.equal(replay.status, 401);
    assert.equal(await errorOf(replay), 'invalid_client');
    assert.match(replay.headers.get('www-authenticate'), /^Basic /);
    for (const aud of ['https://other-as.example/token', `${op.issuer}/other`]) {
      const wrong = await introspect(assertion(aud));
      assert.equal(wrong.status, 401, aud);
      assert.equal(await errorOf(wrong), 'invalid_client');
    }
    const asIssuer = await introspect(assertion(op.issuer));
    assert.equal(asIssuer.status, 200, 'the issuer is an accepted audience');
  });

  test('oversized and malformed parameters get clear OAuth errors, and the server keeps serving', async () => {
    const b = { client_id: 'web-basic', redirect_uri: `${op.rp}/cb`, ...codeChallenge() };
    let r = await fetch(authorizeURL({ ...b, state: 'x'.repeat(9000) }), { redirect: 'manual' });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('location'), null);
    r = await fetch(authorizeURL({ ...b, state: 'x'.repeat(3000) }), { redirect: 'manual' });
    assert.equal(new URL(r.headers.get('location')).searchParams.get('error'), 'invalid_request');
    r = await fetch(`${authorizeURL(b)}&client_id=web-basic`, { redirect: 'manual' });
    assert.equal(r.status, 400, 'a repeated parameter');
    r = await fetch(authorizeURL({ ...b, response_type: 'token' }), { redirect: 'manual' });
    assert.equal(new URL(r.headers.get('location')).searchParams.get('error'), 'unsupported_response_type');
    r = await fetch(authorizeURL({ ...b, scope: 'profile not-a-scope' }), { redirect: 'manual' });
    assert.equal(new URL(r.headers.get('location')).searchParams.get('error'), 'invalid_scope');
    r = await fetch(authorizeURL({ ...b, request: 'eyJ.x.y' }), { redirect: 'manual' });
    assert.equal(new URL(r.headers.get('location')).searchParams.get('error'), 'request_not_supported');

    r = await form(
      '/token',
      { grant_type: 'client_credentials', padding: 'x'.repeat(20_000) },
      { authorization: basic('web-basic') },
    );
    assert.equal(r.status, 413);
    assert.equal(await errorOf(r), 'invalid_request');
    r = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":"client_credentials"}',
    });
    assert.equal(r.status, 400);
    assert.equal(await errorOf(r), 'invalid_request');
    r = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('web-basic') },
      body: 'grant_type=refresh_token&grant_type=client_credentials',
    });
    assert.equal(await errorOf(r), 'invalid_request');
    for (const authorization of [
      'Basic !!!',
      'Basic ',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      'Bearer x',
    ])
      assert.equal(
        await errorOf(await form('/token', { grant_type: 'client_credentials' }, { authorization })),
        'invalid_client',
      );
    r = await form(
      '/token',
      { grant_type: 'client_credentials', client_id: 'web-basic', client_secret: SECRET },
      {
        authorization: basic('web-basic'),
      },
    );
    assert.equal(await errorOf(r), 'invalid_request', 'two authentication methods at once');
    r = await fetch(`${op.issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    assert.equal(r.status, 401, 'the initial access token is checked before the body');
    r = await fetch(`${op.issuer}/interaction`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `uid=x&csrf=y&padding=${'x'.repeat(10_000)}`,
    });
    assert.equal(r.status, 413);
    r = await fetch(`${op.issuer}/authorize?client_id=%FF%FE&redirect_uri=%00`, { redirect: 'manual' });
    assert.equal(r.status, 400);

    // Still serving: discovery, and a whole flow with a third-party client.
    assert.equal((await fetch(`${op.issuer}/.well-known/openid-configuration`)).status, 200);
    const config = await discover('web-basic');
    const tokens = await client.clientCredentialsGrant(config).catch((err) => err);
    assert.equal(tokens.error, 'unauthorized_client', 'web-basic has no client_credentials: refused properly');
  });
});
