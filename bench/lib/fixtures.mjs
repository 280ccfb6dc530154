// Keys (generated once per run), the access-token payload, and the raw node:crypto floors.
import crypto from 'node:crypto';

export const ALGS = ['HS256', 'RS256', 'ES256', 'EdDSA'];
export const AUDIENCE = 'https://api.example.com';
export const ISSUER = 'https://auth.example.com/';

// A realistic 11-claim access token (~330 bytes of JSON). It already carries `iat`, so every
// signer does the same work: none of them adds or changes a claim.
export function makePayload(now) {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user_4f3c2a1b9e8d7c6b',
    iat: now,
    exp: now + 3600,
    nbf: now - 5,
    jti: '6f1c2e9a-4b7d-4c2e-9f3a-1d2b3c4d5e6f',
    scope: 'openid profile email read:orders write:orders',
    roles: ['admin', 'editor', 'viewer'],
    name: 'Jane Q. Example',
    email_verified: true,
  };
}

// keys[alg]: { secret (Uint8Array), secretKey (KeyObject) } for HS256,
//            { privateKey, publicKey (KeyObjects), privatePem, publicPem } otherwise.
export function makeKeys() {
  const secret = new Uint8Array(crypto.randomBytes(32));
  const pair = (type, opts) => {
    const k = crypto.generateKeyPairSync(type, opts);
    return {
      ...k,
      privatePem: k.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      publicPem: k.publicKey.export({ type: 'spki', format: 'pem' }),
    };
  };
  return {
    HS256: { secret, secretKey: crypto.createSecretKey(secret) },
    RS256: pair('rsa', { modulusLength: 2048 }),
    ES256: pair('ec', { namedCurve: 'P-256' }),
    EdDSA: pair('ed25519'),
  };
}

const { createHmac, timingSafeEqual, sign: cSign, verify: cVerify } = crypto;
const B64U = /^[A-Za-z0-9_-]+$/;
const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const fail = (msg) => {
  throw new Error(msg);
};

