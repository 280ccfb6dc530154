// The JWS cases beyond the compact form, built on Node once and run unchanged on every runtime
// (suite/jws-conformance.js): the JSON serializations (RFC 7515 A.6 general, A.7 flattened), RFC 7797
// unencoded payloads, the JOSE cookbook's JWS examples (RFC 7520 §4.1–4.8) in every output form, JWSs the
// Node entry signed (verified on the runtime) and JWSs the runtime signs (verified by the Node entry in
// test/report.mjs), and refusals. Expected payloads are the vectors' own; an expected error code is the one
// the Node entry gives the same input (and, where the case names one, must be that one), so the two
// entries cannot drift apart.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJWS, generateKeyPair, JWKSet, signJWS, signJWT, verifyJWS, verifyJWT } from 'tessera-jwt';
import { VECTORS } from './shared.mjs';

const read = (...p) => JSON.parse(readFileSync(join(VECTORS, ...p), 'utf8'));
const hex = (value) => Buffer.from(value).toString('hex');
// A secret stays whole; of a key pair, the public half.
const publicJWK = (jwk) => {
  if (jwk.kty === 'oct') return jwk;
  const { d, p, q, dp, dq, qi, ...pub } = jwk;
  return pub;
};
// The Node entry takes a JWK Set as a JWKSet; the web entry takes the document itself.
const nodeKey = (key) => (key !== null && typeof key === 'object' && Array.isArray(key.keys) ? JWKSet.from(key) : key);
const SECRET = 'a-shared-secret-for-the-conformance-suite-that-is-64-bytes-long!';

function nodeCode(run, intended) {
  try {
    run();
  } catch (err) {
    if (intended !== undefined && err.code !== intended)
      throw new Error(`the Node entry refuses with ${err.code ?? err.name}, the case means ${intended}`);
    if (err.code === undefined) throw err;
    return err.code;
  }
  throw new Error('the Node entry accepts an input that a JWS case expects to be refused');
}

/** A verify case the Node entry passes too (its payload is then the expected one, whatever the vector says). */
function verifyCase(cases, id, jws, key, options, expect) {
  const node = verifyJWS(jws, nodeKey(key), options);
  if (hex(node.payload) !== expect.payloadHex) throw new Error(`${id}: the Node entry reads another payload`);
  cases.push({ id, op: 'jws-verify', jws, key, options, ...expect });
}

function refuseCase(cases, id, jws, key, options, intended) {
  cases.push({
    id,
    op: 'jws-verify',
    jws,
    key,
    options,
    error: nodeCode(() => verifyJWS(jws, nodeKey(key), options), intended),
  });
}

