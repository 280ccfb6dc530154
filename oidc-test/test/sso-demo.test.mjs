// `npm run demo:sso` as a person uses it, in Chromium: the README's demo (examples/sso-demo.mjs) starts the
// reference server as the provider and two apps; sign in at A with the password, open B and sign in without
// it, log out at A, and both are signed out (back-channel logout from Tessera's own provider).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { browserMissing, CHROMIUM, freePort } from './provider.mjs';

const skip = browserMissing();
const DEMO = join(dirname(fileURLToPath(import.meta.url)), '../../examples/sso-demo.mjs');
let demo;
let browser;
let output = '';
const origins = {};

before(async () => {
  if (skip) return;
  const ports = { provider: await freePort(), a: await freePort(), b: await freePort() };
  origins.a = `http://127.0.0.1:${ports.a}`;
  origins.b = `http://127.0.0.1:${ports.b}`;
  origins.provider = `http://127.0.0.1:${ports.provider}`;
  demo = spawn(process.execPath, [DEMO], {
    env: {
      ...process.env,
      DEMO_PROVIDER_PORT: String(ports.provider),
      DEMO_A_PORT: String(ports.a),
      DEMO_B_PORT: String(ports.b),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${output}`)), 30_000);
    const read = (chunk) => {
      output += chunk;
      if (output.includes('sso-demo ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    demo.stdout.on('data', read);
    demo.stderr.on('data', read);
    demo.on('exit', (code) => reject(new Error(`the demo exited (${code}):\n${output}`)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    demo.kill('SIGTERM');
    await exited;
  }
});

describe('npm run demo:sso in Chromium', { skip: skip ?? false, timeout: 120_000 }, () => {
  test('sign in at A, single sign-on at B, log out at A: both signed out', async () => {
    assert.match(output, /sign in as demo \/ \S+/);
    const password = /sign in as demo \/ (\S+)/.exec(output)[1];
    const context = await browser.newContext();
    await context.route('**/*', (route) =>
      route.request().url().startsWith('http://127.0.0.1') ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const status = async (origin) => {
      await page.goto(`${origin}/`);
      return page.locator('#status').textContent();
    };
    assert.equal(await status(origins.a), 'Not signed in.');

    // A: the provider's login page, then its consent page.
    await page.click('text=Sign in');
    await page.waitForURL(`${origins.provider}/**`);
    await page.fill('input[name="username"]', 'demo');
    await page.fill('input[name="password"]', password);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
    if (await page.locator('button[value="allow"]').count())
      await Promise.all([page.waitForURL(`${origins.a}/`), page.click('button[value="allow"]')]);
    assert.match(await page.locator('#status').textContent(), /^Signed in as/);

    // B: no password — at most the consent page for this second app.
    await status(origins.b);
    await page.click('text=Sign in');
    await page.waitForURL((url) => url.href.startsWith(origins.provider) || url.href.startsWith(origins.b));
    assert.equal(await page.locator('input[name="password"]').count(), 0, 'no password at the second app');
    if (page.url().startsWith(origins.provider))
      await Promise.all([page.waitForURL(`${origins.b}/`), page.click('button[value="allow"]')]);
    const signedInB = await page.locator('#status').textContent();
    assert.match(signedInB, /^Signed in as/);
    assert.equal(signedInB, await status(origins.a), 'the same user in both apps');

    // Log out at A: RP-Initiated Logout with the ID token as hint, then back-channel logout to both apps.
    await page.goto(`${origins.a}/`);
    await Promise.all([page.waitForURL(`${origins.a}/`), page.click('text=Log out')]);
    assert.equal(await status(origins.a), 'Not signed in.');
    assert.equal(await status(origins.b), 'Not signed in.', 'signed out of the second app too');

    // And the provider asks for the password again.
    await page.click('text=Sign in');
    await page.waitForURL(`${origins.provider}/**`);
    assert.equal(await page.locator('input[name="password"]').count(), 1);
    await context.close();
  });
});
