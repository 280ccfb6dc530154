// The key-form conformance cases, built once on Node (called from cases.mjs): every key form the web
// entry accepts — PEM SPKI / PKCS#8 / PKCS#1 / SEC1, X.509 certificates, encrypted PKCS#8 (as node:crypto
// and the openssl CLI write it), OpenSSH public keys, JWK JSON text — verifying tokens the Node entry
// signed and signing tokens the Node entry then verifies (report.mjs), plus inputs that must be refused.
// A refusal's expected code is what the Node entry itself throws for the same input, never a constant
// the web code is compared with; the few refusals that are web-only say so in their id.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calculateJWKThumbprintURI, importKey, signJWT, verifyJWT } from 'tessera-jwt';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, '..', '..', 'packages', 'tessera', 'test', 'fixtures');
const fixture = (name) => readFileSync(join(FIXTURES, name), 'utf8');
const VECTORS = process.env.TESSERA_VECTORS ?? '/work/shared/vectors';
const vectors = (...p) => JSON.parse(readFileSync(join(VECTORS, ...p), 'utf8'));

/** The code the Node entry refuses `fn` with (it must refuse: a case Node accepts is a broken case). */
function nodeRefusal(fn, id) {
  try {
    fn();
  } catch (err) {
    if (typeof err?.code === 'string') return err.code;
    throw err;
  }
  throw new Error(`key case "${id}": the Node entry accepts it, so it cannot be a refusal case`);
}

// The openssl CLI writes the encrypted PKCS#8 variants node:crypto does not (PRFs, ciphers, iterations).
function openssl(args, input) {
  try {
    return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const message = `key cases: the openssl CLI is needed for the encrypted PKCS#8 and RSA certificate cases (${err.message})`;
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`WARNING: ${message}; those cases are left out`);
    return undefined;
  }
}

