// Strict UTF-8 decoding of JOSE segments: malformed sequences are refused, never replaced. One of the two
// platform modules of the core (with base64url.ts): the web build swaps it for web/utf8.ts.
import type { Buffer } from 'node:buffer';

const REPLACEMENT_CHAR = '\uFFFD';
const strictUTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 bytes, refusing malformed sequences (Buffer#toString would silently replace them). */
export function decodeUTF8(bytes: Buffer): string | undefined {
  // Buffer#toString is the fast path; only text that has a replacement character needs the strict check.
  const text = bytes.toString('utf8');
  if (text.indexOf(REPLACEMENT_CHAR) === -1) return text;
  try {
    return strictUTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
