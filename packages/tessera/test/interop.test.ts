// Interop: JWS/JWT signing and verification against five independent implementations
// (PyJWT, jwcrypto, Authlib, jose, jsonwebtoken — see ../shared/oracles/README.md), in both directions.
//
//   1. ours → theirs: a token from signJWT verifies in every oracle with its claims intact, and a copy with one
//      character of the signature (or of the payload) changed is rejected by every oracle.
//   2. theirs → ours: every oracle signs; verifyJWT accepts it, rejects tampered copies with InvalidSignatureError
//      and refuses it with InvalidAlgorithmError when `algorithms` leaves its alg out.
//   3. claim semantics on a fixed clock (exp, nbf, aud) reject on both sides; where the oracles disagree among
//      themselves (README "Behaviour probes") only Tessera is held to the RFC.
//
// Keys come from node:crypto, never from an oracle. A missing oracle fails the suite under CI and is skipped
// loudly otherwise. Oracle calls go through a limiter (helpers/oracles.ts) and the suites run their tests
// concurrently, so the ~400 oracle processes take a few tens of seconds on 2 cores.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import {
  ExpiredSignatureError,
  ImmatureSignatureError,
  InvalidAlgorithmError,
  InvalidAudienceError,
  InvalidKeyError,
  InvalidSignatureError,
  signJWT,
  UnsupportedCriticalHeaderError,
  verifyJWT,
} from 'tessera-jwt';
import {
  callOracle,
  IN_CI,
  NON_VERDICT_ERRORS,
  ORACLE_NAMES,
  ORACLE_SPECS,
  probeOracle,
  type OracleName,
  type OracleResponse,
  type OracleStatus,
} from './helpers/oracles.js';

// ---------------------------------------------------------------------------------------------
// Keys and algorithm cases

type Jwk = { kty: string; [member: string]: unknown };

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const jwkOf = (key: KeyObject): Jwk => key.export({ format: 'jwk' }) as Jwk;
const pkcs8Of = (key: KeyObject): string => key.export({ format: 'pem', type: 'pkcs8' }).toString();
const spkiOf = (key: KeyObject): string => key.export({ format: 'pem', type: 'spki' }).toString();

interface AlgCase {
  /** Test-title name: the alg, plus the curve for EdDSA. */
  id: string;
  alg: string;
  kid: string;
  hmac: boolean;
  /** HMAC: the secret bytes. */
  secret?: Uint8Array;
  /** Private (or secret) KeyObject: what Tessera signs with in the main tests. */
  privateKey: KeyObject;
  /** Public (or secret) KeyObject. */
  publicKey: KeyObject;
  /** Sent to oracles to sign. */
  privateJwk: Jwk;
  /** Sent to oracles to verify; also what Tessera verifies with in the main tests. */
  publicJwk: Jwk;
  /** An allowlist that leaves this alg out (same family where there is one). */
  excluded: string[];
}

function hmacCase(alg: string, bytes: number): AlgCase {
  const secret = new Uint8Array(randomBytes(bytes));
  const key = createSecretKey(secret);
  const jwk: Jwk = { kty: 'oct', k: b64u(secret) };
  return {
    id: alg,
    alg,
    kid: `kid-${alg}`,
    hmac: true,
    secret,
    privateKey: key,
    publicKey: key,
    privateJwk: jwk,
    publicJwk: jwk,
    excluded: ['HS256', 'HS384', 'HS512'].filter((a) => a !== alg),
  };
}

function pairCase(
  id: string,
  alg: string,
  pair: { privateKey: KeyObject; publicKey: KeyObject },
  excluded: string[],
): AlgCase {
  return {
    id,
    alg,
    kid: `kid-${id.replace(/\W+/g, '-')}`,
    hmac: false,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    privateJwk: jwkOf(pair.privateKey),
    publicJwk: jwkOf(pair.publicKey),
    excluded: excluded.filter((a) => a !== alg),
  };
}

const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const k256 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
const ed25519 = generateKeyPairSync('ed25519');
const ed448 = generateKeyPairSync('ed448');