export function buildKeyCases() {
  const cases = [];
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'key-forms', exp: now + 3600 };
  /** One key form: Node signs with `nodePrivate`, the web verifies with `pub`, the web signs with `priv`. */
  const form = (name, alg, { nodePrivate, pub, priv, publicJWK }) => {
    const token = signJWT(claims, nodePrivate, { algorithm: alg, issuedAt: false });
    if (pub !== undefined)
      cases.push({
        id: `key form: ${name} verifies a node-made ${alg}`,
        op: 'verify-jwt',
        token,
        key: pub,
        algorithms: [alg],
        claims,
      });
    if (priv !== undefined)
      cases.push({ id: `key form: ${name} signs ${alg}`, op: 'sign', alg, key: priv, claims, publicJWK });
  };
  const refuse = (name, c, nodeCall) =>
    cases.push({ id: `refused: ${name}`, ...c, error: nodeRefusal(nodeCall, name) });
  const jwkOf = (keyObject) => keyObject.export({ format: 'jwk' });

  // RSA: PKCS#1 both halves, SPKI / PKCS#8, and a private PEM given to verify (its public half is used).
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaPub = jwkOf(rsa.publicKey);
  const pkcs1Private = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' });
  const pkcs1Public = rsa.publicKey.export({ type: 'pkcs1', format: 'pem' });
  const spki = rsa.publicKey.export({ type: 'spki', format: 'pem' });
  const pkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' });
  for (const alg of ['RS256', 'PS384'])
    form(`PKCS#1 RSA PUBLIC/PRIVATE KEY`, alg, {
      nodePrivate: pkcs8,
      pub: pkcs1Public,
      priv: pkcs1Private,
      publicJWK: rsaPub,
    });
  form('PKCS#8 PRIVATE KEY given to verify', 'RS512', { nodePrivate: pkcs8, pub: pkcs8 });
  form('PKCS#8 with CR LF line ends and indentation', 'PS256', {
    nodePrivate: pkcs8,
    pub: spki.replaceAll('\n', '\r\n  '),
    priv: pkcs8.replaceAll('\n', '\r\n'),
    publicJWK: rsaPub,
  });
  form('JWK JSON text', 'RS256', {
    nodePrivate: pkcs8,
    pub: JSON.stringify(rsaPub),
    priv: JSON.stringify(jwkOf(rsa.privateKey)),
    publicJWK: rsaPub,
  });

  // EC: SEC1 EC PRIVATE KEY on each named curve, with its SPKI; the EC PARAMETERS block openssl writes first is skipped.
  for (const [alg, curve] of [
    ['ES256', 'P-256'],
    ['ES384', 'P-384'],
    ['ES512', 'P-521'],
  ]) {
    const ec = generateKeyPairSync('ec', { namedCurve: curve });
    const sec1 = ec.privateKey.export({ type: 'sec1', format: 'pem' });
    form(`SEC1 EC PRIVATE KEY (${curve})`, alg, {
      nodePrivate: sec1,
      pub: ec.publicKey.export({ type: 'spki', format: 'pem' }),
      priv: sec1,
      publicJWK: jwkOf(ec.publicKey),
    });
    if (curve === 'P-256') {
      const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
      form('SEC1 after an EC PARAMETERS block', alg, {
        nodePrivate: sec1,
        priv: `${params}${sec1}`,
        publicJWK: jwkOf(ec.publicKey),
      });
      refuse('ES384 with a P-256 SEC1 key', { op: 'sign', alg: 'ES384', key: sec1, claims }, () =>
        signJWT(claims, sec1, { algorithm: 'ES384' }),
      );
    }
  }
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const k1sec1 = k1.privateKey.export({ type: 'sec1', format: 'pem' });
  refuse('ES256 with a secp256k1 SEC1 key', { op: 'sign', alg: 'ES256', key: k1sec1, claims }, () =>
    signJWT(claims, k1sec1, { algorithm: 'ES256' }),
  );
  // ES256K itself: signs on Node; on the web it is the typed "not available" error (listed as unsupported).
  cases.push({
    id: 'key form: SEC1 secp256k1 signs ES256K',
    op: 'sign',
    alg: 'ES256K',
    key: k1sec1,
    claims,
    publicJWK: jwkOf(k1.publicKey),
  });

  // EdDSA: PKCS#8 / SPKI.
  const ed = generateKeyPairSync('ed25519');
  form('PKCS#8 / SPKI Ed25519', 'EdDSA', {
    nodePrivate: ed.privateKey,
    pub: ed.publicKey.export({ type: 'spki', format: 'pem' }),
    priv: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    publicJWK: jwkOf(ed.publicKey),
  });

  // X.509 certificates: only the subject public key is taken (the certificate is not validated).
  const certKey = fixture('cert-p256.key.pem');
  form('X.509 CERTIFICATE (P-256, fixture)', 'ES256', { nodePrivate: certKey, pub: fixture('cert-p256.pem') });
  const dir = mkdtempSync(join(tmpdir(), 'tessera-key-cases-'));
  try {
    writeFileSync(join(dir, 'rsa.pem'), pkcs8);
    const rsaCert = openssl(['req', '-x509', '-key', join(dir, 'rsa.pem'), '-subj', '/CN=key-cases', '-days', '1']);
    if (rsaCert !== undefined) {
      form('X.509 CERTIFICATE (RSA, openssl req)', 'PS256', { nodePrivate: pkcs8, pub: rsaCert });
      refuse('signing with an X.509 certificate', { op: 'sign', alg: 'RS256', key: rsaCert, claims }, () =>
        signJWT(claims, rsaCert, { algorithm: 'RS256' }),
      );
      refuse(
        'X.509 certificate as an HS256 secret',
        {
          op: 'verify-jwt',
          token: signJWT(claims, 'x'.repeat(32), { algorithm: 'HS256' }),
          key: rsaCert,
          algorithms: ['HS256'],
        },
        () => verifyJWT(signJWT(claims, 'x'.repeat(32), { algorithm: 'HS256' }), rsaCert, { algorithms: ['HS256'] }),
      );
    }

    // Encrypted PKCS#8: node:crypto's export, and the openssl CLI's PRF/cipher variants.
    const encrypted = [
      [
        'node export, aes-256-cbc',
        rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }),
      ],
      [
        'node export, aes-128-cbc',
        rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'correct horse' }),
      ],
    ];
    for (const prf of ['hmacWithSHA1', 'hmacWithSHA384', 'hmacWithSHA512']) {
      const pem = openssl([
        'pkcs8',
        '-topk8',
        '-v2',
        'aes-256-cbc',
        '-v2prf',
        prf,
        '-iter',
        '3000',
        '-passout',
        'pass:correct horse',
        '-in',
        join(dir, 'rsa.pem'),
      ]);
      if (pem !== undefined) encrypted.push([`openssl, PBKDF2-${prf}`, pem]);
    }
    for (const [name, pem] of encrypted) {
      const key = { key: pem, passphrase: 'correct horse' };
      form(`ENCRYPTED PRIVATE KEY (${name})`, 'RS256', { nodePrivate: key, priv: key, publicJWK: rsaPub });
    }
    const [, encryptedPem] = encrypted[0];
    refuse('ENCRYPTED PRIVATE KEY without a passphrase', { op: 'sign', alg: 'RS256', key: encryptedPem, claims }, () =>
      signJWT(claims, encryptedPem, { algorithm: 'RS256' }),
    );
    const wrong = { key: encryptedPem, passphrase: 'wrong horse' };
    refuse('ENCRYPTED PRIVATE KEY with a wrong passphrase', { op: 'sign', alg: 'RS256', key: wrong, claims }, () =>
      signJWT(claims, wrong, { algorithm: 'RS256' }),
    );
    const costly = openssl([
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-256-cbc',
      '-iter',
      '1000001',
      '-passout',
      'pass:p',
      '-in',
      join(dir, 'rsa.pem'),
    ]);
    if (costly !== undefined)
      // Web only: node:crypto (OpenSSL) has no iteration bound; the web entry refuses before doing the work.
      cases.push({
        id: 'refused (web only): ENCRYPTED PRIVATE KEY asking for more than 1,000,000 PBKDF2 iterations',
        op: 'sign',
        alg: 'RS256',
        key: { key: costly, passphrase: 'p' },
        claims,
        error: 'ERR_KEY_INVALID',
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // OpenSSH public keys (fixtures made by ssh-keygen), verifying tokens signed with their PKCS#8 halves.
  for (const [file, alg] of [
    ['ssh-rsa', 'RS256'],
    ['ssh-ecdsa', 'ES384'],
    ['ssh-ed25519', 'EdDSA'],
  ]) {
    const line = fixture(`${file}.pub`);
    form(`OpenSSH ${file} public key`, alg, { nodePrivate: fixture(file), pub: line });
    form(`OpenSSH ${file} after authorized_keys options`, alg, {
      nodePrivate: fixture(file),
      pub: `no-pty,from="10.0.0.1" ${line}`,
    });
    refuse(`signing with an OpenSSH ${file} public key`, { op: 'sign', alg, key: line, claims }, () =>
      signJWT(claims, line, { algorithm: alg }),
    );
  }

  // Key confusion and misuse: each as the Node entry refuses it.
  const hsToken = signJWT(claims, 'k'.repeat(32), { algorithm: 'HS256' });
  for (const [name, key] of [
    ['SPKI PEM', spki],
    ['PKCS#1 RSA PUBLIC KEY', pkcs1Public],
    ['PEM after a text preamble', `Certificate:\n  Data: …\n${spki}`],
    ['OpenSSH public key', fixture('ssh-rsa.pub')],
    ['OpenSSH key in a known_hosts line', `host.example ${fixture('ssh-ed25519.pub')}`],
    ['JWK JSON text', JSON.stringify(rsaPub)],
    ['JWK Set JSON text', JSON.stringify({ keys: [rsaPub] })],
  ])
    refuse(`${name} as an HS256 secret`, { op: 'verify-jwt', token: hsToken, key, algorithms: ['HS256'] }, () =>
      verifyJWT(hsToken, key, { algorithms: ['HS256'] }),
    );
  for (const [name, key] of [
    ['SPKI PEM', spki],
    ['PKCS#1 RSA PUBLIC KEY', pkcs1Public],
  ])
    refuse(`signing with a public ${name}`, { op: 'sign', alg: 'RS256', key, claims }, () =>
      signJWT(claims, key, { algorithm: 'RS256' }),
    );
  refuse('a secret for RS256', { op: 'sign', alg: 'RS256', key: 'k'.repeat(64), claims }, () =>
    signJWT(claims, 'k'.repeat(64), { algorithm: 'RS256' }),
  );
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' });
  refuse('PKCS#1 RSA key under 2048 bits', { op: 'sign', alg: 'RS256', key: weak, claims }, () =>
    signJWT(claims, weak, { algorithm: 'RS256' }),
  );
  const ed2 = ed.privateKey.export({ type: 'pkcs8', format: 'pem' });
  refuse('an Ed25519 PKCS#8 key for ES256', { op: 'sign', alg: 'ES256', key: ed2, claims }, () =>
    signJWT(claims, ed2, { algorithm: 'ES256' }),
  );
  const x = generateKeyPairSync('x25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
  refuse('an X25519 PKCS#8 key for EdDSA', { op: 'sign', alg: 'EdDSA', key: x, claims }, () =>
    signJWT(claims, x, { algorithm: 'EdDSA' }),
  );
  const sshPrivate =
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
  refuse('an OPENSSH PRIVATE KEY file', { op: 'sign', alg: 'EdDSA', key: sshPrivate, claims }, () =>
    signJWT(claims, sshPrivate, { algorithm: 'EdDSA' }),
  );
  // Not DER: truncated, trailing bytes, BER indefinite length.
  const der = Buffer.from(spki.split('\n').slice(1, -2).join(''), 'base64');
  const pemOf = (bytes) => `-----BEGIN PUBLIC KEY-----\n${bytes.toString('base64')}\n-----END PUBLIC KEY-----\n`;
  const rsToken = signJWT(claims, pkcs8, { algorithm: 'RS256' });
  refuse(
    'truncated SPKI',
    { op: 'verify-jwt', token: rsToken, key: pemOf(der.subarray(0, der.length - 10)), algorithms: ['RS256'] },
    () => verifyJWT(rsToken, pemOf(der.subarray(0, der.length - 10)), { algorithms: ['RS256'] }),
  );
  // Web only: OpenSSL's decoder reads BER and ignores what follows the SPKI; the web entry's DER reader is strict.
  for (const [name, bytes] of [
    ['SPKI with trailing bytes', Buffer.concat([der, Buffer.from([0, 0])])],
    [
      'SPKI with a BER indefinite length',
      Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(4), Buffer.from([0, 0])]),
    ],
    ['SPKI with a length not in shortest form', Buffer.concat([Buffer.from([0x30, 0x83, 0x00]), der.subarray(2)])],
  ])
    cases.push({
      id: `refused (web only): ${name}`,
      op: 'verify-jwt',
      token: rsToken,
      key: pemOf(bytes),
      algorithms: ['RS256'],
      error: 'ERR_KEY_INVALID',
    });
  // Invalid-curve inputs: a P-256 point with one coordinate changed, as a JWK and as an SPKI.
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const esToken = signJWT(claims, p256.privateKey, { algorithm: 'ES256' });
  const good = jwkOf(p256.publicKey);
  const y = Buffer.from(good.y, 'base64url');
  y[31] ^= 1;
  const offCurve = { ...good, y: y.toString('base64url') };
  refuse(
    'an EC JWK point off the curve',
    { op: 'verify-jwt', token: esToken, key: offCurve, algorithms: ['ES256'] },
    () => verifyJWT(esToken, offCurve, { algorithms: ['ES256'] }),
  );
  const ecDer = p256.publicKey.export({ type: 'spki', format: 'der' });
  ecDer[ecDer.length - 1] ^= 1;
  const offCurvePem = pemOf(ecDer);
  refuse(
    'an EC SPKI point off the curve',
    { op: 'verify-jwt', token: esToken, key: offCurvePem, algorithms: ['ES256'] },
    () => verifyJWT(esToken, offCurvePem, { algorithms: ['ES256'] }),
  );
  const mangled = `ssh-ed25519 ${Buffer.concat([Buffer.from(fixture('ssh-ed25519.pub').split(' ')[1], 'base64'), Buffer.from([1])]).toString('base64')}`;
  const edToken = signJWT(claims, fixture('ssh-ed25519'), { algorithm: 'EdDSA' });
  refuse(
    'OpenSSH key with trailing bytes',
    { op: 'verify-jwt', token: edToken, key: mangled, algorithms: ['EdDSA'] },
    () => verifyJWT(edToken, mangled, { algorithms: ['EdDSA'] }),
  );
  cases.push(
    ...buildKeyAPICases({
      spki,
      pkcs1Private,
      pkcs1Public,
      encrypted: rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }),
    }),
  );
  return cases;
}

