import type { JWKSet } from '../jwks/set.js';
import { compileDecryptOptions, decryptWith } from '../lib/jwe-decrypt.js';
import { checkDecryptJWEOptions } from '../lib/option-names.js';
import type { FlattenedJWE, GeneralJWE, JWEHeader, KeyInput, KeyResolver } from '../types.js';

/**
 * Options of {@link decryptJWE}.
 * @example
 * ```ts
 * const options: DecryptJWEOptions = { keyManagementAlgorithms: ['ECDH-ES+A256KW'], contentEncryptionAlgorithms: ['A256GCM'] };
 * ```
 */
export interface DecryptJWEOptions {
  /** Allowed `alg` values (required unless the key names its `alg`). PBES2 works only when listed here. */
  keyManagementAlgorithms?: string[];
  /** Allowed `enc` values (default: every AES-GCM and AES-CBC-HMAC algorithm). */
  contentEncryptionAlgorithms?: string[];
  /** Names of `crit` extensions the caller understands. */
  crit?: string[];
  /** The highest PBES2 `p2c` accepted (default 10,000): each iteration is work an attacker chooses. */
  maxPbes2Count?: number;
  /** The largest plaintext `zip: "DEF"` may inflate to, in bytes (default 256 KiB). */
  maxDecompressedBytes?: number;
  /** The maximum JWE size in characters (default 64 KiB). */
  maxTokenLength?: number;
  /** Accept RSA keys under 2048 bits. */
  allowWeakKeys?: boolean;
}

/**
 * What {@link decryptJWE} returns.
 * @example
 * ```ts
 * const { plaintext, protectedHeader }: DecryptedJWE = decryptJWE(jwe, key, options);
 * ```
 */
export interface DecryptedJWE {
  plaintext: Uint8Array;
  /** The protected header (empty object when a JSON JWE has none). */
  protectedHeader: JWEHeader | Record<string, unknown>;
  /** The JOSE header that applied to the recipient that decrypted: protected ∪ shared ∪ per-recipient. */
  header: JWEHeader;
  /** The shared unprotected header (JSON serializations). */
  unprotectedHeader?: Record<string, unknown>;
  /** The `aad` member (JSON serializations). */
  additionalAuthenticatedData?: Uint8Array;
}

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
export function decryptJWE(jwe: string | FlattenedJWE | GeneralJWE, key: KeyInput | JWKSet, options: DecryptJWEOptions): DecryptedJWE;
export function decryptJWE(jwe: string | FlattenedJWE | GeneralJWE, key: KeyResolver, options: DecryptJWEOptions): Promise<DecryptedJWE>;
export function decryptJWE(jwe: string | FlattenedJWE | GeneralJWE, key: KeyInput | JWKSet | KeyResolver, options: DecryptJWEOptions): DecryptedJWE | Promise<DecryptedJWE> {
  checkDecryptJWEOptions(options);
  return decryptWith(jwe, key, compileDecryptOptions(options, key));
}

