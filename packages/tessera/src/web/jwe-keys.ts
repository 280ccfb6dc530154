// JWE key management over crypto.subtle (RFC 7518 §4): the Node entry's algorithms, key/algorithm binding
// and confusion defences, asynchronously. Keys are a secret (bytes or text), a JWK, a CryptoKey or PEM
// text (what web/keys.ts parses). Unwrapping resolves to undefined for every failure, never a distinct
// error, so nothing about the key or the CEK leaks through what the caller sees; a primitive the runtime
// lacks is a typed InvalidAlgorithmError that names the algorithm and the runtime.
import { InvalidKeyError, JWKError } from '../errors.js';
import type { JWK } from '../types.js';
import { concatBytes, importAES, randomBytes, type WebContentAlgorithm } from './jwe-content.js';
import { decodeB64u, encodeB64u, pemKeyData, unavailable } from './keys.js';

/** Internal: the kinds of key management. */
export type WebKeyManagementKind = 'dir' | 'kw' | 'gcmkw' | 'rsa-oaep' | 'ecdh-es' | 'ecdh-es-kw' | 'pbes2';

/** Internal: one key management algorithm. */
export interface WebKeyManagementAlgorithm {
  readonly name: string;
  readonly kind: WebKeyManagementKind;
  /** Key-wrapping key length in bytes (AES-KW, AES-GCMKW, ECDH-ES+KW, PBES2). */
  readonly kekBytes?: number;
  /** RSA-OAEP and PBES2 hash ("SHA-1", "SHA-256", …). */
  readonly hash?: string;
}

// Built in a pure function, so that a bundle that never encrypts drops the table (tree-shaking).
const table = /* @__PURE__ */ (() => {
  const out = new Map<string, WebKeyManagementAlgorithm>();
  const add = (a: WebKeyManagementAlgorithm) => out.set(a.name, Object.freeze(a));
  add({ name: 'dir', kind: 'dir' });
  for (const bits of [128, 192, 256]) {
    add({ name: `A${bits}KW`, kind: 'kw', kekBytes: bits / 8 });
    add({ name: `A${bits}GCMKW`, kind: 'gcmkw', kekBytes: bits / 8 });
    add({ name: `ECDH-ES+A${bits}KW`, kind: 'ecdh-es-kw', kekBytes: bits / 8 });
  }
  add({ name: 'RSA-OAEP', kind: 'rsa-oaep', hash: 'SHA-1' });
  add({ name: 'RSA-OAEP-256', kind: 'rsa-oaep', hash: 'SHA-256' });
  add({ name: 'RSA-OAEP-384', kind: 'rsa-oaep', hash: 'SHA-384' });
  add({ name: 'RSA-OAEP-512', kind: 'rsa-oaep', hash: 'SHA-512' });
  add({ name: 'ECDH-ES', kind: 'ecdh-es' });
  add({ name: 'PBES2-HS256+A128KW', kind: 'pbes2', kekBytes: 16, hash: 'SHA-256' });
  add({ name: 'PBES2-HS384+A192KW', kind: 'pbes2', kekBytes: 24, hash: 'SHA-384' });
  add({ name: 'PBES2-HS512+A256KW', kind: 'pbes2', kekBytes: 32, hash: 'SHA-512' });
  return out;
})();

/** Internal: the key management algorithms (the Node entry's list; RSA1_5 is deliberately absent). */
export const WEB_KEY_MANAGEMENT_ALGORITHMS: readonly string[] = /* @__PURE__ */ (() =>
  Object.freeze([...table.keys()]))();

/** Internal: the algorithm named `alg`, if Tessera implements it. */
export function webKeyManagementAlgorithm(alg: string): WebKeyManagementAlgorithm | undefined {
  return table.get(alg);
}

/** PBES2 iteration count used when encrypting, and the default cap when decrypting (as on Node). */
export const WEB_DEFAULT_P2C = 10_000;

