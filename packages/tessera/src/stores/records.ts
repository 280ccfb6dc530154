// Shared by the SQL stores: one row shape per record, and the checks on names that end up inside SQL
// text (identifiers cannot be bound as parameters, so they are validated, never escaped by hand).
import type { StoredRecord } from '../server/record-store.js';
import type { StoredRefreshToken, StoredSigningKey } from '../server/store.js';

/** A refresh_tokens row as both SQL stores read it back (instants are double precision / REAL). */
export interface RefreshTokenRow {
  id: string;
  family_id: string;
  sub: string;
  client_id: string;
  scope: string;
  issued_at: number;
  expires_at: number;
  family_expires_at: number;
  consumed_at: number | null;
  claims: string | null;
}

/** A signing_keys row. */
export interface SigningKeyRow {
  kid: string;
  alg: string;
  encrypted_private_key: string;
  public_jwk: string;
  created_at: number;
  activates_at: number;
  retires_at: number;
  expires_at: number;
}

// Optional members are left out rather than set to undefined, so a record read back is deepEqual to
// the one inserted (exactly what the memory store returns).
export function tokenFromRow(row: RefreshTokenRow): StoredRefreshToken {
  return {
    id: row.id,
    familyId: row.family_id,
    sub: row.sub,
    clientId: row.client_id,
    scope: row.scope,
    issuedAt: Number(row.issued_at),
    expiresAt: Number(row.expires_at),
    familyExpiresAt: Number(row.family_expires_at),
    ...(row.consumed_at === null ? {} : { consumedAt: Number(row.consumed_at) }),
    ...(row.claims === null ? {} : { claims: JSON.parse(row.claims) as Record<string, unknown> }),
  };
}

/** The parameters of an insert into refresh_tokens, in column order. */
export function tokenToParams(token: StoredRefreshToken): unknown[] {
  return [
    token.id,
    token.familyId,
    token.sub,
    token.clientId,
    token.scope,
    token.issuedAt,
    token.expiresAt,
    token.familyExpiresAt,
    token.consumedAt ?? null,
    token.claims === undefined ? null : JSON.stringify(token.claims),
  ];
}

export const REFRESH_TOKEN_COLUMNS =
  'id, family_id, sub, client_id, scope, issued_at, expires_at, family_expires_at, consumed_at, claims';

export function keyFromRow(row: SigningKeyRow): StoredSigningKey {
  return {
    kid: row.kid,
    alg: row.alg,
    encryptedPrivateKey: row.encrypted_private_key,
    publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
    createdAt: Number(row.created_at),
    activatesAt: Number(row.activates_at),
    retiresAt: Number(row.retires_at),
    expiresAt: Number(row.expires_at),
  };
}

export function keyToParams(key: StoredSigningKey): unknown[] {
  return [
    key.kid,
    key.alg,
    key.encryptedPrivateKey,
    JSON.stringify(key.publicJwk),
    key.createdAt,
    key.activatesAt,
    key.retiresAt,
    key.expiresAt,
  ];
}

export const SIGNING_KEY_COLUMNS =
  'kid, alg, encrypted_private_key, public_jwk, created_at, activates_at, retires_at, expires_at';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a table prefix or schema name (misuse: a TypeError that quotes the option). */
export function checkIdentifier(option: string, value: string, allowEmpty: boolean): string {
  if (typeof value !== 'string' || !(IDENTIFIER.test(value) || (allowEmpty && value === ''))) {
    throw new TypeError(`"${option}" option must be letters, digits and underscores, not starting with a digit`);
  }
  return value;
}

/** Instants must be finite numbers: NaN would make every SQL comparison false and every TTL invalid. */
export function checkInstant(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new TypeError(`"${name}" must be a finite NumericDate (seconds)`);
  return value;
}

export const nowSeconds = (): number => Date.now() / 1000;

// RecordStore rows (every store): the JSON value without a numeric `consumedAt`, which is a column of
// its own so consume can set it in one conditional UPDATE (or HSET) without rewriting the JSON text.
/** A record split into what the backends store: JSON text, the consumed instant, the grant id. */
export interface RecordColumns {
  value: string;
  consumedAt: number | null;
  grantId: string | null;
}

export function recordToColumns(record: StoredRecord): RecordColumns {
  if (record === null || typeof record !== 'object' || Array.isArray(record))
    throw new TypeError('a stored record must be a JSON object');
  const { consumedAt, ...rest } = record as StoredRecord & { consumedAt?: unknown };
  const numeric = typeof consumedAt === 'number' && Number.isFinite(consumedAt);
  return {
    value: JSON.stringify(numeric ? rest : record),
    consumedAt: numeric ? consumedAt : null,
    grantId: typeof record.grantId === 'string' ? record.grantId : null,
  };
}

export function recordFromColumns(value: string, consumedAt: number | string | null | undefined): StoredRecord {
  const record = JSON.parse(value) as StoredRecord;
  return consumedAt === null || consumedAt === undefined || consumedAt === ''
    ? record
    : { ...record, consumedAt: Number(consumedAt) };
}

/** An optional expiry: undefined (lives until deleted) or a finite NumericDate. */
export function checkExpiry(expiresAt: number | undefined): number | null {
  return expiresAt === undefined ? null : checkInstant('expiresAt', expiresAt);
}

/** listRecords' bound: a non-negative safe integer (default 1,000). */
export function checkLimit(limit: number | undefined): number {
  const value = limit ?? 1000;
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError('"limit" must be a non-negative integer');
  return value;
}

/** Kinds and ids are any strings but NUL, which PostgreSQL's text cannot hold (the same rule everywhere). */
export function checkRecordKey(kind: string, id: string): void {
  if (typeof kind !== 'string' || typeof id !== 'string') throw new TypeError('record kind and id must be strings');
  if (kind.includes('\u0000') || id.includes('\u0000'))
    throw new TypeError('record kind and id must not contain NUL characters');
}
