// Reading JWEs in all three serializations (RFC 7516 §7) into one shape, strictly: canonical base64url,
// JSON objects with unique members, disjoint header parameter sets (§7.2.1), and `zip`/`crit` only in
// the integrity-protected header.
import type { Buffer } from 'node:buffer';
import { DecodeError, UnsupportedCriticalHeaderError } from '../errors.js';
import type { JWEHeader } from '../types.js';
import { decodeBase64url } from './base64url.js';
import { jsonProblem } from './compact.js';
import { DEFAULT_MAX_JSON_DEPTH, parseJSONObject, valueDepth } from './json.js';
import { deepFreeze } from './freeze.js';
import { LRU } from './lru.js';
import { REGISTERED_HEADER_NAMES } from './registered-headers.js';

/** One recipient of a JWE: its unprotected per-recipient header and encrypted key. */
export interface ParsedRecipient {
  readonly header?: Record<string, unknown>;
  readonly encryptedKey: Buffer;
}

/** Any serialization, parsed. */
export interface ParsedJWE {
  /** The protected header segment as written (it is part of the AAD). */
  readonly protectedSegment: string;
  readonly protectedHeader?: Record<string, unknown>;
  readonly unprotected?: Record<string, unknown>;
  readonly recipients: readonly ParsedRecipient[];
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
  /** The `aad` member as written (JSON serializations). */
  readonly aadSegment?: string;
}

function bytes(value: unknown, what: string, allowEmpty = true): Buffer {
  if (typeof value !== 'string') throw new DecodeError(`JWE ${what} must be a base64url string`);
  const decoded = decodeBase64url(value);
  if (decoded === undefined) throw new DecodeError(`JWE ${what} is not canonical base64url`);
  if (!allowEmpty && decoded.length === 0) throw new DecodeError(`JWE ${what} is empty`);
  return decoded;
}

function jsonObject(segment: string, what: string, maxDepth: number): Record<string, unknown> {
  const decoded = decodeBase64url(segment);
  if (decoded === undefined) throw new DecodeError(`JWE ${what} is not canonical base64url`);
  const value = parseJSONObject(decoded, maxDepth);
  if (typeof value === 'string') jsonProblem(`JWE ${what}`, value);
  return value;
}

function plainObject(value: unknown, what: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new DecodeError(`JWE ${what} must be an object`);
  return value as Record<string, unknown>;
}

