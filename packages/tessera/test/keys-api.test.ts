// importKey, Key, exportJWK, generateKeyPair, generateSecret, thumbprints: what a key is, what it may
// be used for, and that private material never leaves without { private: true }.
import assert from 'node:assert/strict';
import { createPublicKey, KeyObject, randomBytes } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import { describe, test } from 'node:test';
import {
  calculateJWKThumbprint,
  calculateJWKThumbprintURI,
  exportJWK,
  generateKeyPair,
  generateSecret,
  importKey,
  InvalidKeyError,
  JWKError,
  Key,
  signJWT,
  verifyJWT,
} from 'tessera-jwt';
import type { JWK } from 'tessera-jwt';
import { decodeProtectedHeader } from 'tessera-jwt';

const SIGNING_ALGS = ['RS256', 'PS384', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed25519', 'Ed448'] as const;

describe('generateKeyPair', () => {
  for (const alg of SIGNING_ALGS) {
    test(`a generated ${alg} pair signs and verifies, bound to ${alg}, with its thumbprint as kid`, () => {
      const { privateKey, publicKey } = generateKeyPair(alg);
      assert.equal(privateKey.type, 'private');
      assert.equal(publicKey.type, 'public');
      assert.equal(privateKey.alg, alg);
      assert.equal(publicKey.use, 'sig');
      assert.equal(publicKey.kid, publicKey.thumbprint());
      assert.equal(privateKey.kid, publicKey.kid);
      const token = signJWT({ sub: 'a' }, privateKey);
      assert.equal(decodeProtectedHeader(token).alg, alg);
      assert.equal(decodeProtectedHeader(token).kid, publicKey.kid);
      assert.equal(verifyJWT(token, publicKey, {}).sub, 'a'); // the Key's alg is the allowlist
    });
  }

  test('EdDSA takes crv Ed448, ECDH-ES takes X25519', () => {
    assert.equal(generateKeyPair('EdDSA', { crv: 'Ed448' }).publicKey.crv, 'Ed448');
    const agreement = generateKeyPair('ECDH-ES', { crv: 'X25519' });
    assert.deepEqual(
      [agreement.publicKey.kty, agreement.publicKey.crv, agreement.publicKey.use],
      ['OKP', 'X25519', 'enc'],
    );
    assert.equal(generateKeyPair('ECDH-ES+A256KW').publicKey.crv, 'P-256');
    assert.equal(generateKeyPair('RSA-OAEP-256').publicKey.kty, 'RSA');
  });

  test('a chosen kid and modulusLength are used', () => {
    const { publicKey } = generateKeyPair('RS512', { kid: '2026-12', modulusLength: 3072 });
    assert.equal(publicKey.kid, '2026-12');
    assert.equal(publicKey.keyObject.asymmetricKeyDetails?.modulusLength, 3072);
  });

  test('misuse is a TypeError: unknown alg, a secret alg, a weak modulus, a foreign curve', () => {
    assert.throws(() => generateKeyPair('XS256'), TypeError);
    assert.throws(() => generateKeyPair('HS256'), /generateSecret/);
    assert.throws(() => generateKeyPair('RS256', { modulusLength: 1024 }), TypeError);
    assert.throws(() => generateKeyPair('ES256', { crv: 'P-384' }), TypeError);
    assert.throws(() => generateKeyPair('EdDSA', { crv: 'X25519' }), TypeError);
  });
});

describe('generateSecret', () => {
  for (const [alg, bytes] of [
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
    ['A128KW', 16],
    ['A256GCM', 32],
    ['A256CBC-HS512', 64],
  ] as const) {
    test(`${alg} secrets are ${bytes} random bytes`, () => {
      const a = generateSecret(alg);
      const jwk = a.toJWK({ private: true });
      assert.equal(Buffer.from(jwk.k!, 'base64url').length, bytes);
      assert.notEqual(jwk.k, generateSecret(alg).toJWK({ private: true }).k);
      assert.equal(a.type, 'secret');
      assert.equal(a.alg, alg);
    });
  }

  test('an HS256 secret Key signs with HS256 and refuses HS512', () => {
    const key = generateSecret('HS256');
    const token = signJWT({ sub: 'a' }, key);
    assert.equal(decodeProtectedHeader(token).alg, 'HS256');
    assert.equal(verifyJWT(token, key, { algorithms: ['HS256'] }).sub, 'a');
    assert.throws(() => signJWT({}, key, { algorithm: 'HS512' }), InvalidKeyError);
  });

  test('asymmetric algorithms are refused', () => {
    assert.throws(() => generateSecret('ES256'), /generateKeyPair/);
    assert.throws(() => generateSecret('dir'), TypeError);
  });
});

describe('exporting keys', () => {
  const { privateKey } = generateKeyPair('ES256');

  test('a private key needs { private: true } to export private members', () => {
    assert.throws(() => privateKey.toJWK(), InvalidKeyError);
    assert.throws(() => exportJWK(privateKey.keyObject), InvalidKeyError);
    assert.equal(typeof privateKey.toJWK({ private: true }).d, 'string');
    assert.equal(privateKey.toJWK({ private: false }).d, undefined);
    assert.throws(() => privateKey.toPEM(), InvalidKeyError);
    assert.match(privateKey.toPEM({ private: true }), /BEGIN PRIVATE KEY/);
    assert.match(privateKey.toPEM({ private: false }), /BEGIN PUBLIC KEY/);
  });

  test('a secret needs { private: true } and has no PEM form', () => {
    const secret = importKey(randomBytes(32));
    assert.throws(() => secret.toJWK(), InvalidKeyError);
    assert.throws(() => secret.toJWK({ private: false }), InvalidKeyError);
    assert.throws(() => secret.toPEM({ private: true }), InvalidKeyError);
    assert.equal(secret.toJWK({ private: true }).kty, 'oct');
  });

  test('JSON.stringify of a Key never contains private members', () => {
    const json = JSON.stringify({ privateKey, secret: generateSecret('HS256') });
    assert.doesNotMatch(json, /"d"|"k"/);
  });

  test('RSA-PSS keys export as RSA JWKs that verify the same PS256 tokens', () => {
    const pair = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const key = importKey(pair.privateKey);
    const jwk = key.toJWK({ private: true });
    assert.deepEqual(Object.keys(jwk), ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']);
    const token = signJWT({ sub: 'a' }, key, { algorithm: 'PS256' });
    assert.equal(verifyJWT(token, exportJWK(pair.publicKey), { algorithms: ['PS256'] }).sub, 'a');
    assert.equal(key.thumbprint(), calculateJWKThumbprint(exportJWK(pair.publicKey)));
  });

  test("exportJWK keeps a JWK input's kid, alg and use", () => {
    const jwk = { ...generateKeyPair('ES256').publicKey.toJWK(), kid: 'k1' };
    assert.deepEqual(exportJWK(jwk), jwk);
  });

  test('PEM -> Key -> JWK -> Key -> PEM gives the same key', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const again = importKey(importKey(pem).toJWK({ private: true }));
    assert.equal(again.toPEM({ private: true }), pem);
    assert.ok(again.keyObject instanceof KeyObject);
  });

  test('publicKey() gives the public half with the same kid and alg', () => {
    const pub = privateKey.publicKey();
    assert.equal(pub.type, 'public');
    assert.equal(pub.kid, privateKey.kid);
    assert.equal(pub.alg, 'ES256');
    assert.deepEqual(pub.toJWK(), privateKey.toJWK({ private: false }));
  });
});

describe('importKey validation', () => {
  const ec = generateKeyPair('ES256').publicKey.toJWK();
  const { kid: _kid, alg: _alg, use: _use, ...bareEC } = ec;

  test('a JWK whose alg does not fit its kty or curve is a JWKError', () => {
    assert.throws(() => importKey({ ...bareEC, alg: 'RS256' }), JWKError);
    assert.throws(() => importKey({ ...bareEC, alg: 'ES384' }), JWKError);
    assert.throws(() => importKey({ kty: 'oct', k: randomBytes(32).toString('base64url'), alg: 'ES256' }), JWKError);
  });

  test('an alg option that disagrees with the JWK is a JWKError', () => {
    assert.throws(() => importKey(ec, { alg: 'ES384' }), JWKError);
    assert.equal(importKey(bareEC, { alg: 'ES256' }).alg, 'ES256');
  });

  test('use and key_ops must agree and name known operations', () => {
    assert.throws(() => importKey({ ...bareEC, use: 'sig', key_ops: ['encrypt'] }), JWKError);
    assert.throws(() => importKey({ ...bareEC, key_ops: ['verify', 'verify'] }), JWKError);
    assert.throws(() => importKey({ ...bareEC, key_ops: ['sudo'] }), JWKError);
    assert.throws(() => importKey({ ...bareEC, use: 'both' }), JWKError);
    assert.deepEqual(importKey({ ...bareEC, key_ops: ['verify'] }).keyOps, ['verify']);
  });

  test('an RSA JWK with public exponent 1 is a JWKError', () => {
    const rsa = generateKeyPair('RS256').publicKey.toJWK();
    assert.throws(() => importKey({ ...rsa, e: 'AQ' }), JWKError);
  });

  test('an EC point off the curve is a JWKError', () => {
    const x = Buffer.from(bareEC.x!, 'base64url');
    x[31] = x[31]! ^ 1;
    assert.throws(() => importKey({ ...bareEC, x: x.toString('base64url') }), JWKError);
  });

  test('a use: enc key refuses to verify and a key_ops without verify refuses too', () => {
    const { privateKey } = generateKeyPair('ES256');
    const token = signJWT({}, privateKey);
    const pub = privateKey.toJWK({ private: false });
    assert.throws(() => verifyJWT(token, { ...pub, use: 'enc', alg: undefined }, { algorithms: ['ES256'] }), JWKError);
    assert.throws(() => verifyJWT(token, { ...pub, key_ops: ['sign'] }, { algorithms: ['ES256'] }), JWKError);
  });

  test('a Key bound to ES256 is refused for ES384 tokens and cannot sign them', () => {
    const key = importKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, { alg: 'ES256' });
    assert.throws(() => signJWT({}, key, { algorithm: 'ES384' }), InvalidKeyError);
  });

  test('Key cannot be constructed directly', () => {
    assert.throws(() => new (Key as unknown as new (...a: unknown[]) => Key)({}, {}), TypeError);
  });

  test('an X.509 certificate, a KeyObject and PEM text give Keys of the right kind', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const fromObject = importKey(pair.publicKey);
    const fromPem = importKey(pair.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    assert.deepEqual([fromObject.kty, fromObject.crv, fromPem.crv], ['EC', 'secp256k1', 'secp256k1']);
    assert.equal(fromObject.thumbprint(), fromPem.thumbprint());
    assert.equal(importKey(createPublicKey(pair.privateKey)).type, 'public');
  });
});