const CASES: AlgCase[] = [
  hmacCase('HS256', 32),
  hmacCase('HS384', 48),
  hmacCase('HS512', 64),
  ...RSA_ALGS.map((alg) => pairCase(alg, alg, rsa, RSA_ALGS)),
  pairCase('ES256', 'ES256', p256, ['ES384', 'ES512']),
  pairCase('ES384', 'ES384', p384, ['ES256', 'ES512']),
  pairCase('ES512', 'ES512', p521, ['ES256', 'ES384']),
  pairCase('ES256K', 'ES256K', k256, ['ES256']),
  pairCase('EdDSA (Ed25519)', 'EdDSA', ed25519, ['ES256']),
  pairCase('EdDSA (Ed448)', 'EdDSA', ed448, ['ES256']),
];

/**
 * What each oracle implements (checked against its `info` answer below where it publishes a list).
 * jose 6 dropped secp256k1 and Ed448; jsonwebtoken 9 has neither ES256K nor EdDSA.
 */
const UNSUPPORTED: Record<OracleName, readonly string[]> = {
  pyjwt: [],
  jwcrypto: [],
  authlib: [],
  jose: ['ES256K', 'EdDSA (Ed448)'],
  jsonwebtoken: ['ES256K', 'EdDSA (Ed25519)', 'EdDSA (Ed448)'],
};
const supports = (oracle: OracleName, c: AlgCase): boolean => !UNSUPPORTED[oracle].includes(c.id);

/** Where each oracle's `info` lists its JWS algorithms (jose publishes none). */
const INFO_ALG_FIELD: Record<OracleName, string | null> = {
  pyjwt: 'algorithms',
  jwcrypto: 'jws_default_allowed',
  authlib: 'jws_algorithms',
  jose: null,
  jsonwebtoken: 'algorithms',
};

// ---------------------------------------------------------------------------------------------
// Oracle availability: probed once, before any test is declared

const STATUS = new Map<OracleName, OracleStatus>(
  await Promise.all(ORACLE_NAMES.map(async (n) => [n, await probeOracle(n)] as const)),
);
const MISSING = [...STATUS.values()].filter((s) => !s.available);
if (MISSING.length > 0) {
  const lines = MISSING.map((s) =>
    s.available ? '' : `  - ${ORACLE_SPECS[s.name].label}: ${s.reason}\n      install: ${s.install}`,
  );
  const banner = `\n!!! interop oracles unavailable — their tests are ${IN_CI ? 'FAILING (CI is set)' : 'SKIPPED'}:\n${lines.join('\n')}\n`;
  console.warn(banner);
}

/** The `skip` option for a test that needs these oracles: false, or a message naming what is missing. */
function skipUnless(...oracles: OracleName[]): false | string {
  for (const o of oracles) {
    const s = STATUS.get(o);
    if (s && !s.available) return `${ORACLE_SPECS[o].label} oracle unavailable (${s.reason}); install: ${s.install}`;
  }
  return false;
}

const label = (o: OracleName): string => ORACLE_SPECS[o].label;

// ---------------------------------------------------------------------------------------------
// Shared fixtures and helpers

/** Now, whole seconds, fixed for the run so that expected `iat`/`exp` are exact. */
const NOW = Math.floor(Date.now() / 1000);
/** A distinctive `sub`: the payload tamper changes its last character. */
const SUBJECT = 'tessera-interop-subject';
const TAMPERED_SUBJECT = 'tessera-interop-subjecu';
const CLAIMS = {
  sub: SUBJECT,
  iss: 'https://issuer.example',
  name: 'Zoë Ångström — 東京 🎌', // non-ASCII, including a non-BMP character
  n: 42,
  nested: { list: [1, 'two', true, null], flag: false },
};
/** What a token signed by Tessera with `currentDate: NOW, expiresIn: '1h'` must carry. */
const OUR_EXPECTED_PAYLOAD = { ...CLAIMS, iat: NOW, exp: NOW + 3600 };
/** What oracles are asked to sign (a complete claims set, so every library carries it unchanged). */
const THEIR_PAYLOAD = { ...CLAIMS, iat: NOW, exp: NOW + 3600 };

function memo<T>(fn: () => T): () => T {
  let cached: { value: T } | undefined;
  return () => (cached ??= { value: fn() }).value;
}

function segments(token: string): [string, string, string] {
  const parts = token.split('.');
  assert.equal(parts.length, 3, 'a compact JWS has three segments');
  return [parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''];
}

