// Conformance: Wycheproof JOSE (C2SP/wycheproof @ dac1dd47, ../shared/vectors/wycheproof-jose/) — all 401 tests of
// json_web_signature_test.json, the 26 of json_web_key_test.json and the JWS tests of json_web_crypto_test.json
// (tc1–49; its tc50–83 are JWEs and belong to the JWE issue).
//
// The harness (wycheproof-jose/PROVENANCE.md):
//  * key: the group's `public` JWK, else its `private` one (oct keys). A key set (`{"keys": [...]}`, all in
//    json_web_key_test.json and json_web_crypto_test.json tc47–49) is built with `JWKSet.from(set)` inside the
//    assertion, so a set that JWKSet.from refuses counts as a refusal; a set with one member is also run with that
//    member alone as a plain JWK (the test named "… (its one JWK alone)"), as before JWKSet existed.
//  * allowlist: the JWK's `alg` when Tessera implements it, else (and for every key set) every algorithm Tessera
//    implements — so the key (set) alone (its alg, use, key_ops, type, curve, size, kids) has to refuse the token.
//  * valid → verifyJWS returns the payload segment's bytes; invalid → throws a JWTError (a TypeError would mean the
//    harness misused the API); acceptable → either outcome, reported as a diagnostic. Where Wycheproof tests the key
//    itself, KEY_ERRORS (a JWK) and SET_ERRORS (a key set) also pin the error class and code, so a rejection for an
//    unrelated reason does not count.
//  * POLICY: cases where Tessera deliberately differs from `result`; each has its reason and asserts what Tessera
//    does instead. KNOWN_BUGS: cases Tessera gets wrong today; they run as `todo` tests (reported, not failing the
//    suite) with the expected outcome asserted, until src is fixed — then the entry is deleted.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DecodeError,
  InvalidKeyError,
  InvalidSignatureError,
  JWKError,
  JWKSet,
  JWKSetError,
  JWS_ALGORITHMS,
  JWTError,
  NoMatchingKeyError,
  verifyJWS,
} from 'tessera-jwt';
import type { JWK } from 'tessera-jwt';
import { hasShared, VECTORS } from './helpers/paths.js';

const DIR = join(VECTORS, 'wycheproof-jose');
const FILES = {
  signature: 'json_web_signature_test.json',
  key: 'json_web_key_test.json',
  crypto: 'json_web_crypto_test.json',
} as const;
type FileId = keyof typeof FILES;

interface KeySet {
  keys: JWK[];
}
interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid' | 'acceptable';
  jws?: string | object;
  jwe?: unknown;
}
interface WycheproofGroup {
  type: string;
  comment?: string;
  private: JWK | KeySet;
  public?: JWK | KeySet;
  tests: WycheproofTest[];
}
/** One case, ready to run. */
interface Case {
  jws: string;
  key: JWK | KeySet;
  algorithms: string[];
}
type ErrorClass = new (...args: never[]) => Error;

// ---------------------------------------------------------------------------------------------------------------
// POLICY: `file:tcId` → why Tessera's answer differs from Wycheproof's, and the assertion of what it does instead.

interface Policy {
  reason: string;
  check: (c: Case) => void;
}

const jwsById = new Map<string, string>();

function isKeySet(key: JWK | KeySet): key is KeySet {
  return Array.isArray((key as KeySet).keys);
}

/** verifyJWS with the case's key: a key set goes through JWKSet.from first (inside the call, so its refusal counts). */
function verifyCase(c: Case, algorithms = c.algorithms) {
  return verifyJWS(c.jws, isKeySet(c.key) ? JWKSet.from(c.key) : c.key, { algorithms });
}
const refuses = (c: Case, algorithms: string[], error: ErrorClass) =>
  assert.throws(() => verifyCase(c, algorithms), error);
const verifies = (c: Case) => assert.doesNotThrow(() => verifyCase(c));
const FIG20 =
  'data quirk (RFC 7520 Figure 20): the JWK says "alg":"PS256" but the token is PS384. Tessera binds a JWK that names ' +
  'its alg to that alg (RFC 7517 §4.4, RFC 8725 §3.1): refused with InvalidKeyError even when the caller allows PS384';
const FIG27 =
  'data quirk (RFC 7520 Figure 27): the JWK says the non-standard "alg":"ES521" for an ES512 token. A JWK is bound to ' +
  'the alg it names (RFC 7517 §4.4): refused with InvalidKeyError even when the caller allows ES512';
