// Throwaway Redis and PostgreSQL servers on loopback for bench:oauth, started the way the store tests
// start theirs (stores-test/test/helpers/servers.ts): a URL in TESSERA_TEST_REDIS_URL /
// TESSERA_TEST_POSTGRES_URL wins; otherwise Debian's binaries on a free port, stopped afterwards. Missing
// binaries: a loud banner and { skip } (benches are manual, not CI: under CI=true it is an error).
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function missing(what, envVar) {
  const reason = `${what} not found: apt-get install -y redis-server postgresql, or set ${envVar}`;
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  const line = '!'.repeat(100);
  console.warn(`\n${line}\n!! SKIPPING the ${what} rows: ${reason}\n${line}\n`);
  return { skip: reason };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function which(command) {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  return dirs
    .filter(Boolean)
    .map((d) => join(d, command))
    .find(existsSync);
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error}`);
  return result.stdout;
}

export async function redisServer() {
  if (process.env.TESSERA_TEST_REDIS_URL) return { url: process.env.TESSERA_TEST_REDIS_URL, stop: async () => {} };
  const binary = which('redis-server');
  if (!binary) return missing('redis-server', 'TESSERA_TEST_REDIS_URL');
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${seen}`)), 15_000);
    child.stdout.on('data', (d) => {
      seen += d;
      if (seen.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${seen}`)));
  });
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

export async function postgresServer() {
  if (process.env.TESSERA_TEST_POSTGRES_URL)
    return { url: process.env.TESSERA_TEST_POSTGRES_URL, stop: async () => {} };
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  const versioned = versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
  const initdb = which('initdb');
  const bin = versioned ?? (initdb ? join(initdb, '..') : undefined);
  if (!bin) return missing('PostgreSQL (initdb, pg_ctl)', 'TESSERA_TEST_POSTGRES_URL');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-pg-'));
  const data = join(dir, 'data');
  // PostgreSQL refuses to run as root: as root, its binaries run as Debian's postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(run('id', ['-u', 'postgres'])), Number(run('id', ['-g', 'postgres'])));
  const pg = (tool, args) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const port = await freePort();
  pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  // Durability off (fsync, synchronous_commit), as in the store tests: this measures the store, not the disk.
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
