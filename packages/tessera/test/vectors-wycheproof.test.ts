// Conformance: Wycheproof JOSE (C2SP/wycheproof @ dac1dd47, ../shared/vectors/wycheproof-jose/) — all 401 tests of
// json_web_signature_test.json, the 26 of json_web_key_test.json and the JWS tests of json_web_crypto_test.json
// (tc1–49; its tc50–83 are JWEs and belong to the JWE issue).
//
// The harness (wycheproof-jose/PROVENANCE.md):
//  * key: the group's `public` JWK, else its `private` one (oct keys). A key set with exactly one member is that
//    member (what any JWKSet resolves to); sets with several members wait for JWKSet (POLICY, skipped).
//  * allowlist: the JWK's `alg` when Tessera implements it, else every algorithm Tessera implements — so the key
//    alone (its alg, use, key_ops, type, curve, size) has to refuse the token.
//  * valid → verifyJWS returns the payload segment's bytes; invalid → throws a JWTError (a TypeError would mean the
//    harness misused the API); acceptable → either outcome, reported as a diagnostic. Where Wycheproof tests the key
//    itself, KEY_ERRORS also pins the error class, so a rejection for an unrelated reason does not count.
//  * POLICY: cases where Tessera deliberately differs from `result`; each has its reason and asserts what Tessera
//    does instead, or (key sets) is skipped until the feature exists.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DecodeError,
  InvalidKeyError,
  InvalidSignatureError,
  JWKError,
  JWS_ALGORITHMS,
  JWTError,
  verifyJWS,
} from 'tessera';
import type { JWK } from 'tessera';
import { hasShared, VECTORS } from './helpers/paths.js';

const DIR = join(VECTORS, 'wycheproof-jose');
const FILES = { signature: 'json_web_signature_test.json', key: 'json_web_key_test.json', crypto: 'json_web_crypto_test.json' } as const;
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
// No `check` = deferred (skipped) until the feature exists.

interface Policy {
  reason: string;
  check?: (c: Case) => void;
}

const jwsById = new Map<string, string>();
const refuses = (c: Case, algorithms: string[], error: ErrorClass) => assert.throws(() => verifyJWS(c.jws, c.key as JWK, { algorithms }), error);
const verifies = (c: Case) => assert.doesNotThrow(() => verifyJWS(c.jws, c.key as JWK, { algorithms: c.algorithms }));

const KEY_SET = 'key set with several members: verifyJWS takes one key until JWKSet lands (keys issue); then Wycheproof expects';
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
  'signature:372': { reason: `${QUESTION_MARK} DecodeError (header not canonical base64url)`, check: (c) => refuses(c, c.algorithms, DecodeError) },
  'signature:373': { reason: `${QUESTION_MARK} InvalidSignatureError (the MAC is checked before the payload is decoded)`, check: (c) => refuses(c, c.algorithms, InvalidSignatureError) },
  'key:1': { reason: `${KEY_SET} refusal (a set mixing symmetric and asymmetric keys)` },
  'key:2': { reason: `${KEY_SET} valid (the kid selects one of two HS256 keys)` },
  'key:3': { reason: `${KEY_SET} invalid (modified signature)` },
  'key:4': { reason: `${KEY_SET} refusal (duplicate kid: ambiguous)` },
  'crypto:47': { reason: `${KEY_SET} refusal (a set mixing symmetric and asymmetric keys)` },
  'crypto:48': { reason: `${KEY_SET} valid (the kid selects one of two HS256 keys)` },
  'crypto:49': { reason: `${KEY_SET} invalid (modified signature)` },
};

// Tests of the key itself: the refusal must come from the key, with this class.
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

// ---------------------------------------------------------------------------------------------------------------

const counts = { total: 0, passed: 0, policyAsserted: 0, policyDeferred: 0 };

function isKeySet(key: JWK | KeySet): key is KeySet {
  return Array.isArray((key as KeySet).keys);
}

