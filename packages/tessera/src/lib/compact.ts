// Parsing the JWS Compact Serialization (RFC 7515 §7.1) strictly: exactly three segments, canonical
// base64url, a JSON object header with unique members, typed registered members, a well-formed "crit".
import type { Buffer } from 'node:buffer';
import { DecodeError, InvalidAlgorithmError, UnsupportedCriticalHeaderError } from '../errors.js';
import type { JWSHeader } from '../types.js';
import { decodeBase64url, isCanonicalBase64url } from './base64url.js';
import { DEFAULT_MAX_JSON_DEPTH, type JSONObjectProblem, parseJSONObject, valueDepth } from './json.js';
import { deepFreeze } from './freeze.js';
import { LRU } from './lru.js';
import { REGISTERED_HEADER_NAMES } from './registered-headers.js';

/** Default maximum token length: 32 KiB (a cookie holds 4 KiB; proxies cap headers at 8–16 KiB). */
export const DEFAULT_MAX_TOKEN_LENGTH = 32 * 1024;

export interface CompactParts {
  /** Index of the first and second dot. */
  readonly d1: number;
  readonly d2: number;
  readonly header: JWSHeader;
}

const PROBLEMS: Record<JSONObjectProblem, string> = {
  utf8: 'is not valid UTF-8',
  syntax: 'is not valid JSON',
  not_object: 'is not a JSON object',
  duplicate: 'has a duplicate member name',
  depth: 'nests deeper than maxJSONDepth allows',
};

/** Throws a DecodeError describing why a segment's JSON was refused. */
export function jsonProblem(what: string, problem: JSONObjectProblem): never {
  throw new DecodeError(`${what} ${PROBLEMS[problem]}`);
}

/** Parses `segment` (base64url of a JSON object, at most `maxDepth` levels deep) or throws a DecodeError naming `what`. */
export function decodeJSONSegment(
  segment: string,
  what: string,
  maxDepth: number = DEFAULT_MAX_JSON_DEPTH,
): Record<string, unknown> {
  const bytes = decodeBase64url(segment);
  if (bytes === undefined) throw new DecodeError(`${what} is not canonical base64url`);
  const value = parseJSONObject(bytes, maxDepth);
  if (typeof value === 'string') jsonProblem(what, value);
  return value;
}

// Registered members whose value is a string (RFC 7515 §4.1.2–4.1.10); `alg` is checked first, apart.
const STRING_MEMBERS = ['kid', 'typ', 'cty', 'jku', 'x5u', 'x5t', 'x5t#S256'] as const;

/**
 * Type checks of the registered JWS header members, wherever they appear (a protected header, or the
 * union of the protected and unprotected headers of a JSON JWS): a wrongly typed member is a DecodeError.
 * A missing `alg` is checked last, by {@link requireAlg}, so that a malformed header is reported as such.
 */
export function checkRegisteredMembers(header: Record<string, unknown>): void {
  if (Object.hasOwn(header, 'alg') && typeof header.alg !== 'string')
    throw new DecodeError('"alg" header parameter must be a string');
  for (const name of STRING_MEMBERS) {
    if (header[name] !== undefined && typeof header[name] !== 'string')
      throw new DecodeError(`"${name}" header parameter must be a string`);
  }
  const jwk = header.jwk;
  if (jwk !== undefined && (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)))
    throw new DecodeError('"jwk" header parameter must be a JSON object');
  const x5c = header.x5c;
  if (x5c !== undefined && (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === 'string'))) {
    throw new DecodeError('"x5c" header parameter must be a non-empty array of strings');
  }
  if (header.b64 !== undefined && typeof header.b64 !== 'boolean')
    throw new DecodeError('"b64" header parameter must be a boolean');
}

/** A header without `alg` is an InvalidAlgorithmError (PyJWT's choice: no algorithm can be allowed for it). */
export function requireAlg(header: Record<string, unknown>): void {
  if (!Object.hasOwn(header, 'alg')) throw new InvalidAlgorithmError('"alg" header parameter is missing');
}

/** Structural checks of a JWS protected header; independent of the caller's options, so cacheable. */
export function checkHeader(header: Record<string, unknown>): JWSHeader {
  checkRegisteredMembers(header);
  const crit = header.crit;
  if (crit !== undefined) {
    if (!Array.isArray(crit) || crit.length === 0)
      throw new UnsupportedCriticalHeaderError('"crit" must be a non-empty array of strings');
    const seen = new Set<string>();
    for (const name of crit) {
      if (typeof name !== 'string' || name.length === 0)
        throw new UnsupportedCriticalHeaderError('"crit" must be a non-empty array of strings');
      if (REGISTERED_HEADER_NAMES.has(name))
        throw new UnsupportedCriticalHeaderError(`"crit" may not list the registered parameter "${name}"`);
      if (seen.has(name)) throw new UnsupportedCriticalHeaderError('"crit" lists a parameter twice');
      if (!Object.hasOwn(header, name))
        throw new UnsupportedCriticalHeaderError(
          `"crit" lists "${name.slice(0, 64)}" but the header does not contain it`,
        );
      seen.add(name);
    }
  }
  requireAlg(header);
  return header as JWSHeader;
}

