// Claim validation semantics (RFC 7519 §4.1, PyJWT's choices), each with a fixed clock.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  DecodeError,
  ExpiredSignatureError,
  ImmatureSignatureError,
  InvalidAudienceError,
  InvalidClaimError,
  InvalidIssuedAtError,
  InvalidIssuerError,
  InvalidJTIError,
  InvalidSubjectError,
  type JWTPayload,
  MissingRequiredClaimError,
  signJWS,
  signJWT,
  type VerifyOptions,
  verifyJWT,
} from 'tessera-jwt';

const secret = randomBytes(32);
const NOW = 1_700_000_000;
const currentDate = new Date(NOW * 1000);

// signJWS, not signJWT: signJWT refuses to produce the malformed claims some tests need.
function token(payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return signJWS(JSON.stringify(payload), secret, {
    algorithm: 'HS256',
    header,
    typ: (header.typ as string | undefined) ?? 'JWT',
  });
}
function verify(
  payload: Record<string, unknown>,
  options: Partial<VerifyOptions> = {},
  header: Record<string, unknown> = {},
): JWTPayload {
  return verifyJWT(token(payload, header), secret, { algorithms: ['HS256'], currentDate, ...options });
}
function rejects(
  payload: Record<string, unknown>,
  options: Partial<VerifyOptions>,
  errorClass: Function,
  code: string,
  header = {},
) {
  assert.throws(
    () => verify(payload, options, header),
    (err: unknown) => err instanceof errorClass && (err as { code: string }).code === code,
  );
}

describe('exp', () => {
  test('accepts a token whose exp is in the future', () => {
    assert.equal(verify({ exp: NOW + 1 }).exp, NOW + 1);
  });
  test('rejects a token whose exp equals now (RFC 7519: on or after)', () => {
    rejects({ exp: NOW }, {}, ExpiredSignatureError, 'ERR_JWT_EXPIRED');
  });
  test('rejects an expired token and reports expiredAt as a Date', () => {
    assert.throws(
      () => verify({ exp: NOW - 10 }),
      (err: unknown) => err instanceof ExpiredSignatureError && err.expiredAt.getTime() === (NOW - 10) * 1000,
    );
  });
  test('accepts an expired token within clockTolerance given in seconds', () => {
    assert.ok(verify({ exp: NOW - 10 }, { clockTolerance: 11 }));
  });
  test('accepts an expired token within leeway given as a duration string', () => {
    assert.ok(verify({ exp: NOW - 10 }, { leeway: '1m' }));
  });
  test('rejects a token expired by more than the tolerance', () => {
    rejects({ exp: NOW - 61 }, { leeway: '1m' }, ExpiredSignatureError, 'ERR_JWT_EXPIRED');
  });
  test('rejects a string exp as malformed, even a numeric string (unlike PyJWT 2.6)', () => {
    rejects({ exp: '9999999999' }, {}, DecodeError, 'ERR_JWT_MALFORMED');
  });
  test('skips the exp check when checks.exp is false', () => {
    assert.ok(verify({ exp: NOW - 100 }, { checks: { exp: false } }));
  });
  test('accepts fractional NumericDates', () => {
    assert.ok(verify({ exp: NOW + 0.5 }));
  });
});

describe('nbf and iat', () => {
  test('rejects a token whose nbf is in the future', () => {
    rejects({ nbf: NOW + 5 }, {}, ImmatureSignatureError, 'ERR_JWT_NOT_YET_VALID');
  });
  test('accepts a token whose nbf is now', () => {
    assert.ok(verify({ nbf: NOW }));
  });
  test('accepts a future nbf within the tolerance', () => {
    assert.ok(verify({ nbf: NOW + 5 }, { clockTolerance: 5 }));
  });
  test('rejects a non-numeric nbf as malformed', () => {
    rejects({ nbf: [NOW] }, {}, DecodeError, 'ERR_JWT_MALFORMED');
  });
  test('rejects a token issued in the future (PyJWT semantics)', () => {
    assert.throws(
      () => verify({ iat: NOW + 3600 }),
      (err: unknown) => err instanceof ImmatureSignatureError && err.claim === 'iat',
    );
  });
  test('accepts a future iat within the tolerance', () => {
    assert.ok(verify({ iat: NOW + 3 }, { clockTolerance: '5s' }));
  });
  test('rejects a non-numeric iat with InvalidIssuedAtError', () => {
    rejects({ iat: 'yesterday' }, {}, InvalidIssuedAtError, 'ERR_JWT_IAT_INVALID');
  });
  test('skips iat checks when checks.iat is false', () => {
    assert.ok(verify({ iat: 'yesterday' }, { checks: { iat: false } }));
  });
  test('rejects a token older than maxTokenAge with claim iat', () => {
    assert.throws(
      () => verify({ iat: NOW - 601 }, { maxTokenAge: '10m' }),
      (err: unknown) => err instanceof InvalidClaimError && err.claim === 'iat' && err.reason === 'too_old',
    );
  });
  test('accepts a token younger than maxTokenAge', () => {
    assert.ok(verify({ iat: NOW - 599 }, { maxTokenAge: 600 }));
  });
  test('requires iat when maxTokenAge is set', () => {
    rejects({}, { maxTokenAge: 600 }, MissingRequiredClaimError, 'ERR_JWT_CLAIM_MISSING');
  });
});

