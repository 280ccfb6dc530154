// JWE key management (RFC 7518 §4): producing and recovering the content encryption key (CEK).
// node:crypto does every primitive (AES-KW, AES-GCM, RSA-OAEP, ECDH, PBKDF2); the Concat KDF of
// RFC 7518 §4.6.2 is a few hash calls. Unwrapping reports failure as `undefined`, never as a distinct
// error, so nothing about the key or the CEK leaks through the error a caller sees.
import { Buffer } from 'node:buffer';
import type { ECDH, KeyObject } from 'node:crypto';
import { nodeCrypto } from './node-crypto.js';
import { aesKeyUnwrap, aesKeyWrap, canKeyWrap } from './aes-kw.js';
import { hasAES, unavailable } from './runtime-support.js';
import { InvalidKeyError, JWKError } from '../errors.js';
import type { JWK } from '../types.js';
import { encodeBase64url } from './base64url.js';
import { generatePrivateKeyObject } from './keygen.js';
import type { ContentAlgorithm } from './jwe-content.js';
import { CURVE_NAMES, type PreparedKey } from './keys.js';

export type KeyManagementKind = 'dir' | 'kw' | 'gcmkw' | 'rsa-oaep' | 'ecdh-es' | 'ecdh-es-kw' | 'pbes2';

export interface KeyManagementAlgorithm {
  readonly name: string;
  readonly kind: KeyManagementKind;
  /** Key-wrapping key length in bytes (AES-KW, AES-GCMKW, ECDH-ES+KW, PBES2). */
  readonly kekBytes?: number;
  /** RSA-OAEP and PBES2 hash. */
  readonly hash?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
}

const table = new Map<string, KeyManagementAlgorithm>();
const add = (a: KeyManagementAlgorithm) => table.set(a.name, Object.freeze(a));
add({ name: 'dir', kind: 'dir' });
for (const bits of [128, 192, 256]) {
  add({ name: `A${bits}KW`, kind: 'kw', kekBytes: bits / 8 });
  add({ name: `A${bits}GCMKW`, kind: 'gcmkw', kekBytes: bits / 8 });
  add({ name: `ECDH-ES+A${bits}KW`, kind: 'ecdh-es-kw', kekBytes: bits / 8 });
}
add({ name: 'RSA-OAEP', kind: 'rsa-oaep', hash: 'sha1' });
add({ name: 'RSA-OAEP-256', kind: 'rsa-oaep', hash: 'sha256' });
add({ name: 'RSA-OAEP-384', kind: 'rsa-oaep', hash: 'sha384' });
add({ name: 'RSA-OAEP-512', kind: 'rsa-oaep', hash: 'sha512' });
add({ name: 'ECDH-ES', kind: 'ecdh-es' });
add({ name: 'PBES2-HS256+A128KW', kind: 'pbes2', kekBytes: 16, hash: 'sha256' });
add({ name: 'PBES2-HS384+A192KW', kind: 'pbes2', kekBytes: 24, hash: 'sha384' });
add({ name: 'PBES2-HS512+A256KW', kind: 'pbes2', kekBytes: 32, hash: 'sha512' });

/**
 * The key management algorithms Tessera implements. RSA1_5 is deliberately absent: RSAES-PKCS1-v1_5
 * decryption is a padding oracle (Bleichenbacher, Marvin / CVE-2023-46809), and Node 20 refuses it.
 */
export const KEY_MANAGEMENT_ALGORITHMS: readonly string[] = Object.freeze([...table.keys()]);

export function keyManagementAlgorithm(alg: string): KeyManagementAlgorithm | undefined {
  return table.get(alg);
}

/** Header members a key management algorithm adds (epk, apu/apv, iv/tag, p2s/p2c). */
export type HeaderAdditions = Record<string, unknown>;