/** Parses a compact JWE string or a flattened/general JWE object. */
export function parseJWE(input: unknown, maxLength: number, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): ParsedJWE {
  if (typeof input === 'string') {
    if (input.length > maxLength) throw new DecodeError(`JWE is longer than ${maxLength} characters (maxTokenLength)`);
    const parts = input.split('.');
    if (parts.length !== 5) {
      throw new DecodeError(
        parts.length === 3
          ? 'token has three segments: it is a JWS, not a JWE; verify it with verifyJWT'
          : 'a compact JWE must have exactly five segments',
      );
    }
    const [protectedSegment, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
    if (protectedSegment.length === 0) throw new DecodeError('JWE protected header is missing');
    if (protectedSegment.length > 8192) throw new DecodeError('JWE protected header is too large');
    return {
      protectedSegment,
      protectedHeader: protectedHeaderOf(protectedSegment, maxDepth),
      recipients: [{ encryptedKey: bytes(encryptedKey, 'encrypted key') }],
      iv: bytes(iv, 'initialization vector'),
      ciphertext: bytes(ciphertext, 'ciphertext'),
      tag: bytes(tag, 'authentication tag'),
    };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new DecodeError('JWE must be a compact string or a JSON serialization object');
  const jwe = input as Record<string, unknown>;
  let size = 0;
  for (const value of Object.values(jwe))
    size += typeof value === 'string' ? value.length : JSON.stringify(value ?? null).length;
  if (size > maxLength) throw new DecodeError(`JWE is larger than ${maxLength} characters (maxTokenLength)`);
  const protectedSegment = jwe.protected === undefined ? '' : jwe.protected;
  if (typeof protectedSegment !== 'string') throw new DecodeError('JWE "protected" must be a string');
  if (protectedSegment.length > 8192) throw new DecodeError('JWE protected header is too large');
  let recipients: ParsedRecipient[];
  if (jwe.recipients !== undefined) {
    if (jwe.header !== undefined || jwe.encrypted_key !== undefined)
      throw new DecodeError('a general JWE keeps "header" and "encrypted_key" inside "recipients"');
    if (!Array.isArray(jwe.recipients) || jwe.recipients.length === 0)
      throw new DecodeError('JWE "recipients" must be a non-empty array');
    if (jwe.recipients.length > 32) throw new DecodeError('JWE has too many recipients');
    recipients = jwe.recipients.map((r: unknown, i) => {
      const recipient = plainObject(r, `recipient ${i}`)!;
      return {
        header: plainObject(recipient.header, `recipient ${i} "header"`),
        encryptedKey:
          recipient.encrypted_key === undefined
            ? Buffer0
            : bytes(recipient.encrypted_key, `recipient ${i} "encrypted_key"`),
      };
    });
  } else {
    recipients = [
      {
        header: plainObject(jwe.header, '"header"'),
        encryptedKey: jwe.encrypted_key === undefined ? Buffer0 : bytes(jwe.encrypted_key, '"encrypted_key"'),
      },
    ];
  }
  if (jwe.aad !== undefined && typeof jwe.aad !== 'string')
    throw new DecodeError('JWE "aad" must be a base64url string');
  if (typeof jwe.aad === 'string') bytes(jwe.aad, '"aad"');
  return {
    protectedSegment,
    protectedHeader: protectedSegment === '' ? undefined : jsonObject(protectedSegment, 'protected header', maxDepth),
    unprotected: plainObject(jwe.unprotected, '"unprotected"'),
    recipients,
    iv: bytes(jwe.iv, '"iv"'),
    ciphertext: bytes(jwe.ciphertext, '"ciphertext"'),
    tag: bytes(jwe.tag, '"tag"'),
    aadSegment: jwe.aad as string | undefined,
  };
}

const Buffer0 = new Uint8Array(0) as Buffer;

// Compact JWEs from one sender repeat their protected header (dir, key wrapping, RSA-OAEP); parsing
// each distinct one once removes a decode, a JSON.parse and the duplicate scan from the hot path.
// Headers are frozen, so a cached one cannot be changed through a result.
// Entries keep the header's depth, checked against each caller's maxJSONDepth.
const headerCache = /* @__PURE__ */ new LRU<string, { header: Record<string, unknown>; depth: number }>(128);
function protectedHeaderOf(segment: string, maxDepth: number): Record<string, unknown> {
  let entry = headerCache.peek(segment);
  if (entry === undefined) {
    const header = deepFreeze(jsonObject(segment, 'protected header', maxDepth));
    entry = { header, depth: valueDepth(header) };
    headerCache.set(segment, entry);
  } else if (entry.depth > maxDepth) jsonProblem('JWE protected header', 'depth');
  return entry.header;
}

const STRING_MEMBERS = [
  'alg',
  'enc',
  'zip',
  'kid',
  'typ',
  'cty',
  'apu',
  'apv',
  'iv',
  'tag',
  'p2s',
  'jku',
  'x5u',
] as const;

/**
 * The JOSE header of one recipient: the union of the protected, shared unprotected and per-recipient
 * headers, which must not share a member name (RFC 7516 §7.2.1). `zip` and `crit` must be protected.
 */
export function joseHeader(parsed: ParsedJWE, recipient: ParsedRecipient, understood: ReadonlySet<string>): JWEHeader {
  const only = parsed.unprotected === undefined && recipient.header === undefined ? parsed.protectedHeader : undefined;
  const merged: Record<string, unknown> = only ?? (Object.create(null) as Record<string, unknown>);
  if (only === undefined) {
    for (const source of [parsed.protectedHeader, parsed.unprotected, recipient.header]) {
      if (!source) continue;
      for (const name of Object.keys(source)) {
        if (Object.hasOwn(merged, name))
          throw new DecodeError(`JWE header parameter "${name.slice(0, 64)}" appears in more than one header`);
        merged[name] = source[name];
      }
    }
  }
  if (only !== undefined && validated.has(only)) {
    checkCrit(parsed, merged, understood);
    return only as JWEHeader;
  }
  for (const name of STRING_MEMBERS) {
    if (merged[name] !== undefined && typeof merged[name] !== 'string')
      throw new DecodeError(`JWE "${name}" header parameter must be a string`);
  }
  if (typeof merged.alg !== 'string') throw new DecodeError('JWE "alg" header parameter is missing');
  if (typeof merged.enc !== 'string') throw new DecodeError('JWE "enc" header parameter is missing');
  if (merged.zip !== undefined) {
    if (parsed.protectedHeader?.zip === undefined) throw new DecodeError('JWE "zip" must be in the protected header');
    if (merged.zip !== 'DEF') throw new DecodeError('JWE "zip" must be "DEF"');
  }
  if (
    merged.p2c !== undefined &&
    (typeof merged.p2c !== 'number' || !Number.isSafeInteger(merged.p2c) || merged.p2c < 1)
  )
    throw new DecodeError('JWE "p2c" must be a positive integer');
  checkCrit(parsed, merged, understood);
  if (only !== undefined) {
    validated.add(only); // frozen and cached: its structure cannot change
    return only as JWEHeader; // the protected header alone: already a (frozen) plain object
  }
  // A plain object again, member by member: `__proto__` stays data (no [[Set]] on a prototype setter).
  const header: Record<string, unknown> = {};
  for (const name of Object.keys(merged))
    Object.defineProperty(header, name, { value: merged[name], enumerable: true, writable: true, configurable: true });
  return header as JWEHeader;
}

const validated = new WeakSet<object>();

function checkCrit(parsed: ParsedJWE, merged: Record<string, unknown>, understood: ReadonlySet<string>): void {
  if (merged.crit !== undefined) {
    const crit = parsed.protectedHeader?.crit;
    if (crit === undefined) throw new UnsupportedCriticalHeaderError('"crit" must be in the protected header');
    if (!Array.isArray(crit) || crit.length === 0)
      throw new UnsupportedCriticalHeaderError('"crit" must be a non-empty array of strings');
    for (const name of crit) {
      if (typeof name !== 'string' || REGISTERED_HEADER_NAMES.has(name))
        throw new UnsupportedCriticalHeaderError('"crit" must list extension parameter names');
      if (!Object.hasOwn(merged, name))
        throw new UnsupportedCriticalHeaderError(
          `"crit" lists "${name.slice(0, 64)}" but the header does not contain it`,
        );
      if (!understood.has(name))
        throw new UnsupportedCriticalHeaderError(
          `"crit" lists the extension "${name.slice(0, 64)}", which is not understood`,
        );
    }
  }
}
