// The one contract every TokenStore passes (after node-oidc-provider's adapter suite): the memory
// reference store, SQLite, Redis (through ioredis and node-redis) and PostgreSQL run these same tests.
// Instants are real (Redis expires keys by its own clock), with small offsets instead of long sleeps.
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordStore, StoredRecord, StoredRefreshToken, StoredSigningKey, TokenStore } from 'tessera-jwt/server';

/** What every Tessera store is: the token service's storage and the provider's records. */
export type FullStore = TokenStore & RecordStore;

/** One fresh, empty store, and how to reach the same data again. */
export interface StoreHarness {
  store: FullStore;
  /** A new store on a new connection (SQLite: the same file reopened; the old store is then closed). */
  reopen(): Promise<FullStore>;
  /** A second store on its own connection to the same data, used alongside `store` (concurrency). */
  peer?(): Promise<FullStore>;
  /** Drops the data and closes every connection the harness opened. */
  cleanup(): Promise<void>;
}

export interface StoreContractOptions {
  create(): Promise<StoreHarness>;
  /** Why this store's sweep may report 0: its database expires records itself (Redis TTLs). */
  nativeExpiry?: string;
  /** Why restart durability does not apply (the memory store). */
  notDurable?: string;
  /** Set for the memory store: the permissive reference, which does not validate record keys. */
  referenceStore?: boolean;
  /** Why the whole suite is skipped (e.g. no server binary); the caller prints a banner too. */
  skip?: string;
}

const realNow = () => Date.now() / 1000;
const randomId = () => randomBytes(32).toString('base64url');

function makeToken(overrides: Partial<StoredRefreshToken> = {}): StoredRefreshToken {
  const t = realNow();
  return {
    id: randomId(),
    familyId: `family-${randomId().slice(0, 12)}`,
    sub: 'user-42',
    clientId: 'web',
    scope: 'read:orders write:orders',
    issuedAt: t,
    expiresAt: t + 3600.125,
    familyExpiresAt: t + 86400.5,
    claims: {
      tenant: 'acme',
      roles: ['admin', 'ops'],
      nested: { ratio: 0.1 + 0.2, emoji: 'ключ 🔑', nul: 'a\u0000b' },
      ...JSON.parse('{"__proto__": "just data"}'),
    },
    ...overrides,
  };
}

function makeKey(kid: string, createdAt: number, overrides: Partial<StoredSigningKey> = {}): StoredSigningKey {
  return {
    kid,
    alg: 'ES256',
    encryptedPrivateKey: `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..${randomId()}.${randomId()}.${randomId()}`,
    publicJwk: { kty: 'EC', crv: 'P-256', x: randomId(), y: randomId(), kid, use: 'sig', alg: 'ES256' },
    createdAt,
    activatesAt: createdAt + 3600,
    retiresAt: createdAt + 86400 * 30,
    expiresAt: createdAt + 86400 * 31.5,
    ...overrides,
  };
}

/** A provider-like record: nested JSON, fractional numbers, unicode, NUL inside strings, a "__proto__" key. */
function makeRecord(overrides: Record<string, unknown> = {}): StoredRecord {
  return {
    clientId: 'web',
    sub: `user-${randomId().slice(0, 8)}`,
    scope: 'openid profile',
    redirectUri: 'https://app.example/cb?x=1&y=2',
    authTime: realNow(),
    amr: ['pwd'],
    nested: {
      ratio: 0.1 + 0.2,
      emoji: 'ключ 🔑',
      nul: 'a\u0000b',
      empty: null,
      yes: true,
      list: [1, 'two', { three: 3 }],
    },
    ...JSON.parse('{"__proto__": "just data"}'),
    ...overrides,
  };
}

const byId = (items: Array<{ id: string; record: StoredRecord }>) => [...items].sort((a, b) => (a.id < b.id ? -1 : 1));

const byKid = (keys: StoredSigningKey[]) => [...keys].sort((a, b) => (a.kid < b.kid ? -1 : 1));

