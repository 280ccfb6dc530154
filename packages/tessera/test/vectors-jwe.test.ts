// Conformance of JWE (RFC 7516/7518/7519/7520/8037) against every JWE vector in ../shared/vectors:
//
//  * RFC 7516 A.1 (RSA-OAEP + A256GCM), A.3 (A128KW + A128CBC-HS256), A.4 (general JSON, two recipients) and A.5
//    (flattened JSON) decrypt to the RFC plaintext; A.2 (RSA1_5) is POLICY (below).
//  * RFC 7518 Appendix B (AES_CBC_HMAC_SHA2 B.1–B.3) and Appendix C (ECDH-ES Concat KDF, Alice/Bob): not in
//    shared/vectors (rfc-examples/PROVENANCE.md "Not included"), so their values are transcribed here from the RFC text;
//    each is self-checking (a wrong byte cannot produce the RFC's ciphertext, tag or derived key).
//  * RFC 8037 A.6/A.7 (ECDH-ES with X25519/X448, the RFC stops at Z): the RFC's ephemeral public key and recipient private
//    key, with a JWE built around the RFC's Z by an independent Concat KDF in this file, must decrypt in Tessera.
//  * RFC 7519 A.1 (encrypted JWT) and A.2 (nested JWT): their JWE is RSA1_5 — POLICY; the nesting itself is checked by
//    re-encrypting the RFC's inner JWS with RSA-OAEP-256 to the same RFC key.
//  * JOSE Cookbook (RFC 7520 §5, §6, curve25519/ecdh-es): every output form (compact, json, json_flat) decrypts with
//    every recipient key; PBES2 only when listed; zip, aad, unprotected-header variants; the nesting example verifies.
//  * Wycheproof json_web_encryption_test.json (139 tests) and the JWE tests of json_web_crypto_test.json (tc50–83):
//    valid → decrypts to `pt`; invalid → a JWTError (never a TypeError, never a plain Error); acceptable → either.
//    The allowlist is EVERY key management algorithm Tessera implements, so a key of the wrong kind has to be refused
//    by the key itself, not by the allowlist.
//
// POLICY (deliberate differences, each asserted): RSA1_5 (RSAES-PKCS1-v1_5) is not implemented — it is a padding oracle
// (Bleichenbacher; Marvin), RFC 8725 §3.2 deprecates it, and Node 20 refuses PKCS#1 v1.5 private decryption
// (CVE-2023-46809). Naming it in an allowlist is a TypeError (misuse, at option validation); a token that uses it is
// refused with InvalidAlgorithmError before any key is touched. Wycheproof's "rejectsValidJsonSerialization" assumes a
// compact-only API: decryptJWE accepts JSON serialization objects by design (RFC 7516 §7.2); the JSON *text* passed as
// a compact string is refused (DecodeError).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DecodeError,
  DecryptionError,
  decryptJWE,
  decryptJWT,
  encryptJWE,
  ExpiredSignatureError,
  InvalidAlgorithmError,
  InvalidKeyError,
  JWKSet,
  JWTError,
  verifyJWT,
} from 'tessera-jwt';
import type { FlattenedJWE, GeneralJWE, JWK } from 'tessera-jwt';
import { decryptContent, contentAlgorithm } from '../src/lib/jwe-content.js';
import {
  concatKDF,
  KEY_MANAGEMENT_ALGORITHMS,
  keyManagementAlgorithm,
  unwrapCEK,
  wrapCEK,
} from '../src/lib/jwe-keys.js';
import { prepareKey } from '../src/lib/keys.js';
import { hasShared, VECTORS } from './helpers/paths.js';

type ErrorClass = abstract new (...args: never[]) => Error;
type AnyJWE = string | FlattenedJWE | GeneralJWE;

/** Every key management algorithm Tessera implements (the spec of this suite; checked against the implementation). */
const ALL_ALGS = [
  'dir',
  'A128KW',
  'A192KW',
  'A256KW',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA-OAEP-384',
  'RSA-OAEP-512',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'PBES2-HS256+A128KW',
  'PBES2-HS384+A192KW',
  'PBES2-HS512+A256KW',
];
const ALL = { keyManagementAlgorithms: ALL_ALGS };
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
const RSA1_5_TYPEERROR = /RSA1_5.*not supported/;

const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const b64u = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');
const hex = (value: string): Buffer => Buffer.from(value.replace(/\s+/g, ''), 'hex');

function publicJWK(jwk: JWK): JWK {
  if (jwk.kty === 'oct') return jwk;
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.includes(name))) as JWK;
}

