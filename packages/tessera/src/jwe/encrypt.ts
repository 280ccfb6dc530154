import { Buffer } from 'node:buffer';
import { nodeCrypto } from '../lib/node-crypto.js';
import { deflateRaw } from '../lib/deflate.js';
import { InvalidKeyError } from '../errors.js';
import { isNoneAlgorithm } from '../lib/algorithms.js';
import { encodeBase64url } from '../lib/base64url.js';
import { CONTENT_ALGORITHMS, contentAlgorithm, encryptContent } from '../lib/jwe-content.js';
import { assertJWEKeyFits, KEY_MANAGEMENT_ALGORITHMS, keyManagementAlgorithm, wrapCEK } from '../lib/jwe-keys.js';
import { prepareKey } from '../lib/keys.js';
import { checkEncryptJWEOptions } from '../lib/option-names.js';
import type { FlattenedJWE, GeneralJWE, KeyInput } from '../types.js';

/**
 * One recipient of a general-serialization JWE.
 * @example
 * ```ts
 * const recipient: JWERecipient = { key: partnerPublicKey, alg: 'RSA-OAEP-256', kid: 'partner-1' };
 * ```
 */
export interface JWERecipient {
  key: KeyInput;
  /** Key management algorithm (default: the key's `alg`). */
  alg?: string;
  kid?: string;
  /** Extra per-recipient unprotected header members. */
  header?: Record<string, unknown>;
}

/**
 * Options of {@link encryptJWE}.
 * @example
 * ```ts
 * const options: EncryptJWEOptions = { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'enc-2026' };
 * ```
 */
export interface EncryptJWEOptions {
  /** Key management algorithm (default: the key's `alg`). RSA1_5 is not supported. */
  alg?: string;
  /** Content encryption algorithm (default `A256GCM`). */
  enc?: string;
  /** `'DEF'` compresses the plaintext before encrypting (RFC 7516 §4.1.3). Mind CRIME-style leaks when mixing secrets with attacker-chosen text. */
  zip?: 'DEF';
  kid?: string;
  /** The `typ` header parameter. */
  typ?: string;
  /** The `cty` header parameter (`'JWT'` for a nested JWT). */
  cty?: string;
  /** Extra protected header members. */
  header?: Record<string, unknown>;
  /** Shared unprotected header members (JSON serializations). */
  unprotectedHeader?: Record<string, unknown>;
  /** Additional authenticated data (JSON serializations only, RFC 7516 §5.1 step 14). */
  aad?: string | Uint8Array;
  /** `'compact'` (default), `'flattened'` or `'general'`. */
  serialization?: 'compact' | 'flattened' | 'general';
  /** Several recipients (general serialization; the `key` argument is then ignored and may be null). */
  recipients?: JWERecipient[];
  /** ECDH-ES Agreement PartyUInfo / PartyVInfo. */
  partyUInfo?: Uint8Array;
  partyVInfo?: Uint8Array;
  /** PBES2 iteration count (default 10,000; at least 1,000). */
  p2c?: number;
  /** Accept RSA keys under 2048 bits. */
  allowWeakKeys?: boolean;
}

function bytesOf(value: string | Uint8Array, name: string): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`${name} must be a string or a Uint8Array`);
}

function algorithmFor(alg: unknown, key: unknown): string {
  const chosen =
    alg ??
    (key !== null && typeof key === 'object' && typeof (key as { alg?: unknown }).alg === 'string'
      ? (key as { alg: string }).alg
      : undefined);
  if (typeof chosen !== 'string')
    throw new TypeError('"alg" option is required (the JWE key management algorithm, e.g. \'ECDH-ES+A256KW\')');
  if (alg === undefined && contentAlgorithm(chosen)) return 'dir'; // a key generated for an enc
  if (chosen === 'RSA1_5') throw new TypeError('"RSA1_5" is not supported (RFC 8725 §3.2); use RSA-OAEP-256');
  if (isNoneAlgorithm(chosen) || !keyManagementAlgorithm(chosen))
    throw new TypeError(`"alg" must be one of ${KEY_MANAGEMENT_ALGORITHMS.join(', ')}`);
  return chosen;
}

/** Header members Tessera computes from the options and the key management (RFC 7518 §4). */
const COMPUTED: ReadonlySet<string> = new Set(['alg', 'enc', 'zip', 'epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c']);

function plainMembers(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TypeError(`"${name}" option must be an object`);
  return value as Record<string, unknown>;
}

