// A TokenStore on one SQLite file through better-sqlite3 (typed structurally: the library imports no
// driver). better-sqlite3 is synchronous, so every method runs to completion before the next one starts
// in this process; other processes on the same file are kept out by SQLite's write lock, which is why
// consume is a conditional UPDATE (the database decides who wins) rather than a read-then-write.
import type { ConsumeRecordResult, RecordStore, StoredRecord } from '../server/record-store.js';
import type { ConsumeResult, StoredRefreshToken, StoredSigningKey, TokenStore } from '../server/store.js';
import type { Duration } from '../types.js';
import { checkOptionNames, optionNames, toSeconds } from '../internal.js';
import {
  REFRESH_TOKEN_COLUMNS,
  SIGNING_KEY_COLUMNS,
  checkExpiry,
  checkIdentifier,
  checkInstant,
  checkLimit,
  checkRecordKey,
  recordFromColumns,
  recordToColumns,
  keyFromRow,
  keyToParams,
  nowSeconds,
  tokenFromRow,
  tokenToParams,
  type RefreshTokenRow,
  type SigningKeyRow,
} from './records.js';

/**
 * The part of a better-sqlite3 `Statement` the store uses.
 * @example
 * ```ts
 * const statement: SQLiteStatement = db.prepare('SELECT 1');
 * ```
 */
export interface SQLiteStatement {
  /** Runs the statement; `changes` counts the rows it changed. */
  run(...params: unknown[]): { changes: number | bigint };
  /** The first row, or undefined. */
  get(...params: unknown[]): unknown;
  /** Every row. */
  all(...params: unknown[]): unknown[];
}

/**
 * The part of a better-sqlite3 (v12) `Database` the store uses: pass the `Database` itself.
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * const db: SQLiteDatabase = new Database('tessera.db');
 * ```
 */
export interface SQLiteDatabase {
  /** Compiles a statement. */
  prepare(source: string): SQLiteStatement;
  /** Runs SQL without results (the schema migration). */
  exec(source: string): unknown;
  /** better-sqlite3's transaction wrapper; its `.immediate` variant is used when present. */
  transaction<A extends unknown[], R>(
    fn: (...args: A) => R,
  ): ((...args: A) => R) & {
    /** The same transaction, begun with BEGIN IMMEDIATE. */
    immediate?: (...args: A) => R;
  };
  /** Reads or sets a pragma (journal mode, busy timeout). */
  pragma(source: string, options?: { simple?: boolean }): unknown;
}

/**
 * Options of {@link createSQLiteStore}.
 * @example
 * ```ts
 * const store = createSQLiteStore(db, { tablePrefix: 'auth_', busyTimeout: '10s' });
 * ```
 */
export interface SQLiteStoreOptions {
  /** Prepended to every table and index name (default `'tessera_'`; letters, digits, underscores). */
  tablePrefix?: string;
  /**
   * Switch the database to `journal_mode = WAL` with `synchronous = NORMAL` (default `true`): readers
   * never block the writer, and a commit costs no fsync. The price: a power loss (not a process crash)
   * may lose the last commits, e.g. a consumed mark, so a refresh token could be exchanged twice.
   * Set `false` and choose your own pragmas if that matters more than write throughput.
   */
  wal?: boolean;
  /** How long a write waits for another process's lock before failing (default `'5s'`). */
  busyTimeout?: Duration;
  /** The clock (NumericDate seconds) for isFamilyRevoked, subjectRevokedAt and isTokenDenied. */
  now?: () => number;
}

/**
 * The schema, one migration per version. A migration is never edited once released: a change is a new
 * entry, so a database created by any release upgrades in order. `P` is the table prefix.
 */