/**
 * Registers the contract suite for one store under `describe(name)`. Every test gets a fresh store
 * from `create()` and hands it back to `cleanup()`.
 */
export function runStoreContract(name: string, options: StoreContractOptions): void {
  describe(name, { skip: options.skip ?? false }, () => {
    let h: StoreHarness;
    let store: FullStore;
    beforeEach(async () => {
      h = await options.create();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    test('a refresh token reads back exactly as inserted, claims and fractional instants included', async () => {
      const token = makeToken();
      await store.insertRefreshToken(token);
      assert.deepEqual(await store.findRefreshToken(token.id, realNow()), token);
      const bare = makeToken({ claims: undefined });
      delete (bare as { claims?: unknown }).claims;
      await store.insertRefreshToken(bare);
      const found = await store.findRefreshToken(bare.id, realNow());
      assert.deepEqual(found, bare);
      assert.equal(Object.hasOwn(found!, 'claims'), false);
      assert.equal(Object.hasOwn(found!, 'consumedAt'), false);
    });

    test('inserting a refresh token id that already exists is an error', async () => {
      const token = makeToken();
      await store.insertRefreshToken(token);
      await assert.rejects(store.insertRefreshToken({ ...token, familyId: 'another-family' }), /already exists/);
      assert.equal((await store.findRefreshToken(token.id, realNow()))?.familyId, token.familyId);
    });

    test('consuming an unconsumed token marks it consumed at `now` and returns it as ok', async () => {
      const token = makeToken();
      await store.insertRefreshToken(token);
      const at = realNow() + 0.125;
      const result = await store.consumeRefreshToken(token.id, at);
      assert.deepEqual(result, { status: 'ok', token: { ...token, consumedAt: at } });
      assert.deepEqual(await store.findRefreshToken(token.id, at), { ...token, consumedAt: at });
    });

    test('consuming a token a second time is reused and keeps the first consumedAt', async () => {
      const token = makeToken();
      await store.insertRefreshToken(token);
      const first = realNow();
      await store.consumeRefreshToken(token.id, first);
      const second = await store.consumeRefreshToken(token.id, first + 5.5);
      assert.deepEqual(second, { status: 'reused', token: { ...token, consumedAt: first } });
      assert.equal((await store.consumeRefreshToken(token.id, first + 6)).status, 'reused');
    });

    test('consuming or finding an unknown id is missing', async () => {
      assert.deepEqual(await store.consumeRefreshToken(randomId(), realNow()), { status: 'missing' });
      assert.equal(await store.findRefreshToken(randomId(), realNow()), undefined);
    });

    test('a token whose expiresAt has passed is missing, to the millisecond', async () => {
      const t = realNow();
      const past = makeToken({ issuedAt: t - 120, expiresAt: t - 1 });
      await store.insertRefreshToken(past);
      assert.deepEqual(await store.consumeRefreshToken(past.id, t), { status: 'missing' });
      assert.equal(await store.findRefreshToken(past.id, t), undefined);

      const soon = makeToken({ expiresAt: t + 60.125 });
      await store.insertRefreshToken(soon);
      assert.equal(await store.findRefreshToken(soon.id, soon.expiresAt), undefined, 'expiresAt <= now is expired');
      assert.deepEqual(await store.consumeRefreshToken(soon.id, soon.expiresAt), { status: 'missing' });
      assert.deepEqual(await store.consumeRefreshToken(soon.id, soon.expiresAt + 0.001), { status: 'missing' });
      assert.ok(await store.findRefreshToken(soon.id, soon.expiresAt - 0.001));
      assert.equal((await store.consumeRefreshToken(soon.id, soon.expiresAt - 0.001)).status, 'ok');
      assert.deepEqual(
        await store.consumeRefreshToken(soon.id, soon.expiresAt),
        { status: 'missing' },
        'a consumed token also expires',
      );
    });

    test('exactly one of 50 concurrent consumers gets ok, the other 49 get reused', async () => {
      const token = makeToken();
      await store.insertRefreshToken(token);
      const stores = h.peer ? [store, await h.peer(), await h.peer()] : [store];
      const at = realNow();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => stores[i % stores.length]!.consumeRefreshToken(token.id, at + i / 1000)),
      );
      const ok = results.filter((r) => r.status === 'ok');
      assert.equal(ok.length, 1);
      assert.equal(results.filter((r) => r.status === 'reused').length, 49);
      const winner = ok[0]!.status === 'ok' ? ok[0]!.token.consumedAt : undefined;
      for (const r of results)
        if (r.status === 'reused') assert.equal(r.token.consumedAt, winner, 'every loser sees the winner');
    });

    test('revokeFamily deletes every token of the family and remembers the family until `until`', async () => {
      const t = realNow();
      const familyId = `family-${randomId()}`;
      const tokens = [makeToken({ familyId }), makeToken({ familyId }), makeToken({ familyId })];
      const other = makeToken();
      for (const token of [...tokens, other]) await store.insertRefreshToken(token);
      await store.consumeRefreshToken(tokens[0]!.id, t);
      assert.equal(await store.isFamilyRevoked(familyId), false);

      await store.revokeFamily(familyId, t + 3600);
      for (const token of tokens) {
        assert.deepEqual(await store.consumeRefreshToken(token.id, realNow()), { status: 'missing' });
        assert.equal(await store.findRefreshToken(token.id, realNow()), undefined);
      }
      assert.equal(await store.isFamilyRevoked(familyId), true);
      assert.equal(await store.isFamilyRevoked(other.familyId), false);
      assert.equal((await store.consumeRefreshToken(other.id, realNow())).status, 'ok', 'other families are untouched');

      await store.revokeFamily(`family-${randomId()}`, t - 1);
      assert.equal(await store.isFamilyRevoked(`family-${randomId()}`), false);
    });

    test('a family revoked with `until` in the past is not remembered', async () => {
      const familyId = `family-${randomId()}`;
      await store.revokeFamily(familyId, realNow() - 1);
      assert.equal(await store.isFamilyRevoked(familyId), false);
    });

    test('revokeSubject revokes every family of the subject, remembers `at`, and leaves other subjects alone', async () => {
      const t = realNow();
      const sub = `user-${randomId()}`;
      const mine = [makeToken({ sub }), makeToken({ sub }), makeToken({ sub })];
      const sibling = makeToken({ sub, familyId: mine[0]!.familyId });
      const theirs = makeToken({ sub: `user-${randomId()}` });
      for (const token of [...mine, sibling, theirs]) await store.insertRefreshToken(token);
      await store.consumeRefreshToken(mine[1]!.id, t); // a family whose only token is consumed still goes
      assert.equal(await store.subjectRevokedAt(sub), undefined);

      await store.revokeSubject(sub, t, t + 3600);
      for (const token of [...mine, sibling]) {
        assert.deepEqual(await store.consumeRefreshToken(token.id, realNow()), { status: 'missing' });
        assert.equal(await store.isFamilyRevoked(token.familyId), true);
      }
      assert.equal(await store.subjectRevokedAt(sub), t);
      assert.equal(await store.subjectRevokedAt(theirs.sub), undefined);
      assert.equal(await store.isFamilyRevoked(theirs.familyId), false);
      assert.equal((await store.consumeRefreshToken(theirs.id, realNow())).status, 'ok');

      // The latest instant wins, whatever the order of the calls.
      await store.revokeSubject(sub, t - 100, t + 3600);
      assert.equal(await store.subjectRevokedAt(sub), t);
      await store.revokeSubject(sub, t + 0.5, t + 60);
      assert.equal(await store.subjectRevokedAt(sub), t + 0.5);

      // A subject with no tokens can still be revoked (tokens issued elsewhere, or already swept).
      const ghost = `user-${randomId()}`;
      await store.revokeSubject(ghost, t, t + 60);
      assert.equal(await store.subjectRevokedAt(ghost), t);
    });

    test('denyToken denies a jti until `until`; other jtis and past instants are not denied', async () => {
      const t = realNow();
      const jti = randomId();
      assert.equal(await store.isTokenDenied(jti), false);
      await store.denyToken(jti, t + 900);
      assert.equal(await store.isTokenDenied(jti), true);
      assert.equal(await store.isTokenDenied(randomId()), false);
      const stale = randomId();
      await store.denyToken(stale, t - 1);
      assert.equal(await store.isTokenDenied(stale), false);
    });

    test('revocations and denials are forgotten once `until` passes, and a shorter one never cuts a longer one', async () => {
      const t = realNow();
      const until = t + 0.3;
      const familyId = `family-${randomId()}`;
      const sub = `user-${randomId()}`;
      const jti = randomId();
      const keep = { familyId: `family-${randomId()}`, sub: `user-${randomId()}`, jti: randomId() };
      await store.revokeFamily(familyId, until);
      await store.revokeSubject(sub, t, until);
      await store.denyToken(jti, until);
      await store.revokeFamily(keep.familyId, t + 3600);
      await store.revokeFamily(keep.familyId, until);
      await store.revokeSubject(keep.sub, t, t + 3600);
      await store.revokeSubject(keep.sub, t, until);
      await store.denyToken(keep.jti, t + 3600);
      await store.denyToken(keep.jti, until);
      assert.equal(await store.isFamilyRevoked(familyId), true);
      assert.equal(await store.subjectRevokedAt(sub), t);
      assert.equal(await store.isTokenDenied(jti), true);

      await sleep(Math.max(0, (until - realNow()) * 1000) + 60);
      assert.equal(await store.isFamilyRevoked(familyId), false);
      assert.equal(await store.subjectRevokedAt(sub), undefined);
      assert.equal(await store.isTokenDenied(jti), false);
      assert.equal(await store.isFamilyRevoked(keep.familyId), true);
      assert.equal(await store.subjectRevokedAt(keep.sub), t);
      assert.equal(await store.isTokenDenied(keep.jti), true);
    });

    test('signing keys are saved, listed, replaced by kid and deleted', async () => {
      const t = realNow();
      assert.deepEqual(await store.listSigningKeys(), []);
      const a = makeKey('2026-11', t - 86400.25);
      const b = makeKey('2026-12', t);
      await store.saveSigningKey(a);
      await store.saveSigningKey(b);
      assert.deepEqual(byKid(await store.listSigningKeys()), [a, b]);

      const replaced = makeKey('2026-11', a.createdAt, {
        alg: 'EdDSA',
        retiresAt: t + 1.5,
        publicJwk: { kty: 'OKP', crv: 'Ed25519', x: randomId() },
      });
      await store.saveSigningKey(replaced);
      assert.deepEqual(byKid(await store.listSigningKeys()), [replaced, b]);

      await store.deleteSigningKey(b.kid);
      await store.deleteSigningKey('never-saved');
      assert.deepEqual(await store.listSigningKeys(), [replaced]);
    });

    test('sweep removes what has expired and keeps what has not', async () => {
      const t = realNow();
      const expired = makeToken({ issuedAt: t - 120, expiresAt: t - 1 });
      const consumedExpired = makeToken({ issuedAt: t - 120, expiresAt: t - 0.5, consumedAt: t - 60 });
      const live = makeToken();
      for (const token of [expired, consumedExpired, live]) await store.insertRefreshToken(token);
      await store.revokeFamily(`family-${randomId()}`, t - 1);
      await store.revokeSubject(`user-${randomId()}`, t - 2, t - 1);
      await store.denyToken(randomId(), t - 1);
      const liveJti = randomId();
      await store.denyToken(liveJti, t + 600);

      assert.ok(store.sweep, 'every store has sweep');
      const removed = await store.sweep(t);
      if (options.nativeExpiry === undefined) assert.equal(removed, 5);
      else assert.ok(removed === 0 || removed === 5, `${removed}: ${options.nativeExpiry}`);
      assert.equal(await store.sweep(t), 0, 'nothing is left to sweep');
      assert.equal(
        await store.findRefreshToken(expired.id, t - 2),
        undefined,
        'gone, even to a caller asking about the past',
      );
      assert.deepEqual(await store.findRefreshToken(live.id, t), live);
      assert.equal(await store.isTokenDenied(liveJti), true);
      assert.equal((await store.consumeRefreshToken(live.id, t)).status, 'ok');
    });

    test('records: put and find round-trip the JSON value exactly; put replaces value and expiry', async () => {
      const t = realNow();
      const record = makeRecord({ grantId: `grant-${randomId()}` });
      await store.putRecord('Session', 'session-1', record, t + 3600.125);
      assert.deepEqual(await store.findRecord('Session', 'session-1', t), record);
      const found = await store.findRecord('Session', 'session-1', t);
      assert.equal(Object.hasOwn(found!, '__proto__'), true, 'a "__proto__" key stays data');
      assert.equal(Object.hasOwn(found!, 'consumedAt'), false);
      found!.scope = 'mutated';
      assert.equal((await store.findRecord('Session', 'session-1', t))?.scope, 'openid profile', 'no shared object');

      const replacement = { sub: 'user-2', interactions: 3 };
      await store.putRecord('Session', 'session-1', replacement, t + 0.5);
      assert.deepEqual(await store.findRecord('Session', 'session-1', t), replacement);
      assert.equal(await store.findRecord('Session', 'session-1', t + 0.5), undefined, 'the new, shorter expiry holds');
      await store.putRecord('Session', 'session-1', replacement, undefined);
      assert.deepEqual(await store.findRecord('Session', 'session-1', t + 86400 * 365 * 10), replacement, 'no expiry');
    });

    test('records: kinds and ids are arbitrary strings and never collide', async () => {
      const t = realNow();
      const ids = [
        '',
        'a:b',
        '{f:x}:y',
        "'; DROP TABLE tessera_records; --",
        'ключ 🔑',
        '%41%',
        'x'.repeat(2000),
        'a b\tc\nd',
      ];
      for (const [i, id] of ids.entries()) await store.putRecord('Odd Kind:{1}', id, { i }, t + 600);
      for (const [i, id] of ids.entries())
        assert.deepEqual(await store.findRecord('Odd Kind:{1}', id, t), { i }, JSON.stringify(id).slice(0, 40));
      assert.equal((await store.listRecords('Odd Kind:{1}', t)).length, ids.length);
      // Pairs that a careless key layout would merge.
      await store.putRecord('A', 'b:c', { which: 1 }, undefined);
      await store.putRecord('A:b', 'c', { which: 2 }, undefined);
      assert.deepEqual(await store.findRecord('A', 'b:c', t), { which: 1 });
      assert.deepEqual(await store.findRecord('A:b', 'c', t), { which: 2 });
      assert.equal(await store.findRecord('a', 'b:c', t), undefined, 'kinds are case-sensitive');
      assert.equal(await store.findRecord('Odd Kind:{1}', 'unknown', t), undefined);
    });

    test('records: a record is gone once expiresAt passes, to the millisecond', async () => {
      const t = realNow();
      await store.putRecord('AuthorizationCode', 'code-1', makeRecord(), t + 30.25);
      assert.ok(await store.findRecord('AuthorizationCode', 'code-1', t + 30.249));
      assert.equal(await store.findRecord('AuthorizationCode', 'code-1', t + 30.25), undefined);
      assert.deepEqual(await store.consumeRecord('AuthorizationCode', 'code-1', t + 30.25), { status: 'missing' });
      await store.putRecord('AuthorizationCode', 'past', makeRecord(), t - 1);
      assert.equal(await store.findRecord('AuthorizationCode', 'past', t), undefined);
    });

    test('records: insertRecord inserts once, refuses a live duplicate, and replaces an expired one', async () => {
      const t = realNow();
      const first = { jti: 'a', n: 1 };
      assert.equal(await store.insertRecord('ReplayDetection', 'jti-1', first, t + 600), true);
      assert.equal(await store.insertRecord('ReplayDetection', 'jti-1', { jti: 'a', n: 2 }, t + 900), false);
      assert.deepEqual(await store.findRecord('ReplayDetection', 'jti-1', t), first, 'the live record is untouched');
      assert.equal(await store.insertRecord('ReplayDetection', 'jti-1', { n: 3 }, undefined), false);
      await store.putRecord('ReplayDetection', 'jti-2', { n: 1 }, t - 1);
      assert.equal(await store.insertRecord('ReplayDetection', 'jti-2', { n: 2 }, t + 600), true, 'expired: replaced');
      assert.deepEqual(await store.findRecord('ReplayDetection', 'jti-2', t), { n: 2 });
      assert.equal(await store.insertRecord('ReplayDetection', 'no-expiry', { n: 1 }, undefined), true);
      assert.equal(await store.insertRecord('ReplayDetection', 'no-expiry', { n: 2 }, t + 1), false);
    });

    test('records: of 20 concurrent inserts of one id exactly one succeeds', async () => {
      const stores = h.peer ? [store, await h.peer(), await h.peer()] : [store];
      const t = realNow();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stores[i % stores.length]!.insertRecord('ReplayDetection', 'jti', { i }, t + 60),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      assert.deepEqual(await store.findRecord('ReplayDetection', 'jti', t), { i: winner });
    });

    test('records: consume marks consumedAt once; again is reused with the first instant; unknown is missing', async () => {
      const t = realNow();
      const record = makeRecord({ grantId: 'g-consume' });
      await store.putRecord('AuthorizationCode', 'code', record, t + 600);
      const at = t + 0.125;
      assert.deepEqual(await store.consumeRecord('AuthorizationCode', 'code', at), {
        status: 'ok',
        record: { ...record, consumedAt: at },
      });
      assert.deepEqual(await store.findRecord('AuthorizationCode', 'code', at), { ...record, consumedAt: at });
      assert.deepEqual(await store.consumeRecord('AuthorizationCode', 'code', at + 5), {
        status: 'reused',
        record: { ...record, consumedAt: at },
      });
      assert.deepEqual(await store.consumeRecord('AuthorizationCode', 'unknown', at), { status: 'missing' });
      assert.deepEqual(await store.consumeRecord('Session', 'code', at), { status: 'missing' }, 'another kind');
      // A record put with consumedAt (a copy of a consumed one) is consumed.
      await store.putRecord('AuthorizationCode', 'copy', { ...record, consumedAt: t - 3 }, undefined);
      assert.deepEqual(await store.consumeRecord('AuthorizationCode', 'copy', at), {
        status: 'reused',
        record: { ...record, consumedAt: t - 3 },
      });
    });

    test('records: exactly one of 50 concurrent consumers gets ok, the other 49 see the winner', async () => {
      const t = realNow();
      await store.putRecord('AuthorizationCode', 'contended', makeRecord(), t + 600);
      const stores = h.peer ? [store, await h.peer(), await h.peer()] : [store];
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          stores[i % stores.length]!.consumeRecord('AuthorizationCode', 'contended', t + i / 1000),
        ),
      );
      const ok = results.filter((r) => r.status === 'ok');
      assert.equal(ok.length, 1);
      assert.equal(results.filter((r) => r.status === 'reused').length, 49);
      const winner = ok[0]!.status === 'ok' ? ok[0]!.record.consumedAt : undefined;
      assert.equal(typeof winner, 'number');
      for (const r of results)
        if (r.status === 'reused') assert.equal(r.record.consumedAt, winner, 'every loser sees the winner');
    });

    test('records: deleteRecord and deleteRecordsByGrant remove exactly their records', async () => {
      const t = realNow();
      const grant = `grant-${randomId()}`;
      const other = `grant-${randomId()}`;
      await store.putRecord('AuthorizationCode', 'c1', makeRecord({ grantId: grant }), t + 600);
      await store.putRecord('AccessToken', 'a1', makeRecord({ grantId: grant }), t + 3600);
      await store.putRecord('Grant', grant, makeRecord({ grantId: grant }), undefined);
      await store.putRecord('AccessToken', 'a2', makeRecord({ grantId: other }), t + 3600);
      await store.putRecord('Client', 'web', makeRecord(), undefined);
      // Moved to another grant by a later put: no longer the first grant's.
      await store.putRecord('Session', 's1', makeRecord({ grantId: grant }), t + 600);
      await store.putRecord('Session', 's1', makeRecord({ grantId: other }), t + 600);

      assert.equal(await store.deleteRecordsByGrant(grant), 3);
      for (const [kind, id] of [
        ['AuthorizationCode', 'c1'],
        ['AccessToken', 'a1'],
        ['Grant', grant],
      ] as const)
        assert.equal(await store.findRecord(kind, id, t), undefined, `${kind} ${id}`);
      assert.ok(await store.findRecord('AccessToken', 'a2', t));
      assert.ok(await store.findRecord('Client', 'web', t));
      assert.ok(await store.findRecord('Session', 's1', t));
      assert.equal(await store.deleteRecordsByGrant(grant), 0);
      assert.equal(await store.deleteRecordsByGrant(`grant-${randomId()}`), 0);
      assert.equal((await store.listRecords('AccessToken', t)).length, 1);

      await store.deleteRecord('Client', 'web');
      await store.deleteRecord('Client', 'never-put');
      assert.equal(await store.findRecord('Client', 'web', t), undefined);
      assert.deepEqual(await store.listRecords('Client', t), []);
      assert.equal(await store.insertRecord('Client', 'web', { again: true }, undefined), true, 'deleted: free again');
    });

    test('records: listRecords returns the live records of one kind, bounded by limit', async () => {
      const t = realNow();
      const clients = Array.from({ length: 7 }, (_, i) => ({ id: `client-${i}`, record: makeRecord({ i }) }));
      for (const c of clients) await store.putRecord('Client', c.id, c.record, undefined);
      await store.putRecord('Client', 'expired', makeRecord(), t - 1);
      await store.putRecord('Client', 'expiring', makeRecord(), t + 10);
      await store.putRecord('ClientX', 'other-kind', makeRecord(), undefined);
      await store.putRecord('Clien', 'prefix-kind', makeRecord(), undefined);
      const all = await store.listRecords('Client', t + 20);
      assert.deepEqual(byId(all), byId(clients));
      assert.equal((await store.listRecords('Client', t)).length, 8, 'the one expiring later is live at t');
      const some = await store.listRecords('Client', t + 20, 3);
      assert.equal(some.length, 3);
      for (const item of some)
        assert.deepEqual(
          item,
          clients.find((c) => c.id === item.id),
        );
      assert.deepEqual(await store.listRecords('Client', t, 0), []);
      assert.deepEqual(await store.listRecords('NoSuchKind', t), []);
    });

    test('records: sweep purges expired records and keeps live and unexpiring ones', async () => {
      const t = realNow();
      await store.putRecord('Session', 'old-1', makeRecord(), t - 1);
      await store.putRecord('Interaction', 'old-2', makeRecord({ grantId: 'g-old' }), t - 0.5);
      await store.putRecord('Session', 'live', makeRecord(), t + 600);
      await store.putRecord('Client', 'forever', makeRecord(), undefined);
      const removed = await store.sweep!(t);
      if (options.nativeExpiry === undefined) assert.equal(removed, 2);
      else assert.ok(removed === 0 || removed === 2, `${removed}: ${options.nativeExpiry}`);
      assert.equal(await store.sweep!(t), 0, 'nothing is left to sweep');
      assert.equal(
        await store.findRecord('Session', 'old-1', t - 2),
        undefined,
        'gone, even to a caller asking about the past',
      );
      assert.ok(await store.findRecord('Session', 'live', t));
      assert.ok(await store.findRecord('Client', 'forever', t));
      assert.equal(await store.deleteRecordsByGrant('g-old'), 0, 'a swept record is not counted again');
    });

    test('records: misuse is a TypeError (a NUL in a kind or id, a bad limit, an invalid expiry)', async () => {
      if (options.referenceStore) return; // the memory store is the permissive reference
      const t = realNow();
      await assert.rejects(store.putRecord('Session', 'a\u0000b', {}, t + 60), TypeError);
      await assert.rejects(store.findRecord('Sess\u0000ion', 'a', t), TypeError);
      await assert.rejects(store.putRecord('Session', 'a', {}, Number.NaN), TypeError);
      await assert.rejects(store.listRecords('Session', t, -1), TypeError);
      await assert.rejects(store.listRecords('Session', t, 1.5), TypeError);
    });

    if (options.notDurable) {
      // Not a skip: a store that claims no durability must really start empty, so nobody mistakes it for one.
      test(`a new instance starts empty (${options.notDurable})`, async () => {
        const fresh = makeToken();
        await store.insertRefreshToken(fresh);
        const after = await h.reopen();
        assert.equal(await after.findRefreshToken(fresh.id, realNow()), undefined);
        assert.deepEqual(await after.listSigningKeys(), []);
        await store.putRecord('Client', 'web', makeRecord(), undefined);
        assert.equal(await (await h.reopen()).findRecord('Client', 'web', realNow()), undefined);
      });
      return;
    }
    test('everything survives a restart: tokens, consumption, revocations, denials and keys', async () => {
      const t = realNow();
      const fresh = makeToken();
      const consumed = makeToken();
      const revoked = makeToken();
      const sub = `user-${randomId()}`;
      const subjects = makeToken({ sub });
      for (const token of [fresh, consumed, revoked, subjects]) await store.insertRefreshToken(token);
      await store.consumeRefreshToken(consumed.id, t);
      await store.revokeFamily(revoked.familyId, t + 3600);
      await store.revokeSubject(sub, t, t + 3600);
      const jti = randomId();
      await store.denyToken(jti, t + 3600);
      const key = makeKey('2026-12', t);
      await store.saveSigningKey(key);
      // The provider's records: a registered client (no expiry), a session, a consumed code of a grant.
      const client = makeRecord({ clientSecretHash: randomId(), redirectUris: ['https://app.example/cb'] });
      const session = makeRecord({ accountId: sub, loginTs: t });
      const code = makeRecord({ grantId: `grant-${randomId()}`, codeChallenge: randomId() });
      await store.putRecord('Client', 'web', client, undefined);
      await store.putRecord('Session', 'sid-1', session, t + 3600);
      await store.putRecord('AuthorizationCode', 'code-1', code, t + 60);
      await store.consumeRecord('AuthorizationCode', 'code-1', t);

      const after = await h.reopen();
      assert.deepEqual(await after.findRecord('Client', 'web', realNow()), client);
      assert.deepEqual(await after.findRecord('Session', 'sid-1', realNow()), session);
      assert.deepEqual(await after.consumeRecord('AuthorizationCode', 'code-1', realNow()), {
        status: 'reused',
        record: { ...code, consumedAt: t },
      });
      assert.deepEqual(await after.listRecords('Client', realNow()), [{ id: 'web', record: client }]);
      assert.equal(await after.deleteRecordsByGrant(code.grantId as string), 1);
      assert.deepEqual(await after.findRefreshToken(fresh.id, realNow()), fresh);
      assert.deepEqual(await after.consumeRefreshToken(consumed.id, realNow()), {
        status: 'reused',
        token: { ...consumed, consumedAt: t },
      });
      assert.equal((await after.consumeRefreshToken(fresh.id, realNow())).status, 'ok');
      assert.deepEqual(await after.consumeRefreshToken(revoked.id, realNow()), { status: 'missing' });
      assert.equal(await after.isFamilyRevoked(revoked.familyId), true);
      assert.equal(await after.isFamilyRevoked(subjects.familyId), true);
      assert.equal(await after.subjectRevokedAt(sub), t);
      assert.equal(await after.isTokenDenied(jti), true);
      assert.deepEqual(await after.listSigningKeys(), [key]);
    });
  });
}
