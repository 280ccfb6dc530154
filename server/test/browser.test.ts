// The debugger page in a real browser: Debian's chromium driven by playwright-core (which must never
// download a browser of its own). Paste a token → decoded claims with human times and warnings;
// verify with the right and the wrong key; run the login → userinfo → refresh → replay → revoke demo;
// the page talks to nobody but this server. A screenshot is kept in test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { encodeUnsecuredJWT, signJWT } from 'tessera-jwt';
import { freePort, startServer, tempDir, type RunningServer } from './helpers/server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const PASSWORD = 'browser-test-password';
const SECRET = 'the-browser-test-shared-secret-32b!';

function skipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} not found: install Debian's chromium (apt-get update && apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  const line = '!'.repeat(100);
  console.warn(`\n${line}\n!! SKIPPING the browser tests of the debugger page: ${reason}\n${line}\n`);
  return reason;
}

const skip = skipReason();

test('the token debugger page in Chromium', { skip: skip ?? false, timeout: 60_000 }, async (t) => {
  const data = tempDir();
  const port = await freePort();
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServer({
      dataDir: data.path,
      port,
      env: { TESSERA_DEMO_PASSWORD: PASSWORD, TESSERA_REFRESH_GRACE: '0' },
    }); // the demo's replay is reuse at once
    const base = server.url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
      // launch() gives the browser a fresh, empty profile directory of its own (a --user-data-dir flag is refused).
    });
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
    page.on('request', (request) => !request.url().startsWith(`${base}/`) && foreign.push(request.url()));
    await page.goto(`${base}/`);
    await page.locator('#origin').filter({ hasText: base }).waitFor();

    const now = Math.floor(Date.now() / 1000);
    const token = signJWT({ sub: 'user-42', scope: 'read:orders', exp: now + 14 * 60 + 20, iat: now - 30 }, SECRET, {
      issuer: 'https://auth.example.com',
      issuedAt: false,
    });

    await t.test('pasting a token shows the decoded header and payload, explained, with human times', async () => {
      await page.fill('#token', token);
      await page.locator('#payload-json').filter({ hasText: '"sub": "user-42"' }).waitFor();
      assert.match((await page.textContent('#header-json')) ?? '', /"alg": "HS256"/);
      // Short header values render on one line ("HS / 25 / 6" and "JW / T" once did), at desktop and phone widths.
      for (const width of [1280, 700, 380]) {
        await page.setViewportSize({ width, height: 1000 });
        for (const name of ['alg', 'typ']) {
          // Runs in the page (the server's tsconfig has no DOM types): count the distinct line tops of the text.
          const lines = await page.$eval(`#header-table [data-claim="${name}"] td.value`, (cell) => {
            const doc = (globalThis as any).document;
            const range = doc.createRange();
            range.selectNodeContents(cell.firstChild);
            return new Set([...range.getClientRects()].map((r: { top: number }) => Math.round(r.top))).size;
          });
          assert.equal(lines, 1, `header "${name}" wraps over ${lines} lines at ${width}px`);
        }
      }
      await page.setViewportSize({ width: 1280, height: 1000 });
      assert.match((await page.textContent('[data-claim="exp"] .time')) ?? '', /^expires in 14 min · \d{4}-/);
      assert.match((await page.textContent('[data-claim="iat"] .time')) ?? '', /^issued 3\d s ago · \d{4}-/);
      assert.match((await page.textContent('[data-claim="iss"] .doc')) ?? '', /Issuer/);
      assert.match(
        (await page.textContent('#token-summary')) ?? '',
        /JWS · HS256 · expires in 14 min · signature not verified yet/,
      );
      assert.match((await page.textContent('#warnings')) ?? '', /Symmetric \(HMAC\)/);
    });

    await t.test('warnings: alg none, no exp, a long lifetime; and a malformed token says why', async () => {
      await page.fill('#token', encodeUnsecuredJWT({ sub: 'admin' }));
      await page.locator('#warnings').filter({ hasText: 'alg is "none"' }).waitFor();
      assert.match((await page.textContent('#warnings')) ?? '', /No "exp": this token never expires/);
      await page.fill('#token', signJWT({ sub: 'u', iat: now, exp: now + 60 * 86400 }, SECRET, { issuedAt: false }));
      await page.locator('#warnings').filter({ hasText: 'Long lifetime: 60 days' }).waitFor();
      await page.fill('#token', 'eyJhbGciOiJIUzI1NiJ9.not base64!.sig');
      await page
        .locator('#token-summary')
        .filter({ hasText: 'Cannot decode: The payload (part 2) is not base64url' })
        .waitFor();
    });

    await t.test('verify with the right key → valid; with the wrong key → the error code', async () => {
      await page.fill('#token', token);
      await page.fill('#key', SECRET);
      await page.click('#verify');
      await page
        .locator('#verify-result.good [data-testid="verify-status"]')
        .filter({ hasText: 'Signature verified' })
        .waitFor();
      await page.fill('#key', 'a-different-secret-that-is-32-bytes-long');
      await page.click('#verify');
      await page.locator('#verify-result.bad').waitFor();
      assert.equal(await page.textContent('[data-testid="verify-code"]'), 'ERR_JWS_SIGNATURE_INVALID');
      // The message ends where the library's message ends (it once ended in a literal "undefined").
      const failure = (await page.textContent('#verify-result')) ?? '';
      assert.doesNotMatch(failure, /undefined/);
      const parts = await page.$eval('#verify-result', (node) =>
        [...(node as any).childNodes].map((n: { textContent: string }) => n.textContent),
      );
      assert.ok(!parts.includes('undefined'), `a child node reads "undefined": ${JSON.stringify(parts)}`);
      await page.fill('#key', SECRET);
      await page.fill('#issuer', 'https://someone-else.example');
      await page.click('#verify');
      await page.locator('[data-testid="verify-code"]').filter({ hasText: 'ERR_JWT_ISSUER_INVALID' }).waitFor();
      await page.fill('#issuer', '');
    });

    const status = (step: string) => page.locator(`#demo-log li[data-step="${step}"] .status`).last();

    await t.test('the demo: login → userinfo → refresh → replay (grant revoked) → login → revoke', async () => {
      await page.fill('#demo-password', 'wrong-password');
      await page.click('#demo-login');
      await status('POST /login').filter({ hasText: '400' }).waitFor();
      assert.match((await page.locator('#demo-log li').last().textContent()) ?? '', /invalid_grant/);
      await page.fill('#demo-password', PASSWORD);
      await page.click('#demo-login');
      await page.locator('#demo-log li.ok[data-step="POST /login"]').waitFor();
      await page.click('#demo-userinfo');
      await status('GET /userinfo').filter({ hasText: '200' }).waitFor();
      assert.match((await page.locator('#demo-log li').last().textContent()) ?? '', /hello Demo User/);
      await page.click('#demo-refresh');
      await status('POST /token (refresh)').filter({ hasText: '200' }).waitFor();
      await page.click('#demo-replay');
      await status('POST /token (replay)').filter({ hasText: '400' }).waitFor();
      await page.click('#demo-userinfo');
      await status('GET /userinfo').filter({ hasText: '401' }).waitFor();
      assert.match((await page.locator('#demo-log li').last().textContent()) ?? '', /revoked/);

      await page.click('#demo-login');
      await page.locator('#demo-log li.ok[data-step="POST /login"]').nth(1).waitFor();
      await page.click('#demo-inspect');
      await page.locator('#payload-json').filter({ hasText: '"client_id": "tessera-debugger"' }).waitFor();
      await page.click('#verify'); // the key source switched to this server's JWKS
      await page.locator('#verify-result.good').waitFor();
      await page.click('#demo-revoke');
      await status('POST /revoke').filter({ hasText: '200' }).waitFor();
      await page.click('#demo-userinfo');
      await page.locator('#demo-log li.fail[data-step="GET /userinfo"]').nth(1).waitFor();
    });

    await t.test('a screenshot is saved, and the page talked to nobody else and logged no error', async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}debugger.png`, fullPage: true });
      assert.ok(existsSync(`${ARTIFACTS}debugger.png`));
      assert.deepEqual(foreign, []);
      assert.deepEqual(
        problems.filter((p) => !/status of 4\d\d/.test(p)),
        [],
      );
    });
  } finally {
    await browser?.close();
    await server?.stop();
    data.remove();
  }
});
