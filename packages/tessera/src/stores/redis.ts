// A TokenStore on Redis (>= 6.2, for SET … PXAT) or Redis Cluster, through ioredis or node-redis typed
// structurally: the library imports no driver. Records carry native TTLs, so Redis forgets what has
// expired by itself and sweep() has nothing to do. Each check-and-set is a Lua script, which Redis runs
// without interleaving any other command: that is what makes consume atomic.
//
// Key layout (P = keyPrefix, default 'tessera:'; ids, subjects and jtis are URI-encoded so that no
// '{', '}' or ':' inside them can move a hash tag or collide with another key):
//   P refresh:<id>                → familyId of the token (lets consume find the family's slot)
//   P {f:<familyId>}:refresh:<id> → hash { record: JSON without consumedAt, expiresAt, consumedAt? }
//   P {f:<familyId>}:members      → set of the family's encoded token ids
//   P {f:<familyId>}:revoked      → the family's revoked-until instant
//   P {s:<sub>}:families          → set of the subject's family ids
//   P {s:<sub>}:revoked           → hash { at, until } of the latest "log out everywhere"
//   P denied:<jti>                → the denied-until instant
//   P signing-keys                → hash kid → JSON of the StoredSigningKey
//   P {k:<kind>}:r:<id>           → hash { value: JSON, expiresAt ('' = none), consumedAt?, grant? } (RecordStore)
//   P {k:<kind>}:index            → sorted set of the kind's encoded ids, scored by expiresAt (+inf = none)
//   P {g:<grantId>}:records       → set of "<encoded kind>:<encoded id>" of the records of one grant
// The hash tags put a family's keys (and a subject's) in ONE Cluster slot, so the scripts that touch
// several of them run on one node. Instants are stored as JavaScript's shortest round-trip decimal
// text, which Lua's tonumber parses to the same double, so comparisons are exact to the bit.
import type { ConsumeRecordResult, RecordStore, StoredRecord } from '../server/record-store.js';
import type { ConsumeResult, StoredRefreshToken, StoredSigningKey, TokenStore } from '../server/store.js';
import { checkOptionNames, optionNames } from '../internal.js';
import {
  checkExpiry,
  checkInstant,
  checkLimit,
  checkRecordKey,
  nowSeconds,
  recordFromColumns,
  recordToColumns,
} from './records.js';

/**
 * An ioredis client (`Redis` or `Cluster`): commands are sent with `client.call(name, ...args)`.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const client: IORedisLike = new Redis(process.env.REDIS_URL!);
 * ```
 */
