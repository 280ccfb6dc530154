// Key text on the web entry (loaded on demand by key-secret.ts): a PEM block, an OpenSSH public key or a JWK
// as JSON is parsed (pem.ts, ssh.ts) and its facts checked against the algorithm with Node's messages. JSON
// that names no `kty` or `keys` is a secret after all, as on Node.
import { InvalidKeyError } from '../errors.js';
import type { AlgorithmInfo } from '../lib/algorithms.js';
import { DEFAULT_MAX_JSON_DEPTH, parseJSONText } from '../lib/json.js';
import { hasROCAFingerprint } from '../lib/roca.js';
import { SSH_KEY_ANYWHERE } from '../lib/ssh-patterns.js';
import type { JWK } from '../types.js';
import { type KeyText, PEM_BEGIN, type PassphraseKeyInput, latin1, looksLikeKeyText } from './key-classify.js';
import { decryptPKCS8 } from './encrypted-pkcs8.js';
import { MAX_PBKDF2_ITERATIONS, type ParsedKey, parsePEM, pkcs8Key } from './pem.js';
import { sshKeyToJWK } from './ssh.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const JSON_PROBLEMS: Record<string, string> = {
  syntax: 'is not valid JSON',
  duplicate: 'has a duplicate member name',
  depth: `nests deeper than ${DEFAULT_MAX_JSON_DEPTH} levels`,
};

function jsonKey(text: string): KeyText | undefined {
  const t = text.trim();
  const parsed = parseJSONText(t);
  if (typeof parsed === 'string') {
    if (/"(?:kty|keys)"\s*:/.test(t))
      throw new InvalidKeyError(`the key looks like a JWK but ${JSON_PROBLEMS[parsed]}`);
    return undefined;
  }
  const { value } = parsed;
  if (isObject(value) && Object.hasOwn(value, 'kty')) return { kind: 'jwk', jwk: value as JWK };
  const several =
    (isObject(value) && Object.hasOwn(value, 'keys')) ||
    (Array.isArray(value) && value.some((e) => isObject(e) && (Object.hasOwn(e, 'kty') || Object.hasOwn(e, 'keys'))));
  if (several)
    throw new InvalidKeyError(
      'the key is JSON text holding several JWKs (a JWK Set or an array of JWKs), not one key or a shared secret; pass one JWK, or a JWK Set where one is accepted (RFC 8725 §2.1)',
    );
  return undefined;
}

/** Internal: classifies and parses a string, byte or `{ key, passphrase }` key. */
export async function parseKeyText(input: string | Uint8Array | PassphraseKeyInput): Promise<KeyText> {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : latin1(input);
    const secret = (): KeyText => ({
      kind: 'secret',
      bytes: typeof input === 'string' ? new TextEncoder().encode(input) : input,
    });
    if (!looksLikeKeyText(text)) return secret();
    const full = typeof input === 'string' ? input : new TextDecoder().decode(input);
    const pemAt = full.indexOf(PEM_BEGIN);
    if (pemAt !== -1) return { kind: 'key', key: await parsePEM(full.slice(pemAt)) };
    const ssh = SSH_KEY_ANYWHERE.exec(full);
    if (ssh) return { kind: 'key', key: { kind: 'public', origin: 'ssh', ...sshFacts(sshKeyToJWK(ssh[1]!, ssh[2]!)) } };
    return jsonKey(full) ?? secret();
  }
  const { key, passphrase } = input;
  if (typeof passphrase !== 'string' && !(passphrase instanceof Uint8Array))
    throw new TypeError('"passphrase" must be a string or a Uint8Array');
  if (typeof key === 'string') return { kind: 'key', key: await parsePEM(key, passphrase) };
  if (!(key instanceof Uint8Array))
    throw new TypeError('"key" of { key, passphrase } must be a string or a Uint8Array');
  const text = latin1(key);
  if (text.includes(PEM_BEGIN)) return { kind: 'key', key: await parsePEM(text, passphrase) };
  try {
    return { kind: 'key', key: pkcs8Key(await decryptPKCS8(key, passphrase, MAX_PBKDF2_ITERATIONS)) };
  } catch (err) {
    if (err instanceof InvalidKeyError && !/^could not/.test(err.message)) throw err;
    throw new InvalidKeyError('could not import the encrypted DER key (wrong passphrase or corrupt key)', {
      cause: err,
    });
  }
}

