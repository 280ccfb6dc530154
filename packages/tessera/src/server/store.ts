// The one small storage interface the token service needs (after node-oidc-provider's adapter): every
// backend implements it, passes the same contract suite, and is handed its driver by the caller, so the
// library imports none. All instants are NumericDate seconds; every record carries the instant after
// which the store may forget it. The one operation that must be atomic is consumeRefreshToken: two
// concurrent consumers of one token get exactly one "ok".
import { checkOptionNames, optionNames } from '../internal.js';
import type { ConsumeRecordResult, RecordStore, StoredRecord } from './record-store.js';

/**
 * A refresh token as stored: never the token itself, only the SHA-256 of it (base64url) as `id`.
 * @example
 * ```ts
 * const record: StoredRefreshToken = { id, familyId, sub: 'user-42', clientId: 'web', scope: 'read', issuedAt: now, expiresAt: now + 3600, familyExpiresAt: now + 86400 };
 * ```
 */
export interface StoredRefreshToken {
  /** base64url SHA-256 of the opaque refresh token. */
  readonly id: string;
  /** The grant: every refresh token rotated from one login shares it. */
  readonly familyId: string;
  readonly sub: string;
  readonly clientId: string;
  readonly scope: string;
  readonly issuedAt: number;
  /** Idle expiry of this token (issuedAt + refreshTokenTTL), capped by familyExpiresAt. */
  readonly expiresAt: number;
  /** Absolute expiry of the whole family (the login's maximum lifetime). */
  readonly familyExpiresAt: number;
  /** When it was exchanged (set by consumeRefreshToken). */
  readonly consumedAt?: number;
  /** Application claims carried from login to every access token of the family. */
  readonly claims?: Record<string, unknown>;
}

/**
 * What consumeRefreshToken found: `ok` (it was unconsumed and is now consumed), `reused` (it had
 * already been consumed: a replay), or `missing` (unknown, expired or revoked).
 * @example
 * ```ts
 * const result: ConsumeResult = await store.consumeRefreshToken(id, now);
 * if (result.status === 'reused') await store.revokeFamily(result.token.familyId, until);
 * ```
 */
export type ConsumeResult =
  | { readonly status: 'ok'; readonly token: StoredRefreshToken }
  | { readonly status: 'reused'; readonly token: StoredRefreshToken }
  | { readonly status: 'missing' };

/**
 * A signing key as stored: the private JWK encrypted (a compact JWE) with the operator's key.
 * @example
 * ```ts
 * const key: StoredSigningKey = { kid: '2026-12', alg: 'ES256', encryptedPrivateKey: jwe, publicJwk, createdAt, activatesAt, retiresAt, expiresAt };
 * ```
 */
export interface StoredSigningKey {
  readonly kid: string;
  readonly alg: string;
  /** Compact JWE of the private JWK. */
  readonly encryptedPrivateKey: string;
  readonly publicJwk: Record<string, unknown>;
  readonly createdAt: number;
  /** From then on it signs (before that it is only published). */
  readonly activatesAt: number;
  /** From then on it no longer signs, but still verifies. */
  readonly retiresAt: number;
  /** From then on it is gone: every token it signed has expired. */
  readonly expiresAt: number;
}

/**
 * The storage a token service runs on: in memory (`createMemoryStore`), SQLite, Redis or PostgreSQL
 * (`tessera/stores/*`), or your own. Methods may throw; the token service treats a store failure
 * during a revocation check as "revoked" (fail closed).
 * @example
 * ```ts
 * import { createTokenService, createMemoryStore } from 'tessera-jwt/server';
 * const service = createTokenService({ issuer, audience, store: createMemoryStore(), keys: { encryptionKey } });
 * ```
 */