const SAME_AS_357 =
  'data quirk: this jws is byte-identical to tc357 (ValidMac, valid); the "=" padding the comment describes is not in ' +
  'the v1 data, so no verifier can satisfy both. Tessera accepts it as tc357, and refuses the padded form with DecodeError';
const QUESTION_MARK =
  'strict base64url (RFC 7515 §2, RFC 4648 §3.3): "?" is outside the alphabet. The MAC is tc357\'s, i.e. over the text ' +
  'without "?", not over the signing input as received (RFC 7515 §5.2 step 8); only a decoder that skips bad characters and ' +
  're-encodes accepts it (the baseline notes jose also refuses it). Tessera:';

const POLICY: Record<string, Policy> = {
  'signature:346': { reason: FIG20, check: (c) => refuses(c, ['PS384'], InvalidKeyError) },
  'signature:350': { reason: FIG20, check: (c) => refuses(c, ['PS384'], InvalidKeyError) },
  'signature:347': { reason: FIG27, check: (c) => refuses(c, ['ES512'], InvalidKeyError) },
  'signature:351': { reason: FIG27, check: (c) => refuses(c, ['ES512'], InvalidKeyError) },
  'signature:367': {
    reason: SAME_AS_357,
    check: (c) => {
      assert.equal(c.jws, jwsById.get('signature:357'));
      verifies(c);
      refuses({ ...c, jws: `${c.jws}=` }, c.algorithms, DecodeError);
    },
  },
  'signature:370': {
    reason: SAME_AS_357,
    check: (c) => {
      assert.equal(c.jws, jwsById.get('signature:357'));
      verifies(c);
      refuses({ ...c, jws: c.jws.replace('.VGVzdA.', '.VGVzdA==.') }, c.algorithms, DecodeError);
    },
  },
  'signature:372': {
    reason: `${QUESTION_MARK} DecodeError (header not canonical base64url)`,
    check: (c) => refuses(c, c.algorithms, DecodeError),
  },
  'signature:373': {
    reason: `${QUESTION_MARK} InvalidSignatureError (the MAC is checked before the payload is decoded)`,
    check: (c) => refuses(c, c.algorithms, InvalidSignatureError),
  },
};

// ---------------------------------------------------------------------------------------------------------------
// KNOWN_BUGS: `file:tcId` → what Tessera does wrong today. The case runs with its normal assertion as a `todo` test.

const KNOWN_BUGS: Record<string, string> = {};

// Tests of the key itself, given as one JWK (a set's one member alone): the refusal must come from the key, with this class.
const KEY_ERRORS: Record<string, ErrorClass> = {
  'signature:353': JWKError, // use "enc"
  'signature:354': JWKError,
  'signature:355': JWKError, // key_ops without "verify"
  'signature:356': JWKError,
  'key:6': InvalidKeyError, // an RSA1_5 (encryption) JWK
  'key:7': InvalidKeyError, // ROCA-vulnerable modulus (CVE-2017-15361)
  'key:8': InvalidKeyError, // 1024-bit RSA: RFC 7518 §3.3 requires 2048 bits or more
  'key:9': JWKError, // e = 1
  'key:10': InvalidKeyError, // HMAC keys shorter than the hash (RFC 7518 §3.2)
  'key:11': InvalidKeyError,
  'key:12': InvalidKeyError,
  'key:16': InvalidKeyError, // empty HMAC keys
  'key:17': InvalidKeyError,
  'key:18': InvalidKeyError,
  'key:19': InvalidKeyError, // alg ES521 on a P-256 key
  'key:20': InvalidKeyError, // alg ES224
  'key:21': JWKError, // use "enc"
  'key:22': JWKError, // point not on the curve
  'key:23': JWKError, // P-384 crv with P-256 coordinates
  'key:24': JWKError, // kty RSA with EC members
  'key:25': InvalidKeyError, // an A256GCM key
  'key:26': InvalidKeyError, // an A256KW key
  'crypto:46': InvalidKeyError, // ROCA
};

