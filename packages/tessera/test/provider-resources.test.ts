// RFC 8707 resource indicators at the provider, over real HTTP on 127.0.0.1: `resource` on the
// authorization request (several allowed; an unknown or malformed one is invalid_target) binds the
// access token's `aud`; the token and refresh requests may narrow it, never widen it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJWT } from 'tessera-jwt';
import { startProvider, WEB_SECRET } from './helpers/provider.js';

const read = async (res: Response | Promise<Response>): Promise<any> => (await res).json();
const ORDERS = 'https://orders.example.com';
const BILLING = 'https://billing.example.com';
const OFFLINE = { scope: 'openid offline_access', prompt: 'consent' };

describe('resource indicators (RFC 8707)', () => {
  test('by default the token service audience may be indicated, and the token is bound to it', async () => {
    const ctx = await startProvider({ audience: [ORDERS, BILLING] });
    const b = ctx.browser();
    const plain = await ctx.signIn(b);
    assert.deepEqual(decodeJWT(plain.body.access_token).payload.aud, [ORDERS, BILLING]);
    const bound = await ctx.signIn(b, { resource: ORDERS });
    assert.equal(decodeJWT(bound.body.access_token).payload.aud, ORDERS);
    // The resource server of ORDERS accepts it (its own audience) — and so does the service's verifier.
    assert.equal((await ctx.service.verifyAccessToken(bound.body.access_token)).aud, ORDERS);
    const unknown = await ctx.signIn(b, { resource: 'https://evil.example.com' });
    assert.equal(unknown.error, 'invalid_target');
    assert.equal(unknown.location.searchParams.get('state'), 'st');
  });

  test('several resources; the token request narrows to some; asking for another is invalid_target', async () => {
    const ctx = await startProvider({ provider: { resources: [ORDERS, BILLING, 'urn:example:reports'] } });
    const b = ctx.browser();
    const both = await ctx.signIn(b, { resource: [ORDERS, BILLING] });
    assert.deepEqual(decodeJWT(both.body.access_token).payload.aud, [ORDERS, BILLING]);
    const narrowed = await ctx.signIn(b, { resource: [ORDERS, BILLING] }, undefined, { resource: BILLING });
    assert.equal(decodeJWT(narrowed.body.access_token).payload.aud, BILLING);
    const widened = await ctx.signIn(b, { resource: ORDERS }, undefined, { resource: BILLING });
    assert.equal(widened.status, 400);
    assert.equal(widened.body.error, 'invalid_target');
    const urn = await ctx.signIn(b, { resource: 'urn:example:reports' });
    assert.equal(decodeJWT(urn.body.access_token).payload.aud, 'urn:example:reports');
    // Introspection knows the provider's own tokens whatever they are bound to.
    const info = await read(ctx.form('/introspect', { token: urn.body.access_token }, ctx.basic('web', WEB_SECRET)));
    assert.equal(info.active, true);
    assert.equal(info.aud, 'urn:example:reports');
  });

  test('malformed indicators are invalid_target at the authorization and token endpoints', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    for (const resource of ['relative/path', 'https://api.example.com/#frag']) {
      const res = await ctx.signIn(b, { resource });
      assert.equal(res.error, 'invalid_target', resource);
    }
    const atToken = await ctx.signIn(b, {}, undefined, { resource: 'https://api.example.com/#x' });
    assert.equal(atToken.body.error, 'invalid_target');
  });

  test('the refresh grant keeps the grant audience and may narrow it; a resource token is not for userinfo', async () => {
    const ctx = await startProvider({ provider: { resources: [ORDERS, BILLING] } });
    const b = ctx.browser();
    const first = await ctx.signIn(b, { ...OFFLINE, resource: [ORDERS, BILLING] });
    const refresh = (params: Record<string, string | string[]>) =>
      read(ctx.form('/token', { grant_type: 'refresh_token', ...params }, ctx.basic('web', WEB_SECRET)));
    const kept = await refresh({ refresh_token: first.body.refresh_token });
    assert.deepEqual(decodeJWT(kept.access_token).payload.aud, [ORDERS, BILLING]);
    const narrow = await refresh({ refresh_token: kept.refresh_token, resource: ORDERS });
    assert.equal(decodeJWT(narrow.access_token).payload.aud, ORDERS);
    const wider = await refresh({ refresh_token: narrow.refresh_token, resource: 'https://api.example.com' });
    assert.equal(wider.error, 'invalid_target');
    // The refused request did not burn the token, and the grant still has both resources.
    const after = await refresh({ refresh_token: narrow.refresh_token });
    assert.deepEqual(decodeJWT(after.access_token).payload.aud, [ORDERS, BILLING]);
    // Like node-oidc-provider: an access token bound to resource servers does not open userinfo.
    const userinfo = await fetch(`${ctx.origin}/userinfo`, {
      headers: { authorization: `Bearer ${after.access_token}` },
    });
    assert.equal(userinfo.status, 401);
    assert.match(userinfo.headers.get('www-authenticate')!, /error="invalid_token"/);
  });

  test('narrowed at the token request, the grant keeps the authorized resources for refreshes (RFC 8707 §2.2)', async () => {
    const ctx = await startProvider({ provider: { resources: [ORDERS, BILLING, 'urn:example:reports'] } });
    const b = ctx.browser();
    const first = await ctx.signIn(b, { ...OFFLINE, resource: [ORDERS, BILLING] }, undefined, { resource: BILLING });
    assert.equal(decodeJWT(first.body.access_token).payload.aud, BILLING);
    const refresh = (params: Record<string, string | string[]>) =>
      read(ctx.form('/token', { grant_type: 'refresh_token', ...params }, ctx.basic('web', WEB_SECRET)));
    const other = await refresh({ refresh_token: first.body.refresh_token, resource: ORDERS });
    assert.equal(decodeJWT(other.access_token).payload.aud, ORDERS);
    const whole = await refresh({ refresh_token: other.refresh_token });
    assert.deepEqual(decodeJWT(whole.access_token).payload.aud, [ORDERS, BILLING]);
    // Still never beyond the authorization: a resource the provider serves but the grant does not cover.
    const beyond = await refresh({ refresh_token: whole.refresh_token, resource: 'urn:example:reports' });
    assert.equal(beyond.error, 'invalid_target');
  });

  test('the resources option must be absolute URIs', async () => {
    await assert.rejects(startProvider({ provider: { resources: ['no-scheme'] } }), TypeError);
  });
});
