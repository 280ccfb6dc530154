// The provider's UserInfo endpoint (OpenID Connect Core §5.3, RFC 6750) over real HTTP on 127.0.0.1:
// claims by granted scope from findAccount, sub equal to the ID token's, GET and POST (header or form
// body, never both), and the RFC 6750 §3 refusals of the shared middleware core.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJWT } from 'tessera-jwt';
import { ACCOUNTS, startProvider, WEB_SECRET } from './helpers/provider.js';

const read = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

describe('userinfo', () => {
  test("GET with a Bearer token: sub (the ID token's) and the claims of the granted scopes only", async () => {
    const ctx = await startProvider();
    const { body } = await ctx.signIn(ctx.browser());
    const res = await fetch(`${ctx.origin}/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const info = await read(res);
    const account = ACCOUNTS['user-42']!;
    assert.deepEqual(info, {
      sub: (decodeJWT(body.id_token).payload as any).sub,
      name: account.name,
      given_name: account.given_name,
      family_name: account.family_name,
      preferred_username: account.preferred_username,
      email: account.email,
      email_verified: account.email_verified,
    });
    // openid alone: sub only; phone_number and secret_note never (scope not granted / not a scope claim).
    const b = ctx.browser();
    const narrow = await ctx.signIn(b, { scope: 'openid' });
    assert.deepEqual(
      await read(fetch(`${ctx.origin}/userinfo`, { headers: { authorization: `Bearer ${narrow.body.access_token}` } })),
      { sub: 'user-42' },
    );
  });

  test('POST with the token in the form body (RFC 6750 §2.2) or the header; both at once is invalid_request', async () => {
    const ctx = await startProvider();
    const { body } = await ctx.signIn(ctx.browser(), { scope: 'openid email' });
    const byBody = await ctx.form('/userinfo', { access_token: body.access_token });
    assert.equal(byBody.status, 200);
    assert.deepEqual(await read(byBody), { sub: 'user-42', email: 'jane@example.com', email_verified: true });
    const byHeader = await fetch(`${ctx.origin}/userinfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    assert.equal(byHeader.status, 200);
    const both = await ctx.form(
      '/userinfo',
      { access_token: body.access_token },
      { authorization: `Bearer ${body.access_token}` },
    );
    assert.equal(both.status, 400);
    assert.match(both.headers.get('www-authenticate')!, /^Bearer .*error="invalid_request"/);
    assert.equal((await fetch(`${ctx.origin}/userinfo`, { method: 'PUT' })).status, 405);
  });

  test('refusals: no token (bare challenge), a bad or revoked token (invalid_token), no openid (insufficient_scope), a gone account', async () => {
    const ctx = await startProvider({
      clients: [
        {
          client_id: 'web',
          client_secret: WEB_SECRET,
          redirect_uris: ['https://app.example/cb'],
          grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        },
      ],
    });
    const none = await fetch(`${ctx.origin}/userinfo`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate')!, /^Bearer( realm="[^"]*")?$/);
    const bad = await fetch(`${ctx.origin}/userinfo`, { headers: { authorization: 'Bearer not.a.token' } });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate')!, /error="invalid_token"/);
    // An access token without openid (client_credentials) is insufficient_scope, naming openid.
    const machine = await read(
      ctx.form('/token', { grant_type: 'client_credentials', scope: 'profile' }, ctx.basic('web', WEB_SECRET)),
    );
    const noOpenid = await fetch(`${ctx.origin}/userinfo`, {
      headers: { authorization: `Bearer ${machine.access_token}` },
    });
    assert.equal(noOpenid.status, 403);
    assert.match(noOpenid.headers.get('www-authenticate')!, /error="insufficient_scope".*scope="openid"/);
    // A revoked access token.
    const { body } = await ctx.signIn(ctx.browser());
    const auth = { authorization: `Bearer ${body.access_token}` };
    assert.equal((await fetch(`${ctx.origin}/userinfo`, { headers: auth })).status, 200);
    await ctx.service.revoke(body.access_token);
    const revoked = await fetch(`${ctx.origin}/userinfo`, { headers: auth });
    assert.equal(revoked.status, 401);
    assert.match(revoked.headers.get('www-authenticate')!, /error="invalid_token"/);
    // An expired one.
    const fresh = await ctx.signIn(ctx.browser());
    ctx.advance(3600);
    const expired = await fetch(`${ctx.origin}/userinfo`, {
      headers: { authorization: `Bearer ${fresh.body.access_token}` },
    });
    assert.equal(expired.status, 401);
  });

  test('an account that findAccount no longer knows is invalid_token; without findAccount, sub alone', async () => {
    const gone = await startProvider({ provider: { findAccount: () => undefined } });
    const { body } = await gone.signIn(gone.browser());
    const res = await fetch(`${gone.origin}/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate')!, /error="invalid_token"/);
    const bare = await startProvider({ provider: { findAccount: undefined } });
    const second = await bare.signIn(bare.browser());
    assert.deepEqual(
      await read(
        fetch(`${bare.origin}/userinfo`, { headers: { authorization: `Bearer ${second.body.access_token}` } }),
      ),
      { sub: 'user-42' },
    );
  });

  test('scopeClaims adds a scope of your own; it may not release a claim the provider sets', async () => {
    const ctx = await startProvider({
      provider: {
        scopes: ['openid', 'profile', 'email', 'notes'],
        scopeClaims: { notes: ['secret_note'] },
      },
    });
    const { body } = await ctx.signIn(ctx.browser(), { scope: 'openid notes' });
    assert.deepEqual(
      await read(fetch(`${ctx.origin}/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } })),
      { sub: 'user-42', secret_note: 'never released' },
    );
    const doc = await read(fetch(`${ctx.origin}/.well-known/openid-configuration`));
    assert.ok(doc.claims_supported.includes('secret_note'));
    await assert.rejects(startProvider({ provider: { scopeClaims: { x: ['sub'] } } }), TypeError);
  });
});
