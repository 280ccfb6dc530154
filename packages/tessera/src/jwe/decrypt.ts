import type { JWKSet } from '../jwks/set.js';
import { compileDecryptOptions, decryptWith } from '../lib/jwe-decrypt.js';
import { checkDecryptJWEOptions } from '../lib/option-names.js';
import type {
  DecryptedJWE,
  DecryptJWEOptions,
  FlattenedJWE,
  GeneralJWE,
  JWKSetDocument,
  KeyInput,
  KeyResolver,
} from '../types.js';

export type { DecryptedJWE, DecryptJWEOptions } from '../types.js';

/**
 * Decrypts a JWE in any serialization — a compact string, or a flattened or general JSON object — and
 * returns the plaintext bytes. Both allowlists apply before any key is used; PBES2 works only when
 * listed in `keyManagementAlgorithms`; RSA1_5 is not supported. Every cryptographic failure is the same
 * `DecryptionError`. A key resolver function makes the call asynchronous.
 * @example
 * ```ts
 * import { decryptJWE } from 'tessera-jwt';
 * const { plaintext, protectedHeader } = decryptJWE(jwe, privateKey, {
 *   keyManagementAlgorithms: ['ECDH-ES+A256KW'],
 *   contentEncryptionAlgorithms: ['A256GCM'],
 * });
 * console.log(new TextDecoder().decode(plaintext));
 * ```
 */
export function decryptJWE(
  jwe: string | FlattenedJWE | GeneralJWE,
  key: KeyInput | JWKSet | JWKSetDocument,
  options: DecryptJWEOptions,
): DecryptedJWE;
export function decryptJWE(
  jwe: string | FlattenedJWE | GeneralJWE,
  key: KeyResolver,
  options: DecryptJWEOptions,
): Promise<DecryptedJWE>;
export function decryptJWE(
  jwe: string | FlattenedJWE | GeneralJWE,
  key: KeyInput | JWKSet | JWKSetDocument | KeyResolver,
  options: DecryptJWEOptions,
): DecryptedJWE | Promise<DecryptedJWE> {
  checkDecryptJWEOptions(options);
  return decryptWith(jwe, key, compileDecryptOptions(options, key));
}
