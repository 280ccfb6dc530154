// A TokenStore on PostgreSQL through a `pg` Pool (typed structurally: the library imports no driver).
// Every method is ONE statement, so each is atomic without holding a pool client across awaits: consume
// is a conditional UPDATE … RETURNING (row locks decide the winner; a loser re-evaluates the WHERE after
// the winner commits and matches nothing), and the revocations are data-modifying CTEs.
import type { ConsumeRecordResult, RecordStore, StoredRecord } from '../server/record-store.js';
import type { ConsumeResult, StoredRefreshToken, StoredSigningKey, TokenStore } from '../server/store.js';
import { checkOptionNames, optionNames } from '../internal.js';
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
 * What the store needs of a `pg` Pool (or Client): `query(text, values)` resolving to `{ rows, rowCount }`.
 * A Pool is best: concurrent calls then run on several connections.
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool: PostgresQueryable = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PostgresQueryable {
  /** Runs a parameterised query. */
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

const POSTGRES_OPTIONS = optionNames(['schema', 'tablePrefix', 'migrate', 'now']);

/**
 * Options of {@link createPostgresStore}.
 * @example
 * ```ts
 * const store = createPostgresStore(pool, { schema: 'auth', tablePrefix: '', migrate: false });
 * ```
 */
export interface PostgresStoreOptions {
  /** The schema holding the tables (created if missing); default: unqualified names (the search_path). */
  schema?: string;
  /** Prepended to every table and index name (default `'tessera_'`; letters, digits, underscores). */
  tablePrefix?: string;
  /**
   * Create or upgrade the tables before the first operation (default `true`). Set `false` when the
   * application's role may not run DDL, and call `store.migrate()` from a deploy step instead.
   */
  migrate?: boolean;
  /** The clock (NumericDate seconds) for isFamilyRevoked, subjectRevokedAt and isTokenDenied. */
  now?: () => number;
}

/**
 * The PostgreSQL store: a {@link TokenStore} plus `migrate()`, which creates or upgrades its tables.
 * @example
 * ```ts
 * const store: PostgresStore = createPostgresStore(pool, { migrate: false });
 * await store.migrate(); // in a deploy step, with a role that may create tables
 * ```
 */
export interface PostgresStore extends TokenStore, RecordStore {
  /** Creates the schema, tables and indexes if missing, and upgrades an older schema. Idempotent. */
  migrate(): Promise<void>;
  sweep(now: number): Promise<number>;
}

/** One migration per schema version; released entries are never edited. `T(name)` names a table. */
const MIGRATIONS: ReadonlyArray<(T: (name: string) => string, I: (name: string) => string) => string> = [
  (T, I) => `
    CREATE TABLE IF NOT EXISTS ${T('refresh_tokens')} (
      id text PRIMARY KEY,
      family_id text NOT NULL,
      sub text NOT NULL,
      client_id text NOT NULL,
      scope text NOT NULL,
      issued_at double precision NOT NULL,
      expires_at double precision NOT NULL,
      family_expires_at double precision NOT NULL,
      consumed_at double precision,
      claims text
    );
    CREATE INDEX IF NOT EXISTS ${I('refresh_tokens_family')} ON ${T('refresh_tokens')} (family_id);
    CREATE INDEX IF NOT EXISTS ${I('refresh_tokens_sub')} ON ${T('refresh_tokens')} (sub);
    CREATE INDEX IF NOT EXISTS ${I('refresh_tokens_expiry')} ON ${T('refresh_tokens')} (expires_at);
    CREATE TABLE IF NOT EXISTS ${T('revoked_families')} (family_id text PRIMARY KEY, until double precision NOT NULL);
    CREATE INDEX IF NOT EXISTS ${I('revoked_families_expiry')} ON ${T('revoked_families')} (until);
    CREATE TABLE IF NOT EXISTS ${T('revoked_subjects')} (sub text PRIMARY KEY, revoked_at double precision NOT NULL, until double precision NOT NULL);
    CREATE INDEX IF NOT EXISTS ${I('revoked_subjects_expiry')} ON ${T('revoked_subjects')} (until);
    CREATE TABLE IF NOT EXISTS ${T('denied_tokens')} (jti text PRIMARY KEY, until double precision NOT NULL);
    CREATE INDEX IF NOT EXISTS ${I('denied_tokens_expiry')} ON ${T('denied_tokens')} (until);
    CREATE TABLE IF NOT EXISTS ${T('signing_keys')} (
      kid text PRIMARY KEY,
      alg text NOT NULL,
      encrypted_private_key text NOT NULL,
      public_jwk text NOT NULL,
      created_at double precision NOT NULL,
      activates_at double precision NOT NULL,
      retires_at double precision NOT NULL,
      expires_at double precision NOT NULL
    );`,
  // v2: the RecordStore (provider records: clients, codes, sessions, …). NULL expires_at = no expiry.
  (T, I) => `
    CREATE TABLE IF NOT EXISTS ${T('records')} (
      kind text NOT NULL,
      id text NOT NULL,
      value text NOT NULL,
      grant_id text,
      expires_at double precision,
      consumed_at double precision,
      PRIMARY KEY (kind, id)
    );
    CREATE INDEX IF NOT EXISTS ${I('records_grant')} ON ${T('records')} (grant_id) WHERE grant_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${I('records_expiry')} ON ${T('records')} (expires_at) WHERE expires_at IS NOT NULL;`,
];

/**
 * The schema version this release writes (the number of migrations); a database at a newer version is refused.
 * @example
 * ```ts
 * console.log(`token store schema v${POSTGRES_SCHEMA_VERSION}`);
 * ```
 */
export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * A {@link TokenStore} and {@link RecordStore} on PostgreSQL through a `pg` Pool: for several application instances sharing
 * one database you already run. Tables (prefixed `tessera_` by default) are created on first use unless
 * `migrate: false`. Instants are `double precision` NumericDate seconds; claims and JWKs are JSON in
 * `text` columns (not `jsonb`, which rejects `\u0000` in strings and could refuse a valid claim). Call
 * `sweep(now)` now and then to delete expired rows. Ending the pool stays the caller's job.
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresStore } from 'tessera-jwt/stores/postgres';
 * const store = createPostgresStore(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * ```
 */
export function createPostgresStore(pool: PostgresQueryable, options: PostgresStoreOptions = {}): PostgresStore {
  if (pool === null || typeof pool !== 'object' || typeof pool.query !== 'function') {
    throw new TypeError('createPostgresStore needs a pg Pool or Client (an object with query(text, values))');
  }
  if (options === null || typeof options !== 'object')
    throw new TypeError('createPostgresStore options must be an object');
  checkOptionNames(options, POSTGRES_OPTIONS, 'createPostgresStore');
  const schema = options.schema === undefined ? undefined : checkIdentifier('schema', options.schema, false);
  const prefix = checkIdentifier('tablePrefix', options.tablePrefix ?? 'tessera_', true);
  const now = options.now ?? nowSeconds;
  const T = (name: string) => `${schema === undefined ? '' : `"${schema}".`}"${prefix}${name}"`;
  const I = (name: string) => `"${prefix}${name}"`; // an index lives in its table's schema
  const RT = T('refresh_tokens');
  const RF = T('revoked_families');
  const RS = T('revoked_subjects');
  const DT = T('denied_tokens');
  const SK = T('signing_keys');
  const RC = T('records');

  const migrate = async (): Promise<void> => {
    // One simple-protocol query (no values) runs as one implicit transaction, and the advisory lock
    // makes concurrent instances starting together migrate one after the other instead of racing on
    // CREATE TABLE IF NOT EXISTS (which can fail with a duplicate pg_type under concurrency).
    const lock = `SELECT pg_advisory_xact_lock(hashtext('tessera-store:' || ${literal(T('schema_version'))}));`;
    const setup = `${lock}
      ${schema === undefined ? '' : `CREATE SCHEMA IF NOT EXISTS "${schema}";`}
      CREATE TABLE IF NOT EXISTS ${T('schema_version')} (version integer PRIMARY KEY);`;
    await pool.query(setup);
    const { rows } = await pool.query(`SELECT max(version) AS version FROM ${T('schema_version')}`);
    const current = (rows[0] as { version: number | null } | undefined)?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `PostgreSQL store: the database has schema version ${current}, newer than this Tessera knows (${MIGRATIONS.length}); upgrade Tessera`,
      );
    }
    if (current === MIGRATIONS.length) return;
    let script = lock;
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      script +=
        MIGRATIONS[version - 1]!(T, I) +
        `\nINSERT INTO ${T('schema_version')} (version) VALUES (${version}) ON CONFLICT DO NOTHING;`;
    }
    await pool.query(script);
  };

  // Lazily migrated once; a failure is not cached, so the next call tries again (e.g. after the
  // database comes up).
  let ready: Promise<void> | undefined = options.migrate === false ? Promise.resolve() : undefined;
  const query = async (text: string, values: unknown[]) => {
    if (ready === undefined) {
      // A failed migration is retried by the next query instead of failing every query after it.
      ready = migrate().catch((err: unknown) => {
        ready = undefined;
        return Promise.reject(err);
      });
    }
    await ready;
    return pool.query(text, values);
  };

  const revokeFamilySQL = `
    WITH gone AS (DELETE FROM ${RT} WHERE family_id = $1)
    INSERT INTO ${RF} (family_id, until) VALUES ($1, $2::double precision)
    ON CONFLICT (family_id) DO UPDATE SET until = GREATEST(${RF}.until, EXCLUDED.until)`;
  const revokeSubjectSQL = `
    WITH families AS (SELECT DISTINCT family_id FROM ${RT} WHERE sub = $1),
    gone AS (DELETE FROM ${RT} WHERE family_id IN (SELECT family_id FROM families)),
    revoked AS (
      INSERT INTO ${RF} (family_id, until) SELECT family_id, $3::double precision FROM families
      ON CONFLICT (family_id) DO UPDATE SET until = GREATEST(${RF}.until, EXCLUDED.until)
    )
    INSERT INTO ${RS} (sub, revoked_at, until) VALUES ($1, $2::double precision, $3::double precision)
    ON CONFLICT (sub) DO UPDATE SET revoked_at = GREATEST(${RS}.revoked_at, EXCLUDED.revoked_at), until = GREATEST(${RS}.until, EXCLUDED.until)`;
  const sweepSQL = `
    WITH a AS (DELETE FROM ${RT} WHERE expires_at <= $1 RETURNING 1),
    b AS (DELETE FROM ${RF} WHERE until <= $1 RETURNING 1),
    c AS (DELETE FROM ${RS} WHERE until <= $1 RETURNING 1),
    d AS (DELETE FROM ${DT} WHERE until <= $1 RETURNING 1),
    e AS (DELETE FROM ${RC} WHERE expires_at IS NOT NULL AND expires_at <= $1 RETURNING 1)
    SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c) + (SELECT count(*) FROM d)
      + (SELECT count(*) FROM e) AS removed`;
  const upsertRecordSQL = `
    INSERT INTO ${RC} (kind, id, value, grant_id, expires_at, consumed_at)
    VALUES ($1, $2, $3, $4, $5::double precision, $6::double precision)
    ON CONFLICT (kind, id) DO UPDATE SET value = EXCLUDED.value, grant_id = EXCLUDED.grant_id,
      expires_at = EXCLUDED.expires_at, consumed_at = EXCLUDED.consumed_at`;
  // insertRecord: the same upsert, but it replaces only an expired row (a live one: rowCount 0).
  const insertRecordSQL = `${upsertRecordSQL}
    WHERE ${RC}.expires_at IS NOT NULL AND ${RC}.expires_at <= $7::double precision`;
  const liveRecord = `(expires_at IS NULL OR expires_at > $3::double precision)`;
  type RecordRow = { value: string; consumed_at: number | null };
  const recordParams = (kind: string, id: string, record: StoredRecord, expiresAt: number | undefined) => {
    checkRecordKey(kind, id);
    const columns = recordToColumns(record);
    return [kind, id, columns.value, columns.grantId, checkExpiry(expiresAt), columns.consumedAt];
  };

  return {
    migrate,
    async insertRefreshToken(token: StoredRefreshToken) {
      const result = await query(
        `INSERT INTO ${RT} (${REFRESH_TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
        tokenToParams(token),
      );
      if (result.rowCount !== 1) throw new Error('refresh token id already exists');
    },
    async consumeRefreshToken(id, at): Promise<ConsumeResult> {
      checkInstant('now', at);
      const updated = await query(
        `UPDATE ${RT} SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL AND expires_at > $1 RETURNING ${REFRESH_TOKEN_COLUMNS}`,
        [at, id],
      );
      if (updated.rows.length === 1) return { status: 'ok', token: tokenFromRow(updated.rows[0] as RefreshTokenRow) };
      // Nothing updated: consumed before (a replay), or unknown, expired or revoked.
      const found = await query(`SELECT ${REFRESH_TOKEN_COLUMNS} FROM ${RT} WHERE id = $1 AND expires_at > $2`, [
        id,
        at,
      ]);
      const row = found.rows[0] as RefreshTokenRow | undefined;
      return row === undefined || row.consumed_at === null
        ? { status: 'missing' }
        : { status: 'reused', token: tokenFromRow(row) };
    },
    async findRefreshToken(id, at) {
      const { rows } = await query(`SELECT ${REFRESH_TOKEN_COLUMNS} FROM ${RT} WHERE id = $1 AND expires_at > $2`, [
        id,
        checkInstant('now', at),
      ]);
      return rows.length === 0 ? undefined : tokenFromRow(rows[0] as RefreshTokenRow);
    },
    async revokeFamily(familyId, until) {
      await query(revokeFamilySQL, [familyId, checkInstant('until', until)]);
    },
    async isFamilyRevoked(familyId) {
      const { rows } = await query(`SELECT 1 FROM ${RF} WHERE family_id = $1 AND until > $2`, [familyId, now()]);
      return rows.length > 0;
    },
    async revokeSubject(sub, at, until) {
      await query(revokeSubjectSQL, [sub, checkInstant('at', at), checkInstant('until', until)]);
    },
    async subjectRevokedAt(sub) {
      const { rows } = await query(`SELECT revoked_at FROM ${RS} WHERE sub = $1 AND until > $2`, [sub, now()]);
      const row = rows[0] as { revoked_at: number } | undefined;
      return row === undefined ? undefined : Number(row.revoked_at);
    },
    async denyToken(jti, until) {
      await query(
        `INSERT INTO ${DT} (jti, until) VALUES ($1, $2) ON CONFLICT (jti) DO UPDATE SET until = GREATEST(${DT}.until, EXCLUDED.until)`,
        [jti, checkInstant('until', until)],
      );
    },
    async isTokenDenied(jti) {
      const { rows } = await query(`SELECT 1 FROM ${DT} WHERE jti = $1 AND until > $2`, [jti, now()]);
      return rows.length > 0;
    },
    async saveSigningKey(key: StoredSigningKey) {
      await query(
        `INSERT INTO ${SK} (${SIGNING_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (kid) DO UPDATE SET alg = EXCLUDED.alg, encrypted_private_key = EXCLUDED.encrypted_private_key,
           public_jwk = EXCLUDED.public_jwk, created_at = EXCLUDED.created_at, activates_at = EXCLUDED.activates_at,
           retires_at = EXCLUDED.retires_at, expires_at = EXCLUDED.expires_at`,
        keyToParams(key),
      );
    },
    async listSigningKeys() {
      const { rows } = await query(`SELECT ${SIGNING_KEY_COLUMNS} FROM ${SK} ORDER BY created_at, kid`, []);
      return (rows as SigningKeyRow[]).map(keyFromRow);
    },
    async deleteSigningKey(kid) {
      await query(`DELETE FROM ${SK} WHERE kid = $1`, [kid]);
    },
    async sweep(at) {
      const { rows } = await query(sweepSQL, [checkInstant('now', at)]);
      return Number((rows[0] as { removed: string | number }).removed);
    },
    async putRecord(kind, id, record, expiresAt) {
      await query(upsertRecordSQL, recordParams(kind, id, record, expiresAt));
    },
    async insertRecord(kind, id, record, expiresAt) {
      const result = await query(insertRecordSQL, [...recordParams(kind, id, record, expiresAt), now()]);
      return result.rowCount === 1;
    },
    async findRecord(kind, id, at) {
      checkRecordKey(kind, id);
      const { rows } = await query(
        `SELECT value, consumed_at FROM ${RC} WHERE kind = $1 AND id = $2 AND ${liveRecord}`,
        [kind, id, checkInstant('now', at)],
      );
      const row = rows[0] as RecordRow | undefined;
      return row === undefined ? undefined : recordFromColumns(row.value, row.consumed_at);
    },
    async consumeRecord(kind, id, at): Promise<ConsumeRecordResult> {
      checkRecordKey(kind, id);
      checkInstant('now', at);
      // One conditional UPDATE: the row lock picks the winner; a loser re-checks `consumed_at IS NULL`
      // after the winner commits and updates nothing.
      const updated = await query(
        `UPDATE ${RC} SET consumed_at = $3::double precision WHERE kind = $1 AND id = $2 AND consumed_at IS NULL AND ${liveRecord}
         RETURNING value, consumed_at`,
        [kind, id, at],
      );
      const won = updated.rows[0] as RecordRow | undefined;
      if (won !== undefined) return { status: 'ok', record: recordFromColumns(won.value, won.consumed_at) };
      const { rows } = await query(
        `SELECT value, consumed_at FROM ${RC} WHERE kind = $1 AND id = $2 AND ${liveRecord}`,
        [kind, id, at],
      );
      const row = rows[0] as RecordRow | undefined;
      return row === undefined || row.consumed_at === null
        ? { status: 'missing' }
        : { status: 'reused', record: recordFromColumns(row.value, row.consumed_at) };
    },
    async deleteRecord(kind, id) {
      await query(`DELETE FROM ${RC} WHERE kind = $1 AND id = $2`, [kind, id]);
    },
    async deleteRecordsByGrant(grantId) {
      const result = await query(`DELETE FROM ${RC} WHERE grant_id = $1`, [grantId]);
      return result.rowCount ?? 0;
    },
    async listRecords(kind, at, limit) {
      const { rows } = await query(
        `SELECT id, value, consumed_at FROM ${RC} WHERE kind = $1 AND (expires_at IS NULL OR expires_at > $2::double precision) LIMIT $3`,
        [kind, checkInstant('now', at), checkLimit(limit)],
      );
      return (rows as Array<RecordRow & { id: string }>).map((row) => ({
        id: row.id,
        record: recordFromColumns(row.value, row.consumed_at),
      }));
    },
  };
}

/** A SQL string literal of an identifier we validated ourselves (so it holds no quote to escape). */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
