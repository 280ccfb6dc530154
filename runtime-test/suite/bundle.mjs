// Bundles suite/entry.js once for the browser platform (so `tessera-jwt` resolves through its "browser"
// export condition to the web entry) and writes the cases next to it.
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