type CryptoKey = {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: { readonly name: string; readonly namedCurve?: string; readonly length?: number };
  readonly usages: readonly string[];
};
type Params = Record<string, unknown> & { name: string };
interface KeySubtle {
  importKey(format: string, data: unknown, params: Params, extractable: boolean, usages: string[]): Promise<CryptoKey>;
  exportKey(format: string, key: CryptoKey): Promise<unknown>;
  generateKey(
    params: Params,
    extractable: boolean,
    usages: string[],
  ): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }>;
  deriveBits(params: Params, key: CryptoKey, length: number): Promise<ArrayBuffer>;
  encrypt(params: Params, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(params: Params, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  wrapKey(format: string, key: CryptoKey, wrappingKey: CryptoKey, params: Params): Promise<ArrayBuffer>;
  unwrapKey(
    format: string,
    wrapped: Uint8Array,
    unwrappingKey: CryptoKey,
    params: Params,
    keyParams: Params,
    extractable: boolean,
    usages: string[],
  ): Promise<CryptoKey>;
  digest(name: string, data: Uint8Array): Promise<ArrayBuffer>;
}
const subtle = (): KeySubtle => (globalThis.crypto as unknown as { subtle: KeySubtle }).subtle;

function isCryptoKey(v: unknown): v is CryptoKey {
  const C = (globalThis as { CryptoKey?: new () => unknown }).CryptoKey;
  return C !== undefined && v instanceof C;
}

/** Internal: a JWE key, classified before any algorithm touches it. */
export interface WebJWEKey {
  readonly kind: 'secret' | 'public' | 'private';
  /** Secrets: the bytes (absent for a non-extractable secret CryptoKey). */
  readonly secret?: Uint8Array;
  /** Secrets given as a CryptoKey; asymmetric keys given as a CryptoKey. */
  readonly cryptoKey?: CryptoKey;
  /** Asymmetric keys given as a JWK (public and private members as given). */
  readonly jwk?: Record<string, unknown>;
  /** Asymmetric keys given as PEM. */
  readonly pem?: { format: 'spki' | 'pkcs8'; der: Uint8Array };
  readonly jwkAlg?: string;
  readonly jwkUse?: string;
  readonly jwkKeyOps?: readonly string[];
  readonly kid?: string;
}

/** Internal: classifies a key for JWE (async: a secret CryptoKey is exported when it allows it). */
export async function prepareJWEKey(input: unknown): Promise<WebJWEKey> {
  if (input instanceof Uint8Array) return { kind: 'secret', secret: input };
  if (typeof input === 'string') {
    if (input.trimStart().startsWith('-----BEGIN')) {
      const pem = await pemKeyData(input);
      if (pem === undefined) throw new InvalidKeyError('the PEM key is not supported by the web entry for JWE');
      return { kind: pem.format === 'spki' ? 'public' : 'private', pem };
    }
    if (input.trimStart().startsWith('{')) throw new InvalidKeyError('pass a JWK as an object, not as JSON text');
    return { kind: 'secret', secret: new TextEncoder().encode(input) };
  }
  if (isCryptoKey(input)) {
    if (input.type === 'secret') {
      if (!input.extractable) return { kind: 'secret', cryptoKey: input };
      return {
        kind: 'secret',
        cryptoKey: input,
        secret: new Uint8Array((await subtle().exportKey('raw', input)) as ArrayBuffer),
      };
    }
    return { kind: input.type === 'private' ? 'private' : 'public', cryptoKey: input };
  }
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const jwk = input as Record<string, unknown>;
    if (typeof jwk.kty !== 'string')
      throw new InvalidKeyError('the key must be a secret, a JWK, a CryptoKey or PEM text');
    const meta = {
      jwkAlg: typeof jwk.alg === 'string' ? jwk.alg : undefined,
      jwkUse: typeof jwk.use === 'string' ? jwk.use : undefined,
      jwkKeyOps: Array.isArray(jwk.key_ops) ? (jwk.key_ops as string[]) : undefined,
      kid: typeof jwk.kid === 'string' ? jwk.kid : undefined,
    };
    if (jwk.kty === 'oct') {
      const k = typeof jwk.k === 'string' ? decodeB64u(jwk.k) : undefined;
      if (k === undefined) throw new JWKError('an "oct" JWK needs "k" in base64url');
      return { kind: 'secret', secret: k, ...meta };
    }
    if (jwk.kty !== 'RSA' && jwk.kty !== 'EC' && jwk.kty !== 'OKP')
      throw new JWKError(`JWK "kty" ${String(jwk.kty).slice(0, 16)} is not supported`);
    return { kind: jwk.d !== undefined ? 'private' : 'public', jwk, ...meta };
  }
  throw new InvalidKeyError('the key must be a secret, a JWK, a CryptoKey or PEM text');
}

