// The `tessera` command line, run as a user runs it: the built dist/cli/main.js in a fresh process with
// a fixed clock (TESSERA_NOW or --now), a clean environment, and stdout, stderr and the exit code
// asserted separately — for every command, --json, standard input and each error path. Processes are
// spawned concurrently (each describe block runs its tests at once) to keep the suite fast.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from './helpers/keygen.js';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeJWT, generateKeyPair, importKey, signJWT, verifyJWT, type JWK } from 'tessera-jwt';
import { assertInvalid, assertUsage, NOW, type RunOptions, runCLI, type TextRun } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/paths.js';

// ---------------------------------------------------------------------------------------------------
// Running the binary

const NOW_DATE = new Date(NOW);
const T0 = NOW_DATE.getTime() / 1000; // 1767225600

type Run = TextRun;

async function tessera(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const { code, stdout, stderr } = await runCLI(args, { cwd: dir, ...options });
  return { code, stdout, stderr };
}

// ---------------------------------------------------------------------------------------------------
// Fixtures: keys in a temporary directory, tokens signed with the fixed clock

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const SECRET = 'tessera-cli-test-secret-0123456789abcdef'; // 40 bytes: enough for HS256
const OTHER_SECRET = 'another-secret-that-is-long-enough-for-hs256';
const PASSPHRASE = 'correct horse battery staple';

