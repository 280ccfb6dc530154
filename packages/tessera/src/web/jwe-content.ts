// JWE content encryption over crypto.subtle (RFC 7518 §5): AES-GCM and AES-CBC with HMAC-SHA2, and raw
// DEFLATE for "zip": "DEF" over CompressionStream/DecompressionStream. As on Node, decryption resolves to
// undefined for every failure (the caller turns them all into one DecryptionError), the CBC-HMAC tag is
// checked in constant time before anything is decrypted, and tags and IVs must have their exact lengths.
import { unavailable } from './keys.js';

/** Internal: one content encryption algorithm. */
export interface WebContentAlgorithm {
  readonly name: string;
  /** CEK length in bytes. */
  readonly cekBytes: number;
  readonly ivBytes: number;
  readonly tagBytes: number;
  readonly mode: 'gcm' | 'cbc-hmac';
  /** CBC-HMAC: the HMAC hash ("SHA-256", …). */
  readonly hash?: string;
}

// Built in a pure function, so that a bundle that never encrypts drops the table (tree-shaking).
const table = /* @__PURE__ */ (() => {
  const out = new Map<string, WebContentAlgorithm>();
  for (const bits of [128, 192, 256])
    out.set(`A${bits}GCM`, { name: `A${bits}GCM`, cekBytes: bits / 8, ivBytes: 12, tagBytes: 16, mode: 'gcm' });
  for (const [bits, sha] of [
    [128, 256],
    [192, 384],
    [256, 512],
  ] as const) {
    const name = `A${bits}CBC-HS${sha}`;
    out.set(name, { name, cekBytes: bits / 4, ivBytes: 16, tagBytes: bits / 8, mode: 'cbc-hmac', hash: `SHA-${sha}` });
  }
  return out;
})();

/** Internal: the content encryption algorithms (the Node entry's list). */
export const WEB_CONTENT_ALGORITHMS: readonly string[] = /* @__PURE__ */ (() => Object.freeze([...table.keys()]))();

/** Internal: the algorithm named `enc`, if Tessera implements it. */
export function webContentAlgorithm(enc: string): WebContentAlgorithm | undefined {
  return table.get(enc);
}

type Key = object;
interface ContentSubtle {
  importKey(format: 'raw', data: Uint8Array, params: object, extractable: boolean, usages: string[]): Promise<Key>;
  encrypt(params: object, key: Key, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(params: object, key: Key, data: Uint8Array): Promise<ArrayBuffer>;
  sign(params: object, key: Key, data: Uint8Array): Promise<ArrayBuffer>;
}
const subtle = (): ContentSubtle => (globalThis.crypto as unknown as { subtle: ContentSubtle }).subtle;

/** Internal: `length` bytes from the runtime's CSPRNG. */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** Internal: the concatenation of `parts`. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Internal: compares without an early exit (the time does not depend on where the inputs differ). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Internal: imports an AES key; a key size this runtime's crypto.subtle lacks (Chromium has no 192-bit
 * AES) is a typed InvalidAlgorithmError naming the algorithm and the runtime, never a crash.
 */
export async function importAES(
  name: 'AES-GCM' | 'AES-CBC' | 'AES-KW',
  raw: Uint8Array,
  usages: string[],
  algorithm: string,
): Promise<Key> {
  try {
    return await subtle().importKey('raw', raw, { name }, false, usages);
  } catch (err) {
    if (raw.length === 24) throw unavailable(algorithm, '192-bit AES');
    throw err;
  }
}

// RFC 7518 §5.2.2.1: HMAC over AAD || IV || ciphertext || AL (the AAD length in bits, 64-bit big-endian).
async function cbcTag(
  info: WebContentAlgorithm,
  macKey: Uint8Array,
  aad: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  const al = new Uint8Array(8);
  new DataView(al.buffer).setBigUint64(0, BigInt(aad.length) * 8n);
  const key = await subtle().importKey('raw', macKey, { name: 'HMAC', hash: info.hash }, false, ['sign']);
  const mac = await subtle().sign({ name: 'HMAC' }, key, concatBytes(aad, iv, ciphertext, al));
  return new Uint8Array(mac, 0, info.tagBytes);
}

