// The debugger page in a real browser: Debian's chromium driven by playwright-core (which must never
// download a browser of its own). Paste a token → decoded claims with human times and warnings;
// verify with the right and the wrong key; run the login → userinfo → refresh → replay → revoke demo;
// the page talks to nobody but this server. A screenshot is kept in test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { encodeUnsecuredJWT, encryptJWT, signJWT, verifyJWT } from 'tessera-jwt';
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
    // ignoreHTTPSErrors: the https JWKS server of one test has a self-signed certificate made for the test.
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, ignoreHTTPSErrors: true });
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
      // The rendered text (what a reader sees), not the DOM's: hence innerText.
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
      assert.equal(await page.innerText('#header-table [data-claim="alg"] td.value'), 'HS256');
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
      assert.equal(await page.innerText('#header-table [data-claim="typ"] td.value'), 'JWT');
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

    // Every request the page makes from here on: the token, the secret and the key must never be in one.
    const sent: Array<{ url: string; method: string; body: string; headers: string }> = [];
    page.on('request', (request) =>
      sent.push({
        url: request.url(),
        method: request.method(),
        body: request.postData() ?? '',
        headers: JSON.stringify(request.headers()),
      }),
    );
    const leaks = (...secrets: string[]) =>
      sent.filter((r) => secrets.some((s) => r.url.includes(s) || r.body.includes(s) || r.headers.includes(s)));
    const verifyAndWait = async () => {
      await page.evaluate(() => {
        const doc = (globalThis as any).document;
        doc.getElementById('verify-result').className = 'result';
        doc.getElementById('verify-result').replaceChildren();
      });
      await page.click('#verify');
      await page.locator('#verify-result.good, #verify-result.bad').waitFor();
      const text = (await page.textContent('#verify-result')) ?? '';
      assert.doesNotMatch(text, /undefined/);
      return text;
    };
    const message = async (testid = 'verify-error') => ({
      code: await page.textContent(`#verify-result [data-testid="${testid}-code"]`),
      message: await page.textContent(`#verify-result [data-testid="${testid}-message"]`),
      line: await page.textContent(`#verify-result [data-testid="${testid}"]`),
    });

    await t.test('verify in the page with the right key → valid; with the wrong key → the exact error', async () => {
      const before = sent.length;
      await page.fill('#token', token);
      await page.fill('#key', SECRET);
      assert.equal(await page.isChecked('#alg-HS256'), true, "the allowlist follows the token's alg");
      await verifyAndWait();
      await page
        .locator('#verify-result.good [data-testid="verify-status"]')
        .filter({ hasText: 'signature verified' })
        .waitFor();
      for (const check of ['signature', 'exp', 'nbf', 'iat', 'aud'])
        assert.equal(await page.getAttribute(`#verify-result [data-check="${check}"]`, 'class'), 'pass', check);
      assert.equal(await page.getAttribute('#verify-result [data-check="iss"]', 'class'), 'skip');
      await page.fill('#key', 'a-different-secret-that-is-32-bytes-long');
      await verifyAndWait();
      assert.match((await page.textContent('[data-testid="verify-status"]')) ?? '', /Invalid signature/);
      // The visible error is the library's code and message exactly: no "undefined" after it (it once read
      // "signature verification failedundefined").
      assert.deepEqual(await message(), {
        code: 'ERR_JWS_SIGNATURE_INVALID',
        message: 'signature verification failed',
        line: 'ERR_JWS_SIGNATURE_INVALID: signature verification failed',
      });
      const parts = await page.$eval('#verify-result', (node) =>
        [...(node as any).querySelectorAll('*')].flatMap((n: any) =>
          [...n.childNodes].filter((c: any) => c.nodeType === 3).map((c: any) => c.textContent),
        ),
      );
      assert.ok(!parts.includes('undefined'), `a text node reads "undefined": ${JSON.stringify(parts)}`);
      await page.fill('#key', SECRET);
      await page.fill('#issuer', 'https://someone-else.example');
      await verifyAndWait();
      assert.deepEqual(await message('check-iss'), {
        code: 'ERR_JWT_ISSUER_INVALID',
        message: '"iss" claim check failed',
        line: 'ERR_JWT_ISSUER_INVALID: "iss" claim check failed',
      });
      assert.match((await page.textContent('[data-testid="verify-status"]')) ?? '', /Invalid claims/);
      await page.fill('#issuer', 'https://auth.example.com');
      await verifyAndWait();
      assert.equal(await page.getAttribute('#verify-result [data-check="iss"]', 'class'), 'pass');
      await page.fill('#issuer', '');
      // Verification ran in the page: no request at all, let alone one to /debugger/verify.
      assert.deepEqual(sent.slice(before), []);
    });

    await t.test('a base64url secret; the algorithms allowlist; exp with leeway; aud', async () => {
      const bytes = new Uint8Array(32).map((_, i) => (i * 37 + 11) % 256);
      const b64 = Buffer.from(bytes).toString('base64url');
      const expired = signJWT({ sub: 'u', aud: 'api://orders', exp: now - 30 }, Buffer.from(bytes), {
        issuedAt: false,
      });
      await page.fill('#token', expired);
      await page.fill('#key', b64);
      await verifyAndWait();
      assert.equal(
        (await message()).code,
        'ERR_JWS_SIGNATURE_INVALID',
        'the text of a base64url secret is not the secret',
      );
      await page.check('#key-b64');
      await page.fill('#audience', 'api://orders');
      await verifyAndWait();
      assert.equal(await page.getAttribute('#verify-result [data-check="signature"]', 'class'), 'pass');
      assert.equal((await message('check-exp')).code, 'ERR_JWT_EXPIRED');
      assert.equal(await page.getAttribute('#verify-result [data-check="aud"]', 'class'), 'pass');
      await page.fill('#leeway', '60');
      await verifyAndWait();
      await page.locator('#verify-result.good').waitFor();
      assert.equal(await page.getAttribute('#verify-result [data-check="exp"]', 'class'), 'pass');
      await page.fill('#audience', 'api://someone-else');
      await verifyAndWait();
      assert.equal((await message('check-aud')).code, 'ERR_JWT_AUDIENCE_INVALID');
      await page.fill('#audience', '');
      await page.fill('#leeway', '0');
      // Pinning another algorithm refuses the token whatever its header says.
      await page.uncheck('#alg-HS256');
      await page.check('#alg-RS256');
      await verifyAndWait();
      assert.equal((await message()).code, 'ERR_JWT_ALG_NOT_ALLOWED');
      await page.uncheck('#alg-RS256');
      await page.uncheck('#key-b64');
    });

    await t.test(
      'a JWE is decrypted in the page with the private key typed in; a wrong key gets the one decryption error',
      async () => {
        const recipient = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const privateJWK = recipient.privateKey.export({ format: 'jwk' });
        const jwe = encryptJWT({ sub: 'decrypted-in-page', exp: now + 600 }, recipient.publicKey, {
          alg: 'ECDH-ES+A256KW',
          enc: 'A256GCM',
          issuedAt: false,
        });
        const before = sent.length;
        await page.check('#key-source-pasted');
        await page.fill('#token', jwe);
        await page.fill('#key', JSON.stringify(privateJWK));
        const text = await verifyAndWait();
        assert.ok((await page.getAttribute('#verify-result', 'class'))?.includes('good'), text);
        assert.match(text, /^✓ Decrypted \(ECDH-ES\+A256KW \+ A256GCM\) with a private JWK/);
        assert.deepEqual(JSON.parse((await page.textContent('[data-testid="decrypted"]')) ?? ''), {
          sub: 'decrypted-in-page',
          exp: now + 600,
        });
        const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
        await page.fill('#key', JSON.stringify(other));
        await verifyAndWait();
        assert.equal((await message()).code, 'ERR_JWE_DECRYPTION_FAILED');
        assert.deepEqual(leaks(jwe, String(privateJWK.d), String(other.d)), []);
        assert.equal(sent.length, before, 'decrypting made no request');
      },
    );

    await t.test('keys typed into the page: SPKI, certificate, PKCS#8, JWK and JWK Set', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tessera-cert-'));
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:P-256',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=tessera-debugger-test',
            '-keyout',
            join(dir, 'key.pem'),
            '-out',
            join(dir, 'cert.pem'),
          ],
          { stdio: 'ignore' },
        );
        const pkcs8 = readFileSync(join(dir, 'key.pem'), 'utf8');
        const certificate = readFileSync(join(dir, 'cert.pem'), 'utf8');
        const privateKey = createPrivateKey(pkcs8);
        const spki = createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();
        const jwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), kid: 'ec-1' };
        const es = signJWT({ sub: 'ec-user', exp: now + 600 }, pkcs8, { algorithm: 'ES256', kid: 'ec-1' });
        await page.fill('#token', es);
        await page.uncheck('#alg-HS256');
        await page.check('#alg-ES256'); // the allowlist is the user's now: it no longer follows the token
        const other = createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey).export({
          format: 'jwk',
        });
        for (const [what, key, described] of [
          ['SPKI', spki, 'an SPKI public key'],
          ['certificate', certificate, 'the public key of an X.509 certificate'],
          ['PKCS#8', pkcs8, 'the public half of a PKCS#8 private key'],
          ['JWK', JSON.stringify(jwk), 'a JWK (kty EC, crv P-256, kid "ec-1")'],
          ['JWK Set', JSON.stringify({ keys: [{ ...other, kid: 'ec-0' }, jwk] }), 'a JWK Set of 2 keys'],
        ] as const) {
          await page.fill('#key', key);
          const text = await verifyAndWait();
          assert.ok((await page.getAttribute('#verify-result', 'class'))?.includes('good'), `${what}: ${text}`);
          assert.match(text, new RegExp(`with ${described.replace(/[()#]/g, '\\$&')}`), what);
        }
        // Algorithm confusion: an HMAC "secret" made of the public key is refused by the library's key rules.
        await page.check('#alg-HS256');
        // (made by hand: Tessera on Node refuses to sign it, as it should)
        const input = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}`;
        const confused = `${input}.${createHmac('sha256', spki).update(input).digest('base64url')}`;
        await page.fill('#token', confused);
        await page.fill('#key', spki);
        await verifyAndWait();
        assert.equal((await message()).code, 'ERR_KEY_INVALID');
        assert.deepEqual(leaks(pkcs8.split('\n')[1]!, spki.split('\n')[1]!, es, confused), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    let typedJWKS: string | undefined;
    await t.test(
      'a JWKS at an https URL the user types is fetched by the page (CORS), with no token in the request',
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'tessera-jwks-'));
        const { privateKey } = generateKeyPairSync('ed25519');
        const jwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), kid: 'ed-1', alg: 'EdDSA', use: 'sig' };
        const seen: Array<{ method: string; url: string; authorization?: string }> = [];
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:P-256',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=127.0.0.1',
            '-keyout',
            join(dir, 'key.pem'),
            '-out',
            join(dir, 'cert.pem'),
          ],
          { stdio: 'ignore' },
        );
        const jwksServer = createHttpsServer(
          { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
          (request, response) => {
            seen.push({
              method: request.method ?? '',
              url: request.url ?? '',
              authorization: request.headers.authorization,
            });
            response.writeHead(200, {
              'content-type': 'application/json',
              'access-control-allow-origin': '*',
              'cache-control': 'max-age=300',
            });
            response.end(JSON.stringify({ keys: [jwk] }));
          },
        );
        await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
        try {
          const { port: jwksPort } = jwksServer.address() as { port: number };
          typedJWKS = `https://127.0.0.1:${jwksPort}/keys.json`;
          const ed = signJWT({ sub: 'ed-user', exp: now + 600 }, privateKey, { algorithm: 'EdDSA', kid: 'ed-1' });
          await page.fill('#token', ed);
          await page.check('#alg-EdDSA');
          await page.check('#key-source-url');
          assert.equal(await page.isDisabled('#key'), true);
          await page.fill('#jwks-url', typedJWKS);
          const text = await verifyAndWait();
          assert.ok((await page.getAttribute('#verify-result', 'class'))?.includes('good'), text);
          assert.match(text, /with the JWK Set at https:\/\/127\.0\.0\.1:\d+\/keys\.json, fetched by this page/);
          assert.deepEqual(seen, [{ method: 'GET', url: '/keys.json', authorization: undefined }]);
          assert.deepEqual(leaks(ed), []);
          // Plain http is refused for any origin but this server's (the library's https rule).
          await page.fill('#jwks-url', `http://127.0.0.1:${jwksPort}/keys.json`);
          await verifyAndWait();
          assert.equal(await page.textContent('[data-testid="verify-error-code"]'), 'ERR_INVALID_ARGUMENT');
          assert.equal(seen.length, 1);
        } finally {
          await new Promise((resolve) => jwksServer.close(resolve));
          rmSync(dir, { recursive: true, force: true });
          await page.check('#key-source-pasted');
          await page.uncheck('#alg-EdDSA');
        }
      },
    );

    await t.test('encode and sign in the page: edit header and payload, secret or a generated key', async () => {
      const before = sent.length;
      const signSecret = 'the-page-signing-secret-for-HS384-is-48-bytes-long!';
      await page.fill('#sign-payload', JSON.stringify({ sub: 'signed-in-page', admin: true, exp: now + 300 }));
      await page.fill('#sign-header', JSON.stringify({ alg: 'HS384', typ: 'JWT', kid: 'k-7' }));
      assert.equal(await page.inputValue('#sign-alg'), 'HS384', 'the algorithm follows the header');
      await page.fill('#sign-key', signSecret);
      await page.locator('#sign-result.good').filter({ hasText: 'Signed with HS384' }).waitFor();
      const signed = await page.inputValue('#sign-token');
      const verified = verifyJWT(signed, signSecret, { algorithms: ['HS384'], complete: true }) as unknown as {
        header: Record<string, unknown>;
        payload: Record<string, unknown>;
      };
      assert.deepEqual(verified.header, { alg: 'HS384', typ: 'JWT', kid: 'k-7' });
      assert.deepEqual(verified.payload, { sub: 'signed-in-page', admin: true, exp: now + 300 });
      // A too-short secret: the library's own error, exactly.
      await page.fill('#sign-key', 'short');
      await page.locator('#sign-result.bad').waitFor();
      assert.equal(await page.textContent('[data-testid="sign-code"]'), 'ERR_KEY_INVALID');
      const web = await import('tessera-jwt/web');
      const expected = await web.signJWT({}, 'short', { algorithm: 'HS384' }).then(
        () => assert.fail('the web signJWT accepted a 5-byte HS384 secret'),
        (err: Error) => err.message,
      );
      assert.match(expected, /^HS384 needs a secret of at least 48 bytes/);
      assert.equal(await page.textContent('[data-testid="sign-message"]'), expected);
      assert.doesNotMatch((await page.textContent('#sign-result')) ?? '', /undefined/);
      // A generated ES256 key pair: sign, load into the debugger (with the public JWK), verify there.
      await page.selectOption('#sign-alg', 'ES256');
      assert.match(await page.inputValue('#sign-header'), /"alg": "ES256"/);
      await page.click('#sign-generate');
      await page.locator('#sign-result.good').filter({ hasText: 'Signed with ES256' }).waitFor();
      const privateJWK = JSON.parse(await page.inputValue('#sign-key'));
      assert.equal(privateJWK.crv, 'P-256');
      const esToken = await page.inputValue('#sign-token');
      const { d: _d, ...publicJWK } = privateJWK;
      assert.deepEqual(verifyJWT(esToken, publicJWK, { algorithms: ['ES256'] }), {
        sub: 'signed-in-page',
        admin: true,
        exp: now + 300,
      });
      await page.click('#sign-load');
      assert.equal(await page.inputValue('#token'), esToken);
      assert.equal(JSON.parse(await page.inputValue('#key')).d, undefined, 'the verifier gets the public JWK');
      await page.uncheck('#alg-HS256');
      await verifyAndWait();
      await page.locator('#verify-result.good').waitFor();
      assert.deepEqual(leaks(signSecret, esToken, signed, privateJWK.d), []);
      assert.deepEqual(sent.slice(before), [], 'signing made no request');
    });

    await t.test('a crafted header or payload is shown as text, never run as HTML', async () => {
      const xss = '<img src=x onerror="globalThis.__pwned=1">';
      const crafted = [
        Buffer.from(
          JSON.stringify({ alg: 'HS256', typ: xss, kid: `</td><script>globalThis.__pwned=2</script>` }),
        ).toString('base64url'),
        Buffer.from(JSON.stringify({ sub: xss, [xss]: xss, exp: xss })).toString('base64url'),
        'c2ln',
      ].join('.');
      await page.fill('#token', crafted);
      await page.locator('#payload-json').filter({ hasText: 'onerror' }).waitFor();
      await page.fill('#key', SECRET);
      await verifyAndWait();
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.locator('main script').count(), 0);
      assert.equal(await page.evaluate(() => (globalThis as any).__pwned), undefined);
      assert.equal(await page.textContent('#header-table [data-claim="typ"] td.value'), xss);
      assert.ok(!sent.some((r) => r.url.endsWith('/x')), 'the browser never tried to load the <img>');
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
      await page.waitForFunction(() => (globalThis as any).document.getElementById('issuer').value !== '');
      assert.equal(await page.inputValue('#issuer'), base);
      const beforeVerify = sent.length;
      const accessToken = await page.inputValue('#token');
      const verdict = await verifyAndWait(); // the key source switched to this server's JWKS, fetched by the page
      assert.ok((await page.getAttribute('#verify-result', 'class'))?.includes('good'), verdict);
      const fetched = sent.slice(beforeVerify);
      assert.deepEqual(
        fetched.map((r) => `${r.method} ${r.url}`),
        [`GET ${base}/.well-known/jwks.json`],
      );
      assert.deepEqual(leaks(accessToken), []);
      await page.click('#demo-revoke');
      await status('POST /revoke').filter({ hasText: '200' }).waitFor();
      await page.click('#demo-userinfo');
      await page.locator('#demo-log li.fail[data-step="GET /userinfo"]').nth(1).waitFor();
    });

    await t.test('a screenshot is saved, and the page talked to nobody else and logged no error', async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}debugger.png`, fullPage: true });
      assert.ok(existsSync(`${ARTIFACTS}debugger.png`));
      // Nobody else: the only other origin is the https JWKS that one test typed into the page.
      assert.deepEqual(foreign, typedJWKS ? [typedJWKS] : []);
      assert.deepEqual(
        sent.filter((r) => r.url.includes('/debugger/verify')),
        [],
        'the page never calls the server-side verifier',
      );
      // The page and the web build it runs keep the strict headers: same-origin scripts only, no framing.
      for (const path of ['/', '/js/app.js', '/lib/tessera-jwt/web/index.js']) {
        const response = await fetch(`${base}${path}`);
        assert.equal(response.status, 200, path);
        const csp = response.headers.get('content-security-policy') ?? '';
        for (const directive of [
          "default-src 'none'",
          "script-src 'self'",
          "frame-ancestors 'none'",
          "base-uri 'none'",
        ])
          assert.ok(csp.split('; ').includes(directive), `${path}: ${directive} in ${csp}`);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
        assert.equal(response.headers.get('x-frame-options'), 'DENY');
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
        if (path.endsWith('.js')) assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
      }
      // What /lib/tessera-jwt/web/ serves is the installed package's web build, byte for byte.
      const served = await (await fetch(`${base}/lib/tessera-jwt/web/index.js`)).text();
      const installed = readFileSync(fileURLToPath(import.meta.resolve('tessera-jwt/web')), 'utf8');
      assert.equal(served, installed);
      const html = await (await fetch(`${base}/`)).text();
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
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
