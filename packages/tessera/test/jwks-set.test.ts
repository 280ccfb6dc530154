// JWKSet: selection by kid and algorithm, refusals, public-only publishing, and key rotation end to end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  createVerifier,
  generateKeyPair,
  generateSecret,
  InvalidSignatureError,
  JWKError,
  JWKSet,
  JWKSetError,
  NoMatchingKeyError,
  signJWT,
  verifyJWS,
  verifyJWT,
  signJWS,
} from 'tessera-jwt';
import type { JWK } from 'tessera-jwt';

const a = generateKeyPair('ES256', { kid: 'a' });
const b = generateKeyPair('ES256', { kid: 'b' });
const rsa = generateKeyPair('RS256', { kid: 'r' });
const pub = (k: { publicKey: { toJWK(): JWK } }) => k.publicKey.toJWK();

describe('selecting a key', () => {
  const set = JWKSet.from({ keys: [pub(a), pub(b), pub(rsa)] });

  test("the token's kid picks the key", () => {
    assert.equal(verifyJWT(signJWT({ sub: 'x' }, b.privateKey), set, { algorithms: ['ES256'] }).sub, 'x');
    assert.deepEqual(
      set.select({ alg: 'ES256', kid: 'b' }).map((k) => k.kid),
      ['b'],
    );
  });

  test('an unknown kid is a NoMatchingKeyError', () => {
    const other = generateKeyPair('ES256', { kid: 'zzz' });
    assert.throws(() => verifyJWT(signJWT({}, other.privateKey), set, { algorithms: ['ES256'] }), NoMatchingKeyError);
  });

  test('a kid whose key does not fit the alg is not selected', () => {
    assert.deepEqual(set.select({ alg: 'RS256', kid: 'a' }), []);
    assert.deepEqual(set.select({ alg: 'ES384' }), []);
  });

  test('a token without kid tries only the keys that fit its algorithm', () => {
    const stripped = signJWT({ sub: 'nokid' }, b.privateKey.keyObject, { algorithm: 'ES256' });
    assert.equal(verifyJWT(stripped, set, { algorithms: ['ES256'] }).sub, 'nokid');
    assert.deepEqual(
      set.select({ alg: 'ES256' }).map((k) => k.kid),
      ['a', 'b'],
    );
  });

  test('a token without kid signed by no key of the set is an InvalidSignatureError', () => {
    const stranger = generateKeyPair('ES256');
    assert.throws(
      () => verifyJWT(signJWT({}, stranger.privateKey.keyObject), set, { algorithms: ['ES256'] }),
      InvalidSignatureError,
    );
  });

  test('two keys with the same kid, kty and alg make that kid ambiguous; the rest of the set still verifies', () => {
    const twins = JWKSet.from({ keys: [pub(a), { ...pub(b), kid: 'a' }, pub(rsa)] });
    assert.throws(
      () => verifyJWT(signJWT({}, a.privateKey), twins, { algorithms: ['ES256'] }),
      (err: unknown) => err instanceof JWKSetError && /share the token's kid/.test(err.message),
    );
    const rsaToken = signJWT({ sub: 'rsa' }, rsa.privateKey);
    assert.equal(verifyJWT(rsaToken, twins, { algorithms: ['RS256'] }).sub, 'rsa');
    const same = new JWKSet([a.publicKey, a.publicKey]);
    assert.throws(() => verifyJWT(signJWT({}, a.privateKey), same, { algorithms: ['ES256'] }), JWKSetError);
  });

  test('one kid may name keys of different types (RFC 7517 §4.5 alternatives)', () => {
    const alternatives = JWKSet.from({ keys: [pub(a), { ...pub(rsa), kid: 'a' }] });
    assert.equal(verifyJWT(signJWT({ sub: 'ec' }, a.privateKey), alternatives, { algorithms: ['ES256'] }).sub, 'ec');
    const rsaToken = signJWT({ sub: 'rsa' }, rsa.privateKey.keyObject, { algorithm: 'RS256', kid: 'a' });
    assert.equal(verifyJWT(rsaToken, alternatives, { algorithms: ['RS256'] }).sub, 'rsa');
  });

  test("several keys that share the token's kid and fit its alg are refused as ambiguous", () => {
    const { alg: _alg, ...unbound } = { ...pub(b), kid: 'a' };
    const twins = JWKSet.from({ keys: [pub(a), unbound] });
    assert.throws(() => verifyJWT(signJWT({}, a.privateKey), twins, { algorithms: ['ES256'] }), JWKSetError);
  });

  test('a token without kid against more than 8 fitting keys is refused before any signature work', () => {
    const many = JWKSet.from({ keys: Array.from({ length: 9 }, () => pub(generateKeyPair('EdDSA'))) });
    const token = signJWT({}, generateKeyPair('EdDSA').privateKey.keyObject);
    assert.throws(() => verifyJWT(token, many, { algorithms: ['EdDSA'] }), JWKSetError);
  });

  test('use: enc keys and key_ops without verify are never selected', () => {
    const encSet = JWKSet.from({
      keys: [
        { ...pub(a), use: 'enc', alg: undefined },
        { ...pub(b), key_ops: ['sign'] },
      ],
    });
    assert.deepEqual(encSet.select({ alg: 'ES256', kid: 'a' }), []);
    assert.deepEqual(encSet.select({ alg: 'ES256', kid: 'b' }), []);
  });

  test('a kid naming only a key that may not verify is a NoMatchingKeyError that says why', () => {
    const rsaOnly = generateKeyPair('RS256', { kid: 'enc-only' });
    const token = signJWT({ sub: 'x' }, rsaOnly.privateKey);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ key_ops: ['encrypt'], use: undefined }, /"key_ops" do not include "verify"/],
      [{ key_ops: ['encrypt'], use: undefined, alg: undefined }, /"key_ops" do not include "verify"/],
      [{ use: 'enc', alg: undefined }, /"use" is "enc"/],
      [{ alg: 'RS384' }, /bound to "alg" "RS384"/],
    ];
    for (const [change, reason] of cases) {
      for (const keys of [[{ ...pub(rsaOnly), ...change }], [pub(a), { ...pub(rsaOnly), ...change }, pub(rsa)]]) {
        const only = JWKSet.from({ keys: keys as JWK[] });
        assert.throws(
          () => verifyJWT(token, only, { algorithms: ['RS256'] }),
          (err: unknown) => {
            assert.ok(err instanceof NoMatchingKeyError, String(err));
            assert.equal(err.code, 'ERR_JWKS_NO_MATCHING_KEY');
            assert.match(err.message, /the key with the token's kid may not verify RS256/);
            assert.match(err.message, reason);
            return true;
          },
        );
      }
    }
    // An EC key named by an RS256 token: the key type is the reason.
    const ecToken = signJWT({}, rsaOnly.privateKey, { kid: 'a' });
    assert.throws(
      () => verifyJWT(ecToken, JWKSet.from({ keys: [{ ...pub(a), alg: undefined }] }), { algorithms: ['RS256'] }),
      /may not verify RS256: "RS256" needs a RSA key, not EC/,
    );
  });

  test('without algorithms, a set whose keys all carry alg is its own allowlist', () => {
    assert.equal(verifyJWT(signJWT({ sub: 'x' }, rsa.privateKey), set, {}).sub, 'x');
    const unbound = JWKSet.from({ keys: [{ ...pub(a), alg: undefined }] });
    assert.throws(() => verifyJWT(signJWT({}, a.privateKey), unbound, {}), TypeError);
  });

  test('verifyJWS and createVerifier take a JWKSet too', () => {
    const jws = signJWS('hello', a.privateKey);
    assert.equal(Buffer.from(verifyJWS(jws, set, { algorithms: ['ES256'] }).payload).toString(), 'hello');
    const verify = createVerifier({ key: set, algorithms: ['ES256', 'RS256'], cache: true });
    assert.equal(verify(signJWT({ sub: 'c' }, rsa.privateKey)).sub, 'c');
  });
});