describe('thumbprints', () => {
  test('RFC 7638 §3.1: the example RSA key', () => {
    const jwk: JWK = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    assert.equal(calculateJWKThumbprint(jwk), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    assert.equal(
      calculateJWKThumbprintURI(jwk),
      'urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
    );
  });

  test('private members, kid and alg do not change a thumbprint; sha384/sha512 digests differ in length', () => {
    const { privateKey, publicKey } = generateKeyPair('ES384', { kid: 'x' });
    assert.equal(calculateJWKThumbprint(privateKey.toJWK({ private: true })), publicKey.thumbprint());
    assert.equal(Buffer.from(publicKey.thumbprint('sha384'), 'base64url').length, 48);
    assert.match(
      calculateJWKThumbprintURI(publicKey.toJWK(), 'sha512'),
      /^urn:ietf:params:oauth:jwk-thumbprint:sha-512:[\w-]{86}$/,
    );
  });

  test('a JWK missing a required member is a JWKError; an unknown digest a TypeError', () => {
    assert.throws(() => calculateJWKThumbprint({ kty: 'EC', crv: 'P-256', x: 'AA' }), JWKError);
    assert.throws(() => calculateJWKThumbprint({ kty: 'XYZ' }), JWKError);
    assert.throws(() => calculateJWKThumbprint({ kty: 'oct', k: 'AA' }, 'md5' as 'sha256'), TypeError);
  });
});
