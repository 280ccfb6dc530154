// encryptJWE / decryptJWE for the web entry: the Node entry's names, options, defaults, allowlists, limits,
// error classes and codes, over crypto.subtle (so they return Promises).
import { DecodeError, DecryptionError, InvalidAlgorithmError, InvalidKeyError, NoMatchingKeyError } from '../errors.js';
import { isNoneAlgorithm } from '../lib/algorithms.js';
import { normalizeMaxJSONDepth } from '../lib/json.js';
import { checkWebDecryptJWEOptions, checkWebEncryptJWEOptions } from './jwe-options.js';
import type { DecryptedJWE, DecryptJWEOptions, FlattenedJWE, GeneralJWE, JWEHeader, JWK } from '../types.js';
import {
  decryptContent,
  deflateRaw,
  encryptContent,
  inflateRaw,
  randomBytes,
  WEB_CONTENT_ALGORITHMS,
  webContentAlgorithm,
} from './jwe-content.js';
import {
  assertWebJWEKeyFits,
  prepareJWEKey,
  unwrapCEK,
  WEB_DEFAULT_P2C,
  WEB_KEY_MANAGEMENT_ALGORITHMS,
  type WebJWEKey,
  webKeyManagementAlgorithm,
  wrapCEK,
} from './jwe-keys.js';
import { parseWebJWE, type WebParsedJWE, type WebParsedRecipient, webJoseHeader } from './jwe-parse.js';
import type { JWKSet } from './jwk-set.js';
import { asJWKSetDocument, isJWKSetDocument } from './jwks.js';
import { decodeB64u, encodeB64u, type WebKeyInput } from './keys.js';

/**
 * A key the web JWE functions accept: a secret (bytes or text; a PBES2 password), a JWK, a `CryptoKey` or
 * PEM SPKI / PKCS#8 text.
 */
export type WebJWEKeyInput = WebKeyInput;

/**
 * What the web {@link decryptJWE} accepts as its key: a key, a {@link JWKSet}, a JWK Set document
 * (`{ keys: [...] }`), or a resolver called with each recipient's JOSE header.
 */
export type WebJWEKeySource =
  | WebJWEKeyInput
  | JWKSet
  | { keys: readonly JWK[] }
  | ((
      header: JWEHeader,
      token: string,
    ) =>
      | WebJWEKeyInput
      | JWKSet
      | { keys: readonly JWK[] }
      | Promise<WebJWEKeyInput | JWKSet | { keys: readonly JWK[] }>);

/** One recipient of a general-serialization JWE made by the web {@link encryptJWE}. */
export interface WebJWERecipient {
  key: WebJWEKeyInput;
  /** Key management algorithm (default: the key's `alg`). */
  alg?: string;
  kid?: string;
  /** Extra per-recipient unprotected header members. */
  header?: Record<string, unknown>;
}

/** Options of the web {@link encryptJWE}: those of the Node entry's `encryptJWE`. */
export interface WebEncryptJWEOptions {
  /** Key management algorithm (default: the key's `alg`). RSA1_5 is not supported. */
  alg?: string;
  /** Content encryption algorithm (default `A256GCM`). */
  enc?: string;
  /** `'DEF'` compresses the plaintext before encrypting (RFC 7516 §4.1.3). */
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
  /** Additional authenticated data (JSON serializations only). */
  aad?: string | Uint8Array;
  /** `'compact'` (default), `'flattened'` or `'general'`. */
  serialization?: 'compact' | 'flattened' | 'general';
  /** Several recipients (general serialization; the `key` argument is then ignored and may be null). */
  recipients?: WebJWERecipient[];
  /** ECDH-ES Agreement PartyUInfo. */
  partyUInfo?: Uint8Array;
  /** ECDH-ES Agreement PartyVInfo. */
  partyVInfo?: Uint8Array;
  /** PBES2 iteration count (default 10,000; at least 1,000). */
  p2c?: number;
  /** Accept RSA keys under 2048 bits. */
  allowWeakKeys?: boolean;
}

/** Options of the web {@link decryptJWE}: those of the Node entry's `decryptJWE`. */
export type WebDecryptJWEOptions = DecryptJWEOptions;
/** What the web {@link decryptJWE} resolves to: as on Node. */
export type WebDecryptedJWE = DecryptedJWE;

