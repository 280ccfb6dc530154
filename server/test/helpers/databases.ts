// Throwaway Redis and PostgreSQL servers from Debian's binaries on free loopback ports, for the
// TESSERA_STORE switch tests. A URL in the environment wins (TESSERA_TEST_REDIS_URL,
// TESSERA_TEST_POSTGRES_URL). Binaries missing: skipped with a loud banner, except under CI=true.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir } from './server.js';

export type Database = { url: string; stop(): Promise<void> } | { skip: string };

function missing(what: string, envVar: string): { skip: string } {
  const reason = `${what} not found: install it (apt-get update && apt-get install -y redis-server postgresql) or set ${envVar}`;
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  const line = '!'.repeat(100);
  console.warn(`\n${line}\n!! SKIPPING the server-on-${what} tests: ${reason}\n${line}\n`);
  return { skip: reason };
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.error}`);
  return result.stdout;
}

export async function redis(): Promise<Database> {
  if (process.env.TESSERA_TEST_REDIS_URL) return { url: process.env.TESSERA_TEST_REDIS_URL, stop: async () => {} };
  const binary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(existsSync);
  if (!binary) return missing('redis-server', 'TESSERA_TEST_REDIS_URL');
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${seen}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('Ready to accept connections')) clearTimeout(timer), resolve();
    });
    child.once(
      'exit',
      (code) => (clearTimeout(timer), reject(new Error(`redis-server exited with ${code}:\n${seen}`))),
    );
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      process.off('exit', kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function postgres(): Promise<Database> {
  if (process.env.TESSERA_TEST_POSTGRES_URL)
    return { url: process.env.TESSERA_TEST_POSTGRES_URL, stop: async () => {} };
  const root = '/usr/lib/postgresql';
  const version = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  if (!version) return missing('PostgreSQL', 'TESSERA_TEST_POSTGRES_URL');
  const bin = join(root, version, 'bin');
  const dir = tempDir('tessera-server-pg-');
  const data = join(dir.path, 'data');
  // PostgreSQL refuses to run as root: as root, run it as the postgres user Debian creates.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir.path, Number(run('id', ['-u', 'postgres'])), Number(run('id', ['-g', 'postgres'])));
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const port = await freePort();
  pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  pg('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir.path, 'server.log'),
    '-w',
    '-t',
    '30',
    '-o',
    `-p ${port} -k ${dir.path} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  const stopNow = () => {
    try {
      pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      dir.remove();
    }
  };
  process.once('exit', stopNow);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      process.off('exit', stopNow);
      stopNow();
    },
  };
}
