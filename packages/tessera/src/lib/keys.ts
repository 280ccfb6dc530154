// Turning every accepted KeyInput into one internal shape, and deciding what a key may be used for.
// RFC 8725 §2.1/§3.1: the key, not the token, decides the algorithm family — an HMAC algorithm never
// accepts anything that looks like a public key (PEM, JWK, SSH line, certificate), which closes the
// classic RS256→HS256 confusion; ECDSA keys are bound to their curve; weak keys are refused.
import { Buffer } from 'node:buffer';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { nodeCrypto } from './node-crypto.js';
import { InvalidKeyError, JWKError } from '../errors.js';
import type { JWK, KeyInput } from '../types.js';
import type { AlgorithmInfo } from './algorithms.js';
import { isCanonicalBase64url } from './base64url.js';
import { DEFAULT_MAX_JSON_DEPTH, parseJSONText } from './json.js';
import { keyMemberLengthProblem } from './key-types.js';
import { hasROCAFingerprint } from './roca.js';
import { missingKeyType, missingKeyTypeInDER, optionalKeyTypeOfCurve, runtimeName } from './runtime-support.js';
import { SSH_KEY_ANYWHERE, SSH_LINE, sshPublicKeyToJWK } from './ssh.js';

export type KeyOrigin = 'secret' | 'pem' | 'certificate' | 'ssh' | 'jwk' | 'keyobject' | 'custom';

/** A key in the one shape the signing and verifying code understands. */
export interface PreparedKey {
  /** 'opaque': not a key Tessera can use itself (e.g. a KMS key reference), only for custom algorithms. */
  readonly kind: 'secret' | 'public' | 'private' | 'opaque';
  readonly origin: KeyOrigin;
  /** HMAC secret bytes (kind 'secret'). */
  readonly secret?: Buffer;
  /** The same secret as node:crypto takes it fastest: a KeyObject for reused keys, the bytes otherwise. */
  readonly secretKey?: KeyObject | Buffer;
  /** The node:crypto key (kind 'public' | 'private'). */
  readonly keyObject?: KeyObject;
  /** node's asymmetricKeyType: 'rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'x25519', 'x448'. */
  readonly asymmetricKeyType?: string;
  readonly namedCurve?: string;
  readonly modulusLength?: number;
  /** RSA-PSS keys restricted to one hash. */
  readonly pssHash?: string;
  /** An RSA modulus with the ROCA fingerprint (CVE-2017-15361): factorable, never usable. */
  readonly roca?: boolean;
  /** JWK metadata that limits the key's use. */
  readonly jwkAlg?: string;
  readonly jwkUse?: string;
  readonly jwkKeyOps?: readonly string[];
  /** The key's `kid` (JWK member or importKey option): signing puts it in the header unless told otherwise. */
  readonly jwkKid?: string;
  /** The key exactly as the caller gave it: what a custom algorithm receives. */
  readonly raw?: unknown;
}

export const CURVE_NAMES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp256k1: 'secp256k1',
};

function secretKey(bytes: Buffer, origin: KeyOrigin): PreparedKey {
  // HMAC through a KeyObject is measurably faster than through a Buffer; an empty secret cannot be one
  // (it is refused later with a clear message anyway).
  return {
    kind: 'secret',
    origin,
    secret: bytes,
    secretKey: bytes.length > 0 ? nodeCrypto().createSecretKey(bytes) : bytes,
  };
}

// One DER element: where its contents start and end.
function derElement(der: Buffer, at: number): { start: number; end: number } {
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[start++]!;
  }
  return { start, end: start + length };
}

export { derElement };

/** The modulus of an RSA or RSA-PSS key (node cannot export RSA-PSS keys as JWK). */
function rsaModulus(keyObject: KeyObject): Buffer {
  if (keyObject.asymmetricKeyType === 'rsa') return Buffer.from(keyObject.export({ format: 'jwk' }).n!, 'base64url');
  const publicKey = keyObject.type === 'private' ? nodeCrypto().createPublicKey(keyObject) : keyObject;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm SEQUENCE, subjectPublicKey BIT STRING (0x00 || RSAPublicKey) }
  // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
  const spki = derElement(der, 0);
  const algorithm = derElement(der, spki.start);
  const bits = derElement(der, algorithm.end);
  const rsaPublicKey = derElement(der, bits.start + 1);
  const modulus = derElement(der, rsaPublicKey.start);
  return der.subarray(modulus.start, modulus.end);
}

