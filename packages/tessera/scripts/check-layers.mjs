// The layer rule, as a script (run by `npm test`). Every source file belongs to a layer; a file may import
// files of its own layer or of layers below it, never above, and the import graph has no cycle (type-only
// imports count: they are still a dependency a reader has to follow). Layers above the JOSE core reach its
// private machinery (`lib/`) only through `internal.ts`, the deliberate internal seam.
//
// Known violations that predate the script are listed in scripts/layer-debt.json, which may only shrink:
// a new violation fails, and so does a listed one that no longer occurs (delete it from the file).
//
//   node scripts/check-layers.mjs [--graph] [--write-debt]
//     --graph       prints every file's layer and imports
//     --write-debt  rewrites layer-debt.json with today's violations (only to record a fix, never to add one)
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

// Bottom to top. A pattern is a file or a folder (with a trailing slash) under src/.
const LAYERS = [
  ['errors.ts'],
  ['types.ts'],
  ['lib/'],
  // The web entry (crypto.subtle) uses lib's platform-neutral modules only; the build bundles it for browsers.
  ['web/'],
  ['jwk/'],
  ['jwks/'],
  ['jws/', 'jwe/'],
  ['jwt/'],
  // The public entry points; the /jwk, /jwks and /jwe views re-export the same objects as index.ts.
  ['index.ts', 'internal.ts', 'jwk/index.ts', 'jwks/index.ts', 'jwe/index.ts'],
  ['middleware/'],
  // The OpenID Connect relying party: uses the core, the remote JWK Set and discovery.
  ['oidc/'],
  // The web forms of the fetch and Hono adapters: the middleware over the web entry's verifyJWT.
  ['adapters/', 'server/', 'web/fetch.ts', 'web/hono.ts', 'web/middleware.ts'],
  // The OpenID provider builds on the token service, endpoints and middleware.
  ['provider/'],
  ['stores/'],
  ['cli/'],
];
const CORE_TOP = LAYERS.findIndex((layer) => layer.includes('index.ts'));

const layerOf = (file) => {
  const rel = relative(src, file).split(sep).join('/');
  // A file named exactly wins over the folder it sits in.
  let index = LAYERS.findIndex((layer) => layer.includes(rel));
  if (index < 0) index = LAYERS.findIndex((layer) => layer.some((p) => p.endsWith('/') && rel.startsWith(p)));
  if (index < 0) throw new Error(`check-layers: ${rel} belongs to no layer; add it to LAYERS`);
  return index;
};
const show = (file) => relative(src, file).split(sep).join('/');

const files = readdirSync(src, { recursive: true })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(src, file));

// Statements at the start of a line (TSDoc examples are ` * import … from 'tessera-jwt'`), and import().
const IMPORT =
  /^(?:import|export)\b[^;'"`]*?\bfrom\s*'(\.[^']+)'|^import\s*'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/gm;
const graph = new Map();
for (const file of files) {
  const targets = new Set();
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    targets.add(resolve(dirname(file), (m[1] ?? m[2] ?? m[3]).replace(/\.js$/, '.ts')));
  }
  graph.set(file, [...targets]);
}

const failures = [];
for (const [file, targets] of graph) {
  const from = layerOf(file);
  for (const target of targets) {
    if (!graph.has(target)) {
      failures.push(`${show(file)} imports ${show(target)}, which does not exist`);
      continue;
    }
    const to = layerOf(target);
    if (to > from)
      failures.push(
        `${show(file)} (layer ${LAYERS[from].join(' ')}) imports upward: ${show(target)} (layer ${LAYERS[to].join(' ')})`,
      );
    if (from > CORE_TOP && show(target).startsWith('lib/'))
      failures.push(`${show(file)} imports ${show(target)} directly; go through internal.ts`);
  }
}

// Tarjan's strongly connected components: any component of more than one file is a cycle.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
const visit = (file) => {
  index.set(file, counter);
  low.set(file, counter);
  counter++;
  stack.push(file);
  onStack.add(file);
  for (const target of graph.get(file) ?? []) {
    if (!graph.has(target)) continue;
    if (!index.has(target)) {
      visit(target);
      low.set(file, Math.min(low.get(file), low.get(target)));
    } else if (onStack.has(target)) low.set(file, Math.min(low.get(file), index.get(target)));
  }
  if (low.get(file) === index.get(file)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) components.push(component);
  }
};
for (const file of graph.keys()) if (!index.has(file)) visit(file);
for (const component of components)
  failures.push(`import cycle of ${component.length} files: ${component.map(show).sort().join(', ')}`);

if (process.argv.includes('--graph')) {
  for (const [file, targets] of [...graph].sort(([a], [b]) => show(a).localeCompare(show(b)))) {
    console.log(`${show(file)} [${LAYERS[layerOf(file)].join(' ')}] → ${targets.map(show).join(', ')}`);
  }
}
const debtFile = join(dirname(fileURLToPath(import.meta.url)), 'layer-debt.json');
if (process.argv.includes('--write-debt')) {
  writeFileSync(debtFile, `${JSON.stringify(failures.sort(), null, 2)}\n`);
  console.log(`check-layers: wrote ${failures.length} known violation(s) to ${relative(process.cwd(), debtFile)}`);
  process.exit(0);
}
const debt = new Set(existsSync(debtFile) ? JSON.parse(readFileSync(debtFile, 'utf8')) : []);
const fresh = failures.filter((f) => !debt.has(f));
const paid = [...debt].filter((f) => !failures.includes(f));
if (fresh.length > 0 || paid.length > 0) {
  if (fresh.length > 0) console.error(`check-layers: ${fresh.length} new problem(s):\n  ${fresh.join('\n  ')}`);
  if (paid.length > 0)
    console.error(
      `check-layers: ${paid.length} listed in layer-debt.json no longer occur; remove them:\n  ${paid.join('\n  ')}`,
    );
  process.exit(1);
}
console.log(
  `check-layers: ${graph.size} files in ${LAYERS.length} layers; no new upward import or cycle (${debt.size} known, listed in layer-debt.json)`,
);
