// signJWT options, createSigner/createVerifier, the verifier cache, resolvers, unsecured JWTs, errors.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import * as tessera from 'tessera-jwt';
import {
  createSigner,
  createVerifier,
  DecodeError,
  decodeJWT,
  decodeProtectedHeader,
  decodeUnsecuredJWT,
  encodeUnsecuredJWT,
  ERROR_CODES,
  ExpiredSignatureError,
  InvalidAlgorithmError,
  InvalidSignatureError,
  JWTError,
  signJWT,
  verifyJWT,
} from 'tessera-jwt';
import { REPO_ROOT } from './helpers/paths.js';

const secret = randomBytes(32);
const NOW = 1_700_000_000;
const currentDate = new Date(NOW * 1000);
const b64json = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString());

describe('signJWT options', () => {
  test('adds iat by default and a typ of JWT', () => {
    const token = signJWT({ sub: 'a' }, secret, { currentDate });
    assert.deepEqual(b64json(token.split('.')[0]!), { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(b64json(token.split('.')[1]!), { sub: 'a', iat: NOW });
  });
  test('issuedAt false omits iat, typ null omits typ', () => {
    const token = signJWT({ sub: 'a' }, secret, { issuedAt: false, typ: null });
    assert.deepEqual(b64json(token.split('.')[0]!), { alg: 'HS256' });
    assert.deepEqual(b64json(token.split('.')[1]!), { sub: 'a' });
  });
  test('expiresIn and notBefore accept seconds and duration strings', () => {
    const p = decodeJWT(signJWT({}, secret, { currentDate, expiresIn: '15m', notBefore: 30 })).payload;
    assert.equal(p.exp, NOW + 900);
    assert.equal(p.nbf, NOW + 30);
  });
  test('Date claims become NumericDates', () => {
    const p = decodeJWT(signJWT({ exp: new Date((NOW + 60) * 1000 + 999) }, secret, { currentDate })).payload;
    assert.equal(p.exp, NOW + 60);
  });
  test('issuer, subject, audience, jwtId and kid fill in claims and header', () => {
    const token = signJWT({}, secret, {
      issuer: 'i',
      subject: 's',
      audience: ['a', 'b'],
      jwtId: true,
      kid: 'k1',
      currentDate,
    });
    const { header, payload } = decodeJWT(token);
    assert.equal(header.kid, 'k1');
    assert.equal(payload.iss, 'i');
    assert.equal(payload.sub, 's');
    assert.deepEqual(payload.aud, ['a', 'b']);
    assert.match(payload.jti!, /^[0-9a-f-]{36}$/);
  });
  test('an option that conflicts with a payload claim is a TypeError', () => {
    assert.throws(() => signJWT({ exp: NOW }, secret, { expiresIn: 60 }), TypeError);
    assert.throws(() => signJWT({ iss: 'x' }, secret, { issuer: 'y' }), TypeError);
  });
  test('a payload that is not a plain object is a TypeError', () => {
    assert.throws(() => signJWT([] as never, secret), TypeError);
    assert.throws(() => signJWT('claims' as never, secret), TypeError);
  });
  test('a payload with a cycle or a BigInt is a TypeError', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => signJWT(cyclic, secret), TypeError);
    assert.throws(() => signJWT({ n: 1n }, secret), TypeError);
  });
  test('header members are added after alg, typ and kid; alg cannot be overridden', () => {
    const token = signJWT({}, secret, { header: { cty: 'x', kid: 'k' } });
    assert.deepEqual(Object.keys(b64json(token.split('.')[0]!)), ['alg', 'typ', 'kid', 'cty']);
    assert.throws(() => signJWT({}, secret, { header: { alg: 'HS512' } }), TypeError);
  });
  test('none cannot sign', () => {
    assert.throws(() => signJWT({}, secret, { algorithm: 'none' }), TypeError);
  });
  test('a __proto__ member of the payload is signed as plain data', () => {
    const payload = JSON.parse('{"__proto__":{"admin":true},"sub":"a"}') as Record<string, unknown>;
    const token = signJWT(payload, secret, { currentDate });
    const back = verifyJWT(token, secret, { algorithms: ['HS256'], currentDate });
    assert.ok(Object.hasOwn(back, '__proto__'));
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });
});

