// Interop for the keys API (importKey, Key.toJWK/toPEM/thumbprint, calculateJWKThumbprint(URI), generateKeyPair,
// generateSecret, JWKSet) against independent implementations (../shared/oracles/README.md):
//
//   a. thumbprints: for every key type (RSA 2048, RSA-PSS, EC P-256/P-384/P-521/secp256k1, Ed25519, Ed448, X25519,
//      X448, oct), Tessera's RFC 7638 thumbprints (SHA-256/384/512) equal jose's calculateJwkThumbprint and
//      jwcrypto's JWK.thumbprint(), and Tessera's RFC 9278 URIs equal jose's calculateJwkThumbprintUri. The JWKs the
//      oracles hash come from node:crypto's own JWK export, never from Tessera. Both libraries are driven in ONE
//      process each (callOracleLibrary: the oracle CLIs hash one key with SHA-256 only); a last check ties the
//      batch scripts to the oracle CLIs' own `thumbprint` op.
//   b. generated keys travel as JWKs: for each signing algorithm, generateKeyPair (generateSecret for HS256) keys
//      exported with toJWK() verify Tessera's tokens in jose, jwcrypto and PyJWT, and tokens those oracles sign
//      with the exported private JWK verify in Tessera with the Key imported from the public JWK (and through a
//      JWKSet). An RSA-PSS-restricted key (imported, not generated: JWK has no form for it) is exported as the
//      plain RSA JWK every library expects, and round-trips the same way.
//   c. PEM ⇄ JWK ⇄ KeyObject round trips against node:crypto (no oracle): importKey(pem).toJWK equals node's
//      KeyObject JWK export, importKey(jwk).toPEM() equals the PEM node wrote, for private and public keys.
//
// A missing oracle fails the suite under CI and is skipped loudly otherwise (as in interop.test.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  randomBytes,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import {
  calculateJWKThumbprint,
  calculateJWKThumbprintURI,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  generateSecret,
  importKey,
  InvalidKeyError,
  InvalidSignatureError,
  JWKSet,
  signJWT,
  verifyJWT,
} from 'tessera-jwt';
import type { JWK, Key } from 'tessera-jwt';
import {
  callOracle,
  callOracleLibrary,
  IN_CI,
  ORACLE_SPECS,
  probeOracle,
  type OracleName,
  type OracleResponse,
  type OracleStatus,
} from './helpers/oracles.js';

// ---------------------------------------------------------------------------------------------
// Oracle availability: probed once, before any test is declared

const USED: readonly OracleName[] = ['jose', 'jwcrypto', 'pyjwt'];
const STATUS = new Map<OracleName, OracleStatus>(
  await Promise.all(USED.map(async (n) => [n, await probeOracle(n)] as const)),
);
const MISSING = [...STATUS.values()].filter((s) => !s.available);
if (MISSING.length > 0) {
  const lines = MISSING.map((s) =>
    s.available ? '' : `  - ${ORACLE_SPECS[s.name].label}: ${s.reason}\n      install: ${s.install}`,
  );
  console.warn(
    `\n!!! interop-keys oracles unavailable — their tests are ${IN_CI ? 'FAILING (CI is set)' : 'SKIPPED'}:\n${lines.join('\n')}\n`,
  );
}

/** The `skip` option for a test that needs these oracles: false (run; under CI a missing oracle fails), or why not. */
function skipUnless(...oracles: OracleName[]): false | string {
  if (IN_CI) return false;
  for (const o of oracles) {
    const s = STATUS.get(o);
    if (s && !s.available) return `${ORACLE_SPECS[o].label} oracle unavailable (${s.reason}); install: ${s.install}`;
  }
  return false;
}

/** Under CI, a test whose oracle is missing fails with the reason (skipUnless let it run). */
function requireOracle(o: OracleName): void {
  const s = STATUS.get(o);
  if (s && !s.available)
    assert.fail(`${ORACLE_SPECS[o].label} oracle unavailable: ${s.reason}. Install with: ${s.install}`);
}

const label = (o: OracleName): string => ORACLE_SPECS[o].label;

function memo<T>(fn: () => T): () => T {
  let cached: { value: T } | undefined;
  return () => (cached ??= { value: fn() }).value;
}