describe('aud', () => {
  test('rejects a token with aud when no audience is expected (PyJWT semantics)', () => {
    rejects({ aud: 'api' }, {}, InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID');
  });
  test('accepts a matching string audience', () => {
    assert.ok(verify({ aud: 'api' }, { audience: 'api' }));
  });
  test('accepts when one of the token audiences matches one of the expected', () => {
    assert.ok(verify({ aud: ['a', 'api'] }, { audience: ['x', 'api'] }));
  });
  test('accepts an audience matched by a RegExp', () => {
    assert.ok(verify({ aud: 'https://api.example.com/v2' }, { audience: /^https:\/\/api\.example\.com\// }));
  });
  test('a global RegExp matches on every call despite its lastIndex', () => {
    const audience = /api/g;
    assert.ok(verify({ aud: 'api' }, { audience }));
    assert.ok(verify({ aud: 'api' }, { audience }));
  });
  test('rejects a non-matching audience', () => {
    rejects({ aud: 'other' }, { audience: 'api' }, InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID');
  });
  test('rejects a missing aud when an audience is expected', () => {
    assert.throws(
      () => verify({}, { audience: 'api' }),
      (err: unknown) => err instanceof MissingRequiredClaimError && err.claim === 'aud',
    );
  });
  test('rejects an aud of the wrong type', () => {
    rejects({ aud: 42 }, { audience: 'api' }, InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID');
    rejects({ aud: ['api', 1] }, { audience: 'api' }, InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID');
  });
  test('rejects an empty aud list', () => {
    rejects({ aud: [] }, { audience: 'api' }, InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID');
  });
  test('strictAudience rejects an aud array even when it contains the audience', () => {
    rejects(
      { aud: ['api'] },
      { audience: 'api', strictAudience: true },
      InvalidAudienceError,
      'ERR_JWT_AUDIENCE_INVALID',
    );
  });
  test('strictAudience accepts the single matching string', () => {
    assert.ok(verify({ aud: 'api' }, { audience: 'api', strictAudience: true }));
  });
  test('strictAudience with several expected audiences is a TypeError', () => {
    assert.throws(() => verify({ aud: 'api' }, { audience: ['a', 'b'], strictAudience: true }), TypeError);
  });
  test('checks.aud false skips the audience check', () => {
    assert.ok(verify({ aud: 'other' }, { checks: { aud: false } }));
  });
});

describe('iss, sub, jti, nonce', () => {
  test('accepts an issuer from a list (exact match)', () => {
    assert.ok(verify({ iss: 'https://b' }, { issuer: ['https://a', 'https://b'] }));
  });
  test('rejects an issuer that only differs by a trailing slash', () => {
    rejects({ iss: 'https://a/' }, { issuer: 'https://a' }, InvalidIssuerError, 'ERR_JWT_ISSUER_INVALID');
  });
  test('rejects a missing iss when an issuer is expected', () => {
    rejects({}, { issuer: 'https://a' }, MissingRequiredClaimError, 'ERR_JWT_CLAIM_MISSING');
  });
  test('rejects a non-string iss', () => {
    rejects({ iss: ['https://a'] }, { issuer: 'https://a' }, InvalidIssuerError, 'ERR_JWT_ISSUER_INVALID');
  });
  test('rejects a sub that is not a string, even without a subject option', () => {
    rejects({ sub: 42 }, {}, InvalidSubjectError, 'ERR_JWT_SUBJECT_INVALID');
  });
  test('rejects the wrong subject', () => {
    rejects({ sub: 'a' }, { subject: 'b' }, InvalidSubjectError, 'ERR_JWT_SUBJECT_INVALID');
  });
  test('rejects a jti that is not a string', () => {
    rejects({ jti: 7 }, {}, InvalidJTIError, 'ERR_JWT_JTI_INVALID');
  });
  test('rejects the wrong jwtId', () => {
    rejects({ jti: 'a' }, { jwtId: 'b' }, InvalidJTIError, 'ERR_JWT_JTI_INVALID');
  });
  test('rejects the wrong nonce with InvalidClaimError naming nonce', () => {
    assert.throws(
      () => verify({ nonce: 'a' }, { nonce: 'b' }),
      (err: unknown) => err instanceof InvalidClaimError && err.claim === 'nonce',
    );
  });
  test('rejects a missing nonce', () => {
    assert.throws(
      () => verify({}, { nonce: 'b' }),
      (err: unknown) => err instanceof MissingRequiredClaimError && err.claim === 'nonce',
    );
  });
});

describe('requiredClaims, typ, validate, complete', () => {
  test('requiredClaims names the missing claim', () => {
    assert.throws(
      () => verify({ sub: 'a' }, { requiredClaims: ['sub', 'exp'] }),
      (err: unknown) => err instanceof MissingRequiredClaimError && err.claim === 'exp',
    );
  });
  test('require is an alias of requiredClaims and null counts as missing', () => {
    rejects({ exp: null }, { require: ['exp'] }, MissingRequiredClaimError, 'ERR_JWT_CLAIM_MISSING');
  });
  test('typ matches case-insensitively and without the application/ prefix', () => {
    assert.ok(verify({}, { typ: 'at+jwt' }, { typ: 'application/AT+JWT' }));
    assert.ok(verify({}, { typ: 'application/at+jwt' }, { typ: 'at+jwt' }));
  });
  test('typ mismatch is an InvalidClaimError naming typ', () => {
    assert.throws(
      () => verify({}, { typ: 'at+jwt' }, { typ: 'JWT' }),
      (err: unknown) => err instanceof InvalidClaimError && err.claim === 'typ',
    );
  });
  test('a validate hook returning false rejects', () => {
    rejects({ role: 'user' }, { validate: (p) => p.role === 'admin' }, InvalidClaimError, 'ERR_JWT_CLAIM_INVALID');
  });
  test('a validate hook throwing a plain Error is wrapped with the original as cause', () => {
    const original = new Error('not an admin');
    assert.throws(
      () =>
        verify(
          {},
          {
            validate: () => {
              throw original;
            },
          },
        ),
      (err: unknown) => err instanceof InvalidClaimError && err.cause === original,
    );
  });
  test('a validate hook throwing a Tessera error is rethrown as is', () => {
    const own = new InvalidSubjectError('nope');
    assert.throws(
      () =>
        verify(
          {},
          {
            validate: () => {
              throw own;
            },
          },
        ),
      (err: unknown) => err === own,
    );
  });
  test('a validate hook returning a Promise is a TypeError (it cannot be awaited synchronously)', () => {
    assert.throws(() => verify({}, { validate: async () => true }), TypeError);
  });
  test('the validate hook sees the payload and the header', () => {
    let seen: unknown;
    verify(
      { a: 1 },
      {
        validate: (p, h) => {
          seen = [p.a, h.alg];
        },
      },
    );
    assert.deepEqual(seen, [1, 'HS256']);
  });
  test('complete returns header, payload and signature bytes', () => {
    const t = token({ a: 1 });
    const result = verifyJWT(t, secret, { algorithms: ['HS256'], currentDate, complete: true });
    assert.equal(result.header.alg, 'HS256');
    assert.equal(result.payload.a, 1);
    assert.equal(Buffer.from(result.signature).toString('base64url'), t.split('.')[2]);
  });
});

describe('programmer mistakes are TypeErrors at once', () => {
  const t = token({});
  test('missing algorithms', () => {
    assert.throws(() => verifyJWT(t, secret, {} as VerifyOptions), /"algorithms" option is required/);
  });
  test('algorithms listing none', () => {
    assert.throws(() => verifyJWT(t, secret, { algorithms: ['HS256', 'none'] }), TypeError);
  });
  test('an unknown duration string', () => {
    assert.throws(
      () => verifyJWT(t, secret, { algorithms: ['HS256'], clockTolerance: '5 fortnights' }),
      /"clockTolerance"/,
    );
  });
  test('an empty issuer list', () => {
    assert.throws(() => verifyJWT(t, secret, { algorithms: ['HS256'], issuer: [] }), TypeError);
  });
  test('an invalid currentDate', () => {
    assert.throws(() => verifyJWT(t, secret, { algorithms: ['HS256'], currentDate: new Date('nope') }), TypeError);
  });
});

test('signJWT refuses to produce a non-numeric time claim', () => {
  assert.throws(() => signJWT({ exp: '9999999999' as unknown as number }, secret), TypeError);
});