describe('createSigner and createVerifier', () => {
  test('a signer and a verifier built once round-trip many tokens', () => {
    const sign = createSigner({ key: secret, expiresIn: '1h', currentDate, audience: 'api' });
    const verify = createVerifier({ key: secret, algorithms: ['HS256'], audience: 'api', currentDate });
    for (let i = 0; i < 5; i++) assert.equal(verify(sign({ i })).i, i);
  });
  test('createVerifier validates options at creation', () => {
    assert.throws(() => createVerifier({ key: secret } as never), TypeError);
    assert.throws(() => createVerifier({ key: secret, algorithms: ['HS256'], cache: -1 }), TypeError);
  });
  test('a key resolver makes verification asynchronous and receives the header', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = signJWT({ sub: 'r' }, ec.privateKey, { kid: 'k1', currentDate });
    const seen: string[] = [];
    const result = verifyJWT(
      token,
      (header) => {
        seen.push(header.kid!);
        return ec.publicKey;
      },
      { algorithms: ['ES256'], currentDate },
    );
    assert.ok(result instanceof Promise);
    assert.equal((await result).sub, 'r');
    assert.deepEqual(seen, ['k1']);
  });
  test('a resolver is not called for a disallowed algorithm, and failures reject', async () => {
    let calls = 0;
    const token = signJWT({}, secret, { currentDate });
    await assert.rejects(
      verifyJWT(
        token,
        () => {
          calls++;
          return secret;
        },
        { algorithms: ['ES256'], currentDate },
      ),
      InvalidAlgorithmError,
    );
    await assert.rejects(
      verifyJWT('garbage', () => secret, { algorithms: ['HS256'] }),
      DecodeError,
    );
    assert.equal(calls, 0);
  });
  test('a resolver that throws rejects with its error', async () => {
    const token = signJWT({}, secret, { currentDate });
    await assert.rejects(
      verifyJWT(
        token,
        () => {
          throw new Error('no key');
        },
        { algorithms: ['HS256'], currentDate },
      ),
      /no key/,
    );
  });
});

describe('the verifier cache', () => {
  test('a cached token is served again without re-verifying and the result is frozen', () => {
    let validations = 0;
    const verify = createVerifier({
      key: secret,
      algorithms: ['HS256'],
      cache: true,
      validate: () => {
        validations++;
      },
    });
    const token = signJWT({ sub: 'c' }, secret, { expiresIn: '1h' });
    const a = verify(token);
    const b = verify(token);
    assert.equal(a, b);
    assert.equal(validations, 1);
    assert.ok(Object.isFrozen(b));
  });
  test('a cached entry is dropped once the clock passes exp', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: NOW * 1000 });
    const verify = createVerifier({ key: secret, algorithms: ['HS256'], cache: true });
    const token = signJWT({}, secret, { expiresIn: 10 });
    assert.ok(verify(token));
    t.mock.timers.tick(9_000);
    assert.ok(verify(token));
    t.mock.timers.tick(1_000);
    assert.throws(() => verify(token), ExpiredSignatureError);
  });
  test('the ttl bounds entries of tokens without exp', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: NOW * 1000 });
    let validations = 0;
    const verify = createVerifier({
      key: secret,
      algorithms: ['HS256'],
      cache: { max: 10, ttl: '1m' },
      validate: () => {
        validations++;
      },
    });
    const token = signJWT({}, secret);
    verify(token);
    verify(token);
    t.mock.timers.tick(60_000);
    verify(token);
    assert.equal(validations, 2);
  });
  test('the LRU is bounded by max', () => {
    let validations = 0;
    const verify = createVerifier({
      key: secret,
      algorithms: ['HS256'],
      cache: 2,
      validate: () => {
        validations++;
      },
    });
    const tokens = [1, 2, 3].map((i) => signJWT({ i }, secret));
    for (const token of tokens) verify(token);
    verify(tokens[0]!); // evicted by the third: verified again
    assert.equal(validations, 4);
  });
  test('failures are not cached and a tampered token is still rejected', () => {
    const verify = createVerifier({ key: secret, algorithms: ['HS256'], cache: true });
    const token = signJWT({ sub: 'x' }, secret);
    verify(token);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BA' : 'AA'}`;
    assert.throws(
      () => verify(tampered),
      (err: unknown) => err instanceof JWTError,
    );
  });
  test('a resolver verifier with a cache returns Promises for hits too', async () => {
    const verify = createVerifier({ key: () => secret, algorithms: ['HS256'], cache: true });
    const token = signJWT({ sub: 'p' }, secret);
    assert.equal((await verify(token)).sub, 'p');
    const again = verify(token);
    assert.ok(again instanceof Promise);
    assert.equal((await again).sub, 'p');
  });
});