/**
 * Change one character in the middle of the signature segment. (Never the last one: its low bits may be
 * base64 padding bits that lenient decoders ignore, which would leave the signature unchanged.)
 */
function tamperSignature(token: string): string {
  const [h, p, s] = segments(token);
  const i = Math.floor(s.length / 2);
  const replacement = s[i] === 'A' ? 'B' : 'A';
  const out = `${h}.${p}.${s.slice(0, i)}${replacement}${s.slice(i + 1)}`;
  assert.notEqual(out, token);
  return out;
}

/**
 * Change one character of the payload (the last letter of `sub`) and re-encode it, so that the copy is still
 * well-formed base64url JSON and only the signature can tell.
 */
function tamperPayload(token: string): string {
  const [h, p, s] = segments(token);
  const json = Buffer.from(p, 'base64url').toString('utf8');
  assert.ok(json.includes(`"${SUBJECT}"`), 'the payload carries the subject to tamper with');
  const changed = json.replace(`"${SUBJECT}"`, `"${TAMPERED_SUBJECT}"`);
  JSON.parse(changed); // still valid JSON
  return `${h}.${Buffer.from(changed, 'utf8').toString('base64url')}.${s}`;
}

function describeResponse(r: OracleResponse): string {
  return r.ok ? 'ok' : `${r.error.type} (${r.error.native ?? ''}: ${r.error.message ?? ''})`;
}

function assertAccepted(r: OracleResponse, who: string): asserts r is Extract<OracleResponse, { ok: true }> {
  assert.ok(r.ok, `${who} rejected a valid token: ${describeResponse(r)}`);
}

/** The oracle rejected the token as a verdict on the token (not because it could not run or parse the request). */
function assertRejected(r: OracleResponse, who: string): void {
  assert.equal(r.ok, false, `${who} accepted a token it must reject`);
  if (!r.ok) {
    assert.ok(
      !NON_VERDICT_ERRORS.includes(r.error.type),
      `${who} failed for a reason unrelated to the token: ${describeResponse(r)}`,
    );
  }
}

