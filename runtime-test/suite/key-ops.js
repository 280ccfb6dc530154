// The key-API operations of the conformance suite (built on Node by key-cases.mjs, run unchanged on every
// runtime by conformance.js): RFC 7638 / 8037 / 9278 thumbprints, importKey of every key form compared
// with what the Node entry made of the same input, and generateKeyPair + signJWT (the runner verifies
// the token with the Node entry, using the public JWK the runtime generated).

const sorted = (value) =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, sorted(value[k])]),
      )
    : value;
const same = (a, b) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

export const KEY_OPS = {
  async thumbprint(lib, c) {
    const got = await lib.calculateJWKThumbprint(c.jwk, c.digest);
    if (got !== c.thumbprint) throw new Error(`thumbprint ${got}, expected ${c.thumbprint}`);
    const uri = await lib.calculateJWKThumbprintURI(c.jwk, c.digest);
    if (c.uri !== undefined && uri !== c.uri) throw new Error(`thumbprint URI ${uri}, expected ${c.uri}`);
    return {};
  },
  async 'import-key'(lib, c) {
    const key = await lib.importKey(c.key, c.options);
    const jwk = key.toJWK(c.exportOptions ?? {});
    if (!same(jwk, c.jwk))
      throw new Error(`toJWK() differs from the Node entry's: ${JSON.stringify(Object.keys(jwk))}`);
    const thumbprint = await key.thumbprint();
    if (thumbprint !== c.thumbprint)
      throw new Error(`thumbprint ${thumbprint}, expected the Node entry's ${c.thumbprint}`);
    // exportJWK takes no binding options: compared where the case has none.
    const exported = await lib.exportJWK(c.key, c.exportOptions ?? {});
    if (c.options === undefined && !same(exported, jwk)) throw new Error('exportJWK differs from toJWK');
    return {};
  },
  async generate(lib, c) {
    const { privateKey, publicKey } = await lib.generateKeyPair(c.alg, c.options);
    if (publicKey.kid !== (await publicKey.thumbprint()))
      throw new Error('the default kid is not the RFC 7638 thumbprint');
    if (publicKey.alg !== c.alg || privateKey.type !== 'private' || publicKey.type !== 'public')
      throw new Error('the pair is not bound to its algorithm');
    const token = await lib.signJWT(c.claims, privateKey, { algorithm: c.alg, issuedAt: false });
    await lib.verifyJWT(token, publicKey, { algorithms: [c.alg] });
    const pem = await publicKey.toPEM();
    await lib.verifyJWT(token, pem, { algorithms: [c.alg] });
    return { signed: { id: c.id, alg: c.alg, token, publicJWK: publicKey.toJWK() } };
  },
};
