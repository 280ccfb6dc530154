// The relying party (tessera-jwt/oidc) against node-oidc-provider: the authorization code + PKCE flow
// with the login form filled in by Chromium, every client authentication method, refresh with rotation,
// userinfo with the sub cross-check, revocation, RP-initiated logout, and the callback attacks.
import assert from 'node:assert/strict';
import { createSign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { InvalidAlgorithmError, InvalidClaimError } from 'tessera-jwt';
import { AuthorizationResponseError, createClient, discoverClient, OIDCEndpointError } from 'tessera-jwt/oidc';
import { authorize, browserMissing, clientKeys, launchBrowser, SECRET, startProvider } from './provider.mjs';

const skip = browserMissing();
let op;
let browser;
let page;

before(async () => {
  if (skip) return;
  op = await startProvider();
  ({ browser, page } = await launchBrowser(op.issuer));
});
after(async () => {
  await browser?.close();
  await op?.close();
});

const base = () => ({ redirectUri: op.redirect, allowHttp: true, postLogoutRedirectUri: op.postLogout });

/** A full sign-in; returns the client, the transaction and the tokens. */
async function signIn(client, request = {}) {
  const { url, ...transaction } = client.authorizationUrl({ scope: 'openid email', ...request });
  const back = await authorize(page, url);
  const tokens = await client.callback(back, transaction);
  return { transaction, tokens, back };
}

describe('against node-oidc-provider', { skip: skip ?? false, timeout: 120_000 }, () => {
  test('discovery checks the issuer exactly and caches the metadata', async () => {
    const client = await discoverClient(op.issuer, { clientId: 'rp-basic', clientSecret: SECRET, ...base() });
    assert.equal(client.metadata.issuer, op.issuer);
    assert.equal(client.authMethod, 'client_secret_basic');
    await assert.rejects(discoverClient(`${op.issuer}/`, { clientId: 'rp-basic', clientSecret: SECRET, ...base() }));
  });

  test('the authorization URL carries PKCE S256, state and nonce of 32 random bytes', async () => {
    const client = await discoverClient(op.issuer, { clientId: 'rp-public', ...base() });
    const request = client.authorizationUrl({
      prompt: 'login',
      maxAge: 600,
      loginHint: 'ada',
      resource: 'https://api.example.com',
    });
    const params = new URL(request.url).searchParams;
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('state'), request.state);
    assert.equal(params.get('nonce'), request.nonce);
    assert.equal(params.get('max_age'), '600');
    assert.equal(params.get('login_hint'), 'ada');
    for (const value of [request.state, request.nonce, request.codeVerifier])
      assert.match(value, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(params.get('code_challenge'), request.codeVerifier);
  });

  for (const [name, options] of [
    [
      'client_secret_basic',
      { clientId: 'rp-basic', clientSecret: SECRET, tokenEndpointAuthMethod: 'client_secret_basic' },
    ],
    [
      'client_secret_post',
      { clientId: 'rp-post', clientSecret: SECRET, tokenEndpointAuthMethod: 'client_secret_post' },
    ],
    [
      'private_key_jwt (a Tessera key)',
      { clientId: 'rp-jwt', privateKey: clientKeys.privateKey, privateKeyId: 'rp-key-1' },
    ],
    [
      'private_key_jwt (an async KMS signer)',
      {
        clientId: 'rp-kms',
        signer: {
          alg: 'ES256',
          kid: 'rp-key-1',
          // Stands in for a KMS: the signature is made elsewhere, asynchronously, as raw R‖S.
          sign: async (input) =>
            createSign('sha256')
              .update(input)
              .sign({ key: clientKeys.privateKey.keyObject, dsaEncoding: 'ieee-p1363' }),
        },
      },
    ],
    ['none (public client, PKCE only)', { clientId: 'rp-public' }],
  ]) {
    test(`code + PKCE flow in Chromium with ${name}`, async () => {
      const client = await discoverClient(op.issuer, { ...options, ...base() });
      const { tokens, back } = await signIn(client);
      assert.equal(new URL(back).searchParams.get('iss'), op.issuer);
      assert.equal(tokens.claims.sub, 'ada');
      assert.equal(tokens.claims.aud, options.clientId);
      assert.equal(typeof tokens.accessToken, 'string');
      assert.ok(tokens.expiresAt > Date.now() / 1000);
    });
  }

  test('userinfo with the sub cross-check; refresh rotates the refresh token and revalidates the ID token; revocation', async () => {
    const client = await discoverClient(op.issuer, { clientId: 'rp-basic', clientSecret: SECRET, ...base() });
    const { tokens } = await signIn(client);
    const profile = await client.userinfo(tokens.accessToken, { expectedSubject: tokens.claims.sub });
    assert.equal(profile.email, 'ada@example.com');
    await assert.rejects(
      client.userinfo(tokens.accessToken, { expectedSubject: 'mallory' }),
      (err) => err instanceof InvalidClaimError && err.claim === 'sub',
    );

    assert.equal(typeof tokens.refreshToken, 'string');
    const next = await client.refresh(tokens.refreshToken, tokens.claims);
    assert.notEqual(next.refreshToken, tokens.refreshToken, 'rotated');
    assert.notEqual(next.accessToken, tokens.accessToken);
    assert.equal(next.claims.sub, 'ada');
    // The old refresh token was rotated away: using it again is refused by the provider.
    await assert.rejects(
      client.refresh(tokens.refreshToken),
      (err) =>
        err instanceof OIDCEndpointError && err.error === 'invalid_grant' && !err.message.includes(tokens.refreshToken),
    );

    await client.revoke(next.accessToken, 'access_token');
    await assert.rejects(
      client.userinfo(next.accessToken),
      (err) => err instanceof OIDCEndpointError && err.status === 401,
    );
    await client.revoke(next.refreshToken, 'refresh_token');
    await assert.rejects(
      client.refresh(next.refreshToken),
      (err) => err instanceof OIDCEndpointError && err.error === 'invalid_grant',
    );
  });

  test('a signed userinfo response (application/jwt) is verified: signature, iss, aud, then the sub check', async () => {
    const client = await discoverClient(op.issuer, { clientId: 'rp-jwt-userinfo', clientSecret: SECRET, ...base() });
    const { tokens } = await signIn(client);
    const raw = await fetch(client.metadata.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    assert.match(raw.headers.get('content-type'), /application\/jwt/, "the provider signs this client's userinfo");
    const profile = await client.userinfo(tokens.accessToken, { expectedSubject: tokens.claims.sub });
    assert.equal(profile.sub, tokens.claims.sub);
    assert.equal(profile.email, `${tokens.claims.sub}@example.com`);
    assert.equal(profile.iss, op.issuer);
    await assert.rejects(
      client.userinfo(tokens.accessToken, { expectedSubject: 'mallory' }),
      (err) => err instanceof InvalidClaimError && err.claim === 'sub',
    );
    // Another client's view of the same provider cannot accept it: the JWT's aud is rp-jwt-userinfo.
    const other = createClient(client.metadata, { clientId: 'rp-basic', clientSecret: SECRET, ...base() });
    await assert.rejects(other.userinfo(tokens.accessToken));
  });

  test('RP-initiated logout ends the provider session', async () => {
    const client = await discoverClient(op.issuer, { clientId: 'rp-basic', clientSecret: SECRET, ...base() });
    const { tokens } = await signIn(client);
    const url = client.endSessionUrl({ idTokenHint: tokens.idToken, state: 'bye-1' });
    await page.goto(url);
    await Promise.all([page.waitForURL(`${op.postLogout}**`), page.click('button[name="logout"]')]);
    assert.equal(new URL(page.url()).searchParams.get('state'), 'bye-1');
    // Signed out: the next authorization asks for the login again.
    const { url: again } = client.authorizationUrl();
    await page.goto(again);
    assert.equal(await page.locator('input[name="login"]').count(), 1);
  });

  test('HS256 ID tokens MACed with the client secret: refused unless the client opts in', async () => {
    const strict = await discoverClient(op.issuer, {
      clientId: 'rp-hs',
      clientSecret: SECRET,
      ...base(),
      idTokenSigningAlgorithms: ['RS256', 'HS256'],
    });
    await assert.rejects(signIn(strict), InvalidAlgorithmError);
    const opted = await discoverClient(op.issuer, {
      clientId: 'rp-hs',
      clientSecret: SECRET,
      ...base(),
      allowSymmetricIDTokens: true,
    });
    const { tokens } = await signIn(opted);
    assert.equal(tokens.claims.sub, 'ada');
  });

  describe('callback attacks', () => {
    let client;
    before(async () => {
      client = await discoverClient(op.issuer, { clientId: 'rp-basic', clientSecret: SECRET, ...base() });
    });
    test('state mismatch', async () => {
      const { url, ...transaction } = client.authorizationUrl();
      const back = await authorize(page, url);
      // Flip the last character to one it is not (a fixed replacement would equal it 1 time in 64).
      const last = transaction.state.at(-1) === 'A' ? 'B' : 'A';
      await assert.rejects(
        client.callback(back, { ...transaction, state: `${transaction.state.slice(0, -1)}${last}` }),
        (err) => err instanceof AuthorizationResponseError && err.reason === 'state_mismatch',
      );
    });
    test('missing iss (the provider advertises it) and wrong iss', async () => {
      assert.equal(client.metadata.authorization_response_iss_parameter_supported, true);
      const { url, ...transaction } = client.authorizationUrl();
      const back = new URL(await authorize(page, url));
      const wrong = new URL(back);
      wrong.searchParams.set('iss', 'http://127.0.0.1:1');
      await assert.rejects(client.callback(wrong, transaction), (err) => err.reason === 'issuer_mismatch');
      back.searchParams.delete('iss');
      await assert.rejects(client.callback(back, transaction), (err) => err.reason === 'issuer_missing');
    });
    test("the provider's error response becomes a typed error", async () => {
      const { url, ...transaction } = client.authorizationUrl({ prompt: 'none' });
      // A fresh browser context has no session: prompt=none must come back with login_required.
      const fresh = await page.context().browser().newContext();
      await fresh.route('**/*', (route) =>
        route.request().url().startsWith('http://127.0.0.1') ? route.continue() : route.abort(),
      );
      const other = await fresh.newPage();
      await other.goto(url);
      await other.waitForURL(`${op.redirect}**`);
      await assert.rejects(
        client.callback(other.url(), transaction),
        (err) =>
          err instanceof AuthorizationResponseError &&
          err.reason === 'provider_error' &&
          err.error === 'login_required',
      );
      await fresh.close();
    });
    test('code replay: the second exchange is refused', async () => {
      const { url, ...transaction } = client.authorizationUrl();
      const back = await authorize(page, url);
      await client.callback(back, transaction);
      await assert.rejects(client.callback(back, transaction), (err) => {
        const code = new URL(back).searchParams.get('code');
        return err instanceof OIDCEndpointError && err.error === 'invalid_grant' && !err.message.includes(code);
      });
    });
    test('a wrong PKCE verifier is refused by the provider', async () => {
      const { url, ...transaction } = client.authorizationUrl();
      const back = await authorize(page, url);
      await assert.rejects(
        client.callback(back, { ...transaction, codeVerifier: 'x'.repeat(43) }),
        (err) => err instanceof OIDCEndpointError && err.error === 'invalid_grant',
      );
    });
  });

  test('a static-metadata client works like a discovered one', async () => {
    const discovered = await discoverClient(op.issuer, { clientId: 'rp-post', clientSecret: SECRET, ...base() });
    const client = createClient(
      { ...discovered.metadata },
      { clientId: 'rp-post', clientSecret: SECRET, tokenEndpointAuthMethod: 'client_secret_post', ...base() },
    );
    const { tokens } = await signIn(client);
    assert.equal(tokens.claims.sub, 'ada');
  });
});