function sshFacts(jwk: JWK): Pick<ParsedKey, 'type' | 'curve' | 'modulus' | 'format' | 'jwk'> {
  if (jwk.kty === 'RSA') {
    const n = atob(jwk.n!.replaceAll('-', '+').replaceAll('_', '/'));
    const modulus = new Uint8Array(n.length);
    for (let i = 0; i < n.length; i++) modulus[i] = n.charCodeAt(i);
    return { type: 'rsa', modulus, format: 'jwk', jwk };
  }
  if (jwk.kty === 'EC') return { type: 'ec', curve: jwk.crv!, format: 'jwk', jwk };
  return { type: jwk.crv === 'Ed448' ? 'ed448' : 'ed25519', format: 'jwk', jwk };
}

const ORIGINS: Record<ParsedKey['origin'], string> = {
  pem: ' (PEM)',
  certificate: ' (X.509 certificate)',
  ssh: ' (OpenSSH public key)',
  jwk: ' (JWK)',
};

/** Internal: "a public rsa key (PEM)", as the Node entry describes a key. */
export function describeKey(key: ParsedKey): string {
  return `a ${key.kind} ${key.type} key${ORIGINS[key.origin]}`;
}

function bitLength(n: Uint8Array): number {
  let i = 0;
  while (i < n.length - 1 && n[i] === 0) i++;
  return n[i] === undefined || n[i] === 0 ? 0 : (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

/**
 * Internal: the Node entry's assertKeyFits for a parsed asymmetric key: never an HMAC key (algorithm
 * confusion), a private key to sign, the right type and curve, no ROCA modulus, RSA at least 2048 bits.
 */
export function assertParsedFits(
  key: ParsedKey,
  info: AlgorithmInfo,
  op: 'sign' | 'verify',
  allowWeakKeys: boolean,
): void {
  const alg = info.name;
  if (info.family === 'HS')
    throw new InvalidKeyError(
      `${alg} needs a shared secret, but the key is ${describeKey(key)}; refusing it prevents algorithm confusion (RFC 8725 §2.1)`,
    );
  if (op === 'sign' && key.kind !== 'private')
    throw new InvalidKeyError(`signing with ${alg} needs a private key, but the key is ${describeKey(key)}`);
  switch (info.family) {
    case 'RS':
    case 'PS': {
      if (key.type !== 'rsa' && !(info.family === 'PS' && key.type === 'rsa-pss'))
        throw new InvalidKeyError(`${alg} needs an RSA key, but the key is ${describeKey(key)}`);
      if (key.type === 'rsa-pss')
        throw new InvalidKeyError(
          `the RSA-PSS (id-RSASSA-PSS) key cannot be imported by crypto.subtle; export it as an rsaEncryption SPKI / PKCS#8 or as a JWK to use it with ${alg}`,
        );
      if (hasROCAFingerprint(key.modulus!))
        throw new InvalidKeyError(
          'the RSA key has the ROCA fingerprint (CVE-2017-15361) and can be factored; generate a new key pair',
        );
      const bits = bitLength(key.modulus!);
      if (bits < 2048 && !allowWeakKeys)
        throw new InvalidKeyError(
          `${alg} needs an RSA key of at least 2048 bits (got ${bits}); generate one with ` +
            "generateKeyPair('RS256') or `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`, or pass allowWeakKeys: true",
        );
      return;
    }
    case 'ES':
      if (key.type !== 'ec' || key.curve !== info.crv)
        throw new InvalidKeyError(
          `${alg} needs an EC key on ${info.crv}, but the key is ${key.type === 'ec' ? `on ${key.curve}` : describeKey(key)}`,
        );
      return;
    case 'EdDSA':
      if (!info.okpTypes!.includes(key.type))
        throw new InvalidKeyError(
          `${alg} needs an ${info.okpTypes!.map((t) => (t === 'ed25519' ? 'Ed25519' : 'Ed448')).join(' or ')} key, but the key is ${describeKey(key)}`,
        );
      return;
  }
}