const OPS = {
  encrypt: ['encrypt', 'wrapKey', 'deriveKey', 'deriveBits'],
  decrypt: ['decrypt', 'unwrapKey', 'deriveKey', 'deriveBits'],
};
const ECDH_CURVES = ['P-256', 'P-384', 'P-521', 'X25519', 'X448'];

function secretLength(key: WebJWEKey): number {
  return key.secret?.length ?? (key.cryptoKey?.algorithm.length ?? 0) / 8;
}

/** Internal: refuses a key that cannot do `op` with `info` (as the Node entry's assertJWEKeyFits). */
export function assertWebJWEKeyFits(
  key: WebJWEKey,
  info: WebKeyManagementAlgorithm,
  op: 'encrypt' | 'decrypt',
  enc: WebContentAlgorithm | undefined,
): void {
  const boundToEnc = info.kind === 'dir' && enc !== undefined && key.jwkAlg === enc.name;
  if (key.jwkAlg !== undefined && key.jwkAlg !== info.name && !boundToEnc)
    throw new InvalidKeyError(`the key is for "${key.jwkAlg}" and may not be used with ${info.name}`);
  if (key.jwkUse !== undefined && key.jwkUse !== 'enc')
    throw new JWKError(`the key's "use" is "${key.jwkUse}", not "enc"`);
  if (key.jwkKeyOps !== undefined && !key.jwkKeyOps.some((o) => OPS[op].includes(o)))
    throw new JWKError(`the key's "key_ops" do not allow ${op}ing`);
  switch (info.kind) {
    case 'dir':
    case 'kw':
    case 'gcmkw':
    case 'pbes2': {
      if (key.kind !== 'secret')
        throw new InvalidKeyError(
          `${info.name} needs a shared secret${info.kind === 'pbes2' ? ' (a password)' : ''}, not a ${key.kind} key`,
        );
      const length = secretLength(key);
      if (length === 0) throw new InvalidKeyError(`${info.name} key is empty`);
      const want = info.kind === 'dir' ? enc?.cekBytes : info.kind === 'pbes2' ? undefined : info.kekBytes;
      if (want !== undefined && length !== want)
        throw new InvalidKeyError(
          `${info.name}${info.kind === 'dir' ? ` with ${enc!.name}` : ''} needs a ${want}-byte key (got ${length})`,
        );
      return;
    }
    case 'rsa-oaep': {
      const type =
        key.jwk?.kty ??
        (key.cryptoKey
          ? key.cryptoKey.algorithm.name === 'RSA-OAEP'
            ? 'RSA'
            : key.cryptoKey.algorithm.name
          : undefined);
      if (key.kind === 'secret' || (type !== undefined && type !== 'RSA'))
        throw new InvalidKeyError(`${info.name} needs an RSA key`);
      if (op === 'decrypt' && key.kind !== 'private')
        throw new InvalidKeyError(`decrypting with ${info.name} needs the private key`);
      return;
    }
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      const curve =
        key.jwk !== undefined
          ? key.jwk.kty === 'EC' || key.jwk.kty === 'OKP'
            ? String(key.jwk.crv)
            : 'none'
          : key.cryptoKey !== undefined
            ? key.cryptoKey.algorithm.name === 'ECDH'
              ? String(key.cryptoKey.algorithm.namedCurve)
              : key.cryptoKey.algorithm.name
            : key.pem !== undefined
              ? 'P-256' // checked when imported
              : 'none';
      if (key.kind === 'secret' || !ECDH_CURVES.includes(curve))
        throw new InvalidKeyError(`${info.name} needs an EC key on P-256, P-384 or P-521, or an X25519 or X448 key`);
      if (op === 'decrypt' && key.kind !== 'private')
        throw new InvalidKeyError(`decrypting with ${info.name} needs the private key`);
      return;
    }
  }
}

// ---- AES key wrapping (RFC 3394), AES-GCM key wrapping, PBKDF2 -------------------------------------------

async function kwKey(key: WebJWEKey | Uint8Array, name: string): Promise<CryptoKey> {
  if (key instanceof Uint8Array) return (await importAES('AES-KW', key, ['wrapKey', 'unwrapKey'], name)) as CryptoKey;
  if (key.secret !== undefined)
    return (await importAES('AES-KW', key.secret, ['wrapKey', 'unwrapKey'], name)) as CryptoKey;
  if (key.cryptoKey?.algorithm.name !== 'AES-KW')
    throw new InvalidKeyError(`${name} needs an AES-KW CryptoKey, or an extractable secret`);
  return key.cryptoKey;
}