const encoder = /* @__PURE__ */ new TextEncoder();
const FAILED = 'JWE decryption failed';
const COMPUTED: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'alg',
  'enc',
  'zip',
  'epk',
  'apu',
  'apv',
  'iv',
  'tag',
  'p2s',
  'p2c',
]);

function bytesOf(value: unknown, name: string): Uint8Array {
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  throw new TypeError(`${name} must be a string or a Uint8Array`);
}

function plainMembers(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TypeError(`"${name}" option must be an object`);
  return value as Record<string, unknown>;
}

function algorithmFor(alg: unknown, key: unknown): string {
  const chosen =
    alg ??
    (key !== null && typeof key === 'object' && typeof (key as { alg?: unknown }).alg === 'string'
      ? (key as { alg: string }).alg
      : undefined);
  if (typeof chosen !== 'string')
    throw new TypeError('"alg" option is required (the JWE key management algorithm, e.g. \'ECDH-ES+A256KW\')');
  if (alg === undefined && webContentAlgorithm(chosen)) return 'dir';
  if (chosen === 'RSA1_5') throw new TypeError('"RSA1_5" is not supported (RFC 8725 §3.2); use RSA-OAEP-256');
  if (isNoneAlgorithm(chosen) || !webKeyManagementAlgorithm(chosen))
    throw new TypeError(`"alg" must be one of ${WEB_KEY_MANAGEMENT_ALGORITHMS.join(', ')}`);
  return chosen;
}

/** Internal: the checks of encryptJWE's options, before anything is encrypted (encryptJWT runs them too). */
function checkEncrypt(options: WebEncryptJWEOptions): void {
  if (options.p2c !== undefined && (!Number.isSafeInteger(options.p2c) || options.p2c < 1000))
    throw new TypeError('"p2c" option must be an integer of at least 1000');
  if (options.zip !== undefined && options.zip !== 'DEF') throw new TypeError('"zip" option must be "DEF"');
  if (options.allowWeakKeys !== undefined && typeof options.allowWeakKeys !== 'boolean')
    throw new TypeError('"allowWeakKeys" option must be a boolean');
}

/**
 * Encrypts bytes or text as a JWE (RFC 7516) over `crypto.subtle`: compact by default, or the flattened
 * or general JSON serialization; with `recipients`, one ciphertext for several keys. The same options,
 * defaults and checks as the Node entry's `encryptJWE`; resolves to the JWE.
 * @example
 * ```ts
 * import { encryptJWE } from 'tessera-jwt/web';
 * const jwe = await encryptJWE('secret message', recipientPublicJwk, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' });
 * ```
 */