/**
 * Encrypts bytes or text as a JWE (RFC 7516): compact by default, or the flattened or general JSON
 * serialization; with `recipients`, one ciphertext for several keys. A fresh CEK and IV are drawn for
 * every call.
 * @example
 * ```ts
 * import { encryptJWE, generateKeyPair } from 'tessera-jwt';
 * const { publicKey, privateKey } = generateKeyPair('ECDH-ES+A256KW');
 * const jwe = encryptJWE('secret message', publicKey, { enc: 'A256GCM' }); // alg from the key
 * const general = encryptJWE('to both', null, {
 *   enc: 'A256GCM',
 *   recipients: [{ key: publicKey }, { key: partnerRsaPublicKey, alg: 'RSA-OAEP-256' }],
 * });
 * ```
 */
export function encryptJWE(
  plaintext: string | Uint8Array,
  key: KeyInput | null,
  options: EncryptJWEOptions & { serialization: 'general' },
): GeneralJWE;
export function encryptJWE(
  plaintext: string | Uint8Array,
  key: KeyInput | null,
  options: EncryptJWEOptions & { recipients: JWERecipient[] },
): GeneralJWE;
export function encryptJWE(
  plaintext: string | Uint8Array,
  key: KeyInput,
  options: EncryptJWEOptions & { serialization: 'flattened' },
): FlattenedJWE;
export function encryptJWE(
  plaintext: string | Uint8Array,
  key: KeyInput,
  options?: EncryptJWEOptions & { serialization?: 'compact' },
): string;
export function encryptJWE(
  plaintext: string | Uint8Array,
  key: KeyInput | null,
  options?: EncryptJWEOptions,
): string | FlattenedJWE | GeneralJWE;
export function encryptJWE(
  plaintext: string | Uint8Array,
  key: KeyInput | null,
  options: EncryptJWEOptions = {},
): string | FlattenedJWE | GeneralJWE {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkEncryptJWEOptions(options);
  const data = bytesOf(plaintext, 'JWE plaintext');
  const serialization = options.serialization ?? (options.recipients ? 'general' : 'compact');
  if (!['compact', 'flattened', 'general'].includes(serialization))
    throw new TypeError('"serialization" option must be "compact", "flattened" or "general"');
  const encName = options.enc ?? 'A256GCM';
  const enc = typeof encName === 'string' ? contentAlgorithm(encName) : undefined;
  if (!enc) throw new TypeError(`"enc" must be one of ${CONTENT_ALGORITHMS.join(', ')}`);
  if (options.zip !== undefined && options.zip !== 'DEF') throw new TypeError('"zip" option must be "DEF"');
  if (options.p2c !== undefined && (!Number.isSafeInteger(options.p2c) || options.p2c < 1000))
    throw new TypeError('"p2c" option must be an integer of at least 1000');
  const recipients: JWERecipient[] = options.recipients ?? [
    { key: key as KeyInput, alg: options.alg, kid: options.kid },
  ];
  if (!Array.isArray(recipients) || recipients.length === 0)
    throw new TypeError('"recipients" option must be a non-empty array');
  if (serialization !== 'general' && recipients.length > 1)
    throw new TypeError('several recipients need the general serialization');
  const extra = plainMembers(options.header, 'header');
  const unprotected = plainMembers(options.unprotectedHeader, 'unprotectedHeader');
  if (serialization === 'compact' && (options.aad !== undefined || Object.keys(unprotected).length > 0)) {
    throw new TypeError('"aad" and "unprotectedHeader" need a JSON serialization (flattened or general)');
  }
  if (options.allowWeakKeys !== undefined && typeof options.allowWeakKeys !== 'boolean')
    throw new TypeError('"allowWeakKeys" option must be a boolean');

  // One CEK for all recipients: dir and ECDH-ES define it themselves, so they stand alone.
  const sharedCEK = recipients.length > 1 ? nodeCrypto().randomBytes(enc.cekBytes) : undefined;
  let cek: Buffer | undefined;
  const finalRecipients = recipients.map((recipient, index) => {
    if (recipient === null || typeof recipient !== 'object')
      throw new TypeError(`recipient ${index} must be an object`);
    const alg = algorithmFor(recipient.alg, recipient.key);
    const info = keyManagementAlgorithm(alg)!;
    if ((info.kind === 'dir' || info.kind === 'ecdh-es') && recipients.length > 1)
      throw new TypeError(`${alg} cannot be used with several recipients`);
    const prepared = prepareKey(recipient.key);
    assertJWEKeyFits(prepared, info, 'encrypt', enc, options.allowWeakKeys === true);
    if (info.kind === 'pbes2' && prepared.secret!.length < 8)
      throw new InvalidKeyError('a PBES2 password must be at least 8 bytes');
    const out = wrapCEK(info, prepared, enc, {
      apu: options.partyUInfo && bytesOf(options.partyUInfo, '"partyUInfo"'),
      apv: options.partyVInfo && bytesOf(options.partyVInfo, '"partyVInfo"'),
      p2c: options.p2c,
      cek: sharedCEK,
    });
    cek = out.cek;
    return {
      alg,
      kid: recipient.kid ?? prepared.jwkKid,
      encryptedKey: out.encryptedKey,
      additions: out.header,
      header: plainMembers(recipient.header, `recipients[${index}].header`),
    };
  });

  // Where each header member goes: compact → all protected; flattened → all protected but the
  // caller's unprotected members; general → shared members protected, alg/kid/epk… per recipient.
  const shared: Record<string, unknown> = {};
  if (serialization !== 'general')
    Object.assign(
      shared,
      { alg: finalRecipients[0]!.alg },
      finalRecipients[0]!.kid !== undefined ? { kid: finalRecipients[0]!.kid } : {},
      finalRecipients[0]!.additions,
    );
  shared.enc = enc.name;
  if (options.zip) shared.zip = 'DEF';
  if (options.typ !== undefined) shared.typ = options.typ;
  if (options.cty !== undefined) shared.cty = options.cty;
  for (const [name, value] of Object.entries(extra)) {
    // A member Tessera computes may only repeat the computed value: a `zip` without compression, or an
    // `alg`/`epk`/`p2s` that is not the recipient's, would make a JWE no recipient can read.
    if ((Object.hasOwn(shared, name) || COMPUTED.has(name)) && shared[name] !== value) {
      throw new TypeError(
        name === 'zip'
          ? 'use the "zip" option, not "header.zip"'
          : `"header.${name}" conflicts with a member Tessera sets`,
      );
    }
    shared[name] = value;
  }
  for (const name of Object.keys(unprotected))
    if (Object.hasOwn(shared, name)) throw new TypeError(`"unprotectedHeader.${name}" is also in the protected header`);
  // RFC 7516 §7.2.1: the three headers must be disjoint, and `zip`/`crit` must be integrity-protected
  // (decryptJWE refuses anything else) — refuse to write what Tessera itself would not read.
  for (const [index, r] of finalRecipients.entries()) {
    const where = serialization === 'general' ? `recipients[${index}].header` : 'recipient header';
    const perRecipient =
      serialization === 'general' ? { alg: r.alg, ...(r.kid !== undefined ? { kid: r.kid } : {}), ...r.additions } : {};
    for (const name of Object.keys(r.header)) {
      if (COMPUTED.has(name) || name === 'crit' || Object.hasOwn(perRecipient, name))
        throw new TypeError(`"${where}.${name}" is a member Tessera sets or that must be protected`);
      if (Object.hasOwn(shared, name) || Object.hasOwn(unprotected, name))
        throw new TypeError(`"${where}.${name}" is also in the protected or shared unprotected header`);
    }
    for (const name of Object.keys(perRecipient)) {
      if (Object.hasOwn(shared, name) || Object.hasOwn(unprotected, name))
        throw new TypeError(
          `"${name}" is set per recipient (general serialization) and may not also be in "header" or "unprotectedHeader"`,
        );
    }
  }
  for (const name of ['zip', 'crit'])
    if (Object.hasOwn(unprotected, name))
      throw new TypeError(`"unprotectedHeader.${name}" must be in the protected header`);
  const protectedSegment = encodeBase64url(JSON.stringify(shared));
  const aadSegment = options.aad === undefined ? undefined : encodeBase64url(bytesOf(options.aad, '"aad"'));
  const aad = Buffer.from(aadSegment === undefined ? protectedSegment : `${protectedSegment}.${aadSegment}`, 'ascii');
  const content = options.zip ? deflateRaw(data) : data;
  const { iv, ciphertext, tag } = encryptContent(enc, cek!, content, aad);

  if (serialization === 'compact') {
    return [
      protectedSegment,
      encodeBase64url(finalRecipients[0]!.encryptedKey),
      encodeBase64url(iv),
      encodeBase64url(ciphertext),
      encodeBase64url(tag),
    ].join('.');
  }
  const body: Record<string, unknown> = { protected: protectedSegment };
  if (Object.keys(unprotected).length > 0) body.unprotected = unprotected;
  const recipientObjects = finalRecipients.map((r) => {
    const header: Record<string, unknown> =
      serialization === 'general'
        ? { alg: r.alg, ...(r.kid !== undefined ? { kid: r.kid } : {}), ...r.additions, ...r.header }
        : { ...r.header };
    const out: { header?: Record<string, unknown>; encrypted_key?: string } = {};
    if (Object.keys(header).length > 0) out.header = header;
    if (r.encryptedKey.length > 0) out.encrypted_key = encodeBase64url(r.encryptedKey);
    return out;
  });
  if (serialization === 'general') body.recipients = recipientObjects;
  else Object.assign(body, recipientObjects[0]);
  if (aadSegment !== undefined) body.aad = aadSegment;
  Object.assign(body, { iv: encodeBase64url(iv), ciphertext: encodeBase64url(ciphertext), tag: encodeBase64url(tag) });
  return body as unknown as FlattenedJWE | GeneralJWE;
}
