// Unknown option names are programmer mistakes (issue 11 item 5): every options object of the core API
// refuses a name it does not read, with a TypeError that suggests the closest known one, and accepts
// every documented option and alias.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createSigner,
  createVerifier,
  decodeJWS,
  decodeJWT,
  decodeProtectedHeader,
  decodeUnsecuredJWT,
  decryptJWE,
  decryptJWT,
  encodeUnsecuredJWT,
  encryptJWE,
  encryptJWT,
  exportJWK,
  generateKeyPair,
  generateSecret,
  importKey,
  signJWS,
  signJWT,
  verifyJWS,
  verifyJWT,
} from 'tessera-jwt';

const SECRET = 'option-names-suite-hmac-secret-0123456789abcdef';
const NOW = new Date('2025-06-01T12:00:00Z');
const es = generateKeyPair('ES256');
const dirKey = generateSecret('A256GCM');
const token = signJWT({ sub: 'user-42' }, SECRET, { currentDate: NOW, expiresIn: 60 });
const jwe = encryptJWE('hello', dirKey, { enc: 'A256GCM' });
const HS = { algorithms: ['HS256'], currentDate: NOW };
const DIR = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] };

/** Asserts a TypeError that names the call, the unknown option and the suggestion. */
function refuses(fn: () => unknown, where: string, unknown: string, suggestion?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TypeError, `expected a TypeError, got ${String(err)}`);
    assert.ok(err.message.startsWith(`${where}`), err.message);
    assert.ok(err.message.includes(`unknown option "${unknown}"`), err.message);
    if (suggestion !== undefined) assert.ok(err.message.includes(`did you mean "${suggestion}"?`), err.message);
    return true;
  });
}