function describeResponse(r: OracleResponse): string {
  return r.ok ? 'ok' : `${r.error.type} (${r.error.native ?? ''}: ${r.error.message ?? ''})`;
}

// ---------------------------------------------------------------------------------------------
// Key material from node:crypto

const nodeJwk = (key: KeyObject): JWK => key.export({ format: 'jwk' }) as JWK;
const pkcs8Of = (key: KeyObject): string => key.export({ format: 'pem', type: 'pkcs8' }).toString();
const spkiOf = (key: KeyObject): string => key.export({ format: 'pem', type: 'spki' }).toString();

// An RSASSA-PSS key (RFC 4055) restricted to SHA-256 / MGF1-SHA-256 / salt 32, built by wrapping the PKCS#1 key of a
// plain RSA pair in a PSS AlgorithmIdentifier. node:crypto cannot export an RSA-PSS key as a JWK, so the plain pair
// is the independent source of the JWK Tessera must export for it.
function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const content = Buffer.concat(parts);
  const n = content.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const hex = (value: string): Buffer => Buffer.from(value, 'hex');
const SHA256_ALG_ID = tlv(0x30, tlv(0x06, hex('608648016503040201')), tlv(0x05));
const PSS_ALG_ID = tlv(
  0x30,
  tlv(0x06, hex('2a864886f70d01010a')), // id-RSASSA-PSS
  tlv(
    0x30,
    tlv(0xa0, SHA256_ALG_ID),
    tlv(0xa1, tlv(0x30, tlv(0x06, hex('2a864886f70d010108')), SHA256_ALG_ID)), // MGF1 with SHA-256
    tlv(0xa2, tlv(0x02, Buffer.from([32]))),
  ),
);

function rsaPssFrom(rsa: { privateKey: KeyObject; publicKey: KeyObject }): {
  privateKey: KeyObject;
  publicKey: KeyObject;
} {
  const pkcs1Private = rsa.privateKey.export({ format: 'der', type: 'pkcs1' });
  const pkcs1Public = rsa.publicKey.export({ format: 'der', type: 'pkcs1' });
  const pkcs8 = tlv(0x30, tlv(0x02, Buffer.from([0])), PSS_ALG_ID, tlv(0x04, pkcs1Private));
  const spki = tlv(0x30, PSS_ALG_ID, tlv(0x03, Buffer.from([0]), pkcs1Public));
  return {
    privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }),
  };
}

interface KeyType {
  name: string;
  /** Private (or secret) KeyObject. */
  privateKey: KeyObject;
  /** Public KeyObject (undefined for oct). */
  publicKey?: KeyObject;
  /** What the JWKs must be, from node:crypto (for RSA-PSS: from the plain RSA pair it wraps). */
  privateJwk: JWK;
  publicJwk: JWK;
  /** The PEMs a JWK of this key comes back as (for RSA-PSS: the plain RSA ones — a JWK cannot say "PSS only"). */
  pemFromJwk?: { pkcs8: string; spki: string };
}

function pairType(name: string, pair: { privateKey: KeyObject; publicKey: KeyObject }): KeyType {
  return {
    name,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    privateJwk: nodeJwk(pair.privateKey),
    publicJwk: nodeJwk(pair.publicKey),
    pemFromJwk: { pkcs8: pkcs8Of(pair.privateKey), spki: spkiOf(pair.publicKey) },
  };
}

const rsaUnderPss = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pss = rsaPssFrom(rsaUnderPss);
const secret = createSecretKey(randomBytes(32));

const KEY_TYPES: KeyType[] = [
  pairType('RSA 2048', generateKeyPairSync('rsa', { modulusLength: 2048 })),
  {
    name: 'RSA-PSS (SHA-256)',
    privateKey: pss.privateKey,
    publicKey: pss.publicKey,
    privateJwk: nodeJwk(rsaUnderPss.privateKey),
    publicJwk: nodeJwk(rsaUnderPss.publicKey),
    pemFromJwk: { pkcs8: pkcs8Of(rsaUnderPss.privateKey), spki: spkiOf(rsaUnderPss.publicKey) },
  },
  pairType('EC P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' })),
  pairType('EC P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' })),
  pairType('EC P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' })),
  pairType('EC secp256k1', generateKeyPairSync('ec', { namedCurve: 'secp256k1' })),
  pairType('Ed25519', generateKeyPairSync('ed25519')),
  pairType('Ed448', generateKeyPairSync('ed448')),
  pairType('X25519', generateKeyPairSync('x25519')),
  pairType('X448', generateKeyPairSync('x448')),
  { name: 'oct (32 bytes)', privateKey: secret, privateJwk: nodeJwk(secret), publicJwk: nodeJwk(secret) },
];

