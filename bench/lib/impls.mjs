// The implementations under comparison, each built once with pre-imported keys:
//   { name, pkg, note, sign?: {alg: fn}, verify?: {alg: fn}, cached?: {alg: fn}, decode?: fn,
//     verifyPayload?: (result) => payload, notChecked?: [bad-token kinds the gate lets through] }
// Decoders all return { header, payload, … } (a complete decode, like tessera's decodeJWT).
// Every verifier checks the same claims: signature, alg allowlist, exp/nbf, aud and iss.
import { ALGS, AUDIENCE, ISSUER } from './fixtures.mjs';

export async function loadImplementations(fx) {
  const out = [];
  const add = async (name, build) => {
    try {
      out.push({ name, ...(await build()) });
    } catch (e) {
      out.push({ name, error: `${e.code ? e.code + ': ' : ''}${e.message}` });
    }
  };
  const each = (f) => Object.fromEntries(ALGS.map((alg) => [alg, f(alg)]).filter(([, v]) => v));

  await add('floor', () => ({
    note: 'raw node:crypto: sign = cached header + b64url(JSON) + sig; verify = split, sig, payload parse, exp',
    sign: each((alg) => fx.floors[alg].sign),
    verify: each((alg) => fx.floors[alg].verify),
    decode: fx.floors.HS256.decode,
    notChecked: ['wrong aud', 'wrong iss'], // the bare minimum: a lower bound, not a fair peer
  }));
  await add('floor-full', () => ({
    note: 'raw node:crypto verifier with every check a library makes (b64url alphabet, header, alg, crit, exp/nbf/iat, aud, iss)',
    verify: each((alg) => fx.floors[alg].verifyFull),
  }));

  await add('tessera', async () => {
    const t = await import('tessera-jwt');
    const key = (alg, side) =>
      alg === 'HS256' ? fx.keys.HS256.secret : fx.keys[alg][side === 'sign' ? 'privateKey' : 'publicKey'];
    const vopts = (alg, cache) => ({
      key: key(alg, 'verify'),
      algorithms: [alg],
      audience: AUDIENCE,
      issuer: ISSUER,
      ...(cache ? { cache: true } : {}),
    });
    return {
      pkg: 'tessera',
      note: 'createSigner({ key, algorithm }) / createVerifier({ key, algorithms, audience, issuer[, cache: true] }); KeyObject keys, Uint8Array secret',
      sign: each((alg) => t.createSigner({ key: key(alg, 'sign'), algorithm: alg })),
      verify: each((alg) => t.createVerifier(vopts(alg, false))),
      cached: each((alg) => t.createVerifier(vopts(alg, true))),
      decode: (token) => t.decodeJWT(token),
    };
  });

  await add('jose', async () => {
    const jose = await import('jose');
    const keys = {};
    for (const alg of ALGS) {
      if (alg === 'HS256') {
        const k = await globalThis.crypto.subtle.importKey(
          'raw',
          fx.keys.HS256.secret,
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['sign', 'verify'],
        );
        keys[alg] = { priv: k, pub: k };
      } else {
        keys[alg] = {
          priv: await jose.importPKCS8(fx.keys[alg].privatePem, alg),
          pub: await jose.importSPKI(fx.keys[alg].publicPem, alg),
        };
      }
    }
    return {
      pkg: 'jose',
      note: 'async (WebCrypto): new SignJWT(p).setProtectedHeader().sign(k) / jwtVerify(t, k, { algorithms, audience, issuer }); pre-imported CryptoKeys',
      sign: each((alg) => {
        const hdr = { alg, typ: 'JWT' };
        return (p) => new jose.SignJWT(p).setProtectedHeader(hdr).sign(keys[alg].priv);
      }),
      verify: each((alg) => {
        const o = { algorithms: [alg], audience: AUDIENCE, issuer: ISSUER };
        return (token) => jose.jwtVerify(token, keys[alg].pub, o);
      }),
      verifyPayload: (r) => r.payload,
      decode: (token) => ({ header: jose.decodeProtectedHeader(token), payload: jose.decodeJwt(token) }),
    };
  });

  await add('jsonwebtoken', async () => {
    const { default: jwt } = await import('jsonwebtoken');
    const COMPLETE = { complete: true };
    const key = (alg, side) =>
      alg === 'HS256' ? fx.keys.HS256.secretKey : fx.keys[alg][side === 'sign' ? 'privateKey' : 'publicKey'];
    return {
      pkg: 'jsonwebtoken',
      note: 'jwt.sign / jwt.verify(t, k, { algorithms, audience, issuer }) with KeyObjects; decode({ complete: true })',
      // jsonwebtoken 9 has no EdDSA (its jwa dependency lacks it): those cells are n/a
      sign: each((alg) => {
        if (alg === 'EdDSA') return null;
        const o = { algorithm: alg };
        return (p) => jwt.sign(p, key(alg, 'sign'), o);
      }),
      verify: each((alg) => {
        if (alg === 'EdDSA') return null;
        const o = { algorithms: [alg], audience: AUDIENCE, issuer: ISSUER };
        return (token) => jwt.verify(token, key(alg, 'verify'), o);
      }),
      decode: (token) => jwt.decode(token, COMPLETE),
    };
  });

  await add('fast-jwt', async () => {
    const { createSigner, createVerifier, createDecoder } = await import('fast-jwt');
    const key = (alg, side) =>
      alg === 'HS256' ? Buffer.from(fx.keys.HS256.secret) : fx.keys[alg][side === 'sign' ? 'privatePem' : 'publicPem'];
    const vopts = (alg, cache) => ({
      key: key(alg, 'verify'),
      algorithms: [alg],
      allowedAud: AUDIENCE,
      allowedIss: ISSUER,
      ...(cache ? { cache: true } : {}),
    });
    return {
      pkg: 'fast-jwt',
      note: 'createSigner / createVerifier({ algorithms, allowedAud, allowedIss[, cache: true] }) (PEM / Buffer keys, imported once); createDecoder({ complete: true })',
      sign: each((alg) => createSigner({ key: key(alg, 'sign'), algorithm: alg })),
      verify: each((alg) => createVerifier(vopts(alg, false))),
      cached: each((alg) => createVerifier(vopts(alg, true))),
      decode: createDecoder({ complete: true }),
    };
  });
  return out;
}