function assertTesseraError(fn: () => unknown, cls: abstract new (...args: never[]) => Error, code: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(
      err instanceof cls,
      `expected ${cls.name}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    );
    assert.equal((err as { code?: unknown }).code, code);
    return true;
  });
}

async function oracleSigned(oracle: OracleName, request: Record<string, unknown>): Promise<string> {
  const r = await callOracle(oracle, { op: 'sign', ...request });
  assert.ok(r.ok, `${label(oracle)} could not sign: ${describeResponse(r)}`);
  assert.equal(typeof r.token, 'string');
  return r.token as string;
}

/** The key Tessera verifies with in the main tests: the raw secret for HMAC, the public JWK otherwise. */
const tesseraVerifyKey = (c: AlgCase): Jwk | Uint8Array => (c.hmac ? (c.secret as Uint8Array) : c.publicJwk);

// ---------------------------------------------------------------------------------------------
// 0. The oracles themselves

describe('interop oracles', { concurrency: true }, () => {
  for (const o of ORACLE_NAMES) {
    test(`the ${label(o)} oracle is installed and answers info`, (t) => {
      const s = STATUS.get(o);
      assert.ok(s);
      if (!s.available) {
        const msg = `${label(o)} oracle unavailable: ${s.reason}. Install with: ${s.install}`;
        if (IN_CI) assert.fail(msg);
        t.skip(msg);
        return;
      }
      assert.equal(s.info.ok, true);
    });

    const field = INFO_ALG_FIELD[o];
    if (field !== null) {
      test(`the algorithms ${label(o)} advertises are exactly the ones this suite runs against it`, {
        skip: skipUnless(o),
      }, () => {
        const s = STATUS.get(o);
        assert.ok(s?.available);
        const advertised = s.info[field];
        assert.ok(Array.isArray(advertised), `${label(o)} info has no ${field} list`);
        const normalized = new Set((advertised as unknown[]).filter((a) => a !== 'none' && a !== 'ES521')); // ES521: PyJWT alias
        const covered = new Set(CASES.filter((c) => supports(o, c)).map((c) => c.alg));
        assert.deepEqual([...covered].sort(), [...normalized].sort());
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// 1. Ours → theirs

describe('tokens signed by Tessera, verified by the oracles', { concurrency: true }, () => {
  for (const c of CASES) {
    const ourToken = memo(() =>
      signJWT(CLAIMS, c.hmac ? (c.secret as Uint8Array) : c.privateKey, {
        algorithm: c.alg,
        kid: c.kid,
        expiresIn: '1h',
        currentDate: new Date(NOW * 1000),
      }),
    );
    const verifyIn = (o: OracleName, token: string): Promise<OracleResponse> =>
      callOracle(o, { op: 'verify', token, key: c.publicJwk, algorithms: [c.alg] });

    for (const o of ORACLE_NAMES) {
      if (!supports(o, c)) continue;
      const skip = skipUnless(o);

      test(`${c.id}: a token signed by Tessera verifies in ${label(o)} with its header and claims intact`, {
        skip,
      }, async () => {
        const r = await verifyIn(o, ourToken());
        assertAccepted(r, label(o));
        assert.deepEqual(r.payload, OUR_EXPECTED_PAYLOAD);
        assert.equal(r.header?.alg, c.alg);
        assert.equal(r.header?.typ, 'JWT');
        assert.equal(r.header?.kid, c.kid);
      });

      test(`${c.id}: ${label(o)} rejects a Tessera token with one character of the signature changed`, {
        skip,
      }, async () => {
        assertRejected(await verifyIn(o, tamperSignature(ourToken())), label(o));
      });

      test(`${c.id}: ${label(o)} rejects a Tessera token with one character of the payload changed`, {
        skip,
      }, async () => {
        assertRejected(await verifyIn(o, tamperPayload(ourToken())), label(o));
      });
    }

    // Other ways to hand Tessera the signing key, checked by one oracle that implements the algorithm.
    const ref = ORACLE_NAMES.find((o) => supports(o, c) && STATUS.get(o)?.available) ?? 'pyjwt';
    const otherKeyForms: Array<[string, () => Parameters<typeof signJWT>[1]]> = c.hmac
      ? [
          ['an oct JWK', () => c.privateJwk],
          ['a secret KeyObject', () => c.privateKey],
        ]
      : [
          ['a private JWK', () => c.privateJwk],
          ['a PKCS#8 PEM string', () => pkcs8Of(c.privateKey)],
        ];
    for (const [form, key] of otherKeyForms) {
      test(`${c.id}: a token Tessera signs from ${form} verifies in ${label(ref)}`, {
        skip: skipUnless(ref),
      }, async () => {
        const token = signJWT(CLAIMS, key(), {
          algorithm: c.alg,
          kid: c.kid,
          expiresIn: '1h',
          currentDate: new Date(NOW * 1000),
        });
        const r = await verifyIn(ref, token);
        assertAccepted(r, label(ref));
        assert.deepEqual(r.payload, OUR_EXPECTED_PAYLOAD);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// 2. Theirs → ours

describe('tokens signed by the oracles, verified by Tessera', { concurrency: true }, () => {
  for (const c of CASES) {
    const tokenFrom = new Map<OracleName, () => Promise<string>>();
    for (const o of ORACLE_NAMES) {
      tokenFrom.set(
        o,
        memo(() => oracleSigned(o, { alg: c.alg, key: c.privateJwk, payload: THEIR_PAYLOAD, header: { kid: c.kid } })),
      );
    }
    const theirToken = (o: OracleName): Promise<string> => (tokenFrom.get(o) as () => Promise<string>)();

    for (const o of ORACLE_NAMES) {
      if (!supports(o, c)) continue;
      const skip = skipUnless(o);

      test(`${c.id}: Tessera accepts a token signed by ${label(o)} and returns its claims`, { skip }, async () => {
        const payload = verifyJWT(await theirToken(o), tesseraVerifyKey(c), { algorithms: [c.alg] });
        assert.deepEqual(payload, THEIR_PAYLOAD);
      });

      test(`${c.id}: Tessera rejects a ${label(o)} token with one character of the signature changed (InvalidSignatureError)`, {
        skip,
      }, async () => {
        const token = tamperSignature(await theirToken(o));
        assertTesseraError(
          () => verifyJWT(token, tesseraVerifyKey(c), { algorithms: [c.alg] }),
          InvalidSignatureError,
          'ERR_JWS_SIGNATURE_INVALID',
        );
      });

      test(`${c.id}: Tessera rejects a ${label(o)} token with one character of the payload changed (InvalidSignatureError)`, {
        skip,
      }, async () => {
        const token = tamperPayload(await theirToken(o));
        assertTesseraError(
          () => verifyJWT(token, tesseraVerifyKey(c), { algorithms: [c.alg] }),
          InvalidSignatureError,
          'ERR_JWS_SIGNATURE_INVALID',
        );
      });

      test(`${c.id}: Tessera refuses a ${label(o)} token when algorithms leaves ${c.alg} out (InvalidAlgorithmError)`, {
        skip,
      }, async () => {
        const token = await theirToken(o);
        assertTesseraError(
          () => verifyJWT(token, tesseraVerifyKey(c), { algorithms: c.excluded }),
          InvalidAlgorithmError,
          'ERR_JWT_ALG_NOT_ALLOWED',
        );
      });
    }

    // Other ways to hand Tessera the verification key, on a token from one oracle.
    const ref = ORACLE_NAMES.find((o) => supports(o, c) && STATUS.get(o)?.available) ?? 'pyjwt';
    const otherKeyForms: Array<[string, () => Parameters<typeof signJWT>[1]]> = c.hmac
      ? [
          ['an oct JWK', () => c.publicJwk],
          ['a secret KeyObject', () => c.publicKey],
        ]
      : [
          ['an SPKI PEM string', () => spkiOf(c.publicKey)],
          ['a public KeyObject', () => c.publicKey],
        ];
    for (const [form, key] of otherKeyForms) {
      test(`${c.id}: Tessera accepts a ${label(ref)} token with the key given as ${form}`, {
        skip: skipUnless(ref),
      }, async () => {
        const payload = verifyJWT(await theirToken(ref), key(), { algorithms: [c.alg] });
        assert.deepEqual(payload, THEIR_PAYLOAD);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// 3. Claim semantics on a fixed clock

/** A fixed instant, far from the real clock, so that only the `now` given to each side matters. */
const T = 1_700_000_000;
const CLAIM_CASE = CASES.find((c) => c.id === 'ES256') as AlgCase; // implemented by all five oracles

interface ClaimScenario {
  name: string;
  payload: Record<string, unknown>;
  /** Where the token must be rejected: the clock and, optionally, the audience the verifier expects. */
  invalid: { now: number; audience?: string };
  /** Where the same token is valid (the control, so a rejection above is for the right reason). */
  valid: { now: number; audience?: string };
  error: abstract new (...args: never[]) => Error;
  code: string;
}

const SCENARIOS: ClaimScenario[] = [
  {
    name: 'a token past its exp',
    payload: { sub: SUBJECT, iat: T - 3600, exp: T },
    invalid: { now: T + 60 },
    valid: { now: T - 60 },
    error: ExpiredSignatureError,
    code: 'ERR_JWT_EXPIRED',
  },
  {
    name: 'a token whose nbf is in the future',
    payload: { sub: SUBJECT, iat: T - 3600, nbf: T + 60, exp: T + 3600 },
    invalid: { now: T },
    valid: { now: T + 120 },
    error: ImmatureSignatureError,
    code: 'ERR_JWT_NOT_YET_VALID',
  },
  {
    name: 'a token for another audience',
    payload: { sub: SUBJECT, iat: T - 60, exp: T + 3600, aud: 'https://api.example' },
    invalid: { now: T, audience: 'https://other.example' },
    valid: { now: T, audience: 'https://api.example' },
    error: InvalidAudienceError,
    code: 'ERR_JWT_AUDIENCE_INVALID',
  },
];

function oracleOptions(at: { now: number; audience?: string }): Record<string, unknown> {
  return at.audience === undefined ? { now: at.now } : { now: at.now, audience: at.audience };
}

function tesseraOptions(at: { now: number; audience?: string }): Parameters<typeof verifyJWT>[2] {
  const options: Parameters<typeof verifyJWT>[2] = {
    algorithms: [CLAIM_CASE.alg],
    currentDate: new Date(at.now * 1000),
  };
  if (at.audience !== undefined) options.audience = at.audience;
  return options;
}

describe('claim checks on a fixed clock agree in both directions', { concurrency: true }, () => {
  const c = CLAIM_CASE;
  for (const sc of SCENARIOS) {
    const ourToken = memo(() =>
      signJWT(sc.payload, c.privateKey, { algorithm: c.alg, currentDate: new Date(T * 1000) }),
    );

    for (const o of ORACLE_NAMES) {
      const skip = skipUnless(o);
      const verifyIn = (at: { now: number; audience?: string }): Promise<OracleResponse> =>
        callOracle(o, {
          op: 'verify',
          token: ourToken(),
          key: c.publicJwk,
          algorithms: [c.alg],
          options: oracleOptions(at),
        });
      const theirToken = memo(() => oracleSigned(o, { alg: c.alg, key: c.privateJwk, payload: sc.payload }));

      test(`${sc.name}: ${label(o)} rejects it when Tessera signed it`, { skip }, async () => {
        assertRejected(await verifyIn(sc.invalid), label(o));
      });

      test(`${sc.name}: ${label(o)} accepts the same Tessera token where it is valid`, { skip }, async () => {
        const r = await verifyIn(sc.valid);
        assertAccepted(r, label(o));
        assert.deepEqual(r.payload, sc.payload);
      });

      test(`${sc.name}: Tessera rejects it when ${label(o)} signed it (${sc.error.name})`, { skip }, async () => {
        const token = await theirToken();
        assertTesseraError(() => verifyJWT(token, c.publicJwk, tesseraOptions(sc.invalid)), sc.error, sc.code);
      });

      test(`${sc.name}: Tessera accepts the same ${label(o)} token where it is valid`, { skip }, async () => {
        const payload = verifyJWT(await theirToken(), c.publicJwk, tesseraOptions(sc.valid));
        assert.deepEqual(payload, sc.payload);
      });
    }
  }

  // Where the oracles split (README "Behaviour probes"), Tessera follows the RFC; the oracles are not asserted.
  const expired = SCENARIOS[0] as ClaimScenario;
  const audience = SCENARIOS[2] as ClaimScenario;
  const ref = ORACLE_NAMES.find((o) => STATUS.get(o)?.available) ?? 'jose';

  test(`Tessera rejects a ${label(ref)} token at the very second of its exp (RFC 7519 §4.1.4: "on or after")`, {
    skip: skipUnless(ref),
  }, async () => {
    const token = await oracleSigned(ref, { alg: c.alg, key: c.privateJwk, payload: expired.payload });
    assertTesseraError(
      () => verifyJWT(token, c.publicJwk, tesseraOptions({ now: T })),
      ExpiredSignatureError,
      'ERR_JWT_EXPIRED',
    );
  });

  test(`Tessera rejects a ${label(ref)} token that has aud when no audience is expected (RFC 7519 §4.1.3)`, {
    skip: skipUnless(ref),
  }, async () => {
    const token = await oracleSigned(ref, { alg: c.alg, key: c.privateJwk, payload: audience.payload });
    assertTesseraError(
      () => verifyJWT(token, c.publicJwk, tesseraOptions({ now: T })),
      InvalidAudienceError,
      'ERR_JWT_AUDIENCE_INVALID',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Weak keys: tokens minted elsewhere with keys below Tessera's floor (HMAC secret shorter than the hash
//    output, RSA under 2048 bits) are refused unless allowWeakKeys. PyJWT, jwcrypto and Authlib sign them
//    (jose and jsonwebtoken refuse 1024-bit RSA), so the first of those that is available mints them.

describe('weak keys from other implementations', { concurrency: true }, () => {
  const minter = (['pyjwt', 'jwcrypto', 'authlib'] as const).find((o) => STATUS.get(o)?.available) ?? 'pyjwt';
  const skip = skipUnless(minter);
  const shortSecret = new Uint8Array(randomBytes(16));
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const weak = [
    {
      what: 'an HS256 token made with a 16-byte secret',
      alg: 'HS256',
      signJwk: { kty: 'oct', k: b64u(shortSecret) },
      key: shortSecret,
    },
    {
      what: 'an RS256 token made with a 1024-bit RSA key',
      alg: 'RS256',
      signJwk: jwkOf(rsa1024.privateKey),
      key: jwkOf(rsa1024.publicKey),
    },
  ];
  for (const w of weak) {
    const token = memo(() => oracleSigned(minter, { alg: w.alg, key: w.signJwk, payload: THEIR_PAYLOAD }));

    test(`Tessera refuses ${w.what} by ${label(minter)} (InvalidKeyError)`, { skip }, async () => {
      const t = await token();
      assertTesseraError(() => verifyJWT(t, w.key, { algorithms: [w.alg] }), InvalidKeyError, 'ERR_KEY_INVALID');
    });

    test(`Tessera accepts ${w.what} by ${label(minter)} when allowWeakKeys is set`, { skip }, async () => {
      const payload = verifyJWT(await token(), w.key, { algorithms: [w.alg], allowWeakKeys: true });
      assert.deepEqual(payload, THEIR_PAYLOAD);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 5. Tokens some oracles accept and the RFCs forbid (README "Behaviour probes"). The oracle only mints the
//    token; Tessera is held to the RFC, the oracles are not asserted.

describe('tokens the oracles disagree on, checked against the RFCs', { concurrency: true }, () => {
  // PyJWT 2.6 signs ES256 with any EC key and writes any header; it is the forger here (jose for alg confusion).
  const skip = skipUnless('pyjwt');
  const p384Jwk = CASES.find((c) => c.id === 'ES384') as AlgCase;
  const rsaCase = CASES.find((c) => c.id === 'RS256') as AlgCase;

  test('Tessera refuses an ES256 token PyJWT made with a P-384 key (RFC 7518 §3.4; InvalidKeyError)', {
    skip,
  }, async () => {
    const token = await oracleSigned('pyjwt', { alg: 'ES256', key: p384Jwk.privateJwk, payload: THEIR_PAYLOAD });
    assertTesseraError(
      () => verifyJWT(token, p384Jwk.publicJwk, { algorithms: ['ES256'] }),
      InvalidKeyError,
      'ERR_KEY_INVALID',
    );
  });

  const spki = spkiOf(rsaCase.publicKey);
  // PyJWT refuses a PEM as an HMAC secret even when signing; jose does not.
  const confusion = memo(() =>
    oracleSigned('jose', {
      alg: 'HS256',
      key: { kty: 'oct', k: b64u(Buffer.from(spki, 'utf8')) },
      payload: THEIR_PAYLOAD,
    }),
  );
  const confusionKeys: Array<[string, () => Parameters<typeof signJWT>[1]]> = [
    ['PEM string', () => spki],
    ['JWK', () => rsaCase.publicJwk],
  ];
  for (const [form, key] of confusionKeys) {
    test(`Tessera refuses an HS256 token keyed with the RSA public key's PEM when given that key as a ${form} (RFC 8725 §2.1; InvalidKeyError)`, {
      skip: skipUnless('jose'),
    }, async () => {
      const token = await confusion();
      assertTesseraError(
        () => verifyJWT(token, key(), { algorithms: ['RS256', 'HS256'] }),
        InvalidKeyError,
        'ERR_KEY_INVALID',
      );
    });
  }

  const withCrit = memo(() =>
    oracleSigned('pyjwt', {
      alg: 'RS256',
      key: rsaCase.privateJwk,
      payload: THEIR_PAYLOAD,
      header: { crit: ['urn:example:ext'], 'urn:example:ext': 1 },
    }),
  );

  test('Tessera refuses a PyJWT token whose crit names an extension it was not told about (RFC 7515 §4.1.11)', {
    skip,
  }, async () => {
    const token = await withCrit();
    assertTesseraError(
      () => verifyJWT(token, rsaCase.publicJwk, { algorithms: ['RS256'] }),
      UnsupportedCriticalHeaderError,
      'ERR_JWT_CRIT_UNSUPPORTED',
    );
  });

  test('Tessera accepts the same crit token once the extension is listed in crit', { skip }, async () => {
    const payload = verifyJWT(await withCrit(), rsaCase.publicJwk, {
      algorithms: ['RS256'],
      crit: ['urn:example:ext'],
    });
    assert.deepEqual(payload, THEIR_PAYLOAD);
  });
});
