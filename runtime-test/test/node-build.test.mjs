// The Node build (node:crypto, synchronous) on Deno and Bun, where a plain `import 'tessera-jwt'` resolves to it:
// the conformance suite bundled for the node platform, run by each runtime's binary, and first by Node itself.
// What the runtime's node:crypto lacks must be the typed "not available" error naming the algorithm and the
// runtime; every token signed or encrypted there is read back by Node's build and the oracles (report.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bundleNodeSuite, NODE_OUT } from '../suite/bundle.mjs';
import { checkReport } from './report.mjs';
import { findRuntime, runSuiteCLI } from './runtimes.mjs';

// Cases that are not the Node build's behaviour on any runtime, Node included (asserted on Node below): the
// web entry's own DER and PBKDF2 bounds, which node:crypto's decoder does not have.
const WEB_ONLY = /^refused \(web only\): /;
const notTheNodeBuild = (id) => WEB_ONLY.test(id);
const NODE_BUILD_ANSWER = /^accepted; expected ERR_KEY_INVALID$/;

// Gaps of a runtime's node:crypto that no typed "not available" error can name (the import fails inside the
// runtime and a wrong passphrase fails the same way): encrypted PKCS#8 keys under some PBKDF2 hashes.
const GAPS = {
  Deno: [/^key form: ENCRYPTED PRIVATE KEY \(openssl, PBKDF2-hmacWithSHA1\)/],
  Bun: [/^key form: ENCRYPTED PRIVATE KEY \(openssl, PBKDF2-hmacWithSHA(384|512)\)/],
};
const GAP_ANSWER = /^ERR_KEY_INVALID: could not import the ENCRYPTED PRIVATE KEY key/;

const UNSUPPORTED =
  /^(A192GCM|A192CBC-HS384|A192GCMKW|ES256K|Ed448|ECDH-ES) is not available on (Deno|Bun) [\d.]+: its node:crypto has no (AES-192-GCM|AES-192-CBC|secp256k1|Ed448|X448)$/;

function policyFor(runtime) {
  return {
    unsupported: UNSUPPORTED,
    excused(id) {
      if (notTheNodeBuild(id)) return NODE_BUILD_ANSWER;
      return (GAPS[runtime] ?? []).some((gap) => gap.test(id)) ? GAP_ANSWER : undefined;
    },
  };
}

test('the Node build on Node through the same bundle: only the cases that are not its behaviour fail', async () => {
  const { suite, cases } = await bundleNodeSuite();
  const { lib, runConformance } = await import(pathToFileURL(suite).href);
  const report = await runConformance(lib, cases, `Node ${process.version}`);
  assert.deepEqual(report.unsupported, []);
  assert.deepEqual(
    report.failed.map((f) => f.id),
    cases.filter((c) => notTheNodeBuild(c.id)).map((c) => c.id),
  );
  checkReport(report, cases, policyFor('Node'));
});

for (const name of ['Deno', 'Bun']) {
  const runtime = findRuntime(name);
  test(`the Node build (tessera-jwt as ${name} resolves it) on ${name}`, {
    skip: runtime.skip ?? false,
    timeout: 120_000,
  }, async () => {
    const { cases } = await bundleNodeSuite();
    const report = runSuiteCLI(name, runtime, NODE_OUT, ['--allow-env']);
    checkReport(report, cases, policyFor(name));
    // Each listed gap still exists (a runtime that gains it should have its entry removed).
    for (const gap of GAPS[name])
      assert.ok(
        report.failed.some((f) => gap.test(f.id)),
        `${gap} is no longer a gap`,
      );
  });
}
