// Finding the runtimes installed from registry packages that ship their binaries (nothing is downloaded at run
// time). A missing runtime is a loud skip locally and a failure under CI=true.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const BINARIES = {
  Deno: ['@deno/linux-x64-glibc', 'deno'],
  Bun: ['@oven/bun-linux-x64', 'bin/bun'],
  workerd: ['@cloudflare/workerd-linux-64', 'bin/workerd'],
};

/** The binary's path, or a skip reason (throws under CI=true). */
export function findRuntime(name) {
  const [pkg, file] = BINARIES[name];
  let path;
  try {
    path = join(dirname(require.resolve(`${pkg}/package.json`)), file);
  } catch {
    path = undefined;
  }
  if (path && existsSync(path)) return { path };
  const reason = `${name} not found: npm install (devDependency ${pkg} of runtime-test)`;
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING the ${name} run: ${reason}\n${'!'.repeat(100)}\n`);
  return { skip: reason };
}

const CLI = fileURLToPath(new URL('../suite/cli.js', import.meta.url));

/**
 * Runs a bundled suite (suite.js and cases.json in `dir`) with Deno's or Bun's own binary through suite/cli.js
 * and returns the report it prints. `denoAllow`: Deno permissions beyond reading `dir`.
 */
export function runSuiteCLI(name, runtime, dir, denoAllow = []) {
  const cli = join(dir, 'cli.js');
  copyFileSync(CLI, cli);
  const args = name === 'Deno' ? ['run', '--quiet', '--no-prompt', `--allow-read=${dir}`, ...denoAllow, cli] : [cli];
  const out = execFileSync(runtime.path, args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    timeout: 100_000,
  });
  const line = out.split('\n').find((l) => l.startsWith('REPORT '));
  if (!line) throw new Error(`${name} printed no report:\n${out}`);
  return JSON.parse(line.slice(7));
}
