// JWE negative suite: every attack class of the JWE issue, each asserting the error class AND code.
// Tampering (tag, IV, ciphertext, encrypted key, AAD, protected header), truncated tags and short IVs, invalid-curve and
// small-order ECDH points, p2c bombs (refused by the cap before PBKDF2 runs), decompression bombs, sign/encrypt confusion,
// header rules (duplicates across the three headers, zip/crit outside the protected header), allowlists, key misuse —
// and fast-check properties: encrypt → decrypt round-trips across alg × enc, and any one-byte change is refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import {
  DecodeError,
  DecryptionError,
  decryptJWE,
  decryptJWT,
  encryptJWE,
  encryptJWT,
  generateKeyPair,
  InvalidAlgorithmError,
  InvalidKeyError,
  InvalidSignatureError,
  JWKError,
  signJWT,
  UnsupportedCriticalHeaderError,
  verifyJWS,
  verifyJWT,
} from 'tessera-jwt';
import type { FlattenedJWE, JWK } from 'tessera-jwt';

type ErrorClass = abstract new (...args: never[]) => Error;
const FAILED = 'JWE decryption failed';

function refused(fn: () => unknown, cls: ErrorClass, code: string, message?: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(
      err instanceof cls,
      `expected ${cls.name}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    );
    assert.equal((err as { code?: unknown }).code, code);
    if (typeof message === 'string') assert.equal((err as Error).message, message);
    else if (message) assert.match((err as Error).message, message);
    return true;
  });
}
/** The one indistinguishable decryption failure. */
const fails = (fn: () => unknown): void => refused(fn, DecryptionError, 'ERR_JWE_DECRYPTION_FAILED', FAILED);
const b64u = (b: Uint8Array | string): string => Buffer.from(b).toString('base64url');
const jwkOf = (k: crypto.KeyObject): JWK => k.export({ format: 'jwk' }) as JWK;

const secret32 = randomBytes(32);
const dirOpts = { keyManagementAlgorithms: ['dir'] };
const segs = (jwe: string) => jwe.split('.') as [string, string, string, string, string];
const withSeg = (jwe: string, i: number, value: string) => {
  const s = segs(jwe);
  s[i] = value;
  return s.join('.');
};
const withHeader = (jwe: string, change: (h: Record<string, unknown>) => void) => {
  const h = JSON.parse(Buffer.from(segs(jwe)[0], 'base64url').toString()) as Record<string, unknown>;
  change(h);
  return withSeg(jwe, 0, b64u(JSON.stringify(h)));
};
const bytesOf = (s: string) => Buffer.from(s, 'base64url');
const flipByte = (s: string, i = 0) => {
  const b = bytesOf(s);
  b[i]! ^= 1;
  return b64u(b);
};

// ---------------------------------------------------------------------------------------------------------------

describe('tampering: every part of a JWE is authenticated, and every failure is the same DecryptionError', () => {
  const cases: Array<
    [string, string, Record<string, unknown>, crypto.KeyObject | Buffer | JWK, crypto.KeyObject | Buffer | JWK]
  > = [];
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kw = randomBytes(16);
  cases.push(['dir', 'A256GCM', {}, secret32, secret32]);
  cases.push(['dir', 'A128CBC-HS256', {}, secret32, secret32]);
  cases.push(['A128KW', 'A256CBC-HS512', {}, kw, kw]);
  cases.push(['A128GCMKW', 'A128GCM', {}, kw, kw]);
  cases.push(['RSA-OAEP-256', 'A256GCM', {}, rsa.publicKey, rsa.privateKey]);
  cases.push(['ECDH-ES+A128KW', 'A192CBC-HS384', {}, p256.publicKey, p256.privateKey]);
  cases.push(['ECDH-ES', 'A128GCM', {}, p256.publicKey, p256.privateKey]);
  for (const [alg, enc, , encKey, decKey] of cases) {
    const jwe = encryptJWE('attack at dawn', encKey as never, { alg, enc });
    const opts = { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [enc] };
    test(`${alg} + ${enc}: the untouched JWE decrypts (control)`, () =>
      assert.equal(Buffer.from(decryptJWE(jwe, decKey as never, opts).plaintext).toString(), 'attack at dawn'));
    test(`${alg} + ${enc}: a flipped bit in the tag, IV or ciphertext → DecryptionError`, () => {
      for (const i of [2, 3, 4])
        fails(() => decryptJWE(withSeg(jwe, i, flipByte(segs(jwe)[i]!)), decKey as never, opts));
    });
    test(`${alg} + ${enc}: truncated tags (by 1, 4, 8 bytes; empty) and a short or long IV → DecryptionError`, () => {
      const tag = bytesOf(segs(jwe)[4]);
      for (const cut of [1, 4, 8])
        fails(() => decryptJWE(withSeg(jwe, 4, b64u(tag.subarray(0, tag.length - cut))), decKey as never, opts));
      fails(() => decryptJWE(withSeg(jwe, 4, ''), decKey as never, opts));
      const iv = bytesOf(segs(jwe)[2]);
      fails(() => decryptJWE(withSeg(jwe, 2, b64u(iv.subarray(0, 8))), decKey as never, opts));
      fails(() => decryptJWE(withSeg(jwe, 2, b64u(Buffer.concat([iv, Buffer.alloc(4)]))), decKey as never, opts));
    });
    test(`${alg} + ${enc}: a protected header changed in a way that keeps it valid (extra member) → DecryptionError (it is the AAD)`, () => {
      fails(() =>
        decryptJWE(
          withHeader(jwe, (h) => {
            h.kid = 'attacker';
          }),
          decKey as never,
          opts,
        ),
      );
    });
    if (segs(jwe)[1] !== '') {
      test(`${alg} + ${enc}: a flipped bit in the encrypted key → DecryptionError (the same one as a bad tag)`, () => {
        fails(() => decryptJWE(withSeg(jwe, 1, flipByte(segs(jwe)[1], 5)), decKey as never, opts));
      });
    } else {
      test(`${alg} + ${enc}: an encrypted key where there must be none → DecryptionError`, () => {
        fails(() => decryptJWE(withSeg(jwe, 1, b64u(randomBytes(40))), decKey as never, opts));
      });
    }
  }

  test('GCM: tags of 12 and 15 bytes (valid GCM tag lengths elsewhere) are refused: JWE requires exactly 128 bits', () => {
    const jwe = encryptJWE('x', secret32, { alg: 'dir', enc: 'A256GCM' });
    const tag = bytesOf(segs(jwe)[4]);
    for (const n of [12, 15]) fails(() => decryptJWE(withSeg(jwe, 4, b64u(tag.subarray(0, n))), secret32, dirOpts));
  });

  test('CBC-HMAC: the MAC is checked before decryption — a block changed to break the PKCS#7 padding fails exactly like a bad MAC', () => {
    const jwe = encryptJWE('sixteen byte msg', secret32, { alg: 'dir', enc: 'A128CBC-HS256' });
    const ct = bytesOf(segs(jwe)[3]);
    ct[ct.length - 17]! ^= 0x55; // the block before the last: garbles the padding of the last block
    let padding: unknown;
    let mac: unknown;
    try {
      decryptJWE(withSeg(jwe, 3, b64u(ct)), secret32, dirOpts);
    } catch (e) {
      padding = e;
    }
    try {
      decryptJWE(withSeg(jwe, 4, flipByte(segs(jwe)[4])), secret32, dirOpts);
    } catch (e) {
      mac = e;
    }
    assert.ok(padding instanceof DecryptionError && mac instanceof DecryptionError);
    assert.equal((padding as Error).message, (mac as Error).message);
  });

  test('JSON serialization: changing, adding or removing the aad member → DecryptionError', () => {
    const flat = encryptJWE('x', secret32, {
      alg: 'dir',
      enc: 'A256GCM',
      serialization: 'flattened',
      aad: 'context-1',
    });
    assert.equal(Buffer.from(decryptJWE(flat, secret32, dirOpts).additionalAuthenticatedData!).toString(), 'context-1');
    fails(() => decryptJWE({ ...flat, aad: b64u('context-2') }, secret32, dirOpts));
    const { aad: _a, ...noAad } = flat;
    fails(() => decryptJWE(noAad, secret32, dirOpts));
    const plain = encryptJWE('x', secret32, { alg: 'dir', enc: 'A256GCM', serialization: 'flattened' });
    fails(() => decryptJWE({ ...plain, aad: b64u('added') }, secret32, dirOpts));
  });

  test('JSON serialization: moving the protected header into the unprotected one → DecryptionError', () => {
    const flat = encryptJWE('x', secret32, { alg: 'dir', enc: 'A256GCM', serialization: 'flattened' });
    const { protected: p, ...rest } = flat;
    fails(() =>
      decryptJWE(
        { ...rest, unprotected: JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown> },
        secret32,
        dirOpts,
      ),
    );
  });

  test('the error object carries no detail: same class, code, message, and no cause, for wrong key vs tampered tag', () => {
    const jwe = encryptJWE('x', secret32, { alg: 'dir', enc: 'A256GCM' });
    const errs: unknown[] = [];
    try {
      decryptJWE(jwe, randomBytes(32), dirOpts);
    } catch (e) {
      errs.push(e);
    }
    try {
      decryptJWE(withSeg(jwe, 4, flipByte(segs(jwe)[4])), secret32, dirOpts);
    } catch (e) {
      errs.push(e);
    }
    assert.equal(errs.length, 2);
    for (const e of errs) {
      assert.ok(e instanceof DecryptionError);
      assert.equal(e.message, FAILED);
      assert.equal((e as Error & { cause?: unknown }).cause, undefined);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('ECDH-ES: invalid-curve and small-order points', () => {
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const x25519 = generateKeyPairSync('x25519');
  const ecJwe = encryptJWE('x', p256.publicKey, { alg: 'ECDH-ES+A128KW', enc: 'A128GCM' });
  const xJwe = encryptJWE('x', x25519.publicKey, { alg: 'ECDH-ES', enc: 'A256GCM' });
  const ecOpts = { keyManagementAlgorithms: ['ECDH-ES+A128KW'] };
  const xOpts = { keyManagementAlgorithms: ['ECDH-ES'] };
  const epkOf = (jwe: string) => (JSON.parse(Buffer.from(segs(jwe)[0], 'base64url').toString()) as { epk: JWK }).epk;

  test('a P-256 epk whose y is changed (off the curve) → DecryptionError', () => {
    const epk = epkOf(ecJwe);
    fails(() =>
      decryptJWE(
        withHeader(ecJwe, (h) => {
          h.epk = { ...epk, y: flipByte(epk.y as string, 31) };
        }),
        p256.privateKey,
        ecOpts,
      ),
    );
  });
  test('a P-384 point as epk for a P-256 key, labelled P-384 or relabelled P-256 → DecryptionError', () => {
    const other = jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey);
    fails(() =>
      decryptJWE(
        withHeader(ecJwe, (h) => {
          h.epk = other;
        }),
        p256.privateKey,
        ecOpts,
      ),
    );
    fails(() =>
      decryptJWE(
        withHeader(ecJwe, (h) => {
          h.epk = { ...other, crv: 'P-256' };
        }),
        p256.privateKey,
        ecOpts,
      ),
    );
  });
  test('a secp256k1 point, an X25519 key, a missing epk, an epk that is not an object → DecryptionError', () => {
    const k1 = jwkOf(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey);
    for (const epk of [k1, jwkOf(x25519.publicKey), undefined, 'epk', [1, 2], { kty: 'EC', crv: 'P-256' }]) {
      fails(() =>
        decryptJWE(
          withHeader(ecJwe, (h) => {
            h.epk = epk;
          }),
          p256.privateKey,
          ecOpts,
        ),
      );
    }
  });
  test('the point at infinity / coordinates of zero → DecryptionError', () => {
    fails(() =>
      decryptJWE(
        withHeader(ecJwe, (h) => {
          h.epk = { kty: 'EC', crv: 'P-256', x: b64u(Buffer.alloc(32)), y: b64u(Buffer.alloc(32)) };
        }),
        p256.privateKey,
        ecOpts,
      ),
    );
  });
  // X25519 points of small order (Bernstein's list, as used by libsodium and Wycheproof): the shared secret is
  // all-zero or predictable; refused like any other failure.
  const SMALL_ORDER = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    '5f9c95bc3ca0c6bec71fd46c2fb1ea5c1a0ae85ff05c000e8d36b8a6e9b61c57',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'cdeb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880',
    '4c9c95bc3ca0c6bec71fd46c2fb1ea5c1a0ae85ff05c000e8d36b8a6e9b61cd7',
    'd9ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'daffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'dbffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  ];
  for (const point of SMALL_ORDER) {
    test(`X25519 small-order epk ${point.slice(0, 8)}… → DecryptionError`, () => {
      fails(() =>
        decryptJWE(
          withHeader(xJwe, (h) => {
            h.epk = { kty: 'OKP', crv: 'X25519', x: b64u(Buffer.from(point, 'hex')) };
          }),
          x25519.privateKey,
          xOpts,
        ),
      );
    });
  }
  test('an X448 epk for an X25519 key, and a 31-byte X25519 x → DecryptionError', () => {
    fails(() =>
      decryptJWE(
        withHeader(xJwe, (h) => {
          h.epk = jwkOf(generateKeyPairSync('x448').publicKey);
        }),
        x25519.privateKey,
        xOpts,
      ),
    );
    fails(() =>
      decryptJWE(
        withHeader(xJwe, (h) => {
          h.epk = { kty: 'OKP', crv: 'X25519', x: b64u(randomBytes(31)) };
        }),
        x25519.privateKey,
        xOpts,
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('resource limits: p2c bombs and decompression bombs', () => {
  const password = 'correct horse battery staple';
  const pbes2 = encryptJWE('x', password, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 });
  const pbOpts = { keyManagementAlgorithms: ['PBES2-HS256+A128KW'] };

  test('p2c = 10^9 is refused by the cap (default maxPbes2Count 10,000) while the headers are checked, before any key is used', () => {
    // The refusal is the cap's own message, raised in the header checks: PBKDF2 is never reached (with the cap
    // raised, the same token would run 10^9 iterations, minutes of CPU).
    refused(
      () =>
        decryptJWE(
          withHeader(pbes2, (h) => {
            h.p2c = 1e9;
          }),
          password,
          pbOpts,
        ),
      DecryptionError,
      'ERR_JWE_DECRYPTION_FAILED',
      /maxPbes2Count \(10000\)/,
    );
    // Even with a key that cannot do PBES2 at all: the cap is checked first, so no key work of any kind happens.
    refused(
      () =>
        decryptJWE(
          withHeader(pbes2, (h) => {
            h.p2c = 1e9;
          }),
          generateKeyPairSync('x25519').privateKey,
          pbOpts,
        ),
      DecryptionError,
      'ERR_JWE_DECRYPTION_FAILED',
      /maxPbes2Count/,
    );
  });
  test('p2c above a lowered maxPbes2Count is refused; at the cap it decrypts', () => {
    refused(
      () => decryptJWE(pbes2, password, { ...pbOpts, maxPbes2Count: 999 }),
      DecryptionError,
      'ERR_JWE_DECRYPTION_FAILED',
      /maxPbes2Count/,
    );
    assert.equal(
      Buffer.from(decryptJWE(pbes2, password, { ...pbOpts, maxPbes2Count: 1000 }).plaintext).toString(),
      'x',
    );
  });
  test('p2c that is not a positive safe integer (0, -1, 1.5, "1000", 2^53) → DecodeError', () => {
    for (const p2c of [0, -1, 1.5, '1000', 2 ** 53]) {
      refused(
        () =>
          decryptJWE(
            withHeader(pbes2, (h) => {
              h.p2c = p2c;
            }),
            password,
            pbOpts,
          ),
        DecodeError,
        'ERR_JWT_MALFORMED',
      );
    }
  });
  test('a p2c bomb in one recipient of a general JWE is refused as a whole', () => {
    const general = encryptJWE('x', null, {
      enc: 'A128GCM',
      recipients: [
        { key: password, alg: 'PBES2-HS256+A128KW' },
        { key: secret32, alg: 'A256KW' },
      ],
      p2c: 1000,
    });
    const bomb = {
      ...general,
      recipients: general.recipients.map((r, i) => (i === 0 ? { ...r, header: { ...r.header, p2c: 1e9 } } : r)),
    };
    refused(
      () => decryptJWE(bomb, secret32, { keyManagementAlgorithms: ['PBES2-HS256+A128KW', 'A256KW'] }),
      DecryptionError,
      'ERR_JWE_DECRYPTION_FAILED',
      /maxPbes2Count/,
    );
  });
  test('PBES2 is refused when not listed (InvalidAlgorithmError), and a PBES2-bound JWK does not imply it (TypeError)', () => {
    refused(
      () => decryptJWE(pbes2, password, { keyManagementAlgorithms: ['A128KW', 'dir'] }),
      InvalidAlgorithmError,
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
    assert.throws(() => decryptJWE(pbes2, { kty: 'oct', k: b64u(password), alg: 'PBES2-HS256+A128KW' }, {}), TypeError);
  });
  test('maxPbes2Count must be a positive integer (TypeError)', () => {
    for (const maxPbes2Count of [0, -5, 1.5, '10000', Infinity])
      assert.throws(
        () => decryptJWE(pbes2, password, { ...pbOpts, maxPbes2Count: maxPbes2Count as number }),
        TypeError,
      );
  });

  // 8 MiB of zeros deflates to ~8 KiB: far under maxTokenLength, far over maxDecompressedBytes.
  const bombPlaintext = Buffer.alloc(8 * 1024 * 1024);
  const bomb = encryptJWE(bombPlaintext, secret32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
  test('decompression bomb: 8 MiB of zeros in a ~11 KB token → DecryptionError (default maxDecompressedBytes 256 KiB)', () => {
    assert.ok(bomb.length < 16 * 1024, `the bomb is ${bomb.length} characters`);
    fails(() => decryptJWE(bomb, secret32, dirOpts));
  });
  test('decompression bomb: a raised maxDecompressedBytes admits it (the cap, not the size, decided)', () => {
    assert.equal(
      decryptJWE(bomb, secret32, { ...dirOpts, maxDecompressedBytes: 8 * 1024 * 1024 }).plaintext.length,
      bombPlaintext.length,
    );
    fails(() => decryptJWE(bomb, secret32, { ...dirOpts, maxDecompressedBytes: 8 * 1024 * 1024 - 1 }));
  });
  test('zip DEF over authentic content that is not a DEFLATE stream → DecryptionError', () => {
    fails(() => decryptJWE(handmadeZip(Buffer.from('\xff\xfe\xfd not deflate', 'latin1')), secret32, dirOpts));
    assert.equal(
      Buffer.from(decryptJWE(handmadeZip(deflateRawSync('ok')), secret32, dirOpts).plaintext).toString(),
      'ok',
    );
  });
  test('maxTokenLength bounds the input before any parsing (DecodeError)', () => {
    refused(
      () => decryptJWE(`${'a'.repeat(70_000)}....`, secret32, dirOpts),
      DecodeError,
      'ERR_JWT_MALFORMED',
      /maxTokenLength/,
    );
  });
});

/** A dir + A256GCM JWE with zip "DEF" whose (authentic) content is `content` as given — not deflated. */
function handmadeZip(content: Buffer): string {
  const protectedSegment = b64u(JSON.stringify({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }));
  const iv = randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', secret32, iv);
  cipher.setAAD(Buffer.from(protectedSegment));
  const ct = Buffer.concat([cipher.update(content), cipher.final()]);
  return [protectedSegment, '', b64u(iv), b64u(ct), b64u(cipher.getAuthTag())].join('.');
}

// ---------------------------------------------------------------------------------------------------------------

describe('sign/encrypt confusion', () => {
  const jwe = encryptJWT({ sub: 'x' }, secret32, { alg: 'dir', enc: 'A256GCM' });
  const jws = signJWT({ sub: 'x' }, secret32, { algorithm: 'HS256' });
  test('a JWE passed to verifyJWT → DecodeError with the hint to use decryptJWT', () => {
    refused(
      () => verifyJWT(jwe, secret32, { algorithms: ['HS256'] }),
      DecodeError,
      'ERR_JWT_MALFORMED',
      /JWE.*decryptJWT/,
    );
    refused(() => verifyJWS(jwe, secret32, { algorithms: ['HS256'] }), DecodeError, 'ERR_JWT_MALFORMED', /JWE/);
  });
  test('a JWS passed to decryptJWE / decryptJWT → DecodeError with the hint to use verifyJWT', () => {
    refused(() => decryptJWE(jws, secret32, dirOpts), DecodeError, 'ERR_JWT_MALFORMED', /JWS.*verifyJWT/);
    refused(() => decryptJWT(jws, secret32, dirOpts), DecodeError, 'ERR_JWT_MALFORMED', /JWS.*verifyJWT/);
  });
  test('a flattened JWS object passed to decryptJWE → DecodeError', () => {
    refused(
      () =>
        decryptJWE({ protected: segs(`${jws}..`)[0], payload: 'e30', signature: 'AAAA' } as never, secret32, dirOpts),
      DecodeError,
      'ERR_JWT_MALFORMED',
    );
  });
  test('a JWE whose header claims a JWS alg (HS256) → InvalidAlgorithmError', () => {
    refused(
      () =>
        decryptJWE(
          withHeader(jwe, (h) => {
            h.alg = 'HS256';
          }),
          secret32,
          dirOpts,
        ),
      InvalidAlgorithmError,
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
  });
  test('"none" as alg, and "none" in an allowlist', () => {
    refused(
      () =>
        decryptJWE(
          withHeader(jwe, (h) => {
            h.alg = 'none';
          }),
          secret32,
          dirOpts,
        ),
      InvalidAlgorithmError,
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
    assert.throws(() => decryptJWE(jwe, secret32, { keyManagementAlgorithms: ['none'] }), TypeError);
  });
  test('nested: decryptJWT with nested refuses a JWE that holds claims, not a JWT (DecodeError)', () => {
    refused(
      () => decryptJWT(jwe, secret32, { ...dirOpts, nested: { key: secret32, algorithms: ['HS256'] } }),
      DecodeError,
      'ERR_JWT_MALFORMED',
      /nested/,
    );
  });
  test('nested: an inner JWS signed with another key → InvalidSignatureError surfaces from the inner verification', () => {
    const token = encryptJWT({ sub: 'x' }, secret32, {
      alg: 'dir',
      enc: 'A256GCM',
      sign: { key: randomBytes(32), algorithm: 'HS256' },
    });
    refused(
      () => decryptJWT(token, secret32, { ...dirOpts, nested: { key: randomBytes(32), algorithms: ['HS256'] } }),
      InvalidSignatureError,
      'ERR_JWS_SIGNATURE_INVALID',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('header rules', () => {
  const flat = encryptJWE('x', secret32, {
    alg: 'dir',
    enc: 'A256GCM',
    serialization: 'flattened',
    unprotectedHeader: { note: 'u' },
  });
  test('the same member in the protected and the shared unprotected header → DecodeError', () => {
    refused(
      () => decryptJWE({ ...flat, unprotected: { ...flat.unprotected, enc: 'A256GCM' } }, secret32, dirOpts),
      DecodeError,
      'ERR_JWT_MALFORMED',
      /more than one header/,
    );
  });
  test('the same member in the shared unprotected and the per-recipient header → DecodeError', () => {
    refused(
      () => decryptJWE({ ...flat, header: { note: 'r' } }, secret32, dirOpts),
      DecodeError,
      'ERR_JWT_MALFORMED',
      /more than one header/,
    );
  });
  test('the same member in the protected and a general recipient header → DecodeError', () => {
    const general = encryptJWE('x', null, { enc: 'A256GCM', recipients: [{ key: randomBytes(16), alg: 'A128KW' }] });
    const bad = {
      ...general,
      recipients: [{ ...general.recipients[0]!, header: { ...general.recipients[0]!.header, enc: 'A256GCM' } }],
    };
    refused(
      () => decryptJWE(bad, secret32, { keyManagementAlgorithms: ['A128KW'] }),
      DecodeError,
      'ERR_JWT_MALFORMED',
      /more than one header/,
    );
  });
  test('a duplicate member inside the protected header JSON → DecodeError', () => {
    const jwe = encryptJWE('x', secret32, { alg: 'dir', enc: 'A256GCM' });
    refused(
      () => decryptJWE(withSeg(jwe, 0, b64u('{"alg":"dir","enc":"A256GCM","enc":"A128GCM"}')), secret32, dirOpts),
      DecodeError,
      'ERR_JWT_MALFORMED',
    );
  });
  test('zip outside the protected header → DecodeError; a zip other than DEF → DecodeError', () => {
    refused(
      () => decryptJWE({ ...flat, unprotected: { zip: 'DEF' } }, secret32, dirOpts),
      DecodeError,
      'ERR_JWT_MALFORMED',
      /zip.*protected/,
    );
    refused(
      () => decryptJWE({ ...flat, header: { zip: 'DEF' } } as FlattenedJWE, secret32, dirOpts),
      DecodeError,
      'ERR_JWT_MALFORMED',
      /zip.*protected/,
    );
    const jwe = encryptJWE('x', secret32, { alg: 'dir', enc: 'A256GCM' });
    refused(
      () =>
        decryptJWE(
          withHeader(jwe, (h) => {
            h.zip = 'GZIP';
          }),
          secret32,
          dirOpts,
        ),
      DecodeError,
      'ERR_JWT_MALFORMED',
      /DEF/,
    );
  });
  test('crit: an extension not understood, crit outside the protected header, crit naming a registered member or a missing one', () => {
    const withCrit = encryptJWE('x', secret32, {
      alg: 'dir',
      enc: 'A256GCM',
      header: { crit: ['urn:example:ext'], 'urn:example:ext': 1 },
    });
    refused(() => decryptJWE(withCrit, secret32, dirOpts), UnsupportedCriticalHeaderError, 'ERR_JWT_CRIT_UNSUPPORTED');
    assert.equal(
      Buffer.from(decryptJWE(withCrit, secret32, { ...dirOpts, crit: ['urn:example:ext'] }).plaintext).toString(),
      'x',
    );
    refused(
      () => decryptJWE({ ...flat, unprotected: { crit: ['x'], x: 1 } }, secret32, { ...dirOpts, crit: ['x'] }),
      UnsupportedCriticalHeaderError,
      'ERR_JWT_CRIT_UNSUPPORTED',
    );
    const jwe = encryptJWE('x', secret32, { alg: 'dir', enc: 'A256GCM' });
    refused(
      () =>
        decryptJWE(
          withHeader(jwe, (h) => {
            h.crit = ['enc'];
          }),
          secret32,
          dirOpts,
        ),
      UnsupportedCriticalHeaderError,
      'ERR_JWT_CRIT_UNSUPPORTED',
    );
    refused(
      () =>
        decryptJWE(
          withHeader(jwe, (h) => {
            h.crit = ['absent'];
          }),
          secret32,
          { ...dirOpts, crit: ['absent'] },
        ),
      UnsupportedCriticalHeaderError,
      'ERR_JWT_CRIT_UNSUPPORTED',
    );
    refused(
      () =>
        decryptJWE(
          withHeader(jwe, (h) => {
            h.crit = [];
          }),
          secret32,
          dirOpts,
        ),
      UnsupportedCriticalHeaderError,
      'ERR_JWT_CRIT_UNSUPPORTED',
    );
  });
  test('encryptJWE refuses to write what decryptJWE would refuse (TypeError): zip/crit unprotected, header.zip without zip, duplicates', () => {
    assert.throws(() => encryptJWE('x', secret32, { alg: 'dir', enc: 'A256GCM', header: { zip: 'DEF' } }), TypeError);
    assert.throws(
      () =>
        encryptJWE('x', secret32, {
          alg: 'dir',
          enc: 'A256GCM',
          serialization: 'flattened',
          unprotectedHeader: { zip: 'DEF' },
        }),
      TypeError,
    );
    assert.throws(
      () =>
        encryptJWE('x', secret32, {
          alg: 'dir',
          enc: 'A256GCM',
          serialization: 'flattened',
          unprotectedHeader: { crit: ['x'], x: 1 },
        }),
      TypeError,
    );
    assert.throws(
      () =>
        encryptJWE('x', secret32, {
          alg: 'dir',
          enc: 'A256GCM',
          serialization: 'flattened',
          unprotectedHeader: { enc: 'A256GCM' },
        }),
      TypeError,
    );
    assert.throws(
      () =>
        encryptJWE('x', null, {
          enc: 'A256GCM',
          header: { alg: 'A128KW' },
          recipients: [{ key: randomBytes(16), alg: 'A128KW' }],
        }),
      TypeError,
    );
    assert.throws(
      () =>
        encryptJWE('x', null, {
          enc: 'A256GCM',
          unprotectedHeader: { n: 1 },
          recipients: [{ key: randomBytes(16), alg: 'A128KW', header: { n: 2 } }],
        }),
      TypeError,
    );
    assert.throws(
      () =>
        encryptJWE('x', null, {
          enc: 'A256GCM',
          recipients: [{ key: randomBytes(16), alg: 'A128KW', header: { alg: 'A256KW' } }],
        }),
      TypeError,
    );
    assert.throws(() => encryptJWE('x', secret32, { alg: 'dir', enc: 'A256GCM', aad: 'x' }), TypeError); // aad needs JSON
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('allowlists and key misuse', () => {
  const jwe = encryptJWE('x', secret32, { alg: 'dir', enc: 'A256GCM' });
  test('alg not in keyManagementAlgorithms, enc not in contentEncryptionAlgorithms → InvalidAlgorithmError', () => {
    refused(
      () => decryptJWE(jwe, secret32, { keyManagementAlgorithms: ['A256KW'] }),
      InvalidAlgorithmError,
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
    refused(
      () => decryptJWE(jwe, secret32, { ...dirOpts, contentEncryptionAlgorithms: ['A128GCM', 'A256CBC-HS512'] }),
      InvalidAlgorithmError,
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
  });
  test('missing or malformed allowlists, unknown algorithms in them → TypeError at once', () => {
    for (const options of [
      {},
      { keyManagementAlgorithms: [] },
      { keyManagementAlgorithms: 'dir' },
      { keyManagementAlgorithms: ['dir', 'XYZ'] },
      { ...dirOpts, contentEncryptionAlgorithms: ['A512GCM'] },
      { ...dirOpts, contentEncryptionAlgorithms: [] },
    ]) {
      assert.throws(() => decryptJWE(jwe, secret32, options as never), TypeError, JSON.stringify(options));
    }
  });
  test('an RSA key for dir / A256KW → InvalidKeyError (decrypt and encrypt)', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    refused(() => decryptJWE(jwe, rsa.privateKey, dirOpts), InvalidKeyError, 'ERR_KEY_INVALID');
    refused(() => encryptJWE('x', rsa.publicKey, { alg: 'dir', enc: 'A256GCM' }), InvalidKeyError, 'ERR_KEY_INVALID');
    refused(
      () => encryptJWE('x', rsa.publicKey, { alg: 'A256KW', enc: 'A256GCM' }),
      InvalidKeyError,
      'ERR_KEY_INVALID',
    );
  });
  test('a secret of the wrong length for dir + enc, or for AES-KW → InvalidKeyError', () => {
    refused(() => decryptJWE(jwe, randomBytes(16), dirOpts), InvalidKeyError, 'ERR_KEY_INVALID');
    refused(
      () => encryptJWE('x', randomBytes(24), { alg: 'A128KW', enc: 'A256GCM' }),
      InvalidKeyError,
      'ERR_KEY_INVALID',
    );
  });
  test('a JWK with use "sig" or key_ops without decrypt/unwrapKey → JWKError', () => {
    refused(() => decryptJWE(jwe, { kty: 'oct', k: b64u(secret32), use: 'sig' }, dirOpts), JWKError, 'ERR_JWK_INVALID');
    refused(
      () => decryptJWE(jwe, { kty: 'oct', k: b64u(secret32), key_ops: ['sign', 'verify'] }, dirOpts),
      JWKError,
      'ERR_JWK_INVALID',
    );
  });
  test('a JWK bound to another alg → InvalidKeyError', () => {
    refused(
      () => decryptJWE(jwe, { kty: 'oct', k: b64u(secret32), alg: 'A256KW' }, dirOpts),
      InvalidKeyError,
      'ERR_KEY_INVALID',
    );
  });
  test('a public key for decryption (RSA-OAEP, ECDH-ES) → InvalidKeyError', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = encryptJWE('x', rsa.publicKey, { alg: 'RSA-OAEP-256', enc: 'A256GCM' });
    refused(
      () => decryptJWE(token, rsa.publicKey, { keyManagementAlgorithms: ['RSA-OAEP-256'] }),
      InvalidKeyError,
      'ERR_KEY_INVALID',
    );
  });
  test('RSA-OAEP with a 1024-bit key → InvalidKeyError unless allowWeakKeys', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    refused(
      () => encryptJWE('x', weak.publicKey, { alg: 'RSA-OAEP-256', enc: 'A256GCM' }),
      InvalidKeyError,
      'ERR_KEY_INVALID',
    );
    const token = encryptJWE('x', weak.publicKey, { alg: 'RSA-OAEP-256', enc: 'A256GCM', allowWeakKeys: true });
    refused(
      () => decryptJWE(token, weak.privateKey, { keyManagementAlgorithms: ['RSA-OAEP-256'] }),
      InvalidKeyError,
      'ERR_KEY_INVALID',
    );
    assert.equal(
      Buffer.from(
        decryptJWE(token, weak.privateKey, { keyManagementAlgorithms: ['RSA-OAEP-256'], allowWeakKeys: true })
          .plaintext,
      ).toString(),
      'x',
    );
  });
  test('RSA1_5 on either side → TypeError', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.throws(() => encryptJWE('x', rsa.publicKey, { alg: 'RSA1_5', enc: 'A128CBC-HS256' }), TypeError);
    assert.throws(() => decryptJWE(jwe, rsa.privateKey, { keyManagementAlgorithms: ['RSA1_5'] }), TypeError);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('properties (fast-check)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const x = generateKeyPairSync('x25519');
  const ENCS = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'];
  const CEK: Record<string, number> = {
    A128GCM: 16,
    A192GCM: 24,
    A256GCM: 32,
    'A128CBC-HS256': 32,
    'A192CBC-HS384': 48,
    'A256CBC-HS512': 64,
  };
  const kw = { 16: randomBytes(16), 24: randomBytes(24), 32: randomBytes(32) } as Record<number, Buffer>;
  type Keys = { enc: (enc: string) => unknown; dec: (enc: string) => unknown };
  const dirKeys = new Map(ENCS.map((e) => [e, randomBytes(CEK[e]!)]));
  const ALGS: Record<string, Keys> = {
    dir: { enc: (e) => dirKeys.get(e), dec: (e) => dirKeys.get(e) },
    A128KW: { enc: () => kw[16], dec: () => kw[16] },
    A256KW: { enc: () => kw[32], dec: () => kw[32] },
    A192GCMKW: { enc: () => kw[24], dec: () => kw[24] },
    'RSA-OAEP': { enc: () => rsa.publicKey, dec: () => rsa.privateKey },
    'RSA-OAEP-512': { enc: () => rsa.publicKey, dec: () => rsa.privateKey },
    'ECDH-ES': { enc: () => ec.publicKey, dec: () => ec.privateKey },
    'ECDH-ES+A192KW': { enc: () => x.publicKey, dec: () => x.privateKey },
    'PBES2-HS384+A192KW': { enc: () => 'a password of some length', dec: () => 'a password of some length' },
  };

  test('encrypt → decrypt returns the plaintext for random bytes, alg × enc × serialization × zip', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...Object.keys(ALGS)),
        fc.constantFrom(...ENCS),
        fc.constantFrom('compact', 'flattened', 'general'),
        fc.boolean(),
        (plaintext, alg, enc, serialization, zip) => {
          const k = ALGS[alg]!;
          const jwe = encryptJWE(plaintext, k.enc(enc) as never, {
            alg,
            enc,
            serialization: serialization as 'compact',
            p2c: 1000,
            ...(zip ? { zip: 'DEF' as const } : {}),
          });
          const r = decryptJWE(jwe, k.dec(enc) as never, {
            keyManagementAlgorithms: [alg],
            contentEncryptionAlgorithms: [enc],
          });
          assert.deepEqual(Buffer.from(r.plaintext), Buffer.from(plaintext));
        },
      ),
      { numRuns: 150 },
    );
  });

  test('any single-byte change to a compact JWE is refused with a JWTError (never accepted, never a crash)', () => {
    const samples = ['dir', 'A128KW', 'RSA-OAEP', 'ECDH-ES', 'ECDH-ES+A192KW'].flatMap((alg) =>
      ['A128GCM', 'A128CBC-HS256'].map((enc) => ({
        alg,
        enc,
        jwe: encryptJWE('property', ALGS[alg]!.enc(enc) as never, { alg, enc }),
      })),
    );
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.constantFrom(...ALPHABET), ({ alg, enc, jwe }, at, ch) => {
        const i = at % jwe.length;
        fc.pre(jwe[i] !== ch);
        const changed = jwe.slice(0, i) + ch + jwe.slice(i + 1);
        assert.throws(
          () =>
            decryptJWE(changed, ALGS[alg]!.dec(enc) as never, {
              keyManagementAlgorithms: [alg],
              contentEncryptionAlgorithms: [enc],
            }),
          (err: unknown) =>
            err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && !(err instanceof TypeError),
        );
      }),
      { numRuns: 400 },
    );
  });
});

describe('review regressions', () => {
  test('PBES2 work is bounded per token: many PBES2 recipients cannot multiply maxPbes2Count', () => {
    const password = 'correct horse battery staple';
    const recipients = Array.from({ length: 4 }, () => ({ key: password, alg: 'PBES2-HS256+A128KW' }));
    const jwe = encryptJWE('x', null, { enc: 'A128GCM', recipients, p2c: 4000 });
    assert.throws(
      () => decryptJWE(jwe, password, { keyManagementAlgorithms: ['PBES2-HS256+A128KW'] }),
      DecryptionError,
    );
    const one = encryptJWE('x', password, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 4000 });
    assert.equal(
      Buffer.from(decryptJWE(one, password, { keyManagementAlgorithms: ['PBES2-HS256+A128KW'] }).plaintext).toString(),
      'x',
    );
  });

  test('decryptJWT with a resolver as nested.key returns a Promise that rejects a forged inner token', async () => {
    const recipient = generateKeyPair('ECDH-ES+A256KW');
    const issuer = generateKeyPair('ES256');
    const attacker = generateKeyPair('ES256', { kid: issuer.publicKey.kid });
    const forged = encryptJWT({ sub: 'admin' }, recipient.publicKey, { sign: { key: attacker.privateKey } });
    const options = {
      keyManagementAlgorithms: ['ECDH-ES+A256KW'],
      nested: { key: async () => issuer.publicKey, algorithms: ['ES256'] },
    };
    await assert.rejects(decryptJWT(forged, recipient.privateKey, options), InvalidSignatureError);
    const genuine = encryptJWT({ sub: 'user' }, recipient.publicKey, { sign: { key: issuer.privateKey } });
    assert.equal((await decryptJWT(genuine, recipient.privateKey, options)).sub, 'user');
  });
});

describe('direct key agreement and direct encryption stand alone (RFC 7516 §7.2.1, RFC 7518 §4.5, §4.6)', () => {
  const options = { keyManagementAlgorithms: ['dir', 'ECDH-ES', 'A256KW'], contentEncryptionAlgorithms: ['A256GCM'] };
  const several = /several recipients cannot use "(dir|ECDH-ES)"/;
  type General = { recipients: Array<Record<string, unknown>> } & Record<string, unknown>;

  test('a general JWE with two "dir" recipients is a DecodeError, though one alone decrypts (control)', () => {
    const jwe = encryptJWE('hi', secret32, {
      alg: 'dir',
      enc: 'A256GCM',
      serialization: 'general',
    }) as unknown as General;
    assert.equal(Buffer.from(decryptJWE(jwe as never, secret32, options).plaintext).toString(), 'hi');
    const doubled = { ...jwe, recipients: [jwe.recipients[0]!, jwe.recipients[0]!] };
    refused(() => decryptJWE(doubled as never, secret32, options), DecodeError, 'ERR_JWT_MALFORMED', several);
  });

  test('a "dir" recipient beside a key-wrapping recipient is refused, whichever comes first and whatever is allowed', () => {
    const kek = randomBytes(32);
    const wrapped = encryptJWE('hi', null, {
      enc: 'A256GCM',
      recipients: [
        { key: kek, alg: 'A256KW' },
        { key: randomBytes(32), alg: 'A256KW' },
      ],
    }) as unknown as General;
    const dirRecipient = { header: { alg: 'dir' } };
    for (const recipients of [
      [wrapped.recipients[0]!, dirRecipient],
      [dirRecipient, wrapped.recipients[0]!],
    ]) {
      refused(
        () => decryptJWE({ ...wrapped, recipients } as never, kek, options),
        DecodeError,
        'ERR_JWT_MALFORMED',
        several,
      );
      refused(
        () => decryptJWE({ ...wrapped, recipients } as never, kek, { ...options, keyManagementAlgorithms: ['A256KW'] }),
        DecodeError,
        'ERR_JWT_MALFORMED',
        several,
      );
    }
    // Two key-wrapping recipients share one CEK legitimately (control).
    assert.equal(Buffer.from(decryptJWE(wrapped as never, kek, options).plaintext).toString(), 'hi');
  });

  test('a general JWE with two ECDH-ES (direct agreement) recipients is a DecodeError', () => {
    const recipient = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwe = encryptJWE('hi', recipient.publicKey, {
      alg: 'ECDH-ES',
      enc: 'A256GCM',
      serialization: 'general',
    }) as unknown as General;
    assert.equal(Buffer.from(decryptJWE(jwe as never, recipient.privateKey, options).plaintext).toString(), 'hi');
    const other = encryptJWE('x', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey, {
      alg: 'ECDH-ES',
      enc: 'A256GCM',
      serialization: 'general',
    }) as unknown as General;
    const doubled = { ...jwe, recipients: [jwe.recipients[0]!, other.recipients[0]!] };
    refused(
      () => decryptJWE(doubled as never, recipient.privateKey, options),
      DecodeError,
      'ERR_JWT_MALFORMED',
      several,
    );
  });

  test('encryptJWE refuses to build one (TypeError)', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    assert.throws(
      () =>
        encryptJWE('hi', null, {
          enc: 'A256GCM',
          recipients: [
            { key: secret32, alg: 'dir' },
            { key: randomBytes(32), alg: 'A256KW' },
          ],
        }),
      TypeError,
    );
    assert.throws(
      () =>
        encryptJWE('hi', null, {
          enc: 'A256GCM',
          recipients: [
            { key: ec, alg: 'ECDH-ES' },
            { key: ec, alg: 'ECDH-ES' },
          ],
        }),
      TypeError,
    );
  });
});
