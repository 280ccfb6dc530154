// The JWE operations of the conformance suite (cases from jwe-cases.mjs), run unchanged on every runtime
// through the web entry. A case resolves to {} or, for what the web entry encrypted, to { encrypted } for
// the runner to decrypt with the Node entry (test/report.mjs).

function hexOf(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Whether `c` is a JWE case (this file runs it). */
export function isJWECase(c) {
  return typeof c.op === 'string' && (c.op.startsWith('jwe-') || c.op.startsWith('jwt-'));
}

/** Runs one JWE case; throws when the web entry does not do what the case expects. */
export async function runJWECase(lib, c) {
  if (c.op === 'jwe-decrypt') {
    let result;
    try {
      result = await lib.decryptJWE(c.jwe, c.key, c.options);
    } catch (err) {
      // Wycheproof "acceptable": refusing is fine, but only with a typed Tessera error.
      if (c.acceptable && err instanceof lib.JWTError) return {};
      throw err;
    }
    if (c.plaintextHex !== undefined && hexOf(result.plaintext) !== c.plaintextHex)
      throw new Error('plaintext differs from the vector');
    if (c.aadHex !== undefined && hexOf(result.additionalAuthenticatedData ?? []) !== c.aadHex)
      throw new Error('additional authenticated data differs from the vector');
    if (c.unprotectedUnknown !== undefined) {
      if (result.unprotectedHeader?.unknown !== c.unprotectedUnknown)
        throw new Error('the unprotected member is not reported as unprotected');
      if (result.protectedHeader.unknown !== undefined)
        throw new Error('an unprotected member is reported as protected');
    }
    return {};
  }
  if (c.op === 'jwe-encrypt') {
    const jwe = await lib.encryptJWE(c.plaintext, c.key, c.encrypt);
    // It decrypts here too, before the runner decrypts it with the Node entry.
    const { plaintext } = await lib.decryptJWE(jwe, c.privateKey, c.options);
    if (new TextDecoder().decode(plaintext) !== c.plaintext)
      throw new Error('the web entry does not read back its own JWE');
    return { encrypted: { id: c.id, jwe } };
  }
  if (c.op === 'jwt-encrypt') {
    const token = await lib.encryptJWT(c.claims, c.key, c.encrypt);
    const claims = await lib.decryptJWT(token, c.privateKey, c.options);
    if (JSON.stringify(claims) !== JSON.stringify(c.claims)) throw new Error('claims differ from what was encrypted');
    return { encrypted: { id: c.id, jwe: token } };
  }
  if (c.op === 'jwt-decrypt') {
    const claims = await lib.decryptJWT(c.token, c.key, c.options);
    if (c.claims && JSON.stringify(claims) !== JSON.stringify(c.claims))
      throw new Error('claims differ from what was encrypted');
    return {};
  }
  throw new Error(`unknown JWE case op ${c.op}`);
}
