// The JWE conformance cases, built on Node once and run unchanged on every runtime (suite/jwe-conformance.js):
// the RFC 7516 appendix examples, the JOSE cookbook (RFC 7520 §5, §6 and its X25519 example) in every output
// form, the Wycheproof JOSE JWE cases, tokens made by Tessera's Node entry (node:crypto) for every alg × enc
// and key form, and attacks. Expected results are the vectors' own or the plaintext Node encrypted — never
// computed by the web code under test. "web-encrypted" cases hand their output back for the Node entry to
// decrypt (test/report.mjs).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { encryptJWE, encryptJWT, generateKeyPair, generateSecret, signJWT } from 'tessera-jwt';

const VECTORS = process.env.TESSERA_VECTORS ?? '/work/shared/vectors';
const read = (...p) => JSON.parse(readFileSync(join(VECTORS, ...p), 'utf8'));
const hex = (text) => Buffer.from(text, 'utf8').toString('hex');

/** Every key management algorithm Tessera implements (the Node tests' ALL allowlist). */
export const ALL_ALGS = [
  'dir',
  'A128KW',
  'A192KW',
  'A256KW',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA-OAEP-384',
  'RSA-OAEP-512',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'PBES2-HS256+A128KW',
  'PBES2-HS384+A192KW',
  'PBES2-HS512+A256KW',
];
const ENCS = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'];
const ALL = { keyManagementAlgorithms: ALL_ALGS };
// Every code a refusal may carry (Wycheproof "invalid": any typed Tessera error, never a TypeError or a crash).
const ANY_REFUSAL = [
  'ERR_JWT_MALFORMED',
  'ERR_JWE_DECRYPTION_FAILED',
  'ERR_JWT_ALG_NOT_ALLOWED',
  'ERR_KEY_INVALID',
  'ERR_JWK_INVALID',
  'ERR_JWT_CRIT_UNSUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
];

function keysFor(alg, crv) {
  if (alg === 'dir') return null; // per enc
  if (alg.startsWith('PBES2')) return { pub: 'correct horse battery staple', priv: 'correct horse battery staple' };
  if (/^A\d+(GCM)?KW$/.test(alg)) {
    const k = generateSecret(alg).toJWK({ private: true });
    return { pub: k, priv: k };
  }
  const { publicKey, privateKey } = generateKeyPair(alg, crv ? { crv } : undefined);
  return {
    pub: publicKey.toJWK(),
    priv: privateKey.toJWK({ private: true }),
    pubPEM: publicKey.toPEM(),
    privPEM: privateKey.toPEM({ private: true }),
  };
}

