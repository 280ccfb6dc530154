// OpenID Connect RP-Initiated Logout 1.0 at the provider's end_session_endpoint, over real HTTP on
// 127.0.0.1: a valid id_token_hint for this session ends it at once (expired hints too), anything else
// asks on a CSRF-protected, unframeable page; post_logout_redirect_uri is matched exactly; ending the
// session clears the cookie, deletes the session and revokes the refresh tokens issued in it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RECORD_KINDS } from 'tessera-jwt/provider';
import { pkce, startProvider, WEB_SECRET } from './helpers/provider.js';

const read = async (res: Response | Promise<Response>): Promise<any> => (await res).json();
const OFFLINE = { scope: 'openid profile offline_access', prompt: 'consent' };
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

describe('RP-Initiated Logout', () => {
  test('a valid id_token_hint of this session: redirect with state, session ended, its refresh tokens revoked', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const web = await ctx.signIn(b, OFFLINE);
    const spa = await ctx.signIn(b, OFFLINE, { id: 'spa', redirect: 'http://127.0.0.1:5173/cb' });
    const sessionId = b.jar.get('tessera_session')!;
    assert.ok(await ctx.store.findRecord(RECORD_KINDS.session, sessionId, Date.now() / 1000));
    // Another browser's session must survive this logout.
    const other = ctx.browser();
    const bystander = await ctx.signIn(other, OFFLINE);
    assert.equal((await ctx.service.introspect(web.body.refresh_token)).active, true);
    const res = await b.go(
      `/logout?${new URLSearchParams({ id_token_hint: web.body.id_token, post_logout_redirect_uri: 'https://app.example/bye', state: 'bye-state' })}`,
    );
    assert.equal(res.status, 303);
    const location = new URL(res.headers.get('location')!);
    assert.equal(location.origin + location.pathname, 'https://app.example/bye');
    assert.equal(location.searchParams.get('state'), 'bye-state');
    assert.match(res.headers.getSetCookie().join('\n'), /tessera_session=; .*Max-Age=0/);
    assert.equal(b.jar.has('tessera_session'), false);
    assert.equal(await ctx.store.findRecord(RECORD_KINDS.session, sessionId, Date.now() / 1000), undefined);
    // Every refresh token of the session (both clients) is revoked, and their access tokens denied.
    for (const tokens of [web.body, spa.body]) {
      assert.equal((await ctx.service.introspect(tokens.refresh_token)).active, false);
      await assert.rejects(ctx.service.verifyAccessToken(tokens.access_token));
    }
    const refresh = await ctx.form(
      '/token',
      { grant_type: 'refresh_token', refresh_token: web.body.refresh_token },
      ctx.basic('web', WEB_SECRET),
    );
    assert.equal((await read(refresh)).error, 'invalid_grant');
    assert.equal((await ctx.service.introspect(bystander.body.refresh_token)).active, true);
    // Signed out: the next authorization request asks for a login again (no single sign-on left).
    const again = await b.go(
      ctx.authorizeURL({
        response_type: 'code',
        client_id: 'web',
        redirect_uri: 'https://app.example/cb',
        scope: 'openid',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
      }),
    );
    assert.equal(new URL(again.headers.get('location')!).pathname, '/interaction');
  });

  test('an expired id_token_hint is still accepted (RP-Initiated Logout §2)', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const web = await ctx.signIn(b, OFFLINE);
    ctx.advance(2 * 3600); // the ID token lived 1 h
    const res = await b.go(`/logout?${new URLSearchParams({ id_token_hint: web.body.id_token, client_id: 'web' })}`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Signed out/);
    assert.equal((await ctx.service.introspect(web.body.refresh_token)).active, false);
  });

  test('without a hint: a confirmation page (CSRF token bound to the session, no framing) before anything ends', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const web = await ctx.signIn(b, OFFLINE);
    const res = await b.go(
      `/logout?${new URLSearchParams({ client_id: 'web', post_logout_redirect_uri: 'https://app.example/bye', state: 's' })}`,
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    const html = await res.text();
    assert.match(html, /Web App/);
    const xsrf = field(html, 'xsrf');
    assert.match(xsrf, /^[A-Za-z0-9_-]{43}$/);
    // Nothing has ended yet.
    assert.equal((await ctx.service.introspect(web.body.refresh_token)).active, true);
    // Another browser (its own session) cannot use this page's token; nor can a forged one.
    const attacker = ctx.browser();
    await ctx.signIn(attacker);
    assert.equal((await attacker.post('/logout/confirm', { xsrf, logout: 'yes' })).status, 400);
    assert.equal((await b.post('/logout/confirm', { xsrf: 'x'.repeat(43), logout: 'yes' })).status, 400);
    assert.equal((await ctx.service.introspect(web.body.refresh_token)).active, true);
    const confirmed = await b.post('/logout/confirm', { xsrf, logout: 'yes' });
    assert.equal(confirmed.status, 303);
    const location = new URL(confirmed.headers.get('location')!);
    assert.equal(location.origin + location.pathname, 'https://app.example/bye');
    assert.equal(location.searchParams.get('state'), 's');
    assert.equal((await ctx.service.introspect(web.body.refresh_token)).active, false);
    // The token is single-use.
    assert.equal((await b.post('/logout/confirm', { xsrf, logout: 'yes' })).status, 400);
  });

  test('"stay signed in" keeps the session; a hint of another session asks instead of ending this one', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const web = await ctx.signIn(b, OFFLINE);
    const other = ctx.browser();
    const foreign = await ctx.signIn(other);
    const page = await (await b.go(`/logout?${new URLSearchParams({ id_token_hint: foreign.body.id_token })}`)).text();
    assert.match(page, /Sign out\?/);
    const kept = await b.post('/logout/confirm', { xsrf: field(page, 'xsrf'), logout: 'no' });
    assert.equal(kept.status, 200);
    assert.match(await kept.text(), /Still signed in/);
    assert.equal((await ctx.service.introspect(web.body.refresh_token)).active, true);
    assert.ok(b.jar.has('tessera_session'));
  });

  test('post_logout_redirect_uri must be registered (exact match); a mismatched client_id or unknown client is refused', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const web = await ctx.signIn(b);
    const cases: Array<Record<string, string>> = [
      { id_token_hint: web.body.id_token, post_logout_redirect_uri: 'https://evil.example/bye' },
      { id_token_hint: web.body.id_token, post_logout_redirect_uri: 'https://app.example/bye/' },
      { client_id: 'web', post_logout_redirect_uri: 'https://app.example/bye?x=1' },
      { id_token_hint: web.body.id_token, client_id: 'spa' },
      { client_id: 'ghost' },
    ];
    for (const params of cases) {
      const res = await b.go(`/logout?${new URLSearchParams(params)}`);
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.equal(res.headers.get('location'), null);
    }
    // Without a client to check it against, the redirect is ignored (never followed unverified).
    const res = await b.go(`/logout?${new URLSearchParams({ post_logout_redirect_uri: 'https://evil.example/' })}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('location'), null);
    // A forged hint is not trusted: the user is asked.
    const [h, p] = web.body.id_token.split('.');
    const forged = await b.go(`/logout?${new URLSearchParams({ id_token_hint: `${h}.${p}.AAAA` })}`);
    assert.match(await forged.text(), /Sign out\?/);
    assert.ok(b.jar.has('tessera_session'));
  });

  test('POST: the form is read; a cross-site POST without the session cookie continues as a GET', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const web = await ctx.signIn(b, OFFLINE);
    const params = {
      id_token_hint: web.body.id_token,
      post_logout_redirect_uri: 'https://app.example/bye',
      state: 'p',
    };
    const crossSite = await fetch(`${ctx.origin}/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      redirect: 'manual',
    });
    assert.equal(crossSite.status, 303);
    const next = new URL(crossSite.headers.get('location')!);
    assert.equal(next.origin + next.pathname, `${ctx.origin}/logout`);
    assert.equal(next.searchParams.get('id_token_hint'), web.body.id_token);
    assert.equal(next.searchParams.get('state'), 'p');
    const ended = await b.post('/logout', params);
    assert.equal(ended.status, 303);
    assert.equal(new URL(ended.headers.get('location')!).searchParams.get('state'), 'p');
    assert.equal((await ctx.service.introspect(web.body.refresh_token)).active, false);
    // No session at all: nothing to confirm, straight back to the client.
    const again = await b.go(`/logout?${new URLSearchParams(params)}`);
    assert.equal(again.status, 303);
  });

  test('a family the session record missed (two writers at once) is still refused on refresh after the logout', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const web = await ctx.signIn(b, OFFLINE);
    const sessionId = b.jar.get('tessera_session')!;
    // Simulate the lost update: the session record no longer lists the family.
    const t = Date.now() / 1000;
    const session = (await ctx.store.findRecord(RECORD_KINDS.session, sessionId, t))!;
    await ctx.store.putRecord(RECORD_KINDS.session, sessionId, { ...session, families: [] }, t + 3600);
    const page = await (await b.go('/logout')).text();
    await b.post('/logout/confirm', { xsrf: field(page, 'xsrf'), logout: 'yes' });
    // The logout did not know the family, so its refresh token is still stored…
    assert.equal((await ctx.service.introspect(web.body.refresh_token)).active, true);
    // …but the ended-session marker refuses it at the token endpoint and revokes the family.
    const res = await ctx.form(
      '/token',
      { grant_type: 'refresh_token', refresh_token: web.body.refresh_token },
      ctx.basic('web', WEB_SECRET),
    );
    assert.equal((await read(res)).error, 'invalid_grant');
    assert.equal((await ctx.service.introspect(web.body.refresh_token)).active, false);
    await assert.rejects(ctx.service.verifyAccessToken(web.body.access_token));
  });

  test('a code issued before the logout cannot be redeemed after it', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    await ctx.signIn(b);
    const { verifier, challenge } = pkce();
    const { location } = await b.authorize(
      ctx.authorizeURL({
        response_type: 'code',
        client_id: 'web',
        redirect_uri: 'https://app.example/cb',
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    const code = location.searchParams.get('code')!;
    const page = await (await b.go('/logout')).text();
    await b.post('/logout/confirm', { xsrf: field(page, 'xsrf'), logout: 'yes' });
    const res = await ctx.form(
      '/token',
      { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: 'https://app.example/cb' },
      ctx.basic('web', WEB_SECRET),
    );
    assert.equal((await read(res)).error, 'invalid_grant');
  });
});
