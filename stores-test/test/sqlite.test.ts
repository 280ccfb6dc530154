// The SQLite store on a real file through better-sqlite3 12, plus what is SQLite's own: the schema
// (idempotent, versioned, prefixed), WAL mode, and a database written by a newer release.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSQLiteStore, SQLITE_SCHEMA_VERSION } from 'tessera-jwt/stores/sqlite';
import { runStoreContract, type FullStore } from './helpers/contract.js';

function tempFile() {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-sqlite-'));
  return { file: join(dir, 'tokens.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

runStoreContract('SQLite store (better-sqlite3, a real file)', {
  async create() {
    const { file, remove } = tempFile();
    const open: Database.Database[] = [];
    const connect = (): FullStore => {
      const db = new Database(file);
      open.push(db);
      return createSQLiteStore(db);
    };
    const store = connect();
    return {
      store,
      async reopen() {
        for (const db of open.splice(0)) db.close();
        return connect();
      },
      peer: async () => connect(),
      async cleanup() {
        for (const db of open.splice(0)) db.close();
        remove();
      },
    };
  },
});

describe('SQLite store schema', () => {
  test('creates its tables once, records the schema version and switches the file to WAL', () => {
    const { file, remove } = tempFile();
    const db = new Database(file);
    try {
      createSQLiteStore(db);
      createSQLiteStore(db); // idempotent: a second instance on the same file changes nothing
      const tables = (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]
      ).map((r) => r.name);
      assert.deepEqual(tables, [
        'tessera_denied_tokens',
        'tessera_records',
        'tessera_refresh_tokens',
        'tessera_revoked_families',
        'tessera_revoked_subjects',
        'tessera_schema_version',
        'tessera_signing_keys',
      ]);
      assert.deepEqual(
        db.prepare('SELECT version FROM tessera_schema_version ORDER BY version').all(),
        Array.from({ length: SQLITE_SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
      );
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL
      assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
      const indexes = (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`).all() as {
          name: string;
        }[]
      ).map((r) => r.name);
      for (const name of [
        'tessera_refresh_tokens_family',
        'tessera_refresh_tokens_sub',
        'tessera_refresh_tokens_expiry',
        'tessera_records_grant',
        'tessera_records_expiry',
      ])
        assert.ok(indexes.includes(name), name);
    } finally {
      db.close();
      remove();
    }
  });

  test('a version-1 database (before the record store) upgrades in place and keeps its data', async () => {
    const db = new Database(':memory:');
    const first = createSQLiteStore(db);
    await first.denyToken('jti-v1', Date.now() / 1000 + 600);
    db.exec('DROP TABLE tessera_records; DELETE FROM tessera_schema_version WHERE version > 1');
    const upgraded = createSQLiteStore(db);
    assert.equal(await upgraded.isTokenDenied('jti-v1'), true);
    await upgraded.putRecord('Client', 'web', { name: 'Web' }, undefined);
    assert.deepEqual(await upgraded.findRecord('Client', 'web', Date.now() / 1000), { name: 'Web' });
    assert.deepEqual(
      (db.prepare('SELECT version FROM tessera_schema_version ORDER BY version').all() as { version: number }[]).map(
        (r) => r.version,
      ),
      Array.from({ length: SQLITE_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    db.close();
  });

  test('two prefixes keep two independent stores in one file', async () => {
    const db = new Database(':memory:');
    const a = createSQLiteStore(db, { tablePrefix: 'a_' });
    const b = createSQLiteStore(db, { tablePrefix: '' });
    await a.denyToken('jti-1', Date.now() / 1000 + 60);
    assert.equal(await a.isTokenDenied('jti-1'), true);
    assert.equal(await b.isTokenDenied('jti-1'), false);
    assert.ok(db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'a_denied_tokens'`).get());
    assert.ok(db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'denied_tokens'`).get());
    db.close();
  });

  test('a table prefix that is not an identifier is a TypeError naming the option', () => {
    const db = new Database(':memory:');
    assert.throws(() => createSQLiteStore(db, { tablePrefix: 'x; DROP TABLE users; --' }), {
      name: 'TypeError',
      message: /"tablePrefix"/,
    });
    db.close();
  });

  test('an unknown option name is a TypeError that suggests the right one, before the file is touched', () => {
    const db = new Database(':memory:');
    assert.throws(() => createSQLiteStore(db, { busyTimeOut: '10s' } as never), {
      name: 'TypeError',
      message: 'createSQLiteStore: unknown option "busyTimeOut"; did you mean "busyTimeout"?',
    });
    assert.throws(() => createSQLiteStore(db, { tablePrefx: 'auth_' } as never), {
      name: 'TypeError',
      message: /unknown option "tablePrefx"; did you mean "tablePrefix"\?/,
    });
    assert.deepEqual(db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get(), { n: 0 });
    for (const options of [{ tablePrefix: 'auth_', wal: false, busyTimeout: '1s', now: () => 0 }, {}])
      createSQLiteStore(db, options);
    db.close();
  });

  test('a database written by a newer schema version is refused rather than misread', () => {
    const db = new Database(':memory:');
    createSQLiteStore(db);
    db.prepare('INSERT INTO tessera_schema_version (version) VALUES (?)').run(SQLITE_SCHEMA_VERSION + 1);
    assert.throws(() => createSQLiteStore(db), /newer than this Tessera knows/);
    db.close();
  });

  test('wal: false leaves the journal mode alone', () => {
    const { file, remove } = tempFile();
    const db = new Database(file);
    createSQLiteStore(db, { wal: false });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'delete');
    db.close();
    remove();
  });

  test("a store call inside the application's own transaction joins it (and rolls back with it)", async () => {
    const db = new Database(':memory:');
    const store = createSQLiteStore(db);
    const at = Date.now() / 1000;
    const token = {
      id: 'id-1',
      familyId: 'f',
      sub: 's',
      clientId: 'c',
      scope: '',
      issuedAt: at,
      expiresAt: at + 60,
      familyExpiresAt: at + 600,
    };
    await store.insertRefreshToken(token);
    assert.throws(
      db.transaction(() => {
        void store.consumeRefreshToken('id-1', at); // runs synchronously up to its result
        throw new Error('application failure');
      }),
      /application failure/,
    );
    assert.equal(
      (await store.consumeRefreshToken('id-1', at)).status,
      'ok',
      'the rolled-back consume left the token unconsumed',
    );
    db.close();
  });
});
