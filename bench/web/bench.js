// The runtime side of `npm run bench:web`: Tessera's web entry, jose and a hand-written crypto.subtle floor,
// sign and verify for HS256, RS256, ES256 and EdDSA, on whatever runtime imports this module (bundled once by
// bench/web.mjs for Node, Deno, Bun, workerd and Chromium). Only web APIs are used.
import { jwtVerify, SignJWT } from 'jose';
import { signJWT, verifyJWT } from 'tessera-jwt';

const ALGS = {
  HS256: { gen: { name: 'HMAC', hash: 'SHA-256', length: 256 }, params: { name: 'HMAC' } },
  RS256: {
    gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    params: { name: 'RSASSA-PKCS1-v1_5' },
  },
  ES256: { gen: { name: 'ECDSA', namedCurve: 'P-256' }, params: { name: 'ECDSA', hash: 'SHA-256' } },
  EdDSA: { gen: { name: 'Ed25519' }, params: { name: 'Ed25519' } },
};
const AUDIENCE = 'https://api.example.com';
const ISSUER = 'https://issuer.example.com';

// --- the floor: what a careful hand-written verifier must do, over crypto.subtle, and nothing more ---------
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function b64uEncode(bytes) {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  if (i + 1 === bytes.length) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (i + 2 === bytes.length) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

function b64uDecode(s) {
  if (s.length % 4 === 1) throw new Error('bad base64url');
  const out = new Uint8Array((s.length * 3) >> 2);
  let bits = 0;
  let acc = 0;
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? DECODE[c] : -1;
    if (v < 0) throw new Error('bad base64url');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 255;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw new Error('non-canonical base64url');
  return out;
}

function jsonObject(segment) {
  const value = JSON.parse(decoder.decode(b64uDecode(segment)));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
  return value;
}

function floorSigner(alg, key) {
  const params = ALGS[alg].params;
  const head = b64uEncode(encoder.encode(JSON.stringify({ alg, typ: 'JWT' })));
  return async (payload) => {
    const input = `${head}.${b64uEncode(encoder.encode(JSON.stringify(payload)))}`;
    return `${input}.${b64uEncode(new Uint8Array(await crypto.subtle.sign(params, key, encoder.encode(input))))}`;
  };
}

function floorVerifier(alg, key) {
  const params = ALGS[alg].params;
  return async (token) => {
    const a = token.indexOf('.');
    const b = token.indexOf('.', a + 1);
    if (a < 0 || b < 0 || token.indexOf('.', b + 1) >= 0) throw new Error('not three segments');
    const header = jsonObject(token.slice(0, a));
    if (header.alg !== alg) throw new Error('algorithm not allowed');
    if (header.crit !== undefined) throw new Error('crit not understood');
    const signature = b64uDecode(token.slice(b + 1));
    const ok = await crypto.subtle.verify(params, key, signature, encoder.encode(token.slice(0, b)));
    if (!ok) throw new Error('signature');
    const p = jsonObject(token.slice(a + 1, b));
    const now = Math.floor(Date.now() / 1000);
    for (const c of ['exp', 'nbf', 'iat'])
      if (p[c] !== undefined && (typeof p[c] !== 'number' || !Number.isFinite(p[c]))) throw new Error(`bad ${c}`);
    if (p.exp !== undefined && now >= p.exp) throw new Error('expired');
    if (p.nbf !== undefined && now < p.nbf) throw new Error('not yet valid');
    if (p.iat !== undefined && now < p.iat) throw new Error('issued in the future');
    const aud = typeof p.aud === 'string' ? [p.aud] : p.aud;
    if (!Array.isArray(aud) || !aud.includes(AUDIENCE)) throw new Error('audience');
    if (p.iss !== ISSUER) throw new Error('issuer');
    return p;
  };
}

// --- the implementations, keys imported once --------------------------------------------------------------
async function keysFor(alg) {
  const { gen } = ALGS[alg];
  if (alg === 'HS256') {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const k = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    return { privateKey: k, publicKey: k };
  }
  return crypto.subtle.generateKey(gen, false, ['sign', 'verify']);
}

function payload() {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    sub: 'user-1234567890',
    aud: AUDIENCE,
    iat: now,
    nbf: now - 5,
    exp: now + 3600,
    jti: 'b9f4a7c2-3d1e-4f5a-8b6c-7d8e9f0a1b2c',
    scope: 'read:messages write:messages',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    roles: ['admin', 'editor'],
  };
}

function implementations(alg, { privateKey, publicKey }) {
  const verifyOptions = { algorithms: [alg], audience: AUDIENCE, issuer: ISSUER };
  return {
    sign: {
      tessera: (p) => signJWT(p, privateKey, { algorithm: alg }),
      jose: (p) => new SignJWT(p).setProtectedHeader({ alg, typ: 'JWT' }).sign(privateKey),
      floor: floorSigner(alg, privateKey),
    },
    verify: {
      tessera: (t) => verifyJWT(t, publicKey, verifyOptions),
      jose: async (t) => (await jwtVerify(t, publicKey, verifyOptions)).payload,
      floor: floorVerifier(alg, publicKey),
    },
  };
}

