// The second storage interface, for everything an OpenID provider keeps besides refresh tokens and keys:
// clients, authorization codes, provider sessions, interactions, consent grants, used assertion `jti`s.
// Like node-oidc-provider's adapter it is one generic shape (a kind, an id, a JSON value, an expiry), so a
// new kind of record needs no new method in four backends. Every Tessera store implements it beside
// TokenStore; all instants are NumericDate seconds.

/**
 * A stored record: a JSON object. `grantId`, when present, ties it to one authorization grant so
 * {@link RecordStore.deleteRecordsByGrant} can remove everything issued from a grant at once (a replayed
 * authorization code, a logout).
 * @example
 * ```ts
 * const code: StoredRecord = { clientId: 'web', sub: 'user-42', grantId: 'g1', redirectUri: 'https://app.example/cb' };
 * ```
 */
export type StoredRecord = Record<string, unknown> & { readonly grantId?: string };

/**
 * What {@link RecordStore.consumeRecord} found: `ok` (it was unconsumed and is now consumed), `reused`
 * (consumed before: a replay), or `missing` (unknown or expired).
 * @example
 * ```ts
 * const found: ConsumeRecordResult = await store.consumeRecord('AuthorizationCode', codeId, now);
 * if (found.status === 'reused' && found.record.grantId) await store.deleteRecordsByGrant(found.record.grantId);
 * ```
 */
export type ConsumeRecordResult =
  | { readonly status: 'ok'; readonly record: StoredRecord }
  | { readonly status: 'reused'; readonly record: StoredRecord }
  | { readonly status: 'missing' };

/**
 * Storage for the provider's records, by kind and id. `expiresAt` (NumericDate seconds, or `undefined`
 * for records that live until deleted, such as registered clients) is when the store may forget a record;
 * a record past its expiry is never returned. Values round-trip as JSON.
 * @example
 * ```ts
 * await store.putRecord('Session', sessionId, { sub: 'user-42', authTime: now }, now + 86400);
 * const session = await store.findRecord('Session', sessionId, now);
 * ```
 */
export interface RecordStore {
  /** Inserts or replaces the record. */
  putRecord(kind: string, id: string, record: StoredRecord, expiresAt: number | undefined): Promise<void>;
  /** Inserts the record only if no live record has this kind and id; true when inserted (replay checks). */
  insertRecord(kind: string, id: string, record: StoredRecord, expiresAt: number | undefined): Promise<boolean>;
  /** The live record, or undefined. A consumed record is returned with its `consumedAt`. */
  findRecord(kind: string, id: string, now: number): Promise<StoredRecord | undefined>;
  /**
   * Atomically marks the record consumed at `now` (`consumedAt` is added) and returns it as `ok`; a record
   * consumed before comes back unchanged as `reused`; two concurrent consumers get exactly one `ok`.
   */
  consumeRecord(kind: string, id: string, now: number): Promise<ConsumeRecordResult>;
  /** Deletes the record (no error when absent). */
  deleteRecord(kind: string, id: string): Promise<void>;
  /** Deletes every record, of any kind, whose `grantId` is this one. Returns how many went. */
  deleteRecordsByGrant(grantId: string): Promise<number>;
  /** The live records of one kind, at most `limit` (default 1,000), in no particular order. */
  listRecords(kind: string, now: number, limit?: number): Promise<Array<{ id: string; record: StoredRecord }>>;
}
