// The stores the load scripts (load.mjs, load-records.mjs, load-provider.mjs) run against, opened the same
// way for each: memory; SQLite on a file in a temp folder; Redis and PostgreSQL on throwaway servers started
// from Debian's binaries (see build/test/helpers/servers.js), each with a fresh key prefix or schema.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createMemoryStore } from 'tessera-jwt/server';
import { createPostgresStore } from 'tessera-jwt/stores/postgres';
import { createRedisStore } from 'tessera-jwt/stores/redis';
import { createSQLiteStore } from 'tessera-jwt/stores/sqlite';
import { postgresServer, redisServer } from './build/test/helpers/servers.js';

/**
 * Opens the store called `name`; its cleanup goes to `cleanups`. Returns `{ skip }` when the server a
 * store needs is not installed. `poolSize` sizes the PostgreSQL pool; `file` names the SQLite file.
 */
export async function openStore(name, { cleanups, poolSize, file = 'load.db' }) {
  if (name === 'memory') return { store: createMemoryStore() };
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-load-'));
    const db = new Database(join(dir, file));
    cleanups.push(async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return { store: createSQLiteStore(db) };
  }
  if (name === 'redis') {
    const server = await redisServer();
    if ('skip' in server) return { skip: server.skip };
    const client = new Redis(server.url);
    cleanups.push(async () => {
      client.disconnect();
      await server.stop();
    });
    return { store: createRedisStore(client, { keyPrefix: `load-${Date.now()}:` }) };
  }
  if (name === 'postgres') {
    const server = await postgresServer();
    if ('skip' in server) return { skip: server.skip };
    const pool = new pg.Pool({ connectionString: server.url, max: poolSize });
    cleanups.push(async () => {
      await pool.end();
      await server.stop();
    });
    return { store: createPostgresStore(pool, { schema: `load_${Date.now()}` }) };
  }
  throw new Error(`unknown store ${name}`);
}
