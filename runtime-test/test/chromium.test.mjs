// The conformance suite in Chromium (Debian's /usr/bin/chromium, driven by playwright-core, which never
// downloads a browser): the same bundle, served from 127.0.0.1 and imported by a page, over the browser's
// own crypto.subtle. A missing browser is a loud skip locally and a failure under CI=true.
import { test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { bundleSuite } from '../suite/bundle.mjs';
import { checkReport } from './report.mjs';

const CHROMIUM = '/usr/bin/chromium';

function skipReason() {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING the Chromium conformance run: ${reason}\n${'!'.repeat(100)}\n`);
  return reason;
}
const skip = skipReason();

test('conformance suite in Chromium (web entry over the browser crypto.subtle)', {
  skip: skip ?? false,
  timeout: 120_000,
}, async () => {
  const { suite, cases } = await bundleSuite();
  const code = readFileSync(suite);
  const server = createServer((req, res) => {
    if (req.url === '/suite.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(code);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>tessera conformance</title>');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${base}/`);
    const report = await page.evaluate(
      async ({ url, cases }) => {
        const { lib, runConformance } = await import(url);
        return runConformance(lib, cases, `Chromium ${navigator.userAgent.match(/Chrome\/(\S+)/)?.[1] ?? ''}`);
      },
      { url: `${base}/suite.js`, cases },
    );
    checkReport(report, cases);
    if (problems.length > 0) throw new Error(`page errors: ${problems.join('; ')}`);
  } finally {
    await browser.close();
    server.close();
  }
});
