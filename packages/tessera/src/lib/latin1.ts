// Bytes as a "binary" string (one character per byte, U+0000–U+00FF) and back, without Buffer: the JWS
// signing input of a JSON, detached or unencoded (RFC 7797) JWS is carried this way on both builds, since
// node:crypto takes it as a latin1 string and crypto.subtle as the bytes.

const utf8 = new TextEncoder();

/** The UTF-8 bytes of `text`. */
export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** One character per byte. */
export function latin1Text(bytes: Uint8Array): string {
  let out = '';
  // Chunked: String.fromCharCode takes its bytes as arguments, and engines cap the argument count.
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return out;
}

/** The bytes of a string made by {@link latin1Text} (or of ASCII text). */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
