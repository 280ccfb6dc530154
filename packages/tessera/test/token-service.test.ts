// The token service on the in-memory store with a fixed clock moved forward: login → refresh ×N →
// replay → family dead; the concurrent refresh race; grace-period retries; scopes; revoke and
// revoke-all; introspection; fail-closed revocation; signing keys across their whole lifetime.
// (The same service on SQLite, Redis and PostgreSQL: stores-test/.)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createMemoryStore, createTokenService, type TokenServiceOptions, type TokenStore } from 'tessera-jwt/server';
import {
  decodeProtectedHeader,
  decodeJWT,
  ExpiredSignatureError,
  InvalidGrantError,
  InvalidKeyError,
  InvalidScopeError,
  JWKSet,
  RefreshTokenReusedError,
  RevokedTokenError,
  StoreUnavailableError,
  UnauthorizedClientError,
  verifyJWT,
} from 'tessera-jwt';

const START = 1_800_000_000;

function setup(overrides: Partial<TokenServiceOptions> = {}) {
  const clock = { t: START };
  const store = createMemoryStore({ now: () => clock.t });
  const service = createTokenService({
    issuer: 'https://auth.example.com',
    audience: 'https://api.example.com',
    store,
    keys: { encryptionKey: randomBytes(32) },
    now: () => clock.t,
    ...overrides,
  });
  return { clock, store, service };
}

describe('issuing', () => {
  test('refresh tokens, grant ids and jtis never repeat, across refills of the random pool', async () => {
    // 300 logins draw 80 random bytes each (refresh token 32, grant id 16, jti 16, …): several 4 KiB refills.
    const { service } = setup();
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const tokens = await service.issue({ sub: `user-${i}`, client_id: 'web' });
      const { payload } = decodeJWT(tokens.access_token);
      assert.match(tokens.refresh_token, /^[A-Za-z0-9_-]{43}$/);
      assert.match(payload.jti as string, /^[A-Za-z0-9_-]{22}$/);
      for (const id of [tokens.refresh_token, payload.jti as string, payload.sid as string]) {
        assert.ok(!seen.has(id), 'an id repeated');
        seen.add(id);
      }
    }
    assert.equal(seen.size, 900);
  });

  test('issue gives an RFC 9068 access token and an opaque 256-bit refresh token', async () => {
    const { service, store } = setup();
    const tokens = await service.issue({
      sub: 'user-42',
      client_id: 'web',
      scope: 'read:orders write:orders',
      claims: { email: 'jane@example.com' },
    });
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.expires_in, 900);
    assert.equal(tokens.scope, 'read:orders write:orders');
    assert.match(tokens.refresh_token, /^[A-Za-z0-9_-]{43}$/);
    const { header, payload } = decodeJWT(tokens.access_token);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'ES256');
    assert.ok(header.kid);
    for (const claim of ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope', 'sid'])
      assert.ok(claim in payload, claim);
    assert.equal(payload.email, 'jane@example.com');
    assert.equal(payload.exp! - payload.iat!, 900);
    // Only the hash is stored: the token itself is nowhere in the store.
    const found = await store.findRefreshToken(tokens.refresh_token, START);
    assert.equal(found, undefined);
  });

  test('the access token verifies against the published JWKS, like any resource server would', async () => {
    const { service } = setup();
    const tokens = await service.issue({ sub: 'user-42', client_id: 'web' });
    const jwks = await service.jwks();
    assert.equal(jwks.keys.length, 1);
    assert.equal(JSON.stringify(jwks).includes('"d"'), false);
    const claims = verifyJWT(tokens.access_token, JWKSet.from(jwks), {
      algorithms: ['ES256'],
      typ: 'at+jwt',
      audience: 'https://api.example.com',
      currentDate: new Date(START * 1000),
    });
    assert.equal(claims.sub, 'user-42');
    assert.match(service.jwksCacheControl, /^public, max-age=\d+$/);
  });

  test('an unknown option name, at the top or under keys, is a TypeError that suggests the right one', () => {
    const base = {
      issuer: 'https://auth.example.com',
      audience: 'https://api.example.com',
      store: createMemoryStore(),
      keys: { encryptionKey: randomBytes(32) },
    };
    assert.throws(() => createTokenService({ ...base, accessTokenTtl: '5m' } as never), {
      name: 'TypeError',
      message: 'createTokenService: unknown option "accessTokenTtl"; did you mean "accessTokenTTL"?',
    });
    assert.throws(() => createTokenService({ ...base, refreshGrace: '5s' } as never), {
      name: 'TypeError',
      message: /^createTokenService: unknown option "refreshGrace"/,
    });
    assert.throws(() => createTokenService({ ...base, keys: { ...base.keys, rotationInteval: '7d' } } as never), {
      name: 'TypeError',
      message: 'createTokenService keys: unknown option "rotationInteval"; did you mean "rotationInterval"?',
    });
    // Every documented option is accepted.
    createTokenService({
      ...base,
      keys: { ...base.keys, algorithm: 'ES256', rotationInterval: '7d', publishAhead: '1d' },
      accessTokenTTL: '5m',
      refreshTokenTTL: '1d',
      refreshTokenAbsoluteTTL: '30d',
      refreshGracePeriod: '5s',
      clockTolerance: 10,
      now: () => START,
    });
  });

  test('reserved claims and misuse are TypeErrors', async () => {
    const { service } = setup();
    await assert.rejects(service.issue({ sub: 'u', client_id: 'web', claims: { sub: 'admin' } }), TypeError);
    await assert.rejects(service.issue({ sub: '', client_id: 'web' }), TypeError);
    await assert.rejects(service.issue({ sub: 'u', client_id: 'web', scope: 'bad"scope' }), InvalidScopeError);
  });
});