// ---------------------------------------------------------------------------------------------
// a. Thumbprints

const DIGESTS = ['sha256', 'sha384', 'sha512'] as const;
type Digest = (typeof DIGESTS)[number];
type Thumbprints = Record<Digest, string>;

const JOSE_THUMBPRINTS = `
import * as jose from 'jose';
let text = '';
for await (const chunk of process.stdin) text += chunk;
try {
  const { keys, digests } = JSON.parse(text);
  const results = [];
  for (const key of keys) {
    const r = { thumbprint: {}, uri: {} };
    for (const d of digests) {
      r.thumbprint[d] = await jose.calculateJwkThumbprint(key, d);
      r.uri[d] = await jose.calculateJwkThumbprintUri(key, d);
    }
    results.push(r);
  }
  console.log(JSON.stringify({ ok: true, results }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: { type: 'other', native: e?.code ?? e?.name, message: String(e?.message ?? e) } }));
}
`;

const JWCRYPTO_THUMBPRINTS = `
import json, sys
from cryptography.hazmat.primitives import hashes
from jwcrypto import jwk
HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
try:
    req = json.load(sys.stdin)
    results = [{d: jwk.JWK(**k).thumbprint(HASHES[d]()) for d in req["digests"]} for k in req["keys"]]
    print(json.dumps({"ok": True, "results": results}))
except Exception as e:
    print(json.dumps({"ok": False, "error": {"type": "other", "native": type(e).__name__, "message": str(e)}}))
`;

/** Generated keys whose default kid (their thumbprint) jose also hashes. */
const GENERATED_FOR_KID: Array<[string, Key]> = [
  ['ES256', generateKeyPair('ES256').publicKey],
  ['EdDSA', generateKeyPair('EdDSA').publicKey],
];

const joseThumbprints = memo(async () => {
  const keys = [...KEY_TYPES.map((k) => k.publicJwk), ...GENERATED_FOR_KID.map(([, key]) => key.toJWK())];
  const r = await callOracleLibrary('jose', JOSE_THUMBPRINTS, { keys, digests: DIGESTS });
  assert.ok(r.ok, `jose thumbprint script failed: ${describeResponse(r)}`);
  return r.results as Array<{ thumbprint: Thumbprints; uri: Thumbprints }>;
});
const jwcryptoThumbprints = memo(async () => {
  const r = await callOracleLibrary('jwcrypto', JWCRYPTO_THUMBPRINTS, {
    keys: KEY_TYPES.map((k) => k.publicJwk),
    digests: DIGESTS,
  });
  assert.ok(r.ok, `jwcrypto thumbprint script failed: ${describeResponse(r)}`);
  return r.results as Thumbprints[];
});

/** Every thumbprint Tessera gives for the key type: the Key (public and private) and calculateJWKThumbprint of the JWK. */
function tesseraThumbprints(k: KeyType, digest: Digest): string[] {
  const fromKeys = [importKey(k.privateKey).thumbprint(digest)];
  if (k.publicKey) fromKeys.push(importKey(k.publicKey).thumbprint(digest));
  return [...fromKeys, calculateJWKThumbprint(k.publicJwk, digest), calculateJWKThumbprint(k.privateJwk, digest)];
}

