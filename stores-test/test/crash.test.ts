// Durability under kill -9: a writer process stores refresh tokens and the provider's records (a
// registered client, a session, a consumed authorization code) through the store and is killed with
// SIGKILL the moment it reports them written; a fresh store then finds all of it. SQLite and PostgreSQL:
// the writer process dies. Redis: the redis-server itself dies (AOF with appendfsync always) and is
// restarted on the same directory — the store is only as durable as the Redis it is given.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createSQLiteStore } from 'tessera-jwt/stores/sqlite';
import { createPostgresStore } from 'tessera-jwt/stores/postgres';
import { createRedisStore } from 'tessera-jwt/stores/redis';
import type { FullStore } from './helpers/contract.js';
import { persistentRedisServer, postgresServer } from './helpers/servers.js';

const workspace = fileURLToPath(new URL('../..', import.meta.url)); // stores-test/, where tessera-jwt resolves
const now = Date.now() / 1000;

// What the writer stores, as a module body: `store` is defined by the prelude of each backend.
const WRITES = `
const now = ${now};
await store.insertRefreshToken({ id: 'rt-1', familyId: 'f-1', sub: 'user-42', clientId: 'web', scope: 'openid', issuedAt: now, expiresAt: now + 3600, familyExpiresAt: now + 86400 });
await store.consumeRefreshToken('rt-1', now + 1);
await store.putRecord('Client', 'web', { clientId: 'web', redirectUris: ['https://app.example/cb'], secretHash: 'x' }, undefined);
await store.putRecord('Session', 'sid-1', { accountId: 'user-42', loginTs: now, nested: { nul: 'a\\u0000b' } }, now + 3600);
await store.putRecord('AuthorizationCode', 'code-1', { clientId: 'web', grantId: 'g-1', sub: 'user-42' }, now + 60);
await store.consumeRecord('AuthorizationCode', 'code-1', now + 2);
process.stdout.write('written\\n');
setInterval(() => {}, 1000); // stays alive until killed
`;

/** Runs the writer and SIGKILLs it as soon as it has written. Resolves with its exit signal. */
function writeThenKill(prelude: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', prelude + WRITES], {
      cwd: workspace,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer did not finish within 20 s:\n${out}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('written')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!out.includes('written')) reject(new Error(`writer exited (${code ?? signal}) before writing:\n${out}`));
      else resolve(signal);
    });
  });
}

async function assertEverythingSurvived(store: FullStore) {
  const at = Date.now() / 1000;
  assert.deepEqual(await store.consumeRefreshToken('rt-1', at), {
    status: 'reused',
    token: {
      id: 'rt-1',
      familyId: 'f-1',
      sub: 'user-42',
      clientId: 'web',
      scope: 'openid',
      issuedAt: now,
      expiresAt: now + 3600,
      familyExpiresAt: now + 86400,
      consumedAt: now + 1,
    },
  });
  assert.deepEqual(await store.findRecord('Client', 'web', at), {
    clientId: 'web',
    redirectUris: ['https://app.example/cb'],
    secretHash: 'x',
  });
  assert.deepEqual(await store.findRecord('Session', 'sid-1', at), {
    accountId: 'user-42',
    loginTs: now,
    nested: { nul: 'a\u0000b' },
  });
  assert.deepEqual(await store.consumeRecord('AuthorizationCode', 'code-1', at), {
    status: 'reused',
    record: { clientId: 'web', grantId: 'g-1', sub: 'user-42', consumedAt: now + 2 },
  });
  assert.deepEqual(
    (await store.listRecords('Client', at)).map((r) => r.id),
    ['web'],
  );
}

test('SQLite: a writer killed with SIGKILL right after writing loses nothing (WAL, synchronous = NORMAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-crash-'));
  const file = join(dir, 'tokens.db');
  try {
    const signal = await writeThenKill(`
      import Database from 'better-sqlite3';
      import { createSQLiteStore } from 'tessera-jwt/stores/sqlite';
      const store = createSQLiteStore(new Database(${JSON.stringify(file)}));
    `);
    assert.equal(signal, 'SIGKILL');
    const db = new Database(file);
    try {
      await assertEverythingSurvived(createSQLiteStore(db));
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const postgres = await postgresServer();
after(async () => {
  if ('stop' in postgres) await postgres.stop();
});
test('PostgreSQL: a writer killed with SIGKILL right after writing loses nothing', {
  skip: 'skip' in postgres ? postgres.skip : false,
}, async () => {
  const url = 'url' in postgres ? postgres.url : '';
  const schema = `tessera_crash_${process.pid}`;
  const signal = await writeThenKill(`
      import pg from 'pg';
      import { createPostgresStore } from 'tessera-jwt/stores/postgres';
      const store = createPostgresStore(new pg.Pool({ connectionString: ${JSON.stringify(url)} }), { schema: ${JSON.stringify(schema)} });
    `);
  assert.equal(signal, 'SIGKILL');
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await assertEverythingSurvived(createPostgresStore(pool, { schema }));
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  } finally {
    await pool.end();
  }
});

test('Redis with appendfsync always: redis-server killed with SIGKILL and restarted keeps everything', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-crash-redis-'));
  try {
    const first = await persistentRedisServer(dir);
    if ('skip' in first) return t.skip(first.skip);
    const writer = new Redis(first.url);
    const store = createRedisStore(writer);
    // The same writes, in this process: here it is the server that dies.
    await store.insertRefreshToken({
      id: 'rt-1',
      familyId: 'f-1',
      sub: 'user-42',
      clientId: 'web',
      scope: 'openid',
      issuedAt: now,
      expiresAt: now + 3600,
      familyExpiresAt: now + 86400,
    });
    await store.consumeRefreshToken('rt-1', now + 1);
    await store.putRecord(
      'Client',
      'web',
      { clientId: 'web', redirectUris: ['https://app.example/cb'], secretHash: 'x' },
      undefined,
    );
    await store.putRecord(
      'Session',
      'sid-1',
      { accountId: 'user-42', loginTs: now, nested: { nul: 'a\u0000b' } },
      now + 3600,
    );
    await store.putRecord('AuthorizationCode', 'code-1', { clientId: 'web', grantId: 'g-1', sub: 'user-42' }, now + 60);
    await store.consumeRecord('AuthorizationCode', 'code-1', now + 2);
    writer.disconnect();
    await first.crash();

    const second = await persistentRedisServer(dir);
    if ('skip' in second) throw new Error(second.skip);
    const reader = new Redis(second.url);
    try {
      await assertEverythingSurvived(createRedisStore(reader));
    } finally {
      reader.disconnect();
      await second.crash();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
