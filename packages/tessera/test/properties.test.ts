// Properties (fast-check): what must hold for every input, not just the hand-picked ones.
//
//   1. sign → verify round-trips any JSON claims set (unicode keys and values, nested values) with any mix of
//      the registered-claim options, for HS256, ES256, EdDSA and RS256 (RS256 with few runs: RSA is slow);
//   2. changing any single character of a token makes verification fail with a Tessera error;
//   3. garbage — random text, random base64url, random JSON, validly signed random headers and claims — never
//      makes verifyJWT / decodeJWT / decodeProtectedHeader / decodeUnsecuredJWT throw anything but a JWTError.
//
// The clock is fixed. A failure prints fast-check's seed and path; rerun with them to reproduce.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHmac, randomBytes } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import fc from 'fast-check';
import {
  createVerifier,
  decodeJWT,
  decodeProtectedHeader,
  decodeUnsecuredJWT,
  InvalidTokenError,
  JWTError,
  signJWT,
  verifyJWT,
} from 'tessera-jwt';
import type { JWTPayload, KeyInput, SignOptions, VerifyOptions } from 'tessera-jwt';

const NOW = new Date('2025-06-01T12:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const REGISTERED = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti']);

interface AlgCase {
  alg: string;
  signKey: KeyInput;
  verifyKey: KeyInput;
  runs: number;
}

const hmacSecret = randomBytes(32);
const es = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ed = generateKeyPairSync('ed25519');
const rs = generateKeyPairSync('rsa', { modulusLength: 2048 });

const CASES: AlgCase[] = [
  { alg: 'HS256', signKey: hmacSecret, verifyKey: hmacSecret, runs: 300 },
  { alg: 'ES256', signKey: es.privateKey, verifyKey: es.publicKey, runs: 150 },
  { alg: 'EdDSA', signKey: ed.privateKey, verifyKey: ed.publicKey, runs: 150 },
  { alg: 'RS256', signKey: rs.privateKey, verifyKey: rs.publicKey, runs: 20 },
];

/** Fails unless `err` is a Tessera error; the message names what escaped. */
function assertJWTError(err: unknown, what: string): void {
  if (err instanceof JWTError) return;
  const name = err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
  assert.fail(`${what} threw a non-Tessera error: ${name}`);
}

/** Runs fn; returns normally or throws only JWTErrors. */
function onlyJWTErrors(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (err) {
    assertJWTError(err, what);
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string(),
);

/** A claims set: unicode member names, any JSON values; the registered claims are left to the options. */
const claimsArb: fc.Arbitrary<Record<string, unknown>> = fc
  .dictionary(anyString, fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }), { maxKeys: 8 })
  .map((claims) => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(claims)) {
      if (!REGISTERED.has(name))
        Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });

/** Seconds as a number or as an equivalent duration string. */
const durationOf = (seconds: number): fc.Arbitrary<number | string> =>
  fc.constantFrom<number | string>(
    seconds,
    `${seconds}s`,
    ...(seconds % 60 === 0 ? [`${seconds / 60}m`] : []),
    ...(seconds % 3600 === 0 ? [`${seconds / 3600}h`] : []),
  );

interface ClaimPlan {
  notBefore: number | undefined;
  expiresIn: number;
  options: SignOptions;
}