/** Internal: the encrypted content. */
export interface WebEncrypted {
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/** Internal: encrypts `plaintext` under `cek` with a fresh random IV. */
export async function encryptContent(
  info: WebContentAlgorithm,
  cek: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<WebEncrypted> {
  const iv = randomBytes(info.ivBytes);
  if (info.mode === 'gcm') {
    const key = await importAES('AES-GCM', cek, ['encrypt'], info.name);
    const out = new Uint8Array(
      await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, plaintext),
    );
    return { iv, ciphertext: out.slice(0, out.length - 16), tag: out.slice(out.length - 16) };
  }
  const half = info.cekBytes / 2;
  const key = await importAES('AES-CBC', cek.subarray(half), ['encrypt'], info.name);
  const ciphertext = new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv }, key, plaintext));
  return { iv, ciphertext, tag: await cbcTag(info, cek.subarray(0, half), aad, iv, ciphertext) };
}

/**
 * Internal: decrypts, or resolves to undefined for any failure (wrong lengths, tag mismatch, padding).
 * A primitive the runtime lacks is the one error that escapes: it is a property of the algorithm, not
 * of the key or the token's bytes.
 */
export async function decryptContent(
  info: WebContentAlgorithm,
  cek: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (cek.length !== info.cekBytes || iv.length !== info.ivBytes || tag.length !== info.tagBytes) return undefined;
  if (info.mode === 'gcm') {
    const key = await importAES('AES-GCM', cek, ['decrypt'], info.name);
    try {
      return new Uint8Array(
        await subtle().decrypt(
          { name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 },
          key,
          concatBytes(ciphertext, tag),
        ),
      );
    } catch {
      return undefined;
    }
  }
  const half = info.cekBytes / 2;
  const key = await importAES('AES-CBC', cek.subarray(half), ['decrypt'], info.name);
  // Authenticate first (RFC 7518 §5.2.2.2): a padding oracle needs decryption of forged input.
  if (!constantTimeEqual(await cbcTag(info, cek.subarray(0, half), aad, iv, ciphertext), tag)) return undefined;
  try {
    return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv }, key, ciphertext));
  } catch {
    return undefined;
  }
}

interface Streams {
  CompressionStream?: new (format: string) => { readable: unknown; writable: unknown };
  DecompressionStream?: new (format: string) => { readable: unknown; writable: unknown };
}
interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}
interface ByteWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

function transform(kind: 'CompressionStream' | 'DecompressionStream'): {
  writer: ByteWriter;
  reader: ByteReader;
} {
  const Stream = (globalThis as Streams)[kind];
  if (Stream === undefined) throw unavailable('zip "DEF"', kind);
  let stream: { readable: unknown; writable: unknown };
  try {
    stream = new Stream('deflate-raw');
  } catch {
    throw unavailable('zip "DEF"', `${kind}("deflate-raw")`);
  }
  return {
    writer: (stream.writable as { getWriter(): ByteWriter }).getWriter(),
    reader: (stream.readable as { getReader(): ByteReader }).getReader(),
  };
}

/** Internal: raw DEFLATE of `data`. */
export async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const { writer, reader } = transform('CompressionStream');
  const written = writer.write(data).then(() => writer.close());
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value!);
  }
  await written;
  return concatBytes(...chunks);
}

/**
 * Internal: inflates raw DEFLATE, stopping as soon as the output passes `maxOutputLength` bytes (a zip
 * bomb is never inflated past the cap); undefined when corrupt or too large.
 */
export async function inflateRaw(data: Uint8Array, maxOutputLength: number): Promise<Uint8Array | undefined> {
  const { writer, reader } = transform('DecompressionStream');
  // The write side fails too when the input is corrupt or the read side is cancelled: observed below.
  const written = writer
    .write(data)
    .then(() => writer.close())
    .then(
      () => true,
      () => false,
    );
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value!.length;
      if (total > maxOutputLength) {
        await reader.cancel().catch(() => {});
        await writer.abort().catch(() => {});
        await written;
        return undefined;
      }
      chunks.push(value!);
    }
  } catch {
    await written;
    return undefined;
  }
  return (await written) ? concatBytes(...chunks) : undefined;
}