export function encryptJWE(
  plaintext: string | Uint8Array,
  key: WebJWEKeyInput | null,
  options: WebEncryptJWEOptions & ({ serialization: 'general' } | { recipients: WebJWERecipient[] }),
): Promise<GeneralJWE>;
export function encryptJWE(
  plaintext: string | Uint8Array,
  key: WebJWEKeyInput,
  options: WebEncryptJWEOptions & { serialization: 'flattened' },
): Promise<FlattenedJWE>;
export function encryptJWE(
  plaintext: string | Uint8Array,
  key: WebJWEKeyInput,
  options?: WebEncryptJWEOptions & { serialization?: 'compact' },
): Promise<string>;
export function encryptJWE(
  plaintext: string | Uint8Array,
  key: WebJWEKeyInput | null,
  options?: WebEncryptJWEOptions,
): Promise<string | FlattenedJWE | GeneralJWE>;
export async function encryptJWE(
  plaintext: string | Uint8Array,
  key: WebJWEKeyInput | null,
  options: WebEncryptJWEOptions = {},
): Promise<string | FlattenedJWE | GeneralJWE> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkWebEncryptJWEOptions(options);
  const data = bytesOf(plaintext, 'JWE plaintext');
  const serialization = options.serialization ?? (options.recipients ? 'general' : 'compact');
  if (!['compact', 'flattened', 'general'].includes(serialization))
    throw new TypeError('"serialization" option must be "compact", "flattened" or "general"');
  const encName = options.enc ?? 'A256GCM';
  const enc = typeof encName === 'string' ? webContentAlgorithm(encName) : undefined;
  if (!enc) throw new TypeError(`"enc" must be one of ${WEB_CONTENT_ALGORITHMS.join(', ')}`);
  checkEncrypt(options);
  const recipients: WebJWERecipient[] = options.recipients ?? [
    { key: key as WebJWEKeyInput, alg: options.alg, kid: options.kid },
  ];
  if (!Array.isArray(recipients) || recipients.length === 0)
    throw new TypeError('"recipients" option must be a non-empty array');
  if (serialization !== 'general' && recipients.length > 1)
    throw new TypeError('several recipients need the general serialization');
  const extra = plainMembers(options.header, 'header');
  const unprotected = plainMembers(options.unprotectedHeader, 'unprotectedHeader');
  if (serialization === 'compact' && (options.aad !== undefined || Object.keys(unprotected).length > 0))
    throw new TypeError('"aad" and "unprotectedHeader" need a JSON serialization (flattened or general)');

  const sharedCEK = recipients.length > 1 ? randomBytes(enc.cekBytes) : undefined;
  let cek: Uint8Array | undefined;
  const prepared: { alg: string; key: WebJWEKey; recipient: WebJWERecipient }[] = [];
  for (const [index, recipient] of recipients.entries()) {
    if (recipient === null || typeof recipient !== 'object')
      throw new TypeError(`recipient ${index} must be an object`);
    const alg = algorithmFor(recipient.alg, recipient.key);
    const info = webKeyManagementAlgorithm(alg)!;
    if ((info.kind === 'dir' || info.kind === 'ecdh-es') && recipients.length > 1)
      throw new TypeError(`${alg} cannot be used with several recipients`);
    const k = await prepareJWEKey(recipient.key);
    assertWebJWEKeyFits(k, info, 'encrypt', enc);
    if (info.kind === 'pbes2' && (k.secret?.length ?? 0) < 8)
      throw new InvalidKeyError('a PBES2 password must be at least 8 bytes');
    prepared.push({ alg, key: k, recipient });
  }
  const finalRecipients = [];
  for (const [index, { alg, key: k, recipient }] of prepared.entries()) {
    const out = await wrapCEK(webKeyManagementAlgorithm(alg)!, k, enc, {
      apu: options.partyUInfo && bytesOf(options.partyUInfo, '"partyUInfo"'),
      apv: options.partyVInfo && bytesOf(options.partyVInfo, '"partyVInfo"'),
      p2c: options.p2c,
      cek: sharedCEK,
      allowWeakKeys: options.allowWeakKeys === true,
    });
    cek = out.cek;
    finalRecipients.push({
      alg,
      kid: recipient.kid ?? k.kid,
      encryptedKey: out.encryptedKey,
      additions: out.header,
      header: plainMembers(recipient.header, `recipients[${index}].header`),
    });
  }

  const shared: Record<string, unknown> = {};
  const first = finalRecipients[0]!;
  if (serialization !== 'general')
    Object.assign(shared, { alg: first.alg }, first.kid !== undefined ? { kid: first.kid } : {}, first.additions);
  shared.enc = enc.name;
  if (options.zip) shared.zip = 'DEF';
  if (options.typ !== undefined) shared.typ = options.typ;
  if (options.cty !== undefined) shared.cty = options.cty;
  for (const [name, value] of Object.entries(extra)) {
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
  const protectedSegment = encodeB64u(encoder.encode(JSON.stringify(shared)));
  const aadSegment = options.aad === undefined ? undefined : encodeB64u(bytesOf(options.aad, '"aad"'));
  const aad = encoder.encode(aadSegment === undefined ? protectedSegment : `${protectedSegment}.${aadSegment}`);
  const content = options.zip ? await deflateRaw(data) : data;
  const { iv, ciphertext, tag } = await encryptContent(enc, cek!, content, aad);
  if (serialization === 'compact')
    return [
      protectedSegment,
      encodeB64u(first.encryptedKey),
      encodeB64u(iv),
      encodeB64u(ciphertext),
      encodeB64u(tag),
    ].join('.');
  const body: Record<string, unknown> = { protected: protectedSegment };
  if (Object.keys(unprotected).length > 0) body.unprotected = unprotected;
  const recipientObjects = finalRecipients.map((r) => {
    const header: Record<string, unknown> =
      serialization === 'general'
        ? { alg: r.alg, ...(r.kid !== undefined ? { kid: r.kid } : {}), ...r.additions, ...r.header }
        : { ...r.header };
    const out: { header?: Record<string, unknown>; encrypted_key?: string } = {};
    if (Object.keys(header).length > 0) out.header = header;
    if (r.encryptedKey.length > 0) out.encrypted_key = encodeB64u(r.encryptedKey);
    return out;
  });
  if (serialization === 'general') body.recipients = recipientObjects;
  else Object.assign(body, recipientObjects[0]);
  if (aadSegment !== undefined) body.aad = aadSegment;
  Object.assign(body, { iv: encodeB64u(iv), ciphertext: encodeB64u(ciphertext), tag: encodeB64u(tag) });
  return body as unknown as FlattenedJWE | GeneralJWE;
}

