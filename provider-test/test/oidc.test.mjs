// OpenID Connect with third-party relying parties against tessera-jwt/provider, black box over real HTTP
// on 127.0.0.1, the login page filled in by Chromium: ID tokens validated by openid-client 6 and by
// oauth4webapi 3 themselves (the signature through the JWKS — openid-client's enableNonRepudiationChecks,
// oauth4webapi's validateApplicationLevelSignature — iss, aud, exp, iat, nonce, azp, auth_time with
// maxAge), nonce tampering, max_age against the provider's clock, userinfo by scope with the library's
// sub cross-check, RP-Initiated Logout across two single-sign-on clients, Back-Channel Logout (the logout
// token checked independently with jose) and RFC 8707 resource indicators. The only client option is
// allowInsecureRequests (the provider is plain http on loopback).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import {
  ACCOUNT,
  authorize,
  browserMissing,
  CLIENT_KEY,
  INITIAL_ACCESS_TOKEN,
  launchBrowser,
  ORDERS,
  SECRET,
  startProvider,
} from './harness.mjs';

const skip = browserMissing();

// jose from the interop oracles (../shared/oracles beside the repository, or TESSERA_SHARED), as the
// library's interop suites find it: an independent check of the logout token.
const ORACLES = resolve(
  process.env.TESSERA_SHARED ?? resolve(fileURLToPath(import.meta.url), '../../../../shared'),
  'oracles',
);
let jose;
let joseMissing;
try {
  if (!existsSync(join(ORACLES, 'node_modules/jose/package.json'))) throw new Error('not installed');
  jose = await import(pathToFileURL(createRequire(join(ORACLES, 'package.json')).resolve('jose')).href);
} catch (err) {
  joseMissing = `jose not found in ${ORACLES}/node_modules (${err.message}): cd ${ORACLES} && npm ci`;
  if (process.env.CI === 'true') throw new Error(`CI: ${joseMissing}`);
  console.warn(
    `\n${'!'.repeat(100)}\n!! SKIPPING the logout-token check with jose: ${joseMissing}\n${'!'.repeat(100)}\n`,
  );
}

let op;
let browser;
let page;

before(async () => {
  op = await startProvider();
  if (!skip) ({ browser, page } = await launchBrowser(op));
});
after(async () => {
  await browser?.close();
  await op?.close();
});

const insecure = { execute: [client.allowInsecureRequests] };
/** openid-client configured by discovery; ID-token signatures checked through the JWKS. */
async function discover(clientId, auth, metadata = {}) {
  const config = await client.discovery(new URL(op.issuer), clientId, metadata, auth, insecure);
  client.enableNonRepudiationChecks(config);
  return config;
}
const basic = () => discover('web-basic', client.ClientSecretBasic(SECRET), { client_secret: SECRET });
const appTwo = () => discover('app-two', client.ClientSecretBasic(SECRET), { client_secret: SECRET });

/** A JWT's header and payload, decoded without checks (for the assertions, not for trust). */
const decode = (jwt) => {
  const [h, p] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
  };
};
/** OpenID Connect Core §3.1.3.6: the left half of SHA-256 of the access token (ES256), base64url. */
const atHash = (accessToken) => createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
const seconds = () => Math.floor(Date.now() / 1000);

/**
 * One OpenID sign-in in Chromium with openid-client (PKCE S256, state, nonce). `tamper` may change the
 * authorization URL on its way to the provider; `checks` and `tokenParams` go to authorizationCodeGrant.
 */
async function signIn(config, redirectUri, options = {}) {
  const { scope = 'openid', params = {}, tamper, checks = {}, tokenParams } = options;
  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    ...params,
  });
  tamper?.(url);
  const back = await authorize(page, url.href, op.rp);
  const tokens = await client.authorizationCodeGrant(
    config,
    new URL(back.url),
    { pkceCodeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true, ...checks },
    tokenParams,
  );
  return { tokens, back, nonce, state };
}
const offline = { scope: 'openid profile email offline_access', params: { prompt: 'consent' } };