/**
 * The `crit` check of the decoders that verify nothing: every listed extension must be one the caller
 * understands (RFC 7515 §4.1.11), as when verifying, so that decoding and verifying agree on a token.
 * `b64` (RFC 7797) is understood where an unencoded payload can be read.
 */
export function checkUnderstood(header: JWSHeader, understood: ReadonlySet<string>, allowUnencoded: boolean): void {
  if (header.crit !== undefined) {
    for (const name of header.crit) {
      if (!understood.has(name) && !(allowUnencoded && name === 'b64')) {
        throw new UnsupportedCriticalHeaderError(
          `"crit" lists the extension "${name.slice(0, 64)}", which is not understood`,
        );
      }
    }
  }
  if (header.b64 === false && !allowUnencoded)
    throw new UnsupportedCriticalHeaderError('"b64": false (RFC 7797 unencoded payload) is not allowed here');
}

/** The `crit` option of a decoder: the extension names the caller understands. */
export function understoodNames(crit: unknown): ReadonlySet<string> {
  if (crit === undefined) return EMPTY;
  if (!Array.isArray(crit) || !crit.every((c) => typeof c === 'string'))
    throw new TypeError('"crit" option must be an array of strings');
  return new Set(crit as string[]);
}

const EMPTY: ReadonlySet<string> = new Set();

// Tokens from one issuer share a handful of header segments; parsing each only once removes a
// base64url decode, a JSON.parse and the duplicate scan from the hot path. Only valid headers are kept.
// Entries keep the header's depth: a header parsed under one caller's maxJSONDepth is checked against the next's.
const headerCache = /* @__PURE__ */ new LRU<string, { header: JWSHeader; depth: number }>(256);

// The most recent header, checked with startsWith before any slicing or hashing: a verifier usually
// sees one header over and over.
let lastSegment = '';
let lastHeader: JWSHeader | undefined;
let lastDepth = 0;

/** Parses the header segment (cached), or throws a DecodeError. */
export function parseHeaderSegment(segment: string, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): JWSHeader {
  let entry = headerCache.peek(segment);
  if (entry === undefined) {
    if (segment.length > 8192) throw new DecodeError('protected header is too large');
    const header = deepFreeze(checkHeader(decodeJSONSegment(segment, 'protected header', maxDepth)));
    entry = { header, depth: valueDepth(header) };
    headerCache.set(segment, entry);
  } else if (entry.depth > maxDepth) jsonProblem('protected header', 'depth');
  lastSegment = segment;
  lastHeader = entry.header;
  lastDepth = entry.depth;
  return entry.header;
}

/** Splits a compact JWS into its parts and parses the protected header. */
export function splitCompact(
  token: unknown,
  maxLength: number,
  maxDepth: number = DEFAULT_MAX_JSON_DEPTH,
): CompactParts {
  if (typeof token !== 'string') throw new DecodeError('token must be a string');
  if (token.length > maxLength) throw new DecodeError(`token is longer than ${maxLength} characters (maxTokenLength)`);
  const d1 = token.indexOf('.');
  const d2 = d1 === -1 ? -1 : token.indexOf('.', d1 + 1);
  if (d2 === -1) throw new DecodeError('token must have three segments separated by dots');
  const d3 = token.indexOf('.', d2 + 1);
  if (d3 !== -1) {
    const segments = token.split('.').length;
    throw new DecodeError(
      segments === 5
        ? 'token has five segments: it is a JWE, not a JWS; decrypt it with decryptJWT'
        : 'token must have exactly three segments',
    );
  }
  if (d1 === 0) throw new DecodeError('protected header segment is empty');
  const header =
    d1 === lastSegment.length && lastDepth <= maxDepth && token.startsWith(lastSegment)
      ? lastHeader!
      : parseHeaderSegment(token.slice(0, d1), maxDepth);
  return { d1, d2, header };
}

/**
 * splitCompact, but a header without "alg" is reported only after the other segments decoded: as in
 * PyJWT, a token whose segments are not even well-formed is malformed (DecodeError), whatever its header lacks.
 */
export function splitCompactStructureFirst(
  token: string,
  max: number,
  decodeRest: (payload: string, signature: string) => void,
  maxDepth: number = DEFAULT_MAX_JSON_DEPTH,
): CompactParts {
  try {
    return splitCompact(token, max, maxDepth);
  } catch (err) {
    // splitCompact counted three segments before it parsed the header.
    if (err instanceof InvalidAlgorithmError) {
      const [, payload, signature] = token.split('.') as [string, string, string];
      decodeRest(payload, signature);
    }
    throw err;
  }
}

/** Decodes the signature segment (strictly). */
export function decodeSignature(segment: string): Buffer {
  const bytes = decodeBase64url(segment);
  if (bytes === undefined) throw new DecodeError('signature is not canonical base64url');
  return bytes;
}

export { isCanonicalBase64url };
