import { Buffer } from 'node:buffer';
import {
  DecodeError,
  InvalidAlgorithmError,
  InvalidSignatureError,
  UnsupportedCriticalHeaderError,
} from '../errors.js';
import type { JWKSet } from '../jwks/set.js';
import { decodeBase64url } from '../lib/base64url.js';
import { parseHeaderSegment, splitCompact } from '../lib/compact.js';
import { checkProtectedHeader, isResolver, type NormalizedJWS, normalizeJWSOptions } from '../lib/jws.js';
import { toVerificationKey, type VerificationKey, verifySignatureWith } from '../lib/verification-key.js';
import type { CustomAlgorithm, FlattenedJWS, GeneralJWS, JWSHeader, KeyInput, KeyResolver } from '../types.js';

/**
 * Options of {@link verifyJWS}.
 * @example
 * ```ts
 * const options: VerifyJWSOptions = { algorithms: ['EdDSA'], crit: ['exp'] };
 * ```
 */
export interface VerifyJWSOptions {
  /** The allowlist of algorithms (required unless the key is a JWK carrying `alg`); may include custom algorithms. */
  algorithms?: Array<string | CustomAlgorithm>;
  /** Names of `crit` extensions the caller understands (`b64` is understood by verifyJWS). */
  crit?: string[];
  /** The maximum JWS size in characters (default 32 KiB). */
  maxTokenLength?: number;
  /** Accept weak keys. */
  allowWeakKeys?: boolean;
  /** The payload of a detached JWS (RFC 7515 Appendix F): the JWS's own payload must then be empty. */
  detachedPayload?: string | Uint8Array;
}

/**
 * What {@link verifyJWS} returns.
 * @example
 * ```ts
 * const { payload, protectedHeader }: VerifiedJWS = verifyJWS(jws, key, { algorithms: ['HS256'] });
 * ```
 */
export interface VerifiedJWS {
  payload: Uint8Array;
  /** The protected header of the signature that verified (empty when it had none). */
  protectedHeader: JWSHeader;
  /** The unprotected header of that signature (JSON serializations). */
  unprotectedHeader?: Record<string, unknown>;
}

/** One signature, ready to check: its headers and a synthetic "signing input . signature" text. */
interface Signature {
  readonly protectedHeader: JWSHeader | Record<string, never>;
  readonly unprotectedHeader?: Record<string, unknown>;
  readonly header: JWSHeader;
  /** `signingInput + "." + signatureSegment`, with the signing input's bytes as latin1 characters. */
  readonly text: string;
  readonly d2: number;
}

