// tessera-jwt/provider driven by third-party relying parties: openid-client 6 (and oauth4webapi 3, which it
// is built on, directly) over real HTTP on 127.0.0.1, the built-in login page filled in by Chromium.
// Discovery, authorization code + PKCE, client_secret_basic, client_secret_post and private_key_jwt,
// refresh with rotation, revocation, introspection, dynamic registration, CORS from a real page, and
// single sign-on across two clients. The only client option used is allowInsecureRequests (the
// provider is http on loopback); every response is checked by the libraries as they ship.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import {
  authorize,
  browserMissing,
  CLIENT_KEY,
  INITIAL_ACCESS_TOKEN,
  launchBrowser,
  SECRET,
  startProvider,
} from './harness.mjs';

const skip = browserMissing();
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

/** An openid-client / oauth4webapi refusal with this OAuth error code (and HTTP status). */
const refused = (code, status) => (err) => {
  assert.equal(err.status, status, String(err));
  if (code !== undefined) assert.equal(err.error ?? err.cause?.error, code, String(err));
  return true;
};

const insecure = { execute: [client.allowInsecureRequests] };
const discover = (clientId, metadata, auth) => client.discovery(new URL(op.issuer), clientId, metadata, auth, insecure);

/** One sign-in in Chromium with openid-client: PKCE S256 and state; returns the token response. */
async function signIn(config, redirectUri, scope = 'profile offline_access') {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  const back = await authorize(page, url.href, op.rp);
  const tokens = await client.authorizationCodeGrant(config, new URL(back.url), {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
  });
  return { tokens, back, codeVerifier, state };
}

