// OpenID Connect Back-Channel Logout 1.0 §2.6: every rule that makes a JWT a logout token, one test each.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateKeyPair, JWKSet, signJWT, type JWTPayloadInput } from 'tessera-jwt';
import { BACKCHANNEL_LOGOUT_EVENT, verifyLogoutToken } from 'tessera-jwt/oidc';

const op = generateKeyPair('RS256', { kid: 'op-1' });
const stranger = generateKeyPair('RS256', { kid: 'op-1' });
const issuer = 'https://id.example.com';
const jwks = new JWKSet([op.publicKey]);
const now = Math.floor(Date.now() / 1000);
const good = (): Record<string, unknown> => ({
  iss: issuer,
  aud: 'app',
  iat: now,
  exp: now + 120,
  jti: 'logout-1',
  sid: 'session-1',
  events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
});
const token = (claims: Record<string, unknown>, header: Record<string, unknown> = { typ: 'logout+jwt' }, key = op) =>
  signJWT(claims as JWTPayloadInput, key.privateKey, { header, issuedAt: false });
const verify = (t: string) => verifyLogoutToken(t, { issuer, audience: 'app', jwks });
const refused = async (t: string, code: string, claim?: string) => {
  await assert.rejects(verify(t), (err: Error & { code: string; claim?: string }) => {
    assert.equal(err.code, code);
    if (claim) assert.equal(err.claim, claim);
    assert.ok(!err.message.includes(t));
    return true;
  });
};

describe('verifyLogoutToken', () => {
  test('a logout token with sid, with sub, or with both is accepted', async () => {
    assert.equal((await verify(token(good()))).sid, 'session-1');
    const { sid: _sid, ...bySub } = good();
    assert.equal((await verify(token({ ...bySub, sub: 'user-1' }))).sub, 'user-1');
    assert.equal((await verify(token(good(), { typ: 'JWT' }))).jti, 'logout-1');
    assert.equal((await verify(token(good(), {}))).jti, 'logout-1');
  });
  test('another issuer, another audience, or another key is refused', async () => {
    await refused(token({ ...good(), iss: 'https://evil.example.com' }), 'ERR_JWT_ISSUER_INVALID');
    await refused(token({ ...good(), aud: 'other-app' }), 'ERR_JWT_AUDIENCE_INVALID');
    await refused(token(good(), { typ: 'logout+jwt' }, stranger), 'ERR_JWS_SIGNATURE_INVALID');
  });
  test('expired, issued long ago, or without exp/iat/jti is refused', async () => {
    await refused(token({ ...good(), iat: now - 600, exp: now - 300 }), 'ERR_JWT_EXPIRED');
    await refused(token({ ...good(), iat: now - 3600, exp: now + 60 }), 'ERR_JWT_CLAIM_INVALID', 'iat');
    for (const claim of ['exp', 'iat', 'jti']) {
      const { [claim]: _gone, ...rest } = good();
      await refused(token(rest), 'ERR_JWT_CLAIM_MISSING', claim);
    }
  });
  test('an ID token (no events, a nonce) is never a logout token', async () => {
    const { events: _e, ...idToken } = good();
    await refused(token({ ...idToken, sub: 'user-1', nonce: 'n' }, { typ: 'JWT' }), 'ERR_JWT_CLAIM_MISSING', 'events');
    await refused(token({ ...good(), nonce: 'n' }), 'ERR_JWT_CLAIM_INVALID', 'nonce');
    await refused(token({ ...good(), events: { 'urn:other': {} } }), 'ERR_JWT_CLAIM_INVALID', 'events');
    await refused(token({ ...good(), events: [BACKCHANNEL_LOGOUT_EVENT] }), 'ERR_JWT_CLAIM_INVALID', 'events');
    await refused(token(good(), { typ: 'at+jwt' }), 'ERR_JWT_CLAIM_INVALID', 'typ');
  });
  test('neither sid nor sub is refused; HS256 and none are never accepted', async () => {
    const { sid: _sid, ...neither } = good();
    await refused(token(neither), 'ERR_JWT_CLAIM_MISSING', 'sid');
    await assert.rejects(
      verifyLogoutToken(token(good()), { issuer, audience: 'app', jwks, algorithms: ['HS256', 'none'] }),
      TypeError,
    );
  });
});
