// Shared by the runners: print the per-runtime count, fail on any failed case, and verify every token the
// web entry signed on that runtime with the Node entry (node:crypto), so signing is checked across engines.
import assert from 'node:assert/strict';
import { verifyJWT } from 'tessera-jwt';

export function checkReport(report, cases) {
  const line = `${report.runtime}: ${report.passed.length}/${cases.length} passed, ${report.unsupported.length} unsupported, ${report.failed.length} failed`;
  console.log(line);
  for (const u of report.unsupported) console.log(`  unsupported on ${report.runtime}: ${u.id} — ${u.reason}`);
  for (const f of report.failed) console.log(`  FAILED on ${report.runtime}: ${f.id} — ${f.reason}`);
  assert.equal(report.failed.length, 0, line);
  assert.equal(report.passed.length + report.unsupported.length, cases.length, 'every case is accounted for');
  // Only a missing primitive may be unsupported, and it must name the algorithm and the runtime.
  for (const u of report.unsupported)
    assert.match(
      u.reason,
      /^(ES256K|Ed448|Ed25519|EdDSA) is not available on (Node\.js|Chrome|Firefox|Safari|Edge|Deno|Bun|Cloudflare Workers)\b/,
    );
  const byId = new Map(cases.map((c) => [c.id, c]));
  for (const s of report.signed) {
    const c = byId.get(s.id);
    const claims = verifyJWT(s.token, s.publicJWK ?? c.publicJWK ?? c.key, { algorithms: [s.alg] });
    assert.deepEqual(claims, c.claims, `${s.id}: the Node entry reads what ${report.runtime} signed`);
  }
  return line;
}
