// Regression (issue 12 item 2): JSON nesting depth. JSON.parse has no depth limit and spends about a
// microsecond per level, so a payload nested 1,000,000 levels deep cost over a second before it was
// refused (or accepted). Every JSON document Tessera parses is now limited to maxJSONDepth levels
// (default 256), checked while reading: refusing a deep document costs the bytes up to the limit.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import {
  createRemoteJWKSet,
  createVerifier,
  DecodeError,
  decodeJWT,
  decodeUnsecuredJWT,
  decryptJWE,
  decryptJWT,
  discover,
  encryptJWE,
  encryptJWT,
  importKey,
  InvalidKeyError,
  JWKSClientError,
  JWKSet,
  JWKSetError,
  signJWT,
  verifyJWS,
  verifyJWT,
} from 'tessera-jwt';
import { DEFAULT_MAX_JSON_DEPTH, parseJSON } from 'tessera-jwt/server';
import { listen } from './helpers/http.js';

const SECRET = 'json-depth-suite-hmac-secret-0123456789abcdef';
const JWE_KEY = Buffer.alloc(32, 9);
const b64u = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const hs = (headerJSON: string, payloadJSON: string): string => {
  const input = `${b64u(headerJSON)}.${b64u(payloadJSON)}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
};
/** A value nested exactly `depth` levels (arrays), e.g. 2 → [[]]. */
const arrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** A claims set whose total depth is `depth` (the claims object is level 1). */
const claimsOfDepth = (depth: number): string => `{"sub":"user-42","deep":${arrays(depth - 1)}}`;
const HEADER = '{"alg":"HS256","typ":"JWT"}';
const HS = { algorithms: ['HS256'] };

const isDepthError = (err: unknown): boolean => err instanceof DecodeError && /maxJSONDepth/.test(err.message);

describe('maxJSONDepth: tokens', () => {
  test('the default is 256 levels: a claims set 256 deep verifies, 257 deep is a DecodeError', () => {
    assert.equal(DEFAULT_MAX_JSON_DEPTH, 256);
    assert.equal(verifyJWT(hs(HEADER, claimsOfDepth(256)), SECRET, HS).sub, 'user-42');
    assert.throws(() => verifyJWT(hs(HEADER, claimsOfDepth(257)), SECRET, HS), isDepthError);
    assert.throws(() => decodeJWT(hs(HEADER, claimsOfDepth(257))), isDepthError);
  });

  test('the option raises and lowers the limit, on verifyJWT, createVerifier, decodeJWT and decodeUnsecuredJWT', () => {
    const deep = hs(HEADER, claimsOfDepth(400));
    assert.equal(verifyJWT(deep, SECRET, { ...HS, maxJSONDepth: 400 }).sub, 'user-42');
    assert.throws(() => verifyJWT(deep, SECRET, { ...HS, maxJSONDepth: 399 }), isDepthError);
    assert.equal(createVerifier({ key: SECRET, ...HS, maxJSONDepth: 400 })(deep).sub, 'user-42');
    assert.throws(() => createVerifier({ key: SECRET, ...HS })(deep), isDepthError);
    assert.equal(decodeJWT(deep, { maxJSONDepth: 400 }).payload.sub, 'user-42');
    const shallow = hs(HEADER, '{"sub":"user-42","roles":["a"]}');
    assert.throws(() => verifyJWT(shallow, SECRET, { ...HS, maxJSONDepth: 1 }), isDepthError);
    assert.equal(verifyJWT(shallow, SECRET, { ...HS, maxJSONDepth: 2 }).sub, 'user-42');
    const unsecured = `${b64u('{"alg":"none"}')}.${b64u(claimsOfDepth(300))}.`;
    assert.throws(() => decodeUnsecuredJWT(unsecured), isDepthError);
    assert.equal(decodeUnsecuredJWT(unsecured, { maxJSONDepth: 300 }).sub, 'user-42');
  });

  test("a cached protected header is checked against each caller's limit", () => {
    // The header is 3 levels deep; the first call caches it, the second must still refuse it.
    const header = '{"alg":"HS256","x":{"y":[1]}}';
    const token = hs(header, '{"sub":"user-42"}');
    assert.equal(verifyJWT(token, SECRET, HS).sub, 'user-42');
    assert.throws(() => verifyJWT(token, SECRET, { ...HS, maxJSONDepth: 2 }), isDepthError);
    assert.throws(() => verifyJWT(token, SECRET, { ...HS, maxJSONDepth: 2 }), isDepthError);
    assert.throws(() => decodeJWT(token, { maxJSONDepth: 2 }), isDepthError);
    assert.equal(verifyJWT(token, SECRET, { ...HS, maxJSONDepth: 3 }).sub, 'user-42');
  });

  test('brackets inside strings do not count', () => {
    const payload = JSON.stringify({ sub: 'user-42', text: `${'['.repeat(2000)}${'{'.repeat(2000)}"\\` });
    assert.equal(verifyJWT(hs(HEADER, payload), SECRET, HS).sub, 'user-42');
  });

  test('verifyJWS refuses a deep protected header, compact and JSON', () => {
    const header = `{"alg":"HS256","x":${arrays(300)}}`;
    const jws = hs(header, 'payload');
    assert.throws(() => verifyJWS(jws, SECRET, HS), isDepthError);
    const [p, , s] = jws.split('.');
    assert.throws(
      () => verifyJWS({ protected: p!, payload: b64u('payload'), signature: s! }, SECRET, HS),
      isDepthError,
    );
    assert.equal(Buffer.from(verifyJWS(jws, SECRET, { ...HS, maxJSONDepth: 301 }).payload).toString(), 'payload');
  });

  test('decryptJWE and decryptJWT refuse a deep protected header and a deep claims set', () => {
    const options = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] };
    const deepHeader = encryptJWE('hi', JWE_KEY, {
      alg: 'dir',
      enc: 'A256GCM',
      header: { x: JSON.parse(arrays(300)) },
    });
    assert.throws(() => decryptJWE(deepHeader, JWE_KEY, options), isDepthError);
    assert.equal(
      Buffer.from(decryptJWE(deepHeader, JWE_KEY, { ...options, maxJSONDepth: 301 }).plaintext).toString(),
      'hi',
    );
    const deepClaims = encryptJWE(claimsOfDepth(300), JWE_KEY, { alg: 'dir', enc: 'A256GCM' });
    assert.throws(() => decryptJWT(deepClaims, JWE_KEY, options), isDepthError);
    assert.equal(decryptJWT(deepClaims, JWE_KEY, { ...options, maxJSONDepth: 300 }).sub, 'user-42');
  });

  test('decryptJWT passes maxJSONDepth to the inner JWS of a nested token', () => {
    const options = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] };
    const token = encryptJWT({ sub: 'user-42', deep: JSON.parse(arrays(3)) }, JWE_KEY, {
      alg: 'dir',
      enc: 'A256GCM',
      sign: { key: SECRET, algorithm: 'HS256' },
    });
    assert.equal(
      decryptJWT(token, JWE_KEY, { ...options, nested: { key: SECRET, algorithms: ['HS256'] } }).sub,
      'user-42',
    );
    assert.throws(
      () => decryptJWT(token, JWE_KEY, { ...options, maxJSONDepth: 3, nested: { key: SECRET, algorithms: ['HS256'] } }),
      isDepthError,
    );
  });

  for (const bad of [0, -1, 1.5, Number.NaN, '256', Number.POSITIVE_INFINITY]) {
    test(`maxJSONDepth ${typeof bad === 'string' ? `'${bad}'` : String(bad)} is a TypeError`, () => {
      const token = hs(HEADER, '{"sub":"user-42"}');
      assert.throws(() => verifyJWT(token, SECRET, { ...HS, maxJSONDepth: bad as number }), TypeError);
      assert.throws(() => decodeJWT(token, { maxJSONDepth: bad as number }), TypeError);
      assert.throws(
        () => decryptJWE('a.b.c.d.e', JWE_KEY, { keyManagementAlgorithms: ['dir'], maxJSONDepth: bad as number }),
        TypeError,
      );
      assert.throws(() => JWKSet.from('{"keys":[]}', { maxJSONDepth: bad as number }), TypeError);
      assert.throws(() => parseJSON('{}', { maxJSONDepth: bad as number }), TypeError);
    });
  }
});

