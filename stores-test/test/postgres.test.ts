// The PostgreSQL store on a real server through pg's Pool; every test gets its own schema, dropped
// afterwards, so a shared server (TESSERA_TEST_POSTGRES_URL) is safe.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPostgresStore, POSTGRES_SCHEMA_VERSION } from 'tessera-jwt/stores/postgres';
import { runStoreContract } from './helpers/contract.js';
import { postgresServer, type ServerOrSkip } from './helpers/servers.js';

const server: ServerOrSkip = await postgresServer();
const url = 'url' in server ? server.url : '';
const skip = 'skip' in server ? server.skip : undefined;
let admin: pg.Pool | undefined;
after(async () => {
  await admin?.end();
  if ('stop' in server) await server.stop();
});
const adminPool = () => (admin ??= new pg.Pool({ connectionString: url, max: 2 }));
const newSchema = () => `tessera_test_${randomBytes(6).toString('hex')}`;

runStoreContract('PostgreSQL store (pg Pool)', {
  skip,
  async create() {
    const schema = newSchema();
    const pools: pg.Pool[] = [];
    const newStore = async () => {
      const pool = new pg.Pool({ connectionString: url, max: 10 });
      pools.push(pool);
      return createPostgresStore(pool, { schema });
    };
    const store = await newStore();
    return {
      store,
      reopen: newStore,
      peer: newStore,
      async cleanup() {
        await Promise.all(pools.splice(0).map((p) => p.end()));
        await adminPool().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      },
    };
  },
});

describe('PostgreSQL store schema', { skip: skip ?? false }, () => {
  let pool: pg.Pool;
  before(() => {
    pool = new pg.Pool({ connectionString: url, max: 10 });
  });
  after(async () => {
    await pool?.end();
  });

  test('ten instances migrating at once create the schema once', async () => {
    const schema = newSchema();
    const stores = Array.from({ length: 10 }, () => createPostgresStore(pool, { schema, tablePrefix: 'auth_' }));
    await Promise.all(stores.map((s) => s.migrate()));
    await Promise.all(stores.map((s) => s.migrate()));
    const { rows } = await pool.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    assert.deepEqual(
      rows.map((r) => r.table_name),
      [
        'auth_denied_tokens',
        'auth_records',
        'auth_refresh_tokens',
        'auth_revoked_families',
        'auth_revoked_subjects',
        'auth_schema_version',
        'auth_signing_keys',
      ],
    );
    const versions = await pool.query(`SELECT version FROM "${schema}".auth_schema_version ORDER BY version`);
    assert.deepEqual(
      versions.rows,
      Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
    );
    const indexes = await pool.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1`, [schema]);
    for (const name of [
      'auth_refresh_tokens_family',
      'auth_refresh_tokens_sub',
      'auth_refresh_tokens_expiry',
      'auth_records_grant',
      'auth_records_expiry',
    ])
      assert.ok(
        indexes.rows.some((r) => r.indexname === name),
        name,
      );
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  test('a version-1 database (before the record store) upgrades in place and keeps its data', async () => {
    const schema = newSchema();
    const first = createPostgresStore(pool, { schema });
    await first.denyToken('jti-v1', Date.now() / 1000 + 600);
    // Back to what release 1 left: no records table, schema version 1.
    await pool.query(
      `DROP TABLE "${schema}".tessera_records; DELETE FROM "${schema}".tessera_schema_version WHERE version > 1`,
    );
    const upgraded = createPostgresStore(pool, { schema });
    assert.equal(await upgraded.isTokenDenied('jti-v1'), true);
    await upgraded.putRecord('Client', 'web', { name: 'Web' }, undefined);
    assert.deepEqual(await upgraded.findRecord('Client', 'web', Date.now() / 1000), { name: 'Web' });
    const versions = await pool.query(`SELECT version FROM "${schema}".tessera_schema_version ORDER BY version`);
    assert.deepEqual(
      versions.rows.map((r) => r.version),
      Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  test('migrate: false touches nothing until migrate() is called', async () => {
    const schema = newSchema();
    const store = createPostgresStore(pool, { schema, migrate: false });
    await assert.rejects(store.isTokenDenied('jti'), /does not exist/);
    await store.migrate();
    assert.equal(await store.isTokenDenied('jti'), false);
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  test('a database written by a newer schema version is refused rather than misread', async () => {
    const schema = newSchema();
    await createPostgresStore(pool, { schema }).migrate();
    await pool.query(`INSERT INTO "${schema}".tessera_schema_version (version) VALUES ($1)`, [
      POSTGRES_SCHEMA_VERSION + 1,
    ]);
    await assert.rejects(createPostgresStore(pool, { schema }).isTokenDenied('jti'), /newer than this Tessera knows/);
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  test('an unknown option name is a TypeError that suggests the right one', () => {
    assert.throws(() => createPostgresStore(pool, { migrations: false } as never), {
      name: 'TypeError',
      message: /^createPostgresStore: unknown option "migrations"/,
    });
    assert.throws(() => createPostgresStore(pool, { shema: 'auth' } as never), {
      name: 'TypeError',
      message: 'createPostgresStore: unknown option "shema"; did you mean "schema"?',
    });
    createPostgresStore(pool, { schema: 'auth', tablePrefix: 'x_', migrate: false, now: () => 0 });
  });

  test('a schema or prefix that is not an identifier is a TypeError naming the option', () => {
    assert.throws(() => createPostgresStore(pool, { schema: 'public"; DROP' }), {
      name: 'TypeError',
      message: /"schema"/,
    });
    assert.throws(() => createPostgresStore(pool, { tablePrefix: '1x' }), {
      name: 'TypeError',
      message: /"tablePrefix"/,
    });
  });
});
