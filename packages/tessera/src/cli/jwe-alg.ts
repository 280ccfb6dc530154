// --alg / --enc for encrypt and decrypt: JWE key management and content encryption algorithm names,
// checked before any key is read, with a suggestion; "none" and RSA1_5 are refused with the reason.
// Also the key management algorithm a key implies, and the one to suggest when it implies none.
import { CONTENT_ALGORITHMS, contentAlgorithm } from '../lib/jwe-content.js';
import { KEY_MANAGEMENT_ALGORITHMS, keyManagementAlgorithm } from '../lib/jwe-keys.js';
import { UsageError } from './args.js';
import { closest } from '../lib/suggest.js';

const printable = (alg: string) => (/^[\w+-]{1,24}$/.test(alg) ? ` "${alg}"` : '');

/** Validates --alg values (JWE key management algorithms); suggests the closest name. */
export function checkKeyManagement(values: readonly string[], flag: string, command: string): string[] {
  for (const alg of values) {
    if (alg.toLowerCase() === 'none') throw new UsageError(`${flag} none is not a JWE algorithm`, command);
    if (alg === 'RSA1_5')
      throw new UsageError(
        `${flag} RSA1_5 is not supported: RSAES-PKCS1-v1_5 decryption is a padding oracle (RFC 8725 §3.2); use RSA-OAEP-256`,
        command,
      );
    if (!keyManagementAlgorithm(alg)) {
      const guess = closest(alg, [...KEY_MANAGEMENT_ALGORITHMS, ...CONTENT_ALGORITHMS]);
      const content = contentAlgorithm(alg) ? alg : guess !== undefined && contentAlgorithm(guess) ? guess : undefined;
      const hint = content
        ? `; ${content === alg ? '' : `did you mean ${content}? `}${content} is a content encryption algorithm (--enc), with --alg dir for a shared key`
        : guess
          ? `; did you mean ${guess}?`
          : '';
      throw new UsageError(
        `${flag}: unknown JWE key management algorithm${printable(alg)}${hint} (supported: ${KEY_MANAGEMENT_ALGORITHMS.join(', ')})`,
        command,
      );
    }
  }
  return [...new Set(values)];
}

/** Validates --enc values (JWE content encryption algorithms); suggests the closest name. */
export function checkContentEncryption(values: readonly string[], command: string): string[] {
  for (const enc of values) {
    if (!contentAlgorithm(enc)) {
      const guess = closest(enc, CONTENT_ALGORITHMS);
      const hint = keyManagementAlgorithm(enc)
        ? `; ${enc} is a key management algorithm (--alg)`
        : guess
          ? `; did you mean ${guess}?`
          : '';
      throw new UsageError(
        `--enc: unknown content encryption algorithm${printable(enc)}${hint} (supported: ${CONTENT_ALGORITHMS.join(', ')})`,
        command,
      );
    }
  }
  return [...new Set(values)];
}

/** What a key's own "alg" implies: a key management algorithm, or "dir" for a secret made for an enc. */
export function boundAlgorithms(keyAlg: string | undefined): { alg: string; enc?: string } | undefined {
  if (keyAlg === undefined) return undefined;
  if (contentAlgorithm(keyAlg)) return { alg: 'dir', enc: keyAlg };
  // PBES2 is never implied: a password is only used with an explicit --alg (as in the library).
  if (keyManagementAlgorithm(keyAlg) && !keyAlg.startsWith('PBES2')) return { alg: keyAlg };
  return undefined;
}

/**
 * Why --alg must be given for `key`, with an --alg to suggest: a password (PBES2 is never implied), a
 * key bound to a signature algorithm (the wrong key), or a key that names no algorithm.
 */
export function missingAlgorithm(key: {
  alg?: string;
  kty: string;
  type: string;
  keyObject: { symmetricKeySize?: number };
}): string {
  if (key.alg?.startsWith('PBES2')) return `PBES2 is used only when --alg names it; e.g. --alg ${key.alg}`;
  if (key.alg !== undefined)
    return `the key given with --key is for ${key.alg}, not for encryption: use the recipient's encryption key (tessera keygen ECDH-ES+A256KW makes a pair)`;
  const size = key.type === 'secret' ? key.keyObject.symmetricKeySize : undefined;
  return `the key given with --key does not name its algorithm; e.g. --alg ${suggestedAlgorithm(key.kty, size)}`;
}

/** An --alg to suggest for a key that names none. */
function suggestedAlgorithm(kty: string, secretBytes: number | undefined): string {
  if (kty === 'RSA') return 'RSA-OAEP-256';
  if (kty === 'EC' || kty === 'OKP') return 'ECDH-ES+A256KW';
  if (secretBytes === 16) return 'A128KW';
  if (secretBytes === 24) return 'A192KW';
  if (secretBytes === 32) return 'A256KW';
  return 'PBES2-HS256+A128KW'; // a password
}