describe('building a set', () => {
  test('a set mixing secrets and asymmetric keys is refused (algorithm confusion)', () => {
    const secret = generateSecret('HS256').toJWK({ private: true });
    assert.throws(() => JWKSet.from({ keys: [secret, pub(a)] }), JWKSetError);
  });

  test('entries of unknown kty are skipped; a set with no usable key is a JWKSetError', () => {
    assert.equal(JWKSet.from({ keys: [{ kty: 'PQC', x: 'AA' }, pub(a)] }).size, 1);
    assert.throws(() => JWKSet.from({ keys: [{ kty: 'PQC' }] }), JWKSetError);
    assert.throws(() => JWKSet.from({ keys: [] }), JWKSetError);
    assert.throws(() => JWKSet.from({} as { keys: JWK[] }), JWKSetError);
  });

  test('an invalid key is skipped, and a token naming its kid learns why', () => {
    const broken = { ...pub(rsa), kid: 'bad', e: 'AQ' };
    const set = JWKSet.from({ keys: [broken, pub(a)] });
    assert.equal(set.size, 1);
    const forged = signJWT({}, rsa.privateKey.keyObject, { kid: 'bad' });
    assert.throws(() => verifyJWT(forged, set, { algorithms: ['RS256'] }), JWKError);
  });

  test('publicOnly refuses private members', () => {
    assert.throws(() => JWKSet.from({ keys: [a.privateKey.toJWK({ private: true })] }, { publicOnly: true }), JWKError);
    assert.equal(JWKSet.from({ keys: [pub(a)] }, { publicOnly: true }).size, 1);
  });

  test('JSON text is parsed strictly: duplicate members are refused', () => {
    assert.equal(JWKSet.from(JSON.stringify({ keys: [pub(a)] })).size, 1);
    assert.throws(() => JWKSet.from('{"keys":[],"keys":[]}'), JWKSetError);
    assert.throws(() => JWKSet.from('not json'), JWKSetError);
  });

  test('toJSON publishes public members only and leaves secrets out', () => {
    const set = JWKSet.from({ keys: [a.privateKey.toJWK({ private: true }), pub(rsa)] });
    const published = JSON.stringify(set);
    assert.doesNotMatch(published, /"d"/);
    assert.deepEqual(
      set.toJSON().keys.map((k) => k.kid),
      ['a', 'r'],
    );
    const secrets = JWKSet.from({ keys: [{ kty: 'oct', k: randomBytes(32).toString('base64url') }] });
    assert.deepEqual(secrets.toJSON(), { keys: [] });
  });

  test('JWKSet.from refuses an unknown option, naming the closest known one', () => {
    assert.throws(
      () => JWKSet.from({ keys: [pub(a)] }, { publiconly: true } as never),
      (err: unknown) =>
        err instanceof TypeError &&
        err.message === 'JWKSet.from: unknown option "publiconly"; did you mean "publicOnly"?',
    );
    assert.equal(JWKSet.from({ keys: [pub(a)] }, { publicOnly: true }).size, 1);
  });

  test('new JWKSet(keys) takes Keys', () => {
    assert.equal(new JWKSet([a.publicKey, b.publicKey]).get('b')?.kid, 'b');
    assert.throws(() => new JWKSet([pub(a)] as never), TypeError);
  });
});