describe('a misspelt option is a TypeError suggesting the closest name', () => {
  test('signJWT(p, k, { expiresin: 900 }) names "expiresIn" (and signs nothing)', () => {
    refuses(() => signJWT({ sub: 'a' }, SECRET, { expiresin: 900 } as never), 'signJWT', 'expiresin', 'expiresIn');
  });

  const cases: Array<[string, () => unknown, string, string, string]> = [
    [
      'createSigner',
      () => createSigner({ key: SECRET, notbefore: 5 } as never),
      'createSigner',
      'notbefore',
      'notBefore',
    ],
    [
      'verifyJWT',
      () => verifyJWT(token, SECRET, { ...HS, audiance: 'api' } as never),
      'verifyJWT',
      'audiance',
      'audience',
    ],
    [
      'verifyJWT checks',
      () => verifyJWT(token, SECRET, { ...HS, checks: { expp: false } } as never),
      'verifyJWT "checks"',
      'expp',
      'exp',
    ],
    [
      'verifyJWT (PyJWT verify_exp)',
      () => verifyJWT(token, SECRET, { ...HS, verify_exp: false } as never),
      'verifyJWT',
      'verify_exp',
      undefined as never,
    ],
    [
      'createVerifier',
      () => createVerifier({ key: SECRET, algorithms: ['HS256'], clocktolerance: 5 } as never),
      'createVerifier',
      'clocktolerance',
      'clockTolerance',
    ],
    [
      'createVerifier cache',
      () => createVerifier({ key: SECRET, algorithms: ['HS256'], cache: { maxx: 5 } } as never),
      'createVerifier "cache"',
      'maxx',
      'max',
    ],
    [
      'decodeJWT',
      () => decodeJWT(token, { maxTokenLenght: 100 } as never),
      'decodeJWT',
      'maxTokenLenght',
      'maxTokenLength',
    ],
    [
      'decodeJWT claims',
      () => decodeJWT(token, { claims: { isuer: 'x' } } as never),
      'decodeJWT "claims"',
      'isuer',
      'issuer',
    ],
    [
      'decodeProtectedHeader',
      () => decodeProtectedHeader(token, { crits: [] } as never),
      'decodeProtectedHeader',
      'crits',
      'crit',
    ],
    [
      'decodeJWS',
      () => decodeJWS(token, { detachedPayloads: 'x' } as never),
      'decodeJWS',
      'detachedPayloads',
      'detachedPayload',
    ],
    [
      'encodeUnsecuredJWT',
      () => encodeUnsecuredJWT({}, { expiresin: 5 } as never),
      'encodeUnsecuredJWT',
      'expiresin',
      'expiresIn',
    ],
    [
      'decodeUnsecuredJWT',
      () => decodeUnsecuredJWT(encodeUnsecuredJWT({}), { requiredClaim: ['sub'] } as never),
      'decodeUnsecuredJWT',
      'requiredClaim',
      'requiredClaims',
    ],
    [
      'signJWS',
      () => signJWS('x', SECRET, { serialisation: 'flattened' } as never),
      'signJWS',
      'serialisation',
      'serialization',
    ],
    [
      'signJWS signers',
      () => signJWS('x', null, { signers: [{ key: SECRET, algoritm: 'HS256' }] } as never),
      'signJWS "signers"',
      'algoritm',
      'algorithm',
    ],
    [
      'verifyJWS',
      () => verifyJWS(signJWS('x', SECRET), SECRET, { algorithms: ['HS256'], algorithm: 'HS256' } as never),
      'verifyJWS',
      'algorithm',
      'algorithms',
    ],
    [
      'encryptJWE',
      () => encryptJWE('x', dirKey, { enc: 'A256GCM', zipp: 'DEF' } as never),
      'encryptJWE',
      'zipp',
      'zip',
    ],
    [
      'encryptJWE recipients',
      () => encryptJWE('x', null, { enc: 'A256GCM', recipients: [{ key: dirKey, algg: 'dir' }] } as never),
      'encryptJWE "recipients"',
      'algg',
      'alg',
    ],
    [
      'decryptJWE',
      () => decryptJWE(jwe, dirKey, { ...DIR, maxPbes2count: 5 } as never),
      'decryptJWE',
      'maxPbes2count',
      'maxPbes2Count',
    ],
    [
      'encryptJWT',
      () => encryptJWT({}, dirKey, { enc: 'A256GCM', expiresin: 5 } as never),
      'encryptJWT',
      'expiresin',
      'expiresIn',
    ],
    [
      'encryptJWT sign',
      () => encryptJWT({}, dirKey, { enc: 'A256GCM', sign: { key: SECRET, algorith: 'HS256' } } as never),
      'encryptJWT "sign"',
      'algorith',
      'algorithm',
    ],
    [
      'decryptJWT',
      () => decryptJWT(jwe, dirKey, { ...DIR, audiences: ['a'] } as never),
      'decryptJWT',
      'audiences',
      'audience',
    ],
    [
      'decryptJWT nested',
      () => decryptJWT(jwe, dirKey, { ...DIR, nested: { key: SECRET, algorithm: ['HS256'] } } as never),
      'decryptJWT "nested"',
      'algorithm',
      'algorithms',
    ],
    ['importKey', () => importKey(SECRET, { algo: 'HS256' } as never), 'importKey', 'algo', 'alg'],
    ['exportJWK', () => exportJWK(es.publicKey, { privat: true } as never), 'exportJWK', 'privat', 'private'],
    ['Key#toJWK', () => es.privateKey.toJWK({ privte: true } as never), 'Key#toJWK', 'privte', 'private'],
    ['Key#toPEM', () => es.privateKey.toPEM({ privte: true } as never), 'Key#toPEM', 'privte', 'private'],
    [
      'generateKeyPair',
      () => generateKeyPair('RS256', { modulus: 4096 } as never),
      'generateKeyPair',
      'modulus',
      'modulusLength',
    ],
    ['generateSecret', () => generateSecret('HS256', { kidd: 'k' } as never), 'generateSecret', 'kidd', 'kid'],
  ];
  for (const [name, fn, where, unknown, suggestion] of cases) {
    test(`${name} refuses "${unknown}"`, () => refuses(fn, where, unknown, suggestion));
  }

  test('an option present with the value undefined is still checked (the name is the mistake)', () => {
    refuses(() => signJWT({}, SECRET, { expiresin: undefined } as never), 'signJWT', 'expiresin', 'expiresIn');
  });
});