const ECDH_TYPES = new Set(['ec', 'x25519', 'x448']);
const OPS = {
  encrypt: ['encrypt', 'wrapKey', 'deriveKey', 'deriveBits'],
  decrypt: ['decrypt', 'unwrapKey', 'deriveKey', 'deriveBits'],
};

let everyAESAvailable: boolean | undefined;

/**
 * Refuses, with the typed "not available" error, an algorithm whose AES primitive this runtime's node:crypto
 * lacks (see runtime-support.ts); the header names the algorithms, so this reveals nothing about a key.
 */
export function assertJWEAvailable(info: KeyManagementAlgorithm, enc: ContentAlgorithm | undefined): void {
  everyAESAvailable ??= [128, 192, 256].every((b) => hasAES(b, 'gcm') && hasAES(b, 'cbc') && canKeyWrap(b));
  if (everyAESAvailable) return; // Node: decided once, nothing per call
  if (enc !== undefined) {
    const bits = enc.mode === 'gcm' ? enc.cekBytes * 8 : enc.cekBytes * 4;
    if (!hasAES(bits, enc.mode === 'gcm' ? 'gcm' : 'cbc'))
      throw unavailable(enc.name, `AES-${bits}-${enc.mode === 'gcm' ? 'GCM' : 'CBC'}`);
  }
  const kekBits = (info.kekBytes ?? 0) * 8;
  if (info.kind === 'gcmkw' && !hasAES(kekBits, 'gcm')) throw unavailable(info.name, `AES-${kekBits}-GCM`);
  if ((info.kind === 'kw' || info.kind === 'ecdh-es-kw' || info.kind === 'pbes2') && !canKeyWrap(kekBits))
    throw unavailable(info.name, `AES-${kekBits}`);
}

/** Throws InvalidKeyError/JWKError when `key` cannot do `op` with `info`. Not secret-dependent. */
export function assertJWEKeyFits(
  key: PreparedKey,
  info: KeyManagementAlgorithm,
  op: 'encrypt' | 'decrypt',
  enc: ContentAlgorithm | undefined,
  allowWeakKeys: boolean,
): void {
  assertJWEAvailable(info, enc);
  // A secret made for a content algorithm (generateSecret('A256GCM')) is a "dir" key for that enc.
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
          `${info.name} needs a shared secret${info.kind === 'pbes2' ? ' (a password)' : ''}, not ${key.kind === 'opaque' ? 'an unknown key' : `a ${key.kind} key`}`,
        );
      const length = key.secret!.length;
      if (length === 0) throw new InvalidKeyError(`${info.name} key is empty`);
      const want = info.kind === 'dir' ? enc?.cekBytes : info.kind === 'pbes2' ? undefined : info.kekBytes;
      if (want !== undefined && length !== want)
        throw new InvalidKeyError(
          `${info.name}${info.kind === 'dir' ? ` with ${enc!.name}` : ''} needs a ${want}-byte key (got ${length})`,
        );
      return;
    }
    case 'rsa-oaep':
      if (key.asymmetricKeyType !== 'rsa') throw new InvalidKeyError(`${info.name} needs an RSA key`);
      if (op === 'decrypt' && key.kind !== 'private')
        throw new InvalidKeyError(`decrypting with ${info.name} needs the private key`);
      if ((key.modulusLength ?? 0) < 2048 && !allowWeakKeys)
        throw new InvalidKeyError(
          `${info.name} needs an RSA key of at least 2048 bits (got ${key.modulusLength}), or allowWeakKeys: true`,
        );
      if (key.roca)
        throw new InvalidKeyError('the RSA key has the ROCA fingerprint (CVE-2017-15361); generate a new key pair');
      return;
    case 'ecdh-es':
    case 'ecdh-es-kw':
      if (
        !key.asymmetricKeyType ||
        !ECDH_TYPES.has(key.asymmetricKeyType) ||
        (key.asymmetricKeyType === 'ec' && !['prime256v1', 'secp384r1', 'secp521r1'].includes(key.namedCurve ?? ''))
      ) {
        throw new InvalidKeyError(`${info.name} needs an EC key on P-256, P-384 or P-521, or an X25519 or X448 key`);
      }
      if (op === 'decrypt' && key.kind !== 'private')
        throw new InvalidKeyError(`decrypting with ${info.name} needs the private key`);
      return;
  }
}