// The CEK travels as the raw form of an extractable HMAC key: AES-KW in crypto.subtle wraps keys, not bytes.
async function aesKW(kek: CryptoKey, cek: Uint8Array): Promise<Uint8Array> {
  const carrier = await subtle().importKey('raw', cek, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  return new Uint8Array(await subtle().wrapKey('raw', carrier, kek, { name: 'AES-KW' }));
}

async function aesKWUnwrap(kek: CryptoKey, data: Uint8Array): Promise<Uint8Array | undefined> {
  if (data.length < 24 || data.length % 8 !== 0) return undefined;
  try {
    const carrier = await subtle().unwrapKey(
      'raw',
      data,
      kek,
      { name: 'AES-KW' },
      { name: 'HMAC', hash: 'SHA-256' },
      true,
      ['sign'],
    );
    return new Uint8Array((await subtle().exportKey('raw', carrier)) as ArrayBuffer);
  } catch {
    return undefined;
  }
}

async function gcmKey(key: WebJWEKey, name: string): Promise<CryptoKey> {
  if (key.secret !== undefined)
    return (await importAES('AES-GCM', key.secret, ['encrypt', 'decrypt'], name)) as CryptoKey;
  if (key.cryptoKey?.algorithm.name !== 'AES-GCM')
    throw new InvalidKeyError(`${name} needs an AES-GCM CryptoKey, or an extractable secret`);
  return key.cryptoKey;
}

function needBytes(key: WebJWEKey, name: string): Uint8Array {
  if (key.secret === undefined)
    throw new InvalidKeyError(`${name} needs the secret's bytes: import the CryptoKey as extractable`);
  return key.secret;
}

async function pbes2KEK(
  info: WebKeyManagementAlgorithm,
  password: Uint8Array,
  p2s: Uint8Array,
  p2c: number,
): Promise<CryptoKey> {
  const base = await subtle().importKey('raw', password, { name: 'PBKDF2' }, false, ['deriveBits']);
  const salt = concatBytes(new TextEncoder().encode(info.name), new Uint8Array(1), p2s);
  const bits = await subtle().deriveBits(
    { name: 'PBKDF2', salt, iterations: p2c, hash: info.hash! },
    base,
    info.kekBytes! * 8,
  );
  return kwKey(new Uint8Array(bits), info.name);
}

// ---- RSA-OAEP ------------------------------------------------------------------------------------------

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function publicMembers(jwk: Record<string, unknown>): Record<string, unknown> {
  const { alg: _a, key_ops: _o, use: _u, ext: _e, ...rest } = jwk;
  for (const name of PRIVATE_MEMBERS) delete rest[name];
  return rest;
}

function importMembers(jwk: Record<string, unknown>): Record<string, unknown> {
  const { alg: _a, key_ops: _o, use: _u, ext: _e, ...rest } = jwk;
  return rest;
}

async function importOrRefuse(
  format: string,
  data: unknown,
  params: Params,
  usages: string[],
  name: string,
  extractable = false,
): Promise<CryptoKey> {
  try {
    return await subtle().importKey(format, data, params, extractable, usages);
  } catch (err) {
    if ((err as { name?: string }).name === 'NotSupportedError')
      throw unavailable(name, params.namedCurve === undefined ? params.name : String(params.namedCurve));
    throw new InvalidKeyError(`the key cannot be imported for ${name}`);
  }
}

// A private PEM used to encrypt: its public half, through an extractable import and a JWK export.
async function publicJWKOfPKCS8(der: Uint8Array, params: Params, name: string): Promise<Record<string, unknown>> {
  const key = await importOrRefuse(
    'pkcs8',
    der,
    params,
    params.name === 'RSA-OAEP' ? ['decrypt'] : ['deriveBits'],
    name,
    true,
  );
  return publicMembers((await subtle().exportKey('jwk', key)) as Record<string, unknown>);
}

async function rsaKey(
  key: WebJWEKey,
  info: WebKeyManagementAlgorithm,
  op: 'encrypt' | 'decrypt',
  allowWeak: boolean,
): Promise<CryptoKey> {
  const params: Params = { name: 'RSA-OAEP', hash: info.hash! };
  let out: CryptoKey;
  if (key.cryptoKey !== undefined) {
    const a = key.cryptoKey.algorithm as { name: string; hash?: { name: string } };
    if (a.name !== 'RSA-OAEP' || a.hash?.name !== info.hash)
      throw new InvalidKeyError(`${info.name} needs an RSA-OAEP CryptoKey bound to ${info.hash}`);
    if (!key.cryptoKey.usages.includes(op)) throw new InvalidKeyError(`the CryptoKey is not usable to ${op}`);
    if (op === 'encrypt' && key.cryptoKey.type !== 'public')
      throw new InvalidKeyError(`encrypting with ${info.name} needs the public CryptoKey`);
    out = key.cryptoKey;
  } else if (key.jwk !== undefined) {
    const data = op === 'encrypt' ? publicMembers(key.jwk) : importMembers(key.jwk);
    out = await importOrRefuse('jwk', data, params, [op], info.name);
  } else {
    const pem = key.pem!;
    if (op === 'encrypt' && pem.format === 'pkcs8')
      out = await importOrRefuse(
        'jwk',
        await publicJWKOfPKCS8(pem.der, params, info.name),
        params,
        ['encrypt'],
        info.name,
      );
    else out = await importOrRefuse(pem.format, pem.der, params, [op], info.name);
  }
  const bits = (out.algorithm as { modulusLength?: number }).modulusLength ?? 0;
  if (bits < 2048 && !allowWeak)
    throw new InvalidKeyError(
      `${info.name} needs an RSA key of at least 2048 bits (got ${bits}), or allowWeakKeys: true`,
    );
  return out;
}

// ---- ECDH-ES -------------------------------------------------------------------------------------------

function curveParams(crv: string): Params {
  return crv.startsWith('P-') ? { name: 'ECDH', namedCurve: crv } : { name: crv };
}
const Z_BITS: Record<string, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 528, X25519: 256, X448: 448 };

