// The Node entry's key API on the web entry: importKey / Key, exportJWK, generateKeyPair, generateSecret.
// A web Key holds its key as a JWK (validated through crypto.subtle once, at import), so what is
// synchronous on Node stays synchronous where it needs no crypto (toJWK, publicKey, toJSON, the
// properties, generateSecret); what needs crypto.subtle (importKey, generateKeyPair, exportJWK,
// thumbprint, toPEM) returns a Promise. Every API that takes a key takes a Key (keys.ts registerKey).
import { InvalidAlgorithmError, InvalidKeyError, JWKError } from '../errors.js';
import { type KeyKind, keyTypeMismatch, keyTypeRule } from '../lib/key-types.js';
import {
  checkExportOptions,
  checkGenerateKeyPairOptions,
  checkGenerateSecretOptions,
  checkImportKeyOptions,
} from '../lib/option-names.js';
import type { JWK } from '../types.js';
import { readKeyText } from './key-secret.js';
import {
  type CryptoKeyLike,
  decodeB64u,
  encodeB64u,
  jwkOnCurve,
  registerKey,
  runtimeName,
  subtle,
  type WebKeyInput,
} from './keys.js';
import type { ParsedKey } from './pem.js';
import { calculateJWKThumbprint, type ThumbprintDigest } from './thumbprint.js';

/** Options of the web {@link importKey}: as on Node. */
export interface ImportKeyOptions {
  /** Bind the key to one algorithm (it is then refused for any other). Must agree with a JWK's own `alg`. */
  alg?: string;
  /** `'sig'` or `'enc'`. Must agree with a JWK's own `use`. */
  use?: 'sig' | 'enc';
  /** The key ID; a JWK's own `kid` must agree. */
  kid?: string;
}

/** Options of {@link Key.toJWK}, {@link Key.toPEM} and the web `exportJWK`: as on Node. */
export interface ExportJWKOptions {
  /** Include private members (`d`, `p`, … or a secret's `k`). Required for secrets and private keys. */
  private?: boolean;
}

/** Options of the web {@link generateKeyPair}: as on Node. */
export interface GenerateKeyPairOptions {
  /** The key ID of both halves (default: the RFC 7638 thumbprint of the public key). */
  kid?: string;
  /** RSA modulus length in bits (default 2048; at least 2048). */
  modulusLength?: number;
  /** The curve where the algorithm allows several: EdDSA (`Ed25519` default, `Ed448`), ECDH-ES (`P-256` default, `P-384`, `P-521`, `X25519`, `X448`). */
  crv?: string;
}

type Meta = { alg?: string; use?: 'sig' | 'enc'; kid?: string; keyOps?: readonly string[] };