describe('refresh rotation', () => {
  test('login → refresh ×5 → replay of an old token → the whole family is dead', async () => {
    const { service, clock } = setup();
    const first = await service.issue({ sub: 'user-42', client_id: 'web', scope: 'read' });
    const chain = [first];
    for (let i = 0; i < 5; i++) {
      clock.t += 60;
      chain.push(await service.refresh(chain.at(-1)!.refresh_token, { client_id: 'web' }));
    }
    const latest = chain.at(-1)!;
    assert.equal((await service.verifyAccessToken(latest.access_token)).sub, 'user-42');
    clock.t += 1;
    await assert.rejects(service.refresh(chain[2]!.refresh_token, { client_id: 'web' }), RefreshTokenReusedError);
    await assert.rejects(service.refresh(latest.refresh_token, { client_id: 'web' }), InvalidGrantError);
    await assert.rejects(service.verifyAccessToken(latest.access_token), RevokedTokenError);
    assert.deepEqual(await service.introspect(latest.refresh_token), { active: false });
  });

  test('two concurrent refreshes of one token: exactly one succeeds, and the loser kills the family', async () => {
    const { service } = setup();
    const { refresh_token } = await service.issue({ sub: 'u', client_id: 'web' });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => service.refresh(refresh_token, { client_id: 'web' })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.ok(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => (r as PromiseRejectedResult).reason instanceof RefreshTokenReusedError),
    );
  });

  test('a revocation that lands while a refresh is storing the successor leaves no live successor', async () => {
    const clock = { t: START };
    const memory = createMemoryStore({ now: () => clock.t });
    let pause: Promise<void> | undefined;
    // A store whose insert is slow: the revocation runs between the consume and the insert.
    const store: TokenStore = {
      ...memory,
      insertRefreshToken: async (token) => {
        await pause;
        return memory.insertRefreshToken(token);
      },
    };
    const service = createTokenService({
      issuer: 'https://auth.example.com',
      audience: 'api',
      store,
      keys: { encryptionKey: randomBytes(32) },
      now: () => clock.t,
    });
    const a = await service.issue({ sub: 'u', client_id: 'web' });
    let release!: () => void;
    pause = new Promise((resolve) => (release = resolve));
    const refreshing = service.refresh(a.refresh_token, { client_id: 'web' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await service.revoke(a.refresh_token); // finds the consumed token, revokes the family
    release();
    const b = await refreshing;
    clock.t += 3600; // long after every access-token lifetime
    await assert.rejects(service.refresh(b.refresh_token, { client_id: 'web' }), InvalidGrantError);
    assert.deepEqual(await service.introspect(b.refresh_token), { active: false });
  });

  test('replaying a used token with another client or a wider scope is still a replay', async () => {
    const { service } = setup();
    const a = await service.issue({ sub: 'u', client_id: 'web', scope: 'read' });
    const b = await service.refresh(a.refresh_token, { client_id: 'web' });
    await assert.rejects(service.refresh(a.refresh_token, { client_id: 'other' }), RefreshTokenReusedError);
    await assert.rejects(service.refresh(b.refresh_token, { client_id: 'web' }), InvalidGrantError);
  });

  test('revocation outlives the family: a month later its tokens are still refused', async () => {
    const { service, clock } = setup({ refreshTokenTTL: '60d' });
    const a = await service.issue({ sub: 'u', client_id: 'web' });
    await service.revokeAll({ sub: 'u' });
    clock.t += 30 * 86400;
    await assert.rejects(service.refresh(a.refresh_token, { client_id: 'web' }), InvalidGrantError);
  });

  test('with a grace period, concurrent refreshes of one token all get the same successor (the losers wait for the winner)', async () => {
    const base = createMemoryStore({ now: () => START });
    // A store whose insert takes a while, as a real database's does under load.
    const store: TokenStore = {
      ...base,
      insertRefreshToken: async (record) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return base.insertRefreshToken(record);
      },
    };
    const { service } = setup({ refreshGracePeriod: '5s', store });
    const a = await service.issue({ sub: 'u', client_id: 'web' });
    const results = await Promise.all(
      Array.from({ length: 30 }, () => service.refresh(a.refresh_token, { client_id: 'web' })),
    );
    assert.equal(new Set(results.map((r) => r.refresh_token)).size, 1);
    assert.equal((await service.verifyAccessToken(results[29]!.access_token)).sub, 'u');
  });

  test('within the grace period the previous token gets the same successor; older ones still kill the family', async () => {
    const { service, clock } = setup({ refreshGracePeriod: '10s' });
    const a = await service.issue({ sub: 'u', client_id: 'web' });
    const b = await service.refresh(a.refresh_token, { client_id: 'web' });
    clock.t += 5;
    const retry = await service.refresh(a.refresh_token, { client_id: 'web' }); // the response to b was lost
    assert.equal(retry.refresh_token, b.refresh_token);
    const c = await service.refresh(b.refresh_token, { client_id: 'web' });
    clock.t += 1;
    await assert.rejects(service.refresh(a.refresh_token, { client_id: 'web' }), RefreshTokenReusedError); // b was used: a is no longer the previous one
    await assert.rejects(service.refresh(c.refresh_token, { client_id: 'web' }), InvalidGrantError);
  });

  test('after the grace period a retry is a replay', async () => {
    const { service, clock } = setup({ refreshGracePeriod: '10s' });
    const a = await service.issue({ sub: 'u', client_id: 'web' });
    await service.refresh(a.refresh_token, { client_id: 'web' });
    clock.t += 11;
    await assert.rejects(service.refresh(a.refresh_token, { client_id: 'web' }), RefreshTokenReusedError);
  });

  test('a narrower scope may be asked, a wider one never; the grant keeps its scope', async () => {
    const { service } = setup();
    const a = await service.issue({ sub: 'u', client_id: 'web', scope: 'read write' });
    await assert.rejects(
      service.refresh(a.refresh_token, { client_id: 'web', scope: 'read admin' }),
      InvalidScopeError,
    );
    const narrow = await service.refresh(a.refresh_token, { client_id: 'web', scope: 'read' }); // the failed attempt did not burn the token
    assert.equal(narrow.scope, 'read');
    assert.equal(decodeJWT(narrow.access_token).payload.scope, 'read');
    const wide = await service.refresh(narrow.refresh_token, { client_id: 'web' });
    assert.equal(wide.scope, 'read write');
  });

  test('a refresh token of another client is refused without being consumed', async () => {
    const { service } = setup();
    const a = await service.issue({ sub: 'u', client_id: 'web' });
    await assert.rejects(service.refresh(a.refresh_token, { client_id: 'mobile' }), InvalidGrantError);
    await service.refresh(a.refresh_token, { client_id: 'web' });
  });

  test('idle and absolute lifetimes', async () => {
    const { service, clock } = setup({ refreshTokenTTL: '1h', refreshTokenAbsoluteTTL: '3h' });
    let tokens = await service.issue({ sub: 'u', client_id: 'web' });
    clock.t += 3601;
    await assert.rejects(service.refresh(tokens.refresh_token, { client_id: 'web' }), InvalidGrantError); // idle
    tokens = await service.issue({ sub: 'u', client_id: 'web' });
    for (let i = 0; i < 5; i++) {
      clock.t += 50 * 60;
      if (i < 3) tokens = await service.refresh(tokens.refresh_token, { client_id: 'web' });
      else await assert.rejects(service.refresh(tokens.refresh_token, { client_id: 'web' }), InvalidGrantError); // absolute: 3 h after login
    }
  });

  test('garbage refresh tokens are invalid_grant', async () => {
    const { service } = setup();
    for (const bad of ['', 'x', 'a'.repeat(43), 'a.b.c'])
      await assert.rejects(service.refresh(bad, { client_id: 'web' }), InvalidGrantError);
  });
});