// Tests of a key set, built with JWKSet.from: the refusal must have this class and code. A set entry that is not a
// usable key is skipped by JWKSet.from (RFC 7517 §5), so a set whose only entry is bad is refused as a set with no
// usable key (JWKSetError); a usable key that may not verify this alg (use "enc", another alg) matches no key
// (NoMatchingKeyError); a usable key too weak or broken for the alg fails at verification (InvalidKeyError).
const SET_ERRORS: Record<string, [ErrorClass, string]> = {
  'key:1': [JWKSetError, 'ERR_JWKS_INVALID'], // symmetric and asymmetric keys in one set (RFC 8725 §2.1)
  'key:3': [InvalidSignatureError, 'ERR_JWS_SIGNATURE_INVALID'], // modified signature
  'key:4': [JWKSetError, 'ERR_JWKS_INVALID'], // duplicate kid
  'key:6': [NoMatchingKeyError, 'ERR_JWKS_NO_MATCHING_KEY'], // the only key is alg RSA1_5, use "enc"
  'key:7': [InvalidKeyError, 'ERR_KEY_INVALID'], // ROCA
  'key:8': [InvalidKeyError, 'ERR_KEY_INVALID'], // 1024-bit RSA
  'key:9': [JWKSetError, 'ERR_JWKS_INVALID'], // e = 1: the entry is skipped, no usable key
  'key:10': [InvalidKeyError, 'ERR_KEY_INVALID'], // HMAC keys shorter than the hash
  'key:11': [InvalidKeyError, 'ERR_KEY_INVALID'],
  'key:12': [InvalidKeyError, 'ERR_KEY_INVALID'],
  'key:16': [JWKSetError, 'ERR_JWKS_INVALID'], // empty HMAC keys: a Key cannot be empty, skipped, no usable key
  'key:17': [JWKSetError, 'ERR_JWKS_INVALID'],
  'key:18': [JWKSetError, 'ERR_JWKS_INVALID'],
  'key:19': [JWKSetError, 'ERR_JWKS_INVALID'], // alg ES521 on a P-256 key: skipped, no usable key
  'key:20': [JWKSetError, 'ERR_JWKS_INVALID'], // alg ES224: skipped
  'key:21': [NoMatchingKeyError, 'ERR_JWKS_NO_MATCHING_KEY'], // use "enc"
  'key:22': [JWKSetError, 'ERR_JWKS_INVALID'], // point not on the curve: skipped
  'key:23': [JWKSetError, 'ERR_JWKS_INVALID'], // P-384 crv with P-256 coordinates: skipped
  'key:24': [JWKSetError, 'ERR_JWKS_INVALID'], // kty RSA with EC members: skipped
  'key:25': [NoMatchingKeyError, 'ERR_JWKS_NO_MATCHING_KEY'], // an A256GCM key (alg binds it)
  'key:26': [NoMatchingKeyError, 'ERR_JWKS_NO_MATCHING_KEY'], // an A256KW key
  'crypto:47': [JWKSetError, 'ERR_JWKS_INVALID'], // symmetric and asymmetric keys in one set
  'crypto:49': [InvalidSignatureError, 'ERR_JWS_SIGNATURE_INVALID'], // modified signature
};

// ---------------------------------------------------------------------------------------------------------------

const counts = { total: 0, passed: 0, policyAsserted: 0, knownBugs: 0, setCases: 0 };

/** The allowlist the harness uses for a key (see the header comment). */
function allowlistFor(key: JWK | KeySet): string[] {
  const alg = isKeySet(key) ? undefined : key.alg;
  return alg !== undefined && JWS_ALGORITHMS.includes(alg) ? [alg] : [...JWS_ALGORITHMS];
}

function runCase(id: string, t: WycheproofTest, c: Case): void {
  if (t.result === 'valid') {
    const { payload } = verifyCase(c);
    const segment = c.jws.split('.')[1] ?? '';
    assert.deepEqual(Buffer.from(payload), Buffer.from(segment, 'base64url'));
    return;
  }
  if (t.result === 'acceptable') {
    let outcome = 'verifies';
    try {
      verifyCase(c);
    } catch (err) {
      assert.ok(err instanceof JWTError, `acceptable case threw a non-Tessera error: ${String(err)}`);
      outcome = `refused (${err.code})`;
    }
    console.log(`wycheproof ${id} (acceptable): Tessera ${outcome}`);
    return;
  }
  const [expected, code] = isKeySet(c.key) ? (SET_ERRORS[id] ?? []) : [KEY_ERRORS[id]];
  assert.throws(
    () => verifyCase(c),
    (err: unknown) => {
      assert.ok(err instanceof JWTError, `expected a Tessera JWTError, got ${String(err)}`);
      if (expected) assert.ok(err instanceof expected, `expected ${expected.name}, got ${err.name}: ${err.message}`);
      if (code) assert.equal(err.code, code, `expected code ${code}, got ${err.code}: ${err.message}`);
      return true;
    },
    `Tessera accepted a token that Wycheproof marks invalid (${t.comment})`,
  );
}

