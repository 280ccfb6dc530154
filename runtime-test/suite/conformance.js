// The conformance suite that runs unchanged on every runtime (Node, Deno, Bun, workerd, Chromium): given the
// web entry and the cases built on Node (cases.mjs), it runs each case and reports, per case, passed,
// failed (with why) or unsupported (the runtime's crypto.subtle lacks the primitive: the typed error that
// names the algorithm and the runtime is the expected behaviour, and the case is listed with that reason).
// It also returns the tokens the web entry signed, for the runner to verify with the Node entry.

import { KEY_OPS } from './key-ops.js';

const UNSUPPORTED = /is not available on /;

function describe(err) {
  return err && typeof err === 'object' ? `${err.code ?? err.name}: ${err.message}` : String(err);
}

function b64uOfBytes(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_');
}

async function runCase(lib, c) {
  if (Object.hasOwn(KEY_OPS, c.op)) return KEY_OPS[c.op](lib, c);
  if (c.op === 'sign') {
    const token = await lib.signJWT(c.claims, c.key, { algorithm: c.alg, issuedAt: false });
    if (typeof token !== 'string' || token.split('.').length !== 3) throw new Error('signJWT gave no compact JWS');
    // The token verifies here too, before the runner checks it with the Node entry.
    if (c.publicJWK) await lib.verifyJWT(token, c.publicJWK, { algorithms: [c.alg] });
    else await lib.verifyJWT(token, c.key, { algorithms: [c.alg] });
    return { signed: { id: c.id, alg: c.alg, token } };
  }
  if (c.op === 'verify-jws') {
    const { payload } = await lib.verifyJWS(c.token, c.key, { algorithms: c.algorithms });
    if (c.payload !== undefined && b64uOfBytes(payload) !== c.payload)
      throw new Error('payload bytes differ from the vector');
    return {};
  }
  const options = { algorithms: c.algorithms };
  if (c.issuer) options.issuer = c.issuer;
  const claims = await lib.verifyJWT(c.token, c.key, options);
  if (c.claims && JSON.stringify(claims) !== JSON.stringify(c.claims))
    throw new Error('claims differ from what was signed');
  return {};
}

/** Runs every case; `runtime` names the runtime in the report. */
export async function runConformance(lib, cases, runtime) {
  const report = { runtime, passed: [], failed: [], unsupported: [], signed: [] };
  for (const c of cases) {
    let outcome;
    let error;
    try {
      outcome = await runCase(lib, c);
    } catch (err) {
      error = err;
    }
    const expected = c.error ? [c.error] : c.errorAny;
    if (error !== undefined && UNSUPPORTED.test(String(error.message)) && error.code === 'ERR_JWT_ALG_NOT_ALLOWED') {
      report.unsupported.push({ id: c.id, reason: error.message });
    } else if (expected) {
      if (error === undefined) report.failed.push({ id: c.id, reason: `accepted; expected ${expected.join(' or ')}` });
      else if (!(error instanceof lib.JWTError))
        report.failed.push({ id: c.id, reason: `untyped error ${describe(error)}` });
      else if (!expected.includes(error.code))
        report.failed.push({ id: c.id, reason: `got ${describe(error)}, expected ${expected.join(' or ')}` });
      else report.passed.push(c.id);
    } else if (error !== undefined) {
      report.failed.push({ id: c.id, reason: describe(error) });
    } else {
      report.passed.push(c.id);
      if (outcome.signed) report.signed.push(outcome.signed);
    }
  }
  return report;
}
