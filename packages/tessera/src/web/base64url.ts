// The web build's lib/base64url.ts (same exports, same strictness): canonical base64url only — no padding,
// no character outside the URL-safe alphabet, no non-zero stray bits — without Buffer.
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// The sextet of each byte, -1 outside the alphabet. Computed from DIGITS rather than spelt out.
const SEXTETS = /* @__PURE__ */ (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 64; i++) table[DIGITS.charCodeAt(i)] = i;
  return table;
})();

const encoder = new TextEncoder();
// The characters of the text being decoded, as bytes: TextEncoder#encodeInto copies them natively, and the
// loop then reads a typed array instead of calling charCodeAt (2x faster on Node and Deno, 1.4x on Bun).
// Reused for token-sized text, and wiped after each use so no key material (a JWK's "d") stays behind.
const SCRATCH_MAX = 8192;
let scratch = new Uint8Array(1024);

/** True when `s` is the canonical base64url encoding of some byte string. */
export function isCanonicalBase64url(s: string): boolean {
  return decodeBase64url(s) !== undefined;
}

/** Decodes canonical base64url; returns `undefined` for anything else. */
export function decodeBase64url(s: string): Uint8Array | undefined {
  const n = s.length;
  const rest = n & 3;
  if (rest === 1) return undefined;
  if (n > scratch.length) {
    if (n > SCRATCH_MAX) return decodeBytes(encoder.encode(s), n, rest);
    scratch = new Uint8Array(SCRATCH_MAX);
  }
  const text = scratch;
  // Anything outside ASCII takes more than one byte, so `written` exceeds `n` or `read` falls short of it.
  const { read, written } = encoder.encodeInto(s, text);
  const bytes = read === n && written === n ? decodeBytes(text, n, rest) : undefined;
  text.fill(0, 0, written);
  return bytes;
}

// Decodes the first `n` bytes of `text` (ASCII codes); `undefined` if one is outside the alphabet or the
// final partial quantum has non-zero unused bits (a second spelling of the same bytes, which the Node
// build refuses too).
function decodeBytes(text: Uint8Array, n: number, rest: number): Uint8Array | undefined {
  const out = new Uint8Array((n * 3) >> 2);
  const full = n - rest;
  let bad = 0; // every sextet OR-ed: negative when one is -1
  let j = 0;
  for (let i = 0; i < full; i += 4) {
    const v0 = SEXTETS[text[i]!]!;
    const v1 = SEXTETS[text[i + 1]!]!;
    const v2 = SEXTETS[text[i + 2]!]!;
    const v3 = SEXTETS[text[i + 3]!]!;
    bad |= v0 | v1 | v2 | v3;
    const bits = (v0 << 18) | (v1 << 12) | (v2 << 6) | v3;
    out[j++] = bits >> 16; // a Uint8Array keeps the low 8 bits
    out[j++] = bits >> 8;
    out[j++] = bits;
  }
  if (rest !== 0) {
    const v0 = SEXTETS[text[full]!]!;
    const v1 = SEXTETS[text[full + 1]!]!;
    bad |= v0 | v1;
    out[j++] = (v0 << 2) | (v1 >> 4);
    if (rest === 2) bad |= -(v1 & 0x0f);
    else {
      const v2 = SEXTETS[text[full + 2]!]!;
      bad |= v2 | -(v2 & 0x03);
      out[j] = (v1 << 4) | (v2 >> 2);
    }
  }
  return bad < 0 ? undefined : out;
}

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
