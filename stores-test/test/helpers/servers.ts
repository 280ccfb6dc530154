// Real database servers for the store tests. A URL in the environment wins (TESSERA_TEST_REDIS_URL,
// TESSERA_TEST_POSTGRES_URL: each test works under its own key prefix or schema, so a shared server is
// fine); otherwise a throwaway server is started from Debian's binaries on a free loopback port and
// stopped afterwards. Binaries missing: the suite is skipped with a loud banner, except under CI=true,
// where a missing server is a failure (CI must never pass by testing nothing).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Server = { url: string; stop(): Promise<void> };
export type ServerOrSkip = Server | { skip: string };

const APT = 'apt-get update && apt-get install -y redis-server postgresql';

function missing(what: string, envVar: string): { skip: string } {
  const reason = `${what} not found: install it (${APT}) or set ${envVar}`;
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  const line = '!'.repeat(100);
  console.warn(`\n${line}\n!! SKIPPING the ${what} store tests: ${reason}\n${line}\n`);
  return { skip: reason };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':'))
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  for (const dir of ['/usr/bin', '/usr/sbin', '/usr/local/bin'])
    if (existsSync(join(dir, command))) return join(dir, command);
  return undefined;
}

/** Resolves once `child` prints `ready` (or rejects when it exits or `ms` pass first). */
function waitForOutput(child: ChildProcess, ready: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not print "${ready}" within ${ms} ms:\n${seen}`)), ms);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${seen}`));
    });
  });
}

export async function redisServer(): Promise<ServerOrSkip> {
  const url = process.env.TESSERA_TEST_REDIS_URL;
  if (url) return { url, stop: async () => {} };
  const binary = which('redis-server');
  if (!binary) return missing('redis-server', 'TESSERA_TEST_REDIS_URL');
  const port = await freePort();
  // No persistence: "restart durability" for Redis is a new client on the same server.
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  await waitForOutput(child, 'Ready to accept connections', 15_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      process.off('exit', kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  }
  const initdb = which('initdb');
  return initdb ? join(initdb, '..') : undefined;
}

export async function postgresServer(): Promise<ServerOrSkip> {
  const url = process.env.TESSERA_TEST_POSTGRES_URL;
  if (url) return { url, stop: async () => {} };
  const bin = postgresBinDir();
  if (!bin) return missing('PostgreSQL (initdb, pg_ctl)', 'TESSERA_TEST_POSTGRES_URL');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-pg-'));
  const data = join(dir, 'data');
  // PostgreSQL refuses to run as root: as root, run its binaries as the postgres user Debian creates.
  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    chownSync(dir, Number(run('id', ['-u', 'postgres']).trim()), Number(run('id', ['-g', 'postgres']).trim()));
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const port = await freePort();
  pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', '-o', settings, 'start']);
  const stopNow = () => {
    try {
      pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', stopNow);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.off('exit', stopNow);
      stopNow();
    },
  };
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.error}`);
  return result.stdout;
}

/**
 * A redis-server with an append-only file fsynced on every write, in `dir`, for the crash test: `crash()`
 * kills it with SIGKILL (no shutdown save) and a second call on the same `dir` recovers from the AOF.
 */
export async function persistentRedisServer(
  dir: string,
): Promise<{ url: string; crash(): Promise<void> } | { skip: string }> {
  const binary = which('redis-server');
  if (!binary) return missing('redis-server', 'PATH to include it (the crash test starts its own server)');
  const port = await freePort();
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  await waitForOutput(child, 'Ready to accept connections', 15_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    crash: async () => {
      process.off('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
