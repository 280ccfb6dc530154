// Parsing a JWS in any serialization (RFC 7515 §7) into its signatures and a lazily decoded payload,
// shared by verifyJWS and decodeJWS: compact or flattened/general JSON, detached payloads (Appendix F)
// and RFC 7797 unencoded payloads.
// Platform-neutral (bytes are Uint8Arrays): the web entry parses with it too.
import { DecodeError, UnsupportedCriticalHeaderError } from '../errors.js';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import { checkRegisteredMembers, parseHeaderSegment, requireAlg, splitCompact } from './compact.js';
import type { NormalizedJWS } from './jws.js';
import { latin1Text, utf8Bytes } from './latin1.js';
import type { JWSHeader } from '../types.js';

/** One signature, ready to check: its headers and a synthetic "signing input . signature" text. */
export interface Signature {
  readonly protectedHeader: JWSHeader | Record<string, never>;
  readonly unprotectedHeader?: Record<string, unknown>;
  readonly header: JWSHeader;
  /** `signingInput + "." + signatureSegment`, with the signing input's bytes as latin1 characters. */
  readonly text: string;
  readonly d2: number;
}

export function detachedBytes(value: unknown): Uint8Array {
  if (typeof value === 'string') return utf8Bytes(value);
  if (value instanceof Uint8Array) return value;
  throw new TypeError('"detachedPayload" option must be a string or a Uint8Array');
}

// RFC 7797 §3: b64 must be in the protected header, listed in crit, and the same for every signature.
function unencoded(protectedHeader: Record<string, unknown>): boolean {
  if (protectedHeader.b64 === undefined) return false;
  if (!Array.isArray(protectedHeader.crit) || !protectedHeader.crit.includes('b64')) {
    throw new UnsupportedCriticalHeaderError('"b64" must be listed in "crit" (RFC 7797 §6)');
  }
  return protectedHeader.b64 === false;
}

/** The payload bytes as carried (base64url-decoded unless b64: false). */
function payloadBytes(carried: string, b64: boolean, detached: Uint8Array | undefined): Uint8Array {
  if (detached !== undefined) {
    if (carried !== '') throw new DecodeError('a detached JWS must have an empty payload');
    return detached;
  }
  if (!b64) return utf8Bytes(carried);
  const bytes = decodeBase64url(carried);
  if (bytes === undefined) throw new DecodeError('payload is not canonical base64url');
  return bytes;
}

function signingText(
  protectedSegment: string,
  carried: string,
  b64: boolean,
  detached: Uint8Array | undefined,
  signature: string,
): { text: string; d2: number } {
  let payloadPart: string;
  if (detached !== undefined) payloadPart = b64 ? encodeBase64url(detached) : latin1Text(detached);
  else payloadPart = b64 ? carried : latin1Text(utf8Bytes(carried));
  const input = `${protectedSegment}.${payloadPart}`;
  return { text: `${input}.${signature}`, d2: input.length };
}

// The payload is decoded only after a signature verified: nothing unauthenticated is parsed first.
export type Parsed = { signatures: Signature[]; payload: () => Uint8Array };

export function parseCompact(jws: string, opts: NormalizedJWS, detached: Uint8Array | undefined): Parsed {
  const { d1, d2, header } = splitCompact(jws, opts.maxTokenLength, opts.maxJSONDepth);
  const b64 = !unencoded(header);
  const carried = jws.slice(d1 + 1, d2);
  if (detached !== undefined && carried !== '') throw new DecodeError('a detached JWS must have an empty payload');
  const text =
    detached === undefined && b64
      ? { text: jws, d2 }
      : signingText(jws.slice(0, d1), carried, b64, detached, jws.slice(d2 + 1));
  return {
    signatures: [{ protectedHeader: header, header, ...text }],
    payload: () => payloadBytes(carried, b64, detached),
  };
}

function object(value: unknown, what: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new DecodeError(`JWS ${what} must be an object`);
  return value as Record<string, unknown>;
}

export function parseJSON(jws: Record<string, unknown>, opts: NormalizedJWS, detached: Uint8Array | undefined): Parsed {
  let size = 0;
  for (const value of Object.values(jws))
    size += typeof value === 'string' ? value.length : JSON.stringify(value ?? null).length;
  if (size > opts.maxTokenLength)
    throw new DecodeError(`JWS is larger than ${opts.maxTokenLength} characters (maxTokenLength)`);
  let entries: unknown[];
  if (jws.signatures !== undefined) {
    if (jws.signature !== undefined || jws.protected !== undefined || jws.header !== undefined)
      throw new DecodeError('a general JWS keeps "protected", "header" and "signature" inside "signatures"');
    if (!Array.isArray(jws.signatures) || jws.signatures.length === 0)
      throw new DecodeError('JWS "signatures" must be a non-empty array');
    if (jws.signatures.length > 16) throw new DecodeError('JWS has too many signatures');
    entries = jws.signatures;
  } else {
    entries = [{ protected: jws.protected, header: jws.header, signature: jws.signature }];
  }
  const carried = jws.payload === undefined ? '' : jws.payload;
  if (typeof carried !== 'string') throw new DecodeError('JWS "payload" must be a string');
  if (jws.payload === undefined && detached === undefined)
    throw new DecodeError('JWS has no payload; pass detachedPayload for a detached JWS');
  let b64: boolean | undefined;
  const signatures = entries.map((raw, i) => {
    const entry = object(raw, `signature ${i}`)!;
    const protectedSegment = entry.protected === undefined ? '' : entry.protected;
    if (typeof protectedSegment !== 'string') throw new DecodeError('JWS "protected" must be a string');
    if (typeof entry.signature !== 'string') throw new DecodeError('JWS "signature" must be a string');
    const protectedHeader =
      protectedSegment === '' ? ({} as Record<string, never>) : parseHeaderSegment(protectedSegment, opts.maxJSONDepth);
    const unprotectedHeader = object(entry.header, '"header"');
    // RFC 7515 §7.2.1: the protected and unprotected header member names are disjoint.
    const header: Record<string, unknown> = {};
    for (const source of [protectedHeader, unprotectedHeader ?? {}]) {
      for (const name of Object.keys(source)) {
        if (Object.hasOwn(header, name))
          throw new DecodeError(`JWS header parameter "${name.slice(0, 64)}" appears in both headers`);
        Object.defineProperty(header, name, {
          value: (source as Record<string, unknown>)[name],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    // The unprotected members get the same type checks as the protected ones (a numeric "kid" there too).
    checkRegisteredMembers(header);
    requireAlg(header);
    if (unprotectedHeader && (Object.hasOwn(unprotectedHeader, 'crit') || Object.hasOwn(unprotectedHeader, 'b64'))) {
      throw new DecodeError('"crit" and "b64" must be integrity protected');
    }
    const thisB64 = !unencoded(protectedHeader);
    if (b64 !== undefined && thisB64 !== b64)
      throw new DecodeError('"b64" must be the same for every signature (RFC 7797 §3)');
    b64 = thisB64;
    return {
      protectedHeader,
      unprotectedHeader,
      header: header as JWSHeader,
      ...signingText(protectedSegment, carried, thisB64, detached, entry.signature),
    };
  });
  if (detached !== undefined && carried !== '') throw new DecodeError('a detached JWS must have an empty payload');
  return { signatures, payload: () => payloadBytes(carried, b64!, detached) };
}
