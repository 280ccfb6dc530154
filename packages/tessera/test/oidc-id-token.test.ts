// verifyIDToken (tessera-jwt/oidc), one test per rule of OpenID Connect Core §3.1.3.7, with the
// provider's keys served by a real JWKS endpoint on 127.0.0.1 and fetched through createRemoteJWKSet.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  createRemoteJWKSet,
  ExpiredSignatureError,
  ImmatureSignatureError,
  InvalidAlgorithmError,
  InvalidAudienceError,
  InvalidClaimError,
  InvalidIssuerError,
  InvalidSignatureError,
  JWKSet,
  generateKeyPair,
  MissingRequiredClaimError,
  NoMatchingKeyError,
  signJWT,
} from 'tessera-jwt';
import { hashForAlgorithm, leftHalfHash, verifyIDToken } from 'tessera-jwt/oidc';
import { listen } from './helpers/http.js';

const ISSUER = 'https://issuer.example.com';
const CLIENT = 'client-app';
const rsa = generateKeyPair('RS256', { kid: 'rsa-1' });
const ec = generateKeyPair('ES384', { kid: 'ec-1' });
const ed = generateKeyPair('EdDSA', { kid: 'ed-1' });
const stranger = generateKeyPair('RS256', { kid: 'rsa-1' }); // another issuer's key, same kid
const unknown = generateKeyPair('RS256', { kid: 'nobody' });
const SECRET = 'a-client-secret-of-at-least-32-bytes!!';

let close: () => Promise<void>;
let jwks: ReturnType<typeof createRemoteJWKSet>;
let strangerJwks: ReturnType<typeof createRemoteJWKSet>;

before(async () => {
  const server = await listen((req, res) => {
    const set =
      req.url === '/other' ? new JWKSet([stranger.publicKey]) : new JWKSet([rsa.publicKey, ec.publicKey, ed.publicKey]);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(set.toJSON()));
  });
  close = server.close;
  jwks = createRemoteJWKSet(`${server.origin}/jwks`, { allowHttp: true });
  strangerJwks = createRemoteJWKSet(`${server.origin}/other`, { allowHttp: true });
});
after(() => close());

const now = () => Math.floor(Date.now() / 1000);
function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISSUER, sub: 'user-1', aud: CLIENT, iat: now(), exp: now() + 300, nonce: 'n-1', ...extra };
}
const sign = (payload: Record<string, unknown>, key = rsa.privateKey, algorithm?: string) =>
  signJWT(payload, key, { issuedAt: false, ...(algorithm ? { algorithm } : {}) });
const base = () => ({ issuer: ISSUER, audience: CLIENT, jwks, nonce: 'n-1' });

describe('verifyIDToken: accepted tokens', () => {
  test('a well-formed RS256 ID token returns its claims', async () => {
    const got = await verifyIDToken(sign(claims()), base());
    assert.equal(got.sub, 'user-1');
    assert.equal(got.iss, ISSUER);
  });
  test('several audiences with azp = the client are accepted', async () => {
    const got = await verifyIDToken(sign(claims({ aud: [CLIENT, 'api'], azp: CLIENT })), base());
    assert.deepEqual(got.aud, [CLIENT, 'api']);
  });
  test('at_hash is checked with the hash of the algorithm (RS256 → SHA-256, ES384 → SHA-384, EdDSA → SHA-512)', async () => {
    const at = 'access-token-value';
    for (const [pair, alg, hash] of [
      [rsa, 'RS256', 'sha256'],
      [ec, 'ES384', 'sha384'],
      [ed, 'EdDSA', 'sha512'],
    ] as const) {
      assert.equal(hashForAlgorithm(alg), hash);
      const digest = createHash(hash).update(at).digest();
      const expected = digest.subarray(0, digest.length / 2).toString('base64url');
      assert.equal(leftHalfHash(at, hash), expected);
      const token = sign(claims({ at_hash: expected }), pair.privateKey);
      const got = await verifyIDToken(token, { ...base(), algorithms: [alg], accessToken: at });
      assert.equal(got.at_hash, expected);
    }
  });
  test('c_hash matches the code', async () => {
    const code = 'the-code';
    const token = sign(claims({ c_hash: leftHalfHash(code, 'sha256') }));
    const got = await verifyIDToken(token, { ...base(), code });
    assert.equal(got.sub, 'user-1');
  });
  test('HS256 with the client secret is accepted only when the client secret is given', async () => {
    const token = signJWT(claims(), new TextEncoder().encode(SECRET), { algorithm: 'HS256' });
    const got = await verifyIDToken(token, { ...base(), algorithms: ['RS256', 'HS256'], clientSecret: SECRET });
    assert.equal(got.sub, 'user-1');
  });
  test('auth_time recent enough for max_age is accepted', async () => {
    const got = await verifyIDToken(sign(claims({ auth_time: now() - 10 })), { ...base(), maxAge: 60 });
    assert.equal(typeof got.auth_time, 'number');
  });
  test('acr among the requested values is accepted', async () => {
    const got = await verifyIDToken(sign(claims({ acr: 'urn:mfa' })), { ...base(), acrValues: ['urn:mfa'] });
    assert.equal(got.acr, 'urn:mfa');
  });
});