describe('a. JWK thumbprints agree with jose and jwcrypto', { concurrency: true }, () => {
  KEY_TYPES.forEach((k, i) => {
    for (const digest of DIGESTS) {
      test(`${k.name}: Tessera's ${digest} thumbprints (Key, private Key, calculateJWKThumbprint) equal jose's calculateJwkThumbprint`, {
        skip: skipUnless('jose'),
      }, async () => {
        requireOracle('jose');
        const expected = (await joseThumbprints())[i]!.thumbprint[digest];
        assert.deepEqual(
          tesseraThumbprints(k, digest),
          tesseraThumbprints(k, digest).map(() => expected),
        );
      });
      test(`${k.name}: Tessera's ${digest} thumbprints equal jwcrypto's JWK.thumbprint(${digest.toUpperCase()})`, {
        skip: skipUnless('jwcrypto'),
      }, async () => {
        requireOracle('jwcrypto');
        const expected = (await jwcryptoThumbprints())[i]![digest];
        assert.deepEqual(
          tesseraThumbprints(k, digest),
          tesseraThumbprints(k, digest).map(() => expected),
        );
      });
      test(`${k.name}: calculateJWKThumbprintURI (${digest}) equals jose's calculateJwkThumbprintUri`, {
        skip: skipUnless('jose'),
      }, async () => {
        requireOracle('jose');
        assert.equal(calculateJWKThumbprintURI(k.publicJwk, digest), (await joseThumbprints())[i]!.uri[digest]);
      });
    }
  });

  GENERATED_FOR_KID.forEach(([alg, key], j) => {
    test(`generateKeyPair('${alg}')'s default kid is jose's SHA-256 thumbprint of its exported public JWK`, {
      skip: skipUnless('jose'),
    }, async () => {
      requireOracle('jose');
      assert.equal(key.kid, (await joseThumbprints())[KEY_TYPES.length + j]!.thumbprint.sha256);
    });
  });

  // The batch scripts above call the libraries directly; the oracle CLIs' own `thumbprint` op must agree with them.
  const rsa = KEY_TYPES[0]!;
  test(`the jose oracle's thumbprint op agrees with the jose batch script (${rsa.name}, SHA-256)`, {
    skip: skipUnless('jose'),
  }, async () => {
    requireOracle('jose');
    const r = await callOracle('jose', { op: 'thumbprint', key: rsa.publicJwk });
    assert.ok(r.ok, describeResponse(r));
    assert.equal(r.thumbprint, (await joseThumbprints())[0]!.thumbprint.sha256);
  });
  test(`the jwcrypto oracle's thumbprint op agrees with the jwcrypto batch script (${rsa.name}, SHA-256)`, {
    skip: skipUnless('jwcrypto'),
  }, async () => {
    requireOracle('jwcrypto');
    const r = await callOracle('jwcrypto', { op: 'thumbprint', key: rsa.publicJwk });
    assert.ok(r.ok, describeResponse(r));
    assert.equal(r.thumbprint, (await jwcryptoThumbprints())[0]!.sha256);
  });
});

// ---------------------------------------------------------------------------------------------
// b. Generated keys, exported as JWKs, in both directions

interface SigningCase {
  id: string;
  alg: string;
  /** The signing Key (private or secret). */
  signing: Key;
  /** The JWK an oracle verifies with. */
  verifyJwk: JWK;
  /** The JWK an oracle signs with. */
  signJwk: JWK;
  /** The key Tessera verifies an oracle's token with, imported from what was exported. */
  tesseraVerifyKey: () => Key;
  /** Another key of the same kind, which must not verify. */
  otherVerifyKey: () => Key;
  oracles: readonly OracleName[];
}

function generatedCase(
  id: string,
  alg: string,
  options: { crv?: string } = {},
  oracles: readonly OracleName[] = USED,
): SigningCase {
  const pair = generateKeyPair(alg, options);
  const publicJwk = pair.publicKey.toJWK();
  return {
    id,
    alg,
    signing: pair.privateKey,
    verifyJwk: publicJwk,
    signJwk: pair.privateKey.toJWK({ private: true }),
    tesseraVerifyKey: () => importKey(publicJwk),
    otherVerifyKey: memo(() => importKey(generateKeyPair(alg, options).publicKey.toJWK())),
    oracles,
  };
}

const hsSecret = generateSecret('HS256', { kid: 'hs256-generated' });
const pssKey = importKey(pss.privateKey, { alg: 'PS256', kid: 'pss-restricted' });
const ALL_BUT_JOSE: readonly OracleName[] = ['jwcrypto', 'pyjwt']; // jose 6 has neither ES256K nor Ed448

