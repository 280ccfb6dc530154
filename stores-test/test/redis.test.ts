// The Redis store on a real redis-server, through both clients it supports (ioredis, node-redis) and
// a plain command function; every test uses its own key prefix, deleted afterwards.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createRedisStore, type RedisClientLike } from 'tessera-jwt/stores/redis';
import { runStoreContract } from './helpers/contract.js';
import { redisServer, type ServerOrSkip } from './helpers/servers.js';

const server: ServerOrSkip = await redisServer();
const url = 'url' in server ? server.url : '';
const skip = 'skip' in server ? server.skip : undefined;
after(async () => {
  if ('stop' in server) await server.stop();
});

type Connection = { client: RedisClientLike; close(): Promise<unknown> };
const clients: Record<string, () => Promise<Connection>> = {
  ioredis: async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    return { client, close: () => client.quit() };
  },
  'node-redis': async () => {
    const client = await createClient({ url }).connect();
    return { client, close: () => client.quit() };
  },
  'a command function (node-redis underneath)': async () => {
    const client = await createClient({ url }).connect();
    return { client: (args: string[]) => client.sendCommand(args), close: () => client.quit() };
  },
};

async function deleteKeys(prefix: string) {
  const admin = new Redis(url);
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await admin.quit();
}

for (const [clientName, connect] of Object.entries(clients)) {
  runStoreContract(`Redis store (${clientName})`, {
    skip,
    nativeExpiry: 'Redis expires keys itself, so sweep has nothing to delete',
    async create() {
      const keyPrefix = `tessera-test:${randomBytes(6).toString('hex')}:`;
      const open: Connection[] = [];
      const newStore = async () => {
        const connection = await connect();
        open.push(connection);
        return createRedisStore(connection.client, { keyPrefix });
      };
      const store = await newStore();
      return {
        store,
        reopen: newStore,
        peer: newStore,
        async cleanup() {
          await Promise.all(open.splice(0).map((c) => c.close()));
          await deleteKeys(keyPrefix);
        },
      };
    },
  });
}

describe('Redis store keys', { skip: skip ?? false }, () => {
  let admin: Redis;
  before(() => {
    admin = new Redis(url);
  });
  after(async () => {
    await admin?.quit();
  });

  test('the keys of one family share one hash tag, and every record carries a TTL', async () => {
    const keyPrefix = `tessera-test:${randomBytes(6).toString('hex')}:`;
    const store = createRedisStore(admin, { keyPrefix });
    const at = Date.now() / 1000;
    const familyId = 'family {with} braces:and:colons';
    for (const id of ['a', 'b'])
      await store.insertRefreshToken({
        id,
        familyId,
        sub: 'user:{1}',
        clientId: 'c',
        scope: '',
        issuedAt: at,
        expiresAt: at + 60,
        familyExpiresAt: at + 600,
      });
    await store.revokeFamily('other', at + 60);
    await store.denyToken('jti', at + 60);
    const keys = (await admin.keys(`${keyPrefix}*`)).sort();
    const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
    const familyKeys = keys.filter((k) => k.includes('{f:family'));
    assert.equal(familyKeys.length, 3, familyKeys.join('\n')); // two records and the member set
    assert.equal(new Set(familyKeys.map(tag)).size, 1);
    assert.equal(tag(familyKeys[0]!), `f:${encodeURIComponent(familyId)}`);
    for (const key of keys) assert.ok((await admin.pttl(key)) > 0, `${key} has a TTL`);
    await deleteKeys(keyPrefix);
  });

  test('a key prefix with a brace is a TypeError naming the option', () => {
    assert.throws(() => createRedisStore(admin, { keyPrefix: 'app{1}:' }), {
      name: 'TypeError',
      message: /"keyPrefix"/,
    });
  });

  test('an unknown option name is a TypeError that suggests the right one', () => {
    assert.throws(() => createRedisStore(admin, { prefix: 'app:' } as never), {
      name: 'TypeError',
      message: /^createRedisStore: unknown option "prefix"/,
    });
    assert.throws(() => createRedisStore(admin, { keyprefix: 'app:' } as never), {
      name: 'TypeError',
      message: 'createRedisStore: unknown option "keyprefix"; did you mean "keyPrefix"?',
    });
    createRedisStore(admin, { keyPrefix: 'app:', now: () => 0 });
  });

  test('an ioredis client with its own keyPrefix is refused (scripts build keys it would not prefix)', async () => {
    const prefixed = new Redis(url, { keyPrefix: 'app:', lazyConnect: true });
    assert.throws(() => createRedisStore(prefixed), { name: 'TypeError', message: /"keyPrefix"/ });
    prefixed.disconnect();
  });
});
