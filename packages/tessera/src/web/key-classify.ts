// What a string or byte key may be, shared by key-secret.ts (loaded with the verifier) and key-text.ts (loaded on
// demand): PEM text, an OpenSSH public key or JSON is key text and never an HMAC secret (RFC 8725 §2.1).
import { SSH_KEY_ANYWHERE } from '../lib/ssh-patterns.js';
import type { JWK } from '../types.js';
import type { ParsedKey } from './pem.js';

/** Internal: a string or byte key, classified. */
export type KeyText =
  | { readonly kind: 'secret'; readonly bytes: Uint8Array }
  | { readonly kind: 'jwk'; readonly jwk: JWK }
  | { readonly kind: 'key'; readonly key: ParsedKey };

/** An encrypted private key and its passphrase, as the Node entry takes it. */
export interface PassphraseKeyInput {
  /** PEM text (`ENCRYPTED PRIVATE KEY`) or DER bytes of an EncryptedPrivateKeyInfo. */
  readonly key: string | Uint8Array;
  /** The passphrase (text is UTF-8 encoded). */
  readonly passphrase: string | Uint8Array;
}

/** Internal: the start of a PEM block. */
export const PEM_BEGIN = '-----BEGIN ';

/** Internal: bytes as one character each (how key bytes are searched for text). */
export const latin1 = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return out;
};

/** Internal: true when text may be key text (then it is never an HMAC secret). */
export function looksLikeKeyText(text: string): boolean {
  if (text.includes(PEM_BEGIN) || SSH_KEY_ANYWHERE.test(text)) return true;
  const first = text.replace(/^(?:\s|\u00EF\u00BB\u00BF|\uFEFF)+/, '').charCodeAt(0);
  return first === 0x7b /* { */ || first === 0x5b /* [ */;
}