function curveOf(key: CryptoKey): string {
  return key.algorithm.name === 'ECDH' ? String(key.algorithm.namedCurve) : key.algorithm.name;
}

async function importECDH(key: WebJWEKey, name: string, op: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const usages = op === 'encrypt' ? [] : ['deriveBits'];
  if (key.cryptoKey !== undefined) {
    if (op === 'encrypt' && key.cryptoKey.type !== 'public')
      throw new InvalidKeyError(`encrypting with ${name} needs the public CryptoKey`);
    if (op === 'decrypt' && !key.cryptoKey.usages.includes('deriveBits'))
      throw new InvalidKeyError('the CryptoKey is not usable to deriveBits');
    return key.cryptoKey;
  }
  if (key.jwk !== undefined) {
    const crv = String(key.jwk.crv);
    return importOrRefuse(
      'jwk',
      op === 'encrypt' ? publicMembers(key.jwk) : importMembers(key.jwk),
      curveParams(crv),
      usages,
      name,
    );
  }
  // PEM: the curve is in the DER; try each until one imports.
  const pem = key.pem!;
  let missing: unknown;
  for (const crv of ECDH_CURVES) {
    try {
      if (op === 'encrypt' && pem.format === 'pkcs8') {
        const params = curveParams(crv);
        const k = await subtle().importKey('pkcs8', pem.der, params, true, ['deriveBits']);
        return await subtle().importKey(
          'jwk',
          publicMembers((await subtle().exportKey('jwk', k)) as Record<string, unknown>),
          params,
          false,
          [],
        );
      }
      return await subtle().importKey(pem.format, pem.der, curveParams(crv), false, usages);
    } catch (err) {
      if ((err as { name?: string }).name === 'NotSupportedError') missing ??= unavailable(name, crv);
    }
  }
  throw missing ?? new InvalidKeyError(`${name} needs an EC key on P-256, P-384 or P-521, or an X25519 or X448 key`);
}

async function deriveZ(privateKey: CryptoKey, publicKey: CryptoKey, crv: string): Promise<Uint8Array> {
  const params = curveParams(crv);
  return new Uint8Array(await subtle().deriveBits({ name: params.name, public: publicKey }, privateKey, Z_BITS[crv]!));
}

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

function lengthPrefixed(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  new DataView(out.buffer).setUint32(0, data.length);
  out.set(data, 4);
  return out;
}