describe('maxJSONDepth: a 1,000,000-level payload is refused in milliseconds', () => {
  const depth = 1_000_000;
  const payload = `{"sub":"user-42","deep":${arrays(depth)}}`;
  const token = hs(HEADER, payload);
  const limits = { ...HS, maxTokenLength: token.length };

  const timed = (fn: () => unknown): number => {
    const started = performance.now();
    assert.throws(fn, isDepthError);
    return performance.now() - started;
  };

  test('verifyJWT and decodeJWT refuse it; the depth check costs a tiny part of JSON.parse', () => {
    // Reference: what JSON.parse alone spends on the same text (the cost before the limit existed).
    const started = performance.now();
    JSON.parse(payload);
    const parse = performance.now() - started;
    timed(() => verifyJWT(token, SECRET, limits)); // warm-up
    const verify = Math.min(
      timed(() => verifyJWT(token, SECRET, limits)),
      timed(() => verifyJWT(token, SECRET, limits)),
    );
    const decode = Math.min(
      timed(() => decodeJWT(token, { maxTokenLength: token.length })),
      timed(() => decodeJWT(token, { maxTokenLength: token.length })),
    );
    console.log(
      `# 1,000,000 levels (${token.length} characters): JSON.parse alone ${parse.toFixed(1)} ms; verifyJWT refuses in ${verify.toFixed(1)} ms, decodeJWT in ${decode.toFixed(1)} ms`,
    );
    // The remaining work is the HMAC and base64url over 2.7 MB, both linear and native.
    assert.ok(verify < 100, `verifyJWT took ${verify} ms`);
    assert.ok(decode < 100, `decodeJWT took ${decode} ms`);
  });

  test('the depth scan stops at the limit: a 2,000,000-level document is refused as fast as a 1,000-level one', () => {
    const huge = `{"a":${'['.repeat(2_000_000)}`;
    const started = performance.now();
    for (let i = 0; i < 100; i++) assert.deepEqual(parseJSON(huge), { ok: false, problem: 'depth' });
    const perCall = (performance.now() - started) / 100;
    console.log(`# parseJSON refuses a 2,000,000-level document in ${(perCall * 1000).toFixed(1)} µs`);
    assert.ok(perCall < 5, `parseJSON took ${perCall} ms`);
  });
});