const MIGRATIONS: ReadonlyArray<(P: string) => string> = [
  (P) => `
    CREATE TABLE IF NOT EXISTS ${P}refresh_tokens (
      id TEXT PRIMARY KEY NOT NULL,
      family_id TEXT NOT NULL,
      sub TEXT NOT NULL,
      client_id TEXT NOT NULL,
      scope TEXT NOT NULL,
      issued_at REAL NOT NULL,
      expires_at REAL NOT NULL,
      family_expires_at REAL NOT NULL,
      consumed_at REAL,
      claims TEXT
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${P}refresh_tokens_family ON ${P}refresh_tokens (family_id);
    CREATE INDEX IF NOT EXISTS ${P}refresh_tokens_sub ON ${P}refresh_tokens (sub);
    CREATE INDEX IF NOT EXISTS ${P}refresh_tokens_expiry ON ${P}refresh_tokens (expires_at);
    CREATE TABLE IF NOT EXISTS ${P}revoked_families (family_id TEXT PRIMARY KEY NOT NULL, until REAL NOT NULL) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${P}revoked_families_expiry ON ${P}revoked_families (until);
    CREATE TABLE IF NOT EXISTS ${P}revoked_subjects (sub TEXT PRIMARY KEY NOT NULL, revoked_at REAL NOT NULL, until REAL NOT NULL) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${P}revoked_subjects_expiry ON ${P}revoked_subjects (until);
    CREATE TABLE IF NOT EXISTS ${P}denied_tokens (jti TEXT PRIMARY KEY NOT NULL, until REAL NOT NULL) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${P}denied_tokens_expiry ON ${P}denied_tokens (until);
    CREATE TABLE IF NOT EXISTS ${P}signing_keys (
      kid TEXT PRIMARY KEY NOT NULL,
      alg TEXT NOT NULL,
      encrypted_private_key TEXT NOT NULL,
      public_jwk TEXT NOT NULL,
      created_at REAL NOT NULL,
      activates_at REAL NOT NULL,
      retires_at REAL NOT NULL,
      expires_at REAL NOT NULL
    ) WITHOUT ROWID;`,
  // v2: the RecordStore (provider records: clients, codes, sessions, …). NULL expires_at = no expiry.
  (P) => `
    CREATE TABLE IF NOT EXISTS ${P}records (
      kind TEXT NOT NULL,
      id TEXT NOT NULL,
      value TEXT NOT NULL,
      grant_id TEXT,
      expires_at REAL,
      consumed_at REAL,
      PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${P}records_grant ON ${P}records (grant_id) WHERE grant_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${P}records_expiry ON ${P}records (expires_at) WHERE expires_at IS NOT NULL;`,
];

/**
 * The schema version this release writes (the number of migrations); a database at a newer version is refused.
 * @example
 * ```ts
 * console.log(`token store schema v${SQLITE_SCHEMA_VERSION}`);
 * ```
 */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

// Write transactions take the lock up front (BEGIN IMMEDIATE) when the driver offers it, so two
// processes never both read and then deadlock upgrading to a write lock. Called inside the
// application's own transaction, better-sqlite3 nests it as a savepoint instead.
function writeTransaction<A extends unknown[], R>(db: SQLiteDatabase, fn: (...args: A) => R): (...args: A) => R {
  const tx = db.transaction(fn);
  return tx.immediate ?? tx;
}

