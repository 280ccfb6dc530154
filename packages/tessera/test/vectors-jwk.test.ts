// Conformance: JWK import/export and JWK thumbprints against published vectors (../shared/vectors):
//
//  * Wycheproof x25519_jwk_test.json (531 tests) and x448_jwk_test.json (523) — C2SP/wycheproof @ dac1dd47,
//    XdhJwkComp groups: each test has a `public` and a `private` OKP JWK and the shared secret of the two.
//    Tessera has no key agreement yet (ECDH-ES is the JWE issue), so what is checked here is the JWKs themselves:
//      - valid: both JWKs import (kty OKP, crv X25519|X448, type public|private), toJWK({ private: true }) gives
//        back exactly the JWK's members (kid included), and the Key's thumbprint is calculateJWKThumbprint of the
//        public JWK (and, for the private key, of the private JWK: so the vector's x is d's public key);
//      - acceptable: the flags (low-order, twist, non-canonical points, all-zero shared secret …) are about the
//        shared-secret computation, not the JWK; SHARED_SECRET_FLAGS documents each. The JWKs are well-formed and
//        Tessera imports them unchanged — asserted, so that a future import-time policy is a deliberate change;
//      - invalid: JWK_INVALID lists the tests whose public JWK is itself malformed (wrong or missing kty, missing
//        crv/x, an X448 x of 57 bytes): importKey must refuse it with JWKError or InvalidKeyError.
//        OTHER_GROUP lists the tests whose public JWK is a perfectly good key of another curve (P-256, X448 for an
//        X25519 private key, …): the invalidity is the pairing, which only ECDH-ES can see (JWE issue); asserted
//        here: the JWK imports as what it is, never as a key of the test's curve.
//  * RFC 7517 A.1–A.3 (JWK Sets), B (x5c), C (the RSA private JWK that C encrypts), RFC 8037 A.1/A.2 (Ed25519) and
//    the X25519/X448 keys of A.6/A.7 (../shared/vectors/rfc-examples): every JWK and JWK Set imports with the
//    right type/kty/crv, and toJWK({ private: true }) gives back the key members (x5c is not a key member: dropped).
//  * RFC 7638 §3.1 thumbprint (rfc7638.json) and the RFC 9278 URI form (the vector has no URI example, so the URI
//    is checked as prefix + the RFC thumbprint). RFC 8037 A.3 is in vectors-rfc.test.ts.
//  * JOSE Cookbook (RFC 7520 §3) jwk/*.json and the keys of curve25519/*.json: import, type, members round trip.
//
// KNOWN_BUGS run as `todo` tests (reported, not failing the suite) with the expected outcome asserted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  calculateJWKThumbprint,
  calculateJWKThumbprintURI,
  importKey,
  InvalidKeyError,
  JWKError,
  JWKSet,
} from 'tessera-jwt';
import type { JWK, Key } from 'tessera-jwt';
import { hasShared, VECTORS } from './helpers/paths.js';

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers

/** The JWK members a Key carries: key material and kid/alg/use/key_ops. Anything else (x5c, …) is not kept. */
const KEY_MEMBERS = [
  'kty',
  'crv',
  'x',
  'y',
  'd',
  'n',
  'e',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
  'k',
  'kid',
  'alg',
  'use',
  'key_ops',
];
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

const keyMembers = (jwk: JWK): JWK =>
  Object.fromEntries(Object.entries(jwk).filter(([name]) => KEY_MEMBERS.includes(name))) as JWK;
const publicHalf = (jwk: JWK): JWK =>
  Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.includes(name))) as JWK;
const b64uToHex = (value: string): string => Buffer.from(value, 'base64url').toString('hex');
const hexToB64u = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');
const isKeyRefusal = (err: unknown): boolean => err instanceof JWKError || err instanceof InvalidKeyError;

function expectedType(jwk: JWK): Key['type'] {
  if (jwk.kty === 'oct') return 'secret';
  return jwk.d !== undefined ? 'private' : 'public';
}

