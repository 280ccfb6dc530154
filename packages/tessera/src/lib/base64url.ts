// Strict base64url (RFC 7515 §2, RFC 4648 §5 without padding). Wycheproof and RFC 7515 §C require that
// only the canonical encoding is accepted: no padding, no characters outside the URL-safe alphabet, and
// no non-zero "stray" bits in the last character — otherwise one signature has many textual forms.
import { Buffer } from 'node:buffer';

const ALPHABET = /^[A-Za-z0-9_-]*$/;

// Values of the last character are only needed for the stray-bit check.
function sextet(c: number): number {
  if (c >= 65 && c <= 90) return c - 65; // A-Z
  if (c >= 97 && c <= 122) return c - 71; // a-z
  if (c >= 48 && c <= 57) return c + 4; // 0-9
  return c === 45 ? 62 : 63; // '-' or '_'
}

/** True when `s` is the canonical base64url encoding of some byte string. */
export function isCanonicalBase64url(s: string): boolean {
  if (!ALPHABET.test(s)) return false;
  const rem = s.length & 3;
  if (rem === 0) return true;
  if (rem === 1) return false;
  const last = sextet(s.charCodeAt(s.length - 1));
  // 2 chars carry 8 bits (4 stray), 3 chars carry 16 bits (2 stray).
  return rem === 2 ? (last & 0x0f) === 0 : (last & 0x03) === 0;
}

/**
 * Decodes canonical base64url; returns `undefined` for anything else. Equivalent to
 * `isCanonicalBase64url(s) ? Buffer.from(s, 'base64url') : undefined`, but cheaper on long segments:
 * node's decoder skips characters outside its alphabet, so for an ASCII string the decoded length
 * falls short of ⌊3n/4⌋ exactly when some character was not base64; '+' and '/' (which node also
 * accepts) are ruled out separately. Non-ASCII text is refused first, because node truncates UTF-16
 * code units to one byte ('ń' would decode as 'D').
 */
export function decodeBase64url(s: string): Buffer | undefined {
  const n = s.length;
  const rem = n & 3;
  if (rem === 1 || Buffer.byteLength(s, 'utf8') !== n || s.indexOf('+') !== -1 || s.indexOf('/') !== -1)
    return undefined;
  const bytes = Buffer.from(s, 'base64url');
  if (bytes.length !== (n * 3) >>> 2) return undefined;
  if (rem !== 0) {
    const last = sextet(s.charCodeAt(n - 1));
    if ((rem === 2 ? last & 0x0f : last & 0x03) !== 0) return undefined;
  }
  return bytes;
}

/** Encodes bytes or a UTF-8 string as base64url without padding. */
export function encodeBase64url(input: string | Uint8Array): string {
  return (
    typeof input === 'string'
      ? Buffer.from(input, 'utf8')
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  ).toString('base64url');
}
