// The conformance suite on Node, through the same browser bundle the other runtimes load (Node's
// crypto.subtle, not node:crypto).
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bundleSuite } from '../suite/bundle.mjs';
import { checkReport } from './report.mjs';

test('conformance suite on Node (web entry over crypto.subtle)', async () => {
  const { suite, cases } = await bundleSuite();
  const { lib, runConformance } = await import(pathToFileURL(suite).href);
  const report = await runConformance(lib, cases, `Node ${process.version}`);
  checkReport(report, cases);
});