function assertRefused(fn: () => unknown, cls: ErrorClass, code?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(
      err instanceof cls,
      `expected ${cls.name}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    );
    if (code !== undefined) assert.equal((err as { code?: unknown }).code, code);
    return true;
  });
}

/** The RSA1_5 policy, asserted for one token and the key that would decrypt it. */
function rsa15Policy(jwe: AnyJWE, key: JWK): void {
  // Naming RSA1_5 is misuse: refused while validating the options, before the token is even parsed.
  assert.throws(
    () => decryptJWE(jwe, key, { keyManagementAlgorithms: ['RSA1_5'] }),
    (e: unknown) => e instanceof TypeError && RSA1_5_TYPEERROR.test(e.message),
  );
  assert.throws(
    () => decryptJWE('not even a token', key, { keyManagementAlgorithms: ['RSA-OAEP', 'RSA1_5'] }),
    TypeError,
  );
  // With everything Tessera implements allowed, the token's alg is simply not allowed.
  assertRefused(() => decryptJWE(jwe, key, ALL), InvalidAlgorithmError, 'ERR_JWT_ALG_NOT_ALLOWED');
}

// ---------------------------------------------------------------------------------------------------------------
// RFC 7518 Appendix B and C: transcribed from the RFC text (not in shared/vectors).

const B_P = `41206369706865722073797374656d206d757374206e6f7420626520726571756972656420746f206265207365637265742c20616e64206974206d7573742062652061626c6520746f2066616c6c20696e746f207468652068616e6473206f662074686520656e656d7920776974686f757420696e636f6e76656e69656e6365`;
const B_IV = '1af38c2dc2b96ffdd86694092341bc04';
const B_A = '546865207365636f6e64207072696e6369706c65206f662041756775737465204b6572636b686f666673';
const RFC7518_B = [
  {
    section: 'B.1',
    enc: 'A128CBC-HS256',
    key: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    e: 'c80edfa32ddf39d5ef00c0b468834279a2e46a1b8049f792f76bfe54b903a9c9a94ac9b47ad2655c5f10f9aef71427e2fc6f9b3f399a221489f16362c703233609d45ac69864e3321cf82935ac4096c86e133314c54019e8ca7980dfa4b9cf1b384c486f3a54c51078158ee5d79de59fbd34d848b3d69550a67646344427ade54b8851ffb598f7f80074b9473c82e2db',
    t: '652c3fa36b0a7c5b3219fab3a30bc1c4',
  },
  {
    section: 'B.2',
    enc: 'A192CBC-HS384',
    key: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f',
    e: 'ea65da6b59e61edb419be62d19712ae5d303eeb50052d0dfd6697f77224c8edb000d279bdc14c1072654bd30944230c657bed4ca0c9f4a8466f22b226d1746214bf8cfc2400add9f5126e479663fc90b3bed787a2f0ffcbf3904be2a641d5c2105bfe591bae23b1d7449e532eef60a9ac8bb6c6b01d35d49787bcd57ef484927f280adc91ac0c4e79c7b11efc60054e3',
    t: '8490ac0e58949bfe51875d733f93ac2075168039ccc733d7',
  },
  {
    section: 'B.3',
    enc: 'A256CBC-HS512',
    key: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f',
    e: '4affaaadb78c31c5da4b1b590d10ffbd3dd8d5d302423526912da037ecbcc7bd822c301dd67c373bccb584ad3e9279c2e6d12a1374b77f077553df829410446b36ebd97066296ae6427ea75c2e0846a11a09ccf5370dc80bfecbad28c73f09b3a3b75e662a2594410ae496b2e2e6609e31e6e02cc837f053d21f37ff4f51950bbe2638d09dd7a4930930806d0703b1f6',
    t: '4dd3b4c088a7f45c216839645b2012bf2e6269a8c56a816dbc1b267761955bc5',
  },
];

/** RFC 7518 Appendix C: Alice (the sender's ephemeral key) and Bob (the recipient), apu "Alice", apv "Bob", A128GCM. */
const RFC7518_C = {
  alice: {
    kty: 'EC',
    crv: 'P-256',
    x: 'gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0',
    y: 'SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps',
    d: '0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo',
  },
  bob: {
    kty: 'EC',
    crv: 'P-256',
    x: 'weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ',
    y: 'e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck',
    d: 'VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw',
  },
  z: [
    158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163, 218, 128, 106, 72,
    246, 218, 167, 121, 140, 254, 144, 196,
  ],
  header: { alg: 'ECDH-ES', enc: 'A128GCM', apu: 'QWxpY2U', apv: 'Qm9i' },
  derivedKey: 'VqqN6vgjbSBcIijNcacQGg',
};

/** An independent Concat KDF (NIST SP 800-56A, RFC 7518 §4.6.2), so a Tessera bug cannot hide behind its own KDF. */
function referenceKDF(
  z: Buffer,
  bits: number,
  algorithmId: string,
  apu = Buffer.alloc(0),
  apv = Buffer.alloc(0),
): Buffer {
  const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, b.length >> 8, b.length & 255]), b]);
  const other = Buffer.concat([
    field(Buffer.from(algorithmId)),
    field(apu),
    field(apv),
    Buffer.from([0, 0, bits >> 8, bits & 255]),
  ]);
  const out: Buffer[] = [];
  for (let i = 1; out.length * 32 < bits / 8; i++)
    out.push(
      createHash('sha256')
        .update(Buffer.from([0, 0, 0, i]))
        .update(z)
        .update(other)
        .digest(),
    );
  return Buffer.concat(out).subarray(0, bits / 8);
}

/** A compact JWE built with node:crypto only: `protectedHeader` as written, CEK given, A*GCM content. */
function handmadeJWE(protectedHeader: string, cek: Buffer, encryptedKey: Buffer, plaintext: string): string {
  const protectedSegment = b64u(protectedHeader);
  const iv = randomBytes(12);
  const cipher = createCipheriv(`aes-${cek.length * 8}-gcm` as 'aes-128-gcm', cek, iv);
  cipher.setAAD(Buffer.from(protectedSegment, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [protectedSegment, b64u(encryptedKey), b64u(iv), b64u(ciphertext), b64u(cipher.getAuthTag())].join('.');
}

const aesKW = (kek: Buffer, cek: Buffer): Buffer => {
  const c = createCipheriv(`id-aes${kek.length * 8}-wrap`, kek, Buffer.from('a6a6a6a6a6a6a6a6', 'hex'));
  return Buffer.concat([c.update(cek), c.final()]);
};

describe('RFC 7518 Appendix B: AES_CBC_HMAC_SHA2 test cases (transcribed from the RFC)', () => {
  for (const b of RFC7518_B) {
    const info = contentAlgorithm(b.enc)!;
    test(`${b.section} ${b.enc}: the RFC's E and T decrypt to the RFC's P (tag checked over A, IV, E, AL)`, () => {
      const p = decryptContent(info, hex(b.key), hex(B_IV), hex(b.e), hex(b.t), hex(B_A));
      assert.deepEqual(p, hex(B_P));
    });
    test(`${b.section} ${b.enc}: a T with one bit flipped, a truncated T, or another A is refused (undefined → DecryptionError)`, () => {
      const t = hex(b.t);
      const flipped = Buffer.from(t);
      flipped[flipped.length - 1]! ^= 1;
      assert.equal(decryptContent(info, hex(b.key), hex(B_IV), hex(b.e), flipped, hex(B_A)), undefined);
      assert.equal(
        decryptContent(info, hex(b.key), hex(B_IV), hex(b.e), t.subarray(0, t.length - 1), hex(B_A)),
        undefined,
      );
      assert.equal(
        decryptContent(info, hex(b.key), hex(B_IV), hex(b.e), t, Buffer.concat([hex(B_A), Buffer.from('!')])),
        undefined,
      );
    });
  }
});

describe('RFC 7518 Appendix C: ECDH-ES key agreement (transcribed from the RFC)', () => {
  const c = RFC7518_C;
  test("C: Z = ECDH(Alice, Bob) is the RFC's Z, and Tessera's Concat KDF derives the RFC's key from it", () => {
    const z = diffieHellman({
      privateKey: createPrivateKey({ key: c.alice, format: 'jwk' }),
      publicKey: createPublicKey({
        key: publicJWK(c.bob as JWK) as object as import('node:crypto').JsonWebKey,
        format: 'jwk',
      }),
    });
    assert.deepEqual([...z], c.z);
    assert.equal(
      concatKDF(z, 16, 'A128GCM', Buffer.from('Alice'), Buffer.from('Bob')).toString('base64url'),
      c.derivedKey,
    );
    assert.equal(
      referenceKDF(z, 128, 'A128GCM', Buffer.from('Alice'), Buffer.from('Bob')).toString('base64url'),
      c.derivedKey,
    );
  });
  test("C: decryptJWE with Bob's key decrypts a JWE whose CEK is the RFC's derived key (epk = Alice, apu/apv as in the RFC)", () => {
    const header = JSON.stringify({ ...c.header, epk: publicJWK(c.alice as JWK) });
    const jwe = handmadeJWE(header, Buffer.from(c.derivedKey, 'base64url'), Buffer.alloc(0), 'RFC 7518 Appendix C');
    const { plaintext, header: h } = decryptJWE(jwe, c.bob, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: ['A128GCM'],
    });
    assert.equal(utf8(plaintext), 'RFC 7518 Appendix C');
    assert.equal(h.apu, 'QWxpY2U');
  });
  test('C: the same JWE with apv changed derives another key and is refused (DecryptionError)', () => {
    const header = JSON.stringify({ ...c.header, apv: 'Qm9j', epk: publicJWK(c.alice as JWK) });
    const jwe = handmadeJWE(header, Buffer.from(c.derivedKey, 'base64url'), Buffer.alloc(0), 'x');
    assertRefused(
      () => decryptJWE(jwe, c.bob, { keyManagementAlgorithms: ['ECDH-ES'] }),
      DecryptionError,
      'ERR_JWE_DECRYPTION_FAILED',
    );
  });
});

test('the algorithms this suite allows are exactly the ones Tessera implements (RSA1_5 absent)', () => {
  assert.deepEqual([...KEY_MANAGEMENT_ALGORITHMS].sort(), [...ALL_ALGS].sort());
});

// ---------------------------------------------------------------------------------------------------------------
// rfc-examples

interface RfcExample {
  id: string;
  section: string;
  title: string;
  kind: string;
  alg?: string;
  enc?: string;
  key?: JWK;
  keys?: Record<string, JWK>;
  plaintext?: string;
  protected_header_raw?: string;
  cek_b64u?: string;
  encrypted_key_b64u?: string;
  compact?: string;
  json?: FlattenedJWE | GeneralJWE;
  claims?: Record<string, unknown>;
  inner?: { alg: string; key: JWK; compact: string };
  recipient_public_jwk?: JWK;
  recipient_private_hex?: string;
  recipient_public_hex?: string;
  ephemeral_private_hex?: string;
  ephemeral_public_hex?: string;
  epk?: JWK;
  z_hex?: string;
}

function rfcExamples(): void {
  const dir = join(VECTORS, 'rfc-examples');
  const load = (name: string) =>
    (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { examples: RfcExample[] }).examples;
  const rfc7516 = load('rfc7516.json');
  const rfc7519 = new Map(load('rfc7519.json').map((e) => [e.id, e]));
  const rfc8037 = new Map(load('rfc8037.json').map((e) => [e.id, e]));
  const beforeExp = (claims: Record<string, unknown>) => new Date(((claims.exp as number) - 60) * 1000);

  describe('RFC 7516 Appendix A: JWE examples', () => {
    for (const e of rfc7516) {
      if (e.kind === 'jwe-compact' && e.alg === 'RSA1_5') {
        test(`${e.section} ${e.alg} + ${e.enc} [POLICY: RSA1_5 not supported]: TypeError when listed, InvalidAlgorithmError otherwise`, () =>
          rsa15Policy(e.compact!, e.key!));
        continue;
      }
      if (e.kind === 'jwe-compact') {
        test(`${e.section} ${e.alg} + ${e.enc}: decrypts to the RFC plaintext with the RFC's protected header`, () => {
          const r = decryptJWE(e.compact!, e.key!, {
            keyManagementAlgorithms: [e.alg!],
            contentEncryptionAlgorithms: [e.enc!],
          });
          assert.equal(utf8(r.plaintext), e.plaintext);
          assert.deepEqual(r.protectedHeader, JSON.parse(e.protected_header_raw!));
        });
        test(`${e.section} ${e.alg}: Tessera's key management recovers the RFC's CEK from the RFC's encrypted key`, () => {
          const info = keyManagementAlgorithm(e.alg!)!;
          const cek = unwrapCEK(info, prepareKey(e.key!), contentAlgorithm(e.enc!)!, {
            encryptedKey: Buffer.from(e.encrypted_key_b64u!, 'base64url'),
          });
          assert.equal(cek?.toString('base64url'), e.cek_b64u);
        });
        if (e.alg === 'A128KW') {
          test(`${e.section} ${e.alg}: wrapping the RFC's CEK reproduces the RFC's encrypted key byte-exact (AES-KW is deterministic)`, () => {
            const cek = Buffer.from(e.cek_b64u!, 'base64url');
            const out = wrapCEK(keyManagementAlgorithm(e.alg!)!, prepareKey(e.key!), contentAlgorithm(e.enc!)!, {
              cek,
            });
            assert.equal(out.encryptedKey.toString('base64url'), e.encrypted_key_b64u);
          });
        }
        continue;
      }
      // A.4 general (RSA1_5 recipient "2011-04-29" + A128KW recipient "7"), A.5 flattened (A128KW).
      const keys = e.keys ?? { only: e.key! };
      for (const [kid, key] of Object.entries(keys)) {
        if (key.kty === 'RSA') {
          test(`${e.section} recipient ${kid} (RSA1_5) [POLICY]: its recipient is refused; the RSA key fits no other recipient (InvalidKeyError)`, () => {
            assert.throws(() => decryptJWE(e.json!, key, { keyManagementAlgorithms: ['RSA1_5'] }), TypeError);
            // The only allowed recipient is A128KW, and an RSA key cannot do A128KW.
            assertRefused(() => decryptJWE(e.json!, key, ALL), InvalidKeyError, 'ERR_KEY_INVALID');
          });
          continue;
        }
        test(`${e.section} ${e.kind} recipient ${kid}: decrypts to the RFC plaintext`, () => {
          const r = decryptJWE(e.json!, key, { keyManagementAlgorithms: ['A128KW'] });
          assert.equal(utf8(r.plaintext), e.plaintext);
          assert.equal(r.header.alg, 'A128KW');
          assert.equal(r.unprotectedHeader?.jku, 'https://server.example.com/keys.jwks');
        });
        test(`${e.section} ${e.kind} recipient ${kid}: with the key in a JWKSet (kid selects the recipient)`, () => {
          const set = JWKSet.from({ keys: [{ ...key, kid: '7' }] });
          assert.equal(utf8(decryptJWE(e.json!, set, { keyManagementAlgorithms: ['A128KW'] }).plaintext), e.plaintext);
        });
      }
    }
  });

  describe('RFC 8037 A.6/A.7: ECDH-ES with X25519 and X448 (the RFC gives Z; the JWE is built around it here)', () => {
    for (const id of ['rfc8037-A.6', 'rfc8037-A.7']) {
      const e = rfc8037.get(id)!;
      const crv = e.recipient_public_jwk!.crv!;
      const privateJwk: JWK = {
        kty: 'OKP',
        crv,
        x: b64u(hex(e.recipient_public_hex!)),
        d: b64u(hex(e.recipient_private_hex!)),
      };
      test(`${e.section} ${crv}: the vector is self-consistent (both sides of the agreement give the RFC's Z)`, () => {
        const eph: JWK = {
          kty: 'OKP',
          crv,
          x: b64u(hex(e.ephemeral_public_hex!)),
          d: b64u(hex(e.ephemeral_private_hex!)),
        };
        const z1 = diffieHellman({
          privateKey: createPrivateKey({ key: eph as object as import('node:crypto').JsonWebKey, format: 'jwk' }),
          publicKey: createPublicKey({
            key: e.recipient_public_jwk as object as import('node:crypto').JsonWebKey,
            format: 'jwk',
          }),
        });
        assert.equal(z1.toString('hex'), e.z_hex);
        assert.equal(e.epk!.x, eph.x);
        assert.equal(e.recipient_public_jwk!.x, privateJwk.x);
      });
      test(`${e.section} ${crv} ${e.alg} + ${e.enc}: Tessera decrypts a JWE with the RFC's header (epk) and a KEK from the RFC's Z`, () => {
        const info = keyManagementAlgorithm(e.alg!)!;
        const kek = referenceKDF(hex(e.z_hex!), info.kekBytes! * 8, e.alg!);
        const cek = randomBytes(contentAlgorithm(e.enc!)!.cekBytes);
        const jwe = handmadeJWE(e.protected_header_raw!, cek, aesKW(kek, cek), `RFC 8037 ${e.section}`);
        const r = decryptJWE(jwe, privateJwk, {
          keyManagementAlgorithms: [e.alg!],
          contentEncryptionAlgorithms: [e.enc!],
        });
        assert.equal(utf8(r.plaintext), `RFC 8037 ${e.section}`);
        assert.equal(r.protectedHeader.kid, e.recipient_public_jwk!.kid);
      });
      test(`${e.section} ${crv}: encryptJWE to the RFC's public key round-trips with the private key`, () => {
        const jwe = encryptJWE('round trip', e.recipient_public_jwk!, { alg: e.alg, enc: e.enc });
        assert.equal(utf8(decryptJWE(jwe, privateJwk, { keyManagementAlgorithms: [e.alg!] }).plaintext), 'round trip');
      });
    }
  });

  describe('RFC 7519 A.1/A.2: encrypted and nested JWTs', () => {
    const a1 = rfc7519.get('rfc7519-A.1')!;
    const a2 = rfc7519.get('rfc7519-A.2')!;
    test('A.1 encrypted JWT [POLICY: its JWE is RSA1_5]: decryptJWT refuses it (TypeError when listed, InvalidAlgorithmError otherwise)', () => {
      assert.throws(() => decryptJWT(a1.compact!, a1.key!, { keyManagementAlgorithms: ['RSA1_5'] }), TypeError);
      assertRefused(
        () => decryptJWT(a1.compact!, a1.key!, { ...ALL, currentDate: beforeExp(a1.claims!) }),
        InvalidAlgorithmError,
        'ERR_JWT_ALG_NOT_ALLOWED',
      );
      rsa15Policy(a1.compact!, a1.key!);
    });
    test('A.2 nested JWT [POLICY: the outer JWE is RSA1_5]: decryptJWT refuses it before the inner JWS is looked at', () => {
      const nested = { key: publicJWK(a2.inner!.key), algorithms: [a2.inner!.alg] };
      assertRefused(
        () => decryptJWT(a2.compact!, a2.key!, { ...ALL, nested, currentDate: beforeExp(a2.claims!) }),
        InvalidAlgorithmError,
        'ERR_JWT_ALG_NOT_ALLOWED',
      );
    });
    test("A.2 nesting, re-encrypted with RSA-OAEP-256 to the same RFC key: decryptJWT verifies the RFC's inner JWS and returns its claims", () => {
      const token = encryptJWE(a2.inner!.compact, publicJWK(a2.key!), {
        alg: 'RSA-OAEP-256',
        enc: 'A128CBC-HS256',
        cty: 'JWT',
      });
      const nested = { key: publicJWK(a2.inner!.key), algorithms: [a2.inner!.alg] };
      const claims = decryptJWT(token, a2.key!, {
        keyManagementAlgorithms: ['RSA-OAEP-256'],
        nested,
        currentDate: beforeExp(a2.claims!),
      });
      assert.deepEqual(claims, a2.claims);
      // On the real clock the inner JWT is expired, and that is reported as such.
      assertRefused(
        () => decryptJWT(token, a2.key!, { keyManagementAlgorithms: ['RSA-OAEP-256'], nested }),
        ExpiredSignatureError,
        'ERR_JWT_EXPIRED',
      );
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// JOSE Cookbook

interface CookbookJWE {
  title: string;
  reproducible?: boolean;
  input: {
    plaintext: string;
    key?: JWK | JWK[];
    pwd?: string;
    alg: string | string[];
    enc: string;
    zip?: string;
    aad?: string;
  };
  generated?: { cek: string; iv: string };
  encrypting_key?: { encrypted_key?: string; salt?: string; iteration_count?: number };
  output: { compact?: string; json?: GeneralJWE; json_flat?: FlattenedJWE };
}
type Form = keyof CookbookJWE['output'];

function cookbook(): void {
  const dir = join(VECTORS, 'jose-cookbook');
  const files = [
    ...readdirSync(join(dir, 'jwe'))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => `jwe/${f}`),
    'curve25519/ecdh-es.json',
  ];
  const seen: string[] = [];

  for (const file of files) {
    const name = file.replace(/\.json$/, '');
    const ex = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CookbookJWE;
    describe(`cookbook ${name}: ${ex.title}`, () => {
      const keys: Array<JWK | string> =
        ex.input.pwd !== undefined ? [ex.input.pwd] : Array.isArray(ex.input.key) ? ex.input.key : [ex.input.key!];
      for (const form of Object.keys(ex.output) as Form[]) {
        const jwe = ex.output[form]!;
        seen.push(`${name} ${form}`);
        for (const key of keys) {
          const who = typeof key === 'string' ? 'the password' : `key ${key.kid ?? key.kty}`;
          const recipientAlg = recipientAlgFor(jwe, key);
          if (recipientAlg === 'RSA1_5') {
            test(`output.${form}, ${who} (RSA1_5) [POLICY: RSA1_5 not supported]`, () => {
              if (keys.length === 1) {
                rsa15Policy(jwe, key as JWK);
              } else {
                // 5.13: three recipients; the RSA key fits neither of the two allowed ones.
                assert.throws(() => decryptJWE(jwe, key, { keyManagementAlgorithms: ['RSA1_5'] }), TypeError);
                assertRefused(() => decryptJWE(jwe, key, ALL), InvalidKeyError, 'ERR_KEY_INVALID');
              }
            });
            continue;
          }
          test(`output.${form}, ${who} (${recipientAlg}): decrypts to input.plaintext`, () => {
            const r = decryptJWE(jwe, key, { keyManagementAlgorithms: [recipientAlg] });
            assert.equal(utf8(r.plaintext), ex.input.plaintext);
            if (ex.input.aad !== undefined) assert.equal(utf8(r.additionalAuthenticatedData!), ex.input.aad);
            if (ex.input.zip !== undefined) assert.equal(r.protectedHeader.zip, ex.input.zip);
          });
          test(`output.${form}, ${who}: refused when ${recipientAlg} is not in keyManagementAlgorithms (InvalidAlgorithmError)`, () => {
            const others = ALL_ALGS.filter((a) => a !== recipientAlg && !(keys.length > 1 && a !== 'dir'));
            assertRefused(
              () => decryptJWE(jwe, key, { keyManagementAlgorithms: others.length > 0 ? others : ['dir'] }),
              InvalidAlgorithmError,
              'ERR_JWT_ALG_NOT_ALLOWED',
            );
          });
        }
        // The integrity of each form: one changed ciphertext character is a DecryptionError.
        if (keys.every((k) => recipientAlgFor(jwe, k) === 'RSA1_5')) continue;
        test(`output.${form}: a changed ciphertext is refused (DecryptionError)`, () => {
          const key = keys.find((k) => recipientAlgFor(jwe, k) !== 'RSA1_5')!;
          assertRefused(
            () => decryptJWE(tamperCiphertext(jwe), key, { keyManagementAlgorithms: [recipientAlgFor(jwe, key)] }),
            DecryptionError,
            'ERR_JWE_DECRYPTION_FAILED',
          );
        });
      }
      extras(name, ex, keys);
    });
  }

  test('every cookbook JWE output form was visited', () => {
    assert.ok(seen.length >= 36, `only ${seen.length} outputs`);
    for (const form of ['compact', 'json', 'json_flat']) assert.ok(seen.some((s) => s.endsWith(form)));
  });

  const nesting = JSON.parse(readFileSync(join(dir, '6.nesting_signatures_and_encryption.json'), 'utf8')) as {
    sign: { input: { payload: string; key: JWK; alg: string }; output: { compact: string } };
    encrypt: CookbookJWE;
  };
  describe('cookbook 6: nesting signatures and encryption (PS256 JWT inside RSA-OAEP + A128GCM)', () => {
    const claims = JSON.parse(nesting.sign.input.payload) as Record<string, unknown>;
    const currentDate = new Date(((claims.exp as number) - 60) * 1000);
    const key = nesting.encrypt.input.key as JWK;
    const nested = { key: publicJWK(nesting.sign.input.key), algorithms: [nesting.sign.input.alg] };
    for (const form of Object.keys(nesting.encrypt.output) as Form[]) {
      const jwe = nesting.encrypt.output[form]!;
      test(`encrypt.output.${form}: decryptJWE gives back sign.output.compact, with cty "JWT"`, () => {
        const r = decryptJWE(jwe, key, { keyManagementAlgorithms: ['RSA-OAEP'] });
        assert.equal(utf8(r.plaintext), nesting.sign.output.compact);
        assert.equal(r.header.cty, 'JWT');
      });
    }
    test('encrypt.output.compact: decryptJWT decrypts, verifies the PS256 JWS and returns the claims', () => {
      const r = decryptJWT(nesting.encrypt.output.compact!, key, {
        keyManagementAlgorithms: ['RSA-OAEP'],
        nested,
        currentDate,
        complete: true,
      });
      assert.deepEqual(r.payload, claims);
      assert.equal(r.innerHeader?.alg, 'PS256');
      assert.equal(r.header.enc, 'A128GCM');
    });
    test('encrypt.output.compact: without nested, decryptJWT refuses to trust the unverified inner JWT (DecodeError)', () => {
      assertRefused(
        () => decryptJWT(nesting.encrypt.output.compact!, key, { keyManagementAlgorithms: ['RSA-OAEP'], currentDate }),
        DecodeError,
        'ERR_JWT_MALFORMED',
      );
    });
    test('encrypt.output.compact: the inner JWS with another verification key is refused (InvalidSignatureError via nested)', () => {
      const wrong = { kty: 'RSA', n: publicJWK(key).n as string, e: 'AQAB' };
      assert.throws(
        () =>
          decryptJWT(nesting.encrypt.output.compact!, key, {
            keyManagementAlgorithms: ['RSA-OAEP'],
            nested: { key: wrong, algorithms: ['PS256'] },
            currentDate,
          }),
        JWTError,
      );
    });
    test('the inner JWS alone is expired on the real clock (ExpiredSignatureError), and verifies before exp', () => {
      assertRefused(
        () => verifyJWT(nesting.sign.output.compact, nested.key, { algorithms: ['PS256'] }),
        ExpiredSignatureError,
        'ERR_JWT_EXPIRED',
      );
      assert.deepEqual(
        verifyJWT(nesting.sign.output.compact, nested.key, { algorithms: ['PS256'], currentDate }),
        claims,
      );
    });
  });
}

/** The alg of the recipient `key` can decrypt (for multi-recipient 5.13, by kid or key type). */
function recipientAlgFor(jwe: AnyJWE, key: JWK | string): string {
  const headers: Array<Record<string, unknown>> = [];
  if (typeof jwe === 'string') {
    headers.push(JSON.parse(Buffer.from(jwe.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>);
  } else {
    const prot = jwe.protected
      ? (JSON.parse(Buffer.from(jwe.protected, 'base64url').toString()) as Record<string, unknown>)
      : {};
    const recipients = 'recipients' in jwe ? jwe.recipients : [{ header: (jwe as FlattenedJWE).header }];
    for (const r of recipients) headers.push({ ...prot, ...jwe.unprotected, ...r.header });
  }
  if (headers.length === 1 || typeof key === 'string') return headers[0]!.alg as string;
  const byKid = headers.find((h) => h.kid === key.kid);
  if (byKid) return byKid.alg as string;
  return headers.find((h) => (key.kty === 'RSA' ? /^RSA/ : key.kty === 'EC' ? /^ECDH/ : /KW$/).test(h.alg as string))!
    .alg as string;
}

function tamperCiphertext(jwe: AnyJWE): AnyJWE {
  const flip = (s: string) => {
    const i = Math.floor(s.length / 2);
    return s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  };
  if (typeof jwe === 'string') {
    const p = jwe.split('.');
    p[3] = flip(p[3]!);
    return p.join('.');
  }
  return { ...jwe, ciphertext: flip(jwe.ciphertext) };
}

/** Per-file checks beyond "decrypts": PBES2 opt-in and its p2c cap, the inflate cap, the aad, unprotected headers. */
function extras(name: string, ex: CookbookJWE, keys: Array<JWK | string>): void {
  if (name.includes('5_3.')) {
    const jwe = ex.output.compact!;
    const pwd = keys[0] as string;
    test('PBES2 (p2c 8192): without keyManagementAlgorithms a password is misuse (TypeError); with only non-PBES2 algorithms listed it is refused', () => {
      assert.throws(() => decryptJWE(jwe, pwd, {} as never), TypeError);
      assertRefused(
        () => decryptJWE(jwe, pwd, { keyManagementAlgorithms: ['A256KW', 'dir'] }),
        InvalidAlgorithmError,
        'ERR_JWT_ALG_NOT_ALLOWED',
      );
    });
    test("PBES2: maxPbes2Count below the token's p2c (8191 < 8192) is refused (DecryptionError); exactly 8192 decrypts", () => {
      assertRefused(
        () => decryptJWE(jwe, pwd, { keyManagementAlgorithms: ['PBES2-HS512+A256KW'], maxPbes2Count: 8191 }),
        DecryptionError,
        'ERR_JWE_DECRYPTION_FAILED',
      );
      assert.equal(
        utf8(decryptJWE(jwe, pwd, { keyManagementAlgorithms: ['PBES2-HS512+A256KW'], maxPbes2Count: 8192 }).plaintext),
        ex.input.plaintext,
      );
    });
    test('PBES2: a wrong password is refused (DecryptionError)', () => {
      assertRefused(
        () => decryptJWE(jwe, `${pwd}!`, { keyManagementAlgorithms: ['PBES2-HS512+A256KW'] }),
        DecryptionError,
        'ERR_JWE_DECRYPTION_FAILED',
      );
    });
    test("PBES2: Tessera's PBKDF2 + AES-KW recovers generated.cek from encrypting_key (p2s, p2c)", () => {
      const ek = ex.encrypting_key!;
      const cek = unwrapCEK(
        keyManagementAlgorithm('PBES2-HS512+A256KW')!,
        prepareKey(pwd),
        contentAlgorithm('A128CBC-HS256')!,
        {
          encryptedKey: Buffer.from(ek.encrypted_key!, 'base64url'),
          p2s: Buffer.from(ek.salt!, 'base64url'),
          p2c: ek.iteration_count!,
        },
      );
      assert.equal(cek?.toString('base64url'), ex.generated!.cek);
    });
  }
  if (name.includes('5_9.')) {
    test('zip DEF: maxDecompressedBytes below the plaintext size is refused (DecryptionError); at the size it decrypts', () => {
      const size = Buffer.byteLength(ex.input.plaintext);
      const key = keys[0] as JWK;
      assertRefused(
        () =>
          decryptJWE(ex.output.compact!, key, { keyManagementAlgorithms: ['A128KW'], maxDecompressedBytes: size - 1 }),
        DecryptionError,
        'ERR_JWE_DECRYPTION_FAILED',
      );
      assert.equal(
        utf8(
          decryptJWE(ex.output.compact!, key, { keyManagementAlgorithms: ['A128KW'], maxDecompressedBytes: size })
            .plaintext,
        ),
        ex.input.plaintext,
      );
    });
  }
  if (name.includes('5_10.')) {
    test('aad: a changed aad member is refused (DecryptionError)', () => {
      const jwe = ex.output.json_flat!;
      const aad = b64u(Buffer.from(`${ex.input.aad!} `));
      assertRefused(
        () => decryptJWE({ ...jwe, aad }, keys[0]!, { keyManagementAlgorithms: ['A128KW'] }),
        DecryptionError,
        'ERR_JWE_DECRYPTION_FAILED',
      );
      const { aad: _dropped, ...without } = jwe;
      assertRefused(
        () => decryptJWE(without, keys[0]!, { keyManagementAlgorithms: ['A128KW'] }),
        DecryptionError,
        'ERR_JWE_DECRYPTION_FAILED',
      );
    });
  }
  if (name.includes('5_8.') && ex.reproducible) {
    test('reproducible: wrapping generated.cek with the input key reproduces encrypting_key.encrypted_key (AES-KW)', () => {
      const out = wrapCEK(keyManagementAlgorithm('A128KW')!, prepareKey(keys[0]!), contentAlgorithm('A128GCM')!, {
        cek: Buffer.from(ex.generated!.cek, 'base64url'),
      });
      assert.equal(out.encryptedKey.toString('base64url'), ex.encrypting_key!.encrypted_key);
    });
  }
  if (name.includes('5_11.') || name.includes('5_12.')) {
    test('unprotected alg/kid: the JOSE header merges them; moving enc out of the protected header breaks the tag (DecryptionError)', () => {
      const jwe = ex.output.json_flat!;
      const r = decryptJWE(jwe, keys[0]!, { keyManagementAlgorithms: ['A128KW'] });
      assert.equal(r.header.alg, 'A128KW');
      assert.equal(r.unprotectedHeader?.alg, 'A128KW');
      if (jwe.protected !== undefined) {
        const enc = (JSON.parse(Buffer.from(jwe.protected, 'base64url').toString()) as { enc: string }).enc;
        const { protected: _p, ...rest } = jwe;
        assertRefused(
          () =>
            decryptJWE({ ...rest, unprotected: { ...jwe.unprotected, enc } }, keys[0]!, {
              keyManagementAlgorithms: ['A128KW'],
            }),
          DecryptionError,
          'ERR_JWE_DECRYPTION_FAILED',
        );
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Wycheproof

interface WycheproofTest {
  tcId: number | string;
  comment: string;
  flags: string[] | string;
  result: 'valid' | 'invalid' | 'acceptable';
  jwe: string | FlattenedJWE;
  pt?: string;
}
interface WycheproofGroup {
  type: string;
  comment?: string;
  private: JWK;
  tests: WycheproofTest[];
}
interface Case {
  id: string;
  jwe: string | FlattenedJWE;
  key: JWK;
  t: WycheproofTest;
}
interface Policy {
  reason: string;
  check: (c: Case) => void;
}

const RSA15_REASON =
  'RSA1_5 is not supported (padding oracle; RFC 8725 §3.2; Node 20 refuses PKCS#1 v1.5 decryption, CVE-2023-46809): ' +
  'listing it is a TypeError, the token is refused with InvalidAlgorithmError';
const rsa15 = (): Policy => ({ reason: RSA15_REASON, check: (c) => rsa15Policy(c.jwe, c.key) });
const JSON_REASON =
  'decryptJWE accepts the JSON serializations by design (RFC 7516 §7.2): the object decrypts (its unprotected members ' +
  'are reported as unprotected, never as protected); the same JSON as a compact string is refused (DecodeError), and ' +
  'decryptJWT (compact only) refuses the object (DecodeError)';

const ENC_POLICY: Record<string, Policy> = {
  ...Object.fromEntries(['100', '101', '102', '103', '104', '105', '112', '128'].map((id) => [`enc:${id}`, rsa15()])),
};
const CRYPTO_POLICY: Record<string, Policy> = {
  'crypto:66': {
    reason: JSON_REASON,
    check: (c) => {
      const r = decryptJWE(c.jwe, c.key, ALL);
      assert.equal(r.unprotectedHeader?.unknown, 'untrustworthy');
      assert.equal(r.header.unknown2, 'untrustworthy');
      assert.equal((r.protectedHeader as Record<string, unknown>).unknown, undefined);
      assertRefused(() => decryptJWE(JSON.stringify(c.jwe), c.key, ALL), DecodeError, 'ERR_JWT_MALFORMED');
      assertRefused(() => decryptJWT(c.jwe as never, c.key, ALL), DecodeError, 'ERR_JWT_MALFORMED');
    },
  },
};
const POLICY: Record<string, Policy> = { ...ENC_POLICY, ...CRYPTO_POLICY };

/** Invalid cases where the refusal must come from a specific place (class and code pinned). */
const PINNED: Record<string, [ErrorClass, string]> = {
  // A key bound to one algorithm by its JWK "alg", used with another (Wycheproof "WrongCipher").
  'enc:106': [InvalidKeyError, 'ERR_KEY_INVALID'],
  'enc:107': [InvalidKeyError, 'ERR_KEY_INVALID'],
  'enc:108': [InvalidKeyError, 'ERR_KEY_INVALID'],
  'enc:109': [InvalidKeyError, 'ERR_KEY_INVALID'],
  // Invalid-curve ECDH: the point is not on P-256 — one DecryptionError, indistinguishable from a bad tag.
  'enc:51': [DecryptionError, 'ERR_JWE_DECRYPTION_FAILED'],
  'crypto:83': [DecryptionError, 'ERR_JWE_DECRYPTION_FAILED'],
};

function runWycheproof(c: Case): void {
  const { t } = c;
  if (t.result === 'valid') {
    const r = decryptJWE(c.jwe, c.key, ALL);
    if (t.pt !== undefined) assert.equal(Buffer.from(r.plaintext).toString('hex'), t.pt);
    return;
  }
  if (t.result === 'acceptable') {
    try {
      decryptJWE(c.jwe, c.key, ALL);
    } catch (err) {
      assert.ok(err instanceof JWTError, `acceptable case threw a non-Tessera error: ${String(err)}`);
    }
    return;
  }
  const [cls, code] = PINNED[c.id] ?? [JWTError, undefined];
  assert.throws(
    () => decryptJWE(c.jwe, c.key, ALL),
    (err: unknown) => {
      assert.ok(err instanceof JWTError, `expected a Tessera JWTError, got ${String(err)}`);
      assert.ok(err instanceof cls, `expected ${cls.name}, got ${err.name}: ${err.message}`);
      if (code) assert.equal(err.code, code);
      // Every refusal after parsing is the one DecryptionError with one message (no oracle in the message).
      if (err instanceof DecryptionError && !/p2c/.test(err.message))
        assert.equal(err.message, 'JWE decryption failed');
      return true;
    },
    `Tessera accepted a JWE Wycheproof marks invalid (${t.comment})`,
  );
}

function wycheproof(): void {
  const dir = join(VECTORS, 'wycheproof-jose');
  const files = { enc: 'json_web_encryption_test.json', crypto: 'json_web_crypto_test.json' } as const;
  const ids = new Set<string>();
  const counts = { valid: 0, invalid: 0, acceptable: 0, policy: 0 };
  for (const [prefix, file] of Object.entries(files)) {
    const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { testGroups: WycheproofGroup[] };
    data.testGroups
      .filter((g) => g.tests.some((t) => t.jwe !== undefined))
      .forEach((g, index) => {
        const k = g.private;
        describe(`Wycheproof ${file} group ${index + 1}: ${g.comment ?? g.type} (${k.kty}${k.crv ? ` ${k.crv}` : ''} alg ${k.alg ?? '-'})`, () => {
          for (const t of g.tests) {
            if (t.jwe === undefined) continue;
            const id = `${prefix}:${t.tcId}`;
            ids.add(id);
            const policy = POLICY[id];
            if (policy) counts.policy++;
            else counts[t.result]++;
            test(`tc${t.tcId} ${t.comment} (${t.result})${policy ? ' [POLICY]' : ''}`, () => {
              const c: Case = { id, jwe: t.jwe, key: k, t };
              if (policy) policy.check(c);
              else runWycheproof(c);
            });
          }
        });
      });
  }
  test('every POLICY and PINNED entry names a real JWE case, and the JWE case counts are as published', () => {
    for (const id of [...Object.keys(POLICY), ...Object.keys(PINNED)])
      assert.ok(ids.has(id), `${id} is not a JWE case`);
    assert.equal([...ids].filter((i) => i.startsWith('enc:')).length, 139);
    assert.equal([...ids].filter((i) => i.startsWith('crypto:')).length, 34);
    console.log(
      `Wycheproof JWE: ${counts.valid} valid, ${counts.invalid} invalid, ${counts.acceptable} acceptable, ${counts.policy} policy (asserted) — ${ids.size} cases`,
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------

if (hasShared && existsSync(VECTORS)) {
  rfcExamples();
  cookbook();
  wycheproof();
} else {
  const why = `vectors not found at ${VECTORS} (set TESSERA_SHARED to the shared folder)`;
  if (process.env.CI) {
    test('JWE vectors are present', () => assert.fail(why));
  } else {
    console.warn(`vectors-jwe: SKIPPED — ${why}`);
    test('JWE vectors are present', { skip: why }, () => {});
  }
}