/** "… imports as a private EC P-521 key", from the JWK itself. */
const typeLabel = (jwk: JWK): string => `${expectedType(jwk)} ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ''}`;

/** The import, type and round-trip tests every published JWK gets. */
function jwkTests(name: string, jwk: JWK): void {
  test(`${name}: importKey gives a ${typeLabel(jwk)} key with the JWK's kid, alg and use`, () => {
    const key = importKey(jwk);
    assert.equal(key.type, expectedType(jwk));
    assert.equal(key.kty, jwk.kty);
    assert.equal(key.crv, jwk.crv);
    assert.equal(key.kid, jwk.kid);
    assert.equal(key.alg, jwk.alg);
    assert.equal(key.use, jwk.use);
  });
  test(`${name}: toJWK({ private: true }) gives back the JWK's key members`, () => {
    assert.deepEqual(importKey(jwk).toJWK({ private: true }), keyMembers(jwk));
  });
  if (jwk.kty !== 'oct') {
    test(`${name}: toJWK({ private: false }) gives the public members only`, () => {
      assert.deepEqual(importKey(jwk).toJWK({ private: false }), publicHalf(keyMembers(jwk)));
    });
  }
  test(`${name}: the Key's thumbprint is calculateJWKThumbprint of the JWK`, () => {
    assert.equal(importKey(jwk).thumbprint(), calculateJWKThumbprint(jwk));
  });
}

function load<T>(...path: string[]): T {
  return JSON.parse(readFileSync(join(VECTORS, ...path), 'utf8')) as T;
}

// ---------------------------------------------------------------------------------------------------------------
// Wycheproof XdhJwkComp

interface XdhTest {
  tcId: number;
  comment: string;
  flags: string[];
  public: JWK;
  private: JWK;
  shared: string;
  result: 'valid' | 'acceptable' | 'invalid';
}

/**
 * Why an `acceptable` X25519/X448 test is acceptable, per flag (the notes of the vector files). All of them are
 * about the shared secret (RFC 7748 §5–§7), i.e. ECDH-ES in the JWE issue; none makes the JWK malformed.
 */
const SHARED_SECRET_FLAGS: Record<string, string> = {
  Twist:
    'the public key is a point on the twist; X25519/X448 are defined there (RFC 7748 §5), libraries may accept or reject',
  LowOrderPublic: 'a low-order public point; rejecting it is allowed but not required by RFC 7748',
  ZeroSharedSecret: 'the shared secret is all zeros; RFC 7748 §6.1 asks the key agreement (ECDH-ES) to check for it',
  SmallPublicKey:
    'the public key does not belong to any valid private key; a key-agreement policy, not a JWK format rule',
  NonCanonicalPublic:
    'u ≥ p: RFC 7748 §5 defines the value and §7 recommends accepting it; still 32/56 bytes, a well-formed JWK',
  SpecialPublicKey: 'an arithmetic edge case of the scalar multiplication',
  EdgeCaseMultiplication: 'an arithmetic edge case of the scalar multiplication',
  EdgeCaseShared: 'the shared secret is an arithmetic edge case',
  EdgeCasePrivateKey: 'the private scalar is an edge case (clamping)',
  Ktv: 'a known test vector (RFC 7748 §5.2)',
};

interface XdhFile {
  file: string;
  crv: 'X25519' | 'X448';
  count: number;
  /** tcId → why the public JWK itself is invalid. */
  jwkInvalid: Record<number, string>;
  /** tcId → the kty/crv of the (valid) public JWK of another group. */
  otherGroup: Record<number, string>;
  /** tcId → the bug (the test asserts the correct behaviour and runs as todo). */
  knownBugs: Record<number, string>;
}

