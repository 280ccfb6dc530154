// Bundles suite/entry.js once for the browser platform (so `tessera-jwt` resolves through its "browser"
// export condition to the web entry) and writes the cases next to it. bundleNodeSuite bundles the same suite
// for the node platform, where `tessera-jwt` is the Node build, as Deno and Bun resolve it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildCases } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const OUT = join(here, '..', 'build');

export async function bundleSuite() {
  mkdirSync(OUT, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(here, 'entry.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2022',
    outfile: join(OUT, 'suite.js'),
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs);
  if (!inputs.some((file) => file.includes('dist/web/index.js')))
    throw new Error(`the "browser" condition did not pick tessera-jwt's web entry: ${inputs.join(', ')}`);
  const cases = buildCases();
  writeFileSync(join(OUT, 'cases.json'), JSON.stringify(cases));
  return { suite: join(OUT, 'suite.js'), cases };
}

export const NODE_OUT = join(here, '..', 'build-node');

/** The suite over the Node build (node:crypto), for Deno's and Bun's Node compatibility. */
export async function bundleNodeSuite() {
  mkdirSync(NODE_OUT, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(here, 'entry.js')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    outfile: join(NODE_OUT, 'suite.js'),
    metafile: true,
    logLevel: 'error', // esbuild notes the Node build's bare chunk imports (side-effect free) that it drops
  });
  const inputs = Object.keys(result.metafile.inputs);
  if (!inputs.some((file) => file.endsWith('tessera/dist/index.js')) || inputs.some((f) => f.includes('dist/web/')))
    throw new Error(`the node platform did not pick tessera-jwt's Node build: ${inputs.join(', ')}`);
  const cases = buildCases();
  writeFileSync(join(NODE_OUT, 'cases.json'), JSON.stringify(cases));
  return { suite: join(NODE_OUT, 'suite.js'), cases };
}