function detachedBytes(value: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
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
function payloadBytes(carried: string, b64: boolean, detached: Buffer | undefined): Buffer {
  if (detached !== undefined) {
    if (carried !== '') throw new DecodeError('a detached JWS must have an empty payload');
    return detached;
  }
  if (!b64) return Buffer.from(carried, 'utf8');
  const bytes = decodeBase64url(carried);
  if (bytes === undefined) throw new DecodeError('payload is not canonical base64url');
  return bytes;
}

function signingText(
  protectedSegment: string,
  carried: string,
  b64: boolean,
  detached: Buffer | undefined,
  signature: string,
): { text: string; d2: number } {
  let payloadPart: string;
  if (detached !== undefined) payloadPart = b64 ? detached.toString('base64url') : detached.toString('latin1');
  else payloadPart = b64 ? carried : Buffer.from(carried, 'utf8').toString('latin1');
  const input = `${protectedSegment}.${payloadPart}`;
  return { text: `${input}.${signature}`, d2: input.length };
}

// The payload is decoded only after a signature verified: nothing unauthenticated is parsed first.
type Parsed = { signatures: Signature[]; payload: () => Buffer };

function parseCompact(jws: string, opts: NormalizedJWS, detached: Buffer | undefined): Parsed {
  const { d1, d2, header } = splitCompact(jws, opts.maxTokenLength);
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

function parseJSON(jws: Record<string, unknown>, opts: NormalizedJWS, detached: Buffer | undefined): Parsed {
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
      protectedSegment === '' ? ({} as Record<string, never>) : parseHeaderSegment(protectedSegment);
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
    if (typeof header.alg !== 'string') throw new DecodeError('"alg" header parameter must be a string');
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

function result(signature: Signature, payloadOf: () => Buffer): VerifiedJWS {
  const payload = payloadOf();
  const out: VerifiedJWS = {
    payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
    protectedHeader: signature.protectedHeader as JWSHeader,
  };
  if (signature.unprotectedHeader) out.unprotectedHeader = signature.unprotectedHeader;
  return out;
}

/** The signatures whose algorithm the caller allows (the others are not considered at all). */
function allowed(
  signatures: Signature[],
  opts: NormalizedJWS,
): Array<{ signature: Signature; info: ReturnType<typeof checkProtectedHeader> }> {
  const out = [];
  let refusal: unknown;
  for (const signature of signatures) {
    try {
      out.push({ signature, info: checkProtectedHeader(signature.header, opts, true) });
    } catch (err) {
      if (signatures.length === 1) throw err;
      refusal ??= err;
    }
  }
  if (out.length === 0) throw refusal ?? new InvalidAlgorithmError('no signature uses an allowed algorithm');
  return out;
}

function verifyAny(
  candidates: ReturnType<typeof allowed>,
  keyFor: (s: Signature) => VerificationKey,
  opts: NormalizedJWS,
  payload: () => Buffer,
): VerifiedJWS {
  let failure: unknown;
  for (const { signature, info } of candidates) {
    try {
      verifySignatureWith(keyFor(signature), signature.header, info, signature.text, signature.d2, opts.allowWeakKeys);
    } catch (err) {
      if (candidates.length === 1) throw err;
      // Keep the most telling failure: a signature that did not verify beats a key that did not fit.
      if (failure === undefined || err instanceof InvalidSignatureError) failure = err;
      continue;
    }
    return result(signature, payload);
  }
  throw failure;
}

/**
 * Verifies a JWS over arbitrary bytes (RFC 7515) — compact, flattened or general JSON — and returns the
 * payload bytes of the first signature that verifies with the key and an allowed algorithm. Detached
 * payloads come as `detachedPayload`; RFC 7797 unencoded payloads (`b64: false`, listed in `crit`) are
 * understood. For JWTs use `verifyJWT`, which also validates claims.
 *
 * @example
 * ```ts
 * import { verifyJWS } from 'tessera-jwt';
 * const { payload } = verifyJWS(jws, publicKey, { algorithms: ['EdDSA'] });
 * console.log(new TextDecoder().decode(payload));
 * const general = verifyJWS(generalJws, ecPublicKey, { algorithms: ['ES256', 'RS256'] });
 * verifyJWS(detachedJws, hmacKey, { algorithms: ['HS256'], detachedPayload: bigDocument });
 * ```
 */
export function verifyJWS(
  jws: string | FlattenedJWS | GeneralJWS,
  key: KeyInput | JWKSet,
  options: VerifyJWSOptions,
): VerifiedJWS;
export function verifyJWS(
  jws: string | FlattenedJWS | GeneralJWS,
  key: KeyResolver,
  options: VerifyJWSOptions,
): Promise<VerifiedJWS>;
export function verifyJWS(
  jws: string | FlattenedJWS | GeneralJWS,
  key: KeyInput | JWKSet | KeyResolver,
  options: VerifyJWSOptions,
): VerifiedJWS | Promise<VerifiedJWS> {
  if (options === null || typeof options !== 'object')
    throw new TypeError('options must be an object with "algorithms"');
  if (isResolver(key) && options.algorithms === undefined)
    throw new TypeError('"algorithms" option is required with a key resolver');
  const opts = normalizeJWSOptions(options, key);
  const detached = options.detachedPayload === undefined ? undefined : detachedBytes(options.detachedPayload);
  const parse = () => {
    if (typeof jws === 'string') return parseCompact(jws, opts, detached);
    if (jws === null || typeof jws !== 'object' || Array.isArray(jws))
      throw new DecodeError('JWS must be a compact string or a JSON serialization object');
    return parseJSON(jws as unknown as Record<string, unknown>, opts, detached);
  };
  if (isResolver(key)) {
    return (async () => {
      const { signatures, payload } = parse();
      const candidates = allowed(signatures, opts);
      const keys = new Map<Signature, VerificationKey>();
      for (const { signature } of candidates) {
        keys.set(
          signature,
          toVerificationKey(
            await (key as KeyResolver)(signature.header, typeof jws === 'string' ? jws : JSON.stringify(jws)),
            opts,
          ),
        );
      }
      return verifyAny(candidates, (s) => keys.get(s)!, opts, payload);
    })();
  }
  const prepared = toVerificationKey(key, opts);
  const { signatures, payload } = parse();
  return verifyAny(allowed(signatures, opts), () => prepared, opts, payload);
}
