// The provider under test: tessera-jwt/provider (createProvider on the memory store, with its built-in
// login and consent pages over a small scrypt users table) on 127.0.0.1, plus the relying parties'
// origins (plain servers that only say "back at the client", one serving a single-page app for the CORS
// checks, one playing an unregistered origin) and Chromium (Debian's /usr/bin/chromium through
// playwright-core) to fill in the pages. The clients are third-party libraries; nothing here reaches
// into the provider other than over HTTP.
import { generateKeyPairSync, randomBytes, scryptSync, timingSafeEqual, webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { createClientRegistry, createProvider } from 'tessera-jwt/provider';
import { createMemoryStore, createTokenService, toNodeHandler } from 'tessera-jwt/server';

export const CHROMIUM = '/usr/bin/chromium';
export const SECRET = 'provider-test-client-secret-0123456789';
export const INITIAL_ACCESS_TOKEN = 'provider-test-initial-access-token-0123456789';
export const USER = { username: 'ada', password: 'correct horse battery staple' };
/** What findAccount knows about the user (userinfo releases these by scope). */
export const ACCOUNT = {
  name: 'Ada Lovelace',
  given_name: 'Ada',
  family_name: 'Lovelace',
  email: 'ada@example.com',
  email_verified: true,
  phone_number: '+44 20 7946 0000',
};
/** A second resource server the provider issues tokens for (RFC 8707), beside `${issuer}/api`. */
export const ORDERS = 'https://orders.example.test/';

/** undefined when Chromium is there; otherwise the reason (and a loud warning), or a throw under CI=true. */
export function browserMissing() {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING the browser flows of provider-test: ${reason}\n${'!'.repeat(100)}\n`);
  return reason;
}

/** The private_key_jwt client's key: a JWK pair, and the WebCrypto private key openid-client signs with. */
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const CLIENT_KEY = {
  kid: 'rp-key-1',
  publicJWK: { ...publicKey.export({ format: 'jwk' }), kid: 'rp-key-1', alg: 'ES256', use: 'sig' },
  privateJWK: { ...privateKey.export({ format: 'jwk' }), kid: 'rp-key-1', alg: 'ES256' },
  cryptoKey: () =>
    webcrypto.subtle.importKey(
      'jwk',
      privateKey.export({ format: 'jwk' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    ),
};

const listen = async (handler) => {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
};

/** A single-page app at /spa: its script calls the provider with fetch and reports what it could read. */
const spaPage = (issuer) => `<!doctype html><html><body><script>
window.probe = async (path, init) => {
  try {
    const r = await fetch(${JSON.stringify(issuer)} + path, init);
    return { ok: true, status: r.status, body: await r.text() };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
};
</script>back at the client</body></html>`;

export async function startProvider() {
  let issuer = '';
  const back = (req, res) => {
    if (req.url === '/spa') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(spaPage(issuer));
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('back at the client');
  };
  const errors = [];
  const rp = await listen(back);
  const evil = await listen(back);
  let handler = () => {};
  const op = await listen((req, res) => handler(req, res));
  issuer = op.origin;

  // One clock for the store, the token service and the provider; advanceClock moves it (max_age tests).
  let offset = 0;
  const clock = () => Date.now() / 1000 + offset;
  const store = createMemoryStore({ now: clock });
  const service = createTokenService({
    issuer,
    audience: `${issuer}/api`,
    store,
    keys: { encryptionKey: randomBytes(32) },
    now: clock,
  });
  const clients = createClientRegistry({ store });
  const loggedOut = { post_logout_redirect_uris: [`${rp.origin}/logged-out`] };
  const code = { grant_types: ['authorization_code', 'refresh_token'] };
  await clients.seed([
    { client_id: 'web-basic', client_secret: SECRET, redirect_uris: [`${rp.origin}/cb`], ...code, ...loggedOut },
    {
      client_id: 'web-post',
      client_secret: SECRET,
      token_endpoint_auth_method: 'client_secret_post',
      redirect_uris: [`${rp.origin}/cb`],
      ...code,
    },
    {
      client_id: 'web-jwt',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [CLIENT_KEY.publicJWK] },
      redirect_uris: [`${rp.origin}/cb`],
      ...code,
    },
    { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: [`${rp.origin}/spa-cb`], ...code },
    { client_id: 'app-two', client_secret: SECRET, redirect_uris: [`${rp.origin}/cb2`], ...code, ...loggedOut },
  ]);

  // The users table: scrypt hashes; an unknown user is checked against a dummy hash (equal timing).
  const hash = (password, salt) => scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 });
  const salt = randomBytes(16);
  const users = new Map([[USER.username, { sub: 'user-ada', salt, hash: hash(USER.password, salt) }]]);
  const dummy = { salt: randomBytes(16), hash: randomBytes(32) };
  const provider = createProvider({
    service,
    store,
    clients,
    interactionUrl: '/interaction',
    authenticate: (username, password) => {
      const user = users.get(username);
      const against = user ?? dummy;
      const ok = timingSafeEqual(hash(password, against.salt), against.hash);
      return ok && user ? { sub: user.sub } : undefined;
    },
    registration: { enabled: true, initialAccessToken: INITIAL_ACCESS_TOKEN },
    findAccount: (sub) => (sub === 'user-ada' ? ACCOUNT : undefined),
    resources: [`${issuer}/api`, ORDERS],
    now: () => Math.floor(clock()),
    onError: (err) => {
      errors.push(err);
      console.error('provider error', err);
    },
  });
  const app = async (request, connection) =>
    (await provider.handle(request, connection)) ??
    new Response(JSON.stringify({ error: 'not_found' }), { status: 404 });
  handler = toNodeHandler(app);
  const servers = [op.server, rp.server, evil.server];
  return {
    issuer,
    rp: rp.origin,
    evil: evil.origin,
    /** What the provider reported to onError (failed back-channel deliveries…). */
    errors,
    /** Moves the provider's clock (store, token service, provider) forward by `seconds`. */
    advanceClock: (seconds) => {
      offset += seconds;
    },
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      ),
  };
}

/** Chromium with one context; only the provider and the two client origins are reachable. */
export async function launchBrowser(op) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if ([op.issuer, op.rp, op.evil].some((o) => url.startsWith(`${o}/`))) return route.continue();
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { browser, context, page };
}

/**
 * Opens the authorization URL in the page, signs in on the built-in login page when it is shown and
 * allows on the consent page; returns the URL the browser came back to and which pages were shown.
 */
export async function authorize(page, url, back, user = USER) {
  const shown = { login: false, consent: false };
  await page.goto(url);
  for (let step = 0; step < 4; step++) {
    if (page.url().startsWith(`${back}/`)) return { url: page.url(), shown };
    if (await page.locator('input[name="password"]').count()) {
      shown.login = true;
      await page.fill('input[name="username"]', user.username);
      await page.fill('input[name="password"]', user.password);
      await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
      continue;
    }
    const allow = page.locator('button[value="allow"]');
    if (await allow.count()) {
      shown.consent = true;
      await Promise.all([page.waitForLoadState('load'), allow.click()]);
      continue;
    }
    await page.waitForLoadState('load');
  }
  if (!page.url().startsWith(`${back}/`)) throw new Error(`the flow did not come back: ${page.url()}`);
  return { url: page.url(), shown };
}