// ---- decryption ----------------------------------------------------------------------------------------

/** Internal: decrypt options validated once. */
export interface WebCompiledDecrypt {
  readonly alg: ReadonlySet<string>;
  readonly enc: ReadonlySet<string>;
  readonly crit: ReadonlySet<string>;
  readonly maxPbes2Count: number;
  readonly maxDecompressedBytes: number;
  readonly maxTokenLength: number;
  readonly maxJSONDepth: number;
  readonly allowWeakKeys: boolean;
}

function list(value: unknown, name: string, known: readonly string[]): Set<string> {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string'))
    throw new TypeError(`"${name}" option must be a non-empty array of strings`);
  for (const v of value as string[]) {
    if (isNoneAlgorithm(v)) throw new TypeError(`"${name}" may not contain "none"`);
    if (v === 'RSA1_5')
      throw new TypeError(
        '"RSA1_5" is not supported: RSAES-PKCS1-v1_5 decryption is a padding oracle (RFC 8725 §3.2); use RSA-OAEP-256',
      );
    if (!known.includes(v))
      throw new TypeError(`"${name}" contains an unsupported algorithm; supported: ${known.join(', ')}`);
  }
  return new Set(value as string[]);
}

function positive(value: unknown, name: string, dflt: number): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new TypeError(`"${name}" option must be a positive integer`);
  return value;
}

/** Internal: validates decrypt options as the Node entry does; a JWK's `alg` may supply the allowlist. */
export function compileWebDecrypt(options: DecryptJWEOptions, key: unknown): WebCompiledDecrypt {
  if (options === null || typeof options !== 'object')
    throw new TypeError('options must be an object with "keyManagementAlgorithms"');
  let algs: unknown = options.keyManagementAlgorithms;
  if (algs === undefined) {
    const bound =
      key !== null && typeof key === 'object' && !isJWKSetDocument(key) && typeof (key as JWK).kty === 'string'
        ? (key as JWK).alg
        : undefined;
    if (typeof bound === 'string' && webContentAlgorithm(bound))
      return compileWebDecrypt(
        {
          ...options,
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: options.contentEncryptionAlgorithms ?? [bound],
        },
        undefined,
      );
    if (typeof bound !== 'string' || !webKeyManagementAlgorithm(bound) || bound.startsWith('PBES2'))
      throw new TypeError(
        '"keyManagementAlgorithms" option is required: list the JWE "alg" values you expect, e.g. { keyManagementAlgorithms: [\'ECDH-ES+A256KW\'] }',
      );
    algs = [bound];
  }
  const crit = options.crit ?? [];
  if (!Array.isArray(crit) || !crit.every((c) => typeof c === 'string'))
    throw new TypeError('"crit" option must be an array of strings');
  if (options.allowWeakKeys !== undefined && typeof options.allowWeakKeys !== 'boolean')
    throw new TypeError('"allowWeakKeys" option must be a boolean');
  return {
    alg: list(algs, 'keyManagementAlgorithms', WEB_KEY_MANAGEMENT_ALGORITHMS),
    enc: list(
      options.contentEncryptionAlgorithms ?? WEB_CONTENT_ALGORITHMS,
      'contentEncryptionAlgorithms',
      WEB_CONTENT_ALGORITHMS,
    ),
    crit: new Set(crit as string[]),
    maxPbes2Count: positive(options.maxPbes2Count, 'maxPbes2Count', WEB_DEFAULT_P2C),
    maxDecompressedBytes: positive(options.maxDecompressedBytes, 'maxDecompressedBytes', 256 * 1024) /* as on Node */,
    maxTokenLength: positive(options.maxTokenLength, 'maxTokenLength', 64 * 1024) /* as on Node */,
    maxJSONDepth: normalizeMaxJSONDepth(options.maxJSONDepth),
    allowWeakKeys: options.allowWeakKeys === true,
  };
}