export interface TokenStore {
  /** Stores a new refresh token (ids are unique; an existing id is an error). */
  insertRefreshToken(token: StoredRefreshToken): Promise<void>;
  /**
   * Atomically marks the token consumed at `now` and returns it as `ok`; if it was consumed before,
   * returns it unchanged as `reused`; unknown or expired (`expiresAt <= now`) tokens are `missing`.
   */
  consumeRefreshToken(id: string, now: number): Promise<ConsumeResult>;
  /** The token by id, consumed or not; undefined when unknown or expired (`expiresAt <= now`). */
  findRefreshToken(id: string, now: number): Promise<StoredRefreshToken | undefined>;
  /** Deletes every refresh token of the family and remembers the family as revoked until `until`. */
  revokeFamily(familyId: string, until: number): Promise<void>;
  /** True while a revoked family is remembered. */
  isFamilyRevoked(familyId: string): Promise<boolean>;
  /**
   * "Log out everywhere": revokes every family of `sub` (as revokeFamily) and remembers that tokens of
   * `sub` issued at or before `at` are revoked, until `until`.
   */
  revokeSubject(sub: string, at: number, until: number): Promise<void>;
  /** The latest revokeSubject instant for `sub` still remembered, if any. */
  subjectRevokedAt(sub: string): Promise<number | undefined>;
  /** Denies an access token by `jti` until `until` (its exp). */
  denyToken(jti: string, until: number): Promise<void>;
  /** Whether the access token `jti` is on the deny list. */
  isTokenDenied(jti: string): Promise<boolean>;
  /** Inserts or replaces a signing key. */
  saveSigningKey(key: StoredSigningKey): Promise<void>;
  /** Every stored signing key, for the key manager's timeline. */
  listSigningKeys(): Promise<StoredSigningKey[]>;
  /** Deletes a retired signing key. */
  deleteSigningKey(kid: string): Promise<void>;
  /** Removes what has expired (stores with native TTLs may do nothing). Returns how many records went. */
  sweep?(now: number): Promise<number>;
  /** Releases what the store owns (not the client it was given). */
  close?(): Promise<void>;
}

/**
 * Options of {@link createMemoryStore}.
 * @example
 * ```ts
 * const store = createMemoryStore({ now: () => clock });
 * ```
 */
export interface MemoryStoreOptions {
  /** The clock in NumericDate seconds (default: Date.now()/1000) used to forget expired records. */
  now?: () => number;
}

const nowSeconds = () => Date.now() / 1000;
const MEMORY_OPTIONS = optionNames(['now']);

