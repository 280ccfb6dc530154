// HMAC secrets given as text or bytes, told apart from key text as the Node entry does (lib/keys.ts): a PEM
// block anywhere, an OpenSSH public key anywhere, or JSON is key text and never a secret (RFC 8725 §2.1,
// CVE-2015-9235, CVE-2022-29217). Key text goes to the readers of key-text.ts, which are loaded only then
// (`import()`): a bundler that splits chunks leaves ~17 kB of PEM, DER, PKCS#8 and OpenSSH code out of the
// initial chunk of an app whose keys are secrets, JWKs or CryptoKeys.
import { InvalidKeyError } from '../errors.js';
import type { AlgorithmInfo } from '../lib/algorithms.js';
import { SSH_KEY_ANYWHERE } from '../lib/ssh-patterns.js';
import type { KeyText } from './key-text.js';

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

/** Internal: classifies and parses a string, byte or `{ key, passphrase }` key, loading the readers for key text. */
export async function readKeyText(input: string | Uint8Array | PassphraseKeyInput): Promise<KeyText> {
  if (typeof input === 'string' && !looksLikeKeyText(input))
    return { kind: 'secret', bytes: new TextEncoder().encode(input) };
  if (input instanceof Uint8Array && !looksLikeKeyText(latin1(input))) return { kind: 'secret', bytes: input };
  return (await import('./key-text.js')).parseKeyText(input);
}

/** Internal: the Node entry's HMAC secret rules and messages. */
export function assertSecretFits(bytes: Uint8Array, info: AlgorithmInfo, allowWeakKeys: boolean): void {
  const alg = info.name;
  if (info.family !== 'HS') throw new InvalidKeyError(`${alg} needs an asymmetric key, but a shared secret was given`);
  if (bytes.length === 0) throw new InvalidKeyError(`${alg} secret is empty`);
  if (bytes.length < info.minSecretBytes! && !allowWeakKeys)
    throw new InvalidKeyError(
      `${alg} needs a secret of at least ${info.minSecretBytes} bytes (got ${bytes.length}); generate one with ` +
        `crypto.getRandomValues(new Uint8Array(${info.minSecretBytes})) or \`openssl rand -base64 ${info.minSecretBytes}\`, or pass allowWeakKeys: true`,
    );
}
