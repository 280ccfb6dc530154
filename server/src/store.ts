// Opens the configured token store with its driver. Drivers are imported lazily, so a SQLite server
// never loads pg or ioredis (and a Redis one never loads the native SQLite addon). Each opener also
// returns how to close what it opened: the store releases only what it owns, the driver is ours.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordStore, TokenStore } from 'tessera-jwt/server';
import type { StoreConfig } from './config.js';

export interface OpenedStore {
  /** The token store, which also holds the provider's records (clients, codes, sessions…). */
  readonly store: TokenStore & RecordStore;
  /** For logs: the kind and a location without credentials. */
  readonly description: { kind: StoreConfig['kind']; location: string };
  /** Removes expired records (a no-op on Redis, whose keys expire by themselves). */
  sweep(now: number): Promise<number>;
  close(): Promise<void>;
}

/** A store URL for logs: user and password dropped. */
function redact(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

export async function openStore(config: StoreConfig): Promise<OpenedStore> {
  switch (config.kind) {
    case 'sqlite': {
      const [{ default: Database }, { createSQLiteStore }] = await Promise.all([
        import('better-sqlite3'),
        import('tessera-jwt/stores/sqlite'),
      ]);
      await mkdir(dirname(config.file), { recursive: true });
      const db = new Database(config.file);
      let store: ReturnType<typeof createSQLiteStore>;
      try {
        store = createSQLiteStore(db);
      } catch (err) {
        db.close();
        throw err;
      }
      return {
        store,
        description: { kind: 'sqlite', location: config.file },
        sweep: (now) => store.sweep(now),
        async close() {
          db.close();
        },
      };
    }
    case 'redis': {
      const [{ Redis }, { createRedisStore }] = await Promise.all([
        import('ioredis'),
        import('tessera-jwt/stores/redis'),
      ]);
      // Fail the start rather than queue commands forever when Redis is not there.
      const client = new Redis(config.url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
      await client.connect();
      const store = createRedisStore(client);
      return {
        store,
        description: { kind: 'redis', location: redact(config.url) },
        sweep: async () => 0,
        async close() {
          await client.quit().catch(() => client.disconnect());
        },
      };
    }
    case 'postgres': {
      const [{ default: pg }, { createPostgresStore }] = await Promise.all([
        import('pg'),
        import('tessera-jwt/stores/postgres'),
      ]);
      const pool = new pg.Pool({ connectionString: config.url, max: 10, connectionTimeoutMillis: 5000 });
      const store = createPostgresStore(pool);
      try {
        await store.migrate();
      } catch (err) {
        await pool.end();
        throw err;
      }
      return {
        store,
        description: { kind: 'postgres', location: redact(config.url) },
        sweep: (now) => store.sweep(now),
        async close() {
          await pool.end();
        },
      };
    }
  }
}
