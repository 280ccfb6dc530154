// Attacks: a negative suite written from RFC 8725 (JWT Best Current Practices) and from the CVEs of other
// JWT libraries. Every case asserts the error class AND its `code`, and — through expectError — that the
// message never contains the token, one of its segments, the secret, or key material (CVE-2019-7644 leaked
// the expected signature in an error message). A test that names a CVE is a regression of that bug as it
// appeared elsewhere; Tessera must not repeat it.
//
// Tokens that no well-behaved signer would produce (duplicate members, non-canonical base64url, wrong claim
// types, psychic signatures) are crafted by hand here, signed with node:crypto directly where the attack
// needs a valid signature over the malformed text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHmac, createPrivateKey, createPublicKey, type KeyObject, sign as nodeSign } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import {
  createVerifier,
  DecodeError,
  decodeJWT,
  decodeProtectedHeader,
  decodeUnsecuredJWT,
  encodeUnsecuredJWT,
  ExpiredSignatureError,
  InvalidAlgorithmError,
  InvalidAudienceError,
  InvalidClaimError,
  InvalidIssuedAtError,
  InvalidIssuerError,
  InvalidJTIError,
  InvalidKeyError,
  InvalidSignatureError,
  InvalidSubjectError,
  JWKError,
  JWTError,
  MissingRequiredClaimError,
  signJWS,
  signJWT,
  UnsupportedCriticalHeaderError,
  verifyJWT,
} from 'tessera-jwt';
import type { JWK, JWTPayload, KeyInput, KeyResolver, VerifyOptions } from 'tessera-jwt';

// ---------------------------------------------------------------------------------------------
// Clock, keys and the list of strings no error message may contain

const NOW = new Date('2025-06-01T12:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

/** Secrets and key material (base64/base64url forms, PEM lines); no error message may contain any of them. */
const SENSITIVE = new Set<string>();

function markSensitive(...values: string[]): void {
  for (const v of values) if (v.length >= 12) SENSITIVE.add(v);
}

const SECRET = 'tessera-attack-suite-hmac-secret-0123456789';
markSensitive(SECRET, Buffer.from(SECRET).toString('base64'), Buffer.from(SECRET).toString('base64url'));

function markKey(key: KeyObject): void {
  const jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
  for (const name of ['n', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'x', 'y', 'k']) {
    const value = jwk[name];
    if (typeof value === 'string') markSensitive(value, Buffer.from(value, 'base64url').toString('base64'));
  }
  const pem =
    key.type === 'private'
      ? key.export({ format: 'pem', type: 'pkcs8' }).toString()
      : key.export({ format: 'pem', type: 'spki' }).toString();
  for (const line of pem.split('\n')) if (!line.startsWith('-----')) markSensitive(line.trim());
}

function pair(
  type: 'rsa' | 'ec' | 'ed25519' | 'x25519',
  detail?: number | string,
): { privateKey: KeyObject; publicKey: KeyObject } {
  const keys =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: (detail as number | undefined) ?? 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: detail as string })
        : type === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('x25519');
  markKey(keys.privateKey);
  markKey(keys.publicKey);
  return keys;
}

const rsa = pair('rsa');
const rsaAttacker = pair('rsa');
const rsaWeak = pair('rsa', 1024);
const p256 = pair('ec', 'prime256v1');
const p256Attacker = pair('ec', 'prime256v1');
const p384 = pair('ec', 'secp384r1');
const p521 = pair('ec', 'secp521r1');
const k256 = pair('ec', 'secp256k1');
const ed25519 = pair('ed25519');
const x25519 = pair('x25519');

const spki = (key: KeyObject): string => key.export({ format: 'pem', type: 'spki' }).toString();
const pkcs8 = (key: KeyObject): string => key.export({ format: 'pem', type: 'pkcs8' }).toString();
const jwkOf = (key: KeyObject): JWK => key.export({ format: 'jwk' }) as JWK;

const RSA_PUBLIC_PEM = spki(rsa.publicKey);