interface Attempt {
  readonly recipient: WebParsedRecipient;
  readonly header: JWEHeader;
}

function attempts(parsed: WebParsedJWE, c: WebCompiledDecrypt): Attempt[] {
  const allowed: Attempt[] = [];
  let refused = false;
  for (const recipient of parsed.recipients) {
    const header = webJoseHeader(parsed, recipient, c.crit);
    if (parsed.recipients.length > 1 && (header.alg === 'dir' || header.alg === 'ECDH-ES'))
      throw new DecodeError(
        `a JWE with several recipients cannot use "${header.alg}" (the content encryption key would be one recipient's own key)`,
      );
    if (isNoneAlgorithm(header.alg) || !c.alg.has(header.alg) || !c.enc.has(header.enc)) {
      refused = true;
      continue;
    }
    if (header.p2c !== undefined && header.p2c > c.maxPbes2Count)
      throw new DecryptionError(`JWE "p2c" exceeds maxPbes2Count (${c.maxPbes2Count})`);
    allowed.push({ recipient, header });
  }
  if (allowed.length === 0)
    throw new InvalidAlgorithmError(
      refused ? 'JWE "alg" or "enc" header parameter value is not allowed' : 'JWE has no recipient',
    );
  return allowed;
}

const KTY_FOR: Record<string, string> = { dir: 'oct', kw: 'oct', gcmkw: 'oct', pbes2: 'oct', 'rsa-oaep': 'RSA' };

// A JWK Set's keys that may decrypt for this recipient (as on Node: not "sig", key_ops allow it, alg and
// kid agree, the key type fits the algorithm; at most 8).
function setKeys(set: { keys: readonly unknown[] }, header: JWEHeader): JWK[] {
  const info = webKeyManagementAlgorithm(header.alg)!;
  return (set.keys as JWK[])
    .filter((k) => {
      if (k === null || typeof k !== 'object') return false;
      if (k.use === 'sig') return false;
      if (
        Array.isArray(k.key_ops) &&
        !k.key_ops.some((op) => ['decrypt', 'unwrapKey', 'deriveKey', 'deriveBits'].includes(op))
      )
        return false;
      if (k.alg !== undefined && k.alg !== header.alg) return false;
      if (header.kid !== undefined && k.kid !== header.kid) return false;
      const want = KTY_FOR[info.kind];
      if (want !== undefined) return k.kty === want && (want === 'oct' || k.d !== undefined);
      return (k.kty === 'EC' || k.kty === 'OKP') && k.d !== undefined;
    })
    .slice(0, 8);
}

function b64(value: unknown): Uint8Array | undefined {
  return typeof value === 'string' ? decodeB64u(value) : undefined;
}

async function tryDecrypt(
  parsed: WebParsedJWE,
  attempt: Attempt,
  key: WebJWEKey,
  c: WebCompiledDecrypt,
): Promise<Uint8Array | undefined> {
  const { header } = attempt;
  const info = webKeyManagementAlgorithm(header.alg)!;
  const enc = webContentAlgorithm(header.enc)!;
  assertWebJWEKeyFits(key, info, 'decrypt', enc);
  let cek = await unwrapCEK(info, key, enc, {
    encryptedKey: attempt.recipient.encryptedKey,
    epk: header.epk,
    apu: b64(header.apu),
    apv: b64(header.apv),
    iv: b64(header.iv),
    tag: b64(header.tag),
    p2s: b64(header.p2s),
    p2c: header.p2c,
    allowWeakKeys: c.allowWeakKeys,
  });
  // A wrong or malformed CEK continues with a random one, so unwrapping failures and tag failures take
  // the same path and look the same (RFC 7516 §11.5).
  if (cek === undefined || cek.length !== enc.cekBytes) cek = randomBytes(enc.cekBytes);
  const aad = encoder.encode(
    parsed.aadSegment === undefined ? parsed.protectedSegment : `${parsed.protectedSegment}.${parsed.aadSegment}`,
  );
  const plaintext = await decryptContent(enc, cek, parsed.iv, parsed.ciphertext, parsed.tag, aad);
  if (plaintext === undefined || header.zip === undefined) return plaintext;
  return inflateRaw(plaintext, c.maxDecompressedBytes); // undefined when corrupt or past maxDecompressedBytes
}

type Resolved = WebJWEKey | { keys: readonly unknown[] };

