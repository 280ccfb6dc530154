// The web build's lib/base64url.ts (same exports, same strictness): canonical base64url only — no padding,
// no character outside the URL-safe alphabet, no non-zero stray bits — over atob/btoa instead of Buffer.
const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** True when `s` is the canonical base64url encoding of some byte string. */
export function isCanonicalBase64url(s: string): boolean {
  return ALPHABET.test(s) && decodeBase64url(s) !== undefined;
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
  // Non-zero unused bits make a second spelling of the same bytes: refuse it, as the Node build does.
  return encodeBase64url(bytes) === s ? bytes : undefined;
}

const encoder = new TextEncoder();

/** Encodes bytes or a UTF-8 string as base64url without padding. */
export function encodeBase64url(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
