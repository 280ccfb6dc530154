// Regression (issue 12 item 3): EC "x", "y", "d" and OKP "x", "d" are fixed-length octet strings
// (RFC 7518 §6.2.1.2, §6.2.1.3, §6.2.2.1; RFC 8037 §2). node:crypto accepts a coordinate with its
// leading zero bytes stripped (or extra ones added), so one key had several JWKs and thumbprints.
// A wrong length is now a JWKError at import: importKey, JWK objects and text, JWK Set members (a
// JWE's ephemeral "epk" is the deliberate exception, see the last test).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import { decryptJWE, encryptJWE, importKey, JWKError, JWKSet, signJWT, verifyJWT } from 'tessera-jwt';
import type { GeneralJWE, JWK } from 'tessera-jwt';

type Curve = {
  crv: string;
  bytes: number;
  members: readonly string[];
  generate: () => { privateKey: KeyObject; publicKey: KeyObject };
  alg?: string;
};
const CURVES: readonly Curve[] = [
  {
    crv: 'P-256',
    bytes: 32,
    members: ['x', 'y', 'd'],
    generate: () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
    alg: 'ES256',
  },
  {
    crv: 'P-384',
    bytes: 48,
    members: ['x', 'y', 'd'],
    generate: () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }),
    alg: 'ES384',
  },
  {
    crv: 'P-521',
    bytes: 66,
    members: ['x', 'y', 'd'],
    generate: () => generateKeyPairSync('ec', { namedCurve: 'secp521r1' }),
    alg: 'ES512',
  },
  {
    crv: 'secp256k1',
    bytes: 32,
    members: ['x', 'y', 'd'],
    generate: () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }),
    alg: 'ES256K',
  },
  { crv: 'Ed25519', bytes: 32, members: ['x', 'd'], generate: () => generateKeyPairSync('ed25519'), alg: 'EdDSA' },
  { crv: 'Ed448', bytes: 57, members: ['x', 'd'], generate: () => generateKeyPairSync('ed448'), alg: 'EdDSA' },
  { crv: 'X25519', bytes: 32, members: ['x', 'd'], generate: () => generateKeyPairSync('x25519') },
  { crv: 'X448', bytes: 56, members: ['x', 'd'], generate: () => generateKeyPairSync('x448') },
];

const jwkOf = (key: KeyObject): JWK => key.export({ format: 'jwk' }) as JWK;
const bytesOf = (value: unknown): Buffer => Buffer.from(value as string, 'base64url');
const withMember = (jwk: JWK, name: string, bytes: Buffer): JWK => ({ ...jwk, [name]: bytes.toString('base64url') });
const isLengthError = (crv: string, name: string) => (err: unknown) =>
  err instanceof JWKError && err.message.includes(`"${name}"`) && err.message.includes(crv);

/** Generates keys until one has a coordinate `name` starting with a zero byte (about 1 in 256). */
function keyWithLeadingZero(curve: Curve, name: string): { privateKey: KeyObject; publicKey: KeyObject } {
  for (let i = 0; i < 20_000; i++) {
    const pair = curve.generate();
    if (bytesOf(jwkOf(pair.privateKey)[name])[0] === 0) return pair;
  }
  throw new Error('no key with a leading zero byte found');
}

