// The JWE decryption machinery shared by decryptJWE and decryptJWT: options compiled once, the
// recipients this caller may try, and decryption once each recipient's key is known.
import { Buffer } from 'node:buffer';
import { nodeCrypto } from './node-crypto.js';
import { inflateRaw } from './deflate.js';
import { normalizeMaxJSONDepth } from './json.js';
import { DecodeError, DecryptionError, InvalidAlgorithmError, InvalidKeyError, NoMatchingKeyError } from '../errors.js';
import { isNoneAlgorithm } from './algorithms.js';
import { decodeBase64url } from './base64url.js';
import { isResolver } from './jws.js';
import { joseHeader, type ParsedJWE, type ParsedRecipient, parseJWE } from './jwe.js';
import { CONTENT_ALGORITHMS, contentAlgorithm, decryptContent } from './jwe-content.js';
import {
  assertJWEKeyFits,
  DEFAULT_P2C,
  KEY_MANAGEMENT_ALGORITHMS,
  keyManagementAlgorithm,
  unwrapCEK,
} from './jwe-keys.js';
import { keyTypeMismatch } from './key-types.js';
import { asKeySet, isKeySet, type KeySetLike } from './key-set.js';
import { type PreparedKey, prepareKey } from './keys.js';
import type { ImportedKey, JWEHeader, JWK, KeyInput, KeyResolver } from '../types.js';
import type { DecryptedJWE, DecryptJWEOptions } from '../types.js';

const DEFAULT_MAX_JWE_LENGTH = 64 * 1024;
const DEFAULT_MAX_INFLATE = 256 * 1024;
const FAILED = 'JWE decryption failed';

/** Internal: decrypt options validated once. */
export interface CompiledDecrypt {
  readonly alg: ReadonlySet<string>;
  readonly enc: ReadonlySet<string>;
  readonly crit: ReadonlySet<string>;
  readonly maxPbes2Count: number;
  readonly maxDecompressedBytes: number;
  readonly maxTokenLength: number;
  /** The deepest JSON nesting accepted in the protected header. */
  readonly maxJSONDepth: number;
  readonly allowWeakKeys: boolean;
}

function list(value: unknown, name: string, known: readonly string[]): Set<string> {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string'))
    throw new TypeError(`"${name}" option must be a non-empty array of strings`);
  for (const v of value as string[]) {
    if (isNoneAlgorithm(v)) throw new TypeError(`"${name}" may not contain "none"`);
    if (v === 'RSA1_5')
      throw new TypeError(
        '"RSA1_5" is not supported: RSAES-PKCS1-v1_5 decryption is a padding oracle (RFC 8725 §3.2); use RSA-OAEP-256',
      );
    if (!known.includes(v))
      throw new TypeError(`"${name}" contains an unsupported algorithm; supported: ${known.join(', ')}`);
  }
  return new Set(value as string[]);
}

function positive(value: unknown, name: string, dflt: number): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new TypeError(`"${name}" option must be a positive integer`);
  return value;
}

/** Validates decrypt options; the key may supply the `alg` allowlist. */
export function compileDecryptOptions(options: DecryptJWEOptions, key: unknown): CompiledDecrypt {
  if (options === null || typeof options !== 'object')
    throw new TypeError('options must be an object with "keyManagementAlgorithms"');
  let algs: unknown = options.keyManagementAlgorithms;
  if (algs === undefined) {
    const bound =
      key !== null && typeof key === 'object' && !isKeySet(key) && typeof (key as JWK).kty === 'string'
        ? (key as JWK).alg
        : undefined;
    if (typeof bound === 'string' && contentAlgorithm(bound)) {
      // A secret generated for a content algorithm: "dir" with exactly that enc.
      return compileDecryptOptions(
        {
          ...options,
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: options.contentEncryptionAlgorithms ?? [bound],
        },
        undefined,
      );
    }
    if (typeof bound !== 'string' || !keyManagementAlgorithm(bound) || bound.startsWith('PBES2')) {
      throw new TypeError(
        '"keyManagementAlgorithms" option is required: list the JWE "alg" values you expect, e.g. { keyManagementAlgorithms: [\'ECDH-ES+A256KW\'] }',
      );
    }
    algs = [bound];
  }
  const crit = options.crit ?? [];
  if (!Array.isArray(crit) || !crit.every((c) => typeof c === 'string'))
    throw new TypeError('"crit" option must be an array of strings');
  if (options.allowWeakKeys !== undefined && typeof options.allowWeakKeys !== 'boolean')
    throw new TypeError('"allowWeakKeys" option must be a boolean');
  return {
    alg: list(algs, 'keyManagementAlgorithms', KEY_MANAGEMENT_ALGORITHMS),
    enc: list(
      options.contentEncryptionAlgorithms ?? CONTENT_ALGORITHMS,
      'contentEncryptionAlgorithms',
      CONTENT_ALGORITHMS,
    ),
    crit: new Set(crit as string[]),
    maxPbes2Count: positive(options.maxPbes2Count, 'maxPbes2Count', DEFAULT_P2C),
    maxDecompressedBytes: positive(options.maxDecompressedBytes, 'maxDecompressedBytes', DEFAULT_MAX_INFLATE),
    maxTokenLength: positive(options.maxTokenLength, 'maxTokenLength', DEFAULT_MAX_JWE_LENGTH),
    maxJSONDepth: normalizeMaxJSONDepth(options.maxJSONDepth),
    allowWeakKeys: options.allowWeakKeys === true,
  };
}