/** Registered-claim options, with nbf <= verification time < exp guaranteed. */
const planArb: fc.Arbitrary<ClaimPlan> = fc
  .record({
    notBefore: fc.option(fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.constantFrom(0, -60, 3600)), {
      nil: undefined,
    }),
    gap: fc.oneof(fc.integer({ min: 1, max: 100_000_000 }), fc.constantFrom(1, 60, 3600, 86_400)),
    issuer: fc.option(anyString, { nil: undefined }),
    subject: fc.option(anyString, { nil: undefined }),
    audience: fc.option(fc.oneof(anyString, fc.array(anyString, { minLength: 1, maxLength: 4 })), { nil: undefined }),
    jwtId: fc.option(anyString, { nil: undefined }),
    kid: fc.option(anyString, { nil: undefined }),
  })
  .chain((r) => {
    const expiresIn = Math.max(0, r.notBefore ?? 0) + r.gap;
    return fc
      .record({
        expiresIn: durationOf(expiresIn),
        notBefore: r.notBefore === undefined ? fc.constant(undefined) : durationOf(r.notBefore),
      })
      .map(({ expiresIn: expiresInInput, notBefore: notBeforeInput }): ClaimPlan => {
        const options: SignOptions = { currentDate: NOW, expiresIn: expiresInInput };
        if (notBeforeInput !== undefined) options.notBefore = notBeforeInput;
        if (r.issuer !== undefined) options.issuer = r.issuer;
        if (r.subject !== undefined) options.subject = r.subject;
        if (r.audience !== undefined) options.audience = r.audience;
        if (r.jwtId !== undefined) options.jwtId = r.jwtId;
        if (r.kid !== undefined) options.kid = r.kid;
        return { notBefore: r.notBefore, expiresIn, options };
      });
  });