export interface IORedisLike {
  /** Sends one command with its arguments. */
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * A node-redis (v4 or later) client, connected: commands are sent with `client.sendCommand([name, ...args])`.
 * A node-redis CLUSTER has another `sendCommand` signature: pass a {@link RedisCommand} function for it.
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client: NodeRedisLike = await createClient({ url: process.env.REDIS_URL }).connect();
 * ```
 */
export interface NodeRedisLike {
  /** Sends one command, name first. */
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * Any other client, as a function that sends one command (`args[0]` is its name) and resolves to its
 * reply (strings, integers, arrays, null). `firstKey` is the command's first key, for cluster routing.
 * @example
 * ```ts
 * import { createCluster } from 'redis';
 * const cluster = await createCluster({ rootNodes }).connect();
 * const send: RedisCommand = (args, firstKey) => cluster.sendCommand(firstKey, false, args);
 * ```
 */
export type RedisCommand = (args: string[], firstKey: string | undefined) => Promise<unknown>;

/**
 * What {@link createRedisStore} accepts: an ioredis client, a node-redis client or a command function.
 * @example
 * ```ts
 * const client: RedisClientLike = new Redis();
 * ```
 */
export type RedisClientLike = IORedisLike | NodeRedisLike | RedisCommand;

const REDIS_OPTIONS = optionNames(['keyPrefix', 'now']);

/**
 * Options of {@link createRedisStore}.
 * @example
 * ```ts
 * const store = createRedisStore(client, { keyPrefix: 'auth:' });
 * ```
 */
export interface RedisStoreOptions {
  /** Prepended to every key (default `'tessera:'`; must not contain `{` or `}`, which would break hash tags). */
  keyPrefix?: string;
  /** The clock (NumericDate seconds) for isFamilyRevoked, subjectRevokedAt and isTokenDenied. */
  now?: () => number;
}

// Keeps a key alive at least until `ms` (never shortens it): what several writers of one set agree on.
const EXTEND = `
local function extend(key, ms)
  local pttl = redis.call('PTTL', key)
  local t = redis.call('TIME')
  local nowms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if pttl < 0 or nowms + pttl < tonumber(ms) then redis.call('PEXPIREAT', key, ms) end
end
`;

// Sets a value that only ever grows (an "until" instant), with its TTL. KEYS[1]; ARGV: value, ms.
const SET_MAX = `
local cur = redis.call('GET', KEYS[1])
if (not cur) or tonumber(cur) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2]) end
return 1
`;

// KEYS[1] a set; ARGV: member, keep-until ms.
const ADD_MEMBER = `${EXTEND}
redis.call('SADD', KEYS[1], ARGV[1])
extend(KEYS[1], ARGV[2])
return 1
`;

// KEYS: record, members. ARGV: record JSON, expiresAt, expiresAt ms, encoded id, family-expiry ms, consumedAt or ''.
const INSERT = `${EXTEND}
redis.call('HSET', KEYS[1], 'record', ARGV[1], 'expiresAt', ARGV[2])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'consumedAt', ARGV[6]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[4])
extend(KEYS[2], ARGV[5])
return 1
`;

// The atomic consume. KEYS[1] the record; ARGV[1] now. Returns nil (missing) or {status, record, consumedAt}.
const CONSUME = `
local v = redis.call('HMGET', KEYS[1], 'record', 'expiresAt', 'consumedAt')
if (not v[1]) or tonumber(v[2]) <= tonumber(ARGV[1]) then return false end
if v[3] then return {'reused', v[1], v[3]} end
redis.call('HSET', KEYS[1], 'consumedAt', ARGV[1])
return {'ok', v[1], ARGV[1]}
`;

// KEYS: members, revoked. ARGV: record key prefix, until, until ms. Keys built from ARGV[1] share the
// family's hash tag, so they are in the slot of KEYS (as Cluster requires of a script's keys).
const REVOKE_FAMILY = `
local ids = redis.call('SMEMBERS', KEYS[1])
for _, id in ipairs(ids) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[1])
local cur = redis.call('GET', KEYS[2])
if (not cur) or tonumber(cur) < tonumber(ARGV[2]) then redis.call('SET', KEYS[2], ARGV[2], 'PXAT', ARGV[3]) end
return #ids
`;

// KEYS: the subject's families, its revoked hash. ARGV: at, until, until ms. Returns the family ids.
const REVOKE_SUBJECT = `
local cur = redis.call('HMGET', KEYS[2], 'at', 'until')
local at = ARGV[1]
if cur[1] and tonumber(cur[1]) > tonumber(at) then at = cur[1] end
if (not cur[2]) or tonumber(cur[2]) < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[2], 'at', at, 'until', ARGV[2])
  redis.call('PEXPIREAT', KEYS[2], ARGV[3])
else
  redis.call('HSET', KEYS[2], 'at', at)
end
return redis.call('SMEMBERS', KEYS[1])
`;

// RecordStore scripts. A record and its kind's index share the hash tag {k:<kind>}, so each script
// touches one Cluster slot. Expired members of an index are trimmed on every write of that kind.
// KEYS: record, index. ARGV: value, expiresAt ('' = none), expiry ms, consumedAt ('' = none), grant
// ('' = none), encoded id, now (seconds), insert-only flag ('1': refuse when a live record exists).
const PUT_RECORD = `
if ARGV[8] == '1' then
  local e = redis.call('HGET', KEYS[1], 'expiresAt')
  if e and (e == '' or tonumber(e) > tonumber(ARGV[7])) then return 0 end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'expiresAt', ARGV[2])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'consumedAt', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'grant', ARGV[5]) end