// The key API: thumbprints against the RFCs' own values, importKey against the Node entry's import of
// the same input, generateKeyPair per algorithm.
function buildKeyAPICases(forms) {
  const cases = [];
  for (const [file, id] of [
    ['rfc7638.json', 'rfc7638-3.1'],
    ['rfc8037.json', 'rfc8037-A.3'],
  ]) {
    const e = vectors('rfc-examples', file).examples.find((x) => x.id === id);
    cases.push({
      id: `${id} thumbprint`,
      op: 'thumbprint',
      jwk: e.jwk,
      thumbprint: e.thumbprint_b64u,
      // RFC 9278 §3 spells the URI out of the RFC 7638 value; the Node entry builds it the same way.
      uri: `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${e.thumbprint_b64u}`,
    });
  }
  const e7638 = vectors('rfc-examples', 'rfc7638.json').examples[0];
  for (const digest of ['sha384', 'sha512'])
    cases.push({
      id: `RFC 7638 example, ${digest} thumbprint (as the Node entry computes it)`,
      op: 'thumbprint',
      jwk: e7638.jwk,
      digest,
      thumbprint: calculateJWKThumbprintURI(e7638.jwk, digest).split(':').pop(),
      uri: calculateJWKThumbprintURI(e7638.jwk, digest),
    });
  const asNode = (id, key, options, exportOptions) => {
    const k = importKey(key, options);
    cases.push({
      id: `importKey: ${id}`,
      op: 'import-key',
      key,
      options,
      exportOptions,
      jwk: k.toJWK(exportOptions),
      thumbprint: k.thumbprint(),
    });
  };
  for (const e of vectors('rfc-examples', 'rfc7517.json').examples) {
    if (e.kind !== 'jwks') continue;
    e.jwks.keys.forEach((jwk, i) => {
      asNode(
        `${e.id} key ${i} (${jwk.kty})`,
        jwk,
        undefined,
        jwk.d !== undefined || jwk.k !== undefined ? { private: true } : undefined,
      );
    });
  }
  asNode('SPKI PEM', forms.spki);
  asNode('PKCS#1 RSA PUBLIC KEY, bound to PS256 with a kid', forms.pkcs1Public, { alg: 'PS256', kid: 'k-2026' });
  asNode('PKCS#1 RSA PRIVATE KEY, public half', forms.pkcs1Private, undefined, { private: false });
  asNode('PKCS#1 RSA PRIVATE KEY, private', forms.pkcs1Private, undefined, { private: true });
  asNode('encrypted PKCS#8', { key: forms.encrypted, passphrase: 'pw' }, undefined, { private: false });
  asNode('X.509 certificate', fixture('cert-p256.pem'));
  asNode('SEC1 / PKCS#8 P-256 private key', fixture('cert-p256.key.pem'), { alg: 'ES256' }, { private: true });
  for (const file of ['ssh-rsa.pub', 'ssh-ecdsa.pub', 'ssh-ed25519.pub']) asNode(`OpenSSH ${file}`, fixture(file));
  const refuseImport = (id, key, options) => {
    let code;
    try {
      importKey(key, options);
    } catch (err) {
      code = err.code;
    }
    if (code === undefined) throw new Error(`key API case "${id}": the Node entry accepts it`);
    cases.push({ id: `refused: importKey ${id}`, op: 'import-key', key, options, error: code });
  };
  refuseImport('binding an EC key to RS256', fixture('cert-p256.pem'), { alg: 'RS256' });
  const n = vectors('rfc-examples', 'rfc7638.json').examples[0].jwk.n;
  refuseImport('an EC point off the curve', { kty: 'EC', crv: 'P-256', x: n.slice(0, 43), y: n.slice(43, 86) });
  refuseImport('an RSA JWK with public exponent 1', { kty: 'RSA', n, e: 'AQ' });
  refuseImport('a JWK whose kid disagrees with the option', { kty: 'oct', k: 'a'.repeat(43), kid: 'a' }, { kid: 'b' });
  const claims = { sub: 'generated' };
  for (const alg of ['RS256', 'PS384', 'ES256', 'ES384', 'ES512', 'EdDSA'])
    cases.push({ id: `generateKeyPair ${alg}, signJWT, verified by the Node entry`, op: 'generate', alg, claims });
  cases.push({
    id: 'generateKeyPair RS512 with modulusLength 3072',
    op: 'generate',
    alg: 'RS512',
    options: { modulusLength: 3072 },
    claims,
  });
  cases.push({ id: 'generateKeyPair ES256K', op: 'generate', alg: 'ES256K', claims });
  return cases;
}