describe('decoding without verification', () => {
  test('decodeProtectedHeader reads a JWS header and a JWE header', () => {
    assert.equal(decodeProtectedHeader(signJWT({}, secret, { kid: 'k' })).kid, 'k');
    const jweHeader = Buffer.from('{"alg":"dir","enc":"A256GCM"}').toString('base64url');
    assert.equal(decodeProtectedHeader(`${jweHeader}....`).alg, 'dir');
  });
  test('decodeJWT refuses malformed structure with DecodeError', () => {
    for (const bad of ['', 'a', 'a.b', 'a.b.c.d', '.e30.']) {
      assert.throws(() => decodeJWT(bad), DecodeError, bad);
    }
    // A well-formed header without "alg" is refused as no allowed algorithm (PyJWT's InvalidAlgorithmError).
    assert.throws(() => decodeJWT('e30.e30.'), InvalidAlgorithmError);
  });
});

describe('unsecured JWTs need their own API', () => {
  test('encodeUnsecuredJWT and decodeUnsecuredJWT round-trip with claim checks', () => {
    const token = encodeUnsecuredJWT({ sub: 'u' }, { currentDate, expiresIn: 60 });
    assert.ok(token.endsWith('.'));
    assert.equal(decodeUnsecuredJWT(token, { currentDate }).sub, 'u');
    assert.throws(() => decodeUnsecuredJWT(token, { currentDate: new Date((NOW + 60) * 1000) }), ExpiredSignatureError);
  });
  test('verifyJWT never accepts an unsecured JWT', () => {
    const token = encodeUnsecuredJWT({});
    assert.throws(() => verifyJWT(token, secret, { algorithms: ['HS256'] }), InvalidAlgorithmError);
  });
  test('decodeUnsecuredJWT refuses signed tokens', () => {
    assert.throws(() => decodeUnsecuredJWT(signJWT({}, secret)), InvalidAlgorithmError);
  });
  test('decodeUnsecuredJWT refuses alg none with a signature', () => {
    assert.throws(() => decodeUnsecuredJWT(`${encodeUnsecuredJWT({})}AAAA`), DecodeError);
  });
});

describe('the error taxonomy', () => {
  test('every published code belongs to an exported class whose instances carry it', () => {
    const exported = tessera as unknown as Record<string, new (...args: never[]) => JWTError>;
    for (const [code, name] of Object.entries(ERROR_CODES)) {
      const Class = exported[name];
      assert.ok(Class, `${name} is exported`);
      const err = new (Class as unknown as new (m: string, a: unknown, b: unknown) => JWTError)('m', new Date(0), 'x');
      assert.equal(err.code, code);
      assert.equal(err.name, name);
      assert.ok(err instanceof JWTError && err instanceof Error);
    }
  });
  test('PyJWT hierarchy: InvalidSignatureError is a DecodeError is an InvalidTokenError', () => {
    const err = new InvalidSignatureError('x');
    assert.ok(err instanceof DecodeError && err instanceof tessera.InvalidTokenError);
  });
  test('the errors subpath exports the same classes', async () => {
    const errors = await import('tessera-jwt/errors');
    assert.equal(errors.ExpiredSignatureError, ExpiredSignatureError);
  });
  test('every error code is documented in the README', () => {
    const readme = readFileSync(`${REPO_ROOT}/README.md`, 'utf8');
    for (const code of Object.keys(ERROR_CODES)) assert.ok(readme.includes(code), code);
  });
});
