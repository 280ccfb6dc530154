// Shared by the runners: print the per-runtime count, fail on any failed case, and verify every token the
// web entry signed on that runtime with the Node entry (node:crypto), so signing is checked across engines.
import assert from 'node:assert/strict';
import { decryptJWE, decryptJWT, JWKSet, verifyJWS, verifyJWT } from 'tessera-jwt';
import { checkWithOracles } from '../suite/oracle-cases.mjs';

// A JWE case may be unsupported only for a primitive the runtime lacks (192-bit AES, X448, deflate-raw streams).
const JWE_UNSUPPORTED =
  /^(A192KW|A192GCMKW|ECDH-ES(\+A(128|192|256)KW)?|PBES2-HS384\+A192KW|A192GCM|A192CBC-HS384|zip "DEF") is not available on (Node\.js|Chrome|Firefox|Safari|Edge|Deno|Bun|Cloudflare Workers)\b.*: its crypto\.subtle has no (192-bit AES|X448|X25519|CompressionStream|DecompressionStream)/;

// `policy` (the Node build's run on Deno and Bun): `unsupported`, the one pattern every unsupported case
// must match; `excused(id)`, the pattern a failure of that case must match to be a listed, expected gap.
export function checkReport(report, cases, policy) {
  const line = `${report.runtime}: ${report.passed.length}/${cases.length} passed, ${report.unsupported.length} unsupported, ${report.failed.length} failed`;
  console.log(line);
  for (const u of report.unsupported) console.log(`  unsupported on ${report.runtime}: ${u.id} — ${u.reason}`);
  const excused = (f) => policy?.excused?.(f.id)?.test(f.reason) === true;
  for (const f of report.failed)
    console.log(`  ${excused(f) ? 'EXPECTED GAP' : 'FAILED'} on ${report.runtime}: ${f.id} — ${f.reason}`);
  assert.deepEqual(
    report.failed.filter((f) => !excused(f)),
    [],
    line,
  );
  assert.equal(
    report.passed.length + report.unsupported.length + report.failed.length,
    cases.length,
    'every case is accounted for',
  );
  // Only a missing primitive may be unsupported, and it must name the algorithm and the runtime.
  const isJWE = (id) => /^(jwe|jwt)-/.test(byIdOf(cases).get(id)?.op ?? '');
  if (policy?.unsupported) for (const u of report.unsupported) assert.match(u.reason, policy.unsupported);
  else {
    for (const u of report.unsupported.filter((x) => isJWE(x.id))) assert.match(u.reason, JWE_UNSUPPORTED);
    for (const u of report.unsupported.filter((x) => !isJWE(x.id)))
      assert.match(
        u.reason,
        /^(ES256K|Ed448|Ed25519|EdDSA) is not available on (Node\.js|Chrome|Firefox|Safari|Edge|Deno|Bun|Cloudflare Workers)\b/,
      );
  }
  const byId = new Map(cases.map((c) => [c.id, c]));
  for (const s of report.signed) {
    const c = byId.get(s.id);
    const claims = verifyJWT(s.token, s.publicJWK ?? c.publicJWK ?? c.key, { algorithms: [s.alg] });
    assert.deepEqual(claims, c.claims, `${s.id}: the Node entry reads what ${report.runtime} signed`);
    checkWithOracles(s.token, s.alg, s.publicJWK ?? c.publicJWK ?? c.key, c.claims);
  }
  // Every JWE the web entry made on this runtime decrypts with the Node entry (node:crypto).
  for (const e of report.encrypted ?? []) {
    const c = byId.get(e.id);
    if (c.op === 'jwt-encrypt') {
      const claims = decryptJWT(e.jwe, c.privateKey, c.options);
      assert.deepEqual(claims, c.claims, `${e.id}: the Node entry reads the JWT ${report.runtime} encrypted`);
    } else {
      const { plaintext } = decryptJWE(e.jwe, c.privateKey, c.options);
      assert.equal(
        Buffer.from(plaintext).toString('utf8'),
        c.plaintext,
        `${e.id}: the Node entry reads what ${report.runtime} encrypted`,
      );
    }
  }
  // Every JWS the web entry signed on this runtime (JSON, detached, unencoded) verifies with the Node entry.
  for (const s of report.signedJWS ?? []) {
    const c = byId.get(s.id);
    const key = Array.isArray(c.verifyKey?.keys) ? JWKSet.from(c.verifyKey) : c.verifyKey;
    const { payload } = verifyJWS(s.jws, key, c.verifyOptions);
    assert.equal(
      Buffer.from(payload).toString('hex'),
      c.payloadHex,
      `${s.id}: the Node entry reads what ${report.runtime} signed`,
    );
  }
  if (report.signedJWS?.length)
    console.log(`  ${report.runtime}: ${report.signedJWS.length} web-signed JWSs verified by the Node entry`);
  if (report.encrypted?.length)
    console.log(`  ${report.runtime}: ${report.encrypted.length} web-encrypted JWEs decrypted by the Node entry`);
  return line;
}

function byIdOf(cases) {
  return new Map(cases.map((c) => [c.id, c]));
}