export function fromKeyObject(keyObject: KeyObject, origin: KeyOrigin, jwk?: JWK): PreparedKey {
  if (keyObject.type === 'secret') {
    return withJwk(secretKey(keyObject.export(), origin), jwk);
  }
  const details = keyObject.asymmetricKeyDetails ?? {};
  return withJwk(
    {
      kind: keyObject.type,
      origin,
      keyObject,
      asymmetricKeyType: keyObject.asymmetricKeyType,
      namedCurve: details.namedCurve,
      modulusLength: details.modulusLength,
      pssHash: details.hashAlgorithm,
      roca: details.modulusLength !== undefined && hasROCAFingerprint(rsaModulus(keyObject)),
    },
    jwk,
  );
}

function withJwk(key: PreparedKey, jwk: JWK | undefined): PreparedKey {
  if (!jwk) return key;
  return { ...key, jwkAlg: jwk.alg, jwkUse: jwk.use, jwkKeyOps: jwk.key_ops, jwkKid: jwk.kid };
}

// The first PEM block that holds a key or certificate (skipping e.g. `openssl ecparam -genkey`'s
// "EC PARAMETERS" block), with indentation and CR LF line ends removed.
function firstKeyBlock(text: string): { label: string | undefined; pem: string } {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  for (let i = 0; i < lines.length; i++) {
    const label = /^-----BEGIN ([A-Z0-9 ]+)-----$/.exec(lines[i]!)?.[1];
    if (!label || label === 'EC PARAMETERS') continue;
    const end = lines.indexOf(`-----END ${label}-----`, i + 1);
    if (end === -1) break;
    return { label, pem: `${lines.slice(i, end + 1).join('\n')}\n` };
  }
  return { label: undefined, pem: text };
}

function importPEM(text: string, passphrase?: string | Uint8Array): PreparedKey {
  const { label, pem } = firstKeyBlock(text);
  try {
    if (label === 'CERTIFICATE') return fromKeyObject(new (nodeCrypto().X509Certificate)(pem).publicKey, 'certificate');
    if (label === 'OPENSSH PRIVATE KEY') {
      throw new InvalidKeyError(
        'OpenSSH private key files are not supported; convert one with `ssh-keygen -p -m PKCS8 -f FILE`',
      );
    }
    if (label === 'ENCRYPTED PRIVATE KEY' && passphrase === undefined) {
      throw new InvalidKeyError('encrypted private key needs a passphrase: pass { key, passphrase }');
    }
    if (label?.endsWith('PRIVATE KEY')) {
      return fromKeyObject(
        nodeCrypto().createPrivateKey(
          passphrase === undefined ? pem : { key: pem, format: 'pem', passphrase: toBuffer(passphrase) },
        ),
        'pem',
      );
    }
    if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY')
      return fromKeyObject(nodeCrypto().createPublicKey(pem), 'pem');
  } catch (err) {
    if (err instanceof InvalidKeyError) throw err;
    const missing = missingKeyTypeInDER(Buffer.from(pem.replace(/-----[^-]*-----/g, ''), 'base64'));
    if (missing) throw missing;
    // node's message names the decoder step, never the key bytes; keep it as the cause only. Outside Node, a
    // compatibility layer may lack a PBES2 hash or cipher that OpenSSL has: say so, as it may be the reason.
    const runtime = runtimeName();
    const hint =
      label === 'ENCRYPTED PRIVATE KEY' && !runtime.startsWith('Node.js')
        ? `, or an encryption scheme ${runtime}'s node:crypto cannot read`
        : '';
    throw new InvalidKeyError(
      `could not import the ${label ?? 'PEM'} key (wrong passphrase, or corrupt or unsupported PEM${hint})`,
      { cause: err },
    );
  }
  throw new InvalidKeyError(`unsupported PEM type${label ? ` "${label}"` : ''}`);
}