describe('revocation', () => {
  test('revoking an access token denylists it until its exp; other tokens live on', async () => {
    const { service } = setup();
    const a = await service.issue({ sub: 'u', client_id: 'web' });
    const b = await service.issue({ sub: 'u', client_id: 'web' });
    await service.revoke(a.access_token, { token_type_hint: 'access_token' });
    await assert.rejects(service.verifyAccessToken(a.access_token), RevokedTokenError);
    assert.equal((await service.verifyAccessToken(b.access_token)).sub, 'u');
    assert.deepEqual(await service.introspect(a.access_token), { active: false });
  });

  test('isRevoked answers for claims verified elsewhere (the middleware hook)', async () => {
    const { service } = setup();
    const a = await service.issue({ sub: 'u', client_id: 'web' });
    const claims = decodeJWT(a.access_token).payload;
    assert.equal(await service.isRevoked(claims), false);
    await service.revoke(a.refresh_token);
    assert.equal(await service.isRevoked(claims), true);
    assert.equal(await service.isRevoked({ sub: 'u' }), true); // not one of its access tokens
  });

  test('revoking a refresh token revokes its family, including live access tokens', async () => {
    const { service } = setup();
    const a = await service.issue({ sub: 'u', client_id: 'web' });
    await service.revoke(a.refresh_token);
    await assert.rejects(service.refresh(a.refresh_token, { client_id: 'web' }), InvalidGrantError);
    await assert.rejects(service.verifyAccessToken(a.access_token), RevokedTokenError);
  });

  test("a client cannot revoke another client's tokens: the request is refused and the tokens stay valid (RFC 7009 §2.1)", async () => {
    const { service } = setup();
    const a = await service.issue({ sub: 'u', client_id: 'web' });
    for (const hint of [undefined, 'access_token', 'refresh_token'] as const) {
      await assert.rejects(
        service.revoke(a.refresh_token, { client_id: 'mobile', token_type_hint: hint }),
        (err: unknown) =>
          err instanceof UnauthorizedClientError &&
          err.code === 'ERR_CLIENT_UNAUTHORIZED' &&
          err.oauthError === 'unauthorized_client',
      );
      await assert.rejects(
        service.revoke(a.access_token, { client_id: 'mobile', token_type_hint: hint }),
        UnauthorizedClientError,
      );
    }
    assert.equal((await service.verifyAccessToken(a.access_token)).sub, 'u');
    assert.equal((await service.introspect(a.refresh_token)).active, true);
    await service.refresh(a.refresh_token, { client_id: 'web' });
    // The owner itself may revoke; unknown tokens are still no error with a client_id.
    const b = await service.issue({ sub: 'u', client_id: 'web' });
    await service.revoke(b.access_token, { client_id: 'web' });
    await assert.rejects(service.verifyAccessToken(b.access_token), RevokedTokenError);
    await service.revoke('x'.repeat(43), { client_id: 'mobile' });
  });

  test('revoking unknown or malformed tokens is not an error (RFC 7009 §2.2)', async () => {
    const { service } = setup();
    for (const t of ['', 'nope', 'a.b.c', 'x'.repeat(10_000)]) await service.revoke(t);
  });

  test("revokeAll logs out everywhere: every family and access token of the subject, no one else's", async () => {
    const { service, clock } = setup();
    const phone = await service.issue({ sub: 'u', client_id: 'mobile' });
    const laptop = await service.issue({ sub: 'u', client_id: 'web' });
    const other = await service.issue({ sub: 'someone-else', client_id: 'web' });
    await service.revokeAll({ sub: 'u' });
    await assert.rejects(service.verifyAccessToken(phone.access_token), RevokedTokenError);
    await assert.rejects(service.refresh(laptop.refresh_token, { client_id: 'web' }), InvalidGrantError);
    assert.equal((await service.verifyAccessToken(other.access_token)).sub, 'someone-else');
    clock.t += 2; // a new login after the password change works
    const again = await service.issue({ sub: 'u', client_id: 'web' });
    assert.equal((await service.verifyAccessToken(again.access_token)).sub, 'u');
  });

  test('a store that fails makes verification fail closed with StoreUnavailableError', async () => {
    const store = createMemoryStore({ now: () => START });
    const failing: TokenStore = {
      ...store,
      isTokenDenied: async () => {
        throw new Error('ECONNREFUSED');
      },
    };
    const broken = createTokenService({
      issuer: 'https://auth.example.com',
      audience: 'https://api.example.com',
      store: failing,
      keys: { encryptionKey: randomBytes(32) },
      now: () => START,
    });
    const tokens2 = await broken.issue({ sub: 'u', client_id: 'web' });
    await assert.rejects(broken.verifyAccessToken(tokens2.access_token), StoreUnavailableError);
    await assert.rejects(broken.introspect(tokens2.access_token), StoreUnavailableError);
  });
});