function rfcCases(cases) {
  const rfc7515 = read('rfc-examples', 'rfc7515.json').examples;
  const a6 = rfc7515.find((e) => e.id === 'rfc7515-A.6');
  const a6Set = { keys: Object.entries(a6.keys).map(([kid, jwk]) => ({ ...publicJWK(jwk), kid })) };
  const a6Payload = hex(a6.payload_raw);
  verifyCase(
    cases,
    'rfc7515-A.6 general JSON, JWK Set, both algorithms: the RS256 signature wins',
    a6.json,
    a6Set,
    {
      algorithms: ['RS256', 'ES256'],
    },
    { payloadHex: a6Payload, protectedHeader: { alg: 'RS256' }, unprotectedHeader: { kid: '2010-12-29' } },
  );
  verifyCase(
    cases,
    'rfc7515-A.6 general JSON, only ES256 allowed: the second signature',
    a6.json,
    a6Set,
    {
      algorithms: ['ES256'],
    },
    {
      payloadHex: a6Payload,
      protectedHeader: { alg: 'ES256' },
      unprotectedHeader: { kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' },
    },
  );
  const ecKey = publicJWK(a6.keys['e9bc097a-ce51-4036-9562-d2ade882db0d']);
  verifyCase(
    cases,
    'rfc7515-A.6 general JSON, the EC key alone: the RSA signature is skipped',
    a6.json,
    ecKey,
    {
      algorithms: ['RS256', 'ES256'],
    },
    { payloadHex: a6Payload, protectedHeader: { alg: 'ES256' } },
  );
  cases.push({
    id: 'rfc7515-A.6 general JSON through a key resolver (by the unprotected kid)',
    op: 'jws-verify',
    jws: a6.json,
    keySet: a6Set,
    options: { algorithms: ['ES256'] },
    payloadHex: a6Payload,
  });
  const [rsaEntry, ecEntry] = a6.json.signatures;
  const tampered = { ...a6.json, signatures: [rsaEntry, { ...ecEntry, signature: flip(ecEntry.signature) }] };
  refuseCase(
    cases,
    'rfc7515-A.6 with the 2nd signature altered, only ES256 allowed',
    tampered,
    a6Set,
    {
      algorithms: ['ES256'],
    },
    'ERR_JWS_SIGNATURE_INVALID',
  );
  verifyCase(
    cases,
    'rfc7515-A.6 with the 2nd signature altered: the 1st still verifies (first wins)',
    tampered,
    a6Set,
    {
      algorithms: ['RS256', 'ES256'],
    },
    { payloadHex: a6Payload, protectedHeader: { alg: 'RS256' } },
  );
  refuseCase(
    cases,
    'rfc7515-A.6 with no allowed algorithm',
    a6.json,
    a6Set,
    { algorithms: ['PS256'] },
    'ERR_JWT_ALG_NOT_ALLOWED',
  );
  cases.push({
    id: 'rfc7515-A.6 decodeJWS: both signatures, unverified',
    op: 'jws-decode',
    jws: a6.json,
    ...decoded(a6.json),
  });

  const a7 = rfc7515.find((e) => e.id === 'rfc7515-A.7');
  verifyCase(
    cases,
    'rfc7515-A.7 flattened JSON',
    a7.json,
    publicJWK(a7.key),
    { algorithms: ['ES256'] },
    {
      payloadHex: hex(a7.payload_raw),
      protectedHeader: { alg: 'ES256' },
      unprotectedHeader: { kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' },
    },
  );
  refuseCase(
    cases,
    'rfc7515-A.7 flattened JSON, signature altered',
    { ...a7.json, signature: flip(a7.json.signature) },
    publicJWK(a7.key),
    { algorithms: ['ES256'] },
    'ERR_JWS_SIGNATURE_INVALID',
  );

  const [r41, r42] = read('rfc-examples', 'rfc7797.json').examples;
  verifyCase(
    cases,
    'rfc7797-4.1 (b64 true, compact)',
    r41.compact,
    r41.key,
    { algorithms: ['HS256'] },
    {
      payloadHex: hex(r41.payload_raw),
    },
  );
  const unencoded = { alg: 'HS256', b64: false, crit: ['b64'] };
  verifyCase(
    cases,
    'rfc7797-4.2 b64 false, flattened JSON',
    r42.json_flattened,
    r42.key,
    { algorithms: ['HS256'] },
    {
      payloadHex: hex(r42.payload_raw),
      protectedHeader: unencoded,
    },
  );
  verifyCase(
    cases,
    'rfc7797-4.2 b64 false, detached compact with detachedPayload',
    r42.compact_detached,
    r42.key,
    {
      algorithms: ['HS256'],
      detachedPayload: r42.payload_raw,
    },
    { payloadHex: hex(r42.payload_raw), protectedHeader: unencoded },
  );
  refuseCase(
    cases,
    'rfc7797-4.2 detached compact without its payload',
    r42.compact_detached,
    r42.key,
    { algorithms: ['HS256'] },
    'ERR_JWS_SIGNATURE_INVALID',
  );
  refuseCase(
    cases,
    'rfc7797-4.2 with another detached payload',
    r42.compact_detached,
    r42.key,
    { algorithms: ['HS256'], detachedPayload: '$.03' },
    'ERR_JWS_SIGNATURE_INVALID',
  );
  cases.push({
    id: 'rfc7797-4.2 decodeJWS: the unencoded payload, unverified',
    op: 'jws-decode',
    jws: r42.json_flattened,
    ...decoded(r42.json_flattened),
  });
  // b64 in a JWT: verifyJWT never reads an unencoded payload.
  const jwtShaped = `${r42.protected_b64u}.{"sub":"x"}.AAAA`;
  cases.push({
    id: 'verifyJWT refuses a b64: false token',
    op: 'jws-verify-jwt',
    token: r42.compact_detached,
    key: r42.key,
    options: { algorithms: ['HS256'] },
    error: nodeCode(
      () => verifyJWT(r42.compact_detached, r42.key, { algorithms: ['HS256'] }),
      'ERR_JWT_CRIT_UNSUPPORTED',
    ),
  });
  cases.push({
    id: 'verifyJWT refuses a b64: false token with a JSON payload',
    op: 'jws-verify-jwt',
    token: jwtShaped,
    key: r42.key,
    options: { algorithms: ['HS256'] },
    error: nodeCode(() => verifyJWT(jwtShaped, r42.key, { algorithms: ['HS256'] }), 'ERR_JWT_CRIT_UNSUPPORTED'),
  });
}

function cookbookCases(cases) {
  for (const dir of ['jws', 'rfc7797']) {
    for (const file of readdirSync(join(VECTORS, 'jose-cookbook', dir)).sort()) {
      if (!file.endsWith('.json')) continue;
      const v = read('jose-cookbook', dir, file);
      const keys = (Array.isArray(v.input.key) ? v.input.key : [v.input.key]).map(publicJWK);
      const algorithms = [...new Set([v.input.alg].flat())];
      const name = `cookbook ${dir === 'jws' ? '' : 'rfc7797 '}${file.replace('.json', '')}`;
      // RFC 8725 §2.1: a set never mixes secrets with asymmetric keys, so 4.8's HMAC key is tried on its own.
      const asymmetric = keys.filter((k) => k.kty !== 'oct');
      const key = keys.length === 1 ? keys[0] : { keys: asymmetric };
      if (keys.length > 1) {
        for (const [alg, only] of [
          ['HS256', keys.find((k) => k.kty === 'oct')],
          ['ES512', keys.find((k) => k.kty === 'EC')],
        ])
          verifyCase(
            cases,
            `${name} (json): only ${alg} allowed, its key alone`,
            v.output.json,
            only,
            { algorithms: [alg] },
            {
              payloadHex: hex(v.input.payload),
            },
          );
      }
      for (const form of ['compact', 'json_flat', 'json']) {
        const jws = v.output[form];
        if (jws === undefined) continue;
        const detached = (typeof jws === 'string' ? jws.split('.')[1] === '' : jws.payload === undefined)
          ? v.input.payload
          : undefined;
        const options = detached === undefined ? { algorithms } : { algorithms, detachedPayload: detached };
        const id = `${name} (${form}${detached === undefined ? '' : ', detached content supplied'})`;
        // The draft-era vector has b64: false without crit: refused under RFC 7797 §6.
        if (file.startsWith('4.2.'))
          refuseCase(cases, `${id}: b64 not in crit`, jws, key, options, 'ERR_JWT_CRIT_UNSUPPORTED');
        else verifyCase(cases, id, jws, key, options, { payloadHex: hex(v.input.payload) });
      }
    }
  }
}

function decoded(jws) {
  const d = decodeJWS(jws);
  return {
    payloadHex: hex(d.payload),
    signatures: d.signatures.map((s) => ({
      protectedHeader: s.protectedHeader,
      unprotectedHeader: s.unprotectedHeader,
      signatureHex: hex(s.signature),
    })),
  };
}

function flip(segment) {
  return `${segment.slice(0, 4)}${segment[4] === 'A' ? 'B' : 'A'}${segment.slice(5)}`;
}

function signedCases(cases) {
  const rsa = generateKeyPair('RS256');
  const ec = generateKeyPair('ES256');
  const ed = generateKeyPair('EdDSA');
  const jwk = (pair) => ({ priv: pair.privateKey.toJWK({ private: true }), pub: pair.publicKey.toJWK() });
  const [r, e, d] = [jwk(rsa), jwk(ec), jwk(ed)];
  const payload = 'JSON, detached and unencoded: “every runtime” $.02';
  const general = {
    serialization: 'general',
    signers: [
      { key: r.priv, algorithm: 'RS256', unprotectedHeader: { kid: 'rsa-1' } },
      { key: e.priv, algorithm: 'ES256', kid: 'ec-1', header: { cty: 'text/plain' } },
      { key: SECRET, algorithm: 'HS256', unprotectedHeader: { kid: 'hmac-1', note: 'unprotected' } },
    ],
  };
  const set = {
    keys: [
      { ...r.pub, kid: 'rsa-1' },
      { ...e.pub, kid: 'ec-1' },
    ],
  };
  const signs = [
    ['general JSON, three signers (RS256, ES256, HS256)', general, set, { algorithms: ['ES256'] }],
    [
      'flattened JSON, unprotected header',
      { algorithm: 'ES256', serialization: 'flattened', unprotectedHeader: { kid: 'ec-1' } },
      e,
      {},
    ],
    ['flattened JSON, b64: false', { algorithm: 'RS256', serialization: 'flattened', b64: false }, r, {}],
    [
      'general JSON, b64: false, detached',
      { ...general, b64: false, detached: true },
      set,
      { algorithms: ['RS256'], detachedPayload: payload },
    ],
    ['compact, detached', { algorithm: 'HS256', detached: true }, SECRET, { detachedPayload: payload }],
    [
      'compact, b64: false, detached',
      { algorithm: 'ES256', detached: true, b64: false },
      e,
      { detachedPayload: payload },
    ],
    [
      'compact, b64: false (no "." in the payload)',
      { algorithm: 'HS256', b64: false },
      SECRET,
      {},
      'no dots, b64 false',
    ],
    [
      'compact, a crit extension the verifier names',
      { algorithm: 'HS256', header: { crit: ['exp-ext'], 'exp-ext': 1 } },
      SECRET,
      { crit: ['exp-ext'] },
    ],
    ['flattened JSON, EdDSA', { algorithm: 'EdDSA', serialization: 'flattened' }, d, {}],
  ];
  for (const [what, options, keyOf, verifyExtra, text = payload] of signs) {
    const signKey = typeof keyOf === 'string' ? keyOf : keyOf.priv;
    const verifyKey = typeof keyOf === 'string' ? keyOf : (keyOf.pub ?? keyOf);
    const algorithms = verifyExtra.algorithms ?? [options.algorithm];
    const verifyOptions = { ...verifyExtra, algorithms };
    if (verifyOptions.detachedPayload !== undefined) verifyOptions.detachedPayload = text;
    // Node-signed, verified on the runtime.
    const nodeJWS = signJWS(text, options.signers ? null : signKey, options);
    verifyCase(cases, `node-signed ${what}`, nodeJWS, verifyKey, verifyOptions, { payloadHex: hex(text) });
    // Runtime-signed, verified there and by the Node entry; HMAC and EdDSA are deterministic, so the
    // output must be the Node entry's byte for byte when they are the only signers.
    const deterministic = !options.signers && /^(HS|EdDSA)/.test(options.algorithm);
    cases.push({
      id: `web-signed ${what}`,
      op: 'jws-sign',
      payload: text,
      key: options.signers ? null : signKey,
      options,
      verifyKey,
      verifyOptions,
      payloadHex: hex(text),
      ...(deterministic ? { expected: nodeJWS } : {}),
    });
  }

  // Refusals of what the runtime is given.
  const flat = signJWS(payload, SECRET, { algorithm: 'HS256', serialization: 'flattened' });
  const hs = { algorithms: ['HS256'] };
  const critJWS = signJWS(payload, SECRET, {
    algorithm: 'HS256',
    serialization: 'flattened',
    header: { crit: ['exp-ext'], 'exp-ext': 1 },
  });
  refuseCase(cases, 'an unknown crit extension (flattened JSON)', critJWS, SECRET, hs, 'ERR_JWT_CRIT_UNSUPPORTED');
  const critCompact = signJWS(payload, SECRET, { algorithm: 'HS256', header: { crit: ['exp-ext'], 'exp-ext': 1 } });
  refuseCase(cases, 'an unknown crit extension (compact)', critCompact, SECRET, hs, 'ERR_JWT_CRIT_UNSUPPORTED');
  refuseCase(
    cases,
    'a crit extension understood, another not',
    critJWS,
    SECRET,
    { ...hs, crit: ['other'] },
    'ERR_JWT_CRIT_UNSUPPORTED',
  );
  refuseCase(
    cases,
    'a JSON JWS longer than maxTokenLength',
    flat,
    SECRET,
    { ...hs, maxTokenLength: 64 },
    'ERR_JWT_MALFORMED',
  );
  refuseCase(
    cases,
    'a compact JWS longer than maxTokenLength (detached path)',
    signJWS(payload, SECRET, { algorithm: 'HS256', detached: true }),
    SECRET,
    { ...hs, maxTokenLength: 16, detachedPayload: payload },
    'ERR_JWT_MALFORMED',
  );
  const b64u = (text) => Buffer.from(text).toString('base64url');
  const malformed = [
    ['"payload" is not a string', { ...flat, payload: 42 }],
    ['"signatures" is empty', { payload: flat.payload, signatures: [] }],
    [
      '"signature" beside "signatures"',
      {
        payload: flat.payload,
        signature: flat.signature,
        signatures: [{ protected: flat.protected, signature: flat.signature }],
      },
    ],
    ['"protected" is not base64url JSON', { ...flat, protected: b64u('{"alg":"HS256"') }],
    ['a member in both headers', { ...flat, header: { alg: 'HS256' } }],
    ['"crit" in the unprotected header', { ...flat, header: { crit: ['b64'] } }],
    ['no payload and no detachedPayload', { protected: flat.protected, signature: flat.signature }],
    ['a signature entry that is not an object', { payload: flat.payload, signatures: ['x'] }],
    ['a non-canonical signature', { ...flat, signature: `${flat.signature}=` }],
    ['an array, not a JWS', [flat]],
    [
      '"b64" differs between signatures',
      {
        payload: 'x',
        signatures: [
          { protected: b64u('{"alg":"HS256","b64":false,"crit":["b64"]}'), signature: 'AA' },
          { protected: b64u('{"alg":"HS256"}'), signature: 'AA' },
        ],
      },
    ],
  ];
  for (const [what, jws] of malformed) refuseCase(cases, `bad JSON: ${what}`, jws, SECRET, hs, undefined);
  refuseCase(
    cases,
    'a detached JWS that carries a payload too',
    flat,
    SECRET,
    { ...hs, detachedPayload: payload },
    'ERR_JWT_MALFORMED',
  );
  refuseCase(
    cases,
    'alg "none" in a JSON JWS',
    { payload: flat.payload, protected: b64u('{"alg":"none"}'), signature: '' },
    SECRET,
    hs,
    'ERR_JWT_ALG_NOT_ALLOWED',
  );
  refuseCase(cases, 'an HS256 JSON JWS, RSA public key', flat, r.pub, hs, 'ERR_KEY_INVALID');
  // A JWT is a JWS too: signJWT's token reads back as bytes.
  const jwt = signJWT({ sub: 'user-42' }, SECRET, { algorithm: 'HS256', issuedAt: false });
  verifyCase(cases, 'a Node-signed JWT read by verifyJWS', jwt, SECRET, hs, { payloadHex: hex('{"sub":"user-42"}') });
  const generalJWS = signJWS(payload, null, general);
  cases.push({
    id: 'decodeJWS: a general JWS the Node entry signed',
    op: 'jws-decode',
    jws: generalJWS,
    ...decoded(generalJWS),
  });
  // Misuse is a TypeError at once, as on Node.
  cases.push({
    id: 'signJWS: b64 in an unprotected header is a TypeError',
    op: 'jws-sign',
    payload,
    key: SECRET,
    options: { algorithm: 'HS256', serialization: 'flattened', unprotectedHeader: { b64: false } },
    typeError: true,
  });
  cases.push({
    id: 'signJWS: two signers in a flattened JWS is a TypeError',
    op: 'jws-sign',
    payload,
    key: null,
    options: { serialization: 'flattened', signers: general.signers.slice(0, 2) },
    typeError: true,
  });
  cases.push({
    id: 'verifyJWS: a detachedPayload that is a number is a TypeError',
    op: 'jws-verify',
    jws: flat,
    key: SECRET,
    options: { ...hs, detachedPayload: 42 },
    typeError: true,
  });
  cases.push({
    id: 'verifyJWS: a misspelt option is a TypeError',
    op: 'jws-verify',
    jws: flat,
    key: SECRET,
    options: { ...hs, detachedPayloads: payload },
    typeError: true,
  });
}

/** Every JWS case beyond the compact vectors in cases.mjs. */
export function buildJWSCases() {
  const cases = [];
  rfcCases(cases);
  cookbookCases(cases);
  signedCases(cases);
  return cases;
}
