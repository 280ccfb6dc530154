// Raw DEFLATE for JWE "zip": "DEF" (RFC 7516 §4.1.3). node:zlib (and the streams it pulls in) costs about 5 ms
// to load, and almost no token is compressed, so it is loaded on first use instead of with the library.
import { createRequire } from 'node:module';

type Zlib = typeof import('node:zlib');
let zlib: Zlib | undefined;
const load = (): Zlib => {
  zlib ??= createRequire(import.meta.url)('node:zlib') as Zlib;
  return zlib;
};

/** Compresses `data` with raw DEFLATE. */
export function deflateRaw(data: Uint8Array): Buffer {
  return load().deflateRawSync(data);
}

/** Decompresses raw DEFLATE, refusing output over `maxOutputLength` bytes (a zip bomb is an error). */
export function inflateRaw(data: Uint8Array, maxOutputLength: number): Buffer {
  return load().inflateRawSync(data, { maxOutputLength });
}
