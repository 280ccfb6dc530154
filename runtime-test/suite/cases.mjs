// Builds the conformance cases on Node, once: the RFC 7515 / RFC 8037 / RFC 7519 examples and the JOSE
// cookbook's JWS examples from ../shared/vectors (or $TESSERA_VECTORS), tokens made by Tessera's Node
// entry (node:crypto) for every JWS algorithm, and attacks that must be refused. The same JSON then runs
// unchanged on every runtime (suite/conformance.js); expected results are the vectors' own, never computed
// by the code under test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { generateKeyPair, signJWT } from 'tessera-jwt';
import { buildDecodeCases } from './decode-cases.mjs';
import { buildOracleCases } from './oracle-cases.mjs';
import { buildWycheproofCases } from './wycheproof-cases.mjs';
import { VECTORS } from './shared.mjs';
import { buildJWECases } from './jwe-cases.mjs';
import { buildJWSCases } from './jws-cases.mjs';
import { buildKeyCases } from './key-cases.mjs';

const read = (...p) => JSON.parse(readFileSync(join(VECTORS, ...p), 'utf8'));
const b64u = (text) => Buffer.from(text, 'utf8').toString('base64url');
const publicOf = (key) => key.toJWK();
const publicJWK = (jwk) => {
  const { d, p, q, dp, dq, qi, k, ...pub } = jwk;
  return pub;
};