describe('key rotation end to end', () => {
  test('A alone, then A and B side by side, then B alone', () => {
    const keyA = generateKeyPair('ES256', { kid: '2026-11' });
    const keyB = generateKeyPair('ES256', { kid: '2026-12' });
    const tokenA = signJWT({ sub: 'a' }, keyA.privateKey, { expiresIn: '1h' });

    const phase1 = new JWKSet([keyA.publicKey]);
    assert.equal(verifyJWT(tokenA, phase1, { algorithms: ['ES256'] }).sub, 'a');

    // B is published beside A before anything is signed with it.
    const phase2 = new JWKSet([keyA.publicKey, keyB.publicKey]);
    const tokenB = signJWT({ sub: 'b' }, keyB.privateKey, { expiresIn: '1h' });
    assert.equal(verifyJWT(tokenA, phase2, { algorithms: ['ES256'] }).sub, 'a');
    assert.equal(verifyJWT(tokenB, phase2, { algorithms: ['ES256'] }).sub, 'b');
    assert.throws(() => verifyJWT(tokenB, phase1, { algorithms: ['ES256'] }), NoMatchingKeyError);

    // A is retired once its tokens have expired.
    const phase3 = JWKSet.from({ keys: phase2.toJSON().keys.filter((k) => k.kid !== '2026-11') });
    assert.equal(verifyJWT(tokenB, phase3, { algorithms: ['ES256'] }).sub, 'b');
    assert.throws(() => verifyJWT(tokenA, phase3, { algorithms: ['ES256'] }), NoMatchingKeyError);
  });
});
