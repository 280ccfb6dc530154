// Reading JWEs in all three serializations (RFC 7516 §7) for the web entry, with the Node entry's rules:
// canonical base64url, JSON objects with unique members, disjoint header parameter sets (§7.2.1), and
// `zip`/`crit` only in the integrity-protected header.
import { DecodeError, UnsupportedCriticalHeaderError } from '../errors.js';
import { parseJSONText } from '../lib/json.js';
import { REGISTERED_HEADER_NAMES } from '../lib/registered-headers.js';
import type { JWEHeader } from '../types.js';
import { decodeB64u } from './keys.js';

/** Internal: one recipient: its unprotected per-recipient header and encrypted key. */
export interface WebParsedRecipient {
  readonly header?: Record<string, unknown>;
  readonly encryptedKey: Uint8Array;
}

/** Internal: any serialization, parsed. */
export interface WebParsedJWE {
  readonly protectedSegment: string;
  readonly protectedHeader?: Record<string, unknown>;
  readonly unprotected?: Record<string, unknown>;
  readonly recipients: readonly WebParsedRecipient[];
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
  readonly aadSegment?: string;
}

const strictUTF8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const EMPTY = /* @__PURE__ */ new Uint8Array(0);

function bytes(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string') throw new DecodeError(`JWE ${what} must be a base64url string`);
  const decoded = decodeB64u(value);
  if (decoded === undefined) throw new DecodeError(`JWE ${what} is not canonical base64url`);
  return decoded;
}

function jsonObject(segment: string, what: string, maxDepth: number): Record<string, unknown> {
  const decoded = decodeB64u(segment);
  if (decoded === undefined) throw new DecodeError(`JWE ${what} is not canonical base64url`);
  let text: string;
  try {
    text = strictUTF8.decode(decoded);
  } catch {
    throw new DecodeError(`JWE ${what} is not valid UTF-8`);
  }
  const parsed = parseJSONText(text, maxDepth);
  if (parsed === 'depth') throw new DecodeError(`JWE ${what} nests deeper than ${maxDepth} levels`);
  if (parsed === 'duplicate') throw new DecodeError(`JWE ${what} has a duplicate member name`);
  if (parsed === 'syntax') throw new DecodeError(`JWE ${what} is not valid JSON`);
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new DecodeError(`JWE ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function plainObject(value: unknown, what: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new DecodeError(`JWE ${what} must be an object`);
  return value as Record<string, unknown>;
}

/** Internal: parses a compact JWE string or a flattened/general JWE object. */
export function parseWebJWE(input: unknown, maxLength: number, maxDepth: number): WebParsedJWE {
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
      protectedHeader: jsonObject(protectedSegment, 'protected header', maxDepth),
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
  let recipients: WebParsedRecipient[];
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
            ? EMPTY
            : bytes(recipient.encrypted_key, `recipient ${i} "encrypted_key"`),
      };
    });
  } else {
    recipients = [
      {
        header: plainObject(jwe.header, '"header"'),
        encryptedKey: jwe.encrypted_key === undefined ? EMPTY : bytes(jwe.encrypted_key, '"encrypted_key"'),
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

const STRING_MEMBERS = ['alg', 'enc', 'zip', 'kid', 'typ', 'cty', 'apu', 'apv', 'iv', 'tag', 'p2s', 'jku', 'x5u'];

/** Internal: the JOSE header of one recipient (the union of three disjoint headers, RFC 7516 §7.2.1). */
export function webJoseHeader(
  parsed: WebParsedJWE,
  recipient: WebParsedRecipient,
  understood: ReadonlySet<string>,
): JWEHeader {
  const merged: Record<string, unknown> = {};
  for (const source of [parsed.protectedHeader, parsed.unprotected, recipient.header]) {
    if (!source) continue;
    for (const name of Object.keys(source)) {
      if (Object.hasOwn(merged, name))
        throw new DecodeError(`JWE header parameter "${name.slice(0, 64)}" appears in more than one header`);
      // Member by member: `__proto__` stays data (no [[Set]] on a prototype setter).
      Object.defineProperty(merged, name, {
        value: source[name],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
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
  return merged as JWEHeader;
}