const SIGNING: SigningCase[] = [
  generatedCase('RS256', 'RS256'),
  generatedCase('PS256', 'PS256'),
  {
    id: 'PS256 (RSA-PSS-restricted key)',
    alg: 'PS256',
    signing: pssKey,
    verifyJwk: pssKey.publicKey().toJWK(),
    signJwk: pssKey.toJWK({ private: true }),
    tesseraVerifyKey: () => importKey(spkiOf(pss.publicKey), { alg: 'PS256' }),
    otherVerifyKey: memo(() =>
      importKey(rsaPssFrom(generateKeyPairSync('rsa', { modulusLength: 2048 })).publicKey, { alg: 'PS256' }),
    ),
    oracles: USED,
  },
  generatedCase('ES256', 'ES256'),
  generatedCase('ES384', 'ES384'),
  generatedCase('ES512', 'ES512'),
  generatedCase('ES256K', 'ES256K', {}, ALL_BUT_JOSE),
  generatedCase('EdDSA (Ed25519)', 'EdDSA'),
  generatedCase('EdDSA (Ed448)', 'EdDSA', { crv: 'Ed448' }, ALL_BUT_JOSE),
  {
    id: 'HS256 (generateSecret)',
    alg: 'HS256',
    signing: hsSecret,
    verifyJwk: hsSecret.toJWK({ private: true }),
    signJwk: hsSecret.toJWK({ private: true }),
    tesseraVerifyKey: () => importKey(hsSecret.toJWK({ private: true })),
    otherVerifyKey: memo(() => importKey(generateSecret('HS256').toJWK({ private: true }))),
    oracles: USED,
  },
];

/** The cases whose published JWK Set jose checks: one per key family. */
const JWKS_CASES = ['RS256', 'ES256', 'EdDSA (Ed25519)'];

const NOW = Math.floor(Date.now() / 1000);
const CLAIMS = { sub: 'tessera-keys-interop', iss: 'https://issuer.example', iat: NOW, exp: NOW + 3600 };

