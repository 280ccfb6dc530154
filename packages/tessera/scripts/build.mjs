// The library build. tsc type-checks the sources and writes the declarations (dist/**/*.d.ts, one per source
// file, which the exports map and editors use); esbuild writes the JavaScript in two layers:
//
//   1. the JOSE core: `index`, `errors` and `internal` (the helpers upper layers use), so that
//      `import 'tessera-jwt'` reads a handful of files instead of ~70: module resolution and file reads, not
//      the code, dominated its cold start;
//   2. everything above it (the /jwk, /jwks and /jwe views, middleware, adapters, server, stores, CLI), with
//      every import of a core file rewritten to the core's built entries. Each subpath therefore loads its own
//      code plus the one core, and every class (errors, Key, JWKSet) exists once, so `instanceof` holds across
//      subpaths.
//
// A core module that an upper layer imports must be reachable through index.ts, errors.ts or internal.ts; the
// build fails otherwise, and then loads every entry once to prove that every rewritten import links.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const esbuild = await import('esbuild');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const CORE_DIRS = ['lib', 'jwk', 'jwks', 'jws', 'jwe', 'jwt'];
const CORE_ENTRIES = { index: 'index.ts', errors: 'errors.ts', internal: 'internal.ts' };
const isCore = (file) => {
  const rel = relative(src, file);
  return rel === 'types.ts' || Object.values(CORE_ENTRIES).includes(rel) || CORE_DIRS.includes(rel.split(sep)[0]);
};

// dist/adapters/express.js → src/adapters/express.ts, plus the CLI.
const exported = Object.values(pkg.exports)
  .filter((target) => typeof target === 'object')
  .map((target) => join(root, target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')));
const isWeb = (file) => relative(src, file).split(sep)[0] === 'web';
const upperEntries = [
  ...exported.filter((file) => !Object.values(CORE_ENTRIES).includes(relative(src, file)) && !isWeb(file)),
  join(src, 'cli/main.ts'),
];

const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  outdir: dist,
  outbase: src,
  chunkNames: 'chunks/[name]-[hash]',
  // No keepNames: its __name(…) calls run each time a closure is created (~13% of an HS256 sign). esbuild
  // renames only on a collision, and check-package proves every error class still has its own name.
  keepNames: false,
  legalComments: 'none',
  logLevel: 'warning',
};

// Upper-layer imports of a core file become imports of the built core entry that exposes it.
const coreAsExternal = {
  name: 'core-as-external',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const file = join(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      if (!isCore(file)) return undefined;
      const rel = relative(src, file);
      const entry =
        rel === 'errors.ts' ? 'errors' : rel.startsWith(`lib${sep}`) || rel === 'internal.ts' ? 'internal' : 'index';
      return { path: join(dist, `${entry}.js`), external: true };
    });
  },
};

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--emitDeclarationOnly'],
  { stdio: 'inherit' },
);

await esbuild.build({ ...common, entryPoints: Object.values(CORE_ENTRIES).map((file) => join(src, file)) });
const upper = await esbuild.build({ ...common, entryPoints: upperEntries, plugins: [coreAsExternal], write: false });

// 3. the web entry (tessera-jwt/web, and what the "browser" condition resolves `tessera-jwt` to): one
//    self-contained ES module for the browser platform over crypto.subtle. A node: import anywhere in its
//    graph fails the build: the browser bundlers of its users would fail the same way.
//    The web forms of the fetch and Hono adapters (tessera-jwt/web/fetch, /web/hono, and what the web
//    conditions resolve tessera-jwt/fetch and /hono to) are built with it, sharing its chunks, so that each
//    error class exists once across the web entries.
// The upper-layer modules in the web graph (the middleware core) reach lib/ through internal.ts, which
// re-exports Node code too: for the web build it is web/internal.ts, its platform-neutral subset.
// The core's two platform modules, base64url and UTF-8 decoding over Buffer, have web twins with the same
// exports over atob/btoa and TextDecoder: with them, the core's parsers (compact JWS, JWE, JSON) run on the web.
const WEB_TWINS = new Map([
  [join(src, 'internal.ts'), join(src, 'web/internal.ts')],
  [join(src, 'lib/base64url.ts'), join(src, 'web/base64url.ts')],
  [join(src, 'lib/utf8.ts'), join(src, 'web/utf8.ts')],
]);
const webInternal = {
  name: 'web-twins',
  setup(build) {
    build.onResolve({ filter: /(^|\/)(internal|base64url|utf8)\.js$/ }, (args) => {
      const twin = WEB_TWINS.get(join(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
      return twin === undefined ? undefined : { path: twin };
    });
  },
};
const web = await esbuild.build({
  ...common,
  plugins: [webInternal],
  // Without __name(…) wrappers (see common) the web bundles also tree-shake: the wrappers are side effects.
  platform: 'browser',
  target: 'es2022',
  chunkNames: 'web/chunks/[name]-[hash]',
  entryPoints: ['index.ts', 'fetch.ts', 'hono.ts'].map((file) => join(src, 'web', file)),
  metafile: true,
});
const nodeImports = Object.entries(web.metafile.inputs).flatMap(([file, input]) =>
  input.imports.filter((i) => i.path.startsWith('node:')).map((i) => `${file} imports ${i.path}`),
);
if (nodeImports.length > 0) {
  console.error(`build: the web entry must not import Node built-ins:\n  ${nodeImports.join('\n  ')}`);
  process.exit(1);
}

// Externals were emitted as absolute paths; make them relative to each output file before writing.
const { mkdirSync, writeFileSync } = await import('node:fs');
for (const file of upper.outputFiles) {
  const fromDir = dirname(file.path);
  const text = file.text.replaceAll(
    /(["'])(\/[^"']+?\/dist\/(?:index|errors|internal)\.js)\1/g,
    (match, quote, absolute) => {
      if (!absolute.startsWith(dist)) return match;
      let rel = relative(fromDir, absolute).split(sep).join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return `${quote}${rel}${quote}`;
    },
  );
  mkdirSync(fromDir, { recursive: true });
  writeFileSync(file.path, text);
}

// Every built module must link: a rewritten import of a name the core entry does not export fails here, not in
// a user's process. (The CLI's main runs on import; its commands are chunks and are loaded.)
const { readdirSync } = await import('node:fs');
const modules = readdirSync(dist, { recursive: true })
  .filter((file) => file.endsWith('.js') && file !== join('cli', 'main.js'))
  .map((file) => pathToFileURL(join(dist, file)).href);
try {
  execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `for (const m of ${JSON.stringify(modules)}) await import(m);`],
    { stdio: 'inherit' },
  );
} catch {
  console.error(
    'build: a built module does not link (see above); export the name from src/internal.ts or src/index.ts',
  );
  process.exit(1);
}