export function buildCases() {
  const cases = [];
  for (const file of ['rfc7515.json', 'rfc8037.json']) {
    for (const e of read('rfc-examples', file).examples) {
      if (e.kind !== 'jws-compact' || !e.compact) continue;
      if (e.alg === 'none') {
        cases.push({
          id: `${e.id} (alg none refused)`,
          op: 'verify-jws',
          token: e.compact,
          key: 'unused-secret-unused-secret-unused',
          algorithms: ['HS256'],
          error: 'ERR_JWT_ALG_NOT_ALLOWED',
        });
        continue;
      }
      const key = e.alg === 'HS256' ? e.key : publicJWK(e.key);
      cases.push({
        id: e.id,
        op: 'verify-jws',
        token: e.compact,
        key,
        algorithms: [e.alg],
        payload: e.compact.split('.')[1],
      });
      const [h, p, s] = e.compact.split('.');
      const flipped = `${s.slice(0, 4)}${s[4] === 'A' ? 'B' : 'A'}${s.slice(5)}`;
      cases.push({
        id: `${e.id} (signature altered)`,
        op: 'verify-jws',
        token: `${h}.${p}.${flipped}`,
        key,
        algorithms: [e.alg],
        error: 'ERR_JWS_SIGNATURE_INVALID',
      });
    }
  }
  for (const e of read('rfc-examples', 'rfc7519.json').examples) {
    if (e.id === 'rfc7519-3.1')
      cases.push({
        id: `${e.id} (expired in 2011)`,
        op: 'verify-jwt',
        token: e.compact,
        key: read('rfc-examples', 'rfc7515.json').examples[0].key,
        algorithms: ['HS256'],
        error: 'ERR_JWT_EXPIRED',
      });
  }
  for (const file of readdirSync(join(VECTORS, 'jose-cookbook', 'jws')).sort()) {
    const v = read('jose-cookbook', 'jws', file);
    const compact = v.output?.compact;
    if (typeof compact !== 'string' || v.input?.key === undefined) continue;
    const alg = v.input.alg;
    const key = v.input.key.kty === 'oct' ? v.input.key : publicJWK(v.input.key);
    const header = JSON.parse(Buffer.from(compact.split('.')[0], 'base64url').toString('utf8'));
    const entry = {
      id: `cookbook ${file.replace('.json', '')}`,
      op: 'verify-jws',
      token: compact,
      key,
      algorithms: [alg],
    };
    if (header.b64 === false || header.crit) cases.push({ ...entry, error: 'ERR_JWT_CRIT_UNSUPPORTED' });
    // Detached content (RFC 7515 Appendix F): without the content the signature cannot match.
    else if (compact.split('.')[1] === '')
      cases.push({ ...entry, id: `${entry.id} (content not supplied)`, error: 'ERR_JWS_SIGNATURE_INVALID' });
    else cases.push({ ...entry, payload: compact.split('.')[1] });
  }

  // Tokens from the Node entry, every algorithm, keys as public JWK and as SPKI PEM.
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'user-42', iss: 'https://issuer.example', exp: now + 3600 };
  for (const alg of [
    'RS256',
    'RS384',
    'RS512',
    'PS256',
    'PS384',
    'PS512',
    'ES256',
    'ES384',
    'ES512',
    'ES256K',
    'EdDSA',
  ]) {
    const { privateKey, publicKey } = generateKeyPair(alg);
    const token = signJWT(claims, privateKey, { algorithm: alg, issuedAt: false });
    const jwk = publicOf(publicKey);
    cases.push({
      id: `node-made ${alg} (JWK)`,
      op: 'verify-jwt',
      token,
      key: jwk,
      algorithms: [alg],
      issuer: claims.iss,
      claims,
    });
    const pem = publicKey.toPEM();
    if (typeof pem === 'string')
      cases.push({
        id: `node-made ${alg} (SPKI PEM)`,
        op: 'verify-jwt',
        token,
        key: pem,
        algorithms: [alg],
        issuer: claims.iss,
        claims,
      });
    cases.push({
      id: `node-made ${alg} (wrong issuer)`,
      op: 'verify-jwt',
      token,
      key: jwk,
      algorithms: [alg],
      issuer: 'https://other.example',
      error: 'ERR_JWT_ISSUER_INVALID',
    });
    // The web entry signs with the private JWK; the runner verifies the result with the Node entry.
    cases.push({
      id: `web-signed ${alg}`,
      op: 'sign',
      alg,
      key: privateKey.toJWK({ private: true }),
      claims,
      publicJWK: jwk,
    });
  }
  for (const alg of ['HS256', 'HS384', 'HS512']) {
    const secret = 'a-shared-secret-for-the-conformance-suite-that-is-64-bytes-long!';
    const token = signJWT(claims, secret, { algorithm: alg, issuedAt: false });
    cases.push({
      id: `node-made ${alg} (text secret)`,
      op: 'verify-jwt',
      token,
      key: secret,
      algorithms: [alg],
      claims,
    });
    cases.push({ id: `web-signed ${alg}`, op: 'sign', alg, key: secret, claims });
  }

  // Attacks and misuse: each must be refused with the same code as on Node.
  const rsa = generateKeyPair('RS256');
  const rsaPem = rsa.publicKey.toPEM();
  const confused = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u(JSON.stringify(claims))}`;
  const hmacWithPem = Buffer.from(
    // An attacker HMACs with the public PEM as the secret: the key must not be accepted as an HMAC secret.
    new Uint8Array(32),
  ).toString('base64url');
  cases.push({
    id: 'alg confusion: HS256 token, RSA public PEM',
    op: 'verify-jwt',
    token: `${confused}.${hmacWithPem}`,
    key: rsaPem,
    algorithms: ['HS256'],
    error: 'ERR_KEY_INVALID',
  });
  cases.push({
    id: 'alg not in the allow-list',
    op: 'verify-jwt',
    token: signJWT(claims, rsa.privateKey, { algorithm: 'RS256' }),
    key: publicOf(rsa.publicKey),
    algorithms: ['ES256'],
    error: 'ERR_JWT_ALG_NOT_ALLOWED',
  });
  const es = generateKeyPair('ES256');
  cases.push({
    id: 'JWK kty does not fit the alg (EC key, RS256 token)',
    op: 'verify-jwt',
    token: signJWT(claims, rsa.privateKey, { algorithm: 'RS256' }),
    key: publicOf(es.publicKey),
    algorithms: ['RS256'],
    error: 'ERR_KEY_INVALID',
  });
  cases.push({
    id: 'JWK alg does not fit the token (PS256 JWK, RS256 token)',
    op: 'verify-jwt',
    token: signJWT(claims, rsa.privateKey, { algorithm: 'RS256' }),
    key: { ...publicOf(rsa.publicKey), alg: 'PS256' },
    algorithms: ['RS256'],
    error: 'ERR_KEY_INVALID',
  });
  const esToken = signJWT(claims, es.privateKey, { algorithm: 'ES256' });
  const [eh, ep] = esToken.split('.');
  cases.push({
    id: 'ECDSA r = s = 0 (CVE-2022-21449)',
    op: 'verify-jwt',
    token: `${eh}.${ep}.${Buffer.alloc(64).toString('base64url')}`,
    key: publicOf(es.publicKey),
    algorithms: ['ES256'],
    error: 'ERR_JWS_SIGNATURE_INVALID',
  });
  cases.push({
    id: 'ECDSA signature in DER, not R||S',
    op: 'verify-jwt',
    token: `${eh}.${ep}.${Buffer.alloc(70, 1).toString('base64url')}`,
    key: publicOf(es.publicKey),
    algorithms: ['ES256'],
    error: 'ERR_JWS_SIGNATURE_INVALID',
  });
  cases.push({
    id: 'duplicate header member',
    op: 'verify-jwt',
    token: `${b64u('{"alg":"none","alg":"HS256"}')}.${b64u('{}')}.AAAA`,
    key: 'x'.repeat(32),
    algorithms: ['HS256'],
    error: 'ERR_JWT_MALFORMED',
  });
  cases.push({
    id: 'non-canonical base64url signature',
    op: 'verify-jwt',
    token: `${esToken.slice(0, -1)}${esToken.endsWith('A') ? 'B' : 'A'}`,
    key: publicOf(es.publicKey),
    algorithms: ['ES256'],
    errorAny: ['ERR_JWT_MALFORMED', 'ERR_JWS_SIGNATURE_INVALID'],
  });
  // Stray (non-zero unused) bits in the last character of a segment: the same bytes spelt a second way.
  const stray = (segment) => {
    const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    return `${segment.slice(0, -1)}${A[A.indexOf(segment.at(-1)) + 1]}`;
  };
  for (const [what, json] of [
    ['header, 2 unused bits', '{"alg":"HS256"}  '],
    ['header, 4 unused bits', '{"alg":"HS256"} '],
    ['payload, 2 unused bits', '{}'],
    ['payload, 4 unused bits', '{"a":1}'],
  ]) {
    const segment = b64u(json);
    const rest = segment.length % 4;
    if (rest !== (what.includes('2 unused') ? 3 : 2)) throw new Error(`case ${what}: ${segment} has ${rest}`);
    const header = what.startsWith('header') ? stray(segment) : b64u('{"alg":"HS256"}');
    const payload = what.startsWith('payload') ? stray(segment) : b64u('{}');
    cases.push({
      id: `non-canonical base64url ${what}`,
      op: 'verify-jwt',
      // Signed over the very text, so the spelling is the token's only defect (whatever is checked first).
      token: `${header}.${payload}.${createHmac('sha256', 'x'.repeat(32)).update(`${header}.${payload}`).digest('base64url')}`,
      key: 'x'.repeat(32),
      algorithms: ['HS256'],
      error: 'ERR_JWT_MALFORMED',
    });
  }
  cases.push({
    id: 'HS256 secret shorter than 32 bytes',
    op: 'sign',
    alg: 'HS256',
    key: 'short',
    claims,
    error: 'ERR_KEY_INVALID',
  });
  cases.push({
    id: 'RSA key under 2048 bits',
    op: 'sign',
    alg: 'RS256',
    key: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }),
    claims,
    error: 'ERR_KEY_INVALID',
  });
  cases.push(...buildOracleCases());
  cases.push(...buildWycheproofCases());
  for (const c of cases.filter((c) => c.op === 'sign' && !c.error))
    cases.push({ ...c, id: `createSigner + createVerifier (cached): ${c.id}`, op: 'reuse' });
  cases.push(...buildDecodeCases(cases.filter((c) => typeof c.token === 'string' && !c.error && !c.errorAny)));
  cases.push(...buildJWSCases());
  cases.push(...buildJWECases());
  cases.push(...buildKeyCases());
  return cases;
}