describe('b. generated keys exported as JWKs work in jose, jwcrypto and PyJWT, both ways', {
  concurrency: true,
}, () => {
  for (const c of SIGNING) {
    const ourToken = memo(() =>
      signJWT({ sub: CLAIMS.sub, iss: CLAIMS.iss }, c.signing, {
        algorithm: c.alg,
        expiresIn: '1h',
        currentDate: new Date(NOW * 1000),
      }),
    );
    const theirToken = new Map<OracleName, () => Promise<string>>(
      c.oracles.map((o) => [
        o,
        memo(async () => {
          const r = await callOracle(o, {
            op: 'sign',
            alg: c.alg,
            key: c.signJwk,
            payload: CLAIMS,
            header: { kid: c.signing.kid },
          });
          assert.ok(r.ok, `${label(o)} could not sign with the exported JWK: ${describeResponse(r)}`);
          return r.token as string;
        }),
      ]),
    );

    test(`${c.id}: the exported JWKs carry the key's kid, alg and use, and the private JWK's public half is the public JWK`, () => {
      assert.equal(c.verifyJwk.kid, c.signing.kid);
      assert.equal(c.verifyJwk.alg, c.alg);
      assert.equal(c.signJwk.alg, c.alg);
      if (c.signing.type === 'private') {
        assert.equal(c.verifyJwk.d, undefined);
        assert.deepEqual(c.signing.toJWK({ private: false }), c.verifyJwk);
      }
    });

    for (const o of c.oracles) {
      test(`${c.id}: a token Tessera signs with the Key verifies in ${label(o)} with the exported ${c.signing.type === 'secret' ? 'secret' : 'public'} JWK`, {
        skip: skipUnless(o),
      }, async () => {
        requireOracle(o);
        const r = await callOracle(o, { op: 'verify', token: ourToken(), key: c.verifyJwk, algorithms: [c.alg] });
        assert.ok(r.ok, `${label(o)} rejected it: ${describeResponse(r)}`);
        assert.deepEqual(r.payload, CLAIMS);
        assert.equal(r.header?.kid, c.signing.kid);
      });

      test(`${c.id}: a token ${label(o)} signs with the exported private JWK verifies in Tessera with the Key imported from the exported public JWK`, {
        skip: skipUnless(o),
      }, async () => {
        requireOracle(o);
        const token = await theirToken.get(o)!();
        assert.equal(decodeProtectedHeader(token).alg, c.alg);
        assert.deepEqual(verifyJWT(token, c.tesseraVerifyKey(), { algorithms: [c.alg] }), CLAIMS);
      });
    }

    const ref = c.oracles[0]!;
    test(`${c.id}: Tessera refuses the ${label(ref)} token with another key of the same kind (InvalidSignatureError)`, {
      skip: skipUnless(ref),
    }, async () => {
      requireOracle(ref);
      const token = await theirToken.get(ref)!();
      assert.throws(() => verifyJWT(token, c.otherVerifyKey(), { algorithms: [c.alg] }), InvalidSignatureError);
    });

    test(`${c.id}: Tessera verifies the ${label(ref)} token through JWKSet.from({ keys: [another key, the exported key] }), picked by kid`, {
      skip: skipUnless(ref),
    }, async () => {
      requireOracle(ref);
      const token = await theirToken.get(ref)!();
      const other = { ...c.otherVerifyKey().toJWK({ private: c.signing.type === 'secret' }), kid: 'another-key' };
      const set = JWKSet.from({ keys: [other, c.verifyJwk] });
      assert.deepEqual(verifyJWT(token, set, { algorithms: [c.alg] }), CLAIMS);
    });

    // What a jwks_uri serves: one case per key family, verified by jose's own createLocalJWKSet (asymmetric only).
    if (JWKS_CASES.includes(c.id)) {
      test(`${c.id}: jose verifies a Tessera token against the JWK Set that JWKSet.toJSON() publishes (private keys in, public JWKs out)`, {
        skip: skipUnless('jose'),
      }, async () => {
        requireOracle('jose');
        const other = { ...c.otherVerifyKey().toJWK(), kid: 'another-key' };
        const published = JWKSet.from({ keys: [other, c.signJwk] }).toJSON();
        assert.deepEqual(
          published.keys.map((k) => k.d),
          [undefined, undefined],
        );
        const r = await callOracle('jose', { op: 'verify', token: ourToken(), key: published, algorithms: [c.alg] });
        assert.ok(r.ok, `jose rejected it: ${describeResponse(r)}`);
        assert.deepEqual(r.payload, CLAIMS);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// c. PEM ⇄ JWK ⇄ KeyObject, against node:crypto

describe('c. PEM ⇄ JWK ⇄ KeyObject round trips agree with node:crypto', { concurrency: true }, () => {
  for (const k of KEY_TYPES) {
    const publicKey = k.publicKey;
    if (!publicKey) {
      test(`${k.name}: importKey(KeyObject).toJWK({ private: true }) equals node's JWK export of the secret`, () => {
        assert.deepEqual(importKey(k.privateKey).toJWK({ private: true }), k.privateJwk);
      });
      test(`${k.name}: importKey(JWK).keyObject equals the original secret KeyObject`, () => {
        assert.ok(importKey(k.privateJwk).keyObject.equals(k.privateKey));
      });
      test(`${k.name}: a secret has no PEM form (toPEM throws InvalidKeyError)`, () => {
        assert.throws(() => importKey(k.privateJwk).toPEM({ private: true }), InvalidKeyError);
      });
      continue;
    }
    const pkcs8 = pkcs8Of(k.privateKey);
    const spki = spkiOf(publicKey);
    const isPss = k.privateKey.asymmetricKeyType === 'rsa-pss';

    test(`${k.name}: importKey(PKCS#8 PEM).toJWK({ private: true }) equals ${isPss ? 'the JWK node exports for the RSA key inside' : "node's KeyObject JWK export"}`, () => {
      assert.deepEqual(importKey(pkcs8).toJWK({ private: true }), k.privateJwk);
    });
    test(`${k.name}: importKey(SPKI PEM).toJWK() equals ${isPss ? 'the JWK node exports for the RSA key inside' : "node's KeyObject JWK export"}`, () => {
      assert.deepEqual(importKey(spki).toJWK(), k.publicJwk);
    });
    test(`${k.name}: importKey(PKCS#8 PEM).toJWK({ private: false }) is the public JWK`, () => {
      assert.deepEqual(importKey(pkcs8).toJWK({ private: false }), k.publicJwk);
    });
    test(`${k.name}: exportJWK of the KeyObjects equals the expected JWKs (private with { private: true })`, () => {
      assert.deepEqual(exportJWK(k.privateKey, { private: true }), k.privateJwk);
      assert.deepEqual(exportJWK(publicKey), k.publicJwk);
    });
    test(`${k.name}: importKey(private JWK).toPEM({ private: true }) equals the PKCS#8 PEM ${isPss ? 'of the plain RSA key (a JWK cannot carry the PSS restriction)' : 'node wrote'}`, () => {
      assert.equal(importKey(k.privateJwk).toPEM({ private: true }), k.pemFromJwk!.pkcs8);
    });
    test(`${k.name}: importKey(public JWK).toPEM() equals the SPKI PEM ${isPss ? 'of the plain RSA key' : 'node wrote'}`, () => {
      assert.equal(importKey(k.publicJwk).toPEM(), k.pemFromJwk!.spki);
    });
    test(`${k.name}: importKey(private JWK).toPEM({ private: false }) equals the public key's SPKI PEM`, () => {
      assert.equal(importKey(k.privateJwk).toPEM({ private: false }), k.pemFromJwk!.spki);
    });
    test(`${k.name}: importKey(PEM).toPEM() gives back the same PEMs (private and public)`, () => {
      assert.equal(importKey(pkcs8).toPEM({ private: true }), pkcs8);
      assert.equal(importKey(spki).toPEM(), spki);
    });
    test(`${k.name}: importKey(KeyObject).keyObject is that KeyObject, and importKey(JWK).keyObject equals ${isPss ? 'the plain RSA KeyObject' : 'it'}`, () => {
      assert.ok(importKey(k.privateKey).keyObject.equals(k.privateKey));
      assert.ok(importKey(publicKey).keyObject.equals(publicKey));
      const fromJwk = isPss ? rsaUnderPss : { privateKey: k.privateKey, publicKey };
      assert.ok(importKey(k.privateJwk).keyObject.equals(fromJwk.privateKey));
      assert.ok(importKey(k.publicJwk).keyObject.equals(fromJwk.publicKey));
    });
    test(`${k.name}: a private PEM without { private } is refused by toPEM and toJWK (InvalidKeyError), never leaked`, () => {
      const key = importKey(pkcs8);
      assert.throws(() => key.toPEM(), InvalidKeyError);
      assert.throws(() => key.toJWK(), InvalidKeyError);
    });
    test(`${k.name}: the JWK node exports, re-imported by node from Tessera's toJWK, is the same key`, () => {
      const again = createPrivateKey({ key: importKey(pkcs8).toJWK({ private: true }) as JsonWebKey, format: 'jwk' });
      assert.ok(again.equals(isPss ? rsaUnderPss.privateKey : k.privateKey));
    });
  }

  // Other PEM encodings come out as PKCS#8 / SPKI.
  const rsa = KEY_TYPES[0]!;
  const p256 = KEY_TYPES[2]!;
  test("RSA 2048: importKey(PKCS#1 PEM) exports node's JWK and the PKCS#8 / SPKI PEMs", () => {
    const key = importKey(rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString());
    assert.deepEqual(key.toJWK({ private: true }), rsa.privateJwk);
    assert.equal(key.toPEM({ private: true }), pkcs8Of(rsa.privateKey));
    const pub = importKey(rsa.publicKey!.export({ format: 'pem', type: 'pkcs1' }).toString());
    assert.equal(pub.toPEM(), spkiOf(rsa.publicKey!));
  });
  test("EC P-256: importKey(SEC1 PEM) exports node's JWK and the PKCS#8 PEM", () => {
    const key = importKey(p256.privateKey.export({ format: 'pem', type: 'sec1' }).toString());
    assert.deepEqual(key.toJWK({ private: true }), p256.privateJwk);
    assert.equal(key.toPEM({ private: true }), pkcs8Of(p256.privateKey));
  });
  test('RSA-PSS: the PEM and KeyObject imports keep the PSS restriction (toPEM gives back the RSASSA-PSS PKCS#8)', () => {
    const key = importKey(pss.privateKey);
    assert.equal(key.keyObject.asymmetricKeyType, 'rsa-pss');
    assert.equal(key.keyObject.asymmetricKeyDetails?.hashAlgorithm, 'sha256');
    assert.equal(key.toPEM({ private: true }), pkcs8Of(pss.privateKey));
    assert.notEqual(pkcs8Of(pss.privateKey), pkcs8Of(rsaUnderPss.privateKey));
  });
});
