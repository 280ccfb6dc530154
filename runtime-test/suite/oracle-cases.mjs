// Tokens signed by the interop oracles (PyJWT, jwcrypto, Authlib, jose, jsonwebtoken: ../shared/oracles), for
// the web entry to verify on every runtime: each oracle signs a claims set with a key made here by node:crypto,
// and the case expects exactly those claims back; a copy with its signature altered must be refused. A missing
// oracle is a loud skip locally and a failure under CI=true.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ORACLES } from './shared.mjs';

const PYTHON = '/usr/bin/python3';
const SPECS = [
  { name: 'PyJWT', command: PYTHON, script: 'pyjwt.py' },
  { name: 'jwcrypto', command: PYTHON, script: 'jwcrypto_oracle.py' },
  { name: 'Authlib', command: PYTHON, script: 'authlib_oracle.py' },
  { name: 'jose', command: process.execPath, script: 'jose.mjs' },
  { name: 'jsonwebtoken', command: process.execPath, script: 'jsonwebtoken.mjs', noEdDSA: true },
];

function call(spec, request) {
  const out = execFileSync(spec.command, [join(ORACLES, spec.script)], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

const availability = new Map();
function available(spec) {
  if (!availability.has(spec.name)) availability.set(spec.name, probe(spec));
  return availability.get(spec.name);
}

function probe(spec) {
  if (!existsSync(join(ORACLES, spec.script))) return `${join(ORACLES, spec.script)} is missing`;
  try {
    const info = call(spec, { op: 'info' });
    return info.ok === false ? `info failed: ${info.error?.message ?? 'unknown'}` : undefined;
  } catch (err) {
    return `it does not run (${String(err.message).split('\n')[0]}): install it as ../shared/oracles/README.md says`;
  }
}

const jwk = (key) => key.export({ format: 'jwk' });
function keys() {
  const pair = (type, options) => {
    const { privateKey, publicKey } = generateKeyPairSync(type, options);
    return { privateJWK: jwk(privateKey), publicJWK: jwk(publicKey) };
  };
  const secret = { kty: 'oct', k: randomBytes(32).toString('base64url') };
  return {
    HS256: { privateJWK: secret, publicJWK: secret },
    RS256: pair('rsa', { modulusLength: 2048 }),
    PS256: pair('rsa', { modulusLength: 2048 }),
    ES256: pair('ec', { namedCurve: 'P-256' }),
    ES384: pair('ec', { namedCurve: 'P-384' }),
    ES512: pair('ec', { namedCurve: 'P-521' }),
    EdDSA: pair('ed25519'),
  };
}

// The signature's first character changed: all six of its bits are signature bits, so the copy stays canonical
// base64url and only the signature check can refuse it.
function altered(token) {
  const at = token.lastIndexOf('.') + 1;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}

// ~70 oracle processes take ~15 s: the test files of one `node --test` run (one parent process) share them.
const CACHE = join(import.meta.dirname, '..', 'build', `oracle-cases-${process.ppid}.json`);

/** Verify cases for tokens each available oracle signed (shared by the test files of one run). */
export function buildOracleCases() {
  if (existsSync(CACHE)) return JSON.parse(readFileSync(CACHE, 'utf8'));
  const cases = signedByOracles();
  const dir = join(CACHE, '..');
  mkdirSync(dir, { recursive: true });
  // Earlier runs' files go (another run's file is only read by that run's own test files).
  for (const name of readdirSync(dir))
    if (/^oracle-cases-\d+\.json$/.test(name) && join(dir, name) !== CACHE) rmSync(join(dir, name), { force: true });
  writeFileSync(`${CACHE}.${process.pid}`, JSON.stringify(cases));
  renameSync(`${CACHE}.${process.pid}`, CACHE);
  return cases;
}

function signedByOracles() {
  const cases = [];
  const byAlg = keys();
  const now = Math.floor(Date.now() / 1000);
  for (const spec of SPECS) {
    const missing = available(spec);
    if (missing !== undefined) {
      const reason = `the ${spec.name} oracle: ${missing}`;
      if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
      console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING oracle-signed cases: ${reason}\n${'!'.repeat(100)}\n`);
      continue;
    }
    for (const [alg, { privateJWK, publicJWK }] of Object.entries(byAlg)) {
      if (alg === 'EdDSA' && spec.noEdDSA) continue;
      const claims = { sub: `user-of-${spec.name}`, iss: 'https://oracle.example', iat: now, exp: now + 3600 };
      const signed = call(spec, { op: 'sign', alg, key: privateJWK, payload: claims, header: { kid: 'oracle-key' } });
      if (!signed.ok) throw new Error(`${spec.name} could not sign ${alg}: ${signed.error?.message}`);
      // The claims as the oracle wrote them (its member order), checked here to be the ones it was given.
      const carried = JSON.parse(Buffer.from(signed.token.split('.')[1], 'base64url').toString('utf8'));
      assert.deepEqual(carried, claims, `${spec.name} signed other claims than it was given`);
      const key = alg === 'HS256' ? privateJWK : publicJWK;
      const id = `${spec.name}-signed ${alg}`;
      cases.push({
        id,
        op: 'verify-jwt',
        token: signed.token,
        key,
        algorithms: [alg],
        issuer: claims.iss,
        claims: carried,
      });
      cases.push({
        id: `${id} (signature altered)`,
        op: 'verify-jwt',
        token: altered(signed.token),
        key,
        algorithms: [alg],
        error: 'ERR_JWS_SIGNATURE_INVALID',
      });
    }
  }
  return cases;
}

const VERIFIERS = SPECS.filter((spec) => spec.name === 'PyJWT' || spec.name === 'jose');

/**
 * The other direction: PyJWT and jose verify a token the web entry signed on some runtime and read `claims`
 * from it. Throws with the oracle's own error when one refuses it; a missing oracle fails under CI=true.
 */
export function checkWithOracles(token, alg, key, claims) {
  const jwk = typeof key === 'string' ? { kty: 'oct', k: Buffer.from(key, 'utf8').toString('base64url') } : key;
  for (const spec of VERIFIERS) {
    // jose dropped secp256k1 in v5; PyJWT still verifies ES256K (what only the Node build signs, on Deno).
    if (alg === 'ES256K' && spec.name === 'jose') continue;
    const missing = available(spec);
    if (missing !== undefined) {
      if (process.env.CI === 'true') throw new Error(`CI: the ${spec.name} oracle: ${missing}`);
      continue; // buildOracleCases already said so loudly
    }
    const verified = call(spec, { op: 'verify', token, key: jwk, algorithms: [alg], options: {} });
    if (!verified.ok) throw new Error(`${spec.name} refuses a web-signed ${alg} token: ${verified.error?.message}`);
    assert.deepEqual(verified.payload, claims, `${spec.name} reads other claims from a web-signed ${alg} token`);
  }
}
