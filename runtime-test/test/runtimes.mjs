// Finding the runtimes installed from registry packages that ship their binaries (nothing is downloaded at run
// time). A missing runtime is a loud skip locally and a failure under CI=true.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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
