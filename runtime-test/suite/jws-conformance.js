// The JWS operations of the conformance suite beyond the compact vectors (cases from jws-cases.mjs), run
// unchanged on every runtime through the web entry: verifyJWS over JSON serializations, detached and
// unencoded payloads, decodeJWS, and signJWS, whose output is handed back ({ signedJWS }) for the Node
// entry to verify (test/report.mjs).

function hexOf(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Whether `c` is a case this file runs. */
export function isJWSCase(c) {
  return typeof c.op === 'string' && c.op.startsWith('jws-');
}

// A resolver over a JWK Set document that picks by kid, as an application's would.
function resolverOf(set) {
  return (header) => {
    const key = set.keys.find((k) => k.kid === header.kid);
    if (key === undefined) throw new Error('the resolver was asked for a kid it does not have');
    return key;
  };
}

async function expectTypeError(run) {
  try {
    await run();
  } catch (err) {
    if (err instanceof TypeError) return {};
    throw err;
  }
  throw new Error('accepted; expected a TypeError');
}

/** Runs one JWS case; throws when the web entry does not do what the case expects. */
export async function runJWSCase(lib, c) {
  if (c.op === 'jws-verify') {
    const key = c.keySet ? resolverOf(c.keySet) : c.key;
    if (c.typeError) return expectTypeError(() => lib.verifyJWS(c.jws, key, c.options));
    const result = await lib.verifyJWS(c.jws, key, c.options);
    if (!(result.payload instanceof Uint8Array) || hexOf(result.payload) !== c.payloadHex)
      throw new Error('payload bytes differ from the vector');
    if (c.protectedHeader !== undefined && !same(result.protectedHeader, c.protectedHeader))
      throw new Error(`protected header ${JSON.stringify(result.protectedHeader)} is not the one that verified`);
    if (c.unprotectedHeader !== undefined && !same(result.unprotectedHeader, c.unprotectedHeader))
      throw new Error('unprotected header differs from the signature that verified');
    return {};
  }
  if (c.op === 'jws-verify-jwt') {
    await lib.verifyJWT(c.token, c.key, c.options);
    return {};
  }
  if (c.op === 'jws-decode') {
    const decoded = lib.decodeJWS(c.jws, c.options ?? {});
    if (hexOf(decoded.payload) !== c.payloadHex) throw new Error('decoded payload differs');
    const signatures = decoded.signatures.map((s) => ({
      protectedHeader: s.protectedHeader,
      unprotectedHeader: s.unprotectedHeader,
      signatureHex: hexOf(s.signature),
    }));
    if (!same(signatures, c.signatures)) throw new Error('decoded signatures differ from the Node entry');
    return {};
  }
  if (c.op === 'jws-sign') {
    if (c.typeError) return expectTypeError(() => lib.signJWS(c.payload, c.key, c.options));
    const jws = await lib.signJWS(c.payload, c.key, c.options);
    if (c.expected !== undefined && !same(jws, c.expected))
      throw new Error('a deterministic JWS differs from the one the Node entry signed');
    // It verifies here too, before the runner verifies it with the Node entry.
    const { payload } = await lib.verifyJWS(jws, c.verifyKey, c.verifyOptions);
    if (hexOf(payload) !== c.payloadHex) throw new Error('payload differs from what was signed');
    return { signedJWS: { id: c.id, jws } };
  }
  throw new Error(`unknown JWS case op ${c.op}`);
}
