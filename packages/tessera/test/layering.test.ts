// The layers of the JOSE core, as a test (issue 11): lib/ is the bottom layer and imports nothing above
// it (only errors.ts and types.ts), types.ts imports no Tessera module, and lib/, jwk/, jwks/ and
// types.ts form no import cycle, counting `import type` too (a type-only cycle still ties the layers
// together for the compiler, the docs and anyone reading the code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { REPO_ROOT } from './helpers/paths.js';

const SRC = join(REPO_ROOT, 'packages/tessera/src');
const CORE = new Set(['lib', 'jwk', 'jwks', 'types.ts']);

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

/** Every relative import of every source file (static, type-only, re-exports, dynamic, inline `import('…')` types). */
function importGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of walk(SRC)) {
    const from = relative(SRC, file);
    const targets = new Set<string>();
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /^(?:import|export)\b[^;'"`]*?\bfrom\s*'(\.[^']+)'|^import\s*'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/gm,
    )) {
      targets.add(normalize(join(dirname(from), (m[1] ?? m[2] ?? m[3])!)).replace(/\.js$/, '.ts'));
    }
    graph.set(from, targets);
  }
  return graph;
}

const area = (file: string): string => (file.includes('/') ? file.split('/')[0]! : file);

test('the import graph is read (control: known edges are seen)', () => {
  const graph = importGraph();
  assert.ok(graph.get('jwks/set.ts')?.has('jwk/key.ts'));
  assert.ok(graph.get('lib/keys.ts')?.has('types.ts'), 'import type edges count');
});

test('lib/ imports nothing above it, and types.ts imports no Tessera module', () => {
  const graph = importGraph();
  const above: string[] = [];
  for (const [file, targets] of graph) {
    if (area(file) === 'lib')
      for (const t of targets)
        if (area(t) !== 'lib' && t !== 'errors.ts' && t !== 'types.ts') above.push(`${file} -> ${t}`);
    if (file === 'types.ts') for (const t of targets) above.push(`${file} -> ${t}`);
  }
  assert.deepEqual(above, []);
});

test('lib/, jwk/, jwks/ and types.ts form no import cycle (files and areas)', () => {
  const graph = importGraph();
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const t of graph.get(file) ?? []) {
      if (!CORE.has(area(t))) continue;
      if (state.get(t) === 'open') cycles.push([...path.slice(path.indexOf(t)), t].join(' -> '));
      else if (!state.has(t)) visit(t);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (CORE.has(area(file)) && !state.has(file)) visit(file);
  assert.deepEqual(cycles, []);
  // Area level: lib ← jwk ← jwks, all above types.ts; an edge the other way is a cycle between layers.
  const rank: Record<string, number> = { 'types.ts': 0, lib: 1, jwk: 2, jwks: 3 };
  const upward: string[] = [];
  for (const [file, targets] of graph) {
    if (!CORE.has(area(file))) continue;
    for (const t of targets)
      if (CORE.has(area(t)) && rank[area(t)]! > rank[area(file)]!) upward.push(`${file} -> ${t}`);
  }
  assert.deepEqual(upward, []);
});