describe('every documented option and alias is accepted', () => {
  test('SignOptions, including header, typ null and jwtId true', () => {
    const t = signJWT({}, SECRET, {
      algorithm: 'HS256',
      header: { x: 1 },
      kid: 'k',
      typ: null,
      expiresIn: '15m',
      notBefore: 0,
      issuer: 'i',
      subject: 's',
      audience: 'a',
      jwtId: true,
      issuedAt: true,
      currentDate: NOW,
      allowWeakKeys: false,
    });
    assert.equal(decodeJWT(t).payload.iss, 'i');
    assert.equal(typeof createSigner({ key: SECRET, expiresIn: 60, algorithm: 'HS256' })({}), 'string');
  });

  test('VerifyOptions with both aliases (leeway, require), checks and cache', () => {
    const t = signJWT({ sub: 's', iss: 'i', aud: 'a', jti: 'j', nonce: 'n' }, SECRET, {
      currentDate: NOW,
      expiresIn: 60,
      typ: 'at+jwt',
    });
    const all = {
      algorithms: ['HS256'],
      audience: 'a',
      strictAudience: true,
      issuer: 'i',
      subject: 's',
      jwtId: 'j',
      nonce: 'n',
      leeway: 5,
      maxTokenAge: '1h',
      require: ['exp'],
      typ: 'at+jwt',
      currentDate: NOW,
      crit: [],
      complete: false,
      maxTokenLength: 4096,
      allowWeakKeys: false,
      checks: { exp: true, nbf: true, iat: true, aud: true, iss: true, sub: true, jti: true },
      validate: () => true,
    };
    assert.equal(verifyJWT(t, SECRET, all).sub, 's');
    assert.equal(
      verifyJWT(t, SECRET, {
        ...all,
        leeway: undefined,
        require: undefined,
        clockTolerance: '5s',
        requiredClaims: ['exp'],
      }).sub,
      's',
    );
    assert.equal(createVerifier({ key: SECRET, ...all, cache: { max: 10, ttl: '1m' } })(t).sub, 's');
    const { algorithms: _a, crit: _c, complete: _x, maxTokenLength: _m, allowWeakKeys: _w, ...claimOptions } = all;
    assert.equal(decodeJWT(t, { claims: claimOptions }).payload.sub, 's');
  });

  test('JWE and JWK options', () => {
    const t = encryptJWT({ sub: 's' }, dirKey, {
      enc: 'A256GCM',
      kid: 'd',
      typ: 'JWT',
      zip: 'DEF',
      expiresIn: 60,
      currentDate: NOW,
      sign: { key: SECRET, algorithm: 'HS256', kid: 'h' },
    });
    const claims = decryptJWT(t, dirKey, {
      ...DIR,
      crit: [],
      maxPbes2Count: 1000,
      maxDecompressedBytes: 10_000,
      maxTokenLength: 10_000,
      allowWeakKeys: false,
      currentDate: NOW,
      nested: { key: SECRET, algorithms: ['HS256'], crit: [], allowWeakKeys: false },
      complete: false,
    });
    assert.equal((claims as { sub: string }).sub, 's');
    assert.equal(importKey(SECRET, { alg: 'HS256', use: 'sig', kid: 'k' }).kid, 'k');
    assert.equal(generateKeyPair('EdDSA', { kid: 'e', crv: 'Ed25519' }).publicKey.kid, 'e');
    assert.equal(exportJWK(es.privateKey, { private: false }).d, undefined);
  });
});
