// node-oidc-provider (panva/node-oidc-provider, a certified OpenID provider no one here wrote) on
// 127.0.0.1 with its in-memory adapter and development login/consent pages, and Chromium (Debian's
// /usr/bin/chromium through playwright-core) to fill them in.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { chromium } from 'playwright-core';
import { generateKeyPair } from 'tessera-jwt';

export const CHROMIUM = '/usr/bin/chromium';
/** The relying party's origin: a plain server on 127.0.0.1 that only says "back at the client". */
export let RP_ORIGIN = '';
export const SECRET = 'oidc-test-client-secret-of-more-than-32-bytes';

export function browserMissing() {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING the OpenID provider flows: ${reason}\n${'!'.repeat(100)}\n`);
  return reason;
}

/** The client's key pair for private_key_jwt (its public half registered at the provider). */
export const clientKeys = generateKeyPair('ES256', { kid: 'rp-key-1' });

const common = () => ({
  redirect_uris: [`${RP_ORIGIN}/cb`],
  post_logout_redirect_uris: [`${RP_ORIGIN}/bye`],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  application_type: 'native', // loopback http redirect URIs (RFC 8252 §7.3)
});
export const CLIENTS = {
  basic: { client_id: 'rp-basic', client_secret: SECRET, token_endpoint_auth_method: 'client_secret_basic' },
  post: { client_id: 'rp-post', client_secret: SECRET, token_endpoint_auth_method: 'client_secret_post' },
  jwt: {
    client_id: 'rp-jwt',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: { keys: [clientKeys.publicKey.toJWK()] },
  },
  kms: {
    client_id: 'rp-kms',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: { keys: [clientKeys.publicKey.toJWK()] },
  },
  public: { client_id: 'rp-public', token_endpoint_auth_method: 'none' },
  // A client whose userinfo responses are signed JWTs (OpenID Connect Core §5.3.2).
  signedUserinfo: {
    client_id: 'rp-jwt-userinfo',
    client_secret: SECRET,
    token_endpoint_auth_method: 'client_secret_basic',
    userinfo_signed_response_alg: 'RS256',
  },
  // A client whose ID tokens are MACed with its secret: the relying party must opt in to accept them.
  hs: {
    client_id: 'rp-hs',
    client_secret: SECRET,
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'HS256',
  },
};

export async function startProvider(extraClients = []) {
  const rp = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('back at the client');
  });
  await new Promise((resolve) => rp.listen(0, '127.0.0.1', resolve));
  RP_ORIGIN = `http://127.0.0.1:${rp.address().port}`;
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const signing = generateKeyPair('RS256', { kid: 'op-rsa-1' });
  const provider = new Provider(issuer, {
    clients: [...Object.values(CLIENTS), ...extraClients].map((c) => ({ ...common(), ...c })),
    jwks: { keys: [signing.privateKey.toJWK({ private: true })] },
    cookies: { keys: ['oidc-test-cookie-key-1'] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      backchannelLogout: { enabled: true },
      jwtUserinfo: { enabled: true },
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'email', 'offline_access'],
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'HS256'] },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    // Its outgoing requests (back-channel logout tokens) refuse special-use addresses; the relying parties
    // of these tests listen on 127.0.0.1, so drop that guard here (and only here).
    fetch: (url, { dispatcher: _ssrfGuard, ...options }) => globalThis.fetch(url, options),
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@example.com`, email_verified: true }),
    }),
  });
  provider.on('server_error', (_ctx, err) => console.error('provider server_error', err));
  server.on('request', provider.callback());
  return {
    issuer,
    provider,
    redirect: `${RP_ORIGIN}/cb`,
    postLogout: `${RP_ORIGIN}/bye`,
    close: () =>
      Promise.all(
        [server, rp].map(
          (s) =>
            new Promise((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      ),
  };
}

export async function launchBrowser(issuer) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const context = await browser.newContext();
  // Only the provider is reachable; the redirect back is caught and answered here.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${issuer}/`) || url.startsWith(`${RP_ORIGIN}/`)) return route.continue();
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { browser, page };
}

/** Opens the authorization URL, signs in (login + password) and consents when asked; returns the redirect URL. */
export async function authorize(page, url, user = 'ada', back = RP_ORIGIN) {
  await page.goto(url);
  for (let step = 0; step < 4; step++) {
    if (page.url().startsWith(`${back}/`)) return page.url();
    const login = page.locator('input[name="login"]');
    if (await login.count()) {
      await login.fill(user);
      await page.fill('input[name="password"]', 'any password');
      await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
      continue;
    }
    const consent = page.locator('button[type="submit"]');
    if (await consent.count()) {
      await Promise.all([page.waitForLoadState('load'), consent.first().click()]);
      continue;
    }
    await page.waitForLoadState('load');
  }
  if (!page.url().startsWith(`${back}/`)) throw new Error(`the flow did not come back: ${page.url()}`);
  return page.url();
}

/** A free port on 127.0.0.1 (the apps' redirect URIs are registered before the apps exist). */
export async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
