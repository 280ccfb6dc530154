// The conformance suite that runs unchanged on every runtime (Node, Deno, Bun, workerd, Chromium): given the
// web entry and the cases built on Node (cases.mjs), it runs each case and reports, per case, passed,
// failed (with why) or unsupported (the runtime's crypto.subtle lacks the primitive: the typed error that
// names the algorithm and the runtime is the expected behaviour, and the case is listed with that reason).
// It also returns the tokens and JWSs the web entry signed, for the runner to verify with the Node entry.

import { isJWECase, runJWECase } from './jwe-conformance.js';
import { isJWSCase, runJWSCase } from './jws-conformance.js';
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

function sameJSON(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function runCase(lib, c) {
  if (c.op === 'decode') {
    const decoded = lib.decodeJWT(c.token, c.options ?? {});
    if (!sameJSON(decoded.header, c.header) || !sameJSON(decoded.payload, c.payload))
      throw new Error('decoded header or payload differs from the token');
    if (!(decoded.signature instanceof Uint8Array) || b64uOfBytes(decoded.signature) !== c.signature)
      throw new Error('decoded signature differs from the token');
    return {};
  }
  if (c.op === 'reuse') {
    // createSigner / createVerifier (with a cache): the reusable forms agree with signJWT / verifyJWT.
    const sign = lib.createSigner({ key: c.key, algorithm: c.alg, issuedAt: false, kid: 'k-1', header: { cty: 'x' } });
    const verify = lib.createVerifier({ key: c.publicJWK ?? c.key, algorithms: [c.alg], cache: 10 });
    const token = await sign(c.claims);
    // The Node entry's header rules: alg, typ "JWT", kid, then the caller's members.
    if (
      JSON.stringify(lib.decodeProtectedHeader(token)) !==
      JSON.stringify({ alg: c.alg, typ: 'JWT', kid: 'k-1', cty: 'x' })
    )
      throw new Error('the protected header is not built as on Node');
    const first = await verify(token);
    const again = await verify(token);
    if (first !== again || !Object.isFrozen(first)) throw new Error('a cached result is not the same frozen object');
    if (first.sub !== c.claims.sub) throw new Error('claims differ from what was signed');
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    try {
      await verify(tampered);
    } catch (err) {
      if (err instanceof lib.JWTError) return {};
    }
    throw new Error('a tampered token passed a verifier that had cached the original');
  }
  if (c.op === 'unsecured') {
    const token = c.token ?? lib.encodeUnsecuredJWT(c.claims, { issuedAt: false });
    if (c.token === undefined && !token.endsWith('.')) throw new Error('an unsecured JWT ends in an empty signature');
    if (!sameJSON(lib.decodeUnsecuredJWT(token), c.claims)) throw new Error('claims differ from what was encoded');
    return {};
  }
  if (c.op === 'decode-header') {
    if (!sameJSON(lib.decodeProtectedHeader(c.token), c.header)) throw new Error('header differs from the token');
    return {};
  }
  if (isJWECase(c)) return runJWECase(lib, c);
  if (isJWSCase(c)) return runJWSCase(lib, c);
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
  const report = { runtime, passed: [], failed: [], unsupported: [], signed: [], encrypted: [], signedJWS: [] };
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
      if (outcome.encrypted) report.encrypted.push(outcome.encrypted);
      if (outcome.signedJWS) report.signedJWS.push(outcome.signedJWS);
    }
  }
  return report;
}
