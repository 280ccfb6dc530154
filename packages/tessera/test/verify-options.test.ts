// verifyJWT/verifyJWS/createVerifier options (issue 12 item 13): a key that pins its algorithm needs no
// options at all, and the "algorithms is required" TypeError suggests the algorithm that fits the call.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createVerifier,
  generateKeyPair,
  generateSecret,
  JWKSet,
  signJWS,
  signJWT,
  verifyJWS,
  verifyJWT,
  type JWK,
} from 'tessera-jwt';

const es256 = generateKeyPair('ES256');
const rs256 = generateKeyPair('RS256');
const publicJWK = (pair: { publicKey: { toJWK(): JWK } }): JWK => pair.publicKey.toJWK();

describe('options may be omitted when the key pins the algorithm', () => {
  const token = signJWT({ sub: 'user-42' }, es256.privateKey);

  test('verifyJWT(token, jwkSetWhoseKeysAllCarryAlg) with no options argument', () => {
    const set = JWKSet.from({ keys: [publicJWK(es256), publicJWK(rs256)] });
    assert.ok(set.keys.every((k) => k.alg !== undefined));
    assert.equal(verifyJWT(token, set).sub, 'user-42');
    assert.equal(verifyJWT(signJWT({ sub: 'rs' }, rs256.privateKey), set).sub, 'rs');
  });

  test('verifyJWT(token, jwkCarryingAlg) and verifyJWT(token, keyCarryingAlg) with no options argument', () => {
    assert.equal(publicJWK(es256).alg, 'ES256');
    assert.equal(verifyJWT(token, publicJWK(es256)).sub, 'user-42');
    assert.equal(verifyJWT(token, es256.publicKey).sub, 'user-42');
  });

  test('the key still pins the algorithm: an RS256 token is refused by an ES256 JWK', () => {
    assert.throws(() => verifyJWT(signJWT({}, rs256.privateKey), publicJWK(es256)), {
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
    });
  });

  test('verifyJWS(jws, jwkSet) with no options argument', () => {
    const set = JWKSet.from({ keys: [publicJWK(es256)] });
    assert.equal(Buffer.from(verifyJWS(signJWS('hello', es256.privateKey), set).payload).toString(), 'hello');
  });

  test('a key that pins nothing still needs "algorithms" (a TypeError, RFC 8725 §3.1)', () => {
    const { alg: _alg, ...unbound } = publicJWK(es256);
    assert.throws(() => verifyJWT(token, unbound as JWK), TypeError);
    assert.throws(() => verifyJWT(token, es256.publicKey.keyObject as never), TypeError);
  });
});

describe('the "algorithms is required" hint names the algorithm that fits', () => {
  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof TypeError, String(err));
      return err.message;
    }
    assert.fail('expected a TypeError');
  };
  const pem = es256.publicKey.toPEM();

  test("verifyJWT with options omitted names the token's alg (ES256), not HS256", () => {
    const token = signJWT({}, es256.privateKey);
    assert.match(
      // @ts-expect-error -- a PEM pins no algorithm, so the options are required at compile time too
      message(() => verifyJWT(token, pem)),
      /\{ algorithms: \['ES256'\] \}/,
    );
  });

  test("verifyJWT with {} names the token's alg: RS256, PS384, HS512", () => {
    assert.match(
      message(() => verifyJWT(signJWT({}, rs256.privateKey), rs256.publicKey.toPEM(), {})),
      /\['RS256'\]/,
    );
    assert.match(
      message(() =>
        verifyJWT(signJWT({}, rs256.privateKey.keyObject, { algorithm: 'PS384' }), rs256.publicKey.toPEM(), {}),
      ),
      /\['PS384'\]/,
    );
    const secret = generateSecret('HS512').toJWK({ private: true }).k!;
    assert.match(
      message(() => verifyJWT(signJWT({}, secret, { algorithm: 'HS512' }), secret, {})),
      /\['HS512'\]/,
    );
  });

  test("a token whose alg is not a real algorithm gets the key's algorithm instead (never token text)", () => {
    const header = Buffer.from(JSON.stringify({ alg: '<script>' })).toString('base64url');
    const text = message(() => verifyJWT(`${header}.e30.AAAA`, rs256.publicKey.toPEM(), {}));
    assert.match(text, /\['RS256'\]/);
    assert.ok(!text.includes('script'));
  });

  test("createVerifier (no token yet) names the key's algorithm", () => {
    assert.match(
      message(() => createVerifier({ key: pem })),
      /\['ES256'\]/,
    );
    assert.match(
      message(() => createVerifier({ key: generateKeyPair('EdDSA').publicKey.toPEM() })),
      /\['EdDSA'\]/,
    );
  });

  test("verifyJWS and a key resolver name the token's alg too", () => {
    assert.match(
      message(() => verifyJWS(signJWS('x', es256.privateKey), pem, {})),
      /\['ES256'\]/,
    );
    assert.match(
      message(() => verifyJWT(signJWT({}, es256.privateKey), () => pem, {})),
      /\['ES256'\]/,
    );
  });
});