/** Internal: decrypts once parsed, trying each allowed recipient with its key (or its set's keys). */
export async function webDecryptWith(jwe: unknown, key: unknown, c: WebCompiledDecrypt): Promise<DecryptedJWE> {
  const parsed = parseWebJWE(jwe, c.maxTokenLength, c.maxJSONDepth);
  const list = attempts(parsed, c);
  const resolved = new Map<Attempt, Resolved>();
  let shared: Resolved | undefined;
  for (const attempt of list) {
    let source: unknown = asJWKSetDocument(key);
    if (typeof key === 'function') {
      source = asJWKSetDocument(await key(attempt.header, typeof jwe === 'string' ? jwe : JSON.stringify(jwe)));
      if (source === undefined || source === null)
        throw new NoMatchingKeyError('the key resolver found no key for the JWE');
      resolved.set(attempt, isJWKSetDocument(source) ? source : await prepareJWEKey(source));
    } else {
      shared ??= isJWKSetDocument(source) ? source : await prepareJWEKey(source);
      resolved.set(attempt, shared);
    }
  }
  const isSet = (r: Resolved): r is { keys: readonly unknown[] } => !('kind' in r);
  const keysOf = async (attempt: Attempt): Promise<WebJWEKey[]> => {
    const r = resolved.get(attempt)!;
    if (!isSet(r)) return [r];
    const out: WebJWEKey[] = [];
    for (const jwk of setKeys(r, attempt.header)) out.push(await prepareJWEKey(jwk));
    return out;
  };
  // maxPbes2Count bounds the PBKDF2 work of the whole token, not of each try.
  let pbes2Work = 0;
  for (const attempt of list) {
    if (attempt.header.p2c !== undefined && attempt.header.alg.startsWith('PBES2'))
      pbes2Work += attempt.header.p2c * (await keysOf(attempt)).length;
  }
  if (pbes2Work > c.maxPbes2Count)
    throw new DecryptionError(
      `JWE "p2c" exceeds maxPbes2Count (${c.maxPbes2Count}) for the recipients and keys to try`,
    );
  let tried = 0;
  let keyError: unknown;
  for (const attempt of list) {
    for (const k of await keysOf(attempt)) {
      let plaintext: Uint8Array | undefined;
      try {
        plaintext = await tryDecrypt(parsed, attempt, k, c);
      } catch (err) {
        // A key that does not fit this recipient (or a primitive the runtime lacks): another may fit.
        if (list.length === 1 && !isSet(resolved.get(attempt)!)) throw err;
        keyError ??= err;
        continue;
      }
      tried++;
      if (plaintext !== undefined) {
        const out: DecryptedJWE = {
          plaintext,
          protectedHeader: (parsed.protectedHeader ?? {}) as JWEHeader,
          header: attempt.header,
        };
        if (parsed.unprotected) out.unprotectedHeader = parsed.unprotected;
        if (parsed.aadSegment !== undefined) out.additionalAuthenticatedData = decodeB64u(parsed.aadSegment)!;
        return out;
      }
    }
  }
  if (tried === 0) {
    if (keyError instanceof InvalidKeyError && list.length > 1)
      throw new InvalidKeyError(
        `the key fits none of the JWE's recipients (${[...new Set(list.map((a) => a.header.alg))].join(', ')})`,
        { cause: keyError },
      );
    throw keyError ?? new NoMatchingKeyError('no key fits any recipient of the JWE');
  }
  throw new DecryptionError(FAILED);
}

/**
 * Decrypts a JWE in any serialization over `crypto.subtle` and resolves to the plaintext bytes, with the
 * Node entry's options, allowlists and limits: both allowlists apply before any key is used, PBES2 only
 * when listed, RSA1_5 never; every cryptographic failure is the same `DecryptionError`.
 * @example
 * ```ts
 * import { decryptJWE } from 'tessera-jwt/web';
 * const { plaintext } = await decryptJWE(jwe, privateJwk, {
 *   keyManagementAlgorithms: ['ECDH-ES+A256KW'],
 *   contentEncryptionAlgorithms: ['A256GCM'],
 * });
 * ```
 */
export async function decryptJWE(
  jwe: string | FlattenedJWE | GeneralJWE,
  key: WebJWEKeySource,
  options: WebDecryptJWEOptions,
): Promise<WebDecryptedJWE> {
  checkWebDecryptJWEOptions(options);
  return webDecryptWith(jwe, key, compileWebDecrypt(options, key));
}