if ARGV[2] ~= '' then redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end
redis.call('ZADD', KEYS[2], ARGV[2] == '' and '+inf' or ARGV[2], ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[7])
return 1
`;

// KEYS: a grant's set. ARGV: member, keep-until ms ('' = forever). Never shortens the set's life.
const ADD_TO_GRANT = `
local pttl = redis.call('PTTL', KEYS[1])
redis.call('SADD', KEYS[1], ARGV[1])
if ARGV[2] == '' then redis.call('PERSIST', KEYS[1])
elseif pttl == -2 then redis.call('PEXPIREAT', KEYS[1], ARGV[2])
elseif pttl >= 0 then
  local t = redis.call('TIME')
  local nowms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if nowms + pttl < tonumber(ARGV[2]) then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
end
return 1
`;

// KEYS: record. ARGV: now. nil (missing) or {status, value, consumedAt}.
const CONSUME_RECORD = `
local v = redis.call('HMGET', KEYS[1], 'value', 'expiresAt', 'consumedAt')
if (not v[1]) or (v[2] ~= '' and tonumber(v[2]) <= tonumber(ARGV[1])) then return false end
if v[3] then return {'reused', v[1], v[3]} end
redis.call('HSET', KEYS[1], 'consumedAt', ARGV[1])
return {'ok', v[1], ARGV[1]}
`;

// KEYS: record, index. ARGV: encoded id, grant ('' = any). Deletes the record if it still belongs to
// the grant (a record re-put under another grant stays). Returns 1 when a live record went.
const DELETE_RECORD = `
if ARGV[2] ~= '' and redis.call('HGET', KEYS[1], 'grant') ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])
`;

// KEYS: index. ARGV: record key prefix, now, limit. Flat list id, value, consumedAt ('' = none).
const LIST_RECORDS = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], '+inf', 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local v = redis.call('HMGET', ARGV[1] .. id, 'value', 'consumedAt')
  if v[1] then
    out[#out + 1] = id
    out[#out + 1] = v[1]
    out[#out + 1] = v[2] or ''
  end
end
return out
`;

const enc = encodeURIComponent;
/** Milliseconds for PXAT/PEXPIREAT, rounded up so Redis never forgets a record before it expires. */
const ms = (seconds: number) => String(Math.max(1, Math.ceil(seconds * 1000)));
/** Replies may be strings or, with some client settings, bytes. */
const text = (reply: unknown): string | null =>
  reply === null || reply === undefined
    ? null
    : typeof reply === 'string'
      ? reply
      : reply instanceof Uint8Array
        ? new TextDecoder().decode(reply)
        : String(reply);

function commandOf(client: RedisClientLike): RedisCommand {
  if (typeof client === 'function') return client;
  // ioredis first: it has a sendCommand too, but one that takes a Command object, not an array.
  if (client !== null && typeof client === 'object' && typeof (client as IORedisLike).call === 'function') {
    const io = client as IORedisLike & { options?: { keyPrefix?: string } };
    // ioredis would prefix the keys a command names but not those a script builds from them (a
    // family's records), so revokeFamily would miss them: the store's own keyPrefix does it all.
    if (io.options?.keyPrefix)
      throw new TypeError(
        'an ioredis client with its own keyPrefix cannot be used: pass the prefix as the store\'s "keyPrefix" option instead',
      );
    return (args) => io.call(args[0]!, ...args.slice(1));
  }
  if (client !== null && typeof client === 'object' && typeof (client as NodeRedisLike).sendCommand === 'function') {
    const node = client as NodeRedisLike;
    return (args) => node.sendCommand(args);
  }
  throw new TypeError(
    'createRedisStore needs an ioredis client, a node-redis client or a (args, firstKey) => Promise command function',
  );
}

