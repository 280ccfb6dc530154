// Wycheproof's JWS tests (C2SP/wycheproof json_web_signature_test.json, ../shared/vectors/wycheproof-jose) for the
// web entry on every runtime. The outcome is the vector's own: a "valid" token verifies and yields its payload
// bytes, an "invalid" one is refused. The error code a refusal must carry is the one the Node entry gives the same
// token, key and allowlist, so both entries refuse for the same reason (the library suite holds the Node entry to
// Wycheproof, with its documented policy cases).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JWS_ALGORITHMS, verifyJWS } from 'tessera-jwt';
import { VECTORS } from './shared.mjs';

const FILE = join(VECTORS, 'wycheproof-jose', 'json_web_signature_test.json');
// Valid-labelled tests both entries refuse on purpose (RFC 7520's figures 20 and 27 with keys the JWA rules refuse;
// a "?" inserted in the header, or in the payload, which strict base64url refuses): the library suite's POLICY
// entries give the reasons.
const POLICY = new Set([346, 347, 350, 351, 372, 373]);
// Invalid-labelled tests whose token is byte for byte tc357's valid one (the padding the test is about is missing
// from the file): the token verifies, as on Node, and the padded forms the tests describe are refused.
const PADDED = new Map([
  [367, (jws) => `${jws}=`],
  [370, (jws) => jws.replace('.VGVzdA.', '.VGVzdA==.')],
]);

function nodeOutcome(token, key, algorithms) {
  try {
    verifyJWS(token, key, { algorithms });
    return undefined;
  } catch (err) {
    return err.code ?? err.name;
  }
}

/** Verify cases for every JWS test of the file (all compact). */
export function buildWycheproofCases() {
  const cases = [];
  const { testGroups } = JSON.parse(readFileSync(FILE, 'utf8'));
  for (const group of testGroups) {
    const key = group.public ?? group.private;
    // The allowlist: the JWK's alg where Tessera implements it, else every JWS algorithm, so the key has to refuse.
    const algorithms = JWS_ALGORITHMS.includes(key.alg) ? [key.alg] : [...JWS_ALGORITHMS];
    for (const t of group.tests) {
      if (t.result === 'acceptable') continue; // none in this file today
      const id = `Wycheproof JWS tc${t.tcId} (${t.result}): ${t.comment}`.slice(0, 160);
      const node = nodeOutcome(t.jws, key, algorithms);
      if (t.result === 'valid' && node !== undefined && POLICY.has(t.tcId)) {
        // A documented policy difference (packages/tessera/test/vectors-wycheproof.test.ts): refused as on Node.
        cases.push({
          id: `${id} [policy: refused as on Node]`,
          op: 'verify-jws',
          token: t.jws,
          key,
          algorithms,
          error: node,
        });
      } else if (t.result === 'valid') {
        if (node !== undefined) throw new Error(`${id}: the Node entry refuses a valid token (${node})`);
        const payload = t.jws.split('.')[1];
        cases.push({ id, op: 'verify-jws', token: t.jws, key, algorithms, payload });
      } else if (PADDED.has(t.tcId) && node === undefined) {
        cases.push({
          id: `${id} [the file's token is tc357's: verifies]`,
          op: 'verify-jws',
          token: t.jws,
          key,
          algorithms,
        });
        const padded = PADDED.get(t.tcId)(t.jws);
        const code = nodeOutcome(padded, key, algorithms);
        if (code === undefined) throw new Error(`${id}: the Node entry accepts the padded form`);
        cases.push({ id: `${id} [padded form]`, op: 'verify-jws', token: padded, key, algorithms, error: code });
      } else {
        if (node === undefined) throw new Error(`${id}: the Node entry accepts an invalid token`);
        cases.push({ id, op: 'verify-jws', token: t.jws, key, algorithms, error: node });
      }
    }
  }
  return cases;
}