describe('maxJSONDepth: keys, key sets and fetched documents', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });

  test('JWKSet.from refuses deep text with a JWKSetError (the option raises the limit)', () => {
    const text = `{"keys":[${JSON.stringify(jwk)}],"x":${arrays(300)}}`;
    assert.throws(
      () => JWKSet.from(text),
      (err: unknown) => err instanceof JWKSetError && /maxJSONDepth/.test(err.message),
    );
    assert.equal(JWKSet.from(text, { maxJSONDepth: 301 }).size, 1);
  });

  test('a JWK given as deep JSON text is refused as a key, never taken as a secret', () => {
    const text = `{"kty":"EC","crv":"P-256","x":"${jwk.x}","y":"${jwk.y}","ext":${arrays(300)}}`;
    assert.throws(() => importKey(text), InvalidKeyError);
    assert.throws(() => signJWT({ sub: 'x' }, text, { algorithm: 'HS256' }), InvalidKeyError);
  });

  test('createRemoteJWKSet and discover refuse a deep response (JWKSClientError naming maxJSONDepth)', async () => {
    const deep = `{"keys":[${JSON.stringify({ ...jwk, kid: 'k1' })}],"x":${arrays(100_000)}}`;
    const { origin } = await listen((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url === '/jwks' ? deep : `{"issuer":"${origin}","jwks_uri":"${origin}/jwks","x":${arrays(300)}}`);
    });
    const isFetchDepth = (err: unknown) => err instanceof JWKSClientError && /maxJSONDepth/.test(err.message);
    await assert.rejects(createRemoteJWKSet(`${origin}/jwks`, { allowHttp: true }).refresh(), isFetchDepth);
    await createRemoteJWKSet(`${origin}/jwks`, { allowHttp: true, maxJSONDepth: 100_001 }).refresh();
    await assert.rejects(discover(origin, { allowHttp: true }), isFetchDepth);
    assert.equal((await discover(origin, { allowHttp: true, maxJSONDepth: 301 })).jwks_uri, `${origin}/jwks`);
  });

  test('parseJSON (tessera-jwt/server) reports syntax, duplicate and depth problems and never throws on text', () => {
    assert.deepEqual(parseJSON('{"a":[1,{"b":2}]}'), { ok: true, value: { a: [1, { b: 2 }] } });
    assert.deepEqual(parseJSON('"text"'), { ok: true, value: 'text' });
    assert.deepEqual(parseJSON('{"a":1,"a":2}'), { ok: false, problem: 'duplicate' });
    assert.deepEqual(parseJSON('{"a":'), { ok: false, problem: 'syntax' });
    assert.deepEqual(parseJSON(arrays(257)), { ok: false, problem: 'depth' });
    assert.deepEqual(parseJSON(arrays(256)).ok, true);
    assert.deepEqual(parseJSON(arrays(3), { maxJSONDepth: 2 }), { ok: false, problem: 'depth' });
  });
});