let dir: string;
const es = generateKeyPair('ES256', { kid: 'es-1' });
const es2 = generateKeyPair('ES256', { kid: 'es-2' });
const encryptedEC = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const payload = { sub: '123', admin: true };
const TOKEN = signJWT(payload, SECRET, { currentDate: NOW_DATE, expiresIn: '15m' });
const EXPIRED = signJWT(payload, SECRET, { currentDate: new Date((T0 - 4 * 3600) * 1000), expiresIn: '15m' }); // expired 3 h 45 min ago
const NOT_YET = signJWT(payload, SECRET, { currentDate: NOW_DATE, notBefore: '10m', expiresIn: '1h' });
const ES_TOKEN = signJWT({ sub: 'user-1' }, es.privateKey, { currentDate: NOW_DATE, expiresIn: '15m' });
const AUD_TOKEN = signJWT({ sub: 'user-1' }, SECRET, {
  currentDate: NOW_DATE,
  expiresIn: '15m',
  audience: 'https://api.example.com',
  issuer: 'https://auth.example.com',
});
const OLD_TOKEN = signJWT({ sub: 'user-1' }, SECRET, { currentDate: new Date((T0 - 7200) * 1000), expiresIn: '1d' });
const NO_EXP = signJWT({ sub: 'forever' }, SECRET, { currentDate: NOW_DATE });
const LONG = signJWT({ sub: 'long' }, SECRET, { currentDate: NOW_DATE, expiresIn: '30d' });
const DANGEROUS_HEADER = signJWT({ sub: 'x' }, SECRET, {
  currentDate: NOW_DATE,
  expiresIn: '5m',
  header: {
    jku: 'https://attacker.example/jwks.json',
    x5u: 'https://attacker.example/cert.pem',
    jwk: es.publicKey.toJWK(),
    x5c: ['MIIB'],
  },
});
const UNSECURED = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'admin', exp: T0 + 60 })}.`;
const JWE = `${b64({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-1', jku: 'https://attacker.example/k' })}.ZW5jcnlwdGVkLWtleQ.aXZpdml2aXZpdml2.Y2lwaGVydGV4dA.dGFndGFndGFndGFn`;
const HOSTILE = signJWT({ sub: 'x', note: 'red\u001b[31m csi\u009b2J rlo\u202eevil' }, SECRET, {
  currentDate: NOW_DATE,
  expiresIn: '5m',
});

let jwksServer: Server;
let jwksURL = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  const write = (name: string, data: string, mode = 0o644) => writeFileSync(join(dir, name), data, { mode });
  write('secret.txt', SECRET, 0o600);
  write('other-secret.txt', OTHER_SECRET, 0o600);
  write('short-secret.txt', 'too-short', 0o600);
  write('es.private.json', JSON.stringify(es.privateKey.toJWK({ private: true })), 0o600);
  write('es.public.json', JSON.stringify(es.publicKey.toJWK()));
  write('es.public.pem', es.publicKey.toPEM());
  write('es.private.pem', es.privateKey.toPEM({ private: true }), 0o600);
  write('es2.public.json', JSON.stringify(es2.publicKey.toJWK()));
  write('jwks.json', JSON.stringify({ keys: [es.publicKey.toJWK(), es2.publicKey.toJWK()] }));
  write('encrypted.pem', encryptedEC.privateKey, 0o600);
  write('passphrase.txt', PASSPHRASE, 0o600);
  write('claims.json', JSON.stringify({ sub: 'from-file', scope: 'read write' }));
  write('not-json.txt', 'hello');
  jwksServer = createServer((req, res) => {
    if (req.url === '/jwks.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [es.publicKey.toJWK()] }));
    } else {
      res.statusCode = 500;
      res.end('down');
    }
  });
  await new Promise<void>((ok) => jwksServer.listen(0, '127.0.0.1', ok));
  jwksURL = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
});

after(() => {
  jwksServer.closeAllConnections();
  jwksServer.close();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string) => join(dir, name);
const parseJSON = (r: Run) => JSON.parse(r.stdout) as Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------

describe('tessera (top level)', { concurrency: true }, () => {
  test('--help lists every command, the key sources and the exit codes on stdout', async () => {
    const r = await tessera(['--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    for (const word of [
      'decode',
      'verify',
      'encode',
      'keygen',
      'jwks',
      'thumbprint',
      'env:NAME',
      '@FILE',
      'b64:DATA',
      'Exit codes',
      'NO_COLOR',
      'TESSERA_NOW',
      'Examples',
    ]) {
      assert.ok(r.stdout.includes(word), word);
    }
    assert.equal((await tessera(['-h'])).stdout, r.stdout);
    assert.equal((await tessera(['help'])).stdout, r.stdout);
  });

  test('no arguments prints the help on stderr and exits 2', async () => {
    const r = await tessera([]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^tessera — JSON Web Tokens on the command line/);
  });

  test('--version prints the package version', async () => {
    const r = await tessera(['--version']);
    const pkg = JSON.parse(readFileSync(resolve(REPO_ROOT, 'packages/tessera/package.json'), 'utf8')) as {
      version: string;
    };
    assert.deepEqual(r, { code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  test('an unknown command names the closest one', async () => {
    assertUsage(await tessera(['dekode', TOKEN]), 'unknown command "dekode"; did you mean "decode"?');
    assertUsage(await tessera(['thumbprnt']), 'unknown command "thumbprnt"; did you mean "thumbprint"?');
    assertUsage(await tessera(['frobnicate']), 'unknown command "frobnicate"');
  });

  test('an unknown command that looks like a token is not echoed', async () => {
    const r = await tessera([TOKEN]);
    assertUsage(r, 'unknown command');
    assert.ok(!r.stderr.includes(TOKEN));
  });

  test('a flag before the command is a usage error', async () => {
    assertUsage(
      await tessera(['--json', 'decode', TOKEN]),
      '--json is not a command; the command comes first (tessera <command> --json)',
    );
  });

  for (const command of ['decode', 'verify', 'encode', 'keygen', 'jwks', 'thumbprint']) {
    test(`${command} --help shows usage, flags and examples on stdout`, async () => {
      const r = await tessera([command, '--help']);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, new RegExp(`^tessera ${command} — `));
      for (const section of ['Usage', 'Exit codes', 'Examples'])
        assert.ok(r.stdout.includes(`\n${section}\n`), `${command}: ${section}`);
      assert.equal((await tessera(command === 'verify' ? [command, '-h'] : ['help', command])).stdout, r.stdout);
    });
  }
});

describe('argument errors', { concurrency: true }, () => {
  test('an unknown flag names the closest valid flag', async () => {
    assertUsage(await tessera(['decode', '--jsno', TOKEN]), 'unknown flag --jsno; did you mean --json?', 'decode');
    assertUsage(
      await tessera(['verify', TOKEN, '--ke', '@secret.txt']),
      'unknown flag --ke; did you mean --key?',
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, '--audience', 'x']),
      'unknown flag --audience; did you mean --aud?',
      'verify',
    );
    assertUsage(await tessera(['encode', '--expires', '15m']), 'unknown flag --expires; did you mean --exp?', 'encode');
    assertUsage(
      await tessera(['keygen', 'ES256', '--fromat', 'pem']),
      'unknown flag --fromat; did you mean --format?',
      'keygen',
    );
    assertUsage(await tessera(['decode', '--zzzzzz', TOKEN]), 'unknown flag --zzzzzz', 'decode');
    assertUsage(await tessera(['decode', '-x', TOKEN]), 'unknown flag -x', 'decode');
    assertUsage(await tessera(['decode', '--\u001b[2J', TOKEN]), 'unknown flag', 'decode');
  });

  test('a flag that needs a value says so instead of taking the next flag', async () => {
    assertUsage(
      await tessera(['verify', TOKEN, '--key']),
      '--key needs a value (write --key=VALUE if the value starts with "-")',
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, '--key', '--json']),
      '--key needs a value (write --key=VALUE if the value starts with "-")',
      'verify',
    );
  });

  test('a boolean flag with a value, a repeated flag and extra arguments are refused', async () => {
    assertUsage(await tessera(['decode', '--json=yes', TOKEN]), '--json takes no value', 'decode');
    assertUsage(await tessera(['verify', TOKEN, '--key', '@a', '--key', '@b']), '--key is given twice', 'verify');
    const extra = await tessera(['decode', TOKEN, 'super-secret-value']);
    assertUsage(extra, 'too many arguments: decode takes at most 1 (got 2)', 'decode');
    assert.ok(
      !extra.stderr.includes('super-secret-value') && !extra.stderr.includes(TOKEN),
      'arguments are never echoed',
    );
    assertUsage(await tessera(['keygen']), 'missing argument', 'keygen');
  });

  test('--now and TESSERA_NOW must be dates', async () => {
    assertUsage(
      await tessera(['decode', TOKEN, '--now', 'yesterday']),
      '--now must be an ISO 8601 date (2026-01-01T00:00:00Z) or NumericDate seconds',
      'decode',
    );
    assertUsage(
      await tessera(['decode', TOKEN], { env: { TESSERA_NOW: 'soon' } }),
      'TESSERA_NOW must be an ISO 8601 date (2026-01-01T00:00:00Z) or NumericDate seconds',
      'decode',
    );
  });
});

// ---------------------------------------------------------------------------------------------------

describe('tessera decode', { concurrency: true }, () => {
  const expected = `Header
{
  "alg": "HS256",
  "typ": "JWT"
}

Payload
{
  "sub": "123",
  "admin": true,
  "iat": 1767225600,
  "exp": 1767226500
}

Times
  iat  2026-01-01T00:00:00Z  issued just now
  exp  2026-01-01T00:15:00Z  expires in 15 minutes

Signature: 32 bytes, NOT verified (tessera verify checks it)
`;

  test('prints header, payload, dates and the signature size, uncoloured in a pipe', async () => {
    assert.deepEqual(await tessera(['decode', TOKEN]), { code: 0, stdout: expected, stderr: '' });
  });

  test('reads the token from standard input with "-" or when it is piped, ignoring whitespace and "Bearer "', async () => {
    assert.deepEqual(await tessera(['decode', '-'], { input: `${TOKEN}\n` }), {
      code: 0,
      stdout: expected,
      stderr: '',
    });
    assert.deepEqual(await tessera(['decode'], { input: `  Bearer ${TOKEN}\r\n` }), {
      code: 0,
      stdout: expected,
      stderr: '',
    });
    assert.deepEqual(await tessera(['decode', `Bearer ${TOKEN}`]), { code: 0, stdout: expected, stderr: '' });
  });

  test('shows relative times: "expires in 14 minutes", "expired 3 hours ago", "not valid for another …"', async () => {
    const later = await tessera(['decode', TOKEN, '--now', '2026-01-01T00:00:59Z']);
    assert.ok(
      later.stdout.includes(
        '  iat  2026-01-01T00:00:00Z  issued 59 seconds ago\n  exp  2026-01-01T00:15:00Z  expires in 14 minutes\n',
      ),
      later.stdout,
    );
    const expired = await tessera(['decode', EXPIRED]);
    assert.ok(
      expired.stdout.includes(
        '  iat  2025-12-31T20:00:00Z  issued 4 hours ago\n  exp  2025-12-31T20:15:00Z  expired 3 hours ago\n',
      ),
      expired.stdout,
    );
    assert.equal(expired.code, 0, 'decode does not judge');
    const early = await tessera(['decode', NOT_YET]);
    assert.ok(early.stdout.includes('  nbf  2026-01-01T00:10:00Z  not valid for another 10 minutes\n'), early.stdout);
    const numeric = await tessera(['decode', TOKEN, '--now', String(T0 + 3 * 86400)]);
    assert.ok(numeric.stdout.includes('expired 2 days ago'), numeric.stdout);
  });

  test('--now wins over TESSERA_NOW', async () => {
    const r = await tessera(['decode', TOKEN, '--now', '2026-01-01T00:15:00Z'], {
      env: { TESSERA_NOW: '2020-01-01T00:00:00Z' },
    });
    assert.ok(r.stdout.includes('expires now'), r.stdout);
  });

  test('--json gives type, header, payload, signature, times and warnings', async () => {
    const r = await tessera(['decode', TOKEN, '--json']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.deepEqual(parseJSON(r), {
      type: 'JWS',
      verified: false,
      header: { alg: 'HS256', typ: 'JWT' },
      payload: { sub: '123', admin: true, iat: T0, exp: T0 + 900 },
      signature: TOKEN.split('.')[2],
      times: {
        iat: { value: T0, date: '2026-01-01T00:00:00Z', relative: 'issued just now', inSeconds: 0 },
        exp: { value: T0 + 900, date: '2026-01-01T00:15:00Z', relative: 'expires in 15 minutes', inSeconds: 900 },
      },
      warnings: [],
    });
    const piped = await tessera(['decode', '--json'], { input: TOKEN });
    assert.equal(piped.stdout, r.stdout);
  });

  test('warns about "alg": "none"', async () => {
    const r = await tessera(['decode', UNSECURED]);
    assert.equal(r.code, 0);
    assert.ok(
      r.stdout.includes('Warnings\n  ! "alg" is "none": the token is not signed, and no verifier should accept it\n'),
      r.stdout,
    );
    assert.ok(r.stdout.endsWith('Signature: none\n'));
    const json = parseJSON(await tessera(['decode', UNSECURED, '--json']));
    assert.deepEqual(
      (json.warnings as Array<{ code: string }>).map((w) => w.code),
      ['alg_none'],
    );
  });

  test('warns about a missing "exp" and a very long lifetime', async () => {
    const none = await tessera(['decode', NO_EXP]);
    assert.ok(none.stdout.includes('  ! no "exp" claim: the token never expires\n'), none.stdout);
    const long = await tessera(['decode', LONG]);
    assert.ok(
      long.stdout.includes(
        '  ! very long lifetime: 30 days from "iat" to "exp" (more than 24 hours); a stolen token stays useful that long\n',
      ),
      long.stdout,
    );
    const json = parseJSON(await tessera(['decode', LONG, '--json']));
    assert.deepEqual(
      (json.warnings as Array<{ code: string }>).map((w) => w.code),
      ['long_lifetime'],
    );
  });

  test('warns about keys or key URLs in the header (jku, x5u, jwk, x5c)', async () => {
    const json = parseJSON(await tessera(['decode', DANGEROUS_HEADER, '--json']));
    assert.deepEqual(
      (json.warnings as Array<{ code: string }>).map((w) => w.code),
      ['header_jku', 'header_x5u', 'header_jwk', 'header_x5c'],
    );
    const text = await tessera(['decode', DANGEROUS_HEADER]);
    assert.ok(
      text.stdout.includes(
        '  ! the header has "jku" (a URL to fetch keys from): a verifier must never fetch or trust keys the token points to\n',
      ),
    );
    assert.ok(
      text.stdout.includes(
        '  ! the header has "jwk" (an embedded key): a verifier must never trust a key the token brings\n',
      ),
    );
  });

  test('shows the protected header of a JWE and says the payload stays encrypted', async () => {
    const r = await tessera(['decode', JWE]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      `Protected header (JWE)
{
  "alg": "RSA-OAEP-256",
  "enc": "A256GCM",
  "kid": "enc-1",
  "jku": "https://attacker.example/k"
}

The payload is encrypted; decode does not decrypt it.

Warnings
  ! the header has "jku" (a URL to fetch keys from): a verifier must never fetch or trust keys the token points to
`,
    );
    const json = parseJSON(await tessera(['decode', '--json', JWE]));
    assert.equal(json.type, 'JWE');
    assert.deepEqual(json.header, {
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: 'enc-1',
      jku: 'https://attacker.example/k',
    });
    assert.equal(json.payload, undefined);
  });

  test('escapes control characters, C1 controls and bidi overrides from the token', async () => {
    const r = await tessera(['decode', HOSTILE]);
    assert.equal(r.code, 0);
    assert.ok(r.stdout.includes('"note": "red\\u001b[31m csi\\u009b2J rlo\\u202eevil"'), r.stdout);
    assert.ok(!/[\u001b\u009b\u202e]/.test(r.stdout));
    const json = await tessera(['decode', HOSTILE, '--json']);
    assert.ok(!/[\u001b\u009b\u202e]/.test(json.stdout));
    assert.equal(
      (parseJSON(json).payload as { note: string }).note,
      'red\u001b[31m csi\u009b2J rlo\u202eevil',
      'still the same JSON value',
    );
  });

  test('a malformed token exits 1 with the reason and code, never echoing the token', async () => {
    const bad = `${TOKEN.split('.')[0]}.not*base64.sig`;
    const r = await tessera(['decode', bad]);
    assertInvalid(r, 'ERR_JWT_MALFORMED');
    assert.equal(r.stderr, 'error: not a well-formed token: payload is not canonical base64url (ERR_JWT_MALFORMED)\n');
    assertInvalid(await tessera(['decode', 'abc.def']), 'ERR_JWT_MALFORMED');
    const json = await tessera(['decode', bad, '--json']);
    assert.equal(json.code, 1);
    assert.equal(json.stderr, '');
    assert.deepEqual(parseJSON(json), {
      error: { code: 'ERR_JWT_MALFORMED', name: 'DecodeError', message: 'payload is not canonical base64url' },
    });
  });

  test('no token at all, or an empty one, is a usage error', async () => {
    assertUsage(await tessera(['decode'], { input: '\n' }), 'standard input holds no token', 'decode');
    assertUsage(await tessera(['decode', '']), 'the TOKEN argument is empty', 'decode');
  });
});

// ---------------------------------------------------------------------------------------------------

describe('tessera verify', { concurrency: true }, () => {
  test('a valid token: exit 0, "Valid" and the claims on stdout, nothing on stderr', async () => {
    const r = await tessera(['verify', TOKEN, '--key', '@secret.txt', '--alg', 'HS256']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(
      r.stdout.startsWith('Valid: the HS256 signature and the claims check out as of 2026-01-01T00:00:00Z\n\nHeader\n'),
      r.stdout,
    );
    assert.ok(r.stdout.includes('  exp  2026-01-01T00:15:00Z  expires in 15 minutes\n'));
  });

  test('keys come from @file, env:NAME, b64:, standard input and JWKs that name their alg', async () => {
    const ok = (r: Run) => {
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.startsWith('Valid: '));
    };
    const env = await tessera(['verify', TOKEN, '--key', 'env:JWT_SECRET', '--alg', 'HS256'], {
      env: { JWT_SECRET: SECRET },
    });
    ok(env);
    assert.equal(env.stderr, '');
    const stdin = await tessera(['verify', TOKEN, '--key', '-', '--alg', 'HS256'], { input: `${SECRET}\n` });
    ok(stdin);
    assert.equal(stdin.stderr, '');
    const tokenFromStdin = await tessera(['verify', '--key', '@secret.txt', '--alg', 'HS256'], { input: TOKEN });
    ok(tokenFromStdin);
    const jwk = await tessera(['verify', ES_TOKEN, '--key', '@es.public.json']);
    ok(jwk);
    assert.ok(jwk.stdout.startsWith('Valid: the ES256 signature, kid "es-1" and the claims check out'), jwk.stdout);
    ok(await tessera(['verify', ES_TOKEN, '--key', '@es.public.pem', '--alg', 'ES256']));
    ok(await tessera(['verify', ES_TOKEN, '--key', '@es.private.pem', '--alg', 'ES256']));
  });

  test('a b64: or literal secret works, with a warning that never repeats it', async () => {
    const b = await tessera([
      'verify',
      TOKEN,
      '--key',
      `b64:${Buffer.from(SECRET).toString('base64')}`,
      '--alg',
      'HS256',
    ]);
    assert.equal(b.code, 0);
    assert.equal(
      b.stderr,
      'warning: --key is a b64: value on the command line, where shell history and the process list keep it; use --key @FILE, --key env:NAME or --key - (standard input) instead\n',
    );
    const literal = await tessera(['verify', TOKEN, '--key', SECRET, '--alg', 'HS256']);
    assert.equal(literal.code, 0);
    assert.equal(
      literal.stderr,
      'warning: --key is a literal value on the command line, where shell history and the process list keep it; use --key @FILE, --key env:NAME or --key - (standard input) instead\n',
    );
    assert.ok(!literal.stderr.includes(SECRET) && !literal.stdout.includes(SECRET));
  });

  test('a literal secret that names a file hints at @', async () => {
    const r = await tessera(['verify', TOKEN, '--key', 'secret.txt', '--alg', 'HS256']);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes('warning: a file by that name exists: to read it, prefix the path with @\n'), r.stderr);
  });

  test('a literal public key (JWK) is not a secret and gets no warning', async () => {
    const r = await tessera(['verify', ES_TOKEN, '--key', JSON.stringify(es.publicKey.toJWK())]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  test('an encrypted PKCS#8 key needs --passphrase', async () => {
    const token = signJWT(
      { sub: 'enc' },
      { key: encryptedEC.privateKey, passphrase: PASSPHRASE },
      { currentDate: NOW_DATE, expiresIn: '5m' },
    );
    const ok = await tessera(
      ['verify', token, '--key', '@encrypted.pem', '--alg', 'ES256', '--passphrase', 'env:PASS'],
      { env: { PASS: PASSPHRASE } },
    );
    assert.equal(ok.code, 0, ok.stderr);
    assertUsage(
      await tessera(['verify', token, '--key', '@encrypted.pem', '--alg', 'ES256']),
      '--key @encrypted.pem is an encrypted private key: pass --passphrase @FILE, --passphrase env:NAME or --passphrase -',
      'verify',
    );
    const wrong = await tessera([
      'verify',
      token,
      '--key',
      '@encrypted.pem',
      '--alg',
      'ES256',
      '--passphrase',
      '@secret.txt',
    ]);
    assertUsage(wrong, /^error: --key @encrypted\.pem: could not import/, 'verify');
    assertUsage(
      await tessera(['verify', TOKEN, '--key', '@secret.txt', '--alg', 'HS256', '--passphrase', '@passphrase.txt']),
      /^error: --passphrase is only for an encrypted private key/,
      'verify',
    );
  });

  test('--jwks @file picks the key by kid; an unknown kid exits 1 with ERR_JWKS_NO_MATCHING_KEY', async () => {
    const ok = await tessera(['verify', ES_TOKEN, '--jwks', '@jwks.json']);
    assert.equal(ok.code, 0, ok.stderr);
    const other = signJWT({ sub: 'x' }, generateKeyPair('ES256', { kid: 'es-9' }).privateKey, {
      currentDate: NOW_DATE,
      expiresIn: '5m',
    });
    assertInvalid(
      await tessera(['verify', other, '--jwks', '@jwks.json']),
      'ERR_JWKS_NO_MATCHING_KEY',
      'no key in --jwks has kid "es-9" for "ES256"',
    );
    assertUsage(
      await tessera(['verify', ES_TOKEN, '--jwks', '@es.public.json']),
      '--jwks @es.public.json: not a JWK Set (no "keys" array); for a single JWK use --key',
      'verify',
    );
    const json = await tessera(['verify', ES_TOKEN, '--key', '@jwks.json']);
    assert.equal(json.code, 0, 'a JWK Set also works as --key');
  });

  test('--jwks URL: https only unless --allow-http; fetched with createRemoteJWKSet', async () => {
    assertUsage(
      await tessera(['verify', ES_TOKEN, '--jwks', `${jwksURL}/jwks.json`, '--alg', 'ES256']),
      '--jwks must be an https:// URL; add --allow-http for a local http:// endpoint (keys over plain HTTP can be swapped in transit)',
      'verify',
    );
    const ok = await tessera(['verify', ES_TOKEN, '--jwks', `${jwksURL}/jwks.json`, '--alg', 'ES256', '--allow-http']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(ok.stdout.startsWith('Valid: the ES256 signature, kid "es-1"'));
    const down = await tessera(['verify', ES_TOKEN, '--jwks', `${jwksURL}/down`, '--alg', 'ES256', '--allow-http']);
    assertInvalid(
      down,
      'ERR_JWKS_FETCH_FAILED',
      'the --jwks URL could not be fetched; check the URL, or save the set to a file and pass --jwks @FILE',
    );
    assert.ok(down.stderr.startsWith('error: verification failed: '));
    assertUsage(
      await tessera(['verify', ES_TOKEN, '--jwks', `${jwksURL}/jwks.json`, '--allow-http']),
      '--alg is required with a remote --jwks: name the algorithms you accept, e.g. --alg RS256',
      'verify',
    );
    assertUsage(
      await tessera(['verify', ES_TOKEN, '--key', '@es.public.json', '--allow-http']),
      '--allow-http only applies to an http:// --jwks URL',
      'verify',
    );
  });

  test('an expired token exits 1 with ERR_JWT_EXPIRED and a hint naming --leeway and --now', async () => {
    const r = await tessera(['verify', EXPIRED, '--key', '@secret.txt', '--alg', 'HS256']);
    assert.deepEqual(r, {
      code: 1,
      stdout: '',
      stderr:
        'error: invalid token: "exp" claim timestamp check failed: the token has expired (ERR_JWT_EXPIRED)\n' +
        'hint: it expired 3 hours ago, at 2025-12-31T20:15:00Z, checked at 2026-01-01T00:00:00Z; --leeway tolerates clock skew, --now sets the clock\n',
    });
    assert.equal(
      (await tessera(['verify', EXPIRED, '--key', '@secret.txt', '--alg', 'HS256', '--leeway', '4h'])).code,
      0,
    );
    assert.equal(
      (await tessera(['verify', EXPIRED, '--key', '@secret.txt', '--alg', 'HS256', '--now', '2025-12-31T20:05:00Z']))
        .code,
      0,
    );
  });

  test('--json: {"valid": true, …} or {"valid": false, error, hint} on stdout, nothing on stderr', async () => {
    const ok = await tessera(['verify', TOKEN, '--key', '@secret.txt', '--alg', 'HS256', '--json']);
    assert.equal(ok.code, 0);
    assert.equal(ok.stderr, '');
    const valid = parseJSON(ok);
    assert.equal(valid.valid, true);
    assert.deepEqual(valid.payload, { sub: '123', admin: true, iat: T0, exp: T0 + 900 });
    assert.deepEqual(valid.header, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(valid.warnings, []);
    const bad = await tessera(['verify', EXPIRED, '--key', '@secret.txt', '--alg', 'HS256', '--json']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, '');
    assert.deepEqual(parseJSON(bad), {
      valid: false,
      error: {
        code: 'ERR_JWT_EXPIRED',
        name: 'ExpiredSignatureError',
        message: '"exp" claim timestamp check failed: the token has expired',
        claim: 'exp',
        expiredAt: '2025-12-31T20:15:00Z',
      },
      hint: 'it expired 3 hours ago, at 2025-12-31T20:15:00Z, checked at 2026-01-01T00:00:00Z; --leeway tolerates clock skew, --now sets the clock',
    });
  });

  test('--quiet prints nothing; only the exit code tells', async () => {
    assert.deepEqual(await tessera(['verify', TOKEN, '--key', '@secret.txt', '--alg', 'HS256', '-q']), {
      code: 0,
      stdout: '',
      stderr: '',
    });
    assert.deepEqual(await tessera(['verify', EXPIRED, '--key', '@secret.txt', '--alg', 'HS256', '--quiet']), {
      code: 1,
      stdout: '',
      stderr: '',
    });
    assertUsage(
      await tessera(['verify', TOKEN, '--key', '@secret.txt', '--alg', 'HS256', '-q', '--json']),
      '--json and --quiet cannot be combined',
      'verify',
    );
  });

  test('a token that is not yet valid exits 1 with ERR_JWT_NOT_YET_VALID', async () => {
    assertInvalid(
      await tessera(['verify', NOT_YET, '--key', '@secret.txt', '--alg', 'HS256']),
      'ERR_JWT_NOT_YET_VALID',
      'it is not valid until 2026-01-01T00:10:00Z, 10 minutes from 2026-01-01T00:00:00Z; --leeway tolerates clock skew, --now sets the clock',
    );
    assertInvalid(
      await tessera(['verify', TOKEN, '--key', '@secret.txt', '--alg', 'HS256', '--now', '2025-12-31T23:00:00Z']),
      'ERR_JWT_NOT_YET_VALID',
      'it was issued 60 minutes in the future, at 2026-01-01T00:00:00Z; --leeway tolerates clock skew',
    );
  });

  test('a wrong key exits 1 with ERR_JWS_SIGNATURE_INVALID, and neither the token nor the secret is printed', async () => {
    const r = await tessera(['verify', TOKEN, '--key', '@other-secret.txt', '--alg', 'HS256']);
    assertInvalid(
      r,
      'ERR_JWS_SIGNATURE_INVALID',
      'the signature does not match the key given with --key: the token was signed with another key, or altered',
    );
    for (const secretish of [TOKEN, OTHER_SECRET, SECRET, TOKEN.split('.')[2]!])
      assert.ok(!r.stderr.includes(secretish));
  });

  test('an algorithm outside --alg exits 1 with ERR_JWT_ALG_NOT_ALLOWED', async () => {
    assertInvalid(
      await tessera(['verify', TOKEN, '--key', '@es.public.pem', '--alg', 'ES256']),
      'ERR_JWT_ALG_NOT_ALLOWED',
      'the token is signed with "HS256"; --alg allows ES256',
    );
    assertInvalid(
      await tessera(['verify', TOKEN, '--key', '@es.public.json']),
      'ERR_JWT_ALG_NOT_ALLOWED',
      'the token is signed with "HS256"; --alg allows ES256',
    );
  });

  test('a key that does not fit the algorithm exits 1 with ERR_KEY_INVALID', async () => {
    assertInvalid(
      await tessera(['verify', TOKEN, '--key', '@es.public.pem', '--alg', 'HS256']),
      'ERR_KEY_INVALID',
      'the key given with --key cannot verify this "HS256" token',
    );
    const weak = signJWT(payload, 'too-short', { currentDate: NOW_DATE, expiresIn: '5m', allowWeakKeys: true });
    const r = await tessera(['verify', weak, '--key', '@short-secret.txt', '--alg', 'HS256']);
    assertInvalid(
      r,
      'ERR_KEY_INVALID',
      'the key given with --key is too weak for "HS256"; --allow-weak-keys accepts it (for tests only)',
    );
    assert.ok(r.stderr.includes('or pass --allow-weak-keys (ERR_KEY_INVALID)'), r.stderr);
    assert.equal(
      (await tessera(['verify', weak, '--key', '@short-secret.txt', '--alg', 'HS256', '--allow-weak-keys'])).code,
      0,
    );
  });

  test('audience, issuer, subject, required claims, typ and maximum age, each with the flag that fixes it', async () => {
    const key = ['--key', '@secret.txt', '--alg', 'HS256'];
    assertInvalid(
      await tessera(['verify', AUD_TOKEN, ...key]),
      'ERR_JWT_AUDIENCE_INVALID',
      'the token is for the audience "https://api.example.com"; name the audience you accept with --aud',
    );
    assertInvalid(
      await tessera(['verify', AUD_TOKEN, ...key, '--aud', 'other']),
      'ERR_JWT_AUDIENCE_INVALID',
      'the token is for the audience "https://api.example.com"; --aud accepts "other"',
    );
    assert.equal(
      (await tessera(['verify', AUD_TOKEN, ...key, '--aud', 'other', '--aud', 'https://api.example.com'])).code,
      0,
    );
    assertInvalid(
      await tessera(['verify', AUD_TOKEN, ...key, '--aud', 'https://api.example.com', '--iss', 'https://evil.example']),
      'ERR_JWT_ISSUER_INVALID',
      'the token\'s issuer is "https://auth.example.com"; --iss accepts "https://evil.example"',
    );
    assert.equal(
      (
        await tessera([
          'verify',
          AUD_TOKEN,
          ...key,
          '--aud',
          'https://api.example.com',
          '--iss',
          'https://auth.example.com',
        ])
      ).code,
      0,
    );
    assertInvalid(
      await tessera(['verify', TOKEN, ...key, '--aud', 'api']),
      'ERR_JWT_CLAIM_MISSING',
      '--aud expects an "aud" claim, and the token has none',
    );
    assertInvalid(
      await tessera(['verify', TOKEN, ...key, '--iss', 'x']),
      'ERR_JWT_CLAIM_MISSING',
      '--iss expects an "iss" claim, and the token has none',
    );
    assertInvalid(
      await tessera(['verify', TOKEN, ...key, '--sub', '456']),
      'ERR_JWT_SUBJECT_INVALID',
      'the token\'s subject is "123"; --sub expects "456"',
    );
    assertInvalid(
      await tessera(['verify', TOKEN, ...key, '--require', 'jti,sub']),
      'ERR_JWT_CLAIM_MISSING',
      '--require lists "jti", and the token has no such claim',
    );
    assertInvalid(
      await tessera(['verify', TOKEN, ...key, '--typ', 'at+jwt']),
      'ERR_JWT_CLAIM_INVALID',
      'the token\'s "typ" is "JWT"; --typ expects another',
    );
    assertInvalid(
      await tessera(['verify', OLD_TOKEN, ...key, '--max-age', '1h']),
      'ERR_JWT_CLAIM_INVALID',
      'it was issued 2 hours ago, at 2025-12-31T22:00:00Z; --max-age sets the limit',
    );
    assert.equal((await tessera(['verify', OLD_TOKEN, ...key, '--max-age', '3h'])).code, 0);
  });

  test('a malformed token exits 1 with ERR_JWT_MALFORMED', async () => {
    assertInvalid(await tessera(['verify', 'a.b', '--key', '@secret.txt', '--alg', 'HS256']), 'ERR_JWT_MALFORMED');
  });

  test('usage errors: --alg none, unknown --alg, missing --alg, missing or conflicting keys, bad durations', async () => {
    const k = ['--key', '@secret.txt'];
    assertUsage(
      await tessera(['verify', TOKEN, ...k, '--alg', 'none']),
      '--alg none is never accepted (an unsigned token proves nothing; tessera decode shows it)',
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, ...k, '--alg', 'hs256']),
      /^error: --alg: unknown algorithm "hs256"; did you mean HS256\? \(supported: HS256, /,
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, ...k]),
      '--alg is required: the key given with --key does not name its algorithm; name the ones you accept, e.g. --alg ES256',
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, '--alg', 'HS256']),
      '--key is required: --key @FILE, --key env:NAME or --key - (standard input)',
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, ...k, '--jwks', '@jwks.json']),
      '--key and --jwks cannot be combined; give one',
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, '--key', '@missing.pem', '--alg', 'HS256']),
      '--key: cannot read missing.pem: no such file',
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, '--key', 'env:NOPE', '--alg', 'HS256']),
      '--key: environment variable NOPE is not set',
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, '--key', 'b64:***', '--alg', 'HS256']),
      '--key: the b64: value is not base64 or base64url',
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, ...k, '--alg', 'HS256', '--leeway', 'soon']),
      '--leeway must be a non-negative number of seconds or a duration such as 30s, 15m, 2h or 7d',
      'verify',
    );
    assertUsage(
      await tessera(['verify', '-', '--key', '-', '--alg', 'HS256'], { input: TOKEN }),
      '--key and TOKEN cannot both come from standard input ("-")',
      'verify',
    );
    assertUsage(
      await tessera(['verify', TOKEN, '--key', '@not-json.txt', '--jwks', '@x']),
      '--key and --jwks cannot be combined; give one',
      'verify',
    );
  });
});