describe('openid-client 6 and oauth4webapi 3 against tessera-jwt/provider', () => {
  test('discovery: openid-client accepts the metadata; every advertised endpoint is the provider', async () => {
    const config = await discover('web-basic', SECRET, client.ClientSecretBasic(SECRET));
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, op.issuer);
    assert.equal(meta.authorization_endpoint, `${op.issuer}/authorize`);
    assert.equal(meta.token_endpoint, `${op.issuer}/token`);
    assert.equal(meta.registration_endpoint, `${op.issuer}/register`);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.equal(meta.authorization_response_iss_parameter_supported, true);
    assert.ok(meta.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
    // RFC 8414 discovery through oauth4webapi's own issuer check.
    const as = await oauth.processDiscoveryResponse(
      new URL(op.issuer),
      await oauth.discoveryRequest(new URL(op.issuer), { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
    );
    assert.equal(as.issuer, op.issuer);
  });

  describe('in the browser', { skip: skip ?? false, timeout: 120_000 }, () => {
    test('authorization code + PKCE, client_secret_basic: the login page, consent, tokens, refresh rotation', async () => {
      const config = await discover('web-basic', SECRET, client.ClientSecretBasic(SECRET));
      const { tokens, back } = await signIn(config, `${op.rp}/cb`);
      assert.equal(back.shown.login, true, 'the first sign-in shows the login page');
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.equal(tokens.scope, 'profile offline_access');
      assert.ok(tokens.expires_in > 0);
      assert.equal(typeof tokens.refresh_token, 'string');
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
      assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'the refresh token rotates');
      assert.notEqual(refreshed.access_token, tokens.access_token);
      // The used refresh token is refused (reuse detection), and that kills the rotated one too.
      await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), refused('invalid_grant', 400));
      await assert.rejects(client.refreshTokenGrant(config, refreshed.refresh_token), refused('invalid_grant', 400));
    });

    test('client_secret_post, and revocation + introspection through openid-client', async () => {
      const config = await discover('web-post', SECRET, client.ClientSecretPost(SECRET));
      const { tokens } = await signIn(config, `${op.rp}/cb`);
      const rs = await discover('web-basic', SECRET, client.ClientSecretBasic(SECRET));
      assert.equal((await client.tokenIntrospection(rs, tokens.access_token)).active, true);
      await client.tokenRevocation(config, tokens.refresh_token);
      await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), refused('invalid_grant', 400));
      assert.equal((await client.tokenIntrospection(rs, tokens.access_token)).active, false);
    });

    test('private_key_jwt: openid-client signs the assertion with the registered key', async () => {
      const config = await discover(
        'web-jwt',
        {},
        client.PrivateKeyJwt({ key: await CLIENT_KEY.cryptoKey(), kid: CLIENT_KEY.kid }),
      );
      const { tokens } = await signIn(config, `${op.rp}/cb`);
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
      assert.equal(typeof refreshed.access_token, 'string');
    });

    test('single sign-on: signed in at the first client, the second completes without a login prompt', async () => {
      await page.context().clearCookies();
      const one = await discover('web-basic', SECRET, client.ClientSecretBasic(SECRET));
      const two = await discover('app-two', SECRET, client.ClientSecretBasic(SECRET));
      const first = await signIn(one, `${op.rp}/cb`);
      assert.equal(first.back.shown.login, true);
      const second = await signIn(two, `${op.rp}/cb2`);
      assert.equal(second.back.shown.login, false, 'no login page at the second client');
      assert.equal(second.back.shown.consent, true, 'the second client asks its own consent');
      const third = await signIn(two, `${op.rp}/cb2`);
      assert.deepEqual(third.back.shown, { login: false, consent: false }, 'then nothing is shown at all');
      const rs = one;
      const a = await client.tokenIntrospection(rs, first.tokens.access_token);
      const b = await client.tokenIntrospection(rs, second.tokens.access_token);
      assert.equal(a.sub, b.sub, 'the same user at both clients');
      assert.equal(b.client_id, 'app-two');
    });

    test('dynamic registration with openid-client, then a sign-in with the registered client', async () => {
      const config = await client.dynamicClientRegistration(
        new URL(op.issuer),
        {
          redirect_uris: [`${op.rp}/cb`],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'client_secret_basic',
          client_name: 'Registered by openid-client',
        },
        undefined,
        { ...insecure, initialAccessToken: INITIAL_ACCESS_TOKEN },
      );
      const metadata = config.clientMetadata();
      assert.match(metadata.client_id, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(typeof metadata.client_secret, 'string');
      const registered = await client.discovery(
        new URL(op.issuer),
        metadata.client_id,
        metadata.client_secret,
        client.ClientSecretBasic(metadata.client_secret),
        insecure,
      );
      const { tokens } = await signIn(registered, `${op.rp}/cb`);
      assert.equal(typeof tokens.access_token, 'string');
      // RFC 7592: read and delete with the registration access token; then the client cannot get tokens.
      const read = await fetch(metadata.registration_client_uri, {
        headers: { authorization: `Bearer ${metadata.registration_access_token}` },
      });
      assert.equal(read.status, 200);
      const gone = await fetch(metadata.registration_client_uri, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${metadata.registration_access_token}` },
      });
      assert.equal(gone.status, 204);
      // 401 invalid_client with a Basic challenge (RFC 6749 §5.2), which openid-client surfaces as a challenge.
      await assert.rejects(client.refreshTokenGrant(registered, tokens.refresh_token), (err) => {
        assert.equal(err.status, 401);
        assert.equal(err.cause?.[0]?.scheme, 'basic');
        return true;
      });
    });

    test('registration without the initial access token is refused (openid-client sees the 401)', async () => {
      await assert.rejects(
        client.dynamicClientRegistration(new URL(op.issuer), { redirect_uris: [`${op.rp}/cb`] }, undefined, insecure),
        (err) => {
          assert.equal(err.status, 401, String(err));
          return true;
        },
      );
    });

    test('CORS from a real page: the SPA origin reads the token endpoint, an unregistered origin cannot', async () => {
      const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
      // The SPA's origin is a registered redirect URI's origin.
      await page.goto(`${op.rp}/spa`);
      const discovery = await page.evaluate(() => window.probe('/.well-known/openid-configuration'));
      assert.equal(discovery.ok, true);
      const token = await page.evaluate(
        (init) => window.probe('/token', { ...init, body: 'grant_type=refresh_token&client_id=spa&refresh_token=x' }),
        form,
      );
      assert.equal(token.ok, true, token.error);
      assert.equal(token.status, 400);
      assert.equal(JSON.parse(token.body).error, 'invalid_grant');
      // A preflighted request (an Authorization header) from the SPA passes the preflight.
      const preflighted = await page.evaluate(() =>
        window.probe('/token', {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${btoa('web-basic:wrong')}`,
          },
          body: 'grant_type=client_credentials',
        }),
      );
      assert.equal(preflighted.ok, true, preflighted.error);
      assert.equal(preflighted.status, 401);
      // Another origin: discovery is public, the token endpoint's answer is withheld by the browser.
      await page.goto(`${op.evil}/spa`);
      assert.equal((await page.evaluate(() => window.probe('/.well-known/jwks.json'))).ok, true);
      const blocked = await page.evaluate(
        (init) => window.probe('/token', { ...init, body: 'grant_type=refresh_token&client_id=spa&refresh_token=x' }),
        form,
      );
      assert.equal(blocked.ok, false, 'the browser refuses the cross-origin answer');
      const preflightRefused = await page.evaluate(() =>
        window.probe('/token', {
          method: 'POST',
          headers: { authorization: 'Basic eDp5', 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        }),
      );
      assert.equal(preflightRefused.ok, false);
    });
  });

  test('CORS preflight over plain HTTP: 204, methods, headers, max-age, Vary; none for another origin', async () => {
    const ask = (origin) =>
      fetch(`${op.issuer}/token`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    const ok = await ask(op.rp);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), op.rp);
    assert.equal(ok.headers.get('access-control-allow-methods'), 'POST');
    assert.match(ok.headers.get('access-control-allow-headers'), /authorization/);
    assert.ok(Number(ok.headers.get('access-control-max-age')) > 0);
    assert.match(ok.headers.get('vary'), /Origin/);
    const no = await ask(op.evil);
    assert.equal(no.headers.get('access-control-allow-origin'), null);
  });

  test('client_credentials with oauth4webapi directly (client_secret_basic)', async () => {
    const as = await oauth.processDiscoveryResponse(
      new URL(op.issuer),
      await oauth.discoveryRequest(new URL(op.issuer), { [oauth.allowInsecureRequests]: true }),
    );
    const registration = await oauth.dynamicClientRegistrationRequest(
      as,
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic' },
      { initialAccessToken: INITIAL_ACCESS_TOKEN, [oauth.allowInsecureRequests]: true },
    );
    const registered = await oauth.processDynamicClientRegistrationResponse(registration);
    const c = { client_id: registered.client_id };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      c,
      oauth.ClientSecretBasic(registered.client_secret),
      new URLSearchParams(),
      { [oauth.allowInsecureRequests]: true },
    );
    const tokens = await oauth.processClientCredentialsResponse(as, c, response);
    assert.equal(typeof tokens.access_token, 'string');
  });
});
