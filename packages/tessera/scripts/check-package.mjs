// Rules we care about, as a script (run by `npm test`): the library has no runtime dependencies,
// every export in package.json points at a built file, every error code is documented in the README,
// and the library imports nothing but node: built-ins and its own files.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const failures = [];
const fail = (msg) => failures.push(msg);

for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) {
  if (pkg[field] && Object.keys(pkg[field]).length > 0) fail(`packages/tessera/package.json must not have ${field}`);
}
for (const [subpath, target] of Object.entries(pkg.exports)) {
  // Conditions may nest ("browser": { "types", "default" }): check every leaf.
  const leaves = (t) => (typeof t === 'string' ? [t] : Object.values(t).flatMap(leaves));
  for (const file of leaves(target)) {
    if (!existsSync(join(root, file))) fail(`export "${subpath}" points at missing ${file} (run npm run build)`);
  }
}
function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (path.endsWith('.ts')) yield path;
  }
}
for (const file of walk(join(root, 'src'))) {
  const text = readFileSync(file, 'utf8');
  // Statements at the start of a line only (TSDoc examples are ` * import … from 'tessera-jwt'`).
  for (const m of text.matchAll(
    /^(?:import|export)\b[^;'"`]*?\bfrom\s*'([^']+)'|^import\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm,
  )) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('node:') && !spec.startsWith('.'))
      fail(`${file.slice(root.length + 1)} imports "${spec}" (only node: built-ins and relative files)`);
  }
}
const { ERROR_CODES } = await import(join(root, 'dist/errors.js'));
const readme = readFileSync(join(root, '../../README.md'), 'utf8');
for (const [code, name] of Object.entries(ERROR_CODES)) {
  if (!readme.includes(code) || !readme.includes(name)) fail(`README.md does not document ${name} (${code})`);
}
// The builds do not keep names (keepNames costs time on hot paths), so a bundler rename on a collision would
// change an error's `name`: every error class, in the Node and the web build, must still be called as written.
const builds = { node: await import(join(root, 'dist/errors.js')), web: await import(join(root, 'dist/web/index.js')) };
for (const [build, module] of Object.entries(builds)) {
  for (const name of Object.values(ERROR_CODES)) {
    const Class = module[name];
    if (typeof Class !== 'function') fail(`the ${build} build does not export ${name}`);
    else if (Class.name !== name) fail(`the ${build} build renamed ${name} to ${Class.name}`);
  }
}
// Every public symbol has TSDoc with an @example: runtime exports, and every type of src/types.ts.
const sources = [...walk(join(root, 'src'))].map((file) => readFileSync(file, 'utf8'));
const declared = (name) =>
  new RegExp(
    `/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*export (?:declare )?(?:async )?(?:function|class|interface|type|const) ${name}\\b`,
  );
const publicNames = new Set(Object.keys(await import(join(root, 'dist/index.js'))));
for (const m of readFileSync(join(root, 'src/types.ts'), 'utf8').matchAll(/^export (?:interface|type) (\w+)/gm))
  publicNames.add(m[1]);
for (const name of publicNames) {
  const doc = sources.map((text) => declared(name).exec(text)).find(Boolean);
  if (!doc) fail(`public export ${name} has no TSDoc comment`);
  else if (!doc[1].includes('@example')) fail(`public export ${name} has TSDoc without an @example`);
}
if (failures.length) {
  console.error(`check-package: ${failures.length} problem(s)\n - ${failures.join('\n - ')}`);
  process.exit(1);
}
console.log(
  `check-package: ok (no runtime dependencies, ${Object.keys(pkg.exports).length} subpath exports, ${publicNames.size} documented public symbols, ${Object.keys(ERROR_CODES).length} error codes in the README)`,
);
