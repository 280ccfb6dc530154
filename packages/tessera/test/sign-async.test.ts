// signJWTAsync and createAsyncSigner: the synchronous path's header and claims byte for byte, valid
// signatures, the same refusals (as rejections), and the signature computed off the event loop.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync } from './helpers/keygen.js';
import { describe, test } from 'node:test';
import {
  createAsyncSigner,
  createSigner,
  decodeJWT,
  InvalidKeyError,
  signJWT,
  signJWTAsync,
  verifyJWT,
} from 'tessera-jwt';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = {
  HS256: { sign: new Uint8Array(randomBytes(32)), verify: undefined as unknown },
  RS256: { sign: rsa.privateKey, verify: rsa.publicKey },
  PS256: { sign: rsa.privateKey, verify: rsa.publicKey },
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  ES512: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  EdDSA: generateKeyPairSync('ed25519'),
};
const pair = (alg: keyof typeof keys) => {
  const k = keys[alg] as { sign?: unknown; verify?: unknown; privateKey?: unknown; publicKey?: unknown };
  const signKey = k.sign ?? k.privateKey;
  return { signKey, verifyKey: alg === 'HS256' ? signKey : (k.verify ?? k.publicKey) };
};
// RSASSA-PKCS1-v1_5, EdDSA and HMAC are deterministic: their signatures must match too.
const deterministic = new Set(['HS256', 'RS256', 'EdDSA']);
const options = {
  expiresIn: '15m',
  notBefore: 5,
  issuer: 'https://auth.example.com',
  audience: ['https://api.example.com', 'https://other.example.com'],
  subject: 'user-42',
  kid: 'k1',
  typ: 'at+jwt',
  header: { x5t: 'abc' },
  currentDate: new Date('2026-01-02T03:04:05Z'),
};
const payload = { scope: 'read:orders', roles: ['admin'], n: 1, when: new Date('2026-01-02T03:00:00Z') };
const signingInput = (token: string) => token.slice(0, token.lastIndexOf('.'));

describe('signJWTAsync', () => {
  for (const alg of Object.keys(keys) as Array<keyof typeof keys>) {
    test(`${alg}: same header and payload bytes as signJWT, and a valid signature`, async () => {
      const { signKey, verifyKey } = pair(alg);
      const sync = signJWT(payload, signKey as never, { ...options, algorithm: alg });
      const asyncToken = await signJWTAsync(payload, signKey, { ...options, algorithm: alg });
      assert.equal(signingInput(asyncToken), signingInput(sync));
      if (deterministic.has(alg)) assert.equal(asyncToken, sync);
      const verified = verifyJWT<Record<string, unknown>>(asyncToken, verifyKey as never, {
        algorithms: [alg],
        audience: 'https://api.example.com',
        issuer: 'https://auth.example.com',
        currentDate: new Date(options.currentDate.getTime() + 10_000),
      });
      assert.equal(verified.scope, 'read:orders');
      assert.equal(verified.exp, Date.parse('2026-01-02T03:19:05Z') / 1000);
      assert.equal(decodeJWT(asyncToken).header.typ, 'at+jwt');
    });
  }

  test('the algorithm is inferred from the key like signJWT', async () => {
    const token = await signJWTAsync({ sub: 'a' }, keys.ES384.privateKey);
    assert.equal(decodeJWT(token).header.alg, 'ES384');
  });

  test('refusals are rejections, with the synchronous path’s errors', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    assert.throws(() => signJWT({}, weak, { algorithm: 'RS256' }), InvalidKeyError);
    await assert.rejects(signJWTAsync({}, weak, { algorithm: 'RS256' }), InvalidKeyError);
    // A bad option or a key of the wrong type does not throw synchronously.
    const unknown = signJWTAsync({}, rsa.privateKey, { algorithm: 'RS256', expiresin: 5 } as never);
    await assert.rejects(unknown, TypeError);
    await assert.rejects(signJWTAsync({}, rsa.privateKey, { algorithm: 'ES256' }), InvalidKeyError);
    await assert.rejects(signJWTAsync({}, rsa.publicKey, { algorithm: 'RS256' }), InvalidKeyError);
    await assert.rejects(signJWTAsync({}, rsa.privateKey, { algorithm: 'none' as never }), TypeError);
    await assert.rejects(signJWTAsync({ exp: 'soon' } as never, rsa.privateKey, { algorithm: 'RS256' }), TypeError);
  });

  test('the event loop runs while an RSA signature is computed', async () => {
    const big = generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey;
    const events: string[] = [];
    const signing = signJWTAsync({ sub: 'a' }, big, { algorithm: 'RS256' }).then(() => events.push('signed'));
    setImmediate(() => events.push('immediate'));
    await signing;
    assert.deepEqual(events, ['immediate', 'signed']);
  });

  test('64 signatures at once (most of them queued): every one resolves with its own valid token', async () => {
    const sign = createAsyncSigner({ key: rsa.privateKey, algorithm: 'RS256', jwtId: true });
    const tokens = await Promise.all(Array.from({ length: 64 }, (_, i) => sign({ sub: `user-${i}` })));
    assert.equal(new Set(tokens).size, 64);
    tokens.forEach((t, i) => {
      assert.equal(verifyJWT(t, rsa.publicKey, { algorithms: ['RS256'] }).sub, `user-${i}`);
    });
  });

  test('queued signatures leave libuv threads free: a file read is not held up behind them', async () => {
    // 48 RSA-4096 signatures (~10 ms of CPU each) are queued at once. Uncapped, they would occupy every
    // libuv thread and the read below would wait behind most of them; capped, it runs beside them.
    const big = generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey;
    const order: string[] = [];
    const signs = Array.from({ length: 48 }, () =>
      signJWTAsync({ sub: 'a' }, big, { algorithm: 'RS256' }).then(() => order.push('signed')),
    );
    const read = readFile(fileURLToPath(import.meta.url)).then(() => order.push('read'));
    await Promise.all([...signs, read]);
    assert.ok(order.indexOf('read') < 24, `the read finished after ${order.indexOf('read')} of 48 signatures`);
  });
});