function lengthPrefixed(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** RFC 7518 §4.6.2: Concat KDF (NIST SP 800-56A) with SHA-256. */
export function concatKDF(z: Buffer, keyBytes: number, algorithmId: string, apu: Buffer, apv: Buffer): Buffer {
  const suppPub = Buffer.alloc(4);
  suppPub.writeUInt32BE(keyBytes * 8);
  const otherInfo = Buffer.concat([
    lengthPrefixed(Buffer.from(algorithmId, 'ascii')),
    lengthPrefixed(apu),
    lengthPrefixed(apv),
    suppPub,
  ]);
  const rounds = Math.ceil(keyBytes / 32);
  const out: Buffer[] = [];
  for (let round = 1; round <= rounds; round++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(round);
    out.push(nodeCrypto().createHash('sha256').update(counter).update(z).update(otherInfo).digest());
  }
  return Buffer.concat(out).subarray(0, keyBytes);
}

function publicOf(key: PreparedKey): KeyObject {
  return key.kind === 'private' ? nodeCrypto().createPublicKey(key.keyObject!) : key.keyObject!;
}

// The recipient's public point, uncompressed (0x04 || x || y), for ECDH objects; a recipient key is used for
// many encryptions, so its export is done once.
const recipientPoints = new WeakMap<KeyObject, Buffer>();

function uncompressedPoint(recipient: KeyObject): Buffer {
  let point = recipientPoints.get(recipient);
  if (point === undefined) {
    const jwk = recipient.export({ format: 'jwk' }) as JWK;
    point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    recipientPoints.set(recipient, point);
  }
  return point;
}

/**
 * A fresh ephemeral key on the recipient's curve, agreed with the recipient: the shared secret Z and the
 * `epk` header member. EC curves use an ECDH object (no KeyObject at all: a third of the cost of a generated
 * pair); X25519/X448 use a generated private key.
 */
function ephemeralAgreement(recipient: KeyObject): { z: Buffer; epk: JWK } {
  const type = recipient.asymmetricKeyType!;
  const ecdh = type === 'ec' ? ecdhFor(recipient.asymmetricKeyDetails!.namedCurve!) : undefined;
  if (ecdh !== undefined) {
    const ephemeral = ecdh.generateKeys();
    const size = (ephemeral.length - 1) / 2;
    const epk: JWK = {
      kty: 'EC',
      crv: CURVE_NAMES[recipient.asymmetricKeyDetails!.namedCurve!],
      x: encodeBase64url(ephemeral.subarray(1, 1 + size)),
      y: encodeBase64url(ephemeral.subarray(1 + size)),
    };
    return { z: ecdh.computeSecret(uncompressedPoint(recipient)), epk };
  }
  const { privateKey, publicJwk } =
    type === 'ec'
      ? generatePrivateKeyObject('ec', { namedCurve: recipient.asymmetricKeyDetails!.namedCurve! })
      : generatePrivateKeyObject(type as 'x25519');
  const epk: JWK =
    type === 'ec'
      ? { kty: 'EC', crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y }
      : { kty: 'OKP', crv: publicJwk.crv, x: publicJwk.x };
  return { z: nodeCrypto().diffieHellman({ privateKey, publicKey: recipient }), epk };
}

// node's ECDH object is the fast path for an ephemeral EC key; Deno 2.9's has no P-521 ("invalid curve"),
// and there the key-pair path above, which it does have, makes the ephemeral key.
function ecdhFor(curve: string): ECDH | undefined {
  try {
    return nodeCrypto().createECDH(curve);
  } catch {
    return undefined;
  }
}

function isAllZero(bytes: Buffer): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

/** Options for producing a CEK (encryption). */
export interface WrapOptions {
  readonly apu?: Buffer;
  readonly apv?: Buffer;
  readonly p2c?: number;
  /** The CEK to wrap (a general JWE wraps one CEK for every recipient); default: a random one. */
  readonly cek?: Buffer;
}

/** Produces the CEK and its encrypted form (empty for dir and ECDH-ES), plus header members. */
export function wrapCEK(
  info: KeyManagementAlgorithm,
  key: PreparedKey,
  enc: ContentAlgorithm,
  options: WrapOptions,
): { cek: Buffer; encryptedKey: Buffer; header: HeaderAdditions } {
  const header: HeaderAdditions = {};
  switch (info.kind) {
    case 'dir':
      return { cek: Buffer.from(key.secret!), encryptedKey: Buffer.alloc(0), header };
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      const recipient = publicOf(key);
      const { z, epk } = ephemeralAgreement(recipient);
      header.epk = epk;
      const apu = options.apu ?? Buffer.alloc(0);
      const apv = options.apv ?? Buffer.alloc(0);
      if (options.apu) header.apu = encodeBase64url(apu);
      if (options.apv) header.apv = encodeBase64url(apv);
      if (info.kind === 'ecdh-es')
        return { cek: concatKDF(z, enc.cekBytes, enc.name, apu, apv), encryptedKey: Buffer.alloc(0), header };
      const kek = concatKDF(z, info.kekBytes!, info.name, apu, apv);
      const cek = options.cek ?? nodeCrypto().randomBytes(enc.cekBytes);
      return { cek, encryptedKey: aesKeyWrap(kek, cek), header };
    }
    case 'kw': {
      const cek = options.cek ?? nodeCrypto().randomBytes(enc.cekBytes);
      return { cek, encryptedKey: aesKeyWrap(key.secret!, cek), header };
    }
    case 'gcmkw': {
      const cek = options.cek ?? nodeCrypto().randomBytes(enc.cekBytes);
      const iv = nodeCrypto().randomBytes(12);
      const cipher = nodeCrypto().createCipheriv(`aes-${info.kekBytes! * 8}-gcm` as 'aes-256-gcm', key.secret!, iv, {
        authTagLength: 16,
      });
      const encryptedKey = Buffer.concat([cipher.update(cek), cipher.final()]);
      header.iv = encodeBase64url(iv);
      header.tag = encodeBase64url(cipher.getAuthTag());
      return { cek, encryptedKey, header };
    }
    case 'rsa-oaep': {
      const cek = options.cek ?? nodeCrypto().randomBytes(enc.cekBytes);
      const encryptedKey = nodeCrypto().publicEncrypt(
        { key: publicOf(key), padding: nodeCrypto().constants.RSA_PKCS1_OAEP_PADDING, oaepHash: info.hash },
        cek,
      );
      return { cek, encryptedKey, header };
    }
    case 'pbes2': {
      const p2s = nodeCrypto().randomBytes(16);
      const p2c = options.p2c ?? DEFAULT_P2C;
      header.p2s = encodeBase64url(p2s);
      header.p2c = p2c;
      const kek = nodeCrypto().pbkdf2Sync(
        key.secret!,
        Buffer.concat([Buffer.from(info.name, 'utf8'), Buffer.alloc(1), p2s]),
        p2c,
        info.kekBytes!,
        info.hash!,
      );
      const cek = options.cek ?? nodeCrypto().randomBytes(enc.cekBytes);
      return { cek, encryptedKey: aesKeyWrap(kek, cek), header };
    }
  }
}

