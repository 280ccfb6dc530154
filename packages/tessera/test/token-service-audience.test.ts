// The token service's per-grant audience (RFC 8707: the provider binds a grant to resource indicators)
// and access-token-only grants (`refreshToken: false`), with a fixed clock. Without either option the
// behaviour is the one token-service.test.ts pins: the service's own audience and a refresh token.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { decodeJWT, InvalidGrantError } from 'tessera-jwt';
import { createMemoryStore, createTokenService } from 'tessera-jwt/server';

const T0 = 1_800_000_000;

function setup() {
  let t = T0;
  const store = createMemoryStore();
  const service = createTokenService({
    issuer: 'https://auth.example.com',
    audience: ['https://api.example.com', 'https://orders.example.com'],
    store,
    now: () => t,
    keys: { encryptionKey: randomBytes(32) },
  });
  return { service, store, advance: (s: number) => (t += s) };
}

describe('token service: audience per grant', () => {
  test('without audience the access token carries the service audience, as before', async () => {
    const { service } = setup();
    const tokens = await service.issue({ sub: 'u1', client_id: 'web' });
    assert.deepEqual(decodeJWT(tokens.access_token).payload.aud, [
      'https://api.example.com',
      'https://orders.example.com',
    ]);
    assert.deepEqual(service.audience, ['https://api.example.com', 'https://orders.example.com']);
  });

  test('audience binds the grant: every refreshed access token keeps it; a refresh may narrow, never widen', async () => {
    const { service, advance } = setup();
    const tokens = await service.issue({ sub: 'u1', client_id: 'web', audience: 'https://orders.example.com' });
    assert.equal(decodeJWT(tokens.access_token).payload.aud, 'https://orders.example.com');
    advance(10);
    const next = await service.refresh(tokens.refresh_token, { client_id: 'web' });
    assert.equal(decodeJWT(next.access_token).payload.aud, 'https://orders.example.com');
    await assert.rejects(
      service.refresh(next.refresh_token, { client_id: 'web', audience: 'https://api.example.com' }),
      InvalidGrantError,
    );
    // The refused request did not burn the token.
    const again = await service.refresh(next.refresh_token, {
      client_id: 'web',
      audience: ['https://orders.example.com'],
    });
    assert.equal(decodeJWT(again.access_token).payload.aud, 'https://orders.example.com');
    // Application claims and the audience travel together without mixing.
    const withClaims = await service.issue({
      sub: 'u2',
      client_id: 'web',
      claims: { tenant: 't1' },
      audience: ['https://a.example', 'https://b.example'],
    });
    const narrowed = await service.refresh(withClaims.refresh_token, {
      client_id: 'web',
      audience: 'https://b.example',
    });
    const payload = decodeJWT(narrowed.access_token).payload as any;
    assert.equal(payload.aud, 'https://b.example');
    assert.equal(payload.tenant, 't1');
    const full = await service.refresh(narrowed.refresh_token, { client_id: 'web' });
    assert.deepEqual(decodeJWT(full.access_token).payload.aud, ['https://a.example', 'https://b.example']);
  });

  test('grantAudience: the first access token is narrowed, the refresh token keeps the whole grant', async () => {
    const { service } = setup();
    const grant = ['https://a.example', 'https://b.example'];
    const tokens = await service.issue({
      sub: 'u1',
      client_id: 'web',
      audience: 'https://b.example',
      grantAudience: grant,
    });
    assert.equal(decodeJWT(tokens.access_token).payload.aud, 'https://b.example');
    const other = await service.refresh(tokens.refresh_token, { client_id: 'web', audience: 'https://a.example' });
    assert.equal(decodeJWT(other.access_token).payload.aud, 'https://a.example');
    const whole = await service.refresh(other.refresh_token, { client_id: 'web' });
    assert.deepEqual(decodeJWT(whole.access_token).payload.aud, grant);
    await assert.rejects(
      service.refresh(whole.refresh_token, { client_id: 'web', audience: 'https://c.example' }),
      InvalidGrantError,
    );
    // Alone it is the audience of every token; an audience outside it is a programming error.
    const alone = await service.issue({ sub: 'u2', client_id: 'web', grantAudience: 'https://a.example' });
    assert.equal(decodeJWT(alone.access_token).payload.aud, 'https://a.example');
    await assert.rejects(
      service.issue({ sub: 'u3', client_id: 'web', audience: 'https://c.example', grantAudience: grant }),
      TypeError,
    );
  });

  test('introspection and revocation recognise tokens bound to other resources; verifyAccessToken keeps its audience', async () => {
    const { service } = setup();
    const tokens = await service.issue({ sub: 'u1', client_id: 'web', audience: 'https://elsewhere.example' });
    const info = await service.introspect(tokens.access_token);
    assert.equal(info.active, true);
    assert.equal(info.active && info.aud, 'https://elsewhere.example');
    const refreshInfo = await service.introspect(tokens.refresh_token);
    assert.deepEqual(refreshInfo.active && refreshInfo.aud, ['https://elsewhere.example']);
    // A resource server of the service's audience does not accept a token meant for another.
    await assert.rejects(service.verifyAccessToken(tokens.access_token));
    await service.revoke(tokens.access_token, { client_id: 'web' });
    assert.equal((await service.introspect(tokens.access_token)).active, false);
  });

  test('misuse is a TypeError: audience must be strings; refreshToken a boolean', async () => {
    const { service } = setup();
    for (const audience of [[], [''], 42, [1]])
      await assert.rejects(service.issue({ sub: 'u1', client_id: 'web', audience: audience as never }), TypeError);
    await assert.rejects(service.issue({ sub: 'u1', client_id: 'web', refreshToken: 'no' as never }), TypeError);
    await assert.rejects(service.issue({ sub: 'u1', client_id: 'web', claims: { aud: 'x' } }), TypeError);
  });
});

describe('token service: refreshToken false', () => {
  test('issues the access token alone; the grant is still a family that revocation reaches', async () => {
    const { service, store } = setup();
    const tokens = await service.issue({ sub: 'u1', client_id: 'web', scope: 'openid', refreshToken: false });
    assert.equal('refresh_token' in tokens, false);
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.scope, 'openid');
    const claims = await service.verifyAccessToken(tokens.access_token);
    await store.revokeFamily(claims.sid, T0 + 3600);
    await assert.rejects(service.verifyAccessToken(tokens.access_token));
  });
});