/** The claims every ID token of this provider must carry for `clientId`, beyond what the library checked. */
function assertIdToken(tokens, clientId, nonce) {
  const claims = tokens.claims();
  assert.ok(claims, 'an ID token came with the tokens');
  assert.equal(claims.iss, op.issuer);
  assert.equal(claims.aud, clientId);
  assert.equal(claims.azp, clientId);
  assert.equal(claims.sub, 'user-ada');
  assert.equal(typeof claims.sid, 'string');
  assert.ok(claims.sid.length >= 16);
  assert.equal(typeof claims.auth_time, 'number');
  assert.ok(claims.auth_time <= claims.iat && claims.iat < claims.exp);
  assert.equal(claims.nonce, nonce);
  assert.equal(claims.at_hash, atHash(tokens.access_token), 'at_hash is the access token’s');
  const { header } = decode(tokens.id_token);
  assert.equal(header.alg, 'ES256');
  assert.equal(typeof header.kid, 'string');
  // Profile and email claims come from userinfo, not the ID token (OIDC Core §5.4).
  assert.equal(claims.email, undefined);
  return claims;
}

describe('OpenID Connect: openid-client 6 and oauth4webapi 3 against tessera-jwt/provider', () => {
  test('discovery advertises the OpenID endpoints the tests use', async () => {
    const meta = (await basic()).serverMetadata();
    assert.equal(meta.userinfo_endpoint, `${op.issuer}/userinfo`);
    assert.equal(meta.end_session_endpoint, `${op.issuer}/logout`);
    assert.equal(meta.jwks_uri.startsWith(op.issuer), true);
    assert.deepEqual(meta.id_token_signing_alg_values_supported, ['ES256']);
    assert.equal(meta.backchannel_logout_supported, true);
    assert.equal(meta.backchannel_logout_session_supported, true);
    assert.ok(meta.scopes_supported.includes('openid'));
  });

  describe('in the browser', { skip: skip ?? false, timeout: 120_000 }, () => {
    test('client_secret_basic: openid-client validates the ID token; sub, sid, auth_time; refresh brings a new one', async () => {
      await page.context().clearCookies();
      const config = await basic();
      const started = seconds();
      const { tokens, back, nonce } = await signIn(config, `${op.rp}/cb`, offline);
      assert.equal(back.shown.login, true);
      const claims = assertIdToken(tokens, 'web-basic', nonce);
      assert.ok(claims.auth_time >= started - 1 && claims.auth_time <= seconds() + 1, 'auth_time is this login');
      assert.equal(typeof tokens.refresh_token, 'string', 'offline_access with prompt=consent gives a refresh token');
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
      assert.notEqual(refreshed.id_token, tokens.id_token);
      const again = refreshed.claims();
      assert.equal(again.sub, claims.sub);
      assert.equal(again.sid, claims.sid);
      assert.equal(again.auth_time, claims.auth_time, 'a refresh is not a new login');
      assert.equal(again.nonce, undefined, 'no nonce in a refreshed ID token');
      assert.equal(again.at_hash, atHash(refreshed.access_token));
      assert.ok(again.iat >= claims.iat);
    });

    test('private_key_jwt: the same ID token checks, and the refreshed ID token', async () => {
      const config = await discover(
        'web-jwt',
        client.PrivateKeyJwt({ key: await CLIENT_KEY.cryptoKey(), kid: CLIENT_KEY.kid }),
      );
      const { tokens, back, nonce } = await signIn(config, `${op.rp}/cb`, offline);
      assert.equal(back.shown.login, false, 'single sign-on from the previous test');
      const claims = assertIdToken(tokens, 'web-jwt', nonce);
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
      assert.equal(refreshed.claims().sub, claims.sub);
      assert.equal(refreshed.claims().aud, 'web-jwt');
    });

    test('oauth4webapi directly: requireIdToken, expectedNonce, maxAge, the signature, getValidatedIdTokenClaims', async () => {
      const opts = { [oauth.allowInsecureRequests]: true };
      const as = await oauth.processDiscoveryResponse(
        new URL(op.issuer),
        await oauth.discoveryRequest(new URL(op.issuer), opts),
      );
      const c = { client_id: 'web-basic' };
      const auth = oauth.ClientSecretBasic(SECRET);
      const verifier = oauth.generateRandomCodeVerifier();
      const nonce = oauth.generateRandomNonce();
      const state = oauth.generateRandomState();
      const url = new URL(as.authorization_endpoint);
      for (const [k, v] of Object.entries({
        client_id: c.client_id,
        redirect_uri: `${op.rp}/cb`,
        response_type: 'code',
        scope: 'openid email offline_access',
        prompt: 'consent',
        state,
        nonce,
        max_age: '600',
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      }))
        url.searchParams.set(k, v);
      const back = await authorize(page, url.href, op.rp);
      const params = oauth.validateAuthResponse(as, c, new URL(back.url), state);
      const response = await oauth.authorizationCodeGrantRequest(as, c, auth, params, `${op.rp}/cb`, verifier, opts);
      const result = await oauth.processAuthorizationCodeResponse(as, c, response, {
        expectedNonce: nonce,
        requireIdToken: true,
        maxAge: 600,
      });
      await oauth.validateApplicationLevelSignature(as, response, opts);
      const claims = oauth.getValidatedIdTokenClaims(result);
      assert.equal(claims.iss, op.issuer);
      assert.equal(claims.aud, 'web-basic');
      assert.equal(claims.nonce, nonce);
      assert.equal(claims.at_hash, atHash(result.access_token));
      assert.equal(typeof claims.sid, 'string');
      // Refresh through oauth4webapi: a validated, signed ID token again.
      const refreshResponse = await oauth.refreshTokenGrantRequest(as, c, auth, result.refresh_token, opts);
      const refreshed = await oauth.processRefreshTokenResponse(as, c, refreshResponse);
      await oauth.validateApplicationLevelSignature(as, refreshResponse, opts);
      const again = oauth.getValidatedIdTokenClaims(refreshed);
      assert.equal(again.sub, claims.sub);
      assert.equal(again.sid, claims.sid);
    });

    test('nonce tampering: a nonce changed on the way is refused by openid-client', async () => {
      const config = await basic();
      const tamper = (url) => url.searchParams.set('nonce', client.randomNonce());
      await assert.rejects(signIn(config, `${op.rp}/cb`, { tamper }), (err) => {
        assert.equal(err.code, 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', String(err));
        assert.equal(err.cause?.cause?.claim, 'nonce', 'the ID token nonce is what the library refused');
        return true;
      });
      // An RP that sent no nonce does not accept an ID token that carries one.
      await assert.rejects(
        signIn(config, `${op.rp}/cb`, { tamper, checks: { expectedNonce: undefined } }),
        (err) => err.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && err.cause?.cause?.claim === 'nonce',
      );
      // Without openid there is no ID token, and a client that requires one says so.
      await assert.rejects(signIn(config, `${op.rp}/cb`, { scope: 'profile' }), (err) => {
        assert.equal(err.code, 'OAUTH_INVALID_RESPONSE', String(err));
        assert.match(err.message + String(err.cause?.message), /id_token/);
        return true;
      });
    });

    test('userinfo: claims by scope, the sub cross-check, the RFC 6750 challenges', async () => {
      const config = await basic();
      const full = await signIn(config, `${op.rp}/cb`, { scope: 'openid profile email' });
      const sub = full.tokens.claims().sub;
      const info = await client.fetchUserInfo(config, full.tokens.access_token, sub);
      assert.equal(info.sub, sub);
      assert.equal(info.name, ACCOUNT.name);
      assert.equal(info.given_name, ACCOUNT.given_name);
      assert.equal(info.family_name, ACCOUNT.family_name);
      assert.equal(info.email, ACCOUNT.email);
      assert.equal(info.email_verified, true);
      assert.equal(info.phone_number, undefined, 'phone was not granted');
      const email = await signIn(config, `${op.rp}/cb`, { scope: 'openid email' });
      assert.deepEqual(Object.keys(await client.fetchUserInfo(config, email.tokens.access_token, sub)).sort(), [
        'email',
        'email_verified',
        'sub',
      ]);
      const bare = await signIn(config, `${op.rp}/cb`, { scope: 'openid' });
      assert.deepEqual(await client.fetchUserInfo(config, bare.tokens.access_token, sub), { sub });
      // The library's own sub cross-check (OIDC Core §5.3.2): a userinfo sub that is not the expected one.
      await assert.rejects(client.fetchUserInfo(config, full.tokens.access_token, 'someone-else'), (err) => {
        assert.equal(err.code, 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED', String(err));
        return true;
      });
      // No token at all: 401 with a Bearer challenge and no error code (RFC 6750 §3.1).
      const none = await fetch(`${op.issuer}/userinfo`);
      assert.equal(none.status, 401);
      const challenge = none.headers.get('www-authenticate');
      assert.match(challenge, /^Bearer /);
      assert.doesNotMatch(challenge, /error=/);
      // A bad token: openid-client surfaces the invalid_token challenge.
      await assert.rejects(client.fetchUserInfo(config, 'not-a-token', sub), (err) => {
        assert.equal(err.status, 401, String(err));
        assert.equal(err.cause?.[0]?.scheme, 'bearer');
        assert.equal(err.cause?.[0]?.parameters?.error, 'invalid_token');
        return true;
      });
      // A token without openid: insufficient_scope (403), naming the scope.
      const plain = await signInPlain(config);
      await assert.rejects(client.fetchUserInfo(config, plain.access_token, sub), (err) => {
        assert.equal(err.status, 403, String(err));
        assert.equal(err.cause?.[0]?.parameters?.error, 'insufficient_scope');
        assert.equal(err.cause?.[0]?.parameters?.scope, 'openid');
        return true;
      });
      // CORS on /userinfo from the SPA page (a registered redirect URI's origin), withheld from another.
      await page.goto(`${op.rp}/spa`);
      const read = await page.evaluate(
        (token) => window.probe('/userinfo', { headers: { authorization: `Bearer ${token}` } }),
        bare.tokens.access_token,
      );
      assert.equal(read.ok, true, read.error);
      assert.equal(read.status, 200);
      assert.equal(JSON.parse(read.body).sub, sub);
      await page.goto(`${op.evil}/spa`);
      const blocked = await page.evaluate(
        (token) => window.probe('/userinfo', { headers: { authorization: `Bearer ${token}` } }),
        bare.tokens.access_token,
      );
      assert.equal(blocked.ok, false, 'the browser withholds userinfo from an unregistered origin');
    });

    test('RP-Initiated Logout: back at the client with state; the session ends for both SSO clients', async () => {
      await page.context().clearCookies();
      const one = await basic();
      const two = await appTwo();
      const first = await signIn(one, `${op.rp}/cb`, offline);
      assert.equal(first.back.shown.login, true);
      const second = await signIn(two, `${op.rp}/cb2`, offline);
      assert.equal(second.back.shown.login, false, 'single sign-on');
      assert.equal(second.tokens.claims().sid, first.tokens.claims().sid, 'one provider session');

      // An unregistered post_logout_redirect_uri: an error page at the provider, no redirect, still signed in.
      const state = client.randomState();
      const bad = client.buildEndSessionUrl(one, {
        id_token_hint: first.tokens.id_token,
        post_logout_redirect_uri: `${op.evil}/logged-out`,
        state,
      });
      const refused = await page.goto(bad.href);
      assert.equal(refused.status(), 400);
      assert.ok(page.url().startsWith(`${op.issuer}/logout`), page.url());
      assert.match(await page.content(), /not registered/);
      assert.equal((await client.tokenIntrospection(one, first.tokens.access_token)).active, true);

      // The logout itself, in the browser.
      const url = client.buildEndSessionUrl(one, {
        id_token_hint: first.tokens.id_token,
        post_logout_redirect_uri: `${op.rp}/logged-out`,
        state,
      });
      await page.goto(url.href);
      const landed = new URL(page.url());
      assert.equal(`${landed.origin}${landed.pathname}`, `${op.rp}/logged-out`);
      assert.equal(landed.searchParams.get('state'), state);

      // The session's refresh tokens are gone, for both clients; their access tokens are inactive.
      const dead = (err) => {
        assert.equal(err.error, 'invalid_grant', String(err));
        return true;
      };
      await assert.rejects(client.refreshTokenGrant(one, first.tokens.refresh_token), dead);
      await assert.rejects(client.refreshTokenGrant(two, second.tokens.refresh_token), dead);
      assert.equal((await client.tokenIntrospection(one, first.tokens.access_token)).active, false);
      assert.equal((await client.tokenIntrospection(two, second.tokens.access_token)).active, false);
      // The second client's next authorization shows the login page.
      const next = await signIn(two, `${op.rp}/cb2`);
      assert.equal(next.back.shown.login, true, 'signed out at the provider');
      assert.notEqual(next.tokens.claims().sid, first.tokens.claims().sid, 'a new provider session');
    });

    test('Back-Channel Logout: the registered client receives a logout token jose verifies', async (t) => {
      const received = [];
      const receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          received.push({ method: req.method, url: req.url, type: req.headers['content-type'], body });
          res.writeHead(200, { 'cache-control': 'no-store' });
          res.end();
        });
      });
      await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
      try {
        const registered = await client.dynamicClientRegistration(
          new URL(op.issuer),
          {
            redirect_uris: [`${op.rp}/cb`],
            post_logout_redirect_uris: [`${op.rp}/logged-out`],
            grant_types: ['authorization_code', 'refresh_token'],
            token_endpoint_auth_method: 'client_secret_basic',
            backchannel_logout_uri: `http://127.0.0.1:${receiver.address().port}/backchannel-logout`,
            backchannel_logout_session_required: true,
          },
          undefined,
          { ...insecure, initialAccessToken: INITIAL_ACCESS_TOKEN },
        );
        const { client_id: clientId, client_secret: secret } = registered.clientMetadata();
        const config = await discover(clientId, client.ClientSecretBasic(secret), { client_secret: secret });
        await page.context().clearCookies();
        const { tokens } = await signIn(config, `${op.rp}/cb`);
        const idClaims = tokens.claims();
        // The app-two client signs in in the same session: it has no back-channel URI and gets nothing.
        await signIn(await appTwo(), `${op.rp}/cb2`);
        assert.equal(received.length, 0);
        const state = client.randomState();
        await page.goto(
          client.buildEndSessionUrl(config, {
            id_token_hint: tokens.id_token,
            post_logout_redirect_uri: `${op.rp}/logged-out`,
            state,
          }).href,
        );
        assert.equal(new URL(page.url()).searchParams.get('state'), state);
        assert.equal(received.length, 1, 'one logout token, to the client that registered a back-channel URI');
        const [delivery] = received;
        assert.equal(delivery.method, 'POST');
        assert.equal(delivery.url, '/backchannel-logout');
        assert.match(delivery.type, /^application\/x-www-form-urlencoded/);
        const form = new URLSearchParams(delivery.body);
        assert.deepEqual([...form.keys()], ['logout_token']);
        const logoutToken = form.get('logout_token');
        const { header, payload } = decode(logoutToken);
        assert.equal(header.typ, 'logout+jwt');
        assert.equal(payload.nonce, undefined, 'a logout token has no nonce (Back-Channel Logout §2.4)');
        if (joseMissing) {
          t.skip(joseMissing);
          return;
        }
        const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
        const verified = await jose.jwtVerify(logoutToken, jwks, {
          issuer: op.issuer,
          audience: clientId,
          typ: 'logout+jwt',
          algorithms: ['ES256'],
          requiredClaims: ['iat', 'exp', 'jti', 'events', 'sid', 'sub'],
        });
        assert.deepEqual(verified.payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} });
        assert.equal(verified.payload.sid, idClaims.sid);
        assert.equal(verified.payload.sub, idClaims.sub);
        assert.equal(verified.payload.aud, clientId);
        assert.ok(verified.payload.exp - verified.payload.iat <= 120);
        assert.equal(op.errors.length, 0, 'no failed delivery reported');
        // An ID token of the same provider is not a logout token (jose's typ check).
        await assert.rejects(
          jose.jwtVerify(tokens.id_token, jwks, { issuer: op.issuer, audience: clientId, typ: 'logout+jwt' }),
          (err) => err.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && err.claim === 'typ',
        );
      } finally {
        receiver.closeAllConnections();
        await new Promise((r) => receiver.close(r));
      }
    });

    test('RFC 8707: resource binds the access token audience; narrowing at the token endpoint; invalid_target', async () => {
      const config = await basic();
      const rs = await appTwo();
      await page.context().clearCookies();
      const bound = await signIn(config, `${op.rp}/cb`, { params: { resource: ORDERS } });
      const aud = decode(bound.tokens.access_token).payload.aud;
      assert.deepEqual([aud].flat(), [ORDERS]);
      const introspected = await client.tokenIntrospection(rs, bound.tokens.access_token);
      assert.equal(introspected.active, true);
      assert.deepEqual([introspected.aud].flat(), [ORDERS]);
      // The ID token is still the client's, whatever the resource.
      assert.equal(bound.tokens.claims().aud, 'web-basic');
      // Userinfo does not take a token bound to another resource server.
      await assert.rejects(client.fetchUserInfo(config, bound.tokens.access_token, 'user-ada'), (err) => {
        assert.equal(err.status, 401, String(err));
        assert.equal(err.cause?.[0]?.parameters?.error, 'invalid_token');
        return true;
      });

      // Both resources authorized, one asked for at the token endpoint: the token is narrowed to it.
      const api = `${op.issuer}/api`;
      const both = await signIn(config, `${op.rp}/cb`, {
        ...offline,
        tamper: (url) => {
          url.searchParams.append('resource', api);
          url.searchParams.append('resource', ORDERS);
        },
        tokenParams: { resource: ORDERS },
      });
      assert.deepEqual([decode(both.tokens.access_token).payload.aud].flat(), [ORDERS]);
      // A refresh may narrow within the grant, never widen beyond it.
      const narrowed = await client.refreshTokenGrant(config, both.tokens.refresh_token, { resource: api });
      assert.deepEqual([decode(narrowed.access_token).payload.aud].flat(), [api]);
      await assert.rejects(
        client.refreshTokenGrant(config, narrowed.refresh_token, { resource: 'https://elsewhere.example.test/' }),
        (err) => err.error === 'invalid_target' && err.status === 400,
      );

      // A resource the provider does not serve, on the authorization request: an invalid_target redirect
      // (RFC 6749 §4.1.2.1, with iss), which openid-client surfaces as the authorization error.
      for (const resource of ['https://elsewhere.example.test/', 'orders', `${ORDERS}#frag`]) {
        await assert.rejects(signIn(config, `${op.rp}/cb`, { params: { resource } }), (err) => {
          assert.equal(err.error, 'invalid_target', `${resource}: ${err}`);
          return true;
        });
      }
      // At the token endpoint: a resource outside the authorization is invalid_target too.
      await assert.rejects(
        signIn(config, `${op.rp}/cb`, { params: { resource: ORDERS }, tokenParams: { resource: api } }),
        (err) => err.error === 'invalid_target' && err.status === 400,
      );
    });

    // Last: it moves the provider's clock (restored afterwards; the cookies are cleared).
    test('max_age: a session older than max_age signs in again; auth_time checked by the library (maxAge)', async () => {
      await page.context().clearCookies();
      const config = await basic();
      const first = await signIn(config, `${op.rp}/cb`);
      assert.equal(first.back.shown.login, true);
      const loginAt = first.tokens.claims().auth_time;
      const young = await signIn(config, `${op.rp}/cb`, { params: { max_age: '600' }, checks: { maxAge: 600 } });
      assert.equal(young.back.shown.login, false, 'the session is younger than max_age');
      assert.equal(young.tokens.claims().auth_time, loginAt);
      op.advanceClock(120);
      try {
        const old = await signIn(config, `${op.rp}/cb`, { params: { max_age: '60' }, checks: { maxAge: 60 } });
        assert.equal(old.back.shown.login, true, 'the session is 2 minutes old: max_age=60 asks for the password');
        const fresh = old.tokens.claims().auth_time;
        assert.ok(fresh >= loginAt + 120, 'auth_time is the new login, on the provider clock');
        // max_age=0 is a login every time (OIDC Core §3.1.2.1), also right after one.
        const zero = await signIn(config, `${op.rp}/cb`, { params: { max_age: '0' }, checks: { maxAge: 0 } });
        assert.equal(zero.back.shown.login, true);
        // Without max_age, single sign-on from the newest session.
        const sso = await signIn(config, `${op.rp}/cb`);
        assert.equal(sso.back.shown.login, false);
        assert.ok(sso.tokens.claims().auth_time >= fresh);
        // A malformed max_age is an invalid_request redirect.
        await assert.rejects(signIn(config, `${op.rp}/cb`, { params: { max_age: '-1' } }), (err) => {
          assert.equal(err.error, 'invalid_request', String(err));
          return true;
        });
      } finally {
        op.advanceClock(-120);
        await page.context().clearCookies();
      }
    });
  });
});

/** A plain OAuth sign-in (no openid): openid-client with no ID token expected. */
async function signInPlain(config) {
  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: `${op.rp}/cb`,
    scope: 'profile',
    state,
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
  });
  const back = await authorize(page, url.href, op.rp);
  return client.authorizationCodeGrant(config, new URL(back.url), { pkceCodeVerifier, expectedState: state });
}