function toBuffer(value: string | Uint8Array): Buffer {
  return typeof value === 'string'
    ? Buffer.from(value, 'utf8')
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** Imports a JWK object (RFC 7517). Malformed or dangerous keys are a JWKError. */
export function importJWK(jwk: JWK): PreparedKey {
  if (typeof jwk.kty !== 'string') throw new JWKError('JWK "kty" must be a string');
  for (const member of ['alg', 'use', 'kid'] as const) {
    if (jwk[member] !== undefined && typeof jwk[member] !== 'string')
      throw new JWKError(`JWK "${member}" must be a string`);
  }
  if (
    jwk.key_ops !== undefined &&
    (!Array.isArray(jwk.key_ops) || !jwk.key_ops.every((op) => typeof op === 'string'))
  ) {
    throw new JWKError('JWK "key_ops" must be an array of strings');
  }
  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string' || !isCanonicalBase64url(jwk.k)) throw new JWKError('JWK "k" must be base64url');
    return withJwk(secretKey(Buffer.from(jwk.k, 'base64url'), 'jwk'), jwk);
  }
  if (jwk.kty === 'RSA' && typeof jwk.e === 'string') {
    // A public exponent of 1 makes "encryption" the identity: every signature verifies (Wycheproof).
    const e = Buffer.from(jwk.e, 'base64url');
    const value = e.reduce((acc, b) => acc * 256 + b, 0);
    if (value < 3 || value % 2 === 0) throw new JWKError('RSA JWK has an unsafe public exponent');
  }
  for (const [name, value] of Object.entries(jwk)) {
    if (['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'x', 'y', 'k'].includes(name)) {
      if (typeof value !== 'string' || !isCanonicalBase64url(value))
        throw new JWKError(`JWK "${name}" must be base64url`);
    }
  }
  const lengthProblem = keyMemberLengthProblem(jwk);
  if (lengthProblem) throw new JWKError(lengthProblem);
  let keyObject: KeyObject;
  try {
    // Only the key members go to node, so unknown members (and "__proto__") never matter.
    const { kty, crv, x, y, d, n, e, p, q, dp, dq, qi } = jwk;
    const material = { kty, crv, x, y, d, n, e, p, q, dp, dq, qi };
    keyObject =
      jwk.d !== undefined
        ? nodeCrypto().createPrivateKey({ key: material as import('node:crypto').JsonWebKey, format: 'jwk' })
        : nodeCrypto().createPublicKey({ key: material as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch (err) {
    const optional = optionalKeyTypeOfCurve(jwk.crv);
    const missing = optional && missingKeyType(optional);
    if (missing) throw missing;
    throw new JWKError(`could not import the ${jwk.kty} JWK (unsupported curve or inconsistent members)`, {
      cause: err,
    });
  }
  if (keyObject.type === 'private') assertPublicMembersMatch(jwk, keyObject);
  return fromKeyObject(keyObject, 'jwk', jwk);
}

// node builds a private key from its private members and ignores public ones that disagree; such a
// JWK describes two keys at once (its thumbprint names a key it cannot sign for), so it is refused.
function assertPublicMembersMatch(jwk: JWK, keyObject: KeyObject): void {
  if (jwk.kty === 'RSA') {
    if (typeof jwk.p !== 'string' || typeof jwk.q !== 'string') return;
    const int = (v: string) => BigInt(`0x${Buffer.from(v, 'base64url').toString('hex') || '0'}`);
    if (int(jwk.n!) !== int(jwk.p) * int(jwk.q)) throw new JWKError('RSA JWK "n" is not the product of "p" and "q"');
    return;
  }
  const derived = nodeCrypto().createPublicKey(keyObject).export({ format: 'jwk' });
  if (derived.x !== jwk.x || (jwk.kty === 'EC' && derived.y !== jwk.y)) {
    throw new JWKError(`${jwk.kty} JWK public members do not belong to its private key "d"`);
  }
}

const PEM_BEGIN = '-----BEGIN ';

/** What JSON key text holds: one JWK, or several (a JWK Set `{ "keys": [...] }`, or an array of JWKs). */
type JSONKeyText = { kind: 'jwk'; jwk: JWK } | { kind: 'set' };

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Classifies text that may be JSON key material, or returns undefined for text that is not. Decided by
 * parsing, not by pattern: `{"\u006bty":…}`, a JWKS kept in an environment variable, or an array of
 * public JWKs are all key material, and key material must never become an HMAC secret (RFC 8725 §2.1).
 * Text that starts like JSON but does not parse stays a secret unless it names a `kty` or `keys`.
 */
function jsonKeyText(text: string): JSONKeyText | undefined {
  const t = text.trim();
  const first = t.charCodeAt(0);
  if (first !== 0x7b /* { */ && first !== 0x5b /* [ */) return undefined;
  const parsed = parseJSONText(t);
  if (typeof parsed === 'string') {
    if (/"(?:kty|keys)"\s*:/.test(t))
      throw new InvalidKeyError(`the key looks like a JWK but ${JSON_PROBLEMS[parsed]}`);
    return undefined;
  }
  const { value } = parsed;
  if (isObject(value)) {
    if (Object.hasOwn(value, 'kty')) return { kind: 'jwk', jwk: value as JWK };
    if (Object.hasOwn(value, 'keys')) return { kind: 'set' };
    return undefined;
  }
  if (
    Array.isArray(value) &&
    value.some((entry) => isObject(entry) && (Object.hasOwn(entry, 'kty') || Object.hasOwn(entry, 'keys')))
  )
    return { kind: 'set' };
  return undefined;
}

const JSON_PROBLEMS: Record<string, string> = {
  syntax: 'is not valid JSON',
  duplicate: 'has a duplicate member name',
  depth: `nests deeper than ${DEFAULT_MAX_JSON_DEPTH} levels`,
};

/**
 * True when a would-be HMAC secret may be key text: a PEM block anywhere (also after a BOM or an
 * `openssl x509 -text` preamble), an OpenSSH key anywhere in the text, or JSON (a JWK, a JWK Set, an
 * array of JWKs — importText decides). Such text is never used as a secret (RFC 8725 §2.1,
 * CVE-2015-9235, CVE-2022-29217).
 */
export function looksLikeKeyText(text: string): boolean {
  if (text.includes(PEM_BEGIN) || SSH_KEY_ANYWHERE.test(text)) return true;
  // Bytes arrive here as latin1, where a UTF-8 byte order mark is the three characters "ï»¿".
  const first = text.replace(/^(?:\s|\u00EF\u00BB\u00BF)+/, '').charCodeAt(0);
  return first === 0x7b /* { */ || first === 0x5b /* [ */;
}

function importSSH(type: string, blob: string): PreparedKey {
  if (!SSH_LINE.test(`${type} ${blob}`))
    throw new InvalidKeyError(`unsupported OpenSSH key type "${type.slice(0, 40)}"`);
  const jwk = sshPublicKeyToJWK(`${type} ${blob}`);
  try {
    return fromKeyObject(
      nodeCrypto().createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }),
      'ssh',
    );
  } catch (err) {
    // e.g. an ECDSA point that is not on its curve (invalid-curve attacks)
    throw new InvalidKeyError('could not import the OpenSSH public key (invalid key material)', { cause: err });
  }
}

// `bytes`: the secret as given when the text came from a byte key (its UTF-8 decoding may differ).
function importText(text: string, bytes?: Buffer): PreparedKey {
  const pemAt = text.indexOf(PEM_BEGIN);
  if (pemAt !== -1) return importPEM(text.slice(pemAt));
  const ssh = SSH_KEY_ANYWHERE.exec(text);
  if (ssh) return importSSH(ssh[1]!, ssh[2]!);
  const json = jsonKeyText(text);
  if (json?.kind === 'jwk') return importJWK(json.jwk);
  if (json?.kind === 'set') {
    // Several keys are not one key, and never a secret: refused like a public PEM given as a secret.
    throw new InvalidKeyError(
      'the key is JSON text holding several JWKs (a JWK Set or an array of JWKs), not one key or a shared secret; pass one JWK, or JWKSet.from(text) where a JWKSet is accepted (RFC 8725 §2.1)',
    );
  }
  const secret = bytes ?? Buffer.from(text, 'utf8');
  return { kind: 'secret', origin: 'secret', secret, secretKey: secret };
}

// Byte keys are secrets unless their text is key text (e.g. readFileSync('key.pem') without an encoding).
function importBytes(bytes: Uint8Array): PreparedKey {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Not cached (the caller may reuse the buffer), so no KeyObject: creating one costs more than it saves.
  if (looksLikeKeyText(buffer.toString('latin1'))) return importText(buffer.toString('utf8'), buffer);
  return { kind: 'secret', origin: 'secret', secret: buffer, secretKey: buffer };
}

/** A key that will be used many times (createSigner/createVerifier): secrets become KeyObjects, copied. */
export function prepareKeyForReuse(input: KeyInput): PreparedKey {
  const prepared = prepareKey(input);
  return prepared.kind === 'secret' && !(prepared.secretKey instanceof nodeCrypto().KeyObject)
    ? secretKey(Buffer.from(prepared.secret!), prepared.origin)
    : prepared;
}

const objectCache = new WeakMap<object, PreparedKey>();

/** Remembers the prepared form of an object (a `Key`), so every API taking a KeyInput accepts it. */
export function registerPreparedKey(owner: object, prepared: PreparedKey): void {
  objectCache.set(owner, prepared);
}
const textCache = new Map<string, PreparedKey>();
const TEXT_CACHE_MAX = 128;

/**
 * Normalizes any KeyInput. Imports of PEM/SSH/JWK text, JWK objects and KeyObjects are cached (PEM
 * parsing is far slower than a signature); secrets are cheap and never cached, so reusing a buffer is
 * safe and no secret is retained by the library.
 */
export function prepareKey(input: KeyInput): PreparedKey {
  if (typeof input === 'string') {
    let prepared = textCache.get(input);
    if (!prepared) {
      prepared = importText(input);
      // Only parsed keys are worth caching; plain secrets are not kept in a module-level map.
      if (prepared.origin === 'secret') return prepared;
      if (textCache.size >= TEXT_CACHE_MAX) textCache.delete(textCache.keys().next().value!);
      textCache.set(input, prepared);
    }
    return prepared;
  }
  if (input instanceof Uint8Array) return importBytes(input);
  if (input === null || typeof input !== 'object') {
    throw new TypeError('key must be a string, a Uint8Array, a KeyObject, a JWK object or { key, passphrase }');
  }
  let prepared = objectCache.get(input);
  if (prepared) return prepared;
  if (input instanceof nodeCrypto().KeyObject) {
    prepared = fromKeyObject(input, 'keyobject');
  } else if (typeof (input as JWK).kty === 'string') {
    prepared = importJWK(input as JWK);
  } else if ('key' in input && 'passphrase' in input) {
    const { key, passphrase } = input;
    if (typeof passphrase !== 'string' && !(passphrase instanceof Uint8Array))
      throw new TypeError('"passphrase" must be a string or a Uint8Array');
    if (typeof key === 'string')
      prepared = importPEM(key.includes(PEM_BEGIN) ? key.slice(key.indexOf(PEM_BEGIN)) : key, passphrase);
    else if (key instanceof Uint8Array) {
      const text = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
      if (text.includes(PEM_BEGIN)) prepared = importPEM(text.slice(text.indexOf(PEM_BEGIN)), passphrase);
      else {
        try {
          prepared = fromKeyObject(
            nodeCrypto().createPrivateKey({
              key: Buffer.from(key),
              format: 'der',
              type: 'pkcs8',
              passphrase: toBuffer(passphrase),
            }),
            'pem',
          );
        } catch (err) {
          throw new InvalidKeyError('could not import the encrypted DER key (wrong passphrase or corrupt key)', {
            cause: err,
          });
        }
      }
    } else throw new TypeError('"key" of { key, passphrase } must be a string or a Uint8Array');
  } else if (Object.getPrototypeOf(input) === Object.prototype || Object.getPrototypeOf(input) === null) {
    // A plain object is a JWK that arrived as data (an epk header, a JWKS entry) with "kty" missing.
    throw new JWKError('JWK "kty" must be a string (RFC 7517 §4.1)');
  } else {
    throw new TypeError('key must be a string, a Uint8Array, a KeyObject, a JWK object or { key, passphrase }');
  }
  objectCache.set(input, prepared);
  return prepared;
}

function describe(key: PreparedKey): string {
  const what =
    key.kind === 'secret'
      ? 'a secret'
      : `${key.kind === 'private' ? 'a private' : 'a public'} ${key.asymmetricKeyType ?? ''} key`;
  const from: Record<KeyOrigin, string> = {
    secret: '',
    pem: ' (PEM)',
    certificate: ' (X.509 certificate)',
    ssh: ' (OpenSSH public key)',
    jwk: ' (JWK)',
    keyobject: ' (KeyObject)',
    custom: '',
  };
  if (key.kind === 'opaque') return 'not a key Tessera can import (only a custom algorithm can use it)';
  return what.replace(/ +key/, ' key') + from[key.origin];
}

function curveName(curve: string | undefined): string {
  return (curve && CURVE_NAMES[curve]) ?? curve ?? 'unknown curve';
}

/**
 * Throws an InvalidKeyError (or JWKError for JWK use restrictions) when `key` may not be used with
 * `info` for `op`. Messages say what was expected and how to get a good key; they never quote the key.
 */
export function assertKeyFits(
  key: PreparedKey,
  info: AlgorithmInfo,
  op: 'sign' | 'verify',
  allowWeakKeys = false,
): void {
  const alg = info.name;
  if (key.jwkAlg !== undefined && key.jwkAlg !== alg) {
    throw new InvalidKeyError(`the JWK is for "${key.jwkAlg}" and may not be used with ${alg}`);
  }
  if (key.jwkUse !== undefined && key.jwkUse !== 'sig') {
    throw new JWKError(`the JWK's "use" is "${key.jwkUse}", not "sig"`);
  }
  if (key.jwkKeyOps !== undefined && !key.jwkKeyOps.includes(op)) {
    throw new JWKError(`the JWK's "key_ops" do not allow "${op}"`);
  }
  if (info.family === 'HS') {
    if (key.kind !== 'secret') {
      throw new InvalidKeyError(
        `${alg} needs a shared secret, but the key is ${describe(key)}; refusing it prevents algorithm confusion (RFC 8725 §2.1)`,
      );
    }
    const length = key.secret!.length;
    if (length === 0) throw new InvalidKeyError(`${alg} secret is empty`);
    if (length < info.minSecretBytes! && !allowWeakKeys) {
      throw new InvalidKeyError(
        `${alg} needs a secret of at least ${info.minSecretBytes} bytes (got ${length}); generate one with ` +
          `crypto.randomBytes(${info.minSecretBytes}) or \`openssl rand -base64 ${info.minSecretBytes}\`, or pass allowWeakKeys: true`,
      );
    }
    return;
  }
  if (key.kind === 'secret') {
    throw new InvalidKeyError(`${alg} needs an asymmetric key, but a shared secret was given`);
  }
  if (op === 'sign' && key.kind !== 'private') {
    throw new InvalidKeyError(`signing with ${alg} needs a private key, but the key is ${describe(key)}`);
  }
  const type = key.asymmetricKeyType;
  switch (info.family) {
    case 'RS':
    case 'PS': {
      const ok = type === 'rsa' || (info.family === 'PS' && type === 'rsa-pss');
      if (!ok) throw new InvalidKeyError(`${alg} needs an RSA key, but the key is ${describe(key)}`);
      if (key.pssHash !== undefined && key.pssHash !== info.hash) {
        throw new InvalidKeyError(`the RSA-PSS key is restricted to ${key.pssHash} and cannot be used with ${alg}`);
      }
      if (key.roca) {
        throw new InvalidKeyError(
          'the RSA key has the ROCA fingerprint (CVE-2017-15361) and can be factored; generate a new key pair',
        );
      }
      if ((key.modulusLength ?? 0) < 2048 && !allowWeakKeys) {
        throw new InvalidKeyError(
          `${alg} needs an RSA key of at least 2048 bits (got ${key.modulusLength}); generate one with ` +
            "generateKeyPairSync('rsa', { modulusLength: 2048 }) or `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`, or pass allowWeakKeys: true",
        );
      }
      return;
    }
    case 'ES':
      if (type !== 'ec' || key.namedCurve !== info.curve) {
        throw new InvalidKeyError(
          `${alg} needs an EC key on ${info.crv}, but the key is ${type === 'ec' ? `on ${curveName(key.namedCurve)}` : describe(key)}`,
        );
      }
      return;
    case 'EdDSA':
      if (!type || !info.okpTypes!.includes(type)) {
        throw new InvalidKeyError(
          `${alg} needs an ${info.okpTypes!.map((t) => (t === 'ed25519' ? 'Ed25519' : 'Ed448')).join(' or ')} key, but the key is ${describe(key)}`,
        );
      }
      return;
  }
}

/** The default algorithm for a key (SignOptions.algorithm absent). */
export function inferAlgorithm(key: PreparedKey): string {
  if (key.jwkAlg !== undefined) return key.jwkAlg;
  if (key.kind === 'secret') return 'HS256';
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return key.pssHash === 'sha384' ? 'PS384' : key.pssHash === 'sha512' ? 'PS512' : 'PS256';
    case 'ec':
      switch (key.namedCurve) {
        case 'prime256v1':
          return 'ES256';
        case 'secp384r1':
          return 'ES384';
        case 'secp521r1':
          return 'ES512';
        case 'secp256k1':
          return 'ES256K';
      }
      break;
    case 'ed25519':
    case 'ed448':
      return 'EdDSA';
  }
  throw new InvalidKeyError(`no JWS algorithm signs with ${describe(key)}`);
}