// A self-signed RSA 2048 certificate (CN=tessera-attack-fixture) and its key, made once with
// `openssl req -x509 -newkey rsa:2048 -nodes -days 36500`. Only used as a public key; never trusted.
const CERT_PRIVATE_PEM = `-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDVbZM8Z8xp1/A2
IsGaQnkjpIa/2ShBV59L9F7inr2AF75pBfTi4G9e9q6pFbCVWZ+tVnzHA26XGmCx
ejlbWN4heHf52RLKCJkNduv/PLYzk9Mp7mAjEKy2Vgf7zXKfpzA3Zzu5Mc8+JtmV
0XKcJZgwhTxoQ1VL2h7wjwBuigZKWQXcjr427UKwZNjLBmcvQn3LUd7HxO0qZJci
ieb4e+6aLpjo3q+0bT8HctYyffhUeOdsfVJenyGzSss3mjn1Kqu2pOkC686tXetH
jbHOQglCubAvmC0tpJfH5V3dHG/I048FgGHQk2jPeONGUEgmckQ+MUdPNMSbC3J4
Vsf9UVCZAgMBAAECggEAAiUUdvclQoA6BeGdw4MrdVmUrboHEcmVKXIt0R1wJCME
leAEm8xxYVrdg58sbgK2uW4QgkUKT1E1BbFk0nyeh8SIxts2xQL1bSow8hjRqjSH
ZpM52uEVrcyZwuS2afnq/eD/0vJ3/mlKfiymeBgdcZVipgCXC2u22r+IbSVp0Irx
MZI2em9A4th0+X5xAAHbxB4SrzGD/173+wXfVp2DlvIKONPBlQwdf3YRfr1oBgjf
IYiBwBASYptiUd6EIfDQ9vXq2WlejG688KRCNYccBFAYdcYT51O6U7KZ30CtGuqJ
d1WI6DTC7MEpLxAPFBglCgoOuj8FIJtmifiG4NXmQQKBgQD0V/wfxluXImbS+MBB
sqVE7EGExlqiZgsV3AYTvQWa1HAXvVUkDE0wyx/SyoUm9gykJsTAT7d/xfCwyKLh
EP1pfy+IWCzUf/3mzpYGK3eJ6lhDmPCxtg5UfgglvwnlCO17HYowbU3NewtOCSsr
0QgRbBHbPA7M1HrmEIRiuyv2uQKBgQDfnAls9M/gyPwa4g7CfJJtQePujSlpZzVa
KW3EgIERuATPnU9P0i/DNJYiG60CGjQVvl/87mKqfQwBBE5+aIngJiMBAicecDCe
oxBN+0Wku/437UrFeJiPyNGcWglSU455BFhMOFpOkKtEo5YvC9sZEaMGOX9hsJw0
oMsK4N044QKBgE+kEfCFZbsIIn2nSHrhcI7bdquBP29pVTmlwnFSje4eSf7i3kpm
nA5IVrINAoNldU9Xt497LDNAYCgu7S/wqrhlFSganVoR8b72HN4b8tWIBYba5bD2
xwrxHVS4RNBbLZSQV0dbiR1teozP3jtk4X1UPSm5FJXct8YfIhdQLI85AoGAZPFa
q+4EHbR9YmFkSlXUADB7hcgBxsxJoG8NV2SvX2FUAqlAEYeP+i42DCW0Pzu3AY3U
ZSj0L4SNs7PO/2+PtjlhGeZv5GS+/g4coSdqdAhNpc+gLm7XaCk+vrdCeACyU10r
wxS5Z7gVKMI0XP6cJL/6eSfhoicJDRT9M+b41uECgYA1avkISEkfdiM+AqJNrJ+B
Z+FcqWGWhBrPwi8Mzm8QcaTpcljvnhVWD1lKB/UAgxqL1xgtS/hAz0IqEQqhK+O8
yHrSPwesryytaCdTcBngodggzXRVhocKLsa3+Ac8bKto4/56OQRAvuVqZBGN8Zjq
xWrGruAJFsGzos5ZxWZs2Q==
-----END PRIVATE KEY-----
`;
const CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIDJTCCAg2gAwIBAgIULIrsGqIpFPDtLDnXulX3/Qcc3IEwDQYJKoZIhvcNAQEL
BQAwITEfMB0GA1UEAwwWdGVzc2VyYS1hdHRhY2stZml4dHVyZTAgFw0yNjExMjUw
NjExMzBaGA8yMTI2MTEwMTA2MTEzMFowITEfMB0GA1UEAwwWdGVzc2VyYS1hdHRh
Y2stZml4dHVyZTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBANVtkzxn
zGnX8DYiwZpCeSOkhr/ZKEFXn0v0XuKevYAXvmkF9OLgb172rqkVsJVZn61WfMcD
bpcaYLF6OVtY3iF4d/nZEsoImQ126/88tjOT0ynuYCMQrLZWB/vNcp+nMDdnO7kx
zz4m2ZXRcpwlmDCFPGhDVUvaHvCPAG6KBkpZBdyOvjbtQrBk2MsGZy9CfctR3sfE
7SpklyKJ5vh77poumOjer7RtPwdy1jJ9+FR452x9Ul6fIbNKyzeaOfUqq7ak6QLr
zq1d60eNsc5CCUK5sC+YLS2kl8flXd0cb8jTjwWAYdCTaM9440ZQSCZyRD4xR080
xJsLcnhWx/1RUJkCAwEAAaNTMFEwHQYDVR0OBBYEFDcQ1G0JNT/eXJ3Cxsr4i268
0OV8MB8GA1UdIwQYMBaAFDcQ1G0JNT/eXJ3Cxsr4i2680OV8MA8GA1UdEwEB/wQF
MAMBAf8wDQYJKoZIhvcNAQELBQADggEBAHOx/02zXrkVJz+mfmB2WVuIhoYDH0+X
9HN7XtxRhyNPgXnck1e6uDWQHfKc+sGaoefdfkR1wMU2IPRrsW9MLAM27rfJlfow
VYvSx1c3sy7nmM+vIZvFv18d6+C79aTGY4AbAeo0NnhOTMHwBLuz+w27G+MBnw3V
fdezENgy2fCSHeqyhLLrZrHH1nSEtZN4bJXcSWzusAFwXeCQJfyXwMpmRrb38IEJ
XHle74WIKa0RgCkPWtugmB7Cl9gsOM5HJw9Gpu0K8ET6uarPq0XmupwPpWwW7Q4D
CGSN/Gz3oYcI43kZQD3VZba5bs4tQ6EK6rcIMqRCGFR/NQyuUgvNFuk=
-----END CERTIFICATE-----
`;
const certKey = createPrivateKey(CERT_PRIVATE_PEM);
markKey(certKey);
markKey(createPublicKey(certKey));

// ---------------------------------------------------------------------------------------------
// Crafting tokens by hand

const b64u = (input: string | Uint8Array): string =>
  (typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input)).toString('base64url');
const seg = (value: unknown): string => b64u(JSON.stringify(value));

const HS256_HEADER = seg({ alg: 'HS256', typ: 'JWT' });
const CLAIMS = { sub: 'user-42', iat: NOW_S - 60, exp: NOW_S + 3600 };

function hmacB64u(input: string, secret: string | Uint8Array = SECRET, hash = 'sha256'): string {
  return createHmac(hash, secret).update(input, 'latin1').digest('base64url');
}

/** header.payload (both already encoded) plus a valid HS signature over exactly that text. */
function signSegmentsHS(
  headerSegment: string,
  payloadSegment: string,
  secret: string | Uint8Array = SECRET,
  hash = 'sha256',
): string {
  const input = `${headerSegment}.${payloadSegment}`;
  return `${input}.${hmacB64u(input, secret, hash)}`;
}

/** A token whose header and payload are the given JSON texts (kept byte-exact), validly HS256-signed. */
function craftHS(headerJSON: string, payloadJSON: string, secret: string | Uint8Array = SECRET): string {
  return signSegmentsHS(b64u(headerJSON), b64u(payloadJSON), secret);
}

/** An HS256 token with the standard header and the given payload JSON text. */
const hsWithPayload = (payloadJSON: string): string => craftHS('{"alg":"HS256","typ":"JWT"}', payloadJSON);

function signAsym(alg: string, key: KeyObject, input: string): Buffer {
  const data = Buffer.from(input, 'latin1');
  if (alg.startsWith('ES')) return nodeSign(`sha${alg.slice(2, 5)}`, data, { key, dsaEncoding: 'ieee-p1363' });
  if (alg === 'EdDSA') return nodeSign(null, data, key);
  return nodeSign(`sha${alg.slice(2, 5)}`, data, key);
}

/** An asymmetric token with the given header object and payload, signed with node:crypto directly. */
function craftAsym(alg: string, key: KeyObject, header: Record<string, unknown>, payload: unknown = CLAIMS): string {
  const input = `${seg({ alg, ...header })}.${seg(payload)}`;
  return `${input}.${signAsym(alg, key, input).toString('base64url')}`;
}

/** Replaces the signature segment. */
function withSignature(token: string, signature: Uint8Array | string): string {
  const s = typeof signature === 'string' ? signature : b64u(signature);
  return `${token.slice(0, token.lastIndexOf('.'))}.${s}`;
}

const segments = (token: string): string[] => token.split('.');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same bytes with a non-zero "stray" bit in the last character (RFC 7515 §2: not canonical). */
function withStrayBits(segment: string): string {
  const rem = segment.length % 4;
  assert.ok(rem === 2 || rem === 3, 'precondition: the segment must end in a partial quantum');
  const last = ALPHABET.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + ALPHABET[last ^ 1];
}

const hs = (payload: Record<string, unknown> = {}, options: Parameters<typeof signJWT>[2] = {}): string =>
  signJWT({ ...CLAIMS, ...payload }, SECRET, { currentDate: NOW, ...options });

const HS_OPTIONS: VerifyOptions = { algorithms: ['HS256'], currentDate: NOW };

// ---------------------------------------------------------------------------------------------
// Asserting errors

type ErrorClass = abstract new (...args: never[]) => Error;

function describeError(err: unknown): string {
  if (err instanceof Error)
    return `${err.constructor.name}(${(err as { code?: unknown }).code ?? 'no code'}): ${err.message}`;
  return `a thrown ${typeof err}: ${String(err)}`;
}

/** No message may contain the token, a long segment of it, a secret or key material. */
function assertNoLeak(err: Error, token?: string): void {
  const forbidden = [...SENSITIVE];
  if (token !== undefined && token.length >= 8) {
    forbidden.push(token);
    for (const s of token.split('.')) if (s.length >= 16) forbidden.push(s);
  }
  for (const f of forbidden) {
    assert.ok(
      !err.message.includes(f),
      `error message leaks sensitive text (${f.slice(0, 12)}…): ${err.message.slice(0, 200)}`,
    );
  }
}

function checkError(err: unknown, cls: ErrorClass, code: string | undefined, token?: string): Error {
  assert.ok(err instanceof cls, `expected ${cls.name}${code ? ` (${code})` : ''}, got ${describeError(err)}`);
  if (code === undefined) {
    assert.ok(!(err instanceof JWTError), `programmer misuse must be a plain ${cls.name}, got ${describeError(err)}`);
  } else {
    assert.equal((err as JWTError).code, code, `expected code ${code}, got ${describeError(err)}`);
  }
  assertNoLeak(err, token);
  return err;
}

/** Asserts `fn` throws exactly `cls` with `code` (undefined for a TypeError) and a message that leaks nothing. */
function expectError<E extends Error>(
  fn: () => unknown,
  cls: abstract new (...args: never[]) => E,
  code: string | undefined,
  token?: string,
): E {
  let result: unknown;
  try {
    result = fn();
  } catch (err) {
    return checkError(err, cls, code, token) as E;
  }
  assert.fail(
    `expected ${cls.name} (${code ?? 'TypeError'}), but the call returned ${JSON.stringify(result)?.slice(0, 200)}`,
  );
}

async function expectRejection<E extends Error>(
  fn: () => Promise<unknown>,
  cls: abstract new (...args: never[]) => E,
  code: string,
  token?: string,
): Promise<E> {
  let result: unknown;
  try {
    result = await fn();
  } catch (err) {
    return checkError(err, cls, code, token) as E;
  }
  assert.fail(
    `expected a rejection with ${cls.name} (${code}), but it resolved to ${JSON.stringify(result)?.slice(0, 200)}`,
  );
}

/** verifyJWT(token, SECRET, HS_OPTIONS + extra) must throw `cls`/`code`. */
function rejectsHS(token: string, cls: ErrorClass, code: string, extra: VerifyOptions = {}): void {
  expectError(() => verifyJWT(token, SECRET, { ...HS_OPTIONS, ...extra }), cls, code, token);
}

const MALFORMED = 'ERR_JWT_MALFORMED';
const SIG_INVALID = 'ERR_JWS_SIGNATURE_INVALID';
const ALG_NOT_ALLOWED = 'ERR_JWT_ALG_NOT_ALLOWED';
const KEY_INVALID = 'ERR_KEY_INVALID';
const CRIT = 'ERR_JWT_CRIT_UNSUPPORTED';

// A sanity check that the fixtures are sound: a proper token does verify.
test('verifies a well-formed HS256 token (control for the suite)', () => {
  assert.equal(verifyJWT(hs(), SECRET, HS_OPTIONS).sub, 'user-42');
  assert.equal(verifyJWT(hsWithPayload(JSON.stringify(CLAIMS)), SECRET, HS_OPTIONS).sub, 'user-42');
});

// ---------------------------------------------------------------------------------------------
describe('alg "none" (RFC 8725 §3.1, CVE-2015-9235)', () => {
  for (const none of ['none', 'None', 'NONE', 'nOnE']) {
    test(`rejects an unsigned token whose alg is "${none}" (CVE-2015-9235)`, () => {
      const token = `${seg({ alg: none, typ: 'JWT' })}.${seg(CLAIMS)}.`;
      rejectsHS(token, InvalidAlgorithmError, ALG_NOT_ALLOWED);
    });

    test(`rejects an alg "${none}" token that carries a signature`, () => {
      const input = `${seg({ alg: none })}.${seg(CLAIMS)}`;
      rejectsHS(`${input}.${hmacB64u(input)}`, InvalidAlgorithmError, ALG_NOT_ALLOWED);
    });

    test(`rejects an alg "${none}" token verified with an RSA public key`, () => {
      const token = `${seg({ alg: none })}.${seg(CLAIMS)}.`;
      expectError(
        () => verifyJWT(token, RSA_PUBLIC_PEM, { algorithms: ['RS256'], currentDate: NOW }),
        InvalidAlgorithmError,
        ALG_NOT_ALLOWED,
        token,
      );
    });

    test(`throws a TypeError at call time when "algorithms" lists "${none}"`, () => {
      expectError(
        () => verifyJWT(hs(), SECRET, { algorithms: ['HS256', none], currentDate: NOW }),
        TypeError,
        undefined,
      );
    });

    test(`throws a TypeError when createVerifier is given "algorithms" listing "${none}"`, () => {
      expectError(() => createVerifier({ key: SECRET, algorithms: [none] }), TypeError, undefined);
    });
  }

  test('never asks the key resolver about an alg "none" token', async () => {
    let called = false;
    const resolver: KeyResolver = () => {
      called = true;
      return SECRET;
    };
    const token = `${seg({ alg: 'none' })}.${seg(CLAIMS)}.`;
    await expectRejection(() => verifyJWT(token, resolver, HS_OPTIONS), InvalidAlgorithmError, ALG_NOT_ALLOWED, token);
    assert.equal(called, false);
  });

  test('rejects an alg "none" token verified with an empty secret (CVE-2022-23540)', () => {
    const token = `${seg({ alg: 'none' })}.${seg(CLAIMS)}.`;
    expectError(
      () => verifyJWT(token, '', { algorithms: ['HS256'], currentDate: NOW }),
      InvalidAlgorithmError,
      ALG_NOT_ALLOWED,
      token,
    );
  });

  test('throws a TypeError when "algorithms" is missing, instead of defaulting to any algorithm (CVE-2022-23540)', () => {
    expectError(() => verifyJWT(hs(), SECRET, { currentDate: NOW }), TypeError, undefined);
    expectError(() => verifyJWT(hs(), SECRET, { algorithms: [], currentDate: NOW }), TypeError, undefined);
  });

  test('refuses to sign with alg "none" through signJWT', () => {
    expectError(() => signJWT(CLAIMS, SECRET, { algorithm: 'none' }), TypeError, undefined);
  });

  test('rejects the output of encodeUnsecuredJWT in verifyJWT', () => {
    const token = encodeUnsecuredJWT(CLAIMS, { currentDate: NOW });
    rejectsHS(token, InvalidAlgorithmError, ALG_NOT_ALLOWED);
  });

  test('rejects an alg "none" token that carries a signature in decodeUnsecuredJWT', () => {
    const input = `${seg({ alg: 'none' })}.${seg(CLAIMS)}`;
    const token = `${input}.${hmacB64u(input)}`;
    expectError(() => decodeUnsecuredJWT(token, { currentDate: NOW }), DecodeError, MALFORMED, token);
  });

  test('rejects a signed HS256 token in decodeUnsecuredJWT', () => {
    const token = hs();
    expectError(() => decodeUnsecuredJWT(token, { currentDate: NOW }), InvalidAlgorithmError, ALG_NOT_ALLOWED, token);
  });

  test('rejects an alg whose case differs from the registered name ("hs256")', () => {
    rejectsHS(craftHS('{"alg":"hs256"}', JSON.stringify(CLAIMS)), InvalidAlgorithmError, ALG_NOT_ALLOWED);
  });

  test('rejects a token whose alg is outside the allowlist even when the key fits it', () => {
    const token = signJWT(CLAIMS, SECRET, { algorithm: 'HS512', allowWeakKeys: true });
    rejectsHS(token, InvalidAlgorithmError, ALG_NOT_ALLOWED);
  });

  for (const alg of [null, 0, ['HS256'], { name: 'HS256' }, true]) {
    test(`rejects a header whose alg is ${JSON.stringify(alg)} instead of a string`, () => {
      rejectsHS(craftHS(JSON.stringify({ alg }), JSON.stringify(CLAIMS)), DecodeError, MALFORMED);
    });
  }

  test('rejects a header without alg as an algorithm that is not allowed (PyJWT InvalidAlgorithmError)', () => {
    rejectsHS(craftHS('{"typ":"JWT"}', JSON.stringify(CLAIMS)), InvalidAlgorithmError, ALG_NOT_ALLOWED);
  });
});

// ---------------------------------------------------------------------------------------------
describe('HS/RS algorithm confusion (RFC 8725 §2.1, §3.1)', () => {
  // OpenSSH public key lines, built from the key's JWK (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4).
  const sshString = (bytes: Uint8Array): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const mpint = (b64url: string): Buffer => {
    const bytes = Buffer.from(b64url, 'base64url');
    return sshString((bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
  };
  const jwk = (key: KeyObject) => key.export({ format: 'jwk' }) as { n: string; e: string; x: string; y: string };
  const sshRsa = `ssh-rsa ${Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk(rsa.publicKey).e), mpint(jwk(rsa.publicKey).n)]).toString('base64')} victim@example`;
  const sshEd25519 = `ssh-ed25519 ${Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(Buffer.from(jwk(ed25519.publicKey).x, 'base64url'))]).toString('base64')} victim@example`;
  const ecPoint = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk(p256.publicKey).x, 'base64url'),
    Buffer.from(jwk(p256.publicKey).y, 'base64url'),
  ]);
  const sshEcdsa = `ecdsa-sha2-nistp256 ${Buffer.concat([sshString(Buffer.from('ecdsa-sha2-nistp256')), sshString(Buffer.from('nistp256')), sshString(ecPoint)]).toString('base64')} victim@example`;

  /** An HS256 token "signed" with the public key's text as the HMAC secret: the classic forgery. */
  const forge = (publicText: string | Uint8Array): string =>
    craftHS('{"alg":"HS256","typ":"JWT"}', '{"sub":"admin","admin":true}', publicText);
  const BOTH: VerifyOptions = { algorithms: ['HS256', 'RS256'], currentDate: NOW };
  const rsToken = craftAsym('RS256', rsa.privateKey, { typ: 'JWT' });

  test('accepts RS256 tokens with the public key in every form used below (control)', () => {
    for (const key of [
      RSA_PUBLIC_PEM,
      Buffer.from(RSA_PUBLIC_PEM),
      jwkOf(rsa.publicKey),
      JSON.stringify(jwkOf(rsa.publicKey)),
      sshRsa,
      rsa.publicKey,
    ]) {
      assert.equal(verifyJWT(rsToken, key, BOTH).sub, 'user-42');
    }
    const certToken = craftAsym('RS256', certKey, {});
    assert.equal(verifyJWT(certToken, CERT_PEM, BOTH).sub, 'user-42');
    assert.equal(
      verifyJWT(craftAsym('EdDSA', ed25519.privateKey, {}), sshEd25519, {
        algorithms: ['EdDSA', 'HS256'],
        currentDate: NOW,
      }).sub,
      'user-42',
    );
    assert.equal(
      verifyJWT(craftAsym('ES256', p256.privateKey, {}), sshEcdsa, { algorithms: ['ES256', 'HS256'], currentDate: NOW })
        .sub,
      'user-42',
    );
  });

  test('refuses an RS256 public key PEM as the HMAC secret (CVE-2015-9235, CVE-2016-10555)', () => {
    const token = forge(RSA_PUBLIC_PEM);
    expectError(() => verifyJWT(token, RSA_PUBLIC_PEM, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an RS256 public key PEM read from a file as bytes as the HMAC secret', () => {
    const bytes = Buffer.from(RSA_PUBLIC_PEM);
    const token = forge(bytes);
    expectError(() => verifyJWT(token, bytes, BOTH), InvalidKeyError, KEY_INVALID, token);
    expectError(() => verifyJWT(token, new Uint8Array(bytes), BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses a public key PEM with CRLF line endings and surrounding blank lines as the HMAC secret', () => {
    const text = `\r\n${RSA_PUBLIC_PEM.replaceAll('\n', '\r\n')}\r\n`;
    const token = forge(text);
    expectError(() => verifyJWT(token, text, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses a PKCS#1 "RSA PUBLIC KEY" PEM as the HMAC secret (CVE-2017-11424)', () => {
    const pkcs1 = rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    assert.match(pkcs1, /BEGIN RSA PUBLIC KEY/);
    const token = forge(pkcs1);
    expectError(() => verifyJWT(token, pkcs1, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an RSA public JWK object as the HMAC secret', () => {
    const token = forge(JSON.stringify(jwkOf(rsa.publicKey)));
    expectError(() => verifyJWT(token, jwkOf(rsa.publicKey), BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an RSA public JWK given as JSON text as the HMAC secret', () => {
    const text = JSON.stringify(jwkOf(rsa.publicKey));
    const token = forge(text);
    expectError(() => verifyJWT(token, text, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an ssh-rsa public key line as the HMAC secret (CVE-2022-29217)', () => {
    const token = forge(sshRsa);
    expectError(() => verifyJWT(token, sshRsa, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an ssh-ed25519 public key line as the HMAC secret (CVE-2022-29217)', () => {
    const token = forge(sshEd25519);
    expectError(
      () => verifyJWT(token, sshEd25519, { algorithms: ['HS256', 'EdDSA'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('refuses an ecdsa-sha2-nistp256 public key line as the HMAC secret (CVE-2024-33663)', () => {
    const token = forge(sshEcdsa);
    expectError(
      () => verifyJWT(token, sshEcdsa, { algorithms: ['HS256', 'ES256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('refuses an ssh-rsa line separated by a tab as the HMAC secret (CVE-2022-29217)', () => {
    const line = sshRsa.replace(' ', '\t');
    const token = forge(line);
    expectError(() => verifyJWT(token, line, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an authorized_keys line with options before the key as the HMAC secret (CVE-2022-29217)', () => {
    const line = `no-port-forwarding,no-pty ${sshRsa}`;
    const token = forge(line);
    expectError(() => verifyJWT(token, line, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an X.509 certificate PEM as the HMAC secret', () => {
    const token = forge(CERT_PEM);
    expectError(() => verifyJWT(token, CERT_PEM, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an X.509 certificate with an openssl text preamble as the HMAC secret', () => {
    // `openssl pkcs12 -nokeys` and `openssl x509 -subject -issuer` write these lines before the PEM block;
    // node's X509Certificate reads such a file, and PyJWT's PEM detection finds the block anywhere.
    const text = `Bag Attributes\n    localKeyID: 01 00 00 00\nsubject=CN = tessera-attack-fixture\nissuer=CN = tessera-attack-fixture\n${CERT_PEM}`;
    const token = forge(text);
    expectError(() => verifyJWT(token, text, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses a public key PEM file that starts with a UTF-8 byte order mark as the HMAC secret', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(RSA_PUBLIC_PEM)]);
    const token = forge(bytes);
    expectError(() => verifyJWT(token, bytes, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses a private key PEM as the HMAC secret', () => {
    const text = pkcs8(rsa.privateKey);
    const token = forge(text);
    expectError(() => verifyJWT(token, text, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses a public KeyObject as the HMAC secret', () => {
    const token = forge(RSA_PUBLIC_PEM);
    expectError(() => verifyJWT(token, rsa.publicKey, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an ES256 public key PEM as the HMAC secret', () => {
    const text = spki(p256.publicKey);
    const token = forge(text);
    expectError(
      () => verifyJWT(token, text, { algorithms: ['HS256', 'ES256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('never verifies an HS256 token forged with the public PEM text, whatever form the public key takes', () => {
    const forms: Array<[string, KeyInput]> = [
      ['PEM', RSA_PUBLIC_PEM],
      ['PEM bytes', Buffer.from(RSA_PUBLIC_PEM)],
      ['JWK', jwkOf(rsa.publicKey)],
      ['JWK text', JSON.stringify(jwkOf(rsa.publicKey))],
      ['SSH line', sshRsa],
      ['KeyObject', rsa.publicKey],
    ];
    const forgeries = [RSA_PUBLIC_PEM, RSA_PUBLIC_PEM.trim(), JSON.stringify(jwkOf(rsa.publicKey)), sshRsa].map(forge);
    for (const [name, key] of forms) {
      for (const token of forgeries) {
        assert.throws(
          () => verifyJWT(token, key, BOTH),
          (err: unknown) => err instanceof InvalidKeyError && err.code === KEY_INVALID,
          `the forgery verified (or failed oddly) with the public key as ${name}`,
        );
      }
    }
  });

  test('refuses a public key PEM returned by a key resolver for an HS256 token (CVE-2022-23541)', async () => {
    const token = forge(RSA_PUBLIC_PEM);
    await expectRejection(() => verifyJWT(token, () => RSA_PUBLIC_PEM, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an HMAC secret for an RS256 token', () => {
    expectError(() => verifyJWT(rsToken, SECRET, BOTH), InvalidKeyError, KEY_INVALID, rsToken);
  });

  test('refuses to sign HS256 with a public key PEM', () => {
    expectError(() => signJWT(CLAIMS, RSA_PUBLIC_PEM, { algorithm: 'HS256' }), InvalidKeyError, KEY_INVALID);
  });

  test('refuses a JWK pinned to RS256 for an HS256 token', () => {
    const pinned: JWK = { ...jwkOf(rsa.publicKey), alg: 'RS256' };
    const token = forge(JSON.stringify(pinned));
    expectError(() => verifyJWT(token, pinned, BOTH), InvalidKeyError, KEY_INVALID, token);
  });

  test('refuses an EC key for RS256 and an RSA key for ES256', () => {
    const rsOnEc = craftAsym('RS256', rsa.privateKey, {});
    expectError(
      () => verifyJWT(rsOnEc, p256.publicKey, { algorithms: ['RS256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      rsOnEc,
    );
    const es = craftAsym('ES256', p256.privateKey, {});
    expectError(
      () => verifyJWT(es, rsa.publicKey, { algorithms: ['ES256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      es,
    );
  });

  test('refuses an X25519 key-agreement key for EdDSA', () => {
    const token = craftAsym('EdDSA', ed25519.privateKey, {});
    expectError(
      () => verifyJWT(token, x25519.publicKey, { algorithms: ['EdDSA'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('refuses an Ed25519 key for ES256', () => {
    const token = craftAsym('ES256', p256.privateKey, {});
    expectError(
      () => verifyJWT(token, ed25519.publicKey, { algorithms: ['ES256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe('psychic and malformed ECDSA signatures (CVE-2022-21449)', () => {
  const N256 = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
  const N384 = Buffer.from(
    'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
    'hex',
  );
  const es256 = craftAsym('ES256', p256.privateKey, { typ: 'JWT' });
  const es384 = craftAsym('ES384', p384.privateKey, { typ: 'JWT' });
  const real256 = Buffer.from(segments(es256)[2]!, 'base64url');
  const r = real256.subarray(0, 32);
  const s = real256.subarray(32);
  const ES256_OPTIONS: VerifyOptions = { algorithms: ['ES256'], currentDate: NOW };

  const rejects256 = (signature: Uint8Array) => {
    const token = withSignature(es256, signature);
    expectError(() => verifyJWT(token, p256.publicKey, ES256_OPTIONS), InvalidSignatureError, SIG_INVALID, token);
  };

  test('accepts the untouched ES256 and ES384 tokens (control)', () => {
    assert.equal(real256.length, 64);
    assert.equal(verifyJWT(es256, p256.publicKey, ES256_OPTIONS).sub, 'user-42');
    assert.equal(verifyJWT(es384, p384.publicKey, { algorithms: ['ES384'], currentDate: NOW }).sub, 'user-42');
  });

  test('rejects an ES256 signature of 64 zero bytes, r = s = 0 (CVE-2022-21449)', () => rejects256(Buffer.alloc(64)));
  test('rejects an ES256 signature with r = s = n (CVE-2022-21449)', () => rejects256(Buffer.concat([N256, N256])));
  test('rejects an ES256 signature with r = 0 and a genuine s (CVE-2022-21449)', () =>
    rejects256(Buffer.concat([Buffer.alloc(32), s])));
  test('rejects an ES256 signature with a genuine r and s = 0 (CVE-2022-21449)', () =>
    rejects256(Buffer.concat([r, Buffer.alloc(32)])));
  test('rejects an ES256 signature with r = n and a genuine s', () => rejects256(Buffer.concat([N256, s])));
  test('rejects an ES256 signature with a genuine r and s = n', () => rejects256(Buffer.concat([r, N256])));
  test('rejects an ES256 signature with r and s above n (all 0xff)', () => rejects256(Buffer.alloc(64, 0xff)));

  test('rejects an ES256 signature in DER instead of the raw r || s form (RFC 7518 §3.4)', () => {
    const input = es256.slice(0, es256.lastIndexOf('.'));
    const der = nodeSign('sha256', Buffer.from(input), p256.privateKey); // node's default encoding is DER
    assert.equal(der[0], 0x30);
    rejects256(der);
  });

  test('rejects an ES256 signature one byte short', () => rejects256(real256.subarray(0, 63)));
  test('rejects an ES256 signature with a trailing zero byte', () =>
    rejects256(Buffer.concat([real256, Buffer.alloc(1)])));
  test('rejects an ES256 signature with a leading zero byte', () =>
    rejects256(Buffer.concat([Buffer.alloc(1), real256])));
  test('rejects an empty ES256 signature', () => rejects256(Buffer.alloc(0)));

  test('rejects a genuine ES256 signature re-encoded at the P-384 size (zero-padded r and s)', () => {
    rejects256(Buffer.concat([Buffer.alloc(16), r, Buffer.alloc(16), s]));
  });

  test('rejects an ES384 token whose signature has the P-256 size', () => {
    const token = withSignature(es384, real256);
    expectError(
      () => verifyJWT(token, p384.publicKey, { algorithms: ['ES384'], currentDate: NOW }),
      InvalidSignatureError,
      SIG_INVALID,
      token,
    );
  });

  test('rejects ES384 signatures with r = s = 0 and r = s = n (CVE-2022-21449)', () => {
    for (const sig of [Buffer.alloc(96), Buffer.concat([N384, N384])]) {
      const token = withSignature(es384, sig);
      expectError(
        () => verifyJWT(token, p384.publicKey, { algorithms: ['ES384'], currentDate: NOW }),
        InvalidSignatureError,
        SIG_INVALID,
        token,
      );
    }
  });

  test('rejects an ES512 signature of 132 zero bytes (CVE-2022-21449)', () => {
    const token = withSignature(craftAsym('ES512', p521.privateKey, {}), Buffer.alloc(132));
    expectError(
      () => verifyJWT(token, p521.publicKey, { algorithms: ['ES512'], currentDate: NOW }),
      InvalidSignatureError,
      SIG_INVALID,
      token,
    );
  });

  test('rejects an ES256K signature of 64 zero bytes (CVE-2022-21449)', () => {
    const token = withSignature(craftAsym('ES256K', k256.privateKey, {}), Buffer.alloc(64));
    expectError(
      () => verifyJWT(token, k256.publicKey, { algorithms: ['ES256K'], currentDate: NOW }),
      InvalidSignatureError,
      SIG_INVALID,
      token,
    );
  });

  test('rejects an EdDSA signature of 64 zero bytes', () => {
    const token = withSignature(craftAsym('EdDSA', ed25519.privateKey, {}), Buffer.alloc(64));
    expectError(
      () => verifyJWT(token, ed25519.publicKey, { algorithms: ['EdDSA'], currentDate: NOW }),
      InvalidSignatureError,
      SIG_INVALID,
      token,
    );
  });

  test('rejects an ES256 signature made by another P-256 key', () => {
    const forged = craftAsym('ES256', p256Attacker.privateKey, { typ: 'JWT' });
    expectError(() => verifyJWT(forged, p256.publicKey, ES256_OPTIONS), InvalidSignatureError, SIG_INVALID, forged);
  });
});

// ---------------------------------------------------------------------------------------------
describe('signature stripping (CVE-2020-28042)', () => {
  test('rejects an HS256 token whose signature segment is empty (CVE-2020-28042)', () => {
    const token = withSignature(hs(), '');
    rejectsHS(token, InvalidSignatureError, SIG_INVALID);
  });

  test('rejects an RS256 token whose signature segment is empty', () => {
    const token = withSignature(craftAsym('RS256', rsa.privateKey, {}), '');
    expectError(
      () => verifyJWT(token, rsa.publicKey, { algorithms: ['RS256'], currentDate: NOW }),
      InvalidSignatureError,
      SIG_INVALID,
      token,
    );
  });

  test('rejects an EdDSA token whose signature segment is empty', () => {
    const token = withSignature(craftAsym('EdDSA', ed25519.privateKey, {}), '');
    expectError(
      () => verifyJWT(token, ed25519.publicKey, { algorithms: ['EdDSA'], currentDate: NOW }),
      InvalidSignatureError,
      SIG_INVALID,
      token,
    );
  });

  test('rejects a token of two segments (signature and its dot removed)', () => {
    const token = hs().slice(0, hs().lastIndexOf('.'));
    rejectsHS(token, DecodeError, MALFORMED);
  });

  test('rejects a token of one segment, an empty string and a lone pair of dots', () => {
    for (const token of [segments(hs())[0]!, '', '..', '.']) rejectsHS(token, DecodeError, MALFORMED);
  });

  test('rejects a token of four segments', () => {
    rejectsHS(`${hs()}.${segments(hs())[2]}`, DecodeError, MALFORMED);
  });

  test('rejects a signature taken from another token signed with the same key', () => {
    const other = hs({ sub: 'someone-else' });
    rejectsHS(withSignature(hs({ sub: 'admin' }), segments(other)[2]!), InvalidSignatureError, SIG_INVALID);
  });

  test('rejects an HS256 token whose MAC was truncated to its first 24 bytes', () => {
    const token = hs();
    rejectsHS(withSignature(token, segments(token)[2]!.slice(0, 32)), InvalidSignatureError, SIG_INVALID);
  });
});

// ---------------------------------------------------------------------------------------------
describe('crit abuse (RFC 7515 §4.1.11)', () => {
  const withHeader = (header: Record<string, unknown>): string =>
    craftHS(JSON.stringify({ alg: 'HS256', ...header }), JSON.stringify(CLAIMS));

  test('accepts a critical extension the caller understands (control)', () => {
    assert.equal(
      verifyJWT(withHeader({ crit: ['ext'], ext: 1 }), SECRET, { ...HS_OPTIONS, crit: ['ext'] }).sub,
      'user-42',
    );
  });

  test('rejects a critical extension the caller does not understand', () => {
    rejectsHS(withHeader({ crit: ['ext'], ext: 1 }), UnsupportedCriticalHeaderError, CRIT);
  });

  test('rejects crit naming the registered header "alg", even when the caller lists it', () => {
    rejectsHS(withHeader({ crit: ['alg'] }), UnsupportedCriticalHeaderError, CRIT, { crit: ['alg'] });
  });

  test('rejects crit naming the registered header "kid"', () => {
    rejectsHS(withHeader({ crit: ['kid'], kid: 'k1' }), UnsupportedCriticalHeaderError, CRIT, { crit: ['kid'] });
  });

  test('rejects an empty crit array', () => {
    rejectsHS(withHeader({ crit: [] }), UnsupportedCriticalHeaderError, CRIT);
  });

  test('rejects crit listing a member the header does not contain, even when the caller understands it', () => {
    rejectsHS(withHeader({ crit: ['ext'] }), UnsupportedCriticalHeaderError, CRIT, { crit: ['ext'] });
  });

  test('rejects crit listing an inherited name such as "toString" that is not a header member', () => {
    rejectsHS(withHeader({ crit: ['toString'] }), UnsupportedCriticalHeaderError, CRIT, { crit: ['toString'] });
  });

  test('rejects crit listing the same extension twice', () => {
    rejectsHS(withHeader({ crit: ['ext', 'ext'], ext: 1 }), UnsupportedCriticalHeaderError, CRIT, { crit: ['ext'] });
  });

  test('rejects crit that is a string instead of an array', () => {
    rejectsHS(withHeader({ crit: 'ext', ext: 1 }), UnsupportedCriticalHeaderError, CRIT, { crit: ['ext'] });
  });

  test('rejects crit holding a non-string or an empty name', () => {
    rejectsHS(withHeader({ crit: [1] }), UnsupportedCriticalHeaderError, CRIT);
    rejectsHS(withHeader({ crit: [''], '': 1 }), UnsupportedCriticalHeaderError, CRIT, { crit: [''] });
  });

  test('rejects an unencoded-payload JWT (crit b64, "b64": false)', () => {
    rejectsHS(withHeader({ crit: ['b64'], b64: false }), UnsupportedCriticalHeaderError, CRIT);
  });

  test('rejects a crit extension the caller does not understand in decodeUnsecuredJWT', () => {
    const token = `${seg({ alg: 'none', crit: ['ext'], ext: 1 })}.${seg(CLAIMS)}.`;
    expectError(() => decodeUnsecuredJWT(token, { currentDate: NOW }), DecodeError, MALFORMED, token);
  });
});

// ---------------------------------------------------------------------------------------------
describe('claim type confusion (RFC 7519 §4.1)', () => {
  const claims = (extra: string): string => hsWithPayload(`{"sub":"user-42","iat":${NOW_S - 60}${extra}}`);

  test('rejects a token whose exp is the string "9999999999"', () =>
    rejectsHS(claims(',"exp":"9999999999"'), DecodeError, MALFORMED));
  test('rejects a token whose exp overflows to Infinity (1e400)', () =>
    rejectsHS(claims(',"exp":1e400'), DecodeError, MALFORMED));
  test('rejects a token whose exp overflows to -Infinity (-1e400)', () =>
    rejectsHS(claims(',"exp":-1e400'), DecodeError, MALFORMED));
  test('rejects a token whose exp is null', () => rejectsHS(claims(',"exp":null'), DecodeError, MALFORMED));
  test('rejects a token whose exp is true', () => rejectsHS(claims(',"exp":true'), DecodeError, MALFORMED));
  test('rejects a token whose exp is an array holding a number', () =>
    rejectsHS(claims(`,"exp":[${NOW_S + 60}]`), DecodeError, MALFORMED));
  test('rejects a token whose exp is an object', () =>
    rejectsHS(claims(',"exp":{"valueOf":9999999999}'), DecodeError, MALFORMED));

  test('rejects a token whose exp is 0 as expired, with expiredAt the epoch', () => {
    const err = expectError(
      () => verifyJWT(claims(',"exp":0'), SECRET, HS_OPTIONS),
      ExpiredSignatureError,
      'ERR_JWT_EXPIRED',
    );
    assert.equal(err.expiredAt.getTime(), 0);
  });

  test('treats a huge but finite exp (1e308) as a far-future expiry', () => {
    assert.equal(verifyJWT(claims(',"exp":1e308'), SECRET, HS_OPTIONS).exp, 1e308);
  });

  test('rejects a token whose nbf is an array', () => rejectsHS(claims(',"nbf":[0]'), DecodeError, MALFORMED));
  test('rejects a token whose nbf is the string "0"', () => rejectsHS(claims(',"nbf":"0"'), DecodeError, MALFORMED));
  test('rejects a token whose nbf overflows to Infinity', () =>
    rejectsHS(claims(',"nbf":1e999'), DecodeError, MALFORMED));

  test('rejects a token whose iat is a string', () => {
    rejectsHS(hsWithPayload(`{"sub":"user-42","iat":"${NOW_S}"}`), InvalidIssuedAtError, 'ERR_JWT_IAT_INVALID');
  });
  test('rejects a token whose iat overflows to Infinity', () => {
    rejectsHS(hsWithPayload('{"sub":"user-42","iat":1e400}'), InvalidIssuedAtError, 'ERR_JWT_IAT_INVALID');
  });
  test('rejects a token whose iat is null', () => {
    rejectsHS(hsWithPayload('{"sub":"user-42","iat":null}'), InvalidIssuedAtError, 'ERR_JWT_IAT_INVALID');
  });

  const AUD = { audience: 'https://api.example.com' };
  test('rejects a token whose aud is a number', () =>
    rejectsHS(claims(',"aud":1'), InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID', AUD));
  test('rejects a token whose aud is an object', () => {
    rejectsHS(claims(',"aud":{"0":"https://api.example.com"}'), InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID', AUD);
  });
  test('rejects a token whose aud array holds a non-string beside the expected audience', () => {
    rejectsHS(claims(',"aud":["https://api.example.com",1]'), InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID', AUD);
  });
  test('rejects a token whose aud array nests the expected audience', () => {
    rejectsHS(claims(',"aud":[["https://api.example.com"]]'), InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID', AUD);
  });
  test('rejects a token whose aud is an empty array', () =>
    rejectsHS(claims(',"aud":[]'), InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID', AUD));
  test('rejects a token whose aud is null', () =>
    rejectsHS(claims(',"aud":null'), InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID', AUD));
  test('rejects an aud that differs from the expected audience only in case', () => {
    rejectsHS(claims(',"aud":"https://API.example.com"'), InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID', AUD);
  });
  test('rejects an aud array under strictAudience', () => {
    rejectsHS(claims(',"aud":["https://api.example.com"]'), InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID', {
      ...AUD,
      strictAudience: true,
    });
  });
  test('rejects a token for another audience (RFC 8725 §3.9 substitution)', () => {
    rejectsHS(claims(',"aud":"https://other-api.example.com"'), InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID', AUD);
  });
  test('rejects a token carrying aud when the verifier names no audience (RFC 8725 §3.9)', () => {
    rejectsHS(claims(',"aud":"https://api.example.com"'), InvalidAudienceError, 'ERR_JWT_AUDIENCE_INVALID');
  });

  const ISS = { issuer: 'https://auth.example.com' };
  test('rejects a token whose iss is an array holding the expected issuer', () => {
    rejectsHS(claims(',"iss":["https://auth.example.com"]'), InvalidIssuerError, 'ERR_JWT_ISSUER_INVALID', ISS);
  });
  test('rejects a token whose iss is a number', () =>
    rejectsHS(claims(',"iss":1'), InvalidIssuerError, 'ERR_JWT_ISSUER_INVALID', ISS));
  test('rejects an iss that is only a substring of the expected issuer (CVE-2024-53861)', () => {
    rejectsHS(claims(',"iss":"auth.example"'), InvalidIssuerError, 'ERR_JWT_ISSUER_INVALID', ISS);
  });
  test('rejects a token without iss when an issuer is expected', () => {
    rejectsHS(claims(''), MissingRequiredClaimError, 'ERR_JWT_CLAIM_MISSING', ISS);
  });

  test('rejects a token whose sub is a number', () => {
    rejectsHS(hsWithPayload(`{"sub":42,"iat":${NOW_S}}`), InvalidSubjectError, 'ERR_JWT_SUBJECT_INVALID');
  });
  test('rejects a token whose sub is an array holding the expected subject', () => {
    rejectsHS(hsWithPayload(`{"sub":["user-42"],"iat":${NOW_S}}`), InvalidSubjectError, 'ERR_JWT_SUBJECT_INVALID', {
      subject: 'user-42',
    });
  });
  test('rejects a token whose jti is a number', () =>
    rejectsHS(claims(',"jti":42'), InvalidJTIError, 'ERR_JWT_JTI_INVALID'));
  test('rejects a token whose jti is a number equal to the expected id', () => {
    rejectsHS(claims(',"jti":42'), InvalidJTIError, 'ERR_JWT_JTI_INVALID', { jwtId: '42' });
  });
  test('rejects a token whose nonce is a number equal to the expected nonce', () => {
    const err = expectError(
      () => verifyJWT(claims(',"nonce":42'), SECRET, { ...HS_OPTIONS, nonce: '42' }),
      InvalidClaimError,
      'ERR_JWT_CLAIM_INVALID',
    );
    assert.equal(err.claim, 'nonce');
  });
  test('rejects a required claim whose value is null', () => {
    rejectsHS(claims(',"role":null'), MissingRequiredClaimError, 'ERR_JWT_CLAIM_MISSING', { requiredClaims: ['role'] });
  });

  test('rejects a token whose typ is not the expected one (RFC 8725 §3.11 cross-JWT confusion)', () => {
    const err = expectError(
      () => verifyJWT(hs(), SECRET, { ...HS_OPTIONS, typ: 'at+jwt' }),
      InvalidClaimError,
      'ERR_JWT_CLAIM_INVALID',
    );
    assert.equal(err.claim, 'typ');
    const untyped = hs({}, { typ: null });
    expectError(
      () => verifyJWT(untyped, SECRET, { ...HS_OPTIONS, typ: 'at+jwt' }),
      InvalidClaimError,
      'ERR_JWT_CLAIM_INVALID',
      untyped,
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe('duplicate member names (RFC 7515 §5.2, RFC 7519 §4)', () => {
  const body = JSON.stringify(CLAIMS);

  test('rejects a header {"alg":"none","alg":"HS256"}', () =>
    rejectsHS(craftHS('{"alg":"none","alg":"HS256"}', body), DecodeError, MALFORMED));
  test('rejects a header {"alg":"HS256","alg":"none"}', () =>
    rejectsHS(craftHS('{"alg":"HS256","alg":"none"}', body), DecodeError, MALFORMED));
  test('rejects a header with "alg" and an escaped duplicate "\\u0061lg"', () => {
    rejectsHS(craftHS('{"alg":"HS256","\\u0061lg":"none"}', body), DecodeError, MALFORMED);
    rejectsHS(craftHS('{"\\u0061lg":"none","alg":"HS256"}', body), DecodeError, MALFORMED);
  });
  test('rejects a header whose duplicate kid would select another key', () => {
    rejectsHS(craftHS('{"alg":"HS256","kid":"a","kid":"b"}', body), DecodeError, MALFORMED);
  });
  test('rejects duplicate headers in decodeJWT and decodeProtectedHeader too', () => {
    const token = craftHS('{"alg":"none","alg":"HS256"}', body);
    expectError(() => decodeJWT(token), DecodeError, MALFORMED, token);
    expectError(() => decodeProtectedHeader(token), DecodeError, MALFORMED, token);
  });

  test('rejects a payload with a duplicate sub', () => {
    rejectsHS(hsWithPayload(`{"sub":"user-42","sub":"admin","iat":${NOW_S}}`), DecodeError, MALFORMED);
  });
  test('rejects a payload with a duplicate exp, in either order', () => {
    rejectsHS(hsWithPayload(`{"exp":1,"exp":${NOW_S + 60}}`), DecodeError, MALFORMED);
    rejectsHS(hsWithPayload(`{"exp":${NOW_S + 60},"exp":1}`), DecodeError, MALFORMED);
  });
  test('rejects a payload whose duplicate is escaped ("\\u0065xp")', () => {
    rejectsHS(hsWithPayload(`{"exp":1,"\\u0065xp":${NOW_S + 60}}`), DecodeError, MALFORMED);
  });
  test('rejects a payload whose duplicate "__proto__" member hides a second value', () => {
    rejectsHS(hsWithPayload('{"__proto__":{"a":1},"__proto__":{"admin":true}}'), DecodeError, MALFORMED);
  });
  test('rejects a duplicate inside a nested claim object', () => {
    rejectsHS(hsWithPayload('{"roles":{"admin":false,"admin":true}}'), DecodeError, MALFORMED);
  });
  test('accepts the same member name in sibling objects and in string values (control)', () => {
    const payload = verifyJWT<JWTPayload & { a: unknown; b: unknown; note: string }>(
      hsWithPayload('{"a":{"x":1},"b":[{"x":2},{"x":3}],"note":"\\"a\\":1,\\"a\\":2"}'),
      SECRET,
      HS_OPTIONS,
    );
    assert.deepEqual(payload.b, [{ x: 2 }, { x: 3 }]);
    assert.equal(payload.note, '"a":1,"a":2');
  });
});

// ---------------------------------------------------------------------------------------------
describe('"__proto__" and "constructor" are plain data', () => {
  test('returns a "__proto__" claim as an own data property without polluting Object.prototype', () => {
    const payload = verifyJWT(hsWithPayload('{"sub":"user-42","__proto__":{"admin":true}}'), SECRET, HS_OPTIONS);
    assert.equal(Object.getPrototypeOf(payload), Object.prototype);
    assert.ok(Object.hasOwn(payload, '__proto__'));
    assert.deepEqual(Object.getOwnPropertyDescriptor(payload, '__proto__')?.value, { admin: true });
    assert.equal((payload as { admin?: unknown }).admin, undefined);
    assert.equal(({} as { admin?: unknown }).admin, undefined);
  });

  test('keeps a "__proto__" claim as data through a caching verifier', () => {
    const verify = createVerifier({ key: SECRET, ...HS_OPTIONS, cache: true });
    const token = hsWithPayload('{"sub":"user-42","__proto__":{"admin":true}}');
    for (let i = 0; i < 2; i++) {
      const payload = verify(token);
      assert.ok(Object.hasOwn(payload, '__proto__'));
      assert.equal((payload as { admin?: unknown }).admin, undefined);
    }
    assert.equal(({} as { admin?: unknown }).admin, undefined);
  });

  test('round-trips a "__proto__" claim through signJWT as an own member', () => {
    const input = JSON.parse('{"sub":"user-42","__proto__":{"admin":true}}') as JWTPayload;
    const token = signJWT(input, SECRET, { currentDate: NOW });
    assert.match(Buffer.from(segments(token)[1]!, 'base64url').toString(), /"__proto__":\{"admin":true\}/);
    const payload = verifyJWT(token, SECRET, HS_OPTIONS);
    assert.ok(Object.hasOwn(payload, '__proto__'));
    assert.equal(({} as { admin?: unknown }).admin, undefined);
  });

  test('does not pollute through a "constructor.prototype" claim', () => {
    const payload = verifyJWT(hsWithPayload('{"constructor":{"prototype":{"admin":true}}}'), SECRET, HS_OPTIONS);
    assert.ok(Object.hasOwn(payload, 'constructor'));
    assert.equal(({} as { admin?: unknown }).admin, undefined);
  });

  test('does not read "aud" from a "__proto__" member', () => {
    const token = hsWithPayload('{"sub":"user-42","__proto__":{"aud":"https://api.example.com"}}');
    rejectsHS(token, MissingRequiredClaimError, 'ERR_JWT_CLAIM_MISSING', { audience: 'https://api.example.com' });
  });

  test('does not read "iss" from a "__proto__" member', () => {
    const token = hsWithPayload('{"sub":"user-42","__proto__":{"iss":"https://auth.example.com"}}');
    rejectsHS(token, MissingRequiredClaimError, 'ERR_JWT_CLAIM_MISSING', { issuer: 'https://auth.example.com' });
  });

  test('does not read "alg" from a "__proto__" header member', () => {
    // The header has no own "alg": refused as a missing algorithm, never verified as HS256.
    rejectsHS(craftHS('{"__proto__":{"alg":"HS256"}}', JSON.stringify(CLAIMS)), InvalidAlgorithmError, ALG_NOT_ALLOWED);
  });

  for (const claim of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    test(`fails requiredClaims ["${claim}"] on a payload without an own "${claim}"`, () => {
      const err = expectError(
        () => verifyJWT(hs(), SECRET, { ...HS_OPTIONS, requiredClaims: [claim] }),
        MissingRequiredClaimError,
        'ERR_JWT_CLAIM_MISSING',
      );
      assert.equal(err.claim, claim);
    });
  }

  test('passes requiredClaims ["constructor"] on a payload with an own "constructor" claim (control)', () => {
    const payload = verifyJWT(hsWithPayload('{"constructor":"yes"}'), SECRET, {
      ...HS_OPTIONS,
      requiredClaims: ['constructor'],
    });
    assert.equal(payload.constructor, 'yes');
  });
});

// ---------------------------------------------------------------------------------------------
describe('non-canonical base64url (RFC 7515 §2)', () => {
  // A header and a payload whose encodings end in a partial quantum (so padding and stray bits apply).
  const unaligned = (make: (pad: string) => string): string => {
    for (const pad of ['', 'a', 'aa']) {
      const encoded = b64u(make(pad));
      if (encoded.length % 4 !== 0) return encoded;
    }
    throw new Error('unreachable: one of three consecutive lengths is unaligned');
  };
  const H = unaligned((pad) => JSON.stringify({ alg: 'HS256', typ: 'JWT', pad }));
  const P = unaligned((pad) => JSON.stringify({ ...CLAIMS, pad }));

  test('uses segments whose length is not a multiple of four (precondition)', () => {
    assert.notEqual(H.length % 4, 0);
    assert.notEqual(P.length % 4, 0);
    assert.equal(verifyJWT(signSegmentsHS(H, P), SECRET, HS_OPTIONS).sub, 'user-42');
  });

  const padded = (s: string): string => s + '='.repeat((4 - (s.length % 4)) % 4);

  test('rejects a padded header segment, validly signed', () =>
    rejectsHS(signSegmentsHS(padded(H), P), DecodeError, MALFORMED));
  test('rejects a padded payload segment, validly signed', () =>
    rejectsHS(signSegmentsHS(H, padded(P)), DecodeError, MALFORMED));
  test('rejects a padded signature segment', () => {
    const token = signSegmentsHS(H, P);
    rejectsHS(withSignature(token, padded(segments(token)[2]!)), DecodeError, MALFORMED);
  });

  test('rejects "+" and "/" (standard base64) in the payload, validly signed', () => {
    const text = JSON.stringify({ ...CLAIMS, bin: '\u00fb\u00ff\u00fe>>>???' });
    const url = b64u(text);
    assert.match(url, /[-_]/, 'precondition: the encoding contains "-" or "_"');
    const standard = url.replaceAll('-', '+').replaceAll('_', '/');
    rejectsHS(signSegmentsHS(H, standard), DecodeError, MALFORMED);
  });

  test('rejects "+" and "/" in the signature segment', () => {
    let token = '';
    for (let i = 0; !/[-_]/.test(segments(token)[2] ?? ''); i++) token = hs({ jti: `j${i}` });
    rejectsHS(
      withSignature(token, segments(token)[2]!.replaceAll('-', '+').replaceAll('_', '/')),
      DecodeError,
      MALFORMED,
    );
  });

  test('rejects whitespace inside the payload segment, validly signed', () => {
    rejectsHS(signSegmentsHS(H, `${P.slice(0, 8)} ${P.slice(8)}`), DecodeError, MALFORMED);
    rejectsHS(signSegmentsHS(H, `${P.slice(0, 8)}\n${P.slice(8)}`), DecodeError, MALFORMED);
  });

  test('rejects a token with leading or trailing whitespace', () => {
    const token = hs();
    rejectsHS(` ${token}`, DecodeError, MALFORMED);
    rejectsHS(`${token}\n`, DecodeError, MALFORMED);
    rejectsHS(`${token}\r\n`, DecodeError, MALFORMED);
  });

  test('rejects stray bits in the last character of the header, validly signed', () => {
    rejectsHS(signSegmentsHS(withStrayBits(H), P), DecodeError, MALFORMED);
  });

  test('rejects stray bits in the last character of the payload, validly signed', () => {
    rejectsHS(signSegmentsHS(H, withStrayBits(P)), DecodeError, MALFORMED);
  });

  test('rejects stray bits in the last character of an HS256 signature', () => {
    const token = signSegmentsHS(H, P);
    const sig = segments(token)[2]!;
    assert.equal(sig.length % 4, 3);
    rejectsHS(withSignature(token, withStrayBits(sig)), DecodeError, MALFORMED);
  });

  test('rejects stray bits in the last character of an ES256 signature', () => {
    const token = craftAsym('ES256', p256.privateKey, {});
    const bad = withSignature(token, withStrayBits(segments(token)[2]!));
    expectError(
      () => verifyJWT(bad, p256.publicKey, { algorithms: ['ES256'], currentDate: NOW }),
      DecodeError,
      MALFORMED,
      bad,
    );
  });

  test('rejects stray bits in the last character of an EdDSA signature', () => {
    const token = craftAsym('EdDSA', ed25519.privateKey, {});
    const bad = withSignature(token, withStrayBits(segments(token)[2]!));
    expectError(
      () => verifyJWT(bad, ed25519.publicKey, { algorithms: ['EdDSA'], currentDate: NOW }),
      DecodeError,
      MALFORMED,
      bad,
    );
  });

  test('rejects a segment whose length leaves a single character in the last quantum', () => {
    let truncated = P;
    while (truncated.length % 4 !== 1) truncated = truncated.slice(0, -1);
    rejectsHS(signSegmentsHS(H, truncated), DecodeError, MALFORMED);
  });

  test('rejects non-canonical segments in decodeJWT too', () => {
    const token = signSegmentsHS(H, withStrayBits(P));
    expectError(() => decodeJWT(token), DecodeError, MALFORMED, token);
  });
});

// ---------------------------------------------------------------------------------------------
describe('oversized input', () => {
  const bigToken = hs({ blob: 'x'.repeat(40 * 1024) });

  test('rejects a token longer than the default maxTokenLength (32 KiB) with a DecodeError', () => {
    assert.ok(bigToken.length > 32 * 1024);
    rejectsHS(bigToken, DecodeError, MALFORMED);
  });

  test('rejects a 16 MiB token before decoding any of it', () => {
    const huge = `${HS256_HEADER}.${'A'.repeat(16 * 1024 * 1024)}.${'A'.repeat(43)}`;
    const started = performance.now();
    rejectsHS(huge, DecodeError, MALFORMED);
    expectError(() => decodeJWT(huge), DecodeError, MALFORMED, huge);
    expectError(() => decodeProtectedHeader(huge), DecodeError, MALFORMED, huge);
    assert.ok(performance.now() - started < 250, 'the length check must come before any decoding');
  });

  test('accepts a 40 KiB token when maxTokenLength is raised (control)', () => {
    assert.equal(verifyJWT(bigToken, SECRET, { ...HS_OPTIONS, maxTokenLength: 64 * 1024 }).sub, 'user-42');
  });

  test('rejects a token longer than a custom maxTokenLength', () => {
    const token = hs();
    assert.equal(verifyJWT(token, SECRET, { ...HS_OPTIONS, maxTokenLength: token.length }).sub, 'user-42');
    rejectsHS(token, DecodeError, MALFORMED, { maxTokenLength: token.length - 1 });
    expectError(() => decodeJWT(token, { maxTokenLength: 64 }), DecodeError, MALFORMED, token);
  });

  test('rejects a protected header over 8 KiB even when maxTokenLength allows it', () => {
    const token = craftHS(JSON.stringify({ alg: 'HS256', pad: 'x'.repeat(9000) }), JSON.stringify(CLAIMS));
    rejectsHS(token, DecodeError, MALFORMED, { maxTokenLength: 1024 * 1024 });
  });

  for (const bad of [0, -1, Number.NaN, '32768']) {
    test(`throws a TypeError for maxTokenLength ${JSON.stringify(bad) ?? String(bad)}`, () => {
      expectError(
        () => verifyJWT(hs(), SECRET, { ...HS_OPTIONS, maxTokenLength: bad as number }),
        TypeError,
        undefined,
      );
    });
  }

  test('rejects a token that is not a string', () => {
    for (const value of [undefined, null, 42, {}, Buffer.from(hs())]) {
      expectError(() => verifyJWT(value as unknown as string, SECRET, HS_OPTIONS), DecodeError, MALFORMED);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('deeply nested JSON (stack exhaustion)', () => {
  // Nesting is the cheapest way to make a recursive JSON walker overflow the stack: two bytes a level, so
  // a token under the default 32 KiB limit nests about 12,000 levels. Every entry point must answer with
  // its result or a Tessera error — a RangeError is a crash a request can trigger.
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const nestedObjects = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  /** Returns normally or throws a DecodeError (or a subclass); anything else fails with its name. */
  const decodesOrRejects = (fn: () => unknown, token: string): void => {
    try {
      fn();
    } catch (err) {
      checkError(err, DecodeError, err instanceof JWTError ? err.code : MALFORMED, token);
    }
  };

  for (const [name, json] of [
    ['arrays 12,000 levels deep', `{"sub":"user-42","a":${nested(12_000)}}`],
    ['objects 4,000 levels deep', `{"sub":"user-42","a":${nestedObjects(4_000)}}`],
  ] as const) {
    test(`decodeJWT answers an unsigned payload of ${name} without a stack overflow`, () => {
      const token = `${HS256_HEADER}.${b64u(json)}.${'A'.repeat(43)}`;
      assert.ok(token.length <= 32 * 1024);
      decodesOrRejects(() => decodeJWT(token), token);
    });

    test(`verifyJWT answers a validly signed payload of ${name} without a stack overflow`, () => {
      const token = hsWithPayload(json);
      assert.ok(token.length <= 32 * 1024);
      decodesOrRejects(() => verifyJWT(token, SECRET, HS_OPTIONS), token);
    });

    test(`a caching verifier answers a validly signed payload of ${name} without a stack overflow`, () => {
      const token = hsWithPayload(json);
      const verify = createVerifier({ key: SECRET, ...HS_OPTIONS, cache: true });
      decodesOrRejects(() => verify(token), token);
      decodesOrRejects(() => verify(token), token);
    });
  }

  test('verifyJWT and decodeProtectedHeader answer a header nested as deep as 8 KiB allows', () => {
    const header = `{"alg":"HS256","x":${nested(3_050)}}`;
    const token = `${b64u(header)}.${b64u(JSON.stringify(CLAIMS))}.${'A'.repeat(43)}`;
    assert.ok(b64u(header).length <= 8192);
    decodesOrRejects(() => verifyJWT(token, SECRET, HS_OPTIONS), token);
    decodesOrRejects(() => decodeProtectedHeader(token), token);
    decodesOrRejects(() => decodeJWT(token), token);
  });
});

// ---------------------------------------------------------------------------------------------
describe('structure of the header and payload', () => {
  test('rejects a JWE (five segments) given to verifyJWT', () => {
    const jwe = `${seg({ alg: 'dir', enc: 'A256GCM' })}..${b64u(Buffer.alloc(12))}.${b64u('ciphertext')}.${b64u(Buffer.alloc(16))}`;
    const err = expectError(() => verifyJWT(jwe, SECRET, HS_OPTIONS), DecodeError, MALFORMED, jwe);
    assert.match(err.message, /JWE/);
    expectError(() => decodeJWT(jwe), DecodeError, MALFORMED, jwe);
  });

  for (const [name, json] of [
    ['an array', '["HS256"]'],
    ['a string', '"HS256"'],
    ['a number', '256'],
    ['null', 'null'],
    ['true', 'true'],
    ['invalid JSON', '{"alg":"HS256"'],
    ['empty', ''],
  ] as const) {
    test(`rejects a header that is ${name}`, () =>
      rejectsHS(craftHS(json, JSON.stringify(CLAIMS)), DecodeError, MALFORMED));
    test(`rejects a validly signed payload that is ${name}`, () => {
      const token = signJWS(json, SECRET, { algorithm: 'HS256' });
      rejectsHS(token, DecodeError, MALFORMED);
    });
  }

  test('rejects a payload with invalid UTF-8 (0xff 0xfe)', () => {
    const bytes = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    rejectsHS(signJWS(bytes, SECRET, { algorithm: 'HS256' }), DecodeError, MALFORMED);
  });

  test('rejects a payload with an overlong UTF-8 encoding of "/" (0xc0 0xaf)', () => {
    const bytes = Buffer.concat([Buffer.from('{"sub":"..'), Buffer.from([0xc0, 0xaf]), Buffer.from('etc"}')]);
    rejectsHS(signJWS(bytes, SECRET, { algorithm: 'HS256' }), DecodeError, MALFORMED);
  });

  test('rejects a payload with a UTF-8-encoded lone surrogate (0xed 0xa0 0x80)', () => {
    const bytes = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    rejectsHS(signJWS(bytes, SECRET, { algorithm: 'HS256' }), DecodeError, MALFORMED);
  });

  test('rejects a payload with a truncated multi-byte sequence', () => {
    const bytes = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]);
    rejectsHS(signJWS(bytes, SECRET, { algorithm: 'HS256' }), DecodeError, MALFORMED);
  });

  test('rejects a header with invalid UTF-8', () => {
    const header = Buffer.concat([Buffer.from('{"alg":"HS256","x":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    rejectsHS(signSegmentsHS(b64u(header), b64u(JSON.stringify(CLAIMS))), DecodeError, MALFORMED);
  });

  test('rejects a payload that starts with a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(CLAIMS))]);
    rejectsHS(signJWS(bytes, SECRET, { algorithm: 'HS256' }), DecodeError, MALFORMED);
  });

  test('accepts a payload that contains a genuine U+FFFD character (control)', () => {
    assert.equal(verifyJWT(hsWithPayload('{"sub":"\uFFFD"}'), SECRET, HS_OPTIONS).sub, '\uFFFD');
  });

  for (const [name, value] of [
    ['a number', 42],
    ['null', null],
    ['an array', ['k1']],
    ['an object', { id: 'k1' }],
    ['a boolean', true],
  ] as const) {
    test(`rejects a kid header that is ${name}`, () => {
      rejectsHS(craftHS(JSON.stringify({ alg: 'HS256', kid: value }), JSON.stringify(CLAIMS)), DecodeError, MALFORMED);
    });
  }

  test('rejects typ and cty headers that are not strings', () => {
    rejectsHS(craftHS('{"alg":"HS256","typ":1}', JSON.stringify(CLAIMS)), DecodeError, MALFORMED);
    rejectsHS(craftHS('{"alg":"HS256","cty":false}', JSON.stringify(CLAIMS)), DecodeError, MALFORMED);
  });

  test('never asks the key resolver about a token whose kid is not a string', async () => {
    let called = false;
    const token = craftHS('{"alg":"HS256","kid":42}', JSON.stringify(CLAIMS));
    await expectRejection(
      () =>
        verifyJWT(
          token,
          () => {
            called = true;
            return SECRET;
          },
          HS_OPTIONS,
        ),
      DecodeError,
      MALFORMED,
      token,
    );
    assert.equal(called, false);
  });

  test('rejects a b64 header that is not a boolean', () => {
    rejectsHS(craftHS('{"alg":"HS256","b64":"false"}', JSON.stringify(CLAIMS)), DecodeError, MALFORMED);
  });
});

// ---------------------------------------------------------------------------------------------
describe('curve confusion', () => {
  test('rejects an ES256 token verified with a P-384 key', () => {
    const token = craftAsym('ES256', p256.privateKey, {});
    expectError(
      () => verifyJWT(token, p384.publicKey, { algorithms: ['ES256', 'ES384'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('rejects an ES384 token verified with a P-256 key', () => {
    const token = craftAsym('ES384', p384.privateKey, {});
    expectError(
      () => verifyJWT(token, p256.publicKey, { algorithms: ['ES256', 'ES384'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('rejects an ES256 token verified with a secp256k1 key (same size, other curve)', () => {
    const token = craftAsym('ES256', p256.privateKey, {});
    expectError(
      () => verifyJWT(token, k256.publicKey, { algorithms: ['ES256', 'ES256K'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('rejects an ES512 token verified with a P-384 JWK', () => {
    const token = craftAsym('ES512', p521.privateKey, {});
    expectError(
      () => verifyJWT(token, jwkOf(p384.publicKey), { algorithms: ['ES512'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('refuses to sign ES384 with a P-256 key', () => {
    expectError(() => signJWT(CLAIMS, p256.privateKey, { algorithm: 'ES384' }), InvalidKeyError, KEY_INVALID);
  });

  test('rejects an Ed448-pinned algorithm with an Ed25519 key', () => {
    const token = craftAsym('EdDSA', ed25519.privateKey, {});
    const relabeled = craftAsym('EdDSA', ed25519.privateKey, {}).replace(segments(token)[0]!, seg({ alg: 'Ed448' }));
    expectError(
      () => verifyJWT(relabeled, ed25519.publicKey, { algorithms: ['Ed448'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      relabeled,
    );
  });

  test('refuses an EC JWK whose point is not on its curve (invalid-curve keys)', () => {
    const bad: JWK = { ...jwkOf(p256.publicKey), y: jwkOf(p256Attacker.publicKey).y! };
    const token = craftAsym('ES256', p256.privateKey, {});
    expectError(
      () => verifyJWT(token, bad, { algorithms: ['ES256'], currentDate: NOW }),
      JWKError,
      'ERR_JWK_INVALID',
      token,
    );
  });

  test('refuses an OpenSSH ecdsa line whose point is not on its curve (invalid-curve keys)', () => {
    const sshString = (bytes: Uint8Array): Buffer => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
    const point = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwkOf(p256.publicKey).x!, 'base64url'),
      Buffer.from(jwkOf(p256Attacker.publicKey).y!, 'base64url'),
    ]);
    const line = `ecdsa-sha2-nistp256 ${Buffer.concat([sshString(Buffer.from('ecdsa-sha2-nistp256')), sshString(Buffer.from('nistp256')), sshString(point)]).toString('base64')}`;
    const token = craftAsym('ES256', p256.privateKey, {});
    expectError(
      () => verifyJWT(token, line, { algorithms: ['ES256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe('weak keys', () => {
  const rsWeak = craftAsym('RS256', rsaWeak.privateKey, {});

  test('refuses to sign RS256 with a 1024-bit RSA key and says how to make a good one', () => {
    const err = expectError(
      () => signJWT(CLAIMS, rsaWeak.privateKey, { algorithm: 'RS256' }),
      InvalidKeyError,
      KEY_INVALID,
    );
    assert.match(err.message, /2048/);
    assert.match(err.message, /modulusLength: 2048|rsa_keygen_bits:2048/);
    assert.match(err.message, /allowWeakKeys/);
  });

  test('refuses to verify RS256 with a 1024-bit RSA key', () => {
    expectError(
      () => verifyJWT(rsWeak, rsaWeak.publicKey, { algorithms: ['RS256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      rsWeak,
    );
    expectError(
      () => verifyJWT(rsWeak, spki(rsaWeak.publicKey), { algorithms: ['RS256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      rsWeak,
    );
  });

  test('accepts a 1024-bit RSA key with allowWeakKeys (opt-out)', () => {
    const token = signJWT(CLAIMS, rsaWeak.privateKey, { algorithm: 'RS256', allowWeakKeys: true });
    assert.equal(
      verifyJWT(token, rsaWeak.publicKey, { algorithms: ['RS256'], currentDate: NOW, allowWeakKeys: true }).sub,
      'user-42',
    );
  });

  test('refuses an HS256 secret shorter than 32 bytes and says how to generate one', () => {
    const short = 'only-31-bytes-of-secret-text!!!';
    assert.equal(short.length, 31);
    markSensitive(short);
    const err = expectError(() => signJWT(CLAIMS, short, { algorithm: 'HS256' }), InvalidKeyError, KEY_INVALID);
    assert.match(err.message, /randomBytes\(32\)/);
    assert.match(err.message, /allowWeakKeys/);
  });

  test('refuses an HS512 secret shorter than 64 bytes', () => {
    const secret = 'x'.repeat(48);
    const err = expectError(() => signJWT(CLAIMS, secret, { algorithm: 'HS512' }), InvalidKeyError, KEY_INVALID);
    assert.match(err.message, /randomBytes\(64\)/);
  });

  test('refuses to verify with a short HMAC secret even when the signature matches', () => {
    const short = 'short-secret';
    markSensitive(short);
    const token = craftHS('{"alg":"HS256"}', JSON.stringify(CLAIMS), short);
    expectError(() => verifyJWT(token, short, HS_OPTIONS), InvalidKeyError, KEY_INVALID, token);
  });

  test('accepts a short HMAC secret with allowWeakKeys (opt-out)', () => {
    const token = signJWT(CLAIMS, 'short-secret', { allowWeakKeys: true });
    assert.equal(verifyJWT(token, 'short-secret', { ...HS_OPTIONS, allowWeakKeys: true }).sub, 'user-42');
  });

  test('refuses an empty HMAC secret even with allowWeakKeys', () => {
    const token = craftHS('{"alg":"HS256"}', JSON.stringify(CLAIMS), '');
    expectError(
      () => verifyJWT(token, '', { ...HS_OPTIONS, allowWeakKeys: true }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
    expectError(
      () => verifyJWT(token, new Uint8Array(0), { ...HS_OPTIONS, allowWeakKeys: true }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
    expectError(() => signJWT(CLAIMS, '', { allowWeakKeys: true }), InvalidKeyError, KEY_INVALID);
  });

  test('refuses an RSA JWK with the public exponent 1 (every signature would verify)', () => {
    const jwk: JWK = { ...jwkOf(rsa.publicKey), e: 'AQ' };
    const token = craftAsym('RS256', rsa.privateKey, {});
    expectError(
      () => verifyJWT(token, jwk, { algorithms: ['RS256'], currentDate: NOW }),
      JWKError,
      'ERR_JWK_INVALID',
      token,
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe('key resolvers', () => {
  test('rejects when a resolver returns an HMAC secret for an RS256 token', async () => {
    const token = craftAsym('RS256', rsa.privateKey, {});
    await expectRejection(
      () => verifyJWT(token, () => SECRET, { algorithms: ['RS256', 'HS256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('rejects when a resolver returns a P-384 key for an ES256 token', async () => {
    const token = craftAsym('ES256', p256.privateKey, {});
    await expectRejection(
      () => verifyJWT(token, async () => p384.publicKey, { algorithms: ['ES256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('rejects when a resolver returns an Ed25519 key for an RS256 token', async () => {
    const token = craftAsym('RS256', rsa.privateKey, {});
    await expectRejection(
      () => verifyJWT(token, () => ed25519.publicKey, { algorithms: ['RS256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('rejects when a resolver returns a JWK pinned to another algorithm', async () => {
    const token = craftAsym('ES256', p256.privateKey, {});
    const pinned: JWK = { ...jwkOf(p256.publicKey), alg: 'ES384' };
    await expectRejection(
      () => verifyJWT(token, () => pinned, { algorithms: ['ES256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('rejects a disallowed algorithm before calling the resolver', async () => {
    let called = false;
    const token = craftAsym('RS256', rsa.privateKey, {});
    const resolver: KeyResolver = () => {
      called = true;
      return rsa.publicKey;
    };
    await expectRejection(
      () => verifyJWT(token, resolver, { algorithms: ['ES256'], currentDate: NOW }),
      InvalidAlgorithmError,
      ALG_NOT_ALLOWED,
      token,
    );
    assert.equal(called, false);
  });

  test('rejects a wrong key from a resolver in createVerifier too', async () => {
    const token = craftAsym('ES256', p256.privateKey, {});
    const verify = createVerifier({ key: () => p384.publicKey, algorithms: ['ES256'], currentDate: NOW });
    await expectRejection(() => verify(token), InvalidKeyError, KEY_INVALID, token);
  });
});

// ---------------------------------------------------------------------------------------------
describe('keys embedded in the token are never used (CVE-2018-0114)', () => {
  /** Runs fn with a fetch that records every call, so a header URL being fetched is caught. */
  async function withFetchSpy(fn: () => Promise<void> | void): Promise<string[]> {
    const calls: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: unknown) => {
      calls.push(String(input));
      throw new Error('network access from a verifier');
    }) as typeof fetch;
    try {
      await fn();
    } finally {
      globalThis.fetch = original;
    }
    return calls;
  }

  test('rejects an RS256 token signed by the key in its own "jwk" header (CVE-2018-0114)', () => {
    const token = craftAsym('RS256', rsaAttacker.privateKey, { jwk: jwkOf(rsaAttacker.publicKey) });
    expectError(
      () => verifyJWT(token, rsa.publicKey, { algorithms: ['RS256'], currentDate: NOW }),
      InvalidSignatureError,
      SIG_INVALID,
      token,
    );
  });

  test('rejects an ES256 token signed by the key in its own "jwk" header (CVE-2018-0114)', () => {
    const token = craftAsym('ES256', p256Attacker.privateKey, { jwk: jwkOf(p256Attacker.publicKey) });
    expectError(
      () => verifyJWT(token, p256.publicKey, { algorithms: ['ES256'], currentDate: NOW }),
      InvalidSignatureError,
      SIG_INVALID,
      token,
    );
  });

  test('rejects a token whose "jwk" header is an oct key holding the HMAC secret it was signed with', () => {
    const attackerSecret = 'attacker-controlled-secret-32-bytes!!';
    const token = craftHS(
      JSON.stringify({ alg: 'HS256', jwk: { kty: 'oct', k: b64u(attackerSecret) } }),
      JSON.stringify(CLAIMS),
      attackerSecret,
    );
    rejectsHS(token, InvalidSignatureError, SIG_INVALID);
  });

  test('never fetches a "jku" or "x5u" header and rejects the token', async () => {
    const calls = await withFetchSpy(() => {
      for (const header of [
        { jku: 'https://attacker.example/jwks.json' },
        { x5u: 'https://attacker.example/cert.pem' },
      ]) {
        const token = craftAsym('RS256', rsaAttacker.privateKey, header);
        expectError(
          () => verifyJWT(token, rsa.publicKey, { algorithms: ['RS256'], currentDate: NOW }),
          InvalidSignatureError,
          SIG_INVALID,
          token,
        );
      }
    });
    assert.deepEqual(calls, []);
  });

  test('never fetches a "jku" header through a key resolver path either', async () => {
    const calls = await withFetchSpy(async () => {
      const token = craftAsym('RS256', rsaAttacker.privateKey, {
        jku: 'https://attacker.example/jwks.json',
        kid: 'k1',
      });
      await expectRejection(
        () => verifyJWT(token, () => rsa.publicKey, { algorithms: ['RS256'], currentDate: NOW }),
        InvalidSignatureError,
        SIG_INVALID,
        token,
      );
    });
    assert.deepEqual(calls, []);
  });

  test('rejects a token signed by the certificate in its own "x5c" header', () => {
    const x5c = [CERT_PEM.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')];
    const token = craftAsym('RS256', certKey, { x5c });
    expectError(
      () => verifyJWT(token, rsa.publicKey, { algorithms: ['RS256'], currentDate: NOW }),
      InvalidSignatureError,
      SIG_INVALID,
      token,
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe('error messages leak nothing', () => {
  test('does not reveal the expected HMAC in an InvalidSignatureError (CVE-2019-7644)', () => {
    const token = withSignature(hs(), hmacB64u('something else'));
    const expected = hmacB64u(token.slice(0, token.lastIndexOf('.')));
    const err = expectError(() => verifyJWT(token, SECRET, HS_OPTIONS), InvalidSignatureError, SIG_INVALID, token);
    assert.ok(!err.message.includes(expected));
    assert.ok(!err.message.includes(expected.slice(0, 16)));
  });

  test('does not reveal the PEM body when a corrupt PEM fails to import', () => {
    const lines = RSA_PUBLIC_PEM.split('\n');
    const corrupt = [...lines.slice(0, 3), lines[3]!.replace(/[A-Za-z]/g, '*'), ...lines.slice(4)].join('\n');
    const token = craftAsym('RS256', rsa.privateKey, {});
    expectError(
      () => verifyJWT(token, corrupt, { algorithms: ['RS256'], currentDate: NOW }),
      InvalidKeyError,
      KEY_INVALID,
      token,
    );
  });

  test('does not reveal the secret, the token or its claims in claim errors', () => {
    const token = hs({ aud: 'https://internal-secret-audience.example.com', exp: NOW_S - 1 });
    for (const options of [{}, { audience: 'x' }, { checks: { exp: false }, audience: 'x' }] as VerifyOptions[]) {
      let caught: unknown;
      try {
        verifyJWT(token, SECRET, { ...HS_OPTIONS, ...options });
      } catch (err) {
        caught = err;
      }
      assert.ok(caught instanceof JWTError, describeError(caught));
      assertNoLeak(caught, token);
      assert.ok(!caught.message.includes('internal-secret-audience'), caught.message);
    }
  });

  test('does not reveal a private JWK in a JWK import error', () => {
    const jwk = { ...jwkOf(p256.privateKey), crv: 'P-384' };
    expectError(() => signJWT(CLAIMS, jwk as JWK, { algorithm: 'ES384' }), JWKError, 'ERR_JWK_INVALID');
  });
});