/**
 * An in-memory TokenStore: for tests and single-process demos (nothing survives a restart). The
 * reference implementation of the contract every other store passes.
 * @example
 * ```ts
 * import { createMemoryStore } from 'tessera-jwt/server';
 * const store = createMemoryStore();
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): TokenStore & RecordStore {
  if (options === null || typeof options !== 'object')
    throw new TypeError('createMemoryStore options must be an object');
  checkOptionNames(options, MEMORY_OPTIONS, 'createMemoryStore');
  const now = options.now ?? nowSeconds;
  const refresh = new Map<string, StoredRefreshToken>();
  const families = new Map<string, number>(); // revoked family → until
  const subjects = new Map<string, { at: number; until: number }>();
  const denied = new Map<string, number>();
  const keys = new Map<string, StoredSigningKey>();
  // Records by "kind\0id"; values are kept as JSON text so a caller never shares an object with the store.
  const records = new Map<string, { json: string; grantId?: string; expiresAt: number | undefined }>();
  const recordKey = (kind: string, id: string) => `${kind}\0${id}`;
  const liveRecord = (kind: string, id: string, at: number) => {
    const entry = records.get(recordKey(kind, id));
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= at) {
      records.delete(recordKey(kind, id));
      return undefined;
    }
    return entry;
  };
  const putRecord = (kind: string, id: string, record: StoredRecord, expiresAt: number | undefined) => {
    const grantId = typeof record.grantId === 'string' ? record.grantId : undefined;
    records.set(recordKey(kind, id), { json: JSON.stringify(record), grantId, expiresAt });
  };
  const alive = <V>(map: Map<string, V>, id: string, until: (v: V) => number): V | undefined => {
    const value = map.get(id);
    if (value === undefined) return undefined;
    if (until(value) <= now()) {
      map.delete(id);
      return undefined;
    }
    return value;
  };
  // Indexes, so revoking a family or a subject costs what it touches, not every stored token:
  // family → its refresh token ids, subject → its families (entries leave with their last token).
  const familyTokens = new Map<string, Set<string>>();
  const subjectFamilies = new Map<string, Set<string>>();
  const indexAdd = <K>(index: Map<K, Set<string>>, key: K, value: string) => {
    const set = index.get(key);
    if (set) set.add(value);
    else index.set(key, new Set([value]));
  };
  const forget = (id: string, token: StoredRefreshToken) => {
    refresh.delete(id);
    const ids = familyTokens.get(token.familyId);
    ids?.delete(id);
    if (ids?.size === 0) {
      familyTokens.delete(token.familyId);
      const fams = subjectFamilies.get(token.sub);
      fams?.delete(token.familyId);
      if (fams?.size === 0) subjectFamilies.delete(token.sub);
    }
  };
  const dropFamily = (familyId: string) => {
    const ids = familyTokens.get(familyId);
    if (ids === undefined) return;
    for (const id of [...ids]) {
      const token = refresh.get(id);
      if (token !== undefined) forget(id, token);
    }
  };
  return {
    async insertRefreshToken(token) {
      if (refresh.has(token.id)) throw new Error('refresh token id already exists');
      refresh.set(token.id, { ...token });
      indexAdd(familyTokens, token.familyId, token.id);
      indexAdd(subjectFamilies, token.sub, token.familyId);
    },
    async consumeRefreshToken(id, at) {
      const token = refresh.get(id);
      if (token === undefined || token.expiresAt <= at) return { status: 'missing' };
      if (token.consumedAt !== undefined) return { status: 'reused', token };
      const consumed = { ...token, consumedAt: at };
      refresh.set(id, consumed); // synchronous between the read and the write: atomic in one process
      return { status: 'ok', token: consumed };
    },
    async findRefreshToken(id, at) {
      const token = refresh.get(id);
      return token === undefined || token.expiresAt <= at ? undefined : { ...token };
    },
    async revokeFamily(familyId, until) {
      dropFamily(familyId);
      families.set(familyId, Math.max(until, families.get(familyId) ?? 0));
    },
    async isFamilyRevoked(familyId) {
      return alive(families, familyId, (until) => until) !== undefined;
    },
    async revokeSubject(sub, at, until) {
      for (const familyId of [...(subjectFamilies.get(sub) ?? [])]) {
        dropFamily(familyId);
        families.set(familyId, Math.max(until, families.get(familyId) ?? 0));
      }
      const previous = subjects.get(sub);
      subjects.set(sub, { at: Math.max(at, previous?.at ?? at), until: Math.max(until, previous?.until ?? until) });
    },
    async subjectRevokedAt(sub) {
      return alive(subjects, sub, (s) => s.until)?.at;
    },
    async denyToken(jti, until) {
      denied.set(jti, Math.max(until, denied.get(jti) ?? 0));
    },
    async isTokenDenied(jti) {
      return alive(denied, jti, (until) => until) !== undefined;
    },
    async saveSigningKey(key) {
      keys.set(key.kid, { ...key });
    },
    async listSigningKeys() {
      return [...keys.values()].map((k) => ({ ...k }));
    },
    async deleteSigningKey(kid) {
      keys.delete(kid);
    },
    async putRecord(kind, id, record, expiresAt) {
      putRecord(kind, id, record, expiresAt);
    },
    async insertRecord(kind, id, record, expiresAt) {
      if (liveRecord(kind, id, now()) !== undefined) return false;
      putRecord(kind, id, record, expiresAt);
      return true;
    },
    async findRecord(kind, id, at) {
      const entry = liveRecord(kind, id, at);
      return entry === undefined ? undefined : (JSON.parse(entry.json) as StoredRecord);
    },
    async consumeRecord(kind, id, at): Promise<ConsumeRecordResult> {
      const entry = liveRecord(kind, id, at);
      if (entry === undefined) return { status: 'missing' };
      const record = JSON.parse(entry.json) as StoredRecord;
      if (record.consumedAt !== undefined) return { status: 'reused', record };
      const consumed = { ...record, consumedAt: at };
      putRecord(kind, id, consumed, entry.expiresAt); // no await between read and write: atomic in one process
      return { status: 'ok', record: consumed };
    },
    async deleteRecord(kind, id) {
      records.delete(recordKey(kind, id));
    },
    async deleteRecordsByGrant(grantId) {
      let removed = 0;
      for (const [key, entry] of records) {
        if (entry.grantId === grantId) {
          records.delete(key);
          removed++;
        }
      }
      return removed;
    },
    async listRecords(kind, at, limit = 1000) {
      const found: Array<{ id: string; record: StoredRecord }> = [];
      const prefix = `${kind}\0`;
      for (const [key, entry] of records) {
        if (found.length >= limit) break;
        if (!key.startsWith(prefix) || (entry.expiresAt !== undefined && entry.expiresAt <= at)) continue;
        found.push({ id: key.slice(prefix.length), record: JSON.parse(entry.json) as StoredRecord });
      }
      return found;
    },
    async sweep(at) {
      let removed = 0;
      for (const [key, entry] of records) {
        if (entry.expiresAt !== undefined && entry.expiresAt <= at) {
          records.delete(key);
          removed++;
        }
      }
      for (const [id, t] of refresh) {
        if (t.expiresAt <= at) {
          forget(id, t);
          removed++;
        }
      }
      for (const [id, until] of families) {
        if (until <= at) {
          families.delete(id);
          removed++;
        }
      }
      for (const [id, s] of subjects) {
        if (s.until <= at) {
          subjects.delete(id);
          removed++;
        }
      }
      for (const [id, until] of denied) {
        if (until <= at) {
          denied.delete(id);
          removed++;
        }
      }
      return removed;
    },
  };
}