function migrate(db: SQLiteDatabase, P: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${P}schema_version (version INTEGER PRIMARY KEY NOT NULL)`);
  writeTransaction(db, () => {
    const row = db.prepare(`SELECT max(version) AS version FROM ${P}schema_version`).get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `SQLite store: the database has schema version ${current}, newer than this Tessera knows (${MIGRATIONS.length}); upgrade Tessera`,
      );
    }
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version - 1]!(P));
      db.prepare(`INSERT OR IGNORE INTO ${P}schema_version (version) VALUES (?)`).run(version);
    }
  })();
}

const SQLITE_OPTIONS = optionNames(['tablePrefix', 'wal', 'busyTimeout', 'now']);

/**
 * A {@link TokenStore} and {@link RecordStore} on SQLite through a better-sqlite3 (v12) `Database`: durable, one file, no
 * server. Creates (or upgrades) its tables on first use, switches the file to WAL mode, and consumes
 * refresh tokens and records with one conditional UPDATE so that exactly one of any number of concurrent
 * consumers, in this process or another on the same file, gets `ok`. Call `sweep(now)` now and then
 * (e.g. hourly) to delete expired rows. Closing the database stays the caller's job.
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { createSQLiteStore } from 'tessera-jwt/stores/sqlite';
 * const store = createSQLiteStore(new Database('tessera.db'));
 * setInterval(() => void store.sweep(Date.now() / 1000), 3_600_000).unref();
 * ```
 */
export function createSQLiteStore(
  db: SQLiteDatabase,
  options: SQLiteStoreOptions = {},
): TokenStore &
  RecordStore & {
    /** Deletes the records that expired before `now` (NumericDate seconds); resolves to how many. */
    sweep(now: number): Promise<number>;
  } {
  if (
    db === null ||
    typeof db !== 'object' ||
    typeof db.prepare !== 'function' ||
    typeof db.transaction !== 'function'
  ) {
    throw new TypeError(
      'createSQLiteStore needs a better-sqlite3 Database (with prepare, exec, transaction and pragma)',
    );
  }
  if (options === null || typeof options !== 'object')
    throw new TypeError('createSQLiteStore options must be an object');
  checkOptionNames(options, SQLITE_OPTIONS, 'createSQLiteStore');
  const P = checkIdentifier('tablePrefix', options.tablePrefix ?? 'tessera_', true);
  const now = options.now ?? nowSeconds;
  const busyTimeoutMs = Math.round(toSeconds(options.busyTimeout ?? '5s', 'busyTimeout') * 1000);
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  if (options.wal ?? true) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  migrate(db, P);

  // Prepared once: better-sqlite3 statements are reusable and compiling SQL is most of a call's cost.
  const sql = {
    insert: db.prepare(
      `INSERT INTO ${P}refresh_tokens (${REFRESH_TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ),
    consume: db.prepare(
      `UPDATE ${P}refresh_tokens SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL AND expires_at > ?`,
    ),
    find: db.prepare(`SELECT ${REFRESH_TOKEN_COLUMNS} FROM ${P}refresh_tokens WHERE id = ? AND expires_at > ?`),
    deleteFamily: db.prepare(`DELETE FROM ${P}refresh_tokens WHERE family_id = ?`),
    revokeFamily: db.prepare(
      `INSERT INTO ${P}revoked_families (family_id, until) VALUES (?, ?)
       ON CONFLICT (family_id) DO UPDATE SET until = max(until, excluded.until)`,
    ),
    familyRevoked: db.prepare(`SELECT 1 FROM ${P}revoked_families WHERE family_id = ? AND until > ?`),
    // `WHERE true`: SQLite needs it to parse INSERT … SELECT … ON CONFLICT unambiguously.
    revokeSubjectFamilies: db.prepare(
      `INSERT INTO ${P}revoked_families (family_id, until)
       SELECT DISTINCT family_id, ? FROM ${P}refresh_tokens WHERE sub = ? AND true
       ON CONFLICT (family_id) DO UPDATE SET until = max(until, excluded.until)`,
    ),
    deleteSubjectFamilies: db.prepare(
      `DELETE FROM ${P}refresh_tokens WHERE family_id IN (SELECT family_id FROM ${P}refresh_tokens WHERE sub = ?)`,
    ),
    revokeSubject: db.prepare(
      `INSERT INTO ${P}revoked_subjects (sub, revoked_at, until) VALUES (?, ?, ?)
       ON CONFLICT (sub) DO UPDATE SET revoked_at = max(revoked_at, excluded.revoked_at), until = max(until, excluded.until)`,
    ),
    subjectRevokedAt: db.prepare(`SELECT revoked_at FROM ${P}revoked_subjects WHERE sub = ? AND until > ?`),
    deny: db.prepare(
      `INSERT INTO ${P}denied_tokens (jti, until) VALUES (?, ?) ON CONFLICT (jti) DO UPDATE SET until = max(until, excluded.until)`,
    ),
    denied: db.prepare(`SELECT 1 FROM ${P}denied_tokens WHERE jti = ? AND until > ?`),
    saveKey: db.prepare(
      `INSERT INTO ${P}signing_keys (${SIGNING_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (kid) DO UPDATE SET alg = excluded.alg, encrypted_private_key = excluded.encrypted_private_key,
         public_jwk = excluded.public_jwk, created_at = excluded.created_at, activates_at = excluded.activates_at,
         retires_at = excluded.retires_at, expires_at = excluded.expires_at`,
    ),
    listKeys: db.prepare(`SELECT ${SIGNING_KEY_COLUMNS} FROM ${P}signing_keys ORDER BY created_at, kid`),
    deleteKey: db.prepare(`DELETE FROM ${P}signing_keys WHERE kid = ?`),
    sweep: [
      db.prepare(`DELETE FROM ${P}refresh_tokens WHERE expires_at <= ?`),
      db.prepare(`DELETE FROM ${P}revoked_families WHERE until <= ?`),
      db.prepare(`DELETE FROM ${P}revoked_subjects WHERE until <= ?`),
      db.prepare(`DELETE FROM ${P}denied_tokens WHERE until <= ?`),
      db.prepare(`DELETE FROM ${P}records WHERE expires_at IS NOT NULL AND expires_at <= ?`),
    ],
    putRecord: db.prepare(
      `INSERT INTO ${P}records (kind, id, value, grant_id, expires_at, consumed_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, grant_id = excluded.grant_id,
         expires_at = excluded.expires_at, consumed_at = excluded.consumed_at`,
    ),
    // Replaces only an expired row: a live one makes the upsert change nothing (changes = 0).
    insertRecord: db.prepare(
      `INSERT INTO ${P}records (kind, id, value, grant_id, expires_at, consumed_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, grant_id = excluded.grant_id,
         expires_at = excluded.expires_at, consumed_at = excluded.consumed_at
       WHERE ${P}records.expires_at IS NOT NULL AND ${P}records.expires_at <= ?`,
    ),
    findRecord: db.prepare(
      `SELECT value, consumed_at FROM ${P}records WHERE kind = ? AND id = ? AND (expires_at IS NULL OR expires_at > ?)`,
    ),
    consumeRecord: db.prepare(
      `UPDATE ${P}records SET consumed_at = ? WHERE kind = ? AND id = ? AND consumed_at IS NULL
       AND (expires_at IS NULL OR expires_at > ?)`,
    ),
    deleteRecord: db.prepare(`DELETE FROM ${P}records WHERE kind = ? AND id = ?`),
    deleteByGrant: db.prepare(`DELETE FROM ${P}records WHERE grant_id = ?`),
    listRecords: db.prepare(
      `SELECT id, value, consumed_at FROM ${P}records WHERE kind = ? AND (expires_at IS NULL OR expires_at > ?) LIMIT ?`,
    ),
  };
  type RecordRow = { value: string; consumed_at: number | null };
  const consumeRecord = writeTransaction(db, (kind: string, id: string, at: number): ConsumeRecordResult => {
    const changed = Number(sql.consumeRecord.run(at, kind, id, at).changes) === 1;
    const row = sql.findRecord.get(kind, id, at) as RecordRow | undefined;
    if (row === undefined) return { status: 'missing' };
    const record = recordFromColumns(row.value, row.consumed_at);
    if (changed) return { status: 'ok', record };
    return row.consumed_at === null ? { status: 'missing' } : { status: 'reused', record };
  });
  const recordParams = (kind: string, id: string, record: StoredRecord, expiresAt: number | undefined) => {
    checkRecordKey(kind, id);
    const columns = recordToColumns(record);
    return [kind, id, columns.value, columns.grantId, checkExpiry(expiresAt), columns.consumedAt];
  };

  const revokeFamily = writeTransaction(db, (familyId: string, until: number) => {
    sql.deleteFamily.run(familyId);
    sql.revokeFamily.run(familyId, until);
  });
  const revokeSubject = writeTransaction(db, (sub: string, at: number, until: number) => {
    sql.revokeSubjectFamilies.run(until, sub);
    sql.deleteSubjectFamilies.run(sub);
    sql.revokeSubject.run(sub, at, until);
  });
  const consume = writeTransaction(db, (id: string, at: number): ConsumeResult => {
    const changed = Number(sql.consume.run(at, id, at).changes) === 1;
    const row = sql.find.get(id, at) as RefreshTokenRow | undefined;
    if (row === undefined) return { status: 'missing' };
    const token = tokenFromRow(row);
    // Not changed yet found unexpired: someone consumed it before us.
    return { status: changed ? 'ok' : token.consumedAt === undefined ? 'missing' : 'reused', token };
  });
  const sweep = writeTransaction(db, (at: number) =>
    sql.sweep.reduce((removed, statement) => removed + Number(statement.run(at).changes), 0),
  );

  return {
    async insertRefreshToken(token: StoredRefreshToken) {
      if (Number(sql.insert.run(...tokenToParams(token)).changes) !== 1)
        throw new Error('refresh token id already exists');
    },
    async consumeRefreshToken(id, at) {
      return consume(id, checkInstant('now', at));
    },
    async findRefreshToken(id, at) {
      const row = sql.find.get(id, checkInstant('now', at)) as RefreshTokenRow | undefined;
      return row === undefined ? undefined : tokenFromRow(row);
    },
    async revokeFamily(familyId, until) {
      revokeFamily(familyId, checkInstant('until', until));
    },
    async isFamilyRevoked(familyId) {
      return sql.familyRevoked.get(familyId, now()) !== undefined;
    },
    async revokeSubject(sub, at, until) {
      revokeSubject(sub, checkInstant('at', at), checkInstant('until', until));
    },
    async subjectRevokedAt(sub) {
      const row = sql.subjectRevokedAt.get(sub, now()) as { revoked_at: number } | undefined;
      return row?.revoked_at;
    },
    async denyToken(jti, until) {
      sql.deny.run(jti, checkInstant('until', until));
    },
    async isTokenDenied(jti) {
      return sql.denied.get(jti, now()) !== undefined;
    },
    async saveSigningKey(key: StoredSigningKey) {
      sql.saveKey.run(...keyToParams(key));
    },
    async listSigningKeys() {
      return (sql.listKeys.all() as SigningKeyRow[]).map(keyFromRow);
    },
    async deleteSigningKey(kid) {
      sql.deleteKey.run(kid);
    },
    async sweep(at) {
      return sweep(checkInstant('now', at));
    },
    async putRecord(kind, id, record, expiresAt) {
      sql.putRecord.run(...recordParams(kind, id, record, expiresAt));
    },
    async insertRecord(kind, id, record, expiresAt) {
      return Number(sql.insertRecord.run(...recordParams(kind, id, record, expiresAt), now()).changes) === 1;
    },
    async findRecord(kind, id, at) {
      checkRecordKey(kind, id);
      const row = sql.findRecord.get(kind, id, checkInstant('now', at)) as RecordRow | undefined;
      return row === undefined ? undefined : recordFromColumns(row.value, row.consumed_at);
    },
    async consumeRecord(kind, id, at) {
      checkRecordKey(kind, id);
      return consumeRecord(kind, id, checkInstant('now', at));
    },
    async deleteRecord(kind, id) {
      sql.deleteRecord.run(kind, id);
    },
    async deleteRecordsByGrant(grantId) {
      return Number(sql.deleteByGrant.run(grantId).changes);
    },
    async listRecords(kind, at, limit) {
      const rows = sql.listRecords.all(kind, checkInstant('now', at), checkLimit(limit)) as Array<
        RecordRow & { id: string }
      >;
      return rows.map((row) => ({ id: row.id, record: recordFromColumns(row.value, row.consumed_at) }));
    },
  };
}
