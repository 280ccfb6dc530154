// The web build's lib/utf8.ts (same exports): bytes are Uint8Arrays here, and TextDecoder is the decoder.
const strictUTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 bytes, refusing malformed sequences. */
export function decodeUTF8(bytes: Uint8Array): string | undefined {
  try {
    return strictUTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