export function buildJWECases() {
  const cases = [];
  const decrypt = (c) => cases.push({ op: 'jwe-decrypt', ...c });

  // RFC 7516 Appendix A.
  for (const e of read('rfc-examples', 'rfc7516.json').examples) {
    if (e.kind === 'jwe-compact' && e.alg === 'RSA1_5') {
      decrypt({
        id: `${e.id} (RSA1_5 refused: not implemented)`,
        jwe: e.compact,
        key: e.key,
        options: ALL,
        error: 'ERR_JWT_ALG_NOT_ALLOWED',
      });
      continue;
    }
    if (e.kind === 'jwe-compact') {
      decrypt({ id: e.id, jwe: e.compact, key: e.key, options: ALL, plaintextHex: hex(e.plaintext) });
      const [h, k, iv, ct, tag] = e.compact.split('.');
      const flipped = `${tag.slice(0, 2)}${tag[2] === 'A' ? 'B' : 'A'}${tag.slice(3)}`;
      decrypt({
        id: `${e.id} (tag altered)`,
        jwe: [h, k, iv, ct, flipped].join('.'),
        key: e.key,
        options: ALL,
        error: 'ERR_JWE_DECRYPTION_FAILED',
      });
      continue;
    }
    const keys = e.keys ? Object.entries(e.keys) : [['', e.key]];
    for (const [kid, key] of keys) {
      const header = e.json.recipients?.find((r) => r.header?.kid === kid)?.header;
      if (header?.alg === 'RSA1_5') {
        decrypt({
          id: `${e.id} key ${kid} (its recipient is RSA1_5, not implemented)`,
          jwe: e.json,
          key,
          options: ALL,
          errorAny: ['ERR_KEY_INVALID', 'ERR_JWT_ALG_NOT_ALLOWED'],
        });
        continue;
      }
      decrypt({
        id: `${e.id}${kid ? ` key ${kid}` : ''}`,
        jwe: e.json,
        key,
        options: ALL,
        plaintextHex: hex(e.plaintext),
      });
    }
  }

  // JOSE cookbook (RFC 7520 §5): every output form, every recipient key; PBES2 only when listed.
  for (const file of readdirSync(join(VECTORS, 'jose-cookbook', 'jwe')).sort()) {
    const v = read('jose-cookbook', 'jwe', file);
    const name = `cookbook ${file.split('.')[0]}`;
    const algs = Array.isArray(v.input.alg) ? v.input.alg : [v.input.alg];
    const keys = v.input.pwd !== undefined ? [v.input.pwd] : Array.isArray(v.input.key) ? v.input.key : [v.input.key];
    for (const [form, jwe] of Object.entries(v.output)) {
      keys.forEach((key, i) => {
        const id = `${name} ${form}${keys.length > 1 ? ` key ${i + 1} (${algs[i]})` : ''}`;
        if (algs[i] === 'RSA1_5') {
          decrypt({
            id: `${id}: RSA1_5 not implemented`,
            jwe,
            key,
            options: ALL,
            errorAny: ['ERR_KEY_INVALID', 'ERR_JWT_ALG_NOT_ALLOWED'],
          });
          return;
        }
        const expect = { plaintextHex: hex(v.input.plaintext) };
        if (v.input.aad !== undefined) expect.aadHex = hex(v.input.aad);
        decrypt({ id, jwe, key, options: ALL, ...expect });
        if (algs[i].startsWith('PBES2'))
          decrypt({
            id: `${id} (PBES2 not listed)`,
            jwe,
            key,
            options: { keyManagementAlgorithms: ['A256KW'] },
            error: 'ERR_JWT_ALG_NOT_ALLOWED',
          });
      });
    }
  }
  const x25519 = read('jose-cookbook', 'curve25519', 'ecdh-es.json');
  for (const [form, jwe] of Object.entries(x25519.output ?? {}))
    decrypt({
      id: `cookbook curve25519 ECDH-ES ${form}`,
      jwe,
      key: x25519.input.key,
      options: ALL,
      plaintextHex: hex(x25519.input.plaintext),
    });
  const nesting = read('jose-cookbook', '6.nesting_signatures_and_encryption.json');
  for (const [form, jwe] of Object.entries(nesting.encrypt.output))
    decrypt({
      id: `cookbook 6 nesting (${form})`,
      jwe,
      key: nesting.encrypt.input.key,
      options: ALL,
      plaintextHex: hex(nesting.encrypt.input.plaintext),
    });

  // Wycheproof JOSE: valid → the published plaintext; invalid → a typed refusal; acceptable → either.
  for (const file of ['json_web_encryption_test.json', 'json_web_crypto_test.json']) {
    for (const g of read('wycheproof-jose', file).testGroups) {
      for (const t of g.tests) {
        if (t.jwe === undefined) continue;
        const id = `wycheproof ${file.split('_test')[0]} tc${t.tcId} ${t.comment}`;
        const base = { id, jwe: t.jwe, key: g.private, options: ALL };
        const isRSA15 =
          typeof t.jwe === 'string' &&
          /"alg":\s*"RSA1_5"/.test(Buffer.from(t.jwe.split('.')[0], 'base64url').toString('latin1'));
        if (t.comment === 'rejectsValidJsonSerialization' && typeof t.jwe === 'object') {
          // POLICY, as on Node: decryptJWE reads the JSON serializations by design (RFC 7516 §7.2); the object
          // decrypts and its unprotected member is reported as unprotected, never as protected; the same JSON
          // as a compact string is refused.
          decrypt({ ...base, id: `${id} [POLICY: JSON accepted]`, unprotectedUnknown: 'untrustworthy' });
          decrypt({
            ...base,
            id: `${id} [POLICY: as a compact string]`,
            jwe: JSON.stringify(t.jwe),
            error: 'ERR_JWT_MALFORMED',
          });
        } else if (isRSA15) decrypt({ ...base, id: `${id} (RSA1_5 not implemented)`, errorAny: ANY_REFUSAL });
        else if (t.result === 'valid') decrypt({ ...base, plaintextHex: t.pt });
        else if (t.result === 'invalid') decrypt({ ...base, errorAny: ANY_REFUSAL });
        else decrypt({ ...base, acceptable: true });
      }
    }
  }

  // Tessera's Node entry ↔ the web entry: every alg × enc, both ways; zip on each alg.
  const plaintext = 'Tessera JWE conformance: the web entry reads what node:crypto wrote — ünïcødé ✓';
  for (const alg of ALL_ALGS) {
    const pair = keysFor(alg);
    for (const enc of ENCS) {
      let keys = pair;
      if (alg === 'dir') {
        const k = generateSecret(enc).toJWK({ private: true });
        keys = { pub: k, priv: k };
      }
      const options = { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [enc] };
      decrypt({
        id: `node-made ${alg} ${enc}`,
        jwe: encryptJWE(plaintext, keys.pub, { alg, enc }),
        key: keys.priv,
        options,
        plaintextHex: hex(plaintext),
      });
      cases.push({
        id: `web-encrypted ${alg} ${enc}`,
        op: 'jwe-encrypt',
        plaintext,
        key: keys.pub,
        encrypt: { alg, enc },
        privateKey: keys.priv,
        options,
      });
    }
    const enc = 'A256GCM';
    const options = { keyManagementAlgorithms: [alg] };
    const keys =
      alg === 'dir'
        ? (() => {
            const k = generateSecret(enc).toJWK({ private: true });
            return { pub: k, priv: k };
          })()
        : pair;
    decrypt({
      id: `node-made ${alg} zip DEF`,
      jwe: encryptJWE(plaintext.repeat(20), keys.pub, { alg, enc, zip: 'DEF' }),
      key: keys.priv,
      options,
      plaintextHex: hex(plaintext.repeat(20)),
    });
    cases.push({
      id: `web-encrypted ${alg} zip DEF`,
      op: 'jwe-encrypt',
      plaintext: plaintext.repeat(20),
      key: keys.pub,
      encrypt: { alg, enc, zip: 'DEF' },
      privateKey: keys.priv,
      options,
    });
    if (pair?.pubPEM) {
      decrypt({
        id: `node-made ${alg} (PKCS#8 PEM)`,
        jwe: encryptJWE(plaintext, pair.pub, { alg, enc }),
        key: pair.privPEM,
        options,
        plaintextHex: hex(plaintext),
      });
      cases.push({
        id: `web-encrypted ${alg} (SPKI PEM)`,
        op: 'jwe-encrypt',
        plaintext,
        key: pair.pubPEM,
        encrypt: { alg, enc },
        privateKey: pair.priv,
        options,
      });
    }
  }
  for (const crv of ['X25519', 'X448', 'P-384', 'P-521']) {
    for (const alg of ['ECDH-ES', 'ECDH-ES+A256KW']) {
      const k = keysFor(alg, crv);
      const options = { keyManagementAlgorithms: [alg] };
      decrypt({
        id: `node-made ${alg} ${crv}`,
        jwe: encryptJWE(plaintext, k.pub, { alg, enc: 'A256GCM' }),
        key: k.priv,
        options,
        plaintextHex: hex(plaintext),
      });
      cases.push({
        id: `web-encrypted ${alg} ${crv}`,
        op: 'jwe-encrypt',
        plaintext,
        key: k.pub,
        encrypt: { alg, enc: 'A256GCM' },
        privateKey: k.priv,
        options,
      });
    }
  }
  // JSON serializations: flattened with AAD and an unprotected header; general with three recipients.
  const rsa = keysFor('RSA-OAEP-256');
  const ec = keysFor('ECDH-ES+A128KW');
  const kw = generateSecret('A256KW').toJWK({ private: true });
  const general = {
    enc: 'A128CBC-HS256',
    aad: 'additional data',
    unprotectedHeader: { note: 'shared' },
    recipients: [
      { key: rsa.pub, alg: 'RSA-OAEP-256', kid: 'r1' },
      { key: ec.pub, alg: 'ECDH-ES+A128KW', kid: 'r2' },
      { key: kw, alg: 'A256KW', kid: 'r3' },
    ],
  };
  const generalJWE = encryptJWE(plaintext, null, general);
  for (const [i, key] of [rsa.priv, ec.priv, kw].entries()) {
    decrypt({
      id: `node-made general, recipient ${i + 1}`,
      jwe: generalJWE,
      key,
      options: ALL,
      plaintextHex: hex(plaintext),
      aadHex: hex('additional data'),
    });
    cases.push({
      id: `web-encrypted general, recipient ${i + 1}`,
      op: 'jwe-encrypt',
      plaintext,
      key: null,
      encrypt: general,
      privateKey: key,
      options: ALL,
    });
  }
  decrypt({
    id: 'node-made general, JWK Set of the three private keys (kid)',
    jwe: generalJWE,
    key: { keys: [{ ...rsa.priv, kid: 'r1' }] },
    options: ALL,
    plaintextHex: hex(plaintext),
  });
  const flat = { alg: 'A256KW', enc: 'A256GCM', serialization: 'flattened', aad: 'bound', unprotectedHeader: { u: 1 } };
  decrypt({
    id: 'node-made flattened, aad + unprotected',
    jwe: encryptJWE(plaintext, kw, flat),
    key: kw,
    options: ALL,
    plaintextHex: hex(plaintext),
    aadHex: hex('bound'),
  });
  cases.push({
    id: 'web-encrypted flattened, aad + unprotected',
    op: 'jwe-encrypt',
    plaintext,
    key: kw,
    encrypt: flat,
    privateKey: kw,
    options: ALL,
  });

  // Encrypted and nested JWTs.
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'user-42', iss: 'https://issuer.example', exp: now + 3600 };
  const signer = generateKeyPair('ES256');
  const nestedOpts = { nested: { key: signer.publicKey.toJWK(), algorithms: ['ES256'] } };
  cases.push({
    id: 'node-made nested JWT (ES256 inside RSA-OAEP-256)',
    op: 'jwt-decrypt',
    token: encryptJWT(claims, rsa.pub, {
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      issuedAt: false,
      sign: { key: signer.privateKey, algorithm: 'ES256' },
    }),
    key: rsa.priv,
    options: { keyManagementAlgorithms: ['RSA-OAEP-256'], issuer: claims.iss, ...nestedOpts },
    claims,
  });
  cases.push({
    id: 'node-made encrypted JWT (ECDH-ES+A128KW)',
    op: 'jwt-decrypt',
    token: encryptJWT(claims, ec.pub, { alg: 'ECDH-ES+A128KW', enc: 'A128GCM', issuedAt: false }),
    key: ec.priv,
    options: { keyManagementAlgorithms: ['ECDH-ES+A128KW'], issuer: claims.iss },
    claims,
  });
  cases.push({
    id: 'node-made encrypted JWT, wrong issuer',
    op: 'jwt-decrypt',
    token: encryptJWT(claims, ec.pub, { alg: 'ECDH-ES+A128KW', enc: 'A128GCM' }),
    key: ec.priv,
    options: { keyManagementAlgorithms: ['ECDH-ES+A128KW'], issuer: 'https://other.example' },
    error: 'ERR_JWT_ISSUER_INVALID',
  });
  cases.push({
    id: 'node-made encrypted JWT, expired',
    op: 'jwt-decrypt',
    token: encryptJWT({ ...claims, exp: now - 600 }, ec.pub, { alg: 'ECDH-ES+A128KW', enc: 'A128GCM' }),
    key: ec.priv,
    options: { keyManagementAlgorithms: ['ECDH-ES+A128KW'] },
    error: 'ERR_JWT_EXPIRED',
  });
  const nestedRecipient = keysFor('ECDH-ES+A256KW');
  cases.push({
    id: 'web-encrypted nested JWT (ES256 inside ECDH-ES+A256KW)',
    op: 'jwt-encrypt',
    claims,
    key: nestedRecipient.pub,
    encrypt: {
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      issuedAt: false,
      sign: { key: signer.privateKey.toJWK({ private: true }), algorithm: 'ES256' },
    },
    privateKey: nestedRecipient.priv,
    options: { keyManagementAlgorithms: ['ECDH-ES+A256KW'], ...nestedOpts },
  });

  // Attacks and misuse: each refused with the same code as on Node.
  const sigJWK = { ...rsa.priv, use: 'sig' };
  decrypt({
    id: 'JWK "use": "sig" refused for decryption',
    jwe: encryptJWE(plaintext, rsa.pub, { alg: 'RSA-OAEP-256' }),
    key: sigJWK,
    options: { keyManagementAlgorithms: ['RSA-OAEP-256'] },
    error: 'ERR_JWK_INVALID',
  });
  decrypt({
    id: 'JWK "key_ops": ["sign"] refused',
    jwe: encryptJWE(plaintext, rsa.pub, { alg: 'RSA-OAEP-256' }),
    key: { ...rsa.priv, key_ops: ['sign'] },
    options: { keyManagementAlgorithms: ['RSA-OAEP-256'] },
    error: 'ERR_JWK_INVALID',
  });
  decrypt({
    id: 'JWK "alg" RSA-OAEP used with RSA-OAEP-256 (confusion)',
    jwe: encryptJWE(plaintext, rsa.pub, { alg: 'RSA-OAEP-256' }),
    key: { ...rsa.priv, alg: 'RSA-OAEP' },
    options: { keyManagementAlgorithms: ['RSA-OAEP-256', 'RSA-OAEP'] },
    error: 'ERR_KEY_INVALID',
  });
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
  cases.push({
    id: 'RSA key under 2048 bits refused (encrypt)',
    op: 'jwe-encrypt',
    plaintext,
    key: weak.publicKey.export({ format: 'jwk' }),
    encrypt: { alg: 'RSA-OAEP-256' },
    error: 'ERR_KEY_INVALID',
  });
  decrypt({
    id: 'RSA key under 2048 bits refused (decrypt)',
    jwe: encryptJWE(plaintext, weak.publicKey.export({ format: 'jwk' }), { alg: 'RSA-OAEP-256', allowWeakKeys: true }),
    key: weak.privateKey.export({ format: 'jwk' }),
    options: { keyManagementAlgorithms: ['RSA-OAEP-256'] },
    error: 'ERR_KEY_INVALID',
  });
  const oaep = encryptJWE(plaintext, rsa.pub, { alg: 'RSA-OAEP-256' });
  const other = keysFor('RSA-OAEP-256');
  decrypt({
    id: 'RSA-OAEP, wrong private key: the same DecryptionError as a bad tag',
    jwe: oaep,
    key: other.priv,
    options: { keyManagementAlgorithms: ['RSA-OAEP-256'] },
    error: 'ERR_JWE_DECRYPTION_FAILED',
  });
  const [oh, ok, oi, oc, ot] = oaep.split('.');
  const badKey = Buffer.from(ok, 'base64url');
  badKey[5] ^= 1;
  decrypt({
    id: 'RSA-OAEP, encrypted key altered: DecryptionError',
    jwe: [oh, badKey.toString('base64url'), oi, oc, ot].join('.'),
    key: rsa.priv,
    options: { keyManagementAlgorithms: ['RSA-OAEP-256'] },
    error: 'ERR_JWE_DECRYPTION_FAILED',
  });
  decrypt({
    id: 'alg not in keyManagementAlgorithms',
    jwe: oaep,
    key: rsa.priv,
    options: { keyManagementAlgorithms: ['ECDH-ES'] },
    error: 'ERR_JWT_ALG_NOT_ALLOWED',
  });
  decrypt({
    id: 'enc not in contentEncryptionAlgorithms',
    jwe: oaep,
    key: rsa.priv,
    options: { keyManagementAlgorithms: ['RSA-OAEP-256'], contentEncryptionAlgorithms: ['A128GCM'] },
    error: 'ERR_JWT_ALG_NOT_ALLOWED',
  });
  const pbes2 = encryptJWE(plaintext, 'correct horse battery staple', { alg: 'PBES2-HS256+A128KW', p2c: 20000 });
  decrypt({
    id: 'PBES2 p2c above maxPbes2Count',
    jwe: pbes2,
    key: 'correct horse battery staple',
    options: { keyManagementAlgorithms: ['PBES2-HS256+A128KW'] },
    error: 'ERR_JWE_DECRYPTION_FAILED',
  });
  decrypt({
    id: 'PBES2 p2c within a raised maxPbes2Count',
    jwe: pbes2,
    key: 'correct horse battery staple',
    options: { keyManagementAlgorithms: ['PBES2-HS256+A128KW'], maxPbes2Count: 20000 },
    plaintextHex: hex(plaintext),
  });
  const dirKey = generateSecret('A256GCM').toJWK({ private: true });
  const bomb = encryptJWE('A'.repeat(300 * 1024), dirKey, { enc: 'A256GCM', zip: 'DEF' });
  decrypt({
    id: 'zip DEF past maxDecompressedBytes (256 KiB default)',
    jwe: bomb,
    key: dirKey,
    options: {},
    error: 'ERR_JWE_DECRYPTION_FAILED',
  });
  decrypt({
    id: 'zip DEF within a raised maxDecompressedBytes',
    jwe: bomb,
    key: dirKey,
    options: { maxDecompressedBytes: 400 * 1024 },
    plaintextHex: hex('A'.repeat(300 * 1024)),
  });
  // Invalid curve: the recipient is on P-256, the epk is a P-256 point moved off the curve.
  const p256 = keysFor('ECDH-ES+A128KW');
  const good = encryptJWE(plaintext, p256.pub, { alg: 'ECDH-ES+A128KW' });
  const [gh, ...rest] = good.split('.');
  const header = JSON.parse(Buffer.from(gh, 'base64url'));
  const y = Buffer.from(header.epk.y, 'base64url');
  y[31] ^= 1;
  header.epk.y = y.toString('base64url');
  decrypt({
    id: 'ECDH-ES invalid-curve epk: DecryptionError',
    jwe: [Buffer.from(JSON.stringify(header)).toString('base64url'), ...rest].join('.'),
    key: p256.priv,
    options: { keyManagementAlgorithms: ['ECDH-ES+A128KW'] },
    error: 'ERR_JWE_DECRYPTION_FAILED',
  });
  // An epk on another curve than the recipient's.
  const p384 = generateKeyPair('ECDH-ES+A128KW', { crv: 'P-384' }).publicKey.toJWK();
  const wrongCurve = { ...header, epk: { kty: 'EC', crv: 'P-384', x: p384.x, y: p384.y } };
  decrypt({
    id: 'ECDH-ES epk on another curve: DecryptionError',
    jwe: [Buffer.from(JSON.stringify(wrongCurve)).toString('base64url'), ...rest].join('.'),
    key: p256.priv,
    options: { keyManagementAlgorithms: ['ECDH-ES+A128KW'] },
    error: 'ERR_JWE_DECRYPTION_FAILED',
  });
  // X25519 small-order point (all-zero shared secret).
  const x = keysFor('ECDH-ES', 'X25519');
  const xg = encryptJWE(plaintext, x.pub, { alg: 'ECDH-ES' });
  const [xh, ...xr] = xg.split('.');
  const xHeader = JSON.parse(Buffer.from(xh, 'base64url'));
  xHeader.epk.x = Buffer.alloc(32).toString('base64url');
  decrypt({
    id: 'X25519 small-order epk (all-zero shared secret): DecryptionError',
    jwe: [Buffer.from(JSON.stringify(xHeader)).toString('base64url'), ...xr].join('.'),
    key: x.priv,
    options: { keyManagementAlgorithms: ['ECDH-ES'] },
    error: 'ERR_JWE_DECRYPTION_FAILED',
  });
  decrypt({
    id: 'a secret given to RSA-OAEP',
    jwe: oaep,
    key: 'x'.repeat(32),
    options: { keyManagementAlgorithms: ['RSA-OAEP-256'] },
    error: 'ERR_KEY_INVALID',
  });
  decrypt({
    id: 'an RSA public PEM given as the dir secret (confusion)',
    jwe: encryptJWE(plaintext, dirKey, { enc: 'A256GCM' }),
    key: createPublicKey(createPrivateKey(rsa.privPEM)).export({ type: 'spki', format: 'pem' }),
    options: { keyManagementAlgorithms: ['dir'] },
    error: 'ERR_KEY_INVALID',
  });
  decrypt({
    id: 'a JWS given to decryptJWE',
    jwe: signJWT(claims, 'x'.repeat(32)),
    key: dirKey,
    options: { keyManagementAlgorithms: ['dir'] },
    error: 'ERR_JWT_MALFORMED',
  });
  return cases;
}