// The floor for one algorithm: raw node:crypto + Buffer, KeyObjects, no library.
//   sign       cached header segment + base64url(JSON.stringify(payload)) + signature
//   verify     the bare minimum: split, signature check, payload parse, exp check
//   verifyFull the same checks a complete library makes (see below) — the fair reference
//   decode     complete decode: header + payload JSON, signature bytes (what decodeJWT returns)
export function buildFloor(alg, keys, { audience = AUDIENCE, issuer = ISSUER } = {}) {
  const k = keys[alg];
  const prefix = b64u(JSON.stringify({ alg, typ: 'JWT' })) + '.';
  let signInput, checkSig; // (input: string) => base64url signature ; (input: string, sig: Buffer) => boolean
  if (alg === 'HS256') {
    // digest('base64url') is the fastest form node offers (~1.3x digest().toString('base64url'))
    signInput = (input) => createHmac('sha256', k.secretKey).update(input).digest('base64url');
    checkSig = (input, sig) => {
      const mac = createHmac('sha256', k.secretKey).update(input).digest();
      return sig.length === mac.length && timingSafeEqual(mac, sig);
    };
  } else {
    const hash = alg === 'EdDSA' ? null : 'sha256';
    const priv = alg === 'ES256' ? { key: k.privateKey, dsaEncoding: 'ieee-p1363' } : k.privateKey;
    const pub = alg === 'ES256' ? { key: k.publicKey, dsaEncoding: 'ieee-p1363' } : k.publicKey;
    signInput = (input) => cSign(hash, Buffer.from(input, 'latin1'), priv).toString('base64url');
    checkSig = (input, sig) => cVerify(hash, Buffer.from(input, 'latin1'), pub, sig);
  }

  const sign = (payload) => {
    const input = prefix + b64u(JSON.stringify(payload));
    return input + '.' + signInput(input);
  };

  const verify = (token) => {
    const d1 = token.indexOf('.');
    const d2 = token.lastIndexOf('.');
    if (d1 <= 0 || d2 === d1) fail('malformed');
    if (!checkSig(token.slice(0, d2), Buffer.from(token.slice(d2 + 1), 'base64url'))) fail('bad signature');
    const payload = JSON.parse(Buffer.from(token.slice(d1 + 1, d2), 'base64url').toString());
    if (!(payload.exp > Date.now() / 1000)) fail('expired');
    return payload;
  };

  // split into exactly three segments; strict base64url alphabet on all three; header JSON parse,
  // object check, alg check, crit absent; HMAC + timingSafeEqual / crypto.verify; payload JSON
  // parse + object check; exp/nbf/iat type and time checks; aud and iss equality.
  const verifyFull = (token) => {
    if (typeof token !== 'string') throw new TypeError('token must be a string');
    const d1 = token.indexOf('.');
    const d2 = token.indexOf('.', d1 + 1);
    if (d1 <= 0 || d2 < 0 || token.indexOf('.', d2 + 1) !== -1) fail('malformed');
    const h = token.slice(0, d1),
      p = token.slice(d1 + 1, d2),
      s = token.slice(d2 + 1);
    if (!B64U.test(h) || !B64U.test(p) || !B64U.test(s)) fail('malformed');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    if (header === null || typeof header !== 'object' || header.alg !== alg) fail('alg not allowed');
    if (header.crit !== undefined) fail('crit unsupported');
    if (!checkSig(token.slice(0, d2), Buffer.from(s, 'base64url'))) fail('bad signature');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) fail('payload not an object');
    const now = Math.floor(Date.now() / 1000);
    const { exp, nbf, iat, aud, iss } = payload;
    if (exp !== undefined && (typeof exp !== 'number' || !(exp > now))) fail('expired');
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) fail('not yet valid');
    if (iat !== undefined && (typeof iat !== 'number' || iat > now)) fail('iat in the future');
    if (typeof aud === 'string' ? aud !== audience : !(Array.isArray(aud) && aud.includes(audience))) fail('audience');
    if (iss !== issuer) fail('issuer');
    return payload;
  };

  const decode = (token) => {
    const d1 = token.indexOf('.');
    const d2 = token.indexOf('.', d1 + 1);
    if (d1 <= 0 || d2 < 0 || token.indexOf('.', d2 + 1) !== -1) fail('malformed');
    return {
      header: JSON.parse(Buffer.from(token.slice(0, d1), 'base64url').toString()),
      payload: JSON.parse(Buffer.from(token.slice(d1 + 1, d2), 'base64url').toString()),
      signature: Buffer.from(token.slice(d2 + 1), 'base64url'),
    };
  };

  return { sign, verify, verifyFull, decode };
}

// Everything a run needs: keys, payloads, floors, the reference token of each alg and the bad
// tokens every verifier must reject.
export function makeFixtures() {
  const now = Math.floor(Date.now() / 1000);
  const keys = makeKeys();
  const payload = makePayload(now);
  const floors = Object.fromEntries(ALGS.map((alg) => [alg, buildFloor(alg, keys)]));
  const tokens = {},
    bad = {};
  for (const alg of ALGS) {
    const f = floors[alg];
    const t = (tokens[alg] = f.sign(payload));
    const d2 = t.lastIndexOf('.');
    const sig = t.slice(d2 + 1);
    const mid = sig.length >> 1;
    const [h, p] = t.split('.');
    bad[alg] = {
      tampered: t.slice(0, d2 + 1) + sig.slice(0, mid) + (sig[mid] === 'A' ? 'B' : 'A') + sig.slice(mid + 1),
      'tampered payload': h + '.' + b64u(JSON.stringify({ ...payload, sub: 'admin' })) + '.' + sig,
      expired: f.sign({ ...payload, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }),
      'alg:none': b64u('{"alg":"none","typ":"JWT"}') + '.' + p + '.',
      'wrong aud': f.sign({ ...payload, aud: 'https://other.example.com' }),
      'wrong iss': f.sign({ ...payload, iss: 'https://evil.example.com/' }),
    };
  }
  return { now, keys, payload, floors, tokens, bad };
}