interface Attempt {
  readonly recipient: ParsedRecipient;
  readonly header: JWEHeader;
}

/** The recipients this caller may decrypt: their headers are well-formed and their algorithms allowed. */
function attempts(parsed: ParsedJWE, c: CompiledDecrypt): Attempt[] {
  const allowed: Attempt[] = [];
  let refused = false;
  for (const recipient of parsed.recipients) {
    const header = joseHeader(parsed, recipient, c.crit);
    // With "dir" and ECDH-ES direct agreement the CEK is the shared key itself, so it cannot be shared
    // with another recipient: such a JWE is malformed whatever this caller allows (RFC 7516 §7.2.1,
    // RFC 7518 §4.5, §4.6).
    if (parsed.recipients.length > 1 && (header.alg === 'dir' || header.alg === 'ECDH-ES')) {
      throw new DecodeError(
        `a JWE with several recipients cannot use "${header.alg}" (the content encryption key would be one recipient's own key)`,
      );
    }
    if (isNoneAlgorithm(header.alg) || !c.alg.has(header.alg) || !c.enc.has(header.enc)) {
      refused = true;
      continue;
    }
    if (header.p2c !== undefined && header.p2c > c.maxPbes2Count) {
      throw new DecryptionError(`JWE "p2c" exceeds maxPbes2Count (${c.maxPbes2Count})`);
    }
    allowed.push({ recipient, header });
  }
  if (allowed.length === 0) {
    throw new InvalidAlgorithmError(
      refused ? 'JWE "alg" or "enc" header parameter value is not allowed' : 'JWE has no recipient',
    );
  }
  return allowed;
}

function fitsForDecrypt(key: ImportedKey, header: JWEHeader): boolean {
  if (key.type === 'public' || key.use === 'sig') return false;
  if (
    key.keyOps !== undefined &&
    !key.keyOps.some((op) => op === 'decrypt' || op === 'unwrapKey' || op === 'deriveKey' || op === 'deriveBits')
  )
    return false;
  if (key.alg !== undefined && key.alg !== header.alg) return false;
  if (header.kid !== undefined && key.kid !== header.kid) return false;
  return keyTypeMismatch(header.alg, key.kty, key.crv) === undefined;
}

function keysFor(key: PreparedKey | KeySetLike, header: JWEHeader): PreparedKey[] {
  if (!isKeySet(key)) return [key];
  return key.keys
    .filter((k) => fitsForDecrypt(k, header))
    .slice(0, 8)
    .map((k) => prepareKey(k));
}

function b64(value: unknown): Buffer | undefined {
  return typeof value === 'string' ? decodeBase64url(value) : undefined;
}

/** Decrypts with one recipient and key; undefined on any cryptographic failure. */
function tryDecrypt(parsed: ParsedJWE, attempt: Attempt, key: PreparedKey, c: CompiledDecrypt): Buffer | undefined {
  const { header } = attempt;
  const info = keyManagementAlgorithm(header.alg)!;
  const enc = contentAlgorithm(header.enc)!;
  assertJWEKeyFits(key, info, 'decrypt', enc, c.allowWeakKeys);
  let cek = unwrapCEK(info, key, enc, {
    encryptedKey: attempt.recipient.encryptedKey,
    epk: header.epk,
    apu: b64(header.apu),
    apv: b64(header.apv),
    iv: b64(header.iv),
    tag: b64(header.tag),
    p2s: b64(header.p2s),
    p2c: header.p2c,
  });
  // A wrong or malformed CEK continues with a random one, so unwrapping failures and tag failures
  // take the same path and look the same (RFC 7516 §11.5).
  if (cek === undefined || cek.length !== enc.cekBytes) cek = nodeCrypto().randomBytes(enc.cekBytes);
  const aad = Buffer.from(
    parsed.aadSegment === undefined ? parsed.protectedSegment : `${parsed.protectedSegment}.${parsed.aadSegment}`,
    'ascii',
  );
  const plaintext = decryptContent(enc, cek, parsed.iv, parsed.ciphertext, parsed.tag, aad);
  if (plaintext === undefined || header.zip === undefined) return plaintext;
  try {
    return inflateRaw(plaintext, c.maxDecompressedBytes);
  } catch {
    return undefined; // corrupt, or a decompression bomb past maxDecompressedBytes
  }
}

