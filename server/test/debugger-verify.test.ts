// POST /debugger/verify in process: every kind of pasted key, and the exact typed error for every way
// a token fails — what the page shows as "why verification fails".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { encodeUnsecuredJWT, encryptJWT, generateKeyPair, signJWT } from 'tessera-jwt';
import { createMemoryStore, createTokenService } from 'tessera-jwt/server';
import { createDebuggerVerify, parseKeyText, type VerifyResult } from '../src/debugger-verify.js';

const ISSUER = 'http://127.0.0.1:8080';
const service = createTokenService({
  issuer: ISSUER,
  audience: ISSUER,
  store: createMemoryStore(),
  keys: { encryptionKey: randomBytes(32) },
});
const handle = createDebuggerVerify({ service, audience: ISSUER, algorithm: 'ES256' });
const SECRET = 'a-shared-secret-of-at-least-32-bytes!';

async function verify(body: Record<string, unknown>): Promise<VerifyResult> {
  const response = await handle(
    new Request('http://127.0.0.1/debugger/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  assert.equal(response.status, 200);
  return (await response.json()) as VerifyResult;
}

describe('POST /debugger/verify', () => {
  test('an HS256 token with the right secret is valid, and the decoded parts come back', async () => {
    const token = signJWT({ sub: 'user-42' }, SECRET, { expiresIn: '15m' });
    const result = await verify({ token, key: SECRET });
    assert.equal(result.valid, true);
    assert.equal(result.kind, 'JWS');
    assert.deepEqual(result.algorithms, ['HS256']);
    assert.equal((result.payload as { sub: string }).sub, 'user-42');
    assert.ok(result.notes.some((n) => n.includes('taken from the token')));
  });

  test('the wrong secret: ERR_JWS_SIGNATURE_INVALID', async () => {
    const token = signJWT({ sub: 'user-42' }, SECRET, { expiresIn: '15m' });
    const result = await verify({ token, key: `${SECRET}-but-not-quite` });
    assert.equal(result.valid, false);
    assert.deepEqual(result.error, {
      name: 'InvalidSignatureError',
      code: 'ERR_JWS_SIGNATURE_INVALID',
      message: result.error!.message,
    });
    assert.ok(!result.error!.message.includes(SECRET), 'the message never contains the key');
  });

  test('an expired token: ERR_JWT_EXPIRED with the instant', async () => {
    const token = signJWT({ sub: 'u', exp: Math.floor(Date.now() / 1000) - 120 }, SECRET, {});
    const result = await verify({ token, key: SECRET });
    assert.equal(result.error?.code, 'ERR_JWT_EXPIRED');
    assert.equal(result.error?.claim, 'exp');
    assert.match(result.error?.expiredAt ?? '', /^\d{4}-\d\d-\d\dT/);
  });

  test('an unsigned token (alg none) is refused: ERR_JWT_ALG_NOT_ALLOWED', async () => {
    const result = await verify({ token: encodeUnsecuredJWT({ sub: 'admin' }), key: SECRET });
    assert.equal(result.valid, false);
    assert.equal(result.error?.code, 'ERR_JWT_ALG_NOT_ALLOWED');
  });

  test('a pinned algorithm list is applied: an HS256 token with algorithms RS256 fails', async () => {
    const token = signJWT({ sub: 'u' }, SECRET, { expiresIn: 60 });
    const result = await verify({ token, key: SECRET, algorithms: 'RS256' });
    assert.equal(result.error?.code, 'ERR_JWT_ALG_NOT_ALLOWED');
  });

  test('audience and issuer are checked only when given', async () => {
    const token = signJWT({ sub: 'u' }, SECRET, { expiresIn: 60, audience: 'api', issuer: 'https://issuer' });
    assert.equal((await verify({ token, key: SECRET })).valid, true);
    assert.equal((await verify({ token, key: SECRET, audience: 'other' })).error?.code, 'ERR_JWT_AUDIENCE_INVALID');
    assert.equal((await verify({ token, key: SECRET, issuer: 'https://evil' })).error?.code, 'ERR_JWT_ISSUER_INVALID');
    assert.equal((await verify({ token, key: SECRET, audience: ['api'], issuer: 'https://issuer' })).valid, true);
  });

  test('PEM public keys, JWKs and JWK Sets', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = signJWT({ sub: 'u' }, privateKey, { expiresIn: 60, kid: 'k1' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    assert.equal((await verify({ token, key: pem })).valid, true);
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1' };
    assert.equal((await verify({ token, key: JSON.stringify(jwk) })).valid, true);
    assert.equal((await verify({ token, key: JSON.stringify({ keys: [jwk] }) })).valid, true);
    const other = generateKeyPair('RS256', { kid: 'k2' }).publicKey.toJWK();
    assert.equal(
      (await verify({ token, key: JSON.stringify({ keys: [other] }) })).error?.code,
      'ERR_JWKS_NO_MATCHING_KEY',
    );
    // An RSA public key given for an HS256 token is alg confusion: refused by the key, not the signature.
    const input = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"sub":"admin"}').toString('base64url')}`;
    const hs = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    assert.equal((await verify({ token: hs, key: pem })).error?.code, 'ERR_KEY_INVALID');
  });

  test('b64: secrets, and a key that looks like JSON but is not', async () => {
    const bytes = randomBytes(32);
    const token = signJWT({ sub: 'u' }, bytes, { expiresIn: 60 });
    assert.equal((await verify({ token, key: `b64:${bytes.toString('base64')}` })).valid, true);
    assert.equal((await verify({ token, key: `b64:${bytes.toString('base64url')}` })).valid, true);
    assert.equal((await verify({ token, key: '{"kty": "oct"' })).error?.code, 'ERR_KEY_INPUT');
    assert.equal(parseKeyText('-----BEGIN PUBLIC KEY-----\n…').description, 'a PEM key');
    assert.equal(parseKeyText(' spaces matter ').key, ' spaces matter ');
  });

  test("the server's own JWKS verifies its access tokens, with its issuer and audience", async () => {
    // As main.ts does: create the first key before the first issue() (the library's lazy first key can
    // fail with "no signing key is active" when the clock ticks a millisecond inside signingKey(); reported).
    await service.maintainKeys();
    const tokens = await service.issue({ sub: 'user-1', client_id: 'web' });
    const result = await verify({ token: tokens.access_token, useServerKeys: true });
    assert.equal(result.valid, true);
    assert.deepEqual(result.algorithms, ['ES256']);
    assert.ok(result.notes.includes(`iss: must be ${ISSUER}`));
    const foreign = signJWT({ sub: 'u' }, generateKeyPair('ES256').privateKey, { expiresIn: 60 });
    assert.equal((await verify({ token: foreign, useServerKeys: true })).valid, false);
  });

  test('JWE: decrypted with the key; a nested JWT hands back its inner JWS', async () => {
    const key = randomBytes(32);
    const jwe = encryptJWT({ sub: 'secret-user' }, key, { alg: 'dir', enc: 'A256GCM', expiresIn: 60 });
    const result = await verify({ token: jwe, key: `b64:${key.toString('base64url')}` });
    assert.equal(result.kind, 'JWE');
    assert.equal(result.valid, true, JSON.stringify(result.error));
    assert.equal((result.payload as { sub: string }).sub, 'secret-user');
    assert.equal(
      (await verify({ token: jwe, key: `b64:${randomBytes(32).toString('base64url')}` })).error?.code,
      'ERR_JWE_DECRYPTION_FAILED',
    );
    const nested = encryptJWT({ sub: 'nested' }, key, {
      alg: 'dir',
      enc: 'A256GCM',
      sign: { key: SECRET, algorithm: 'HS256' },
    });
    const inner = await verify({ token: nested, key: `b64:${key.toString('base64url')}` });
    assert.equal(inner.valid, true);
    assert.equal(inner.innerToken?.split('.').length, 3);
    assert.equal((inner.payload as { sub: string }).sub, 'nested');
  });

  test('malformed tokens say what is wrong', async () => {
    assert.equal(
      (await verify({ token: 'abc.def', key: SECRET })).error?.message,
      'A JWS has 3 dot-separated parts and a JWE 5; this has 2',
    );
    assert.equal((await verify({ token: 'e30.!!!.sig', key: SECRET })).error?.code, 'ERR_JWT_MALFORMED');
  });

  test('requests without a token or key are 400 invalid_request', async () => {
    const response = await handle(
      new Request('http://127.0.0.1/debugger/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"key":"x"}',
      }),
    );
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      error: 'invalid_request',
      error_description: '"token" must be a non-empty string',
    });
  });
});
