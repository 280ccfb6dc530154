// JWE encrypt/decrypt: tessera vs jose and a raw node:crypto floor, interleaved in one process.
// Run by bench.mjs (ops "jwe", on by default) or alone: node --expose-gc jwe.mjs [--quick] [--json FILE].
//
// Combinations (compact serialization, a 300-byte claims set): dir+A256GCM, A256KW+A256GCM,
// RSA-OAEP-256+A256GCM, ECDH-ES+A256KW+A256GCM. The floor is the same work written out by hand with
// node:crypto: a cached protected header, a fresh IV (and CEK) per message, AES-GCM, the key
// management step, base64url; decryption parses the five segments, checks that they are base64url
// and that the header is a JSON object, applies the alg/enc allowlists and the exact IV and tag
// lengths (what the JWE issue requires of any implementation), then decrypts. A correctness gate runs first: every decryptor must open
// every encryptor's output and refuse a tampered one.
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { median, quantile, sampleInterleaved, loadMeter } from './lib/sampler.mjs';

const COMBOS = [
  { alg: 'dir', enc: 'A256GCM' },
  { alg: 'A256KW', enc: 'A256GCM' },
  { alg: 'RSA-OAEP-256', enc: 'A256GCM' },
  { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
];
const SYMMETRIC = new Set(['dir', 'A256KW']);
const b64u = (b) => Buffer.from(b).toString('base64url');
const fromB64u = (s) => Buffer.from(s, 'base64url');
const fmtOps = (x) => Math.round(x).toLocaleString('en-US');
const fmtX = (x) => `${x.toFixed(2)}x`;

function makeKeys() {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { dir: crypto.randomBytes(32), A256KW: crypto.randomBytes(32), 'RSA-OAEP-256': rsa, 'ECDH-ES+A256KW': ec };
}

// ---------------------------------------------------------------- the node:crypto floor
const B64U = /^[A-Za-z0-9_-]*$/;
const KW_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const kw = (kek, cek) => {
  const c = crypto.createCipheriv('id-aes256-wrap', kek, KW_IV);
  return Buffer.concat([c.update(cek), c.final()]);
};
const unkw = (kek, data) => {
  const d = crypto.createDecipheriv('id-aes256-wrap', kek, KW_IV);
  return Buffer.concat([d.update(data), d.final()]);
};
function concatKDF(z, bits, algId) {
  const u32 = (n) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const id = Buffer.from(algId);
  return crypto
    .createHash('sha256')
    .update(u32(1))
    .update(z)
    .update(Buffer.concat([u32(id.length), id, u32(0), u32(0), u32(bits)]))
    .digest()
    .subarray(0, bits / 8);
}
function floorFor({ alg, enc }, key) {
  const fixedHeader = b64u(JSON.stringify({ alg, enc }));
  const gcm = (cek, aad, plaintext) => {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', cek, iv);
    c.setAAD(aad);
    const ct = Buffer.concat([c.update(plaintext), c.final()]);
    return [b64u(iv), b64u(ct), b64u(c.getAuthTag())];
  };
  const encrypt = (plaintext) => {
    let header = fixedHeader,
      cek,
      ek = '';
    if (alg === 'dir') cek = key;
    else if (alg === 'A256KW') {
      cek = crypto.randomBytes(32);
      ek = b64u(kw(key, cek));
    } else if (alg === 'RSA-OAEP-256') {
      cek = crypto.randomBytes(32);
      ek = b64u(
        crypto.publicEncrypt(
          { key: key.publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
          cek,
        ),
      );
    } else {
      const eph = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const { kty, crv, x, y } = eph.publicKey.export({ format: 'jwk' });
      header = b64u(JSON.stringify({ alg, enc, epk: { kty, crv, x, y } }));
      const kek = concatKDF(crypto.diffieHellman({ privateKey: eph.privateKey, publicKey: key.publicKey }), 256, alg);
      cek = crypto.randomBytes(32);
      ek = b64u(kw(kek, cek));
    }
    return [header, ek, ...gcm(cek, Buffer.from(header), Buffer.from(plaintext))].join('.');
  };
  const decrypt = (jwe) => {
    const [h, ek, iv, ct, tag, extra] = jwe.split('.');
    if (extra !== undefined || tag === undefined) throw new Error('five segments');
    // the checks the JWE issue requires of any implementation: base64url only, a JSON object header,
    // the allowlists, exact IV and tag lengths
    if (!B64U.test(h) || !B64U.test(ek) || !B64U.test(iv) || !B64U.test(ct) || !B64U.test(tag))
      throw new Error('not base64url');
    const header = JSON.parse(fromB64u(h).toString());
    if (header === null || typeof header !== 'object' || Array.isArray(header))
      throw new Error('header is not an object');
    if (header.alg !== alg || header.enc !== enc) throw new Error('alg/enc not allowed');
    const ivBytes = fromB64u(iv);
    if (ivBytes.length !== 12) throw new Error('iv length');
    let cek;
    if (alg === 'dir') cek = key;
    else if (alg === 'A256KW') cek = unkw(key, fromB64u(ek));
    else if (alg === 'RSA-OAEP-256')
      cek = crypto.privateDecrypt(
        { key: key.privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        fromB64u(ek),
      );
    else {
      const epk = crypto.createPublicKey({ key: header.epk, format: 'jwk' });
      cek = unkw(
        concatKDF(crypto.diffieHellman({ privateKey: key.privateKey, publicKey: epk }), 256, alg),
        fromB64u(ek),
      );
    }
    const tagBytes = fromB64u(tag);
    if (tagBytes.length !== 16) throw new Error('tag length');
    const d = crypto.createDecipheriv('aes-256-gcm', cek, ivBytes);
    d.setAAD(Buffer.from(h));
    d.setAuthTag(tagBytes);
    return Buffer.concat([d.update(fromB64u(ct)), d.final()]);
  };
  return { encrypt, decrypt };
}

async function implementations(keys) {
  const t = await import('tessera-jwt');
  const jose = await import('jose');
  const out = { floor: {}, tessera: {}, jose: {} };
  for (const combo of COMBOS) {
    const { alg, enc } = combo;
    const key = keys[alg];
    out.floor[alg] = floorFor(combo, key);
    const tEnc = typeof key.publicKey === 'object' ? key.publicKey : key;
    const tDec = typeof key.privateKey === 'object' ? key.privateKey : key;
    const dopts = { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [enc] };
    out.tessera[alg] = {
      encrypt: (p) => t.encryptJWE(p, tEnc, { alg, enc }),
      decrypt: (jwe) => t.decryptJWE(jwe, tDec, dopts).plaintext,
    };
    // jose: WebCrypto-backed and asynchronous; keys imported once, outside the timed loop.
    const jEnc = Buffer.isBuffer(key)
      ? new Uint8Array(key)
      : await jose.importSPKI(key.publicKey.export({ type: 'spki', format: 'pem' }), alg);
    const jDec = Buffer.isBuffer(key)
      ? new Uint8Array(key)
      : await jose.importPKCS8(key.privateKey.export({ type: 'pkcs8', format: 'pem' }), alg);
    out.jose[alg] = {
      encrypt: (p) => new jose.CompactEncrypt(p).setProtectedHeader({ alg, enc }).encrypt(jEnc),
      decrypt: async (jwe) => (await jose.compactDecrypt(jwe, jDec, dopts)).plaintext,
    };
  }
  return out;
}

const TARGETS = [
  ...['dir', 'A256KW'].flatMap((alg) =>
    ['encrypt', 'decrypt'].flatMap((op) => [
      { op, alg, vs: 'jose', speedup: 2 },
      { op, alg, vs: 'floor', max: 1.1 },
    ]),
  ),
  ...['RSA-OAEP-256', 'ECDH-ES+A256KW'].flatMap((alg) =>
    ['encrypt', 'decrypt'].map((op) => ({ op, alg, vs: 'floor', max: 1.1 })),
  ),
];

/** Runs the JWE cells; `cfg` as bench.mjs builds it (timeMs, warmupMs, batchMs, minSweeps). */
export async function runJWEBench(cfg, log = console.log) {
  const keys = makeKeys();
  const impls = await implementations(keys);
  const plaintext = new TextEncoder().encode(
    JSON.stringify({
      iss: 'https://auth.example.com',
      aud: 'https://api.example.com',
      sub: 'user_4f3c2a1b9e8d7c6b',
      iat: 1_800_000_000,
      exp: 1_800_003_600,
      jti: '6f1c2e9a-4b7d-4c2e-9f3a-1d2b3c4d5e6f',
      scope: 'openid profile email read:orders write:orders',
      roles: ['admin', 'editor', 'viewer'],
      name: 'Jane Q. Example',
    }),
  );
  const names = Object.keys(impls);

  // correctness gate: every decryptor opens every encryptor's JWE and refuses a tampered one
  const failures = [];
  for (const { alg } of COMBOS) {
    for (const producer of names) {
      const jwe = await impls[producer][alg].encrypt(plaintext);
      for (const consumer of names) {
        try {
          const out = await impls[consumer][alg].decrypt(jwe);
          if (Buffer.compare(Buffer.from(out), Buffer.from(plaintext)) !== 0)
            failures.push(`${consumer} decrypts ${producer}'s ${alg} JWE to other bytes`);
        } catch (e) {
          failures.push(`${consumer} cannot decrypt ${producer}'s ${alg} JWE (${e.message})`);
        }
        const parts = jwe.split('.');
        const tag = fromB64u(parts[4]);
        tag[0] ^= 1;
        parts[4] = b64u(tag);
        try {
          await impls[consumer][alg].decrypt(parts.join('.'));
          failures.push(`${consumer} accepts a tampered ${alg} JWE`);
        } catch {
          /* refused */
        }
      }
    }
  }
  log(`\n# JWE encrypt/decrypt (compact, ${plaintext.length}-byte claims set)`);
  log(
    failures.length
      ? `correctness gate FAILURES:\n  ${failures.join('\n  ')}`
      : "correctness gate: every implementation decrypts every other one's output and refuses tampered tags",
  );
  if (failures.length) process.exitCode = 1;

  const cells = [];
  for (const op of ['encrypt', 'decrypt']) {
    for (const { alg, enc } of COMBOS) {
      const reference = await impls.tessera[alg].encrypt(plaintext);
      const entries = names.map((name) => ({
        name,
        fn: op === 'encrypt' ? () => impls[name][alg].encrypt(plaintext) : () => impls[name][alg].decrypt(reference),
      }));
      const meter = loadMeter();
      const { wall } = await sampleInterleaved(entries, cfg);
      const load = meter();
      const rows = entries.map((e, i) => {
        const ratioTo = {};
        entries.forEach((o, j) => {
          if (i === j) return;
          const r = wall[i].map((x, s) => x / wall[j][s]);
          ratioTo[o.name] = { median: median(r), p10: quantile(r, 0.1), p90: quantile(r, 0.9) };
        });
        return { name: e.name, opsPerSec: median(wall[i].map((x) => 1e9 / x)), ratioTo };
      });
      cells.push({ op, alg, enc, rows, otherCores: load?.otherCores });
      log(
        `${op} ${alg}+${enc}`.padEnd(30) +
          rows
            .map(
              (r) =>
                `${r.name} ${fmtOps(r.opsPerSec)}${r.name === 'floor' ? '' : ` (${fmtX(r.ratioTo.floor.median)})`}`,
            )
            .join(' | '),
      );
      globalThis.gc?.();
    }
  }

  const results = TARGETS.map((t) => {
    const r = cells.find((c) => c.op === t.op && c.alg === t.alg)?.rows.find((x) => x.name === 'tessera')?.ratioTo[
      t.vs
    ];
    const label = t.max
      ? `${t.alg} ${t.op}: tessera within ${t.max.toFixed(2)}x of ${t.vs}`
      : `${t.alg} ${t.op}: tessera >= ${t.speedup.toFixed(2)}x ${t.vs} throughput`;
    if (!r) return { ...t, label, result: 'n/a' };
    const value = t.max ? r.median : 1 / r.median;
    const pass = t.max ? value <= t.max : value >= t.speedup;
    return {
      ...t,
      label,
      value,
      pass,
      result: pass ? 'PASS' : 'MISS',
      measured: t.max
        ? `${fmtX(value)} (p10-p90 ${r.p10.toFixed(2)}-${r.p90.toFixed(2)})`
        : `${value.toFixed(2)}x as fast`,
    };
  });
  log('\n| op | alg + enc | floor | tessera | jose |');
  log('|---|---|---:|---:|---:|');
  for (const c of cells) {
    const col = (name) => {
      const r = c.rows.find((x) => x.name === name);
      return name === 'floor'
        ? `**${fmtOps(r.opsPerSec)}**`
        : `${fmtOps(r.opsPerSec)} (${fmtX(r.ratioTo.floor.median)})`;
    };
    log(`| ${c.op} | ${c.alg} + ${c.enc} | ${col('floor')} | ${col('tessera')} | ${col('jose')} |`);
  }
  log('\n| JWE target | measured | result |');
  log('|---|---|---|');
  for (const r of results) log(`| ${r.label} | ${r.measured ?? 'not measured'} | ${r.result} |`);
  const verdict = results.filter((r) => r.result !== 'n/a');
  log(
    `\n${verdict.filter((r) => r.pass).length}/${verdict.length} JWE targets met${
      verdict.some((r) => !r.pass)
        ? `; missed: ${verdict
            .filter((r) => !r.pass)
            .map((r) => r.label)
            .join('; ')}`
        : ''
    }.`,
  );
  return { cells, targets: results };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  await runJWEBench({
    timeMs: quick ? 400 : 2500,
    warmupMs: quick ? 70 : 300,
    batchMs: quick ? 3 : 5,
    minSweeps: quick ? 5 : 10,
  });
}