describe('introspection', () => {
  test('an active access token and an active refresh token; everything else is { active: false } only', async () => {
    const { service, clock } = setup();
    const t = await service.issue({ sub: 'u', client_id: 'web', scope: 'read' });
    const access = await service.introspect(t.access_token);
    assert.equal(access.active, true);
    assert.ok(
      access.active &&
        access.token_type === 'Bearer' &&
        access.scope === 'read' &&
        access.client_id === 'web' &&
        access.sub === 'u',
    );
    const refresh = await service.introspect(t.refresh_token, { token_type_hint: 'refresh_token' });
    assert.ok(refresh.active && refresh.token_type === 'refresh_token');
    clock.t += 901 + 30;
    assert.deepEqual(await service.introspect(t.access_token), { active: false });
    assert.deepEqual(await service.introspect('garbage'), { active: false });
  });

  test('an access token is inactive from its exp on, with no clock tolerance (RFC 7662 §2.2)', async () => {
    const { service, clock } = setup({ clockTolerance: '30s' });
    const t = await service.issue({ sub: 'u', client_id: 'web' });
    const { exp } = decodeJWT(t.access_token).payload;
    clock.t = exp! - 1;
    assert.equal((await service.introspect(t.access_token)).active, true);
    clock.t = exp!;
    assert.deepEqual(await service.introspect(t.access_token), { active: false });
    assert.deepEqual(await service.introspect(t.access_token, { token_type_hint: 'refresh_token' }), { active: false });
    clock.t = exp! + 10;
    assert.deepEqual(await service.introspect(t.access_token), { active: false });
    // Resource servers verifying the token themselves keep their tolerance for clock skew.
    assert.equal((await service.verifyAccessToken(t.access_token)).sub, 'u');
  });
});