/**
 * A {@link TokenStore} and {@link RecordStore} on Redis or Redis Cluster (Redis >= 6.2), through ioredis, node-redis or a
 * command function: for several application instances that already share a Redis. Everything carries a
 * native TTL (so `sweep` returns 0) and consume is a Lua script, atomic on the server.
 *
 * Redis Cluster: a family's keys share the hash tag `{f:<familyId>}` and a subject's `{s:<sub>}`, so
 * every script runs in one slot. Three operations touch several slots, one command each, in an order
 * that stays safe if they are interleaved or cut short: insert (the id → family pointer, the
 * subject's family set, then the family's keys), consume and find (the pointer, then the family) and
 * revokeSubject (the subject's marker and family list, then one revokeFamily per family). A family
 * created while revokeSubject runs may escape the family revocation; the subject marker
 * (`subjectRevokedAt`) still covers every token issued up to `at`.
 *
 * Persistence is Redis's: with neither RDB nor AOF a restart forgets every token and revocation.
 * Use `appendonly yes` (ideally `appendfsync everysec` or `always`) for a store that must survive one.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisStore } from 'tessera-jwt/stores/redis';
 * const store = createRedisStore(new Redis(process.env.REDIS_URL!));
 * // node-redis: createRedisStore(await createClient({ url }).connect())
 * ```
 */