function registerFile(file: FileId): void {
  const data = JSON.parse(readFileSync(join(DIR, FILES[file]), 'utf8')) as { testGroups: WycheproofGroup[] };
  const groups = data.testGroups.filter((g) => g.tests.some((t) => t.jws !== undefined));
  // json_web_crypto_test.json gives its JSON-serialization case (tc17) as an object; the signature file as text.
  const text = (jws: string | object) => (typeof jws === 'string' ? jws : JSON.stringify(jws));
  for (const g of groups)
    for (const t of g.tests) if (t.jws !== undefined) jwsById.set(`${file}:${t.tcId}`, text(t.jws));

  const describeKey = (key: JWK) => `${key.kty}${key.alg ? ` alg ${key.alg}` : ''}${key.use ? ` use ${key.use}` : ''}`;
  groups.forEach((group, index) => {
    const key = group.public ?? group.private;
    const algorithms = allowlistFor(key);
    const label = isKeySet(key)
      ? `JWKSet.from a set of ${key.keys.length}: ${key.keys.map(describeKey).join(', ')}`
      : describeKey(key);
    describe(`${FILES[file]} group ${index + 1}: ${group.comment ?? group.type} (${label})`, () => {
      for (const t of group.tests) {
        if (t.jws === undefined) continue; // a JWE in json_web_crypto_test.json
        const c: Case = { jws: text(t.jws), key, algorithms };
        const id = `${file}:${t.tcId}`;
        const policy = POLICY[id];
        const bug = KNOWN_BUGS[id];
        counts.total++;
        if (isKeySet(key)) counts.setCases++;
        test(
          `tc${t.tcId} ${t.comment}${policy ? ' [POLICY]' : ''}${bug ? ' [KNOWN BUG]' : ''}`,
          bug ? { todo: bug } : {},
          () => {
            if (policy) {
              policy.check(c);
              counts.policyAsserted++;
            } else {
              if (bug) counts.knownBugs++; // counted before the assertion: a known bug is not a pass
              runCase(id, t, c);
              if (!bug) counts.passed++;
            }
          },
        );
        // A set with one member: the member alone, as a plain JWK, must give the same verdict.
        if (isKeySet(key) && key.keys.length === 1 && !policy) {
          const member: Case = { jws: c.jws, key: key.keys[0]!, algorithms: allowlistFor(key.keys[0]!) };
          test(`tc${t.tcId} ${t.comment} (its one JWK alone)`, () => runCase(id, t, member));
        }
      }
    });
  });
}

if (hasShared && existsSync(DIR)) {
  for (const file of Object.keys(FILES) as FileId[]) registerFile(file);

  test('every POLICY, KNOWN_BUGS, KEY_ERRORS and SET_ERRORS entry names an existing JWS case', () => {
    const known = new Set(jwsById.keys());
    const ids = [
      ...Object.keys(POLICY),
      ...Object.keys(KNOWN_BUGS),
      ...Object.keys(KEY_ERRORS),
      ...Object.keys(SET_ERRORS),
    ];
    for (const id of ids) assert.ok(known.has(id), `${id} is not a JWS case`);
  });

  test('every invalid key-set case pins the class and code of its refusal in SET_ERRORS', () => {
    const data = JSON.parse(readFileSync(join(DIR, FILES.key), 'utf8')) as { testGroups: WycheproofGroup[] };
    const crypto = JSON.parse(readFileSync(join(DIR, FILES.crypto), 'utf8')) as { testGroups: WycheproofGroup[] };
    const missing: string[] = [];
    for (const [file, groups] of [
      ['key', data.testGroups],
      ['crypto', crypto.testGroups],
    ] as const) {
      for (const g of groups) {
        if (!isKeySet(g.public ?? g.private)) continue;
        for (const t of g.tests)
          if (t.result === 'invalid' && t.jws !== undefined && !SET_ERRORS[`${file}:${t.tcId}`])
            missing.push(`${file}:${t.tcId}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  after(() => {
    const failed = counts.total - counts.passed - counts.policyAsserted - counts.knownBugs;
    console.log(
      `Wycheproof JWS: ${counts.passed} passed / ${counts.policyAsserted} policy (asserted) / ${counts.knownBugs} known bugs (todo) / ` +
        `${counts.total} total, ${counts.setCases} of them through JWKSet.from${failed > 0 ? ` — ${failed} FAILED` : ''}`,
    );
  });
} else {
  const why = `Wycheproof vectors not found at ${DIR} (set TESSERA_SHARED to the shared folder)`;
  if (process.env.CI) {
    test('Wycheproof vectors are present', () => assert.fail(why));
  } else {
    console.warn(`vectors-wycheproof: SKIPPED — ${why}`);
    test('Wycheproof vectors are present', { skip: why }, () => {});
  }
}