describe('signing keys over their lifetime', () => {
  test('the next key is published before it signs, signs after rotation, and retired keys verify until their tokens expired', async () => {
    const { service, clock } = setup({
      keys: { encryptionKey: randomBytes(32), rotationInterval: '10d', publishAhead: '1d' },
    });
    const day = 86400;
    const t0 = await service.issue({ sub: 'u', client_id: 'web' });
    const k1 = decodeProtectedHeader(t0.access_token).kid;
    assert.deepEqual(
      (await service.jwks()).keys.map((k) => k.kid),
      [k1],
    );

    clock.t += 9 * day + 1; // inside the publish-ahead window: k2 is published, k1 still signs
    const t1 = await service.issue({ sub: 'u', client_id: 'web' });
    assert.equal(decodeProtectedHeader(t1.access_token).kid, k1);
    const published = (await service.jwks()).keys.map((k) => k.kid);
    assert.equal(published.length, 2);
    const k2 = published.find((k) => k !== k1)!;

    clock.t += day; // k1 retired: k2 signs; a token k1 signed a moment ago still verifies
    const lastOfK1 = t1.access_token;
    const t2 = await service.issue({ sub: 'u', client_id: 'web' });
    assert.equal(decodeProtectedHeader(t2.access_token).kid, k2);
    await assert.rejects(service.verifyAccessToken(lastOfK1), ExpiredSignatureError); // a day later it expired on its own…
    clock.t -= day - 60; // …but while it lived, k1 verified it
    assert.equal((await service.verifyAccessToken(lastOfK1)).sub, 'u');
    clock.t += day - 60;

    clock.t += 2 * 3600; // past every k1 token's lifetime: k1 is gone from the JWKS
    await service.maintainKeys();
    assert.deepEqual((await service.jwks()).keys.map((k) => k.kid).sort(), [k2]);
  });

  test('a successor noticed late is still published publishAhead before it signs; the active key signs on', async () => {
    const { service, clock } = setup({
      keys: { encryptionKey: randomBytes(32), rotationInterval: '10d', publishAhead: '1d' },
    });
    const first = await service.issue({ sub: 'u', client_id: 'web' });
    const k1 = decodeProtectedHeader(first.access_token).kid;
    clock.t += 10 * 86400 - 5; // the first request in days comes 5 s before k1 retires
    const t1 = await service.issue({ sub: 'u', client_id: 'web' });
    assert.equal(decodeProtectedHeader(t1.access_token).kid, k1);
    assert.equal((await service.jwks()).keys.length, 2);
    clock.t += 3600; // k1 would have retired by now, but the successor is not yet a day old
    assert.equal(decodeProtectedHeader((await service.issue({ sub: 'u', client_id: 'web' })).access_token).kid, k1);
    clock.t += 86400;
    assert.notEqual(decodeProtectedHeader((await service.issue({ sub: 'u', client_id: 'web' })).access_token).kid, k1);
  });

  test('private keys rest encrypted in the store and survive a restart with the same encryption key', async () => {
    const encryptionKey = randomBytes(32);
    const clock = { t: START };
    const store = createMemoryStore({ now: () => clock.t });
    const options = {
      issuer: 'https://auth.example.com',
      audience: 'api',
      store,
      keys: { encryptionKey },
      now: () => clock.t,
    };
    const first = createTokenService(options);
    const tokens = await first.issue({ sub: 'u', client_id: 'web' });
    const [stored] = await store.listSigningKeys();
    assert.equal(stored!.encryptedPrivateKey.split('.').length, 5);
    assert.equal(JSON.stringify(stored).includes('"d"'), false);
    const restarted = createTokenService(options);
    assert.equal((await restarted.verifyAccessToken(tokens.access_token)).sub, 'u');
    const next = await restarted.issue({ sub: 'u', client_id: 'web' });
    assert.equal(decodeProtectedHeader(next.access_token).kid, decodeProtectedHeader(tokens.access_token).kid);
    const wrongKey = createTokenService({ ...options, keys: { encryptionKey: randomBytes(32) } });
    await assert.rejects(wrongKey.issue({ sub: 'u', client_id: 'web' }), InvalidKeyError);
  });
});