// The gate: every verifier accepts the reference token and rejects what it must; every signer's token passes
// the floor with the same claims. A failing implementation is reported, not timed.
async function gate(impls, p, reference) {
  const problems = [];
  const [h, body, sig] = reference.split('.');
  const flip = (s) => (s[0] === 'A' ? `B${s.slice(1)}` : `A${s.slice(1)}`);
  const withPayload = (q) => `${h}.${b64uEncode(encoder.encode(JSON.stringify(q)))}.${sig}`;
  const sign = impls.sign.floor;
  const rejects = {
    'tampered signature': `${h}.${body}.${flip(sig)}`,
    'tampered payload': withPayload({ ...p, sub: 'mallory' }),
    'alg none': `${b64uEncode(encoder.encode('{"alg":"none","typ":"JWT"}'))}.${body}.`,
    expired: await sign({ ...p, exp: p.iat - 10 }),
    'wrong aud': await sign({ ...p, aud: 'https://other.example.com' }),
    'wrong iss': await sign({ ...p, iss: 'https://evil.example.com' }),
  };
  for (const [name, verify] of Object.entries(impls.verify)) {
    try {
      const claims = await verify(reference);
      if (claims.sub !== p.sub || claims.exp !== p.exp) problems.push(`${name} verify: wrong claims`);
    } catch (err) {
      problems.push(`${name} verify: rejected the reference token (${err?.message})`);
    }
    for (const [what, token] of Object.entries(rejects)) {
      let accepted = false;
      try {
        await verify(token);
        accepted = true;
      } catch {}
      if (accepted) problems.push(`${name} verify: accepted a token with ${what}`);
    }
  }
  for (const [name, s] of Object.entries(impls.sign)) {
    try {
      const claims = await impls.verify.floor(await s(p));
      if (JSON.stringify({ ...claims, iat: 0 }) !== JSON.stringify({ ...p, iat: 0 }))
        problems.push(`${name} sign: claims differ`);
    } catch (err) {
      problems.push(`${name} sign: its token fails the floor (${err?.message})`);
    }
  }
  return problems;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function shuffle(xs) {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Runs the bench. `timer(fn)` resolves to the milliseconds `fn()` (async) took; the default uses
 * performance.now, workerd's runner passes one that reads the clock across real I/O. `batchMs` is the target
 * length of one timed batch, `sweeps` the number of interleaved rounds per cell.
 */
export async function runBench({ runtime, sweeps = 9, batchMs = 10, timer, algs = Object.keys(ALGS) } = {}) {
  const time =
    timer ??
    (async (fn) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    });
  const rows = [];
  const unsupported = [];
  const failed = [];
  for (const alg of algs) {
    let keys;
    try {
      keys = await keysFor(alg);
    } catch (err) {
      unsupported.push({ alg, reason: `${ALGS[alg].gen.name} not available: ${err?.message ?? err}` });
      continue;
    }
    const impls = implementations(alg, keys);
    const p = payload();
    const reference = await impls.sign.floor(p);
    const problems = await gate(impls, p, reference);
    for (const problem of problems) failed.push({ alg, problem });
    for (const op of ['sign', 'verify']) {
      const fns = impls[op];
      const names = Object.keys(fns).filter((n) => !problems.some((x) => x.startsWith(`${n} ${op}:`)));
      const arg = op === 'sign' ? p : reference;
      // Calibrate: ops per batch so that the slowest implementation's batch is about batchMs.
      let n = 1;
      for (;;) {
        let slowest = 0;
        for (const name of names) {
          const f = fns[name];
          slowest = Math.max(
            slowest,
            await time(async () => {
              for (let i = 0; i < n; i++) await f(arg);
            }),
          );
        }
        if (slowest >= batchMs / 2 || n >= 1 << 16) {
          n = Math.max(1, Math.round((n * batchMs) / Math.max(slowest, 0.001)));
          break;
        }
        n *= 4;
      }
      const perSweep = Object.fromEntries(names.map((name) => [name, []]));
      for (let s = 0; s < sweeps; s++) {
        for (const name of shuffle(names)) {
          const f = fns[name];
          const ms = await time(async () => {
            for (let i = 0; i < n; i++) await f(arg);
          });
          perSweep[name].push(Math.max(ms, 1e-6) / n);
        }
      }
      const row = { alg, op, opsPerBatch: n, opsPerSec: {}, ratio: {} };
      for (const name of names) row.opsPerSec[name] = Math.round(1000 / median(perSweep[name]));
      // Ratios are medians of per-sweep ratios (tessera time / other time: > 1.00x = tessera slower).
      for (const other of ['jose', 'floor'])
        if (perSweep.tessera && perSweep[other])
          row.ratio[other] = median(perSweep.tessera.map((t, i) => t / perSweep[other][i]));
      rows.push(row);
    }
  }
  return { runtime, sweeps, batchMs, rows, unsupported, failed };
}
