// End to end, black box over real HTTP on 127.0.0.1: our relying party (tessera-jwt/oidc discoverClient)
// against our provider. Discovery, sign-in through the built-in login and consent forms (a cookie jar
// plays the browser), the code exchange with the ID token validated by the RP (nonce, at_hash), userinfo
// with the ID token's sub, a refresh with a new ID token, RP-Initiated Logout, and the refresh token dead
// afterwards. jose (the interop oracle's copy) validates the ID token independently.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { discoverClient, OIDCEndpointError } from 'tessera-jwt/oidc';
import { ORACLES } from './helpers/paths.js';
import { startProvider, WEB_SECRET } from './helpers/provider.js';

const JOSE = join(ORACLES, 'node_modules/jose/dist/webapi/index.js');

describe('our relying party against our provider', () => {
  test('discovery, login form, code + PKCE, ID token (nonce, at_hash), userinfo, refresh, logout revokes', async () => {
    const ctx = await startProvider();
    const client = await discoverClient(ctx.origin, {
      clientId: 'web',
      clientSecret: WEB_SECRET,
      redirectUri: 'https://app.example/cb',
      postLogoutRedirectUri: 'https://app.example/bye',
      allowHttp: true,
    });
    assert.equal(client.metadata.issuer, ctx.origin);
    const b = ctx.browser();
    const { url, ...transaction } = client.authorizationUrl({
      scope: 'openid profile email offline_access',
      prompt: 'consent',
    });
    const { location, pages } = await b.authorize(url);
    assert.deepEqual(pages, ['login', 'consent']);
    assert.equal(location.origin + location.pathname, 'https://app.example/cb');
    const tokens = await client.callback(location.href, transaction);
    assert.ok(tokens.idToken && tokens.refreshToken);
    assert.equal(tokens.claims?.sub, 'user-42');
    assert.equal(tokens.claims?.nonce, transaction.nonce);
    assert.equal(typeof tokens.claims?.at_hash, 'string');
    // A tampered access token would not match at_hash: the RP checks it.
    await assert.rejects(
      client.verifyIDToken(tokens.idToken!, { nonce: transaction.nonce, accessToken: `${tokens.accessToken}x` }),
    );

    const info = await client.userinfo(tokens.accessToken, { expectedSubject: tokens.claims!.sub });
    assert.equal(info.sub, tokens.claims!.sub);
    assert.equal(info.email, 'jane@example.com');
    assert.equal(info.name, 'Jane Doe');

    // jose validates the same ID token on its own (signature from the JWKS endpoint, iss, aud, exp).
    if (existsSync(JOSE)) {
      const jose = await import(pathToFileURL(JOSE).href);
      const jwks = jose.createRemoteJWKSet(new URL(client.metadata.jwks_uri!));
      const { payload, protectedHeader } = await jose.jwtVerify(tokens.idToken!, jwks, {
        issuer: ctx.origin,
        audience: 'web',
        algorithms: client.metadata.id_token_signing_alg_values_supported,
        currentDate: new Date(tokens.claims!.iat * 1000),
      });
      assert.equal(payload.sub, 'user-42');
      assert.equal(protectedHeader.typ, 'JWT');
    } else if (process.env.CI === 'true') {
      assert.fail(`jose is missing at ${JOSE}: run npm ci --prefix ${ORACLES}`);
    } else {
      console.warn(`SKIPPED the jose cross-check: jose is missing at ${JOSE} (npm ci --prefix ${ORACLES})`);
    }

    const refreshed = await client.refresh(tokens.refreshToken!, tokens.claims);
    assert.ok(refreshed.idToken);
    assert.equal(refreshed.claims?.auth_time, tokens.claims?.auth_time);
    assert.equal(refreshed.claims?.sid, tokens.claims?.sid);

    // RP-Initiated Logout with the ID token as the hint: straight back to the client with state.
    const res = await b.go(client.endSessionUrl({ idTokenHint: refreshed.idToken!, state: 'bye-state' }));
    assert.equal(res.status, 303);
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.origin + back.pathname, 'https://app.example/bye');
    assert.equal(back.searchParams.get('state'), 'bye-state');
    // The session's refresh token is revoked, and its access token no longer opens userinfo.
    await assert.rejects(client.refresh(refreshed.refreshToken!), (err: unknown) => {
      assert.ok(err instanceof OIDCEndpointError);
      return true;
    });
    await assert.rejects(client.userinfo(refreshed.accessToken));
    // The browser is signed out: a new authorization asks for the password again.
    const again = await b.authorize(client.authorizationUrl({ scope: 'openid' }).url);
    assert.deepEqual(again.pages, ['login']);
  });
});
