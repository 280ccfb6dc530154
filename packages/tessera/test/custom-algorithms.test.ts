// Custom algorithms: scoped to the call that names them, async signers (KMS/HSM style), no shadowing.
import assert from 'node:assert/strict';
import { sign, verify, type KeyObject } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import { describe, test } from 'node:test';
import {
  createSigner,
  createVerifier,
  decodeProtectedHeader,
  generateKeyPair,
  InvalidAlgorithmError,
  InvalidSignatureError,
  JWKSet,
  signJWS,
  signJWT,
  verifyJWS,
  verifyJWT,
} from 'tessera-jwt';
import type { AsyncCustomAlgorithm, CustomAlgorithm } from 'tessera-jwt';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });

// A stand-in for a KMS: it holds private keys by ID and never hands them out.
class FakeKMS {
  readonly #keys = new Map<string, KeyObject>([['key-1', pair.privateKey]]);
  calls = 0;
  async sign(keyId: string, data: Uint8Array): Promise<Uint8Array> {
    this.calls++;
    await new Promise((resolve) => setTimeout(resolve, 1));
    const key = this.#keys.get(keyId);
    if (!key) throw new Error('no such key');
    return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  }
}

const verifyP256 = (data: Uint8Array, signature: Uint8Array, key: KeyObject) =>
  verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);

describe('custom algorithms', () => {
  test('an async KMS signer makes signJWT return a Promise; the token verifies with the custom verify', async () => {
    const kms = new FakeKMS();
    const kmsES256: AsyncCustomAlgorithm = { name: 'KMS-ES256', sign: (data, keyId: string) => kms.sign(keyId, data) };
    const token = await signJWT({ sub: 'a' }, 'key-1', { algorithm: kmsES256, kid: 'key-1', expiresIn: '5m' });
    assert.equal(kms.calls, 1);
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'KMS-ES256', typ: 'JWT', kid: 'key-1' });
    const verifier: CustomAlgorithm = { name: 'KMS-ES256', verify: verifyP256 };
    assert.equal(verifyJWT(token, pair.publicKey, { algorithms: [verifier] }).sub, 'a');
  });

  test('createSigner with a synchronous custom algorithm returns strings', () => {
    const alg: CustomAlgorithm = {
      name: 'X-ES256',
      sign: (data, key: KeyObject) => sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }),
    };
    const signer = createSigner({ key: pair.privateKey, algorithm: alg });
    const token = signer({ sub: 's' });
    assert.equal(typeof token, 'string');
    const verifyIt = createVerifier({ key: pair.publicKey, algorithms: [{ name: 'X-ES256', verify: verifyP256 }] });
    assert.equal(verifyIt(token).sub, 's');
  });

  test('a tampered token fails the custom verify with InvalidSignatureError', () => {
    const alg: CustomAlgorithm = {
      name: 'X-ES256',
      sign: (data, key: KeyObject) => sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }),
      verify: verifyP256,
    };
    const token = signJWT({ sub: 'a' }, pair.privateKey, { algorithm: alg }) as string;
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.${s}`;
    assert.throws(() => verifyJWT(forged, pair.publicKey, { algorithms: [alg] }), InvalidSignatureError);
  });

  test('only a literal true passes: a truthy non-boolean fails closed', () => {
    const sloppy = { name: 'SLOPPY', sign: () => new Uint8Array([1]), verify: () => 1 as unknown as boolean };
    const token = signJWT({}, 'k', { algorithm: sloppy });
    assert.throws(() => verifyJWT(token, 'k', { algorithms: [sloppy] }), InvalidSignatureError);
  });

  test('a custom algorithm exists only where it is named: other verifiers refuse its tokens', () => {
    const alg: CustomAlgorithm = { name: 'SCOPED', sign: () => new Uint8Array([1, 2, 3]), verify: () => true };
    const token = signJWT({}, 'opaque', { algorithm: alg });
    assert.throws(
      () => verifyJWT(token, 'opaque-secret-of-32-bytes-at-least!!', { algorithms: ['HS256'] }),
      InvalidAlgorithmError,
    );
    assert.doesNotThrow(() => verifyJWT(token, 'opaque', { algorithms: [alg] }));
  });

  test('built-in names and none cannot be taken', () => {
    for (const name of ['RS256', 'ES256', 'EdDSA', 'RSA-OAEP', 'none', 'NoNe', '']) {
      assert.throws(() => signJWT({}, 'k', { algorithm: { name, sign: () => new Uint8Array([1]) } }), TypeError, name);
      assert.throws(() => verifyJWT('a.b.c', 'k', { algorithms: [{ name, verify: () => true }] }), TypeError, name);
    }
  });

  test('an algorithm without sign cannot sign, without verify cannot verify', () => {
    assert.throws(() => signJWT({}, 'k', { algorithm: { name: 'V-ONLY', verify: () => true } }), /no "sign"/);
    assert.throws(
      () => verifyJWT('a.b.c', 'k', { algorithms: [{ name: 'S-ONLY', sign: () => new Uint8Array([1]) }] }),
      /no "verify"/,
    );
  });

  test('a sign function returning something other than bytes is a TypeError', async () => {
    assert.throws(
      () => signJWT({}, 'k', { algorithm: { name: 'BAD', sign: () => 'sig' as unknown as Uint8Array } }),
      TypeError,
    );
    await assert.rejects(
      signJWT({}, 'k', { algorithm: { name: 'BAD', sign: async () => new Uint8Array(0) } }),
      TypeError,
    );
  });

  test('an async verify is a TypeError with a static key, and works through a key resolver', async () => {
    const alg = {
      name: 'ASYNC-V',
      sign: () => new Uint8Array([7]),
      verify: async (_d: Uint8Array, s: Uint8Array) => s[0] === 7,
    };
    const token = signJWT({ sub: 'z' }, 'k', { algorithm: alg });
    assert.throws(() => verifyJWT(token, 'k', { algorithms: [alg] }), TypeError);
    assert.equal((await verifyJWT(token, () => 'k', { algorithms: [alg] })).sub, 'z');
  });

  test('with a JWKSet, the custom verify receives the Key selected by kid', () => {
    const ed = generateKeyPair('EdDSA', { kid: 'ed' });
    const seen: string[] = [];
    const alg: CustomAlgorithm = {
      name: 'ED-WRAPPED',
      sign: (data, key: KeyObject) => sign(null, data, key),
      verify: (data, signature, key: { kid: string; keyObject: KeyObject }) => {
        seen.push(key.kid);
        return verify(null, data, key.keyObject, signature);
      },
    };
    const token = signJWT({ sub: 'k' }, ed.privateKey.keyObject, { algorithm: alg, kid: 'ed' });
    const set = JWKSet.from({ keys: [{ ...ed.publicKey.toJWK(), alg: undefined }] });
    assert.equal(verifyJWT(token, set, { algorithms: [alg] }).sub, 'k');
    assert.deepEqual(seen, ['ed']);
  });

  test('signJWS and verifyJWS take custom algorithms', () => {
    const alg: CustomAlgorithm = {
      name: 'RAW-ED',
      sign: (data, key: KeyObject) => sign(null, data, key),
      verify: (d, s, key: KeyObject) => verify(null, d, key, s),
    };
    const ed = generateKeyPairSync('ed25519');
    const jws = signJWS('payload', ed.privateKey, { algorithm: alg }) as string;
    assert.equal(Buffer.from(verifyJWS(jws, ed.publicKey, { algorithms: [alg] }).payload).toString(), 'payload');
  });
});