// ---------------------------------------------------------------------------------------------------

describe('tessera encode', { concurrency: true }, () => {
  test('signs claims with --claim and --exp: the same token as signJWT with the fixed clock', async () => {
    const r = await tessera([
      'encode',
      '--key',
      '@secret.txt',
      '--alg',
      'HS256',
      '--claim',
      'sub=123',
      '--claim',
      'admin=true',
      '--exp',
      '15m',
    ]);
    assert.deepEqual(r, { code: 0, stdout: `${TOKEN}\n`, stderr: '' });
  });

  test('--claim values: JSON literals, strings, NAME:=JSON, always-string registered claims, dates for exp/nbf/iat', async () => {
    const r = await tessera([
      'encode',
      '--key',
      '@secret.txt',
      '--json',
      '--no-iat',
      '--claim',
      'sub=123',
      '--claim',
      'n=42',
      '--claim',
      'f=1.5',
      '--claim',
      'flag=false',
      '--claim',
      'nothing=null',
      '--claim',
      'name=Ada Lovelace',
      '--claim',
      'zip=01234',
      '--claim',
      'roles=["a","b"]',
      '--claim',
      'obj:={"x":1}',
      '--claim',
      'quoted:="42"',
      '--claim',
      'exp=2026-01-02T00:00:00Z',
      '--claim',
      'nbf=1767225600',
      '--claim',
      '__proto__={"polluted":true}',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = parseJSON(r);
    const expected = JSON.parse(
      '{"sub":"123","n":42,"f":1.5,"flag":false,"nothing":null,"name":"Ada Lovelace","zip":"01234","roles":["a","b"],"obj":{"x":1},"quoted":"42","exp":1767312000,"nbf":1767225600,"__proto__":{"polluted":true}}',
    );
    assert.deepEqual(out.payload, expected);
    assert.deepEqual(decodeJWT(out.token as string).payload, expected);
    assert.deepEqual(out.header, { alg: 'HS256', typ: 'JWT' });
  });

  test('the payload comes from a JSON argument, @FILE or standard input; flags override its claims', async () => {
    const arg = await tessera([
      'encode',
      '{"sub":"arg","scope":"read"}',
      '--key',
      '@secret.txt',
      '--exp',
      '1h',
      '--json',
    ]);
    assert.deepEqual(parseJSON(arg).payload, { sub: 'arg', scope: 'read', iat: T0, exp: T0 + 3600 });
    const fromFile = await tessera([
      'encode',
      '@claims.json',
      '--key',
      '@secret.txt',
      '--sub',
      'flag-wins',
      '--exp',
      '2026-06-01T00:00:00Z',
      '--json',
    ]);
    assert.deepEqual(parseJSON(fromFile).payload, {
      sub: 'flag-wins',
      scope: 'read write',
      iat: T0,
      exp: Date.parse('2026-06-01T00:00:00Z') / 1000,
    });
    const stdin = await tessera(['encode', '-', '--key', '@secret.txt', '--exp', '5m'], { input: '{"sub":"piped"}\n' });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.deepEqual(verifyJWT(stdin.stdout.trim(), SECRET, { algorithms: ['HS256'], currentDate: NOW_DATE }), {
      sub: 'piped',
      iat: T0,
      exp: T0 + 300,
    });
  });

  test('registered-claim and header flags: --iss --sub --aud --jti --nbf --kid --typ --no-typ --header', async () => {
    const r = await tessera([
      'encode',
      '--key',
      '@secret.txt',
      '--iss',
      'https://auth.example.com',
      '--sub',
      'user-1',
      '--aud',
      'api',
      '--aud',
      'web',
      '--jti',
      'id-1',
      '--nbf',
      '5m',
      '--exp',
      '1h',
      '--kid',
      'k-2026',
      '--typ',
      'at+jwt',
      '--header',
      'x-env=prod',
      '--json',
    ]);
    const out = parseJSON(r);
    assert.deepEqual(out.header, { alg: 'HS256', typ: 'at+jwt', kid: 'k-2026', 'x-env': 'prod' });
    assert.deepEqual(out.payload, {
      iss: 'https://auth.example.com',
      sub: 'user-1',
      aud: ['api', 'web'],
      jti: 'id-1',
      iat: T0,
      nbf: T0 + 300,
      exp: T0 + 3600,
    });
    const noTyp = parseJSON(await tessera(['encode', '--key', '@secret.txt', '--no-typ', '--exp', '1m', '--json']));
    assert.deepEqual(noTyp.header, { alg: 'HS256' });
  });

  test('signs with a private JWK (its kid and alg) and a PEM; the result verifies', async () => {
    const r = await tessera(['encode', '--key', '@es.private.json', '--claim', 'sub=123', '--exp', '15m']);
    assert.equal(r.code, 0, r.stderr);
    const token = r.stdout.trim();
    assert.equal(decodeJWT(token).header.kid, 'es-1');
    assert.equal(verifyJWT(token, es.publicKey, { currentDate: NOW_DATE }).sub, '123');
    const pem = await tessera([
      'encode',
      '--key',
      '@es.private.pem',
      '--alg',
      'ES256',
      '--exp',
      '15m',
      '--kid',
      'pem-1',
    ]);
    assert.equal(
      verifyJWT(pem.stdout.trim(), es.publicKey.toPEM(), { algorithms: ['ES256'], currentDate: NOW_DATE }).iat,
      T0,
    );
    const verified = await tessera(['verify', token, '--key', '@es.public.json']);
    assert.equal(verified.code, 0);
  });

  test('warns on stderr when the token never expires', async () => {
    const r = await tessera(['encode', '--key', '@secret.txt', '--claim', 'sub=1']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    assert.equal(r.stderr, 'warning: the token has no "exp" and never expires; add --exp, e.g. --exp 15m\n');
  });

  test('a public key, a weak secret or a key of another type cannot sign: exit 2 with the reason', async () => {
    assertUsage(
      await tessera(['encode', '--key', '@es.public.json', '--exp', '1m']),
      /^error: cannot sign with --key @es\.public\.json: signing with ES256 needs a private key/,
      'encode',
    );
    assertUsage(
      await tessera(['encode', '--key', '@short-secret.txt', '--exp', '1m']),
      /^error: cannot sign with --key @short-secret\.txt: HS256 needs a secret of at least 32 bytes \(got 9\).*pass --allow-weak-keys$/,
      'encode',
    );
    assert.equal((await tessera(['encode', '--key', '@short-secret.txt', '--exp', '1m', '--allow-weak-keys'])).code, 0);
    assertUsage(
      await tessera(['encode', '--key', '@secret.txt', '--alg', 'ES256', '--exp', '1m']),
      /^error: cannot sign with --key @secret\.txt: ES256 needs an asymmetric key/,
      'encode',
    );
  });

  test('usage errors: bad payloads, claims, durations, algorithms and conflicting flags', async () => {
    const k = ['--key', '@secret.txt'];
    assertUsage(
      await tessera(['encode', 'not json', ...k]),
      'PAYLOAD is not valid JSON (a file needs @: encode @claims.json)',
      'encode',
    );
    assertUsage(await tessera(['encode', '[1,2]', ...k]), 'PAYLOAD is not a JSON object', 'encode');
    assertUsage(await tessera(['encode', '{"a":1,"a":2}', ...k]), 'PAYLOAD has a duplicate member name', 'encode');
    assertUsage(await tessera(['encode', '@not-json.txt', ...k]), 'PAYLOAD @not-json.txt is not valid JSON', 'encode');
    assertUsage(
      await tessera(['encode', '-', ...k], { input: '{' }),
      'PAYLOAD from standard input is not valid JSON',
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--claim', 'novalue']),
      '--claim takes NAME=VALUE (or NAME:=JSON), e.g. --claim sub=123',
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--claim', 'o:={bad']),
      '--claim o: the value is not valid JSON',
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--claim', 'exp=tomorrow']),
      '--claim exp: must be NumericDate seconds or an ISO 8601 date',
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--claim', 'a=1', '--claim', 'a=2']),
      '--claim a is given twice',
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--exp', 'forever']),
      '--exp must be a non-negative number of seconds or a duration such as 30s, 15m, 2h or 7d',
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--exp', '0']),
      '--exp 0 makes a token that is already expired',
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--alg', 'none']),
      '--alg none is never accepted (an unsigned token proves nothing; tessera decode shows it)',
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--alg', 'ES265']),
      /^error: --alg: unknown algorithm "ES265"; did you mean ES256\?/,
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--sub', 'a', '--claim', 'sub=b']),
      '--sub and --claim sub=… cannot be combined',
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--typ', 'JWT', '--no-typ']),
      '--typ and --no-typ cannot be combined',
      'encode',
    );
    assertUsage(
      await tessera(['encode', ...k, '--header', 'alg=HS512']),
      '--header cannot set "alg"; use --alg',
      'encode',
    );
    assertUsage(
      await tessera(['encode', '--exp', '1m']),
      '--key is required: --key @FILE, --key env:NAME or --key - (standard input)',
      'encode',
    );
    assertUsage(
      await tessera(['encode', '-', '--key', '-'], { input: '{}' }),
      '--key and PAYLOAD cannot both come from standard input ("-")',
      'encode',
    );
  });
});

// ---------------------------------------------------------------------------------------------------

describe('tessera keygen', { concurrency: true }, () => {
  const mode = (path: string) => statSync(path).mode & 0o777;

  test('ES256 writes a private JWK (0600) and a public JWK, bound to the alg, kid = thumbprint; prints no key material', async () => {
    const out = join(dir, 'kg-es');
    const r = await tessera(['keygen', 'ES256', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const priv = JSON.parse(readFileSync(`${out}.private.json`, 'utf8')) as JWK;
    const pub = JSON.parse(readFileSync(`${out}.public.json`, 'utf8')) as JWK;
    assert.equal(mode(`${out}.private.json`), 0o600);
    assert.equal(mode(`${out}.public.json`), 0o644 & ~process.umask());
    assert.equal(priv.alg, 'ES256');
    assert.equal(pub.use, 'sig');
    assert.equal(pub.d, undefined);
    assert.equal(pub.kid, importKey(pub).thumbprint());
    assert.equal(
      r.stdout,
      `Generated an ES256 key pair, kid "${pub.kid}"\n` +
        `  private key ${out}.private.json  (mode 0600: keep it secret)\n` +
        `  public key  ${out}.public.json\n` +
        `Publish the public key: tessera jwks @${out}.public.json > jwks.json\n`,
    );
    assert.ok(!r.stdout.includes(priv.d!));
    const token = await tessera(['encode', '--key', `@${out}.private.json`, '--exp', '5m']);
    assert.equal((await tessera(['verify', token.stdout.trim(), '--key', `@${out}.public.json`])).code, 0);
  });

  test('--format pem writes PKCS#8 and SPKI PEM; --kid names the key; --json describes the files', async () => {
    const out = join(dir, 'kg-pem');
    const r = await tessera(['keygen', 'EdDSA', '--format', 'pem', '--kid', 'ed-1', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseJSON(r), {
      alg: 'EdDSA',
      kid: 'ed-1',
      use: 'sig',
      kty: 'OKP',
      crv: 'Ed25519',
      format: 'pem',
      files: { private: `${out}.private.pem`, public: `${out}.public.pem` },
    });
    assert.match(readFileSync(`${out}.private.pem`, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(readFileSync(`${out}.public.pem`, 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
    assert.equal(mode(`${out}.private.pem`), 0o600);
  });

  test('HS256 writes one secret JWK with mode 0600', async () => {
    const out = join(dir, 'kg-hs');
    const r = await tessera(['keygen', 'HS256', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `Generated an HS256 secret\n  secret      ${out}.secret.json  (mode 0600: keep it secret)\n`,
    );
    const jwk = JSON.parse(readFileSync(`${out}.secret.json`, 'utf8')) as JWK;
    assert.equal(Buffer.from(jwk.k!, 'base64url').length, 32);
    assert.equal(mode(`${out}.secret.json`), 0o600);
    assert.ok(!existsSync(`${out}.public.json`));
    const token = await tessera(['encode', '--key', `@${out}.secret.json`, '--exp', '5m']);
    assert.equal((await tessera(['verify', token.stdout.trim(), '--key', `@${out}.secret.json`])).code, 0);
  });

  test('other curves and sizes: --crv Ed448, --bits 3072', async () => {
    const ed = await tessera(['keygen', 'EdDSA', '--crv', 'Ed448', '--out', join(dir, 'kg-448'), '--json']);
    assert.equal(parseJSON(ed).crv, 'Ed448');
    const rsa = await tessera(['keygen', 'PS256', '--bits', '3072', '--out', join(dir, 'kg-rsa'), '--json']);
    assert.equal(rsa.code, 0, rsa.stderr);
    const n = (JSON.parse(readFileSync(join(dir, 'kg-rsa.public.json'), 'utf8')) as JWK).n!;
    assert.equal(Buffer.from(n, 'base64url').length * 8, 3072);
  });

  test('existing files are kept unless --force, which recreates them with mode 0600', async () => {
    const out = join(dir, 'kg-force');
    writeFileSync(`${out}.private.json`, 'old', { mode: 0o644 });
    chmodSync(`${out}.private.json`, 0o644);
    assertUsage(
      await tessera(['keygen', 'ES256', '--out', out]),
      `${out}.private.json already exists; --force overwrites, --out picks other names`,
      'keygen',
    );
    assert.equal(readFileSync(`${out}.private.json`, 'utf8'), 'old');
    const r = await tessera(['keygen', 'ES256', '--out', out, '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(mode(`${out}.private.json`), 0o600);
    assert.notEqual(readFileSync(`${out}.private.json`, 'utf8'), 'old');
  });

  test('the default prefix is the algorithm name, in the working directory', async () => {
    const cwd = join(dir, 'kg-cwd');
    mkdirSync(cwd);
    const r = await tessera(['keygen', 'RSA-OAEP-256'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(cwd, 'rsa-oaep-256.private.json')) && existsSync(join(cwd, 'rsa-oaep-256.public.json')));
    assert.equal((JSON.parse(readFileSync(join(cwd, 'rsa-oaep-256.public.json'), 'utf8')) as JWK).use, 'enc');
  });

  test('usage errors: unknown algorithm, wrong format, flags that do not apply, unwritable directory', async () => {
    assertUsage(await tessera(['keygen', 'ES265']), 'unknown algorithm "ES265"; did you mean ES256?', 'keygen');
    assertUsage(
      await tessera(['keygen', 'ES256', '--format', 'pen']),
      '--format must be jwk or pem; did you mean pem?',
      'keygen',
    );
    assertUsage(
      await tessera(['keygen', 'HS256', '--format', 'pem']),
      'HS256 uses a shared secret, which has no PEM form; use --format jwk',
      'keygen',
    );
    assertUsage(
      await tessera(['keygen', 'ES256', '--bits', '4096']),
      '--bits applies to RSA algorithms, not ES256',
      'keygen',
    );
    assertUsage(
      await tessera(['keygen', 'RS256', '--bits', '1024']),
      '--bits must be a multiple of 8 from 2048 to 16384',
      'keygen',
    );
    assertUsage(
      await tessera(['keygen', 'ES256', '--crv', 'P-384']),
      '--crv does not apply to ES256 (its curve is P-256)',
      'keygen',
    );
    assertUsage(
      await tessera(['keygen', 'EdDSA', '--crv', 'ed448']),
      '--crv for EdDSA must be one of Ed25519, Ed448; did you mean Ed448?',
      'keygen',
    );
    assertUsage(
      await tessera(['keygen', 'ES256', '--out', join(dir, 'no/such/dir/key')]),
      `cannot write ${join(dir, 'no/such/dir/key')}.private.json: the directory does not exist`,
      'keygen',
    );
  });
});

// ---------------------------------------------------------------------------------------------------

describe('tessera jwks and thumbprint', { concurrency: true }, () => {
  test('jwks builds a public set from private and public keys of any format, deduplicated, thumbprint as missing kid', async () => {
    const r = await tessera(['jwks', '@es.private.json', '@es.public.json', '@es2.public.json', '@es.public.pem']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const set = JSON.parse(r.stdout) as { keys: JWK[] };
    assert.deepEqual(
      set.keys.map((k) => k.kid),
      ['es-1', 'es-2', es.publicKey.thumbprint()],
    );
    assert.ok(set.keys.every((k) => k.d === undefined));
    assert.deepEqual(set.keys[0], es.publicKey.toJWK());
  });

  test('jwks merges a JWK Set and reads a key from standard input', async () => {
    const r = await tessera(['jwks', '@jwks.json', '-'], { input: es.publicKey.toPEM() });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { keys: JWK[] }).keys.map((k) => k.kid),
      ['es-1', 'es-2', es.publicKey.thumbprint()],
    );
    const json = await tessera(['jwks', '@jwks.json', '--json']);
    assert.deepEqual(JSON.parse(json.stdout), { keys: [es.publicKey.toJWK(), es2.publicKey.toJWK()] });
  });

  test('jwks refuses shared secrets and unreadable keys', async () => {
    assertUsage(
      await tessera(['jwks', '@es.public.json', '@secret.txt']),
      'KEY 2 @secret.txt is a shared secret; a public JWK Set never contains secrets',
      'jwks',
    );
    assertUsage(await tessera(['jwks', '@nope.json']), 'KEY: cannot read nope.json: no such file', 'jwks');
    assertUsage(await tessera(['jwks']), 'missing argument', 'jwks');
  });

  test('thumbprint prints the RFC 7638 thumbprint (RFC 8037 vector), the same for private and public halves', async () => {
    const rfc = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    assert.deepEqual(await tessera(['thumbprint', JSON.stringify(rfc)]), {
      code: 0,
      stdout: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k\n',
      stderr: '',
    });
    const pub = await tessera(['thumbprint', '@es.public.json']);
    assert.deepEqual(pub, { code: 0, stdout: `${es.publicKey.thumbprint()}\n`, stderr: '' });
    assert.equal((await tessera(['thumbprint', '@es.private.pem'])).stdout, pub.stdout);
    assert.equal(
      (await tessera(['thumbprint', '-'], { input: readFileSync(file('es.public.pem')) })).stdout,
      pub.stdout,
    );
  });

  test('thumbprint --uri, --digest and --json', async () => {
    const uri = await tessera(['thumbprint', '@es.public.json', '--uri']);
    assert.equal(uri.stdout, `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${es.publicKey.thumbprint()}\n`);
    const json = await tessera(['thumbprint', '@es.public.json', '--digest', 'sha384', '--json']);
    assert.deepEqual(parseJSON(json), {
      thumbprint: es.publicKey.thumbprint('sha384'),
      digest: 'sha384',
      uri: `urn:ietf:params:oauth:jwk-thumbprint:sha-384:${es.publicKey.thumbprint('sha384')}`,
      kty: 'EC',
    });
    assertUsage(
      await tessera(['thumbprint', '@es.public.json', '--digest', 'sha265']),
      '--digest must be sha256, sha384 or sha512; did you mean sha256?',
      'thumbprint',
    );
    assertUsage(
      await tessera(['thumbprint', '{"kty":"EC"']),
      'KEY (literal): the key looks like a JWK but is not valid JSON',
      'thumbprint',
    );
    assertUsage(
      await tessera(['thumbprint', '@secret.txt']),
      'KEY @secret.txt is a shared secret: its thumbprint is a hash of the secret (anyone could test guesses against it); thumbprints are for public keys',
      'thumbprint',
    );
  });
});