/** Internal: RFC 7518 §4.6.2 Concat KDF (NIST SP 800-56A) with SHA-256. */
export async function webConcatKDF(
  z: Uint8Array,
  keyBytes: number,
  algorithmId: string,
  apu: Uint8Array,
  apv: Uint8Array,
): Promise<Uint8Array> {
  const suppPub = new Uint8Array(4);
  new DataView(suppPub.buffer).setUint32(0, keyBytes * 8);
  const otherInfo = concatBytes(
    lengthPrefixed(new TextEncoder().encode(algorithmId)),
    lengthPrefixed(apu),
    lengthPrefixed(apv),
    suppPub,
  );
  const out: Uint8Array[] = [];
  for (let round = 1; round <= Math.ceil(keyBytes / 32); round++) {
    const counter = new Uint8Array(4);
    new DataView(counter.buffer).setUint32(0, round);
    out.push(new Uint8Array(await subtle().digest('SHA-256', concatBytes(counter, z, otherInfo))));
  }
  return concatBytes(...out).subarray(0, keyBytes);
}

// ---- wrap / unwrap -------------------------------------------------------------------------------------

/** Internal: options for producing a CEK. */
export interface WebWrapOptions {
  readonly apu?: Uint8Array;
  readonly apv?: Uint8Array;
  readonly p2c?: number;
  /** The CEK to wrap (one for every recipient of a general JWE); default: a random one. */
  readonly cek?: Uint8Array;
  readonly allowWeakKeys: boolean;
}

/** Internal: produces the CEK, its encrypted form (empty for dir and ECDH-ES) and the header members it adds. */
export async function wrapCEK(
  info: WebKeyManagementAlgorithm,
  key: WebJWEKey,
  enc: WebContentAlgorithm,
  options: WebWrapOptions,
): Promise<{ cek: Uint8Array; encryptedKey: Uint8Array; header: Record<string, unknown> }> {
  const header: Record<string, unknown> = {};
  const empty = new Uint8Array(0);
  const fresh = () => options.cek ?? randomBytes(enc.cekBytes);
  switch (info.kind) {
    case 'dir':
      return { cek: needBytes(key, info.name), encryptedKey: empty, header };
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      const recipient = await importECDH(key, info.name, 'encrypt');
      const crv = curveOf(recipient);
      const pair = await subtle().generateKey(curveParams(crv), true, ['deriveBits']);
      const z = await deriveZ(pair.privateKey, recipient, crv);
      const { kty, x, y } = (await subtle().exportKey('jwk', pair.publicKey)) as JWK;
      header.epk = y === undefined ? { kty, crv, x } : { kty, crv, x, y };
      const apu = options.apu ?? empty;
      const apv = options.apv ?? empty;
      if (options.apu) header.apu = encodeB64u(apu);
      if (options.apv) header.apv = encodeB64u(apv);
      if (info.kind === 'ecdh-es')
        return { cek: await webConcatKDF(z, enc.cekBytes, enc.name, apu, apv), encryptedKey: empty, header };
      const kek = await kwKey(await webConcatKDF(z, info.kekBytes!, info.name, apu, apv), info.name);
      const cek = fresh();
      return { cek, encryptedKey: await aesKW(kek, cek), header };
    }
    case 'kw': {
      const kek = await kwKey(key, info.name);
      const cek = fresh();
      return { cek, encryptedKey: await aesKW(kek, cek), header };
    }
    case 'gcmkw': {
      const kek = await gcmKey(key, info.name);
      const cek = fresh();
      const iv = randomBytes(12);
      const out = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, tagLength: 128 }, kek, cek));
      header.iv = encodeB64u(iv);
      header.tag = encodeB64u(out.subarray(out.length - 16));
      return { cek, encryptedKey: out.slice(0, out.length - 16), header };
    }
    case 'rsa-oaep': {
      const rsa = await rsaKey(key, info, 'encrypt', options.allowWeakKeys);
      const cek = fresh();
      return { cek, encryptedKey: new Uint8Array(await subtle().encrypt({ name: 'RSA-OAEP' }, rsa, cek)), header };
    }
    case 'pbes2': {
      const p2s = randomBytes(16);
      const p2c = options.p2c ?? WEB_DEFAULT_P2C;
      header.p2s = encodeB64u(p2s);
      header.p2c = p2c;
      const kek = await pbes2KEK(info, needBytes(key, info.name), p2s, p2c);
      const cek = fresh();
      return { cek, encryptedKey: await aesKW(kek, cek), header };
    }
  }
}