describe('createAsyncSigner', () => {
  test('same tokens as createSigner (RS256, deterministic) and valid ES256 signatures', async () => {
    const sync = createSigner({ ...options, key: rsa.privateKey, algorithm: 'RS256' });
    const off = createAsyncSigner({ ...options, key: rsa.privateKey, algorithm: 'RS256' });
    assert.equal(await off(payload), sync(payload));
    const es = createAsyncSigner({ key: keys.ES256.privateKey, algorithm: 'ES256', jwtId: true });
    const [a, b] = await Promise.all([es({ sub: 'x' }), es({ sub: 'x' })]);
    assert.notEqual(decodeJWT(a).payload.jti, decodeJWT(b).payload.jti);
    for (const t of [a, b]) verifyJWT(t, keys.ES256.publicKey, { algorithms: ['ES256'] });
  });

  test('options and key are checked at creation, like createSigner', () => {
    assert.throws(() => createAsyncSigner({ key: rsa.privateKey, algorithm: 'RS256', bogus: 1 } as never), TypeError);
    // The unknown-option error names the function the caller called, with the closest option name.
    assert.throws(
      () => createAsyncSigner({ key: rsa.privateKey, algorithm: 'RS256', expiresin: 60 } as never),
      (err: Error) =>
        err instanceof TypeError &&
        err.message.startsWith('createAsyncSigner') &&
        !err.message.startsWith('createSigner') &&
        err.message.includes('unknown option "expiresin"') &&
        err.message.includes('did you mean "expiresIn"?'),
    );
    assert.throws(() => createAsyncSigner({ key: rsa.publicKey, algorithm: 'RS256' }), InvalidKeyError);
    assert.throws(() => createAsyncSigner({ algorithm: 'RS256' } as never), TypeError);
  });

  test('a claim the payload gets wrong is a rejection per call', async () => {
    const sign = createAsyncSigner({ key: rsa.privateKey, algorithm: 'RS256' });
    await assert.rejects(sign({ nbf: 'later' } as never), TypeError);
  });
});

describe('token service: access tokens signed off the main thread', () => {
  const START = 1_800_000_000;
  const service = async (algorithm: string, signOffThread?: boolean) => {
    const { createMemoryStore, createTokenService } = await import('tessera-jwt/server');
    const keysOption = {
      encryptionKey: randomBytes(32),
      algorithm,
      ...(signOffThread === undefined ? {} : { signOffThread }),
    };
    return createTokenService({
      issuer: 'https://auth.example.com',
      audience: 'https://api.example.com',
      store: createMemoryStore({ now: () => START }),
      keys: keysOption,
      now: () => START,
    });
  };
  for (const algorithm of ['RS256', 'ES256', 'EdDSA']) {
    test(`${algorithm}: off-thread (default) and inline tokens have the same header and claims, and verify`, async () => {
      const shapes = [];
      for (const mode of [undefined, true, false]) {
        const s = await service(algorithm, mode);
        const { access_token } = await s.issue({ sub: 'user-42', client_id: 'web', scope: 'read:orders' });
        const claims = await s.verifyAccessToken(access_token);
        assert.equal(claims.sub, 'user-42');
        const { JWKSet } = await import('tessera-jwt');
        verifyJWT(access_token, JWKSet.from(await s.jwks()), {
          algorithms: [algorithm],
          audience: 'https://api.example.com',
          currentDate: new Date(START * 1000),
        });
        const { header, payload: p } = decodeJWT(access_token);
        shapes.push({
          header: Object.keys(header),
          alg: header.alg,
          typ: header.typ,
          claims: Object.keys(p),
          exp: p.exp,
        });
      }
      assert.deepEqual(shapes[1], shapes[0]);
      assert.deepEqual(shapes[2], shapes[0]);
      assert.equal(shapes[0]!.alg, algorithm);
    });
  }
  test('"keys.signOffThread" must be a boolean', async () => {
    await assert.rejects(service('ES256', 'yes' as never), TypeError);
  });
});
