// JWE content encryption (RFC 7518 §5): AES-GCM and AES-CBC with HMAC-SHA2, on node:crypto only.
// Decryption returns undefined for every failure, so callers can turn all of them into one
// indistinguishable DecryptionError; the CBC-HMAC tag is checked in constant time before any
// decryption, and GCM tags and IVs must have their exact lengths (no truncated tags).
import { Buffer } from 'node:buffer';
import { nodeCrypto } from './node-crypto.js';

export interface ContentAlgorithm {
  readonly name: string;
  /** CEK length in bytes. */
  readonly cekBytes: number;
  readonly ivBytes: number;
  readonly tagBytes: number;
  readonly mode: 'gcm' | 'cbc-hmac';
  /** CBC-HMAC: the HMAC hash. */
  readonly hash?: 'sha256' | 'sha384' | 'sha512';
}

const table = new Map<string, ContentAlgorithm>();
for (const bits of [128, 192, 256]) {
  table.set(`A${bits}GCM`, { name: `A${bits}GCM`, cekBytes: bits / 8, ivBytes: 12, tagBytes: 16, mode: 'gcm' });
}
for (const [bits, hash] of [
  [128, 'sha256'],
  [192, 'sha384'],
  [256, 'sha512'],
] as const) {
  const name = `A${bits}CBC-HS${hash.slice(3)}`;
  table.set(name, { name, cekBytes: bits / 4, ivBytes: 16, tagBytes: bits / 8, mode: 'cbc-hmac', hash });
}

/** The content encryption algorithms Tessera implements. */
export const CONTENT_ALGORITHMS: readonly string[] = Object.freeze([...table.keys()]);

export function contentAlgorithm(enc: string): ContentAlgorithm | undefined {
  return table.get(enc);
}

export interface Encrypted {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

// RFC 7518 §5.2.2.1: AL is the AAD length in bits as a 64-bit big-endian integer.
function cbcTag(info: ContentAlgorithm, macKey: Buffer, aad: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  const al = Buffer.alloc(8);
  al.writeBigUInt64BE(BigInt(aad.length) * 8n);
  return nodeCrypto()
    .createHmac(info.hash!, macKey)
    .update(aad)
    .update(iv)
    .update(ciphertext)
    .update(al)
    .digest()
    .subarray(0, info.tagBytes);
}

function aesName(bits: number, mode: 'gcm' | 'cbc'): string {
  return `aes-${bits}-${mode}`;
}

// IVs are public and only need to be unpredictable and unique: they are cut from a pool of CSPRNG
// output, refilled 4 KiB at a time into a new buffer (never in place, so an IV handed out is never
// overwritten). One OpenSSL call per ~300 messages instead of one per message. Keys are never pooled.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;
function randomIV(length: number): Buffer {
  if (poolOffset + length > pool.length) {
    pool = nodeCrypto().randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    poolOffset = 0;
  }
  const iv = pool.subarray(poolOffset, poolOffset + length);
  poolOffset += length;
  return iv;
}

// GCM's final() returns nothing: skip the copy Buffer.concat would make.
function joined(head: Buffer, tail: Buffer): Buffer {
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}

/** Encrypts `plaintext` under `cek` with a fresh random IV. */
export function encryptContent(info: ContentAlgorithm, cek: Buffer, plaintext: Buffer, aad: Buffer): Encrypted {
  const iv = randomIV(info.ivBytes);
  if (info.mode === 'gcm') {
    const cipher = nodeCrypto().createCipheriv(aesName(info.cekBytes * 8, 'gcm') as 'aes-256-gcm', cek, iv, {
      authTagLength: 16,
    });
    cipher.setAAD(aad);
    const ciphertext = joined(cipher.update(plaintext), cipher.final());
    return { iv, ciphertext, tag: cipher.getAuthTag() };
  }
  const half = info.cekBytes / 2;
  const macKey = cek.subarray(0, half);
  const encKey = cek.subarray(half);
  const cipher = nodeCrypto().createCipheriv(aesName(half * 8, 'cbc'), encKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cbcTag(info, macKey, aad, iv, ciphertext) };
}

/** Decrypts, or returns undefined for any failure (wrong lengths, tag mismatch, padding). */
export function decryptContent(
  info: ContentAlgorithm,
  cek: Buffer,
  iv: Buffer,
  ciphertext: Buffer,
  tag: Buffer,
  aad: Buffer,
): Buffer | undefined {
  if (cek.length !== info.cekBytes || iv.length !== info.ivBytes || tag.length !== info.tagBytes) return undefined;
  try {
    if (info.mode === 'gcm') {
      const decipher = nodeCrypto().createDecipheriv(aesName(info.cekBytes * 8, 'gcm') as 'aes-256-gcm', cek, iv, {
        authTagLength: 16,
      });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return joined(decipher.update(ciphertext), decipher.final());
    }
    const half = info.cekBytes / 2;
    // Authenticate first (RFC 7518 §5.2.2.2): a padding oracle needs decryption of forged input.
    if (!nodeCrypto().timingSafeEqual(cbcTag(info, cek.subarray(0, half), aad, iv, ciphertext), tag)) return undefined;
    const decipher = nodeCrypto().createDecipheriv(aesName(half * 8, 'cbc'), cek.subarray(half), iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}