/** The key and allowlist the harness uses for a group (see the header comment). */
function groupKey(group: WycheproofGroup): { key: JWK | KeySet; algorithms: string[] } {
  let key = group.public ?? group.private;
  if (isKeySet(key) && key.keys.length === 1) key = key.keys[0]!;
  const alg = isKeySet(key) ? undefined : key.alg;
  return { key, algorithms: alg !== undefined && JWS_ALGORITHMS.includes(alg) ? [alg] : [...JWS_ALGORITHMS] };
}

function runCase(id: string, t: WycheproofTest, c: Case): void {
  if (t.result === 'valid') {
    const { payload } = verifyJWS(c.jws, c.key as JWK, { algorithms: c.algorithms });
    const segment = c.jws.split('.')[1] ?? '';
    assert.deepEqual(Buffer.from(payload), Buffer.from(segment, 'base64url'));
    return;
  }
  if (t.result === 'acceptable') {
    let outcome = 'verifies';
    try {
      verifyJWS(c.jws, c.key as JWK, { algorithms: c.algorithms });
    } catch (err) {
      assert.ok(err instanceof JWTError, `acceptable case threw a non-Tessera error: ${String(err)}`);
      outcome = `refused (${err.code})`;
    }
    console.log(`wycheproof ${id} (acceptable): Tessera ${outcome}`);
    return;
  }
  const expected = KEY_ERRORS[id];
  assert.throws(
    () => verifyJWS(c.jws, c.key as JWK, { algorithms: c.algorithms }),
    (err: unknown) => {
      assert.ok(err instanceof JWTError, `expected a Tessera JWTError, got ${String(err)}`);
      if (expected) assert.ok(err instanceof expected, `expected ${expected.name}, got ${err.name}: ${err.message}`);
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
  for (const g of groups) for (const t of g.tests) if (t.jws !== undefined) jwsById.set(`${file}:${t.tcId}`, text(t.jws));

  groups.forEach((group, index) => {
    const { key, algorithms } = groupKey(group);
    const label = isKeySet(key) ? `key set of ${key.keys.length}` : `${key.kty}${key.alg ? ` alg ${key.alg}` : ''}${key.use ? ` use ${key.use}` : ''}`;
    describe(`${FILES[file]} group ${index + 1}: ${group.comment ?? group.type} (${label})`, () => {
      for (const t of group.tests) {
        if (t.jws === undefined) continue; // a JWE in json_web_crypto_test.json
        const c: Case = { jws: text(t.jws), key, algorithms };
        const id = `${file}:${t.tcId}`;
        const policy = POLICY[id];
        counts.total++;
        if (policy && !policy.check) {
          counts.policyDeferred++;
          test(`tc${t.tcId} ${t.comment} [POLICY, deferred]`, { skip: policy.reason }, () => {});
          continue;
        }
        test(`tc${t.tcId} ${t.comment}${policy ? ' [POLICY]' : ''}`, () => {
          if (policy) {
            policy.check!(c);
            counts.policyAsserted++;
          } else {
            runCase(id, t, c);
            counts.passed++;
          }
        });
      }
    });
  });
}

if (hasShared && existsSync(DIR)) {
  for (const file of Object.keys(FILES) as FileId[]) registerFile(file);

  test('every POLICY and KEY_ERRORS entry names an existing JWS case', () => {
    const known = new Set(jwsById.keys());
    for (const id of [...Object.keys(POLICY), ...Object.keys(KEY_ERRORS)]) assert.ok(known.has(id), `${id} is not a JWS case`);
  });

  after(() => {
    const policy = counts.policyAsserted + counts.policyDeferred;
    const failed = counts.total - counts.passed - policy;
    console.log(
      `Wycheproof JWS: ${counts.passed} passed / ${policy} policy (${counts.policyAsserted} asserted, ` +
        `${counts.policyDeferred} deferred) / ${counts.total} total${failed > 0 ? ` — ${failed} FAILED` : ''}`,
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
