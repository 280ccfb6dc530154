// Bundles suite/entry.js once and writes the cases next to it. bundleSuite: for the browser platform, so that
// `tessera-jwt` resolves through its "browser" export condition to the web entry. bundleNodeSuite: for the node
// platform, where `tessera-jwt` is the Node build, as Deno and Bun resolve it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildCases } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const OUT = join(here, '..', 'build');
export const NODE_OUT = join(here, '..', 'build-node');

// `picked(inputs)`: whether the bundle holds the build it was meant to; the build fails otherwise.
async function bundleInto(out, options, picked, what) {
  mkdirSync(out, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(here, 'entry.js')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile: join(out, 'suite.js'),
    metafile: true,
    ...options,
  });
  const inputs = Object.keys(result.metafile.inputs);
  if (!picked(inputs)) throw new Error(`${what}: ${inputs.join(', ')}`);
  const cases = buildCases();
  writeFileSync(join(out, 'cases.json'), JSON.stringify(cases));
  return { suite: join(out, 'suite.js'), cases };
}

/** The suite over the web entry (crypto.subtle). */
export function bundleSuite() {
  return bundleInto(
    OUT,
    { platform: 'browser', conditions: ['browser'], logLevel: 'warning' },
    (inputs) => inputs.some((file) => file.includes('dist/web/index.js')),
    'the "browser" condition did not pick tessera-jwt\'s web entry',
  );
}

/** The suite over the Node build (node:crypto), for Deno's and Bun's Node compatibility. */
export function bundleNodeSuite() {
  return bundleInto(
    NODE_OUT,
    // esbuild notes the Node build's bare chunk imports (side-effect free) that it drops: not an error.
    { platform: 'node', logLevel: 'error' },
    (inputs) =>
      inputs.some((file) => file.endsWith('tessera/dist/index.js')) && !inputs.some((f) => f.includes('dist/web/')),
    "the node platform did not pick tessera-jwt's Node build",
  );
}
