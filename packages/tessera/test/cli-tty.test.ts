// The `tessera` command line under a real pseudo-terminal (util-linux `script`): colours on a terminal,
// none for NO_COLOR, FORCE_COLOR=0, TERM=dumb or a pipe (and forced by FORCE_COLOR=1 in a pipe), and the
// hidden prompt for a secret. Skipped with a reason where `script` is missing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { signJWT } from 'tessera-jwt';
import { REPO_ROOT } from './helpers/paths.js';

const CLI = resolve(REPO_ROOT, 'packages/tessera/dist/cli/main.js');
const NOW = '2026-01-01T00:00:00Z';
const SECRET = 'tessera-cli-test-secret-0123456789abcdef';
const TOKEN = signJWT({ sub: '123', admin: true }, SECRET, { currentDate: new Date(NOW), expiresIn: '15m' });
const SCRIPT = '/usr/bin/script';
const hasScript = spawnSync(SCRIPT, ['--version']).status === 0;
const skip = hasScript ? false : 'util-linux `script` is not installed (apt-get install bsdutils)';

const quote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const hasANSI = (s: string) => s.includes('\u001b[');

interface Run {
  readonly code: number | null;
  /** What the terminal showed (stdout and stderr together, as a terminal shows them), with \r\n → \n. */
  readonly screen: string;
}

/**
 * Runs `tessera ...args` on a pseudo-terminal. `answer` is typed once `waitFor` appears on the screen
 * (for the prompt); otherwise standard input is closed.
 */
function onTerminal(
  args: readonly string[],
  env: Record<string, string> = {},
  answer?: { waitFor: string; type: string },
): Promise<Run> {
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  return new Promise((done, reject) => {
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', TESSERA_NOW: NOW, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let typed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (answer && !typed && screen.includes(answer.waitFor)) {
        typed = true;
        child.stdin.write(answer.type);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => done({ code, screen: screen.replace(/\r\n/g, '\n') }));
    if (!answer) child.stdin.end();
  });
}

/** The same command with stdout and stderr as pipes. */
function inPipe(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', TESSERA_NOW: NOW, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end();
  });
}

describe('tessera on a terminal', { concurrency: true, skip }, () => {
  test('decode is coloured on a terminal, and is the pipe output once the colours are removed', async () => {
    const [tty, pipe] = await Promise.all([onTerminal(['decode', TOKEN]), inPipe(['decode', TOKEN])]);
    assert.equal(tty.code, 0, tty.screen);
    assert.ok(tty.screen.includes('\u001b[1mHeader\u001b[22m\n'), 'bold headings');
    assert.ok(
      tty.screen.includes('  \u001b[36m"alg"\u001b[39m: \u001b[32m"HS256"\u001b[39m,\n'),
      'cyan keys, green strings',
    );
    assert.ok(tty.screen.includes('\u001b[36m"admin"\u001b[39m: \u001b[35mtrue\u001b[39m'), 'magenta literals');
    assert.ok(tty.screen.includes('\u001b[33m1767225600\u001b[39m'), 'yellow numbers');
    assert.ok(tty.screen.includes('\u001b[32mexpires in 15 minutes\u001b[39m'), 'a valid exp is green');
    assert.equal(tty.screen.replace(ANSI, ''), pipe.stdout);
    assert.ok(!hasANSI(pipe.stdout + pipe.stderr), 'no colour in a pipe');
  });

  test('an expired token is red, and errors on stderr are coloured too', async () => {
    const expired = signJWT({ sub: '1' }, SECRET, { currentDate: new Date('2025-12-31T00:00:00Z'), expiresIn: '1h' });
    const decoded = await onTerminal(['decode', expired]);
    assert.ok(decoded.screen.includes('\u001b[31mexpired 23 hours ago\u001b[39m'), decoded.screen);
    const failed = await onTerminal(['verify', expired, '--key', 'env:K', '--alg', 'HS256'], { K: SECRET });
    assert.equal(failed.code, 1);
    assert.ok(
      failed.screen.startsWith('\u001b[31merror:\u001b[39m invalid token: "exp" claim timestamp check failed'),
      failed.screen,
    );
    assert.ok(failed.screen.includes('\u001b[2mhint:\u001b[22m it expired 23 hours ago'), failed.screen);
  });

  for (const [name, env] of [
    ['NO_COLOR=1', { NO_COLOR: '1' }],
    ['FORCE_COLOR=0', { FORCE_COLOR: '0' }],
    ['TERM=dumb', { TERM: 'dumb' }],
  ] as const) {
    test(`${name} switches the colours off on a terminal`, async () => {
      const r = await onTerminal(['decode', TOKEN], env);
      assert.equal(r.code, 0);
      assert.ok(r.screen.includes('Header\n{\n  "alg": "HS256",'), r.screen);
      assert.ok(!hasANSI(r.screen), r.screen);
      const err = await onTerminal(['decode', '--jsno', TOKEN], env);
      assert.ok(err.screen.startsWith('error: unknown flag --jsno; did you mean --json?\n'), err.screen);
    });
  }

  test('FORCE_COLOR=1 colours even a pipe; NO_COLOR loses to it', async () => {
    const r = await inPipe(['decode', TOKEN], { FORCE_COLOR: '1', NO_COLOR: '1' });
    assert.ok(r.stdout.includes('\u001b[1mHeader\u001b[22m'));
  });

  test('--json is never coloured, even on a terminal', async () => {
    const r = await onTerminal(['decode', TOKEN, '--json']);
    assert.equal(r.code, 0);
    assert.ok(!hasANSI(r.screen));
    assert.equal((JSON.parse(r.screen) as { payload: { sub: string } }).payload.sub, '123');
  });

  test('a missing --key is asked for at a hidden prompt, and the typed secret is not echoed', async () => {
    const r = await onTerminal(
      ['verify', TOKEN, '--alg', 'HS256', '--quiet'],
      {},
      { waitFor: '(input hidden): ', type: `${SECRET}\r` },
    );
    assert.equal(r.code, 0, r.screen);
    assert.equal(r.screen, 'Secret for --key (input hidden): \n');
    const wrong = await onTerminal(
      ['verify', TOKEN, '--alg', 'HS256'],
      {},
      { waitFor: '(input hidden): ', type: 'wrong-secret-but-long-enough-for-hs256!!\r' },
    );
    assert.equal(wrong.code, 1);
    assert.ok(!wrong.screen.includes('wrong-secret'), wrong.screen);
    assert.ok(wrong.screen.includes('(ERR_JWS_SIGNATURE_INVALID)'));
  });

  test('Ctrl-C at the prompt aborts with exit code 130', async () => {
    const r = await onTerminal(['encode', '--exp', '1m'], {}, { waitFor: '(input hidden): ', type: '\u0003' });
    assert.equal(r.code, 130);
  });

  test('decode without a token on a terminal explains how to pass one', async () => {
    const r = await onTerminal(['decode']);
    assert.equal(r.code, 2);
    assert.ok(
      r.screen.includes('error:\u001b[39m missing TOKEN: tessera decode TOKEN, or pipe it in: … | tessera decode -\n'),
      r.screen,
    );
  });
});