function result(parsed: ParsedJWE, header: JWEHeader, plaintext: Buffer): DecryptedJWE {
  const out: DecryptedJWE = {
    plaintext: new Uint8Array(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength),
    protectedHeader: (parsed.protectedHeader ?? {}) as JWEHeader,
    header,
  };
  if (parsed.unprotected) out.unprotectedHeader = parsed.unprotected;
  if (parsed.aadSegment !== undefined)
    out.additionalAuthenticatedData = new Uint8Array(decodeBase64url(parsed.aadSegment)!);
  return out;
}

/** Internal: decryption once the key (or set) for each recipient is known. */
export function decryptParsed(
  parsed: ParsedJWE,
  list: Attempt[],
  keyFor: (a: Attempt) => PreparedKey | KeySetLike,
  c: CompiledDecrypt,
): DecryptedJWE {
  // maxPbes2Count bounds the PBKDF2 work of a whole token, not of each try: several PBES2 recipients
  // times several keys of a set would multiply it.
  let pbes2Work = 0;
  for (const attempt of list) {
    if (attempt.header.p2c !== undefined && attempt.header.alg.startsWith('PBES2'))
      pbes2Work += attempt.header.p2c * keysFor(keyFor(attempt), attempt.header).length;
  }
  if (pbes2Work > c.maxPbes2Count)
    throw new DecryptionError(
      `JWE "p2c" exceeds maxPbes2Count (${c.maxPbes2Count}) for the recipients and keys to try`,
    );
  let tried = 0;
  let keyError: unknown;
  for (const attempt of list) {
    for (const key of keysFor(keyFor(attempt), attempt.header)) {
      let plaintext: Buffer | undefined;
      try {
        plaintext = tryDecrypt(parsed, attempt, key, c);
      } catch (err) {
        // A key that does not fit this recipient (wrong type, size, use) — another recipient may fit.
        if (list.length === 1 && !isKeySet(keyFor(attempt))) throw err;
        keyError ??= err;
        continue;
      }
      tried++;
      if (plaintext !== undefined) return result(parsed, attempt.header, plaintext);
    }
  }
  if (tried === 0) {
    // Several recipients and none for this key: name them all rather than the first one's complaint.
    if (keyError instanceof InvalidKeyError && list.length > 1) {
      throw new InvalidKeyError(
        `the key fits none of the JWE's recipients (${[...new Set(list.map((a) => a.header.alg))].join(', ')})`,
        { cause: keyError },
      );
    }
    throw keyError ?? new NoMatchingKeyError('no key fits any recipient of the JWE');
  }
  throw new DecryptionError(FAILED);
}

/** Internal: parse + header checks. */
export function prepareDecrypt(jwe: unknown, c: CompiledDecrypt): { parsed: ParsedJWE; list: Attempt[] } {
  const parsed = parseJWE(jwe, c.maxTokenLength, c.maxJSONDepth);
  return { parsed, list: attempts(parsed, c) };
}

/** Internal: resolves the key of each recipient (static, set, or resolver) and decrypts. */
export function decryptWith(jwe: unknown, key: unknown, c: CompiledDecrypt): DecryptedJWE | Promise<DecryptedJWE> {
  const { parsed, list } = prepareDecrypt(jwe, c);
  if (isResolver(key)) {
    return (async () => {
      const keys = new Map<Attempt, PreparedKey | KeySetLike>();
      for (const attempt of list) {
        const resolved = await (key as KeyResolver)(
          attempt.header,
          typeof jwe === 'string' ? jwe : JSON.stringify(jwe),
        );
        keys.set(attempt, asKeySet(resolved) ?? prepareKey(resolved as KeyInput));
      }
      return decryptParsed(parsed, list, (a) => keys.get(a)!, c);
    })();
  }
  const prepared = asKeySet(key) ?? prepareKey(key as KeyInput);
  return decryptParsed(parsed, list, () => prepared, c);
}
