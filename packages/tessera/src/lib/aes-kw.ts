// AES Key Wrap (RFC 3394, the A128KW/A192KW/A256KW of RFC 7518 §4.4). Node's OpenSSL has it as the
// `id-aesN-wrap` ciphers, which are used wherever they exist. The Node-compatibility layers of Deno and Bun
// have AES but not those ciphers ("Unknown cipher"), so there the wrap is composed from the runtime's AES
// block operation (ECB, one 16-byte block per step), as RFC 3394 §2.2 defines it and as pyca/cryptography
// builds it over its backend. No cipher is written by hand: AES itself is always the runtime's.
import { Buffer } from 'node:buffer';
import { nodeCrypto } from './node-crypto.js';

const IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const native = new Map<number, boolean>();

function hasNativeWrap(bits: number): boolean {
  let has = native.get(bits);
  if (has === undefined) {
    try {
      nodeCrypto().createCipheriv(`id-aes${bits}-wrap`, Buffer.alloc(bits / 8), IV);
      has = true;
    } catch {
      has = false;
    }
    native.set(bits, has);
  }
  return has;
}

/** True when this runtime can wrap with a key-encryption key of `bits` (natively or over AES-ECB). */
export function canKeyWrap(bits: number): boolean {
  if (hasNativeWrap(bits)) return true;
  try {
    nodeCrypto().createCipheriv(`aes-${bits}-ecb`, Buffer.alloc(bits / 8), null);
    return true;
  } catch {
    return false;
  }
}

/** Wraps `data` (a multiple of 8 bytes, at least 16) under `kek`. */
export function aesKeyWrap(kek: Buffer, data: Buffer): Buffer {
  if (!hasNativeWrap(kek.length * 8)) return wrapOverECB(kek, data);
  const cipher = nodeCrypto().createCipheriv(`id-aes${kek.length * 8}-wrap`, kek, IV);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** Unwraps, or `undefined` when the data is malformed or its integrity check fails. */
export function aesKeyUnwrap(kek: Buffer, data: Buffer): Buffer | undefined {
  if (data.length < 24 || data.length % 8 !== 0) return undefined;
  if (!hasNativeWrap(kek.length * 8)) return unwrapOverECB(kek, data);
  try {
    const decipher = nodeCrypto().createDecipheriv(`id-aes${kek.length * 8}-wrap`, kek, IV);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return undefined;
  }
}

// RFC 3394 §2.2.1, index form: A = IV, R[1..n] = P; for j = 0..5, i = 1..n: B = AES(K, A | R[i]),
// A = MSB64(B) ^ t with t = n·j + i, R[i] = LSB64(B). t never exceeds 6n, so it only touches A's low bytes.
/** Internal (exported for the tests that compare it with OpenSSL's): the composed wrap. */
export function wrapOverECB(kek: Buffer, data: Buffer): Buffer {
  const n = data.length / 8;
  const out = Buffer.alloc(8 + data.length);
  IV.copy(out, 0);
  data.copy(out, 8);
  const cipher = nodeCrypto()
    .createCipheriv(`aes-${kek.length * 8}-ecb`, kek, null)
    .setAutoPadding(false);
  const block = Buffer.alloc(16);
  for (let j = 0; j < 6; j++) {
    for (let i = 1; i <= n; i++) {
      out.copy(block, 0, 0, 8);
      out.copy(block, 8, 8 * i, 8 * i + 8);
      const b = cipher.update(block);
      b.copy(out, 0, 0, 8);
      xorCounter(out, n * j + i);
      b.copy(out, 8 * i, 8, 16);
    }
  }
  return out;
}

// RFC 3394 §2.2.2: the same steps backwards with AES decryption; the result is accepted only when A
// comes back as the IV, compared without an early exit.
/** Internal (exported for the tests): the composed unwrap. */
export function unwrapOverECB(kek: Buffer, data: Buffer): Buffer | undefined {
  if (data.length < 24 || data.length % 8 !== 0) return undefined;
  const n = data.length / 8 - 1;
  const work = Buffer.from(data);
  const decipher = nodeCrypto()
    .createDecipheriv(`aes-${kek.length * 8}-ecb`, kek, null)
    .setAutoPadding(false);
  const block = Buffer.alloc(16);
  for (let j = 5; j >= 0; j--) {
    for (let i = n; i >= 1; i--) {
      xorCounter(work, n * j + i);
      work.copy(block, 0, 0, 8);
      work.copy(block, 8, 8 * i, 8 * i + 8);
      const b = decipher.update(block);
      b.copy(work, 0, 0, 8);
      b.copy(work, 8 * i, 8, 16);
    }
  }
  if (!nodeCrypto().timingSafeEqual(work.subarray(0, 8), IV)) return undefined;
  return work.subarray(8);
}

// A ^= t, t as a 64-bit big-endian integer (t < 2^32 here).
function xorCounter(a: Buffer, t: number): void {
  for (let k = 0; k < 4; k++) a[7 - k] = a[7 - k]! ^ ((t >>> (8 * k)) & 0xff);
}
