// The decoders that verify nothing (PyJWT parity, issue 12 items 9–12): decodeJWT with claim checks,
// decodeJWS for any payload and serialization, and header validation shared with the verifiers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import {
  DecodeError,
  decodeJWS,
  decodeJWT,
  decodeProtectedHeader,
  decodeUnsecuredJWT,
  ExpiredSignatureError,
  generateKeyPair,
  importKey,
  InvalidAlgorithmError,
  InvalidAudienceError,
  InvalidIssuerError,
  InvalidKeyError,
  JWKError,
  signJWS,
  signJWT,
  UnsupportedCriticalHeaderError,
  verifyJWS,
  verifyJWT,
  type JWK,
} from 'tessera-jwt';

const SECRET = 'decode-unverified-suite-hmac-secret-0123456789';
const NOW = new Date('2025-06-01T12:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const b64u = (value: string | Uint8Array): string => Buffer.from(value).toString('base64url');
const seg = (value: unknown): string => b64u(JSON.stringify(value));
/** A compact JWS with the given header; the signature is junk (nothing here verifies it). */
const token = (header: unknown, payload: unknown = { sub: 'user-42' }): string =>
  `${seg(header)}.${seg(payload)}.${'A'.repeat(43)}`;

function throwsCode(fn: () => unknown, cls: new (...args: never[]) => Error, code: string): Error {
  let caught: unknown;
  assert.throws(fn, (err: unknown) => {
    caught = err;
    return true;
  });
  assert.ok(
    caught instanceof cls,
    `expected ${cls.name}, got ${(caught as Error)?.constructor?.name}: ${(caught as Error)?.message}`,
  );
  assert.equal((caught as { code?: string }).code, code);
  return caught as Error;
}

describe('a token without "alg" (item 9)', () => {
  const noAlg = token({ typ: 'JWT' });

  test('verifyJWT refuses it as an algorithm that is not allowed (PyJWT InvalidAlgorithmError)', () => {
    const err = throwsCode(
      () => verifyJWT(noAlg, SECRET, { algorithms: ['HS256'] }),
      InvalidAlgorithmError,
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
    assert.match(err.message, /"alg" header parameter is missing/);
  });

  test('verifyJWS (compact and JSON), decodeJWT, decodeProtectedHeader, decodeJWS and decodeUnsecuredJWT agree', () => {
    const flattened = { protected: seg({ typ: 'x' }), payload: b64u('hi'), signature: 'AAAA' };
    for (const fn of [
      () => verifyJWS(noAlg, SECRET, { algorithms: ['HS256'] }),
      () => verifyJWS(flattened, SECRET, { algorithms: ['HS256'] }),
      () => decodeJWT(noAlg),
      () => decodeProtectedHeader(noAlg),
      () => decodeJWS(noAlg),
      () => decodeJWS(flattened),
      () => decodeUnsecuredJWT(`${seg({ typ: 'JWT' })}.${seg({})}.`),
    ]) {
      throwsCode(fn, InvalidAlgorithmError, 'ERR_JWT_ALG_NOT_ALLOWED');
    }
  });

  test('an "alg" of the wrong type stays a malformed header (DecodeError)', () => {
    throwsCode(() => decodeProtectedHeader(token({ alg: 256 })), DecodeError, 'ERR_JWT_MALFORMED');
  });
});

describe('a JWK without "kty" (item 9)', () => {
  // PyJWT raises InvalidKeyError for any unusable JWK; Tessera keeps one class for a malformed JWK,
  // JWKError, whether kty is missing or unknown, and InvalidKeyError for a key that does not fit the alg.
  const noKty = { k: b64u(SECRET) } as unknown as JWK;

  test('importKey, exportJWK and verifyJWT refuse it with JWKError naming "kty"', () => {
    const hs = signJWT({ sub: 'a' }, SECRET);
    for (const fn of [() => importKey(noKty), () => verifyJWT(hs, noKty, { algorithms: ['HS256'] })]) {
      const err = throwsCode(fn, JWKError, 'ERR_JWK_INVALID');
      assert.ok(!(err instanceof InvalidKeyError));
      assert.match(err.message, /"kty"/);
    }
  });

  test('an unknown kty is the same JWKError', () => {
    throwsCode(() => importKey({ kty: 'XYZ' }), JWKError, 'ERR_JWK_INVALID');
  });
});

describe('decodeJWT with claim checks on the unverified payload (item 10)', () => {
  const expired = signJWT({ sub: 'user-42', exp: NOW_S - 60, iss: 'https://issuer.example' }, SECRET, {
    currentDate: new Date((NOW_S - 120) * 1000),
  });

  test('without "claims" nothing but the structure is checked', () => {
    assert.equal(decodeJWT(expired).payload.exp, NOW_S - 60);
  });

  test('"claims" validates exp like verifyJWT (PyJWT verify_signature=False, verify_exp=True)', () => {
    const err = throwsCode(
      () => decodeJWT(expired, { claims: { currentDate: NOW } }),
      ExpiredSignatureError,
      'ERR_JWT_EXPIRED',
    );
    assert.equal((err as ExpiredSignatureError).expiredAt.getTime(), (NOW_S - 60) * 1000);
  });

  test('the checks switches, tolerance and expected values apply as in verifyJWT', () => {
    assert.equal(decodeJWT(expired, { claims: { currentDate: NOW, checks: { exp: false } } }).payload.sub, 'user-42');
    assert.equal(decodeJWT(expired, { claims: { currentDate: NOW, clockTolerance: '2m' } }).payload.sub, 'user-42');
    throwsCode(
      () => decodeJWT(expired, { claims: { currentDate: NOW, leeway: 120, issuer: 'https://other.example' } }),
      InvalidIssuerError,
      'ERR_JWT_ISSUER_INVALID',
    );
    const withAud = signJWT({ aud: 'api' }, SECRET, { currentDate: NOW });
    throwsCode(
      () => decodeJWT(withAud, { claims: { currentDate: NOW } }),
      InvalidAudienceError,
      'ERR_JWT_AUDIENCE_INVALID',
    );
    assert.equal(decodeJWT(withAud, { claims: { currentDate: NOW, audience: 'api' } }).payload.aud, 'api');
  });

  test('a forged token passes the claim checks: they are not verification', () => {
    const forged = `${expired.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;
    assert.equal(decodeJWT(forged, { claims: { currentDate: NOW, checks: { exp: false } } }).payload.sub, 'user-42');
  });

  test('a "claims" option that is not an object is a TypeError', () => {
    assert.throws(() => decodeJWT(expired, { claims: true as never }), TypeError);
  });
});

describe('decodeJWS: an unverified decode of any JWS (item 11)', () => {
  const bytes = new Uint8Array([0xff, 0x00, 0xfe, 0x7b]); // not UTF-8, not JSON

  test('returns the payload bytes of a compact JWS whose payload is not JSON', () => {
    const jws = signJWS(bytes, SECRET);
    assert.throws(() => decodeJWT(jws), DecodeError);
    const decoded = decodeJWS(jws);
    assert.deepEqual([...decoded.payload], [...bytes]);
    assert.equal(decoded.protectedHeader.alg, 'HS256');
    assert.deepEqual([...decoded.signature], [...Buffer.from(jws.split('.')[2]!, 'base64url')]);
    assert.equal(decoded.signatures.length, 1);
  });

  test('reads flattened and general JSON serializations with every signature and header', () => {
    const { privateKey } = generateKeyPair('ES256');
    const general = signJWS(bytes, null, {
      serialization: 'general',
      signers: [
        { key: SECRET, unprotectedHeader: { kid: 'hs' } },
        { key: privateKey, kid: 'es' },
      ],
    });
    const decoded = decodeJWS(general);
    assert.deepEqual([...decoded.payload], [...bytes]);
    assert.deepEqual(
      decoded.signatures.map((s) => [
        s.protectedHeader.alg,
        s.protectedHeader.kid ?? s.unprotectedHeader?.kid,
        s.signature.length,
      ]),
      [
        ['HS256', 'hs', 32],
        ['ES256', 'es', 64],
      ],
    );
    const flattened = signJWS('hello', SECRET, { serialization: 'flattened', unprotectedHeader: { kid: 'k1' } });
    const one = decodeJWS(flattened);
    assert.equal(Buffer.from(one.payload).toString(), 'hello');
    assert.deepEqual(one.unprotectedHeader, { kid: 'k1' });
  });

  test('reads RFC 7797 unencoded and detached payloads', () => {
    const unencoded = signJWS('$.02', SECRET, { b64: false, detached: true });
    assert.equal(Buffer.from(decodeJWS(unencoded, { detachedPayload: '$.02' }).payload).toString(), '$.02');
    const attached = signJWS('hello', SECRET, { b64: false });
    assert.equal(Buffer.from(decodeJWS(attached).payload).toString(), 'hello');
  });

  test('checks the structure as strictly as verifyJWS', () => {
    const jws = signJWS('hello', SECRET);
    const [h, p] = jws.split('.') as [string, string];
    throwsCode(() => decodeJWS(`${h}.${p}=.AAAA`), DecodeError, 'ERR_JWT_MALFORMED');
    throwsCode(() => decodeJWS(`${h}.${p}`), DecodeError, 'ERR_JWT_MALFORMED');
    throwsCode(
      () => decodeJWS({ payload: p, protected: h, header: { kid: 7 }, signature: 'AAAA' }),
      DecodeError,
      'ERR_JWT_MALFORMED',
    );
    throwsCode(
      () => decodeJWS({ payload: p, protected: h, header: { alg: 'HS256' }, signature: 'AAAA' }),
      DecodeError,
      'ERR_JWT_MALFORMED',
    );
  });
});

describe('header validation without verification (item 12)', () => {
  const registered: Array<[string, Record<string, unknown>]> = [
    ['a numeric kid', { kid: 42 }],
    ['a numeric typ', { typ: 1 }],
    ['an object cty', { cty: {} }],
    ['a numeric jku', { jku: 1 }],
    ['an array x5u', { x5u: ['https://x.example'] }],
    ['a string jwk', { jwk: 'not-a-jwk' }],
    ['an array jwk', { jwk: [] }],
    ['a string x5c', { x5c: 'MIIB' }],
    ['an x5c of numbers', { x5c: [1] }],
    ['a numeric x5t', { x5t: 1 }],
    ['a string b64', { b64: 'false' }],
  ];
  for (const [name, members] of registered) {
    test(`decodeProtectedHeader, decodeJWT, decodeJWS and verifyJWT refuse ${name} alike (DecodeError)`, () => {
      const t = token({ alg: 'HS256', ...members });
      for (const fn of [
        () => decodeProtectedHeader(t),
        () => decodeJWT(t),
        () => decodeJWS(t),
        () => verifyJWT(t, SECRET, { algorithms: ['HS256'] }),
      ]) {
        throwsCode(fn, DecodeError, 'ERR_JWT_MALFORMED');
      }
    });
  }

  const critCases: Array<[string, Record<string, unknown>]> = [
    ['an empty crit', { crit: [] }],
    ['a crit that is not an array', { crit: 'ext' }],
    ['a crit with a number', { crit: [1], 1: true }],
    ['a crit listing a registered name', { crit: ['kid'], kid: 'k' }],
    ['a crit listing a name twice', { crit: ['ext', 'ext'], ext: 1 }],
    ['a crit listing an absent member', { crit: ['ext'] }],
  ];
  for (const [name, members] of critCases) {
    test(`decodeProtectedHeader refuses ${name} (RFC 7515 §4.1.11), even when the caller lists the name`, () => {
      throwsCode(
        () => decodeProtectedHeader(token({ alg: 'HS256', ...members }), { crit: ['ext', 'kid'] }),
        UnsupportedCriticalHeaderError,
        'ERR_JWT_CRIT_UNSUPPORTED',
      );
    });
  }

  test('an unknown crit extension is refused unless the caller lists it (PyJWT: InvalidTokenError)', () => {
    const t = token({ alg: 'HS256', crit: ['ext'], ext: 1 });
    for (const fn of [() => decodeProtectedHeader(t), () => decodeJWT(t), () => decodeJWS(t)]) {
      throwsCode(fn, UnsupportedCriticalHeaderError, 'ERR_JWT_CRIT_UNSUPPORTED');
    }
    assert.equal(decodeProtectedHeader(t, { crit: ['ext'] }).ext, 1);
    assert.equal(decodeJWT(t, { crit: ['ext'] }).payload.sub, 'user-42');
    assert.equal(decodeJWS(t, { crit: ['ext'] }).protectedHeader.ext, 1);
  });

  test('b64 is understood for a JWS header, and refused by decodeJWT as verifyJWT refuses it', () => {
    const unencoded = signJWS('hello', SECRET, { b64: false });
    assert.equal(decodeProtectedHeader(unencoded).b64, false);
    throwsCode(() => decodeJWT(unencoded), UnsupportedCriticalHeaderError, 'ERR_JWT_CRIT_UNSUPPORTED');
  });

  test('a JWE header gets the checks of decryptJWE', () => {
    const jwe = (header: unknown): string =>
      `${seg(header)}..${b64u(Buffer.alloc(12))}.${b64u('x')}.${b64u(Buffer.alloc(16))}`;
    assert.deepEqual(decodeProtectedHeader(jwe({ alg: 'dir', enc: 'A256GCM', kid: 'k' })), {
      alg: 'dir',
      enc: 'A256GCM',
      kid: 'k',
    });
    throwsCode(
      () => decodeProtectedHeader(jwe({ alg: 'dir', enc: 'A256GCM', kid: 7 })),
      DecodeError,
      'ERR_JWT_MALFORMED',
    );
    throwsCode(() => decodeProtectedHeader(jwe({ alg: 'dir' })), DecodeError, 'ERR_JWT_MALFORMED');
    throwsCode(
      () => decodeProtectedHeader(jwe({ alg: 'dir', enc: 'A256GCM', crit: ['ext'], ext: 1 })),
      UnsupportedCriticalHeaderError,
      'ERR_JWT_CRIT_UNSUPPORTED',
    );
    assert.equal(
      decodeProtectedHeader(jwe({ alg: 'dir', enc: 'A256GCM', crit: ['ext'], ext: 1 }), { crit: ['ext'] }).ext,
      1,
    );
  });

  test("the header returned is the caller's to change", () => {
    const t = signJWT({ sub: 'a' }, SECRET, { kid: 'k1' });
    const header = decodeProtectedHeader(t);
    header.kid = 'changed';
    assert.equal(decodeProtectedHeader(t).kid, 'k1');
  });
});

describe('what is reported first (PyJWT order: structure, then the algorithm)', () => {
  test('a header without alg over a payload that does not decode is malformed (DecodeError)', () => {
    throwsCode(() => decodeJWT('e30.!!!.sig'), DecodeError, 'ERR_JWT_MALFORMED');
    throwsCode(() => decodeJWT(`e30.${seg({ sub: 'a' })}.!!!`), DecodeError, 'ERR_JWT_MALFORMED');
    throwsCode(() => decodeJWS(`e30.${seg({ sub: 'a' })}.!!!`), DecodeError, 'ERR_JWT_MALFORMED');
  });

  test('a header without alg and with a malformed member is malformed (DecodeError)', () => {
    throwsCode(() => decodeProtectedHeader(token({ kid: 7 })), DecodeError, 'ERR_JWT_MALFORMED');
    throwsCode(
      () => decodeProtectedHeader(token({ crit: [] })),
      UnsupportedCriticalHeaderError,
      'ERR_JWT_CRIT_UNSUPPORTED',
    );
  });
});