const KEY_MEMBERS = ['kty', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;
const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];
const KEY_OPS = new Set(['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'deriveKey', 'deriveBits']);
const OPS_FOR_USE: Record<'sig' | 'enc', ReadonlySet<string>> = {
  sig: new Set(['sign', 'verify']),
  enc: new Set(['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'deriveKey', 'deriveBits']),
};

const material = new WeakMap<Key, JWK>();
let constructing = false;

function keyMembers(jwk: Record<string, unknown>): JWK {
  const out: Record<string, unknown> = {};
  for (const name of KEY_MEMBERS) if (jwk[name] !== undefined) out[name] = jwk[name];
  return out as JWK;
}

/**
 * A key on the web entry, as the Node entry's `Key`: immutable, knows what it is (type, kty, crv) and
 * what it is for (alg, use, key_ops), and never hands out private material unless asked with
 * `{ private: true }`. No `keyObject` (there is no node:crypto here); `thumbprint()` and `toPEM()` are async.
 * @example
 * ```ts
 * import { importKey, signJWT } from 'tessera-jwt/web';
 * const key = await importKey(pem, { alg: 'ES256', kid: '2026-12' });
 * const token = await signJWT({ sub: 'user-42' }, key, { algorithm: 'ES256' });
 * ```
 */
export class Key {
  /** `'public'`, `'private'` or `'secret'`. */
  readonly type: 'public' | 'private' | 'secret';
  /** The JWK key type: `'RSA'`, `'EC'`, `'OKP'` or `'oct'`. */
  readonly kty: KeyKind;
  /** The curve of EC and OKP keys. */
  readonly crv: string | undefined;
  /** The one algorithm this key may be used with, when bound. */
  readonly alg: string | undefined;
  /** The key ID. */
  readonly kid: string | undefined;
  /** `'sig'` or `'enc'`, when restricted. */
  readonly use: 'sig' | 'enc' | undefined;
  /** The operations this key may perform (JWK `key_ops`), when restricted. */
  readonly keyOps: readonly string[] | undefined;

  /** Keys come from importKey, generateKeyPair, generateSecret; the constructor is internal. */
  constructor(jwk: JWK, meta: Meta) {
    if (!constructing) throw new TypeError('use importKey(), generateKeyPair() or generateSecret() to create a Key');
    constructing = false;
    const members = keyMembers(jwk as Record<string, unknown>);
    this.kty = members.kty as KeyKind;
    this.type = this.kty === 'oct' ? 'secret' : members.d !== undefined ? 'private' : 'public';
    this.crv = typeof members.crv === 'string' ? members.crv : undefined;
    this.alg = meta.alg;
    this.kid = meta.kid;
    this.use = meta.use;
    this.keyOps = meta.keyOps ? Object.freeze([...meta.keyOps]) : undefined;
    material.set(this, Object.freeze(members));
    registerKey(this, Object.freeze(this.#withMeta({ ...members })));
    Object.freeze(this);
  }

  #withMeta(jwk: JWK): JWK {
    if (this.kid !== undefined) jwk.kid = this.kid;
    if (this.alg !== undefined) jwk.alg = this.alg;
    if (this.use !== undefined) jwk.use = this.use;
    if (this.keyOps !== undefined) jwk.key_ops = [...this.keyOps];
    return jwk;
  }

  /**
   * The key as a JWK (RFC 7517), with `kid`, `alg`, `use` and `key_ops` when set; private members need
   * `{ private: true }`, `{ private: false }` gives a private key's public half (as on Node).
   * @example
   * ```ts
   * const publicJwk = keyPair.publicKey.toJWK();
   * ```
   */
  toJWK(options: ExportJWKOptions = {}): JWK {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    checkExportOptions(options, 'Key#toJWK');
    if (options.private !== undefined && typeof options.private !== 'boolean')
      throw new TypeError('"private" option must be a boolean');
    if (this.type !== 'public' && options.private === undefined)
      throw new InvalidKeyError(
        `exporting a ${this.type} key needs an explicit { private: true }${this.type === 'private' ? ' (or { private: false } for its public half)' : ''}`,
      );
    if (this.type === 'secret' && options.private === false)
      throw new InvalidKeyError('a secret key has no public half to export');
    const jwk: Record<string, unknown> = { ...material.get(this)! };
    if (options.private !== true) for (const name of PRIVATE) delete jwk[name];
    return this.#withMeta(jwk as JWK);
  }

  /**
   * The key as PEM (SPKI for public keys, PKCS#8 for private keys with `{ private: true }`), via
   * crypto.subtle's export; secrets have no PEM form.
   * @example
   * ```ts
   * const pem = await keyPair.publicKey.toPEM();
   * ```
   */
  async toPEM(options: ExportJWKOptions = {}): Promise<string> {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    checkExportOptions(options, 'Key#toPEM');
    if (this.type === 'secret') throw new InvalidKeyError('a secret key has no PEM form; use toJWK({ private: true })');
    if (this.type === 'private' && options.private === undefined)
      throw new InvalidKeyError(
        'exporting a private key needs an explicit { private: true } (or { private: false } for its public half)',
      );
    const exportPrivate = this.type === 'private' && options.private === true;
    const jwk = this.toJWK(this.type === 'private' ? { private: exportPrivate } : {});
    const { alg: _a, use: _u, kid: _k, key_ops: _o, ...members } = jwk;
    const key = await importForExport(members as JWK, exportPrivate);
    const der = new Uint8Array(
      await (subtle() as unknown as ExportSubtle).exportKey(exportPrivate ? 'pkcs8' : 'spki', key),
    );
    const label = exportPrivate ? 'PRIVATE KEY' : 'PUBLIC KEY';
    const body = btoa(String.fromCharCode(...der)).replace(/.{64}/g, '$&\n');
    return `-----BEGIN ${label}-----\n${body.endsWith('\n') ? body : `${body}\n`}-----END ${label}-----\n`;
  }

  /**
   * The RFC 7638 thumbprint of the (public) key; resolves asynchronously (crypto.subtle.digest).
   * @example
   * ```ts
   * const kid = await key.thumbprint();
   * ```
   */
  thumbprint(digest: ThumbprintDigest = 'sha256'): Promise<string> {
    return calculateJWKThumbprint(material.get(this)!, digest);
  }

  /**
   * The public half of a private key (with the same kid, alg, use), or the key itself if public.
   * @example
   * ```ts
   * const verifierKey = signingKey.publicKey();
   * ```
   */
  publicKey(): Key {
    if (this.type === 'public') return this;
    if (this.type === 'secret') throw new InvalidKeyError('a secret key has no public half');
    const keyOps = this.keyOps?.filter((op) => op !== 'sign' && op !== 'decrypt' && op !== 'unwrapKey');
    const { alg: _a, use: _u, kid: _k, key_ops: _o, ...members } = this.toJWK({ private: false });
    return newKey(members as JWK, {
      alg: this.alg,
      use: this.use,
      kid: this.kid,
      keyOps: keyOps && keyOps.length > 0 ? keyOps : undefined,
    });
  }

  /** The public JWK (what `JSON.stringify` of a Key gives — never private members). */
  toJSON(): JWK {
    return this.type === 'public'
      ? this.toJWK()
      : this.type === 'private'
        ? this.toJWK({ private: false })
        : ({ kty: 'oct', kid: this.kid, alg: this.alg } as JWK);
  }
}

interface ExportSubtle {
  importKey(
    format: string,
    data: unknown,
    params: unknown,
    extractable: boolean,
    usages: string[],
  ): Promise<CryptoKeyLike>;
  exportKey(format: string, key: CryptoKeyLike): Promise<ArrayBuffer & Record<string, unknown>>;
  generateKey(
    params: unknown,
    extractable: boolean,
    usages: string[],
  ): Promise<CryptoKeyLike | { privateKey: CryptoKeyLike; publicKey: CryptoKeyLike }>;
}

function newKey(jwk: JWK, meta: Meta): Key {
  constructing = true;
  try {
    return new Key(jwk, meta);
  } finally {
    constructing = false;
  }
}

// The crypto.subtle algorithm a JWK's material imports under (only to validate and export it).
function subtleParams(jwk: JWK, isPrivate: boolean): { params: Record<string, unknown>; usages: string[] } {
  if (jwk.kty === 'RSA')
    return { params: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, usages: [isPrivate ? 'sign' : 'verify'] };
  if (jwk.kty === 'EC')
    return { params: { name: 'ECDSA', namedCurve: jwk.crv }, usages: [isPrivate ? 'sign' : 'verify'] };
  if (jwk.crv === 'X25519' || jwk.crv === 'X448')
    return { params: { name: jwk.crv }, usages: isPrivate ? ['deriveBits'] : [] };
  return { params: { name: jwk.crv }, usages: [isPrivate ? 'sign' : 'verify'] };
}

async function importForExport(jwk: JWK, isPrivate: boolean): Promise<CryptoKeyLike> {
  const { params, usages } = subtleParams(jwk, isPrivate);
  return (subtle() as unknown as ExportSubtle).importKey('jwk', jwk, params, true, usages);
}

// The typed error of a missing primitive, named by its JOSE algorithm (ES256K) or curve (Ed448, X448).
function missing(what: string): InvalidAlgorithmError {
  const name = what === 'secp256k1' ? 'ES256K' : what;
  return new InvalidAlgorithmError(`${name} is not available on ${runtimeName()}: its crypto.subtle has no ${what}`);
}

// Validates a JWK's material as the Node entry's importJWK does (structure, exponent, points on the curve
// via crypto.subtle, public members that belong to the private ones); resolves to its key members.
async function validateJWK(jwk: JWK): Promise<JWK> {
  if (typeof jwk.kty !== 'string') throw new JWKError('JWK "kty" must be a string');
  for (const member of ['alg', 'use', 'kid'] as const)
    if (jwk[member] !== undefined && typeof jwk[member] !== 'string')
      throw new JWKError(`JWK "${member}" must be a string`);
  if (jwk.key_ops !== undefined && (!Array.isArray(jwk.key_ops) || !jwk.key_ops.every((op) => typeof op === 'string')))
    throw new JWKError('JWK "key_ops" must be an array of strings');
  if (!['RSA', 'EC', 'OKP', 'oct'].includes(jwk.kty))
    throw new JWKError(`unsupported JWK "kty" "${jwk.kty.slice(0, 20)}"`);
  const members = keyMembers(jwk as Record<string, unknown>) as Record<string, unknown>;
  for (const [name, value] of Object.entries(members))
    if (
      name !== 'kty' &&
      name !== 'crv' &&
      (typeof value !== 'string' || value === '' || decodeB64u(value) === undefined)
    )
      throw new JWKError(`JWK "${name}" must be base64url`);
  if (jwk.kty === 'oct') {
    if (typeof members.k !== 'string') throw new JWKError('JWK "k" must be base64url');
    return { kty: 'oct', k: members.k } as JWK;
  }
  if (jwk.kty === 'RSA' && typeof members.e === 'string') {
    const e = b64uBytes(members.e);
    const value = e.reduce((acc, b) => acc * 256 + b, 0);
    if (value < 3 || value % 2 === 0) throw new JWKError('RSA JWK has an unsafe public exponent');
  }
  if (jwk.kty === 'EC' && members.crv === 'secp256k1') throw missing('secp256k1');
  if (!jwkOnCurve(members as Record<string, unknown>))
    throw new JWKError(`could not import the ${jwk.kty} JWK (unsupported curve or inconsistent members)`);
  const isPrivate = members.d !== undefined;
  let key: CryptoKeyLike;
  try {
    key = await importForExport(members as JWK, isPrivate);
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'NotSupportedError' && (members.crv === 'Ed448' || members.crv === 'X448'))
      throw missing(String(members.crv));
    throw new JWKError(`could not import the ${jwk.kty} JWK (unsupported curve or inconsistent members)`, {
      cause: err,
    });
  }
  if (isPrivate && jwk.kty === 'RSA') {
    if (typeof members.p === 'string' && typeof members.q === 'string') {
      const int = (v: string) =>
        BigInt(`0x${[...b64uBytes(v)].map((b) => b.toString(16).padStart(2, '0')).join('') || '0'}`);
      if (int(members.n as string) !== int(members.p) * int(members.q))
        throw new JWKError('RSA JWK "n" is not the product of "p" and "q"');
    }
  } else if (isPrivate) {
    // crypto.subtle derives the public point from "d" when it exports; a JWK naming another point is two keys.
    const derived = (await (subtle() as unknown as ExportSubtle).exportKey('jwk', key)) as unknown as JWK;
    if (derived.x !== members.x || (jwk.kty === 'EC' && derived.y !== members.y))
      throw new JWKError(`${jwk.kty} JWK public members do not belong to its private key "d"`);
  }
  return members as JWK;
}

function b64uBytes(text: string): Uint8Array {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

// A parsed PEM / OpenSSH key as its JWK, through crypto.subtle's JWK export.
async function parsedToJWK(parsed: ParsedKey): Promise<JWK> {
  if (parsed.format === 'jwk') return parsed.jwk!;
  if (parsed.type === 'rsa-pss')
    throw new InvalidKeyError(
      'the RSA-PSS (id-RSASSA-PSS) key cannot be imported by crypto.subtle; export it as an rsaEncryption SPKI / PKCS#8 or as a JWK',
    );
  const isPrivate = parsed.kind === 'private';
  const name = {
    rsa: 'RSASSA-PKCS1-v1_5',
    ec: 'ECDSA',
    ed25519: 'Ed25519',
    ed448: 'Ed448',
    x25519: 'X25519',
    x448: 'X448',
  }[parsed.type];
  if (parsed.curve === 'secp256k1') throw missing('secp256k1');
  const params =
    parsed.type === 'rsa'
      ? { name, hash: 'SHA-256' }
      : parsed.type === 'ec'
        ? { name, namedCurve: parsed.curve }
        : { name };
  const usages = parsed.type.startsWith('x') ? (isPrivate ? ['deriveBits'] : []) : [isPrivate ? 'sign' : 'verify'];
  const s = subtle() as unknown as ExportSubtle;
  let key: CryptoKeyLike;
  try {
    key = await s.importKey(parsed.format, parsed.der, params, true, usages);
  } catch (err) {
    if ((err as { name?: string }).name === 'NotSupportedError' && (name === 'Ed448' || name === 'X448'))
      throw missing(name);
    throw new InvalidKeyError('could not import the PEM key (corrupt or unsupported key)', { cause: err });
  }
  return keyMembers((await s.exportKey('jwk', key)) as unknown as Record<string, unknown>);
}

function checkMeta(
  jwk: JWK | undefined,
  options: ImportKeyOptions,
  kty: string,
  crv: string | undefined,
  Err: typeof JWKError | typeof InvalidKeyError,
): Meta {
  for (const name of ['alg', 'use', 'kid'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'string')
      throw new TypeError(`"${name}" option must be a string`);
    if (jwk?.[name] !== undefined && options[name] !== undefined && jwk[name] !== options[name])
      throw new JWKError(`the JWK's "${name}" disagrees with the "${name}" option`);
  }
  const alg = options.alg ?? jwk?.alg;
  const use = options.use ?? (jwk?.use as string | undefined);
  const kid = options.kid ?? jwk?.kid;
  const keyOps = jwk?.key_ops;
  if (use !== undefined && use !== 'sig' && use !== 'enc') throw new Err('"use" must be "sig" or "enc"');
  if (alg !== undefined) {
    const problem = keyTypeMismatch(alg, kty, crv);
    if (problem) throw new Err(`the key does not fit its "alg": ${problem}`);
  }
  if (keyOps !== undefined) {
    const seen = new Set<string>();
    for (const op of keyOps) {
      if (!KEY_OPS.has(op)) throw new Err(`"key_ops" contains an unknown operation "${op.slice(0, 40)}"`);
      if (seen.has(op)) throw new Err('"key_ops" lists an operation twice');
      seen.add(op);
      if (use !== undefined && !OPS_FOR_USE[use as 'sig'].has(op))
        throw new Err(`"key_ops" ("${op}") contradicts "use" ("${use}")`);
    }
  }
  return { alg, use: use as 'sig' | 'enc' | undefined, kid, keyOps };
}

function isCryptoKey(v: unknown): v is CryptoKeyLike {
  const C = (globalThis as { CryptoKey?: new () => unknown }).CryptoKey;
  return C !== undefined && v instanceof C;
}

/**
 * Imports any key the web entry accepts — a secret, PEM (SPKI, PKCS#8, PKCS#1, SEC1, certificate,
 * `{ key, passphrase }` for encrypted PKCS#8), an OpenSSH public key, a JWK (object or JSON text), an
 * extractable `CryptoKey` or a Key — as a {@link Key}, validated as on Node; resolves asynchronously.
 * @example
 * ```ts
 * import { importKey } from 'tessera-jwt/web';
 * const key = await importKey({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' });
 * console.log(key.type, key.kty, key.crv); // 'public' 'OKP' 'Ed25519'
 * ```
 */
export async function importKey(input: WebKeyInput | Key, options: ImportKeyOptions = {}): Promise<Key> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkImportKeyOptions(options);
  if (input instanceof Key) {
    if (options.alg === undefined && options.use === undefined && options.kid === undefined) return input;
    const meta = {
      kty: input.kty,
      alg: input.alg,
      use: input.use,
      kid: input.kid,
      key_ops: input.keyOps ? [...input.keyOps] : undefined,
    } as JWK;
    return newKey(material.get(input)!, checkMeta(meta, options, input.kty, input.crv, JWKError));
  }
  let members: JWK;
  let jwk: JWK | undefined;
  if (isCryptoKey(input)) {
    if (!input.extractable)
      throw new InvalidKeyError(
        'a non-extractable CryptoKey cannot become a Key; pass the CryptoKey itself where a key is accepted',
      );
    const exported = (await (subtle() as unknown as ExportSubtle).exportKey('jwk', input)) as unknown as JWK;
    members = await validateJWK(keyMembers(exported as Record<string, unknown>));
  } else if (
    input !== null &&
    typeof input === 'object' &&
    !(input instanceof Uint8Array) &&
    !('passphrase' in input)
  ) {
    if (typeof (input as JWK).kty !== 'string') throw new JWKError('JWK "kty" must be a string (RFC 7517 §4.1)');
    jwk = input as JWK;
    members = await validateJWK(jwk);
  } else if (
    typeof input === 'string' ||
    input instanceof Uint8Array ||
    (input !== null && typeof input === 'object')
  ) {
    const text = await readKeyText(input as string);
    if (text.kind === 'secret') {
      if (text.bytes.length === 0) throw new InvalidKeyError('the secret is empty');
      members = { kty: 'oct', k: encodeB64u(text.bytes) } as JWK;
    } else if (text.kind === 'jwk') {
      jwk = text.jwk;
      members = await validateJWK(jwk);
    } else members = await validateJWK(await parsedToJWK(text.key));
  } else throw new TypeError('key must be a string, a Uint8Array, a CryptoKey, a JWK object or { key, passphrase }');
  const meta = checkMeta(jwk, options, members.kty, members.crv, jwk ? JWKError : InvalidKeyError);
  return newKey(members, meta);
}

/**
 * Exports any key the web entry accepts (or a {@link Key}) as a JWK; secrets and private keys need
 * `{ private: true }`, as on Node. Asynchronous: PEM and CryptoKeys go through crypto.subtle.
 * @example
 * ```ts
 * const jwk = await exportJWK(spkiPem); // { kty: 'EC', crv: 'P-256', x, y }
 * ```
 */
export async function exportJWK(key: WebKeyInput | Key, options: ExportJWKOptions = {}): Promise<JWK> {
  checkExportOptions(options, 'exportJWK');
  return (key instanceof Key ? key : await importKey(key)).toJWK(options);
}

const NAMED: Record<string, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521' };

/**
 * Generates a key pair for a JWS or JWE algorithm with crypto.subtle (as on Node: bound to `alg`, with
 * `use` and a `kid` defaulting to the RFC 7638 thumbprint); a curve the runtime lacks (secp256k1,
 * Ed448, X448 on some) is the typed InvalidAlgorithmError naming it and the runtime.
 * @example
 * ```ts
 * const { privateKey, publicKey } = await generateKeyPair('ES256');
 * const token = await signJWT({ sub: 'user-42' }, privateKey, { algorithm: 'ES256' });
 * ```
 */
export async function generateKeyPair(
  alg: string,
  options: GenerateKeyPairOptions = {},
): Promise<{ privateKey: Key; publicKey: Key }> {
  if (typeof alg !== 'string') throw new TypeError('"alg" must be a string');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkGenerateKeyPairOptions(options);
  const rule = keyTypeRule(alg);
  if (!rule || rule.kty === 'oct')
    throw new TypeError(
      `"${alg.slice(0, 40)}" is not an asymmetric JOSE algorithm${rule ? '; use generateSecret' : ''}`,
    );
  if (options.kid !== undefined && typeof options.kid !== 'string')
    throw new TypeError('"kid" option must be a string');
  let params: Record<string, unknown>;
  let usages: string[];
  if (rule.kty === 'RSA') {
    if (options.crv !== undefined) throw new TypeError(`"crv" option does not apply to ${alg}`);
    const modulusLength = options.modulusLength ?? 2048;
    if (!Number.isInteger(modulusLength) || modulusLength < 2048 || modulusLength > 16384 || modulusLength % 8 !== 0)
      throw new TypeError('"modulusLength" option must be a multiple of 8 from 2048 to 16384');
    params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength, publicExponent: new Uint8Array([1, 0, 1]) };
    usages = ['sign', 'verify'];
  } else {
    if (options.modulusLength !== undefined) throw new TypeError(`"modulusLength" option does not apply to ${alg}`);
    const crv = options.crv ?? rule.crv![0]!;
    if (!rule.crv!.includes(crv)) throw new TypeError(`"crv" option must be one of ${rule.crv!.join(', ')} for ${alg}`);
    if (crv === 'secp256k1') throw missing('secp256k1');
    if (NAMED[crv]) {
      params = rule.use === 'sig' ? { name: 'ECDSA', namedCurve: crv } : { name: 'ECDH', namedCurve: crv };
      usages = rule.use === 'sig' ? ['sign', 'verify'] : ['deriveBits'];
    } else {
      params = { name: crv };
      usages = crv.startsWith('X') ? ['deriveBits'] : ['sign', 'verify'];
    }
  }
  const s = subtle() as unknown as ExportSubtle;
  let pair: { privateKey: CryptoKeyLike; publicKey: CryptoKeyLike };
  try {
    pair = (await s.generateKey(params, true, usages)) as typeof pair;
  } catch (err) {
    if ((err as { name?: string }).name === 'NotSupportedError')
      throw missing(String(params.namedCurve ?? params.name));
    throw err;
  }
  const privateJWK = keyMembers((await s.exportKey('jwk', pair.privateKey)) as unknown as Record<string, unknown>);
  const publicJWK = keyMembers((await s.exportKey('jwk', pair.publicKey)) as unknown as Record<string, unknown>);
  const meta = { alg, use: rule.use, kid: options.kid ?? (await calculateJWKThumbprint(publicJWK)) };
  return { privateKey: newKey(privateJWK, meta), publicKey: newKey(publicJWK, meta) };
}

/**
 * Generates a random secret for an HMAC, AES key-wrapping or content-encryption algorithm, as long as
 * the algorithm needs (crypto.getRandomValues, so synchronous, as on Node).
 * @example
 * ```ts
 * const secret = generateSecret('HS256');
 * const token = await signJWT({ sub: 'user-42' }, secret, { algorithm: 'HS256' });
 * ```
 */
export function generateSecret(alg: string, options: { kid?: string } = {}): Key {
  checkGenerateSecretOptions(options);
  if (typeof alg !== 'string') throw new TypeError('"alg" must be a string');
  const rule = keyTypeRule(alg);
  if (rule?.kty !== 'oct' || rule.bytes === undefined)
    throw new TypeError(
      `"${alg.slice(0, 40)}" has no fixed-size secret${rule && rule.kty !== 'oct' ? '; use generateKeyPair' : ''}`,
    );
  if (options.kid !== undefined && typeof options.kid !== 'string')
    throw new TypeError('"kid" option must be a string');
  const random = globalThis.crypto as unknown as { getRandomValues(a: Uint8Array): Uint8Array };
  const bytes = random.getRandomValues(new Uint8Array(rule.bytes));
  return newKey({ kty: 'oct', k: encodeB64u(bytes) } as JWK, { alg, use: rule.use, kid: options.kid });
}