/** PBES2 iteration count used when encrypting, and the default cap when decrypting. */
export const DEFAULT_P2C = 10_000;

/** Header values unwrapping reads, already decoded by the caller. */
export interface UnwrapInput {
  readonly encryptedKey: Buffer;
  readonly epk?: unknown;
  readonly apu?: Buffer;
  readonly apv?: Buffer;
  readonly iv?: Buffer;
  readonly tag?: Buffer;
  readonly p2s?: Buffer;
  readonly p2c?: number;
}

function importEPK(epk: unknown, recipient: KeyObject): KeyObject | undefined {
  if (epk === null || typeof epk !== 'object' || Array.isArray(epk)) return undefined;
  const { kty, crv, x, y } = epk as JWK;
  const type = recipient.asymmetricKeyType;
  const expected =
    type === 'ec'
      ? { kty: 'EC', crv: CURVE_NAMES[recipient.asymmetricKeyDetails!.namedCurve!] }
      : { kty: 'OKP', crv: type === 'x25519' ? 'X25519' : 'X448' };
  // The ephemeral key must be on the recipient's curve; node refuses points that are not on it.
  if (kty !== expected.kty || crv !== expected.crv || typeof x !== 'string' || (kty === 'EC' && typeof y !== 'string'))
    return undefined;
  try {
    return nodeCrypto().createPublicKey({
      key: (kty === 'EC' ? { kty, crv, x, y } : { kty, crv, x }) as import('node:crypto').JsonWebKey,
      format: 'jwk',
    });
  } catch {
    return undefined;
  }
}