const XDH_FILES: XdhFile[] = [
  {
    file: 'x25519_jwk_test.json',
    crv: 'X25519',
    count: 531,
    jwkInvalid: {
      524: 'kty is the empty string',
      525: 'kty "EC" with crv X25519 and no y',
      526: 'kty "RSA" with OKP members',
      527: 'kty "oct" with OKP members',
      528: 'the empty object {}',
      529: 'no kty',
      530: 'no crv',
      531: 'no x',
    },
    otherGroup: { 519: 'EC P-256', 520: 'EC P-384', 521: 'EC P-521', 522: 'EC secp256k1', 523: 'OKP X448' },
    knownBugs: {},
  },
  {
    file: 'x448_jwk_test.json',
    crv: 'X448',
    count: 523,
    jwkInvalid: {
      ...Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [76 + i, 'x is 57 bytes (449 bits): an X448 public key is 56 bytes']),
      ),
      516: 'kty is the empty string',
      517: 'kty "EC" with crv X448 and no y',
      518: 'kty "RSA" with OKP members',
      519: 'kty "oct" with OKP members',
      520: 'the empty object {}',
      521: 'no kty',
      522: 'no crv',
      523: 'no x',
    },
    otherGroup: { 511: 'EC P-256', 512: 'EC P-384', 513: 'EC P-521', 514: 'EC secp256k1', 515: 'OKP X25519' },
    knownBugs: {},
  },
];

