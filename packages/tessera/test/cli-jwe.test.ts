// `tessera encrypt` and `tessera decrypt`, run as a user runs them: the built dist/cli/main.js in a fresh
// process with a fixed clock and a clean environment; stdout, stderr and the exit code asserted
// separately. Round trips for each key management family (dir with a keygen'd secret, ECDH-ES with a
// keygen'd pair, RSA-OAEP-256 from PEM, PBES2 with a password from env:), nested JWTs, --json, standard
// input, and every failure path (exit 1 with the error code and a hint naming the flag; exit 2 for usage).
// Tokens also cross between the CLI and the library both ways. Processes are spawned concurrently.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  decodeProtectedHeader,
  decryptJWE,
  decryptJWT,
  encryptJWE,
  encryptJWT,
  generateKeyPair,
  importKey,
  signJWT,
  type JWK,
  type Key,
} from 'tessera-jwt';
import { assertInvalid, assertUsage, NOW, type Run, runCLI } from './helpers/cli.js';

const NOW_DATE = new Date(NOW);
const T0 = NOW_DATE.getTime() / 1000;

function tessera(
  args: readonly string[],
  options: { input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<Run> {
  return runCLI(args, { cwd: dir, ...options });
}

/** Runs a command that must succeed silently on stderr, and returns its stdout without the final newline. */
async function ok(
  args: readonly string[],
  options: { input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<string> {
  const r = await tessera(args, options);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.replace(/\n$/, '');
}

const json = (s: string) => JSON.parse(s) as Record<string, any>;

// ---------------------------------------------------------------------------------------------------
// Fixtures: keygen'd files (ECDH-ES+A256KW pair, A256GCM secret) and library-made RSA and ES256 keys

const PASSWORD = 'correct horse battery staple';
const OTHER_PASSWORD = 'incorrect horse battery staple';
const PBES2 = 'PBES2-HS256+A128KW';
const rsa = generateKeyPair('RSA-OAEP-256');
const signer = generateKeyPair('ES256', { kid: 'issuer-1' });
const otherSigner = generateKeyPair('ES256', { kid: 'issuer-2' });
const otherRecipient = generateKeyPair('ECDH-ES+A256KW');
const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
let dir: string;
let recipient: { privateKey: Key; publicKey: Key };
let session: Key;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-cli-jwe-'));
  const write = (name: string, data: string | Buffer, mode = 0o644) => writeFileSync(join(dir, name), data, { mode });
  write('rsa.private.pem', rsa.privateKey.toPEM({ private: true }), 0o600);
  write('rsa.public.pem', rsa.publicKey.toPEM());
  write('signing.private.json', JSON.stringify(signer.privateKey.toJWK({ private: true })), 0o600);
  write('signing.public.json', JSON.stringify(signer.publicKey.toJWK()));
  write('other-signing.public.json', JSON.stringify(otherSigner.publicKey.toJWK()));
  write('signing.public.pem', signer.publicKey.toPEM());
  write('other.private.json', JSON.stringify(otherRecipient.privateKey.toJWK({ private: true })), 0o600);
  write('binary.bin', BINARY);
  write('claims.json', JSON.stringify({ sub: 'from-file', scope: 'read' }));
  await Promise.all([
    ok(['keygen', 'ECDH-ES+A256KW', '--out', 'recipient']),
    ok(['keygen', 'A256GCM', '--out', 'session']),
  ]);
  const read = (name: string) => importKey(JSON.parse(readFileSync(join(dir, name), 'utf8')) as JWK);
  recipient = { privateKey: read('recipient.private.json'), publicKey: read('recipient.public.json') };
  session = read('session.secret.json');
});

after(() => rmSync(dir, { recursive: true, force: true }));

const PW_ENV = { env: { PW: PASSWORD } };

// ---------------------------------------------------------------------------------------------------

describe('tessera encrypt / decrypt: commands and help', { concurrency: true }, () => {
  test('tessera --help lists encrypt and decrypt', async () => {
    const help = await ok(['--help']);
    assert.match(help, /\n {2}encrypt {4}encrypt data or claims as a JWE/);
    assert.match(help, /\n {2}decrypt {4}decrypt a JWE, or decrypt and validate an encrypted JWT/);
    assert.ok(!/not (implemented|available) yet/.test(help));
  });

  for (const command of ['encrypt', 'decrypt']) {
    test(`${command} --help shows usage, flags and examples on stdout`, async () => {
      const help = await ok([command, '--help']);
      assert.match(help, new RegExp(`^tessera ${command} — `));
      for (const section of ['Usage', 'Exit codes', 'Examples'])
        assert.ok(help.includes(`\n${section}\n`), `${command}: ${section}`);
      assert.equal(await ok(['help', command]), help);
    });
  }

  test('unknown flags name the closest one', async () => {
    assertUsage(
      await tessera(['encrypt', 'x', '--sgn-key', '@k']),
      'unknown flag --sgn-key; did you mean --sign-key?',
      'encrypt',
    );
    assertUsage(
      await tessera(['decrypt', 'x', '--verify-ky', '@k']),
      'unknown flag --verify-ky; did you mean --verify-key?',
      'decrypt',
    );
    assertUsage(
      await tessera(['decrypt', 'x', '--max-p2', '5']),
      'unknown flag --max-p2; did you mean --max-p2c?',
      'decrypt',
    );
  });

  test('algorithm names are checked before any key is read, with a suggestion', async () => {
    assertUsage(
      await tessera(['decrypt', 'x', '--alg', 'RSA-OEAP-256']),
      /^error: --alg: unknown JWE key management algorithm "RSA-OEAP-256"; did you mean RSA-OAEP-256\?/,
      'decrypt',
    );
    assertUsage(
      await tessera(['decrypt', 'x', '--alg', 'A256GCM']),
      /^error: --alg: unknown JWE key management algorithm "A256GCM"; A256GCM is a content encryption algorithm \(--enc\), with --alg dir/,
      'decrypt',
    );
    assertUsage(
      await tessera(['encrypt', 'x', '--enc', 'A256GMC']),
      /^error: --enc: unknown content encryption algorithm "A256GMC"; did you mean A256GCM\?/,
      'encrypt',
    );
    assertUsage(
      await tessera(['decrypt', 'x', '--alg', 'RSA1_5']),
      /^error: --alg RSA1_5 is not supported: RSAES-PKCS1-v1_5 decryption is a padding oracle/,
      'decrypt',
    );
    assertUsage(await tessera(['decrypt', 'x', '--alg', 'none']), '--alg none is not a JWE algorithm', 'decrypt');
    assertUsage(
      await tessera(['encrypt', '--jwt', '--sign-key', '@k', '--sign-alg', 'none']),
      /^error: --sign-alg none is never accepted/,
      'encrypt',
    );
  });

  test('flags that do not fit together are usage errors', async () => {
    assertUsage(
      await tessera(['decrypt', 'x', '--verify-alg', 'ES256']),
      '--verify-alg applies to --verify-key (a nested JWT: signed, then encrypted)',
      'decrypt',
    );
    assertUsage(
      await tessera(['decrypt', 'x', '--raw', '--jwt']),
      /^error: --raw writes a JWE's plaintext; with --jwt/,
      'decrypt',
    );
    assertUsage(await tessera(['decrypt', 'x', '--raw', '--json']), '--json and --raw cannot be combined', 'decrypt');
    assertUsage(
      await tessera(['encrypt', 'x', '--sign-alg', 'ES256']),
      '--sign-alg applies to --sign-key (a nested JWT: signed, then encrypted)',
      'encrypt',
    );
    assertUsage(
      await tessera(['encrypt', 'x', '--key', '@rsa.public.pem', '--alg', 'RSA-OAEP-256', '--p2c', '5000']),
      '--p2c applies to PBES2 algorithms, not RSA-OAEP-256',
      'encrypt',
    );
    assertUsage(
      await tessera(['encrypt', '--jwt', '--key', '@k', '--sign-key', '@k', '--cty', 'json']),
      'a nested JWT has cty "JWT"; leave out --cty',
      'encrypt',
    );
    assertUsage(
      await tessera(['encrypt', 'x', '--key', '@k', '--header', 'enc=A128GCM']),
      '--header cannot set "enc"; use --enc',
      'encrypt',
    );
    assertUsage(await tessera(['decrypt', 'x', '--max-p2c', '0']), '--max-p2c must be a positive integer', 'decrypt');
  });

  test('a missing PAYLOAD or key is a usage error naming what to give', async () => {
    assertUsage(
      await tessera(['encrypt', '--key', '@recipient.public.json']),
      'missing PAYLOAD: tessera encrypt TEXT, @FILE or - (standard input); --jwt encrypts a claims set',
      'encrypt',
    );
    assertUsage(
      await tessera(['encrypt', 'x']),
      '--key is required: --key @FILE, --key env:NAME or --key - (standard input)',
      'encrypt',
    );
    assertUsage(
      await tessera(['decrypt', 'a.b.c.d.e']),
      '--key is required: --key @FILE, --key env:NAME or --key - (standard input)',
      'decrypt',
    );
  });
});

describe('tessera encrypt / decrypt: round trips', { concurrency: true }, () => {
  test('dir with a keygen A256GCM secret: alg and enc come from the key; text, --raw and --json', async () => {
    const token = await ok(['encrypt', 'hello, world', '--key', '@session.secret.json']);
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'dir', enc: 'A256GCM' });
    const [shown, raw, asJSON] = await Promise.all([
      ok(['decrypt', token, '--key', '@session.secret.json']),
      tessera(['decrypt', token, '--key', '@session.secret.json', '--raw']),
      ok(['decrypt', token, '--key', '@session.secret.json', '--json']),
    ]);
    assert.equal(
      shown,
      'Protected header (JWE)\n{\n  "alg": "dir",\n  "enc": "A256GCM"\n}\n\nPlaintext (12 bytes)\nhello, world',
    );
    assert.deepEqual(raw, { code: 0, stdout: 'hello, world', stdoutBytes: Buffer.from('hello, world'), stderr: '' });
    assert.deepEqual(json(asJSON), { header: { alg: 'dir', enc: 'A256GCM' }, plaintext: 'hello, world' });
  });

  test('binary @FILE content survives exactly (--raw), and is base64url in --json', async () => {
    const token = await ok(['encrypt', '@binary.bin', '--key', '@session.secret.json', '--zip']);
    assert.equal(decodeProtectedHeader(token).zip, 'DEF');
    const [raw, asJSON, shown] = await Promise.all([
      tessera(['decrypt', token, '--key', '@session.secret.json', '--raw']),
      ok(['decrypt', token, '--key', '@session.secret.json', '--json']),
      ok(['decrypt', token, '--key', '@session.secret.json']),
    ]);
    assert.equal(raw.code, 0, raw.stderr);
    assert.deepEqual(raw.stdoutBytes, BINARY);
    assert.equal(json(asJSON).plaintextBase64url, BINARY.toString('base64url'));
    assert.match(shown, /Plaintext: 256 bytes, not UTF-8 text; --raw writes them as they are/);
  });

  test('ECDH-ES+A256KW with a keygen pair: --jwt claims, alg from the key, and the claims validated', async () => {
    const token = await ok([
      'encrypt',
      '--jwt',
      '--key',
      '@recipient.public.json',
      '--sub',
      'user-1',
      '--aud',
      'api',
      '--claim',
      'admin=true',
      '--exp',
      '15m',
    ]);
    const header = decodeProtectedHeader(token);
    assert.equal(header.alg, 'ECDH-ES+A256KW');
    assert.equal(header.enc, 'A256GCM');
    assert.equal(header.typ, 'JWT');
    assert.equal(header.kid, recipient.publicKey.kid);
    const out = json(await ok(['decrypt', token, '--key', '@recipient.private.json', '--aud', 'api', '--json']));
    assert.deepEqual(out.payload, { iat: T0, exp: T0 + 900, sub: 'user-1', aud: 'api', admin: true });
    assert.equal(out.times.exp.relative, 'expires in 15 minutes');
    assert.deepEqual(out.warnings, []);
    const shown = await ok(['decrypt', token, '--key', '@recipient.private.json', '--jwt', '--aud', 'api']);
    assert.match(
      shown,
      new RegExp(
        `^Valid: decrypted \\(ECDH-ES\\+A256KW, A256GCM, kid "${recipient.publicKey.kid}"\\), and the claims check out as of 2026-01-01T00:00:00Z\n`,
      ),
    );
    assert.match(
      shown,
      /\nTimes\n {2}iat {2}2026-01-01T00:00:00Z {2}issued just now\n {2}exp {2}2026-01-01T00:15:00Z {2}expires in 15 minutes$/,
    );
  });

  test('RSA-OAEP-256 with PEM keys: --alg named on both sides, another --enc, and a claims file', async () => {
    const token = await ok([
      'encrypt',
      '@claims.json',
      '--jwt',
      '--key',
      '@rsa.public.pem',
      '--alg',
      'RSA-OAEP-256',
      '--enc',
      'A128CBC-HS256',
      '--kid',
      'rsa-1',
      '--exp',
      '1h',
    ]);
    assert.deepEqual(decodeProtectedHeader(token), {
      alg: 'RSA-OAEP-256',
      kid: 'rsa-1',
      enc: 'A128CBC-HS256',
      typ: 'JWT',
    });
    const out = json(
      await ok([
        'decrypt',
        token,
        '--key',
        '@rsa.private.pem',
        '--alg',
        'RSA-OAEP-256',
        '--enc',
        'A128CBC-HS256,A256GCM',
        '--jwt',
        '--json',
      ]),
    );
    assert.deepEqual(out.payload, { sub: 'from-file', scope: 'read', iat: T0, exp: T0 + 3600 });
  });

  test('PBES2 with a password from env: needs an explicit --alg on both sides', async () => {
    assertUsage(
      await tessera(['encrypt', 'x', '--key', 'env:PW'], PW_ENV),
      '--alg is required: the key given with --key does not name its algorithm; name it, e.g. --alg PBES2-HS256+A128KW',
      'encrypt',
    );
    const token = await ok(['encrypt', '-', '--key', 'env:PW', '--alg', PBES2], {
      ...PW_ENV,
      input: 'the launch codes',
    });
    const header = decodeProtectedHeader(token);
    assert.equal(header.alg, PBES2);
    assert.equal(header.p2c, 10000);
    assertUsage(
      await tessera(['decrypt', token, '--key', 'env:PW'], PW_ENV),
      '--alg is required: the key given with --key does not name its algorithm; name the algorithms you accept, e.g. --alg PBES2-HS256+A128KW',
      'decrypt',
    );
    const raw = await tessera(['decrypt', token, '--key', 'env:PW', '--alg', PBES2, '--raw'], PW_ENV);
    assert.deepEqual([raw.code, raw.stdout, raw.stderr], [0, 'the launch codes', '']);
  });

  test('--max-p2c caps the PBES2 iterations a token may ask for', async () => {
    const token = await ok(['encrypt', 'x', '--key', 'env:PW', '--alg', PBES2, '--p2c', '20000'], PW_ENV);
    const [refused, allowed] = await Promise.all([
      tessera(['decrypt', token, '--key', 'env:PW', '--alg', PBES2], PW_ENV),
      tessera(['decrypt', token, '--key', 'env:PW', '--alg', PBES2, '--max-p2c', '20000', '--raw'], PW_ENV),
    ]);
    assertInvalid(
      refused,
      'ERR_JWE_DECRYPTION_FAILED',
      'the token asks for 20000 PBES2 iterations; --max-p2c raises the limit (10000) for a sender you trust',
    );
    assert.match(refused.stderr, /^error: invalid token: JWE "p2c" exceeds --max-p2c \(10000\)/);
    assert.deepEqual([allowed.code, allowed.stdout], [0, 'x']);
  });

  test('nested JWT: encrypt --sign-key signs then encrypts; decrypt --verify-key verifies', async () => {
    const token = await ok([
      'encrypt',
      '--key',
      '@recipient.public.json',
      '--sign-key',
      '@signing.private.json',
      '--sub',
      'user-42',
      '--iss',
      'https://auth.example.com',
      '--exp',
      '15m',
    ]);
    const header = decodeProtectedHeader(token);
    assert.equal(header.cty, 'JWT');
    assert.equal(header.typ, undefined);
    const args = [
      'decrypt',
      token,
      '--key',
      '@recipient.private.json',
      '--verify-key',
      '@signing.public.json',
      '--iss',
      'https://auth.example.com',
    ];
    const [out, shown, pem, plain] = await Promise.all([
      ok([...args, '--json']),
      ok(args),
      ok([
        'decrypt',
        token,
        '--key',
        '@recipient.private.json',
        '--verify-key',
        '@signing.public.pem',
        '--verify-alg',
        'ES256',
      ]),
      ok(['decrypt', token, '--key', '@recipient.private.json']),
    ]);
    const result = json(out);
    assert.deepEqual(result.innerHeader, { alg: 'ES256', typ: 'JWT', kid: 'issuer-1' });
    assert.deepEqual(result.payload, { iat: T0, exp: T0 + 900, iss: 'https://auth.example.com', sub: 'user-42' });
    assert.equal(result.header.cty, 'JWT');
    assert.match(
      shown,
      /^Valid: decrypted \(ECDH-ES\+A256KW, A256GCM, kid "[\w-]+"\), the inner ES256 signature verified with --verify-key, and the claims check out/,
    );
    assert.match(shown, /\nInner header \(JWS\)\n\{\n {2}"alg": "ES256",/);
    assert.match(pem, /^Valid: /);
    // Without --jwt/--verify-key the plaintext (the inner JWS) is shown, marked as not verified.
    assert.match(
      plain,
      /\nPlaintext \(\d+ bytes\)\neyJ[\w-]+\.[\w-]+\.[\w-]+\n\nThe plaintext is a signed JWT \(cty "JWT"\), NOT verified: --verify-key verifies it/,
    );
  });

  test('standard input: the token piped in (with or without "-"), and the payload from "-"', async () => {
    const token = await ok(['encrypt', '-', '--jwt', '--key', '@recipient.public.json', '--no-iat', '--exp', '5m'], {
      input: '{"sub":"piped"}',
    });
    const [implicit, dash] = await Promise.all([
      ok(['decrypt', '--key', '@recipient.private.json', '--jwt', '--json'], { input: `${token}\n` }),
      ok(['decrypt', '-', '--key', '@recipient.private.json', '--jwt', '--json'], { input: `Bearer ${token}` }),
    ]);
    assert.deepEqual(json(implicit).payload, { sub: 'piped', exp: T0 + 300 });
    assert.deepEqual(json(dash).payload, json(implicit).payload);
    assertUsage(
      await tessera(['encrypt', '-', '--key', '-']),
      '--key and PAYLOAD cannot both come from standard input ("-")',
      'encrypt',
    );
  });

  test('encrypt --json prints the token and its protected header; no "exp" is warned about', async () => {
    const r = await tessera(['encrypt', '--jwt', '--key', '@recipient.public.json', '--claim', 'sub=1', '--json']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'warning: the token has no "exp" and never expires; add --exp, e.g. --exp 15m\n');
    const out = json(r.stdout);
    assert.deepEqual(Object.keys(out), ['token', 'header']);
    assert.deepEqual(out.header, decodeProtectedHeader(out.token));
    assert.equal(out.header.alg, 'ECDH-ES+A256KW');
  });

  test('a JSON plaintext is pretty-printed with its times; typ JWT notes the claims are not validated', async () => {
    const token = await ok([
      'encrypt',
      JSON.stringify({ sub: 'x', exp: T0 + 60 }),
      '--key',
      '@session.secret.json',
      '--typ',
      'JWT',
    ]);
    const shown = await ok(['decrypt', token, '--key', '@session.secret.json']);
    assert.equal(
      shown,
      [
        'Protected header (JWE)',
        '{',
        '  "alg": "dir",',
        '  "enc": "A256GCM",',
        '  "typ": "JWT"',
        '}',
        '',
        'Payload',
        '{',
        '  "sub": "x",',
        '  "exp": 1767225660',
        '}',
        '',
        'Times',
        '  exp  2026-01-01T00:01:00Z  expires in 60 seconds',
        '',
        'Claims NOT validated: --jwt checks them (exp, nbf; --aud, --iss, …)',
      ].join('\n'),
    );
  });

  test('control characters in a text plaintext are escaped on screen, and kept by --raw', async () => {
    const hostile = 'red\u001b[31m csi\u009b2J rlo\u202eevil';
    const token = encryptJWE(hostile, session, {});
    const [shown, raw] = await Promise.all([
      ok(['decrypt', token, '--key', '@session.secret.json']),
      tessera(['decrypt', token, '--key', '@session.secret.json', '--raw']),
    ]);
    assert.ok(shown.endsWith('red\\u001b[31m csi\\u009b2J rlo\\u202eevil'), shown);
    assert.ok(!shown.includes('\u001b') && !shown.includes('\u202e'));
    assert.equal(raw.stdout, hostile);
  });
});

describe('tessera encrypt / decrypt: interoperability with the library', { concurrency: true }, () => {
  test('a CLI-made nested token decrypts with decryptJWT', async () => {
    const token = await ok([
      'encrypt',
      '--key',
      '@recipient.public.json',
      '--sign-key',
      '@signing.private.json',
      '--sub',
      'lib',
      '--exp',
      '5m',
    ]);
    const claims = decryptJWT(token, recipient.privateKey, {
      nested: { key: signer.publicKey },
      currentDate: NOW_DATE,
    });
    assert.deepEqual(claims, { iat: T0, exp: T0 + 300, sub: 'lib' });
    const { plaintext } = decryptJWE(token, recipient.privateKey, {});
    assert.equal(Buffer.from(plaintext).toString().split('.').length, 3);
  });

  test('library-made tokens decrypt with the CLI: encryptJWT (nested) and a flattened JSON JWE', async () => {
    const token = encryptJWT({ sub: 'from-lib' }, recipient.publicKey, {
      expiresIn: '5m',
      currentDate: NOW_DATE,
      sign: { key: signer.privateKey },
    });
    const flattened = encryptJWE('flat', session, { serialization: 'flattened' });
    const [nested, flat] = await Promise.all([
      ok(['decrypt', token, '--key', '@recipient.private.json', '--verify-key', '@signing.public.json', '--json']),
      ok(['decrypt', '-', '--key', '@session.secret.json', '--json'], { input: JSON.stringify(flattened) }),
    ]);
    assert.equal(json(nested).payload.sub, 'from-lib');
    assert.deepEqual(json(flat), { header: { alg: 'dir', enc: 'A256GCM' }, plaintext: 'flat' });
  });
});

describe('tessera decrypt: failures', { concurrency: true }, () => {
  let token = '';
  let nested = '';
  let expired = '';
  before(() => {
    token = encryptJWT({ sub: 'x', aud: 'api' }, recipient.publicKey, { expiresIn: '15m', currentDate: NOW_DATE });
    nested = encryptJWT({ sub: 'x' }, recipient.publicKey, {
      expiresIn: '15m',
      currentDate: NOW_DATE,
      sign: { key: signer.privateKey },
    });
    expired = encryptJWT({ sub: 'x' }, recipient.publicKey, {
      expiresIn: '15m',
      currentDate: new Date((T0 - 3600) * 1000),
    });
  });

  test('the wrong key is exit 1 with ERR_JWE_DECRYPTION_FAILED and a hint naming --key', async () => {
    const r = await tessera(['decrypt', token, '--key', '@other.private.json']);
    assertInvalid(
      r,
      'ERR_JWE_DECRYPTION_FAILED',
      'the token was not encrypted to the key given with --key, or it was altered',
    );
    assert.equal(r.stderr.split('\n')[0], 'error: invalid token: JWE decryption failed (ERR_JWE_DECRYPTION_FAILED)');
    const asJSON = await tessera(['decrypt', token, '--key', '@other.private.json', '--json']);
    assert.equal(asJSON.code, 1);
    assert.deepEqual(json(asJSON.stdout), {
      error: { code: 'ERR_JWE_DECRYPTION_FAILED', name: 'DecryptionError', message: 'JWE decryption failed' },
      hint: 'the token was not encrypted to the key given with --key, or it was altered',
    });
  });

  test('a wrong password is the same failure', async () => {
    const pbes2 = encryptJWE('x', PASSWORD, { alg: PBES2 });
    const r = await tessera(['decrypt', pbes2, '--key', 'env:PW', '--alg', PBES2], { env: { PW: OTHER_PASSWORD } });
    assertInvalid(
      r,
      'ERR_JWE_DECRYPTION_FAILED',
      'the token was not encrypted to the key given with --key, or it was altered',
    );
    assert.ok(!r.stderr.includes(OTHER_PASSWORD) && !r.stderr.includes(PASSWORD));
  });

  test('an algorithm outside --alg or --enc is exit 1 with ERR_JWT_ALG_NOT_ALLOWED and the flag', async () => {
    assertInvalid(
      await tessera(['decrypt', token, '--key', '@recipient.private.json', '--alg', 'ECDH-ES+A128KW']),
      'ERR_JWT_ALG_NOT_ALLOWED',
      'the token\'s key management algorithm is "ECDH-ES+A256KW"; --alg allows ECDH-ES+A128KW',
    );
    assertInvalid(
      await tessera(['decrypt', token, '--key', '@recipient.private.json', '--enc', 'A128GCM,A256CBC-HS512']),
      'ERR_JWT_ALG_NOT_ALLOWED',
      'the token\'s content encryption is "A256GCM"; --enc allows A128GCM, A256CBC-HS512',
    );
    // A secret made for dir accepts only dir: an ECDH token is refused before the key is used.
    assertInvalid(
      await tessera(['decrypt', token, '--key', '@session.secret.json']),
      'ERR_JWT_ALG_NOT_ALLOWED',
      /--alg allows dir$/,
    );
  });

  test('--alg is required (exit 2, naming the flag) when the key does not name its algorithm', async () => {
    const rsaToken = encryptJWE('x', rsa.publicKey, {});
    assertUsage(
      await tessera(['decrypt', rsaToken, '--key', '@rsa.private.pem']),
      '--alg is required: the key given with --key does not name its algorithm; name the algorithms you accept, e.g. --alg RSA-OAEP-256',
      'decrypt',
    );
    assertUsage(
      await tessera(['encrypt', '--jwt', '--key', '@signing.public.json', '--exp', '5m']),
      "--alg is required: the key given with --key is for ES256, not for encryption: use the recipient's encryption key (tessera keygen ECDH-ES+A256KW makes a pair)",
      'encrypt',
    );
  });

  test('a key of the wrong type is exit 1 with the key error and a hint', async () => {
    assertInvalid(
      await tessera(['decrypt', token, '--key', '@rsa.private.pem', '--alg', 'ECDH-ES+A256KW']),
      'ERR_KEY_INVALID',
      'the key given with --key cannot decrypt this "ECDH-ES+A256KW" token',
    );
  });

  test('claims are validated with --jwt: expiry and audience failures name the flag', async () => {
    assertInvalid(
      await tessera(['decrypt', expired, '--key', '@recipient.private.json', '--jwt']),
      'ERR_JWT_EXPIRED',
      'it expired 45 minutes ago, at 2025-12-31T23:15:00Z, checked at 2026-01-01T00:00:00Z; --leeway tolerates clock skew, --now sets the clock',
    );
    assertInvalid(
      await tessera(['decrypt', token, '--key', '@recipient.private.json', '--aud', 'other']),
      'ERR_JWT_AUDIENCE_INVALID',
      'the token is for the audience "api"; --aud accepts "other"',
    );
    // Without --jwt the plaintext is shown, expired or not: decrypting does not judge the claims.
    assert.match(await ok(['decrypt', expired, '--key', '@recipient.private.json']), /expired 45 minutes ago/);
  });

  test('nested: a wrong --verify-key, a refused --verify-alg, or no --verify-key, each with a hint', async () => {
    assertInvalid(
      await tessera([
        'decrypt',
        nested,
        '--key',
        '@recipient.private.json',
        '--verify-key',
        '@other-signing.public.json',
        '--verify-alg',
        'ES256',
      ]),
      'ERR_JWS_SIGNATURE_INVALID',
      'the signature does not match the key given with --verify-key: the token was signed with another key, or altered',
    );
    assertInvalid(
      await tessera([
        'decrypt',
        nested,
        '--key',
        '@recipient.private.json',
        '--verify-key',
        '@signing.public.json',
        '--verify-alg',
        'RS256',
      ]),
      'ERR_JWT_ALG_NOT_ALLOWED',
      'the token is signed with "ES256"; --verify-alg allows RS256',
    );
    const r = await tessera(['decrypt', nested, '--key', '@recipient.private.json', '--jwt']);
    assertInvalid(
      r,
      'ERR_JWT_MALFORMED',
      /^hint: the token is signed, then encrypted \(cty "JWT"\): --verify-key \(with --verify-alg\) verifies the inner token/,
    );
    assert.match(
      r.stderr,
      /^error: invalid token: the JWE holds a nested JWT \(cty "JWT"\); pass --verify-key to verify it/,
    );
    assertInvalid(
      await tessera(['decrypt', token, '--key', '@recipient.private.json', '--verify-key', '@signing.public.json']),
      'ERR_JWT_MALFORMED',
      /leave out --verify-key$/,
    );
    assertUsage(
      await tessera(['decrypt', nested, '--key', '@recipient.private.json', '--verify-key', '@signing.public.pem']),
      '--verify-alg is required: the key given with --verify-key does not name its algorithm; name the ones you accept, e.g. --verify-alg ES256',
      'decrypt',
    );
  });

  test('a signed token (JWS) is not decrypted, and the hint names tessera verify', async () => {
    const jws = signJWT({ sub: 'x' }, signer.privateKey, { currentDate: NOW_DATE, expiresIn: '5m' });
    assertInvalid(
      await tessera(['decrypt', jws, '--key', '@recipient.private.json']),
      'ERR_JWT_MALFORMED',
      'this is a signed token (JWS), not an encrypted one: tessera verify checks it',
    );
  });
});

describe('tessera encrypt / decrypt: secrets', { concurrency: true }, () => {
  test('a literal secret works with a warning, and is never echoed', async () => {
    const r = await tessera(['encrypt', 'x', '--key', PASSWORD, '--alg', PBES2]);
    assert.equal(r.code, 0);
    assert.equal(
      r.stderr,
      'warning: --key is a literal value on the command line, where shell history and the process list keep it; use --key @FILE, --key env:NAME or --key - (standard input) instead\n',
    );
    assert.ok(!r.stdout.includes(PASSWORD));
    const d = await tessera([
      'decrypt',
      r.stdout.trim(),
      '--key',
      `b64:${Buffer.from(PASSWORD).toString('base64')}`,
      '--alg',
      PBES2,
      '--raw',
    ]);
    assert.equal(d.code, 0);
    assert.equal(d.stdout, 'x');
    assert.match(d.stderr, /^warning: --key is a b64: value on the command line/);
  });

  test('a literal signing key is warned about under its own flag; a key that cannot sign names --sign-key', async () => {
    const r = await tessera([
      'encrypt',
      '--key',
      '@recipient.public.json',
      '--sign-key',
      'too-short',
      '--sign-alg',
      'HS256',
      '--exp',
      '5m',
    ]);
    assertUsage(
      { ...r, stderr: r.stderr.split('\n').slice(1).join('\n') },
      /^error: cannot sign with --sign-key \(literal\): HS256 needs a secret of at least 32 bytes/,
      'encrypt',
    );
    assert.match(r.stderr, /^warning: --sign-key is a literal value on the command line/);
    assert.ok(!r.stderr.includes('too-short'));
  });

  test('a public key is not a secret: no warning for a literal recipient JWK', async () => {
    const r = await tessera(['encrypt', 'x', '--key', JSON.stringify(recipient.publicKey.toJWK())]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
  });
});