/** Recovers the CEK, or undefined on any failure. `p2c` must already be within the caller's cap. */
export function unwrapCEK(
  info: KeyManagementAlgorithm,
  key: PreparedKey,
  enc: ContentAlgorithm,
  input: UnwrapInput,
): Buffer | undefined {
  const { encryptedKey } = input;
  switch (info.kind) {
    case 'dir':
      return encryptedKey.length === 0 ? key.secret! : undefined;
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      const epk = importEPK(input.epk, key.keyObject!);
      if (!epk) return undefined;
      let z: Buffer;
      try {
        z = nodeCrypto().diffieHellman({ privateKey: key.keyObject!, publicKey: epk });
      } catch {
        return undefined; // e.g. an X25519 point of small order (all-zero shared secret)
      }
      if (isAllZero(z)) return undefined;
      const apu = input.apu ?? Buffer.alloc(0);
      const apv = input.apv ?? Buffer.alloc(0);
      if (info.kind === 'ecdh-es')
        return encryptedKey.length === 0 ? concatKDF(z, enc.cekBytes, enc.name, apu, apv) : undefined;
      return aesKeyUnwrap(concatKDF(z, info.kekBytes!, info.name, apu, apv), encryptedKey);
    }
    case 'kw':
      return aesKeyUnwrap(key.secret!, encryptedKey);
    case 'gcmkw': {
      if (input.iv?.length !== 12 || input.tag?.length !== 16) return undefined;
      try {
        const decipher = nodeCrypto().createDecipheriv(
          `aes-${info.kekBytes! * 8}-gcm` as 'aes-256-gcm',
          key.secret!,
          input.iv,
          {
            authTagLength: 16,
          },
        );
        decipher.setAuthTag(input.tag);
        return Buffer.concat([decipher.update(encryptedKey), decipher.final()]);
      } catch {
        return undefined;
      }
    }
    case 'rsa-oaep':
      try {
        return nodeCrypto().privateDecrypt(
          { key: key.keyObject!, padding: nodeCrypto().constants.RSA_PKCS1_OAEP_PADDING, oaepHash: info.hash },
          encryptedKey,
        );
      } catch {
        return undefined;
      }
    case 'pbes2': {
      if (!input.p2s || input.p2s.length < 8 || input.p2c === undefined) return undefined;
      const kek = nodeCrypto().pbkdf2Sync(
        key.secret!,
        Buffer.concat([Buffer.from(info.name, 'utf8'), Buffer.alloc(1), input.p2s]),
        input.p2c,
        info.kekBytes!,
        info.hash!,
      );
      return aesKeyUnwrap(kek, encryptedKey);
    }
  }
}