/** Internal: header values unwrapping reads, already decoded. */
export interface WebUnwrapInput {
  readonly encryptedKey: Uint8Array;
  readonly epk?: unknown;
  readonly apu?: Uint8Array;
  readonly apv?: Uint8Array;
  readonly iv?: Uint8Array;
  readonly tag?: Uint8Array;
  readonly p2s?: Uint8Array;
  readonly p2c?: number;
  readonly allowWeakKeys: boolean;
}

// The ephemeral key must be on the recipient's curve; crypto.subtle refuses a point that is not on it.
async function importEPK(epk: unknown, crv: string): Promise<CryptoKey | undefined> {
  if (epk === null || typeof epk !== 'object' || Array.isArray(epk)) return undefined;
  const { kty, crv: c, x, y } = epk as JWK;
  const want = crv.startsWith('P-') ? 'EC' : 'OKP';
  if (kty !== want || c !== crv || typeof x !== 'string' || (kty === 'EC' && typeof y !== 'string')) return undefined;
  try {
    return await subtle().importKey(
      'jwk',
      kty === 'EC' ? { kty, crv, x, y } : { kty, crv, x },
      curveParams(crv),
      true,
      [],
    );
  } catch {
    return undefined;
  }
}

/**
 * Internal: recovers the CEK, or undefined on any failure. Key-fit problems (a key of the wrong kind, a
 * missing primitive) are thrown before anything secret-dependent happens. `p2c` is within the caller's cap.
 */
export async function unwrapCEK(
  info: WebKeyManagementAlgorithm,
  key: WebJWEKey,
  enc: WebContentAlgorithm,
  input: WebUnwrapInput,
): Promise<Uint8Array | undefined> {
  const { encryptedKey } = input;
  switch (info.kind) {
    case 'dir':
      return encryptedKey.length === 0 ? needBytes(key, info.name) : undefined;
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      const privateKey = await importECDH(key, info.name, 'decrypt');
      const crv = curveOf(privateKey);
      const kek = info.kind === 'ecdh-es-kw' ? await kwKey(new Uint8Array(info.kekBytes!), info.name) : undefined; // primitive check first
      const epk = await importEPK(input.epk, crv);
      if (!epk) return undefined;
      let z: Uint8Array;
      try {
        z = await deriveZ(privateKey, epk, crv);
      } catch {
        return undefined; // e.g. an X25519 point of small order
      }
      if (isAllZero(z)) return undefined;
      const apu = input.apu ?? new Uint8Array(0);
      const apv = input.apv ?? new Uint8Array(0);
      if (kek === undefined)
        return encryptedKey.length === 0 ? webConcatKDF(z, enc.cekBytes, enc.name, apu, apv) : undefined;
      return aesKWUnwrap(
        await kwKey(await webConcatKDF(z, info.kekBytes!, info.name, apu, apv), info.name),
        encryptedKey,
      );
    }
    case 'kw':
      return aesKWUnwrap(await kwKey(key, info.name), encryptedKey);
    case 'gcmkw': {
      const kek = await gcmKey(key, info.name);
      if (input.iv?.length !== 12 || input.tag?.length !== 16) return undefined;
      try {
        return new Uint8Array(
          await subtle().decrypt(
            { name: 'AES-GCM', iv: input.iv, tagLength: 128 },
            kek,
            concatBytes(encryptedKey, input.tag),
          ),
        );
      } catch {
        return undefined;
      }
    }
    case 'rsa-oaep': {
      const rsa = await rsaKey(key, info, 'decrypt', input.allowWeakKeys);
      try {
        return new Uint8Array(await subtle().decrypt({ name: 'RSA-OAEP' }, rsa, encryptedKey));
      } catch {
        return undefined;
      }
    }
    case 'pbes2': {
      const password = needBytes(key, info.name);
      await kwKey(new Uint8Array(info.kekBytes!), info.name); // primitive check first
      if (!input.p2s || input.p2s.length < 8 || input.p2c === undefined) return undefined;
      return aesKWUnwrap(await pbes2KEK(info, password, input.p2s, input.p2c), encryptedKey);
    }
  }
}
