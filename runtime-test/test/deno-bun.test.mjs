// The conformance suite on Deno and on Bun: the same bundle, run by each runtime's own binary.
import { test } from 'node:test';
import { bundleSuite, OUT } from '../suite/bundle.mjs';
import { checkReport } from './report.mjs';
import { findRuntime, runSuiteCLI } from './runtimes.mjs';

for (const name of ['Deno', 'Bun']) {
  const runtime = findRuntime(name);
  test(`conformance suite on ${name}`, { skip: runtime.skip ?? false, timeout: 120_000 }, async () => {
    const { cases } = await bundleSuite();
    checkReport(runSuiteCLI(name, runtime, OUT), cases);
  });
}