// ---------------------------------------------------------------------------------------------
describe('sign → verify round-trips', () => {
  for (const c of CASES) {
    test(`round-trips random JSON claims and random options with ${c.alg}`, () => {
      fc.assert(
        fc.property(claimsArb, planArb, fc.nat(), (claims, plan, audiencePick) => {
          const token = signJWT(claims, c.signKey, { ...plan.options, algorithm: c.alg });
          // Verify at the first instant that nbf allows (and never before iat).
          const at = new Date((NOW_S + Math.max(0, plan.notBefore ?? 0)) * 1000);
          const o = plan.options;
          const verifyOptions: VerifyOptions = { algorithms: [c.alg], currentDate: at, complete: true };
          if (o.issuer !== undefined) verifyOptions.issuer = o.issuer;
          if (o.subject !== undefined) verifyOptions.subject = o.subject;
          if (typeof o.jwtId === 'string') verifyOptions.jwtId = o.jwtId;
          if (o.audience !== undefined) {
            const list = Array.isArray(o.audience) ? o.audience : [o.audience];
            verifyOptions.audience = list[audiencePick % list.length]!;
          }
          const result = verifyJWT(token, c.verifyKey, verifyOptions as VerifyOptions & { complete: true });

          // What JSON can carry: -0 becomes 0, and so on.
          const expected = JSON.parse(JSON.stringify(claims)) as JWTPayload;
          expected.iat = NOW_S;
          expected.exp = NOW_S + plan.expiresIn;
          if (plan.notBefore !== undefined) expected.nbf = NOW_S + plan.notBefore;
          if (o.issuer !== undefined) expected.iss = o.issuer;
          if (o.subject !== undefined) expected.sub = o.subject;
          if (o.audience !== undefined) expected.aud = o.audience;
          if (typeof o.jwtId === 'string') expected.jti = o.jwtId;
          assert.deepStrictEqual(result.payload, expected);

          assert.equal(result.header.alg, c.alg);
          assert.equal(result.header.typ, 'JWT');
          assert.equal(result.header.kid, o.kid);
          assert.deepStrictEqual(decodeJWT(token).payload, expected);
        }),
        { numRuns: c.runs },
      );
    });
  }

  test('round-trips unicode strings in claim names and values exactly (HS256)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }),
        fc.string({ unit: 'binary', maxLength: 64 }),
        (name, value) => {
          fc.pre(!REGISTERED.has(name));
          const claims: Record<string, unknown> = {};
          Object.defineProperty(claims, name, { value, enumerable: true, writable: true, configurable: true });
          const token = signJWT(claims, hmacSecret, { currentDate: NOW, issuer: value });
          const payload = verifyJWT(token, hmacSecret, { algorithms: ['HS256'], currentDate: NOW, issuer: value });
          assert.equal(Object.getOwnPropertyDescriptor(payload, name)?.value, value);
          assert.equal(payload.iss, value);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('round-trips with createVerifier, its cache and complete: true (HS256)', () => {
    const verify = createVerifier({
      key: hmacSecret,
      algorithms: ['HS256'],
      currentDate: NOW,
      cache: true,
      complete: true,
    });
    fc.assert(
      fc.property(claimsArb, (claims) => {
        const token = signJWT(claims, hmacSecret, { currentDate: NOW, expiresIn: '1h' });
        const first = verify(token);
        const second = verify(token);
        assert.deepStrictEqual(first.payload, {
          ...(JSON.parse(JSON.stringify(claims)) as object),
          iat: NOW_S,
          exp: NOW_S + 3600,
        });
        assert.deepStrictEqual(second, first);
        assert.equal(Buffer.from(first.signature).toString('base64url'), token.slice(token.lastIndexOf('.') + 1));
      }),
      { numRuns: 50 },
    );
  });

  test('round-trips with createVerifier and its cache (HS256)', () => {
    const verify = createVerifier({ key: hmacSecret, algorithms: ['HS256'], currentDate: NOW, cache: true });
    fc.assert(
      fc.property(claimsArb, (claims) => {
        const token = signJWT(claims, hmacSecret, { currentDate: NOW, expiresIn: '1h' });
        const first = verify(token);
        const second = verify(token);
        assert.deepStrictEqual(first, {
          ...(JSON.parse(JSON.stringify(claims)) as object),
          iat: NOW_S,
          exp: NOW_S + 3600,
        });
        assert.deepStrictEqual(second, first);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe('a single changed character is always rejected', () => {
  const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const EXTRA = ['.', '=', '+', '/', ' ', '\n', '\0', '\u00e9', '\u0141', '\u{1F600}', '\uD800'];
  const claims = { sub: 'user-42', scope: 'read write', nested: { n: 1.5, list: [true, null, 'ü'] } };

  for (const c of CASES) {
    const token = signJWT(claims, c.signKey, { algorithm: c.alg, currentDate: NOW, expiresIn: '1h', kid: 'k-1' });
    const options: VerifyOptions = { algorithms: [c.alg], currentDate: NOW };

    const rejected = (tampered: string, where: string): void => {
      try {
        verifyJWT(tampered, c.verifyKey, options);
      } catch (err) {
        assertJWTError(err, `verifyJWT (${where})`);
        assert.ok(
          err instanceof InvalidTokenError,
          `${where}: expected an InvalidTokenError, got ${(err as Error).constructor.name}`,
        );
        return;
      }
      assert.fail(`${c.alg}: a token with ${where} verified`);
    };

    test(`rejects every position of a ${c.alg} token changed to a neighbouring, a random and a foreign character`, () => {
      assert.ok(verifyJWT(token, c.verifyKey, options));
      for (let i = 0; i < token.length; i++) {
        const ch = token[i]!;
        const index = BASE64URL.indexOf(ch);
        const replacements = new Set<string>([
          // the lowest bit flipped: exactly what a stray-bit (non-canonical) encoding of the same bytes looks like
          index === -1 ? 'A' : BASE64URL[index ^ 1]!,
          BASE64URL[(index + 1 + ((i * 7) % 63)) % 64]!,
          EXTRA[i % EXTRA.length]!,
        ]);
        replacements.delete(ch);
        for (const r of replacements) {
          const tampered = token.slice(0, i) + r + token.slice(i + 1);
          rejected(tampered, `position ${i} changed from ${JSON.stringify(ch)} to ${JSON.stringify(r)}`);
          onlyJWTErrors(() => decodeJWT(tampered), 'decodeJWT');
        }
      }
    });

    test(`rejects a ${c.alg} token with a random character replaced at a random position`, () => {
      const charArb = fc.oneof(
        fc.constantFrom(...BASE64URL, ...EXTRA),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      );
      fc.assert(
        fc.property(fc.nat({ max: token.length - 1 }), charArb, (i, r) => {
          fc.pre(r !== token[i]);
          const tampered = token.slice(0, i) + r + token.slice(i + 1);
          rejected(tampered, `position ${i} changed to ${JSON.stringify(r)}`);
        }),
        { numRuns: c.alg === 'RS256' ? 200 : 500 },
      );
    });

    test(`rejects a ${c.alg} token with a character inserted or deleted at a random position`, () => {
      fc.assert(
        fc.property(
          fc.nat({ max: token.length - 1 }),
          fc.constantFrom(...BASE64URL, '.'),
          fc.boolean(),
          (i, r, insert) => {
            const tampered = insert ? token.slice(0, i) + r + token.slice(i) : token.slice(0, i) + token.slice(i + 1);
            rejected(tampered, insert ? `${JSON.stringify(r)} inserted at ${i}` : `position ${i} deleted`);
          },
        ),
        { numRuns: c.alg === 'RS256' ? 100 : 300 },
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------
describe('garbage never crashes the parser', () => {
  const b64u = (input: string | Uint8Array): string => Buffer.from(input).toString('base64url');
  const hs = (input: string): string => createHmac('sha256', hmacSecret).update(input, 'latin1').digest('base64url');

  const tokenChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ');
  const jsonText = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary' }),
  );
  const valueArb = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.integer(),
    fc.double(),
    fc.integer({ min: NOW_S - 7200, max: NOW_S + 7200 }),
    fc.constantFrom(1e400, '9999999999', null, 'https://api.example.com', ['a', 'b']),
    anyString,
  );

  /** Mostly well-typed (so the deeper checks are reached), sometimes anything. */
  const mostly = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
    fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: valueArb });

  /** Header objects that look real enough to reach the signature and claim checks. */
  const headerArb = fc
    .tuple(
      fc.record(
        {
          alg: fc.oneof(
            { weight: 8, arbitrary: fc.constant('HS256') },
            {
              weight: 1,
              arbitrary: fc.constantFrom('HS512', 'ES256', 'RS256', 'EdDSA', 'none', 'NONE', 'hs256', '', '__proto__'),
            },
            { weight: 1, arbitrary: valueArb },
          ),
          typ: mostly(fc.constantFrom('JWT', 'at+jwt', 'application/jwt')),
          kid: mostly(anyString),
          cty: mostly(fc.constant('JWT')),
        },
        { requiredKeys: ['alg'] },
      ),
      // crit, b64 and friends in one header out of four
      fc.oneof(
        { weight: 3, arbitrary: fc.constant({}) },
        {
          weight: 1,
          arbitrary: fc.record(
            {
              crit: fc.oneof(
                fc.array(fc.constantFrom('ext', 'alg', 'b64', '__proto__', 'toString', ''), { maxLength: 3 }),
                valueArb,
              ),
              ext: valueArb,
              b64: fc.oneof(fc.boolean(), valueArb),
              jwk: valueArb,
              ['__proto__']: valueArb,
            },
            { requiredKeys: [] },
          ),
        },
      ),
    )
    .map(([base, extra]) => ({ ...base, ...extra }));

  /** Claims sets built from the registered names (and a few prototype names) with values of every type. */
  const payloadArb = fc.dictionary(
    fc.constantFrom(
      'iss',
      'sub',
      'aud',
      'exp',
      'nbf',
      'iat',
      'jti',
      'nonce',
      'role',
      '__proto__',
      'constructor',
      'toString',
    ),
    valueArb,
    { maxKeys: 8 },
  );

  const claimOptionsArb = fc
    .record(
      {
        audience: fc.oneof(anyString, fc.array(anyString, { minLength: 1, maxLength: 3 })),
        issuer: anyString,
        subject: anyString,
        jwtId: anyString,
        nonce: anyString,
        typ: fc.constantFrom('JWT', 'at+jwt'),
        requiredClaims: fc.array(fc.constantFrom('exp', 'iat', 'role', 'constructor', '__proto__'), { maxLength: 3 }),
        maxTokenAge: fc.constantFrom(60, '1h'),
        clockTolerance: fc.constantFrom(0, 30, '5m'),
        strictAudience: fc.boolean(),
        crit: fc.constant(['ext']),
        checks: fc.record(
          { exp: fc.boolean(), nbf: fc.boolean(), iat: fc.boolean(), aud: fc.boolean() },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    )
    // strictAudience with a list of audiences is a TypeError by design (programmer misuse), not garbage.
    .map((o) => (o.strictAudience && Array.isArray(o.audience) ? { ...o, strictAudience: false } : o));

  const garbageArb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: tokenChars, maxLength: 300 }),
    fc
      .tuple(
        fc.string({ unit: tokenChars, maxLength: 60 }),
        fc.string({ unit: tokenChars, maxLength: 60 }),
        fc.string({ unit: tokenChars, maxLength: 90 }),
      )
      .map((s) => s.join('.')),
    fc
      .tuple(jsonText, jsonText, fc.uint8Array({ maxLength: 80 }))
      .map(([h, p, s]) => `${b64u(h)}.${b64u(p)}.${b64u(s)}`),
    fc
      .tuple(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }))
      .map(([h, p]) => `${b64u(h)}.${b64u(p)}.`),
    fc.tuple(jsonText, jsonText, jsonText, jsonText, jsonText).map((parts) => parts.map(b64u).join('.')),
    // validly signed: a random header and random claims get past the signature to every claim check
    fc.tuple(headerArb, payloadArb).map(([h, p]) => {
      const input = `${b64u(JSON.stringify(h))}.${b64u(JSON.stringify(p))}`;
      return `${input}.${hs(input)}`;
    }),
  );

  const strictStatic = (token: string, options: VerifyOptions): void => {
    onlyJWTErrors(
      () => verifyJWT(token, hmacSecret, { algorithms: ['HS256', 'ES256', 'EdDSA'], currentDate: NOW, ...options }),
      'verifyJWT (secret)',
    );
    onlyJWTErrors(
      () => verifyJWT(token, es.publicKey, { algorithms: ['ES256', 'HS256'], currentDate: NOW, ...options }),
      'verifyJWT (EC key)',
    );
  };

  test('verifyJWT throws nothing but JWTErrors for garbage tokens', () => {
    fc.assert(
      fc.property(garbageArb, claimOptionsArb, (token, options) => {
        strictStatic(token, options as VerifyOptions);
      }),
      { numRuns: 3000 },
    );
  });

  test('validly signed random claims sets reach the claim checks and throw nothing but JWTErrors', () => {
    // One claim option at a time (or none, or all), so most tokens get past the early checks.
    const oneOption = fc.oneof(
      fc.constant({}),
      claimOptionsArb,
      ...(
        [
          'audience',
          'issuer',
          'subject',
          'jwtId',
          'nonce',
          'requiredClaims',
          'maxTokenAge',
          'clockTolerance',
          'checks',
        ] as const
      ).map((name) => claimOptionsArb.map((o) => (o[name] === undefined ? {} : { [name]: o[name] }))),
    );
    const header = b64u('{"alg":"HS256","typ":"JWT"}');
    fc.assert(
      fc.property(payloadArb, oneOption, (payload, options) => {
        const input = `${header}.${b64u(JSON.stringify(payload))}`;
        strictStatic(`${input}.${hs(input)}`, options as VerifyOptions);
      }),
      { numRuns: 3000 },
    );
  });

  test('decodeJWT, decodeProtectedHeader and decodeUnsecuredJWT throw nothing but JWTErrors for garbage', () => {
    fc.assert(
      fc.property(garbageArb, claimOptionsArb, (token, options) => {
        onlyJWTErrors(() => decodeJWT(token), 'decodeJWT');
        onlyJWTErrors(() => decodeProtectedHeader(token), 'decodeProtectedHeader');
        const { crit: _crit, ...claimOptions } = options;
        onlyJWTErrors(
          () => decodeUnsecuredJWT(token, { currentDate: NOW, ...(claimOptions as VerifyOptions) }),
          'decodeUnsecuredJWT',
        );
      }),
      { numRuns: 3000 },
    );
  });

  test('unsigned random headers and claims never crash decodeUnsecuredJWT', () => {
    fc.assert(
      fc.property(headerArb, payloadArb, (h, p) => {
        const token = `${b64u(JSON.stringify({ ...h, alg: 'none' }))}.${b64u(JSON.stringify(p))}.`;
        onlyJWTErrors(
          () => decodeUnsecuredJWT(token, { currentDate: NOW, audience: 'a', issuer: 'b' }),
          'decodeUnsecuredJWT',
        );
      }),
      { numRuns: 1000 },
    );
  });

  test('a caching verifier throws nothing but JWTErrors for garbage, every time', () => {
    const verify = createVerifier({ key: hmacSecret, algorithms: ['HS256'], currentDate: NOW, cache: 64 });
    fc.assert(
      fc.property(garbageArb, (token) => {
        onlyJWTErrors(() => verify(token), 'createVerifier');
        onlyJWTErrors(() => verify(token), 'createVerifier (second call)');
      }),
      { numRuns: 1000 },
    );
  });

  test('a key resolver path rejects garbage only with JWTErrors', async () => {
    await fc.assert(
      fc.asyncProperty(garbageArb, async (token) => {
        try {
          await verifyJWT(token, async () => hmacSecret, { algorithms: ['HS256'], currentDate: NOW });
        } catch (err) {
          assertJWTError(err, 'verifyJWT (resolver)');
        }
      }),
      { numRuns: 500 },
    );
  });

  test('deeply nested headers and claims never overflow the stack (within the default maxTokenLength)', () => {
    // Two bytes a level: up to ~12,000 levels fit in 32 KiB. Mixed arrays and objects, signed and unsigned.
    // The property takes the depth and the pattern (not the text), so a counterexample stays readable.
    const nest = (depth: number, pattern: string[]): string => {
      let head = '';
      let tail = '';
      for (let i = 0; i < depth; i++) {
        const o = pattern[i % pattern.length]!;
        head += o;
        tail = (o === '[' ? ']' : '}') + tail;
      }
      return `${head}1${tail}`;
    };
    const patternArb = fc.array(fc.constantFrom('[', '{"a":'), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12_000 }), patternArb, fc.boolean(), (depth, pattern, inHeader) => {
        const value = nest(depth, pattern);
        const header = inHeader ? `{"alg":"HS256","x":${value}}` : '{"alg":"HS256"}';
        const payload = inHeader ? '{}' : `{"sub":"s","x":${value}}`;
        const input = `${b64u(header)}.${b64u(payload)}`;
        fc.pre(input.length < 32 * 1024 - 64);
        const token = `${input}.${hs(input)}`;
        onlyJWTErrors(() => verifyJWT(token, hmacSecret, { algorithms: ['HS256'], currentDate: NOW }), 'verifyJWT');
        onlyJWTErrors(() => decodeJWT(token), 'decodeJWT');
        onlyJWTErrors(() => decodeProtectedHeader(token), 'decodeProtectedHeader');
      }),
      { numRuns: 150 },
    );
  });

  test('non-string tokens are DecodeErrors, never crashes', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        fc.pre(typeof value !== 'string');
        onlyJWTErrors(() => verifyJWT(value as string, hmacSecret, { algorithms: ['HS256'] }), 'verifyJWT');
        onlyJWTErrors(() => decodeJWT(value as string), 'decodeJWT');
        onlyJWTErrors(() => decodeProtectedHeader(value as string), 'decodeProtectedHeader');
      }),
      { numRuns: 300 },
    );
  });
});
