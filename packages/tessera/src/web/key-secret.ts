// HMAC secrets given as text or bytes, told apart from key text as the Node entry does (lib/keys.ts): a PEM
// block anywhere, an OpenSSH public key anywhere, or JSON is key text and never a secret (RFC 8725 §2.1,
// CVE-2015-9235, CVE-2022-29217). Key text goes to the readers of key-text.ts, which are loaded only then
// (`import()`): a bundler that splits chunks leaves ~17 kB of PEM, DER, PKCS#8 and OpenSSH code out of the
// initial chunk of an app whose keys are secrets, JWKs or CryptoKeys.
import { InvalidKeyError } from '../errors.js';
import type { AlgorithmInfo } from '../lib/algorithms.js';
import { type KeyText, looksLikeKeyText, latin1, type PassphraseKeyInput } from './key-classify.js';

export { looksLikeKeyText, type PassphraseKeyInput } from './key-classify.js';

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