export function createRedisStore(client: RedisClientLike, options: RedisStoreOptions = {}): TokenStore & RecordStore {
  const send = commandOf(client);
  if (options === null || typeof options !== 'object')
    throw new TypeError('createRedisStore options must be an object');
  checkOptionNames(options, REDIS_OPTIONS, 'createRedisStore');
  const P = options.keyPrefix ?? 'tessera:';
  if (typeof P !== 'string' || P.includes('{') || P.includes('}')) {
    throw new TypeError('"keyPrefix" option must be a string without "{" or "}"');
  }
  const now = options.now ?? nowSeconds;
  const eval_ = (script: string, keys: string[], args: string[]) =>
    send(['EVAL', script, String(keys.length), ...keys, ...args], keys[0]);

  const pointerKey = (id: string) => `${P}refresh:${enc(id)}`;
  const family = (familyId: string) => {
    const tag = `${P}{f:${enc(familyId)}}`;
    return { records: `${tag}:refresh:`, members: `${tag}:members`, revoked: `${tag}:revoked` };
  };
  const subject = (sub: string) => {
    const tag = `${P}{s:${enc(sub)}}`;
    return { families: `${tag}:families`, revoked: `${tag}:revoked` };
  };
  const deniedKey = (jti: string) => `${P}denied:${enc(jti)}`;
  const keysKey = `${P}signing-keys`;
  const kindKeys = (kind: string) => {
    const tag = `${P}{k:${enc(kind)}}`;
    return { records: `${tag}:r:`, index: `${tag}:index` };
  };
  const grantKey = (grantId: string) => `${P}{g:${enc(grantId)}}:records`;
  const writeRecord = async (
    kind: string,
    id: string,
    record: StoredRecord,
    expiresAt: number | undefined,
    insertOnly: boolean,
  ): Promise<boolean> => {
    checkRecordKey(kind, id);
    const columns = recordToColumns(record);
    const expiry = checkExpiry(expiresAt);
    const keys = kindKeys(kind);
    // The grant learns of the record first: a concurrent deleteRecordsByGrant then finds it, or runs
    // before the record exists (and a stale member is harmless: the delete checks the record's grant).
    if (columns.grantId !== null)
      await eval_(
        ADD_TO_GRANT,
        [grantKey(columns.grantId)],
        [`${enc(kind)}:${enc(id)}`, expiry === null ? '' : ms(expiry)],
      );
    const written = await eval_(
      PUT_RECORD,
      [keys.records + enc(id), keys.index],
      [
        columns.value,
        expiry === null ? '' : String(expiry),
        expiry === null ? '' : ms(expiry),
        columns.consumedAt === null ? '' : String(columns.consumedAt),
        columns.grantId ?? '',
        enc(id),
        String(now()),
        insertOnly ? '1' : '0',
      ],
    );
    return Number(written) === 1;
  };

  const familyOf = async (id: string) => text(await send(['GET', pointerKey(id)], pointerKey(id)));
  const tokenFrom = (record: string, consumedAt: string | null): StoredRefreshToken => {
    const token = JSON.parse(record) as StoredRefreshToken;
    return consumedAt === null ? token : { ...token, consumedAt: Number(consumedAt) };
  };
  const revokeFamily = async (familyId: string, until: number) => {
    const keys = family(familyId);
    await eval_(REVOKE_FAMILY, [keys.members, keys.revoked], [keys.records, String(until), ms(until)]);
  };

  return {
    async insertRefreshToken(token) {
      const { consumedAt, ...rest } = token;
      checkInstant('expiresAt', token.expiresAt);
      checkInstant('familyExpiresAt', token.familyExpiresAt);
      const set = await send(
        ['SET', pointerKey(token.id), token.familyId, 'PXAT', ms(token.expiresAt), 'NX'],
        pointerKey(token.id),
      );
      if (text(set) !== 'OK') throw new Error('refresh token id already exists');
      // The subject learns of the family before the family has a live token: a concurrent
      // revokeSubject then either sees the family or runs before the token exists.
      const keep = ms(Math.max(token.familyExpiresAt, token.expiresAt));
      await eval_(ADD_MEMBER, [subject(token.sub).families], [token.familyId, keep]);
      const keys = family(token.familyId);
      await eval_(
        INSERT,
        [keys.records + enc(token.id), keys.members],
        [
          JSON.stringify(rest),
          String(token.expiresAt),
          ms(token.expiresAt),
          enc(token.id),
          keep,
          consumedAt === undefined ? '' : String(consumedAt),
        ],
      );
    },
    async consumeRefreshToken(id, at): Promise<ConsumeResult> {
      checkInstant('now', at);
      const familyId = await familyOf(id);
      if (familyId === null) return { status: 'missing' };
      const reply = await eval_(CONSUME, [family(familyId).records + enc(id)], [String(at)]);
      if (!Array.isArray(reply)) return { status: 'missing' };
      const [status, record, consumedAt] = reply.map(text);
      return { status: status === 'ok' ? 'ok' : 'reused', token: tokenFrom(record!, consumedAt!) };
    },
    async findRefreshToken(id, at) {
      checkInstant('now', at);
      const familyId = await familyOf(id);
      if (familyId === null) return undefined;
      const key = family(familyId).records + enc(id);
      const reply = await send(['HMGET', key, 'record', 'expiresAt', 'consumedAt'], key);
      const [record, expiresAt, consumedAt] = (reply as unknown[]).map(text);
      if (record === null || record === undefined || Number(expiresAt) <= at) return undefined;
      return tokenFrom(record, consumedAt ?? null);
    },
    async revokeFamily(familyId, until) {
      await revokeFamily(familyId, checkInstant('until', until));
    },
    async isFamilyRevoked(familyId) {
      const key = family(familyId).revoked;
      const until = text(await send(['GET', key], key));
      return until !== null && Number(until) > now();
    },
    async revokeSubject(sub, at, until) {
      checkInstant('at', at);
      checkInstant('until', until);
      const keys = subject(sub);
      const families = (
        (await eval_(
          REVOKE_SUBJECT,
          [keys.families, keys.revoked],
          [String(at), String(until), ms(until)],
        )) as unknown[]
      ).map((f) => text(f)!);
      await Promise.all(families.map((familyId) => revokeFamily(familyId, until)));
      // Only the families revoked here leave the list: one added meanwhile stays for the next call.
      if (families.length > 0) await send(['SREM', keys.families, ...families], keys.families);
    },
    async subjectRevokedAt(sub) {
      const key = subject(sub).revoked;
      const [at, until] = ((await send(['HMGET', key, 'at', 'until'], key)) as unknown[]).map(text);
      return at === null || at === undefined || until === null || !(Number(until) > now()) ? undefined : Number(at);
    },
    async denyToken(jti, until) {
      checkInstant('until', until);
      await eval_(SET_MAX, [deniedKey(jti)], [String(until), ms(until)]);
    },
    async isTokenDenied(jti) {
      const until = text(await send(['GET', deniedKey(jti)], deniedKey(jti)));
      return until !== null && Number(until) > now();
    },
    async saveSigningKey(key: StoredSigningKey) {
      await send(['HSET', keysKey, key.kid, JSON.stringify(key)], keysKey);
    },
    async listSigningKeys() {
      const values = (await send(['HVALS', keysKey], keysKey)) as unknown[];
      return values
        .map((v) => JSON.parse(text(v)!) as StoredSigningKey)
        .sort((a, b) => a.createdAt - b.createdAt || (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0));
    },
    async deleteSigningKey(kid) {
      await send(['HDEL', keysKey, kid], keysKey);
    },
    // Redis expires every record itself (the TTLs above); nothing is left for a sweep to delete.
    async sweep() {
      return 0;
    },
    async putRecord(kind, id, record, expiresAt) {
      await writeRecord(kind, id, record, expiresAt, false);
    },
    async insertRecord(kind, id, record, expiresAt) {
      return writeRecord(kind, id, record, expiresAt, true);
    },
    async findRecord(kind, id, at) {
      checkRecordKey(kind, id);
      checkInstant('now', at);
      const key = kindKeys(kind).records + enc(id);
      const [value, expiresAt, consumedAt] = (
        (await send(['HMGET', key, 'value', 'expiresAt', 'consumedAt'], key)) as unknown[]
      ).map(text);
      if (value === null || value === undefined) return undefined;
      if (expiresAt !== '' && !(Number(expiresAt) > at)) return undefined;
      return recordFromColumns(value, consumedAt ?? null);
    },
    async consumeRecord(kind, id, at): Promise<ConsumeRecordResult> {
      checkRecordKey(kind, id);
      checkInstant('now', at);
      const reply = await eval_(CONSUME_RECORD, [kindKeys(kind).records + enc(id)], [String(at)]);
      if (!Array.isArray(reply)) return { status: 'missing' };
      const [status, value, consumedAt] = reply.map(text);
      return { status: status === 'ok' ? 'ok' : 'reused', record: recordFromColumns(value!, consumedAt!) };
    },
    async deleteRecord(kind, id) {
      checkRecordKey(kind, id);
      const keys = kindKeys(kind);
      await eval_(DELETE_RECORD, [keys.records + enc(id), keys.index], [enc(id), '']);
    },
    async deleteRecordsByGrant(grantId) {
      const key = grantKey(grantId);
      const members = ((await send(['SMEMBERS', key], key)) as unknown[]).map((m) => text(m)!);
      let removed = 0;
      for (const member of members) {
        const [kind, id] = member.split(':') as [string, string];
        const keys = kindKeys(decodeURIComponent(kind));
        removed += Number(await eval_(DELETE_RECORD, [keys.records + id, keys.index], [id, grantId]));
      }
      if (members.length > 0) await send(['SREM', key, ...members], key);
      return removed;
    },
    async listRecords(kind, at, limit) {
      checkInstant('now', at);
      const bound = checkLimit(limit);
      if (bound === 0) return [];
      const keys = kindKeys(kind);
      const flat = (
        (await eval_(LIST_RECORDS, [keys.index], [keys.records, String(at), String(bound)])) as unknown[]
      ).map((v) => text(v) ?? '');
      const found: Array<{ id: string; record: StoredRecord }> = [];
      for (let i = 0; i + 2 < flat.length; i += 3)
        found.push({ id: decodeURIComponent(flat[i]!), record: recordFromColumns(flat[i + 1]!, flat[i + 2]!) });
      return found;
    },
  };
}