describe('verifyIDToken: one refusal per rule', () => {
  test('wrong iss', async () => {
    await assert.rejects(verifyIDToken(sign(claims({ iss: 'https://evil.example.com' })), base()), InvalidIssuerError);
  });
  test('iss differing by a trailing slash', async () => {
    await assert.rejects(verifyIDToken(sign(claims({ iss: `${ISSUER}/` })), base()), InvalidIssuerError);
  });
  test('wrong aud', async () => {
    await assert.rejects(verifyIDToken(sign(claims({ aud: 'another-client' })), base()), InvalidAudienceError);
  });
  test('several audiences without azp', async () => {
    await assert.rejects(
      verifyIDToken(sign(claims({ aud: [CLIENT, 'other'] })), base()),
      (err: unknown) => err instanceof MissingRequiredClaimError && err.claim === 'azp',
    );
  });
  test('wrong azp', async () => {
    await assert.rejects(
      verifyIDToken(sign(claims({ aud: [CLIENT, 'other'], azp: 'other' })), base()),
      (err: unknown) => err instanceof InvalidClaimError && err.claim === 'azp',
    );
  });
  test('wrong nonce', async () => {
    await assert.rejects(
      verifyIDToken(sign(claims({ nonce: 'replayed' })), base()),
      (err: unknown) => err instanceof InvalidClaimError && err.claim === 'nonce',
    );
  });
  test('missing nonce when one was sent', async () => {
    await assert.rejects(verifyIDToken(sign(claims({ nonce: undefined })), base()), (err: unknown) => {
      return (err as { claim?: string }).claim === 'nonce';
    });
  });
  test('wrong at_hash', async () => {
    const token = sign(claims({ at_hash: leftHalfHash('another-token', 'sha256') }));
    await assert.rejects(
      verifyIDToken(token, { ...base(), accessToken: 'access-token-value' }),
      (err: unknown) =>
        err instanceof InvalidClaimError && err.claim === 'at_hash' && !err.message.includes('access-token-value'),
    );
  });
  test('at_hash computed with the wrong hash (SHA-256 for ES384)', async () => {
    const token = sign(claims({ at_hash: leftHalfHash('at', 'sha256') }), ec.privateKey);
    await assert.rejects(
      verifyIDToken(token, { ...base(), algorithms: ['ES384'], accessToken: 'at' }),
      (err: unknown) => err instanceof InvalidClaimError && err.claim === 'at_hash',
    );
  });
  test('wrong c_hash, and a missing c_hash when a code is given', async () => {
    const token = sign(claims({ c_hash: leftHalfHash('other-code', 'sha256') }));
    await assert.rejects(
      verifyIDToken(token, { ...base(), code: 'the-code' }),
      (err: unknown) => err instanceof InvalidClaimError && err.claim === 'c_hash' && !err.message.includes('the-code'),
    );
    await assert.rejects(
      verifyIDToken(sign(claims()), { ...base(), code: 'the-code' }),
      (err: unknown) => err instanceof MissingRequiredClaimError && err.claim === 'c_hash',
    );
  });
  test('expired', async () => {
    await assert.rejects(
      verifyIDToken(sign(claims({ iat: now() - 600, exp: now() - 60 })), base()),
      ExpiredSignatureError,
    );
  });
  test('expired but within clockTolerance is accepted, beyond it refused', async () => {
    const token = sign(claims({ iat: now() - 600, exp: now() - 20 }));
    assert.equal((await verifyIDToken(token, { ...base(), clockTolerance: 30 })).sub, 'user-1');
    await assert.rejects(verifyIDToken(token, { ...base(), clockTolerance: 5 }), ExpiredSignatureError);
  });
  test('issued in the future', async () => {
    await assert.rejects(
      verifyIDToken(sign(claims({ iat: now() + 600, exp: now() + 900 })), base()),
      (err: unknown) => err instanceof ImmatureSignatureError && err.claim === 'iat',
    );
  });
  test('missing exp / iat / sub', async () => {
    for (const name of ['exp', 'iat', 'sub']) {
      await assert.rejects(
        verifyIDToken(sign(claims({ [name]: undefined })), base()),
        (err: unknown) => err instanceof MissingRequiredClaimError && err.claim === name,
        name,
      );
    }
  });
  test('auth_time too old for max_age', async () => {
    await assert.rejects(
      verifyIDToken(sign(claims({ auth_time: now() - 3600 })), { ...base(), maxAge: 300 }),
      (err: unknown) => err instanceof InvalidClaimError && err.claim === 'auth_time' && err.reason === 'too_old',
    );
  });
  test('auth_time missing when max_age was requested', async () => {
    await assert.rejects(
      verifyIDToken(sign(claims()), { ...base(), maxAge: 300 }),
      (err: unknown) => err instanceof MissingRequiredClaimError && err.claim === 'auth_time',
    );
  });
  test('acr not among the requested values', async () => {
    await assert.rejects(
      verifyIDToken(sign(claims({ acr: 'urn:pwd' })), { ...base(), acrValues: ['urn:mfa'] }),
      (err: unknown) => err instanceof InvalidClaimError && err.claim === 'acr',
    );
  });
  test('alg none is refused, even when listed', async () => {
    const head = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(claims())).toString('base64url');
    await assert.rejects(verifyIDToken(`${head}.${body}.`, base()), InvalidAlgorithmError);
    await assert.rejects(
      verifyIDToken(`${head}.${body}.`, { ...base(), algorithms: ['none', 'RS256'] }),
      InvalidAlgorithmError,
    );
    await assert.rejects(verifyIDToken(`${head}.${body}.`, { ...base(), algorithms: ['none'] }), TypeError);
  });
  test('HS256 signed with the client secret is refused without the opt-in, even when HS256 is listed', async () => {
    const token = signJWT(claims(), new TextEncoder().encode(SECRET), { algorithm: 'HS256' });
    await assert.rejects(verifyIDToken(token, base()), InvalidAlgorithmError);
    await assert.rejects(verifyIDToken(token, { ...base(), algorithms: ['RS256', 'HS256'] }), InvalidAlgorithmError);
  });
  test('HS256 with the opt-in but another secret fails the signature', async () => {
    const token = signJWT(claims(), new TextEncoder().encode(SECRET), { algorithm: 'HS256' });
    await assert.rejects(
      verifyIDToken(token, { ...base(), algorithms: ['HS256'], clientSecret: `${SECRET}-other` }),
      InvalidSignatureError,
    );
  });
  test('an algorithm the provider does not advertise (ES384 when RS256 is)', async () => {
    await assert.rejects(verifyIDToken(sign(claims(), ec.privateKey), base()), InvalidAlgorithmError);
  });
  test('unknown kid', async () => {
    await assert.rejects(verifyIDToken(sign(claims(), unknown.privateKey), base()), NoMatchingKeyError);
  });
  test("a key from another issuer's JWKS (same kid) fails the signature", async () => {
    const token = sign(claims(), stranger.privateKey);
    await assert.rejects(verifyIDToken(token, base()), InvalidSignatureError);
    // and it is valid where it belongs, so the failure above is the key, not the token
    assert.equal((await verifyIDToken(token, { ...base(), jwks: strangerJwks })).sub, 'user-1');
  });
  test('unknown options are TypeErrors', async () => {
    await assert.rejects(verifyIDToken('x.y.z', { ...base(), audiance: CLIENT } as never), TypeError);
  });
});