describe("EC and OKP JWK members must have the curve's exact length", () => {
  for (const curve of CURVES) {
    test(`${curve.crv}: the exported JWKs import (control: ${curve.bytes}-byte members)`, () => {
      const { privateKey, publicKey } = curve.generate();
      for (const name of curve.members) assert.equal(bytesOf(jwkOf(privateKey)[name]).length, curve.bytes);
      assert.equal(importKey(jwkOf(publicKey)).crv, curve.crv);
      assert.equal(importKey(jwkOf(privateKey)).type, 'private');
    });

    for (const name of curve.members) {
      test(`${curve.crv}: "${name}" one byte short or one byte long is a JWKError, however the JWK arrives`, () => {
        const { privateKey, publicKey } = curve.generate();
        const base = name === 'd' ? jwkOf(privateKey) : jwkOf(publicKey);
        const full = bytesOf(base[name]);
        for (const bytes of [
          full.subarray(1),
          Buffer.concat([Buffer.alloc(1), full]),
          full.subarray(0, curve.bytes - 1),
        ]) {
          const jwk = withMember(base, name, bytes);
          assert.throws(() => importKey(jwk), isLengthError(curve.crv, name));
          assert.throws(() => importKey(JSON.stringify(jwk)), isLengthError(curve.crv, name));
          // In a JWK Set the entry is skipped, and a token naming its kid is told why.
          const set = JWKSet.from({
            keys: [
              { ...jwk, kid: 'bad' },
              { ...jwkOf(publicKey), kid: 'good' },
            ],
          });
          assert.equal(set.size, 1);
          assert.equal(set.get('good')?.crv, curve.crv);
        }
      });
    }

    for (const name of curve.members) {
      test(`${curve.crv}: a "${name}" with a leading zero byte is valid at full length and refused when the zero is stripped`, () => {
        const { privateKey, publicKey } = keyWithLeadingZero(curve, name);
        const base = name === 'd' ? jwkOf(privateKey) : jwkOf(publicKey);
        assert.equal(importKey(base).crv, curve.crv);
        const stripped = withMember(base, name, bytesOf(base[name]).subarray(1));
        assert.throws(() => importKey(stripped), isLengthError(curve.crv, name));
        const alg = curve.alg;
        if (alg !== undefined && name !== 'd') {
          // Before the fix this stripped JWK verified the key's tokens: one key, two JWKs.
          const token = signJWT({ sub: 'user-42' }, privateKey, { algorithm: alg });
          assert.equal(verifyJWT(token, base, { algorithms: [alg] }).sub, 'user-42');
          assert.throws(() => verifyJWT(token, stripped, { algorithms: [alg] }), isLengthError(curve.crv, name));
        }
      });
    }
  }

  test('a JWE "epk" with a leading zero stripped still decrypts (deliberate: Authlib 1.2 writes P-521 epks so)', () => {
    // An ephemeral key has no identity (no kid, no thumbprint), so its encoding cannot make one key
    // look like two; node still checks that the point is on the recipient's curve. Authlib 1.2 (the
    // Debian oracle) drops leading zeros from about half of its P-521 epk coordinates, so refusing
    // them would break interop for nothing.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const options = { keyManagementAlgorithms: ['ECDH-ES+A256KW'], contentEncryptionAlgorithms: ['A256GCM'] };
    // General serialization: the epk sits in the (unprotected) recipient header, so it can be
    // re-encoded without touching the AAD; only its length differs, not the point.
    for (let i = 0; i < 20_000; i++) {
      const jwe = encryptJWE('hi', publicKey, {
        alg: 'ECDH-ES+A256KW',
        enc: 'A256GCM',
        serialization: 'general',
      }) as GeneralJWE;
      const epk = jwe.recipients[0]!.header!.epk as JWK;
      const x = bytesOf(epk.x);
      if (x[0] !== 0) continue;
      const stripped = {
        ...jwe,
        recipients: [
          {
            ...jwe.recipients[0]!,
            header: { ...jwe.recipients[0]!.header, epk: { ...epk, x: x.subarray(1).toString('base64url') } },
          },
        ],
      };
      assert.equal(Buffer.from(decryptJWE(stripped, privateKey, options).plaintext).toString(), 'hi');
      // The same member length as a recipient key is refused: that key has an identity.
      assert.throws(() => importKey({ ...epk, x: x.subarray(1).toString('base64url') }), isLengthError('P-256', 'x'));
      return;
    }
    assert.fail('no ephemeral key with a leading zero byte found');
  });
});