/** Runs `check` on every test, collecting failures by tcId, so one assertion reports them all. */
function everyTest(tests: XdhTest[], check: (t: XdhTest) => void): void {
  const failures: string[] = [];
  for (const t of tests) {
    try {
      check(t);
    } catch (err) {
      failures.push(`tc${t.tcId}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  assert.deepEqual(failures, []);
}

function xdhTests(spec: XdhFile): void {
  const data = load<{ numberOfTests: number; testGroups: Array<{ type: string; curve: string; tests: XdhTest[] }> }>(
    'wycheproof-jose',
    spec.file,
  );
  const tests = data.testGroups.flatMap((g) => g.tests);
  const valid = tests.filter((t) => t.result === 'valid');
  const acceptable = tests.filter((t) => t.result === 'acceptable');
  const invalid = tests.filter((t) => t.result === 'invalid');
  const { crv } = spec;

  describe(`Wycheproof ${spec.file}: ${crv} keys as OKP JWKs`, () => {
    test(`the file has ${spec.count} tests in XdhJwkComp groups (${valid.length} valid, ${acceptable.length} acceptable, ${invalid.length} invalid)`, () => {
      assert.equal(data.numberOfTests, spec.count);
      assert.equal(tests.length, spec.count);
      assert.ok(data.testGroups.every((g) => g.type === 'XdhJwkComp'));
    });

    test(`every invalid test is classified: its public JWK is malformed (JWK_INVALID) or a key of another group (OTHER_GROUP)`, () => {
      const classified = [...Object.keys(spec.jwkInvalid), ...Object.keys(spec.otherGroup)]
        .map(Number)
        .sort((a, b) => a - b);
      assert.deepEqual(
        invalid.map((t) => t.tcId).sort((a, b) => a - b),
        classified,
      );
    });

    test('every flag of an acceptable test is documented in SHARED_SECRET_FLAGS (none concerns the JWK format)', () => {
      const undocumented = [...new Set(acceptable.flatMap((t) => t.flags))].filter((f) => !SHARED_SECRET_FLAGS[f]);
      assert.deepEqual(undocumented, []);
    });

    // valid
    test(`all ${valid.length} valid public JWKs import as public OKP ${crv} keys`, () => {
      everyTest(valid, (t) => {
        const key = importKey(t.public);
        assert.deepEqual([key.type, key.kty, key.crv], ['public', 'OKP', crv]);
      });
    });
    test(`all ${valid.length} valid private JWKs import as private OKP ${crv} keys`, () => {
      everyTest(valid, (t) => {
        const key = importKey(t.private);
        assert.deepEqual([key.type, key.kty, key.crv], ['private', 'OKP', crv]);
      });
    });
    test(`all ${valid.length} valid public JWKs round-trip through toJWK({ private: true }) to the same members (kid included)`, () => {
      everyTest(valid, (t) => assert.deepEqual(importKey(t.public).toJWK({ private: true }), t.public));
    });
    test(`all ${valid.length} valid private JWKs round-trip through toJWK({ private: true }) to the same members (kid included)`, () => {
      everyTest(valid, (t) => assert.deepEqual(importKey(t.private).toJWK({ private: true }), t.private));
    });
    test(`the thumbprint of each of the ${valid.length} valid public keys is calculateJWKThumbprint of its public JWK`, () => {
      everyTest(valid, (t) => assert.equal(importKey(t.public).thumbprint(), calculateJWKThumbprint(t.public)));
    });
    test(`the thumbprint of each of the ${valid.length} valid private keys is calculateJWKThumbprint of its JWK (the vector's x is d's public key)`, () => {
      everyTest(valid, (t) => {
        const key = importKey(t.private);
        assert.equal(key.thumbprint(), calculateJWKThumbprint(t.private));
        assert.equal(key.thumbprint(), calculateJWKThumbprint(publicHalf(t.private)));
      });
    });
    test(`the x of each of the ${valid.length} valid private JWKs is what node:crypto derives from d (an independent check of the vectors)`, () => {
      everyTest(valid, (t) => {
        const derived = createPublicKey(
          createPrivateKey({ key: t.private as import('node:crypto').JsonWebKey, format: 'jwk' }),
        ).export({ format: 'jwk' });
        assert.equal(derived.x, t.private.x);
      });
    });

    // acceptable
    test(`all ${acceptable.length} acceptable public JWKs import as public OKP ${crv} keys and round-trip unchanged (acceptability concerns the shared secret: JWE)`, () => {
      everyTest(acceptable, (t) => {
        const key = importKey(t.public);
        assert.deepEqual([key.type, key.kty, key.crv], ['public', 'OKP', crv]);
        assert.deepEqual(key.toJWK(), t.public);
        assert.equal(key.thumbprint(), calculateJWKThumbprint(t.public));
      });
    });
    test(`all ${acceptable.length} acceptable private JWKs import as private OKP ${crv} keys and round-trip unchanged`, () => {
      everyTest(acceptable, (t) => {
        const key = importKey(t.private);
        assert.deepEqual([key.type, key.kty, key.crv], ['private', 'OKP', crv]);
        assert.deepEqual(key.toJWK({ private: true }), t.private);
      });
    });

    // invalid
    test(`the ${invalid.length} private JWKs of the invalid tests are well-formed and import (only the public JWK is at fault)`, () => {
      everyTest(invalid, (t) => assert.deepEqual(importKey(t.private).toJWK({ private: true }), t.private));
    });
    for (const t of invalid) {
      const malformed = spec.jwkInvalid[t.tcId];
      if (malformed !== undefined) {
        const bug = spec.knownBugs[t.tcId];
        if (bug) {
          test(`tc${t.tcId} ${t.comment}: importKey refuses the public JWK (${malformed})`, () => {
            assert.throws(() => importKey(t.public));
          });
        }
        test(
          `tc${t.tcId} ${t.comment}: importKey refuses the public JWK with JWKError or InvalidKeyError (${malformed})${bug ? ' [KNOWN BUG]' : ''}`,
          bug ? { todo: bug } : {},
          () => {
            assert.throws(
              () => importKey(t.public),
              (err: unknown) => {
                assert.ok(
                  isKeyRefusal(err),
                  `expected JWKError or InvalidKeyError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
                );
                return true;
              },
            );
          },
        );
        continue;
      }
      const other = spec.otherGroup[t.tcId]!;
      test(`tc${t.tcId} ${t.comment}: the public JWK imports as the ${other} key it is, never as ${crv} (the pairing is ECDH-ES's check: JWE)`, () => {
        const key = importKey(t.public);
        assert.equal(`${key.kty} ${key.crv}`, other);
        assert.equal(`${t.public.kty} ${t.public.crv}`, other);
        assert.notEqual(key.crv, crv);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// RFC examples

interface RfcExample {
  id: string;
  section: string;
  title: string;
  kind: string;
  jwk?: JWK;
  jwks?: { keys: JWK[] };
  plaintext_jwk?: JWK;
  plaintext?: string;
  d_hex?: string;
  x_hex?: string;
  canonical_json?: string;
  hash?: string;
  thumbprint_b64u?: string;
  derived?: { thumbprints_sha256: Record<string, string> };
  recipient_public_jwk?: JWK;
  recipient_private_hex?: string;
  recipient_public_hex?: string;
  ephemeral_private_hex?: string;
  ephemeral_public_hex?: string;
  epk?: JWK;
  key?: JWK;
}

const examples = (file: string) =>
  new Map(load<{ examples: RfcExample[] }>('rfc-examples', file).examples.map((e) => [e.id, e]));

function rfc7517Tests(): void {
  const byId = examples('rfc7517.json');
  const get = (id: string) => byId.get(id) ?? assert.fail(`example ${id} is missing`);
  const a1 = get('rfc7517-A.1');
  const a2 = get('rfc7517-A.2');
  const a3 = get('rfc7517-A.3');
  const b = get('rfc7517-B');
  const c = get('rfc7517-C');

  describe('RFC 7517 Appendix A.1: public keys (JWK Set)', () => {
    for (const jwk of a1.jwks!.keys) jwkTests(`A.1 kid "${jwk.kid}"`, jwk);
    test('A.1: JWKSet.from imports both keys, and get(kid) returns each with its members', () => {
      const set = JWKSet.from(a1.jwks!);
      assert.equal(set.size, 2);
      for (const jwk of a1.jwks!.keys) assert.deepEqual(set.get(jwk.kid!)?.toJWK(), jwk);
    });
    test('A.1: JWKSet.from(…).toJSON() gives back the JWK Set', () => {
      assert.deepEqual(JWKSet.from(a1.jwks!).toJSON(), a1.jwks);
    });
    test("A.1: the RSA key's thumbprint is RFC 7638 §3.1's, the EC key's the vector's computed one", () => {
      const set = JWKSet.from(a1.jwks!);
      for (const [kid, thumbprint] of Object.entries(a1.derived!.thumbprints_sha256))
        assert.equal(set.get(kid)?.thumbprint(), thumbprint);
      assert.equal(a1.derived!.thumbprints_sha256['2011-04-29'], 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    });
  });

  describe('RFC 7517 Appendix A.2: private keys (JWK Set)', () => {
    for (const jwk of a2.jwks!.keys) jwkTests(`A.2 kid "${jwk.kid}"`, jwk);
    test("A.2: each private key's publicKey() exports the A.1 public key with the same kid", () => {
      for (const jwk of a2.jwks!.keys) {
        assert.deepEqual(
          importKey(jwk).publicKey().toJWK(),
          a1.jwks!.keys.find((k) => k.kid === jwk.kid),
        );
      }
    });
    test('A.2: JWKSet.from keeps the private keys (type private)', () => {
      assert.deepEqual(
        JWKSet.from(a2.jwks!).keys.map((k) => k.type),
        ['private', 'private'],
      );
    });
    test('A.2: JWKSet.from(A.2).toJSON() publishes the public halves only, which is A.1', () => {
      assert.deepEqual(JWKSet.from(a2.jwks!).toJSON(), a1.jwks);
    });
    test('A.2: JWKSet.from with publicOnly refuses the private set (JWKError)', () => {
      assert.throws(() => JWKSet.from(a2.jwks!, { publicOnly: true }), JWKError);
    });
  });

  describe('RFC 7517 Appendix A.3: symmetric keys (JWK Set)', () => {
    for (const [i, jwk] of a3.jwks!.keys.entries()) jwkTests(`A.3 key ${i + 1} (${jwk.alg ?? jwk.kid})`, jwk);
    test('A.3: the A128KW key is 16 bytes and the HMAC key 64', () => {
      assert.deepEqual(
        a3.jwks!.keys.map((k) => importKey(k).keyObject.symmetricKeySize),
        [16, 64],
      );
    });
    test('A.3: JWKSet.from imports both secrets, and toJSON() publishes neither', () => {
      const set = JWKSet.from(a3.jwks!);
      assert.deepEqual(
        set.keys.map((k) => k.type),
        ['secret', 'secret'],
      );
      assert.deepEqual(set.toJSON(), { keys: [] });
    });
    test('A.3: the HMAC key is the RFC 7515 A.1 key (same k)', () => {
      const hmac = examples('rfc7515.json').get('rfc7515-A.1')!.key!;
      assert.equal(a3.jwks!.keys[1]!.k, hmac.k);
    });
  });

  describe('RFC 7517 Appendix B: a JWK with x5c', () => {
    jwkTests('B', b.jwk!);
    test('B: x5c is not a key member: toJWK drops it, and it is the only member dropped', () => {
      const exported = importKey(b.jwk!).toJWK({ private: true });
      assert.deepEqual(
        Object.keys(b.jwk!).filter((name) => !(name in exported)),
        ['x5c'],
      );
    });
    test("B: the x5c certificate, imported as PEM, holds the JWK's public key (n, e)", () => {
      const der = Buffer.from(b.jwk!.x5c![0]!, 'base64');
      const pem = new X509Certificate(der).toString();
      const fromCertificate = importKey(pem).toJWK();
      assert.deepEqual(fromCertificate, { kty: 'RSA', n: b.jwk!.n, e: b.jwk!.e });
    });
  });

  describe('RFC 7517 Appendix C: the RSA private JWK that C encrypts', () => {
    test('C: plaintext_jwk is the JSON text of the plaintext', () => {
      assert.deepEqual(JSON.parse(c.plaintext!), c.plaintext_jwk);
    });
    jwkTests('C', c.plaintext_jwk!);
  });
}

function rfc7638Tests(): void {
  const e = examples('rfc7638.json').get('rfc7638-3.1')!;
  const jwk = e.jwk!;
  const canonical = e.canonical_json!;
  const rfcThumbprint = e.thumbprint_b64u!;
  const digest = (name: string) => createHash(name).update(canonical, 'utf8').digest('base64url');

  describe('RFC 7638 §3.1: JWK thumbprint of the RFC 7517 A.1 RSA key', () => {
    test("the RFC's canonical JSON hashes (SHA-256) to the RFC's thumbprint (the vector is self-consistent)", () => {
      assert.equal(e.hash, 'SHA-256');
      assert.equal(digest('sha256'), rfcThumbprint);
      assert.equal(rfcThumbprint, 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    });
    test("calculateJWKThumbprint(jwk) is the RFC's thumbprint, with the digest named or by default", () => {
      assert.equal(calculateJWKThumbprint(jwk), rfcThumbprint);
      assert.equal(calculateJWKThumbprint(jwk, 'sha256'), rfcThumbprint);
    });
    test("importKey(jwk).thumbprint() is the RFC's thumbprint", () => {
      assert.equal(importKey(jwk).thumbprint(), rfcThumbprint);
    });
    test("the thumbprint ignores the JWK's alg and kid (only e, kty, n count)", () => {
      assert.ok(jwk.alg !== undefined && jwk.kid !== undefined);
      assert.equal(calculateJWKThumbprint({ kty: jwk.kty, n: jwk.n, e: jwk.e }), rfcThumbprint);
    });
    test("SHA-384 and SHA-512 thumbprints are those digests of the RFC's canonical JSON", () => {
      assert.equal(calculateJWKThumbprint(jwk, 'sha384'), digest('sha384'));
      assert.equal(calculateJWKThumbprint(jwk, 'sha512'), digest('sha512'));
      assert.equal(importKey(jwk).thumbprint('sha512'), digest('sha512'));
    });
    test('calculateJWKThumbprintURI is "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + the RFC thumbprint (RFC 9278 §3)', () => {
      assert.equal(calculateJWKThumbprintURI(jwk), `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${rfcThumbprint}`);
      assert.equal(
        calculateJWKThumbprintURI(jwk, 'sha256'),
        `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${rfcThumbprint}`,
      );
    });
    test('calculateJWKThumbprintURI names sha-384 and sha-512 with their hash names from the IANA registry (RFC 9278 §3)', () => {
      assert.equal(
        calculateJWKThumbprintURI(jwk, 'sha384'),
        `urn:ietf:params:oauth:jwk-thumbprint:sha-384:${digest('sha384')}`,
      );
      assert.equal(
        calculateJWKThumbprintURI(jwk, 'sha512'),
        `urn:ietf:params:oauth:jwk-thumbprint:sha-512:${digest('sha512')}`,
      );
    });
  });
}

function rfc8037Tests(): void {
  const byId = examples('rfc8037.json');
  const get = (id: string) => byId.get(id) ?? assert.fail(`example ${id} is missing`);
  const a1 = get('rfc8037-A.1');
  const a2 = get('rfc8037-A.2');

  describe('RFC 8037 Appendix A: OKP keys', () => {
    jwkTests('A.1 Ed25519 private key', a1.jwk!);
    jwkTests('A.2 Ed25519 public key', a2.jwk!);
    test("A.1: d and x are the RFC's hex values", () => {
      assert.equal(b64uToHex(a1.jwk!.d!), a1.d_hex);
      assert.equal(b64uToHex(a1.jwk!.x!), a1.x_hex);
    });
    test("A.1/A.2: the private key's publicKey() exports the A.2 public JWK", () => {
      assert.deepEqual(importKey(a1.jwk!).publicKey().toJWK(), a2.jwk);
    });

    for (const [id, crv] of [
      ['rfc8037-A.6', 'X25519'],
      ['rfc8037-A.7', 'X448'],
    ] as const) {
      const e = get(id);
      const section = e.section;
      jwkTests(`${section} ${crv} recipient public key`, e.recipient_public_jwk!);
      jwkTests(`${section} ${crv} ephemeral public key (epk)`, e.epk!);
      test(`${section}: the recipient public JWK's x and the epk's x are the RFC's hex public keys`, () => {
        assert.equal(b64uToHex(e.recipient_public_jwk!.x!), e.recipient_public_hex);
        assert.equal(b64uToHex(e.epk!.x!), e.ephemeral_public_hex);
      });
      test(`${section}: the RFC's ${crv} recipient private key, as a JWK, imports and its public half is the recipient's JWK`, () => {
        const jwk: JWK = { kty: 'OKP', crv, d: hexToB64u(e.recipient_private_hex!), x: e.recipient_public_jwk!.x! };
        const key = importKey(jwk);
        assert.equal(key.type, 'private');
        assert.equal(key.toJWK({ private: false }).x, e.recipient_public_jwk!.x);
        assert.deepEqual(key.toJWK({ private: true }), jwk);
      });
      test(`${section}: the RFC's ${crv} ephemeral private key, as a JWK, imports and its public half is the epk`, () => {
        const jwk: JWK = { kty: 'OKP', crv, d: hexToB64u(e.ephemeral_private_hex!), x: e.epk!.x! };
        assert.deepEqual(importKey(jwk).toJWK({ private: false }), e.epk);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// JOSE Cookbook

function cookbookTests(): void {
  const dir = join(VECTORS, 'jose-cookbook');
  const files = readdirSync(join(dir, 'jwk'))
    .filter((f) => f.endsWith('.json'))
    .sort();
  const jwkOf = (file: string) => load<JWK>('jose-cookbook', 'jwk', file);

  describe('JOSE Cookbook (RFC 7520 §3): jwk/*.json', () => {
    test('there are the six RFC 7520 §3 keys', () => {
      assert.deepEqual(
        files.map((f) => f.slice(0, 3)),
        ['3_1', '3_2', '3_3', '3_4', '3_5', '3_6'],
      );
    });
    for (const file of files) jwkTests(`jwk/${file}`, jwkOf(file));
    test('jwk/3_2 (EC private key): its public half is jwk/3_1', () => {
      assert.deepEqual(importKey(jwkOf(files[1]!)).toJWK({ private: false }), jwkOf(files[0]!));
    });
    test('jwk/3_4 (RSA private key): its public half is jwk/3_3', () => {
      assert.deepEqual(importKey(jwkOf(files[3]!)).toJWK({ private: false }), jwkOf(files[2]!));
    });
    test('jwk/3_5 (HMAC) and jwk/3_6 (AES-GCM) secrets refuse a PEM form and a public half (InvalidKeyError)', () => {
      for (const file of [files[4]!, files[5]!]) {
        const key = importKey(jwkOf(file));
        assert.throws(() => key.toPEM(), InvalidKeyError);
        assert.throws(() => key.toJWK({ private: false }), InvalidKeyError);
        assert.throws(() => key.toJWK(), InvalidKeyError);
      }
    });
  });

  describe('JOSE Cookbook curve25519/: the Ed25519 and X25519 keys', () => {
    const jws = load<{ input: { key: JWK } }>('jose-cookbook', 'curve25519', 'jws.json');
    const ecdh = load<{
      input: { key: JWK };
      encrypting_key: { epk: JWK };
      encrypting_content: { protected: { epk: JWK } };
    }>('jose-cookbook', 'curve25519', 'ecdh-es.json');
    jwkTests('curve25519/jws.json input.key (Ed25519)', jws.input.key);
    jwkTests('curve25519/ecdh-es.json input.key (X25519, kid "Bob")', ecdh.input.key);
    test('curve25519/jws.json input.key is the RFC 8037 A.1 private key plus "use"', () => {
      const a1 = examples('rfc8037.json').get('rfc8037-A.1')!.jwk!;
      assert.deepEqual({ ...jws.input.key, use: undefined }, { ...a1, use: undefined });
    });

    // Erratum of the vector: encrypting_key.epk.x is not the public key of encrypting_key.epk.d. The epk in the
    // protected header (what the JWE actually carries) is. Checked with node:crypto, independently of Tessera.
    const epk = ecdh.encrypting_key.epk;
    const headerEpk = ecdh.encrypting_content.protected.epk;
    test("curve25519/ecdh-es.json erratum: encrypting_key.epk.x is not d's public key; the protected header's epk.x is", () => {
      const derived = createPublicKey(
        createPrivateKey({ key: epk as import('node:crypto').JsonWebKey, format: 'jwk' }),
      ).export({ format: 'jwk' });
      assert.notEqual(epk.x, headerEpk.x);
      assert.equal(derived.x, headerEpk.x);
    });
    jwkTests("curve25519/ecdh-es.json encrypting_key.epk with the header's x (erratum corrected)", {
      ...epk,
      x: headerEpk.x!,
    });
    test("curve25519/ecdh-es.json encrypting_key.epk as published: its public half is the protected header's epk", () => {
      // Whatever importKey decides about the inconsistent x (see the next test), it must never export the wrong one.
      let exported: JWK | undefined;
      try {
        exported = importKey(epk).toJWK({ private: false });
      } catch (err) {
        assert.ok(isKeyRefusal(err), String(err));
        return;
      }
      assert.deepEqual(exported, headerEpk);
    });
    test("curve25519/ecdh-es.json encrypting_key.epk as published (x ≠ d's public key): importKey refuses it (JWKError)", () => {
      assert.throws(() => importKey(epk), JWKError);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------

if (
  hasShared &&
  existsSync(join(VECTORS, 'wycheproof-jose')) &&
  existsSync(join(VECTORS, 'rfc-examples')) &&
  existsSync(join(VECTORS, 'jose-cookbook'))
) {
  for (const spec of XDH_FILES) xdhTests(spec);
  rfc7517Tests();
  rfc7638Tests();
  rfc8037Tests();
  cookbookTests();
} else {
  const why = `JWK vectors not found in ${VECTORS} (set TESSERA_SHARED to the shared folder)`;
  if (process.env.CI) {
    test('JWK vectors are present', () => assert.fail(why));
  } else {
    console.warn(`vectors-jwk: SKIPPED — ${why}`);
    test('JWK vectors are present', { skip: why }, () => {});
  }
}
