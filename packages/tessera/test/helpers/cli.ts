// Running the built `tessera` binary in tests: a fixed clock (TESSERA_NOW), a minimal environment, and
// stdout, stderr and the exit code kept apart; plus the two failure shapes every command shares.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from './paths.js';

export const CLI = resolve(REPO_ROOT, 'packages/tessera/dist/cli/main.js');
export const NOW = '2026-01-01T00:00:00Z';

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

/** A run as text only (what most assertions compare). */
export type TextRun = Pick<Run, 'code' | 'stdout' | 'stderr'>;

export interface RunOptions {
  /** Standard input (a pipe); by default an empty pipe, closed at once. */
  readonly input?: string | Buffer;
  /** Environment over { PATH, TESSERA_NOW }; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

/** Spawns `node dist/cli/main.js ...args` and collects its output. */
export function runCLI(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', TESSERA_NOW: NOW };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const bytes = Buffer.concat(out);
      done({ code, stdout: bytes.toString('utf8'), stdoutBytes: bytes, stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {}); // the CLI may exit without reading its input
    child.stdin.end(options.input ?? '');
  });
}

/** Asserts a usage error: exit code 2, nothing on stdout, the message and the help pointer on stderr. */
export function assertUsage(r: TextRun, message: string | RegExp, command?: string): void {
  assert.equal(r.stdout, '', 'a usage error prints nothing on stdout');
  const [first, second] = r.stderr.split('\n');
  if (typeof message === 'string') assert.equal(first, `error: ${message}`);
  else assert.match(first!, message);
  assert.equal(second, `Run "tessera ${command ? `${command} ` : ''}--help" for usage.`);
  assert.equal(r.code, 2, r.stderr);
}

/** Asserts a token failure: exit code 1, nothing on stdout, `error: …(CODE)` and maybe a hint on stderr. */
export function assertInvalid(r: TextRun, code: string, hint?: string | RegExp): void {
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.match(lines[0]!, new RegExp(`^error: .*\\(${code}\\)$`));
  if (hint === undefined) assert.equal(lines.length, 1, r.stderr);
  else if (typeof hint === 'string') assert.equal(lines[1], `hint: ${hint}`);
  else assert.match(lines[1] ?? '', hint);
  assert.equal(r.code, 1, r.stderr);
}
