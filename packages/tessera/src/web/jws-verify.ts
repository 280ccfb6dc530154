// Compact JWS verification over crypto.subtle: the strict header and segment checks, key (or JWK Set)
// selection and the signature check that the web verifyJWS, verifyJWT and decryptJWT's nested step share.
import {
  DecodeError,
  InvalidAlgorithmError,
  InvalidSignatureError,
  NoMatchingKeyError,
  UnsupportedCriticalHeaderError,
} from '../errors.js';
import { type AlgorithmInfo, algorithmInfo, CURVE_ORDERS } from '../lib/algorithms.js';
import { normalizeMaxJSONDepth, parseJSONText } from '../lib/json.js';
import type { JWSHeader } from '../types.js';
import type { JWKSet } from './jwk-set.js';
import { type JWKSetDocument, setCandidates, type WebKeyResolver, type WebKeySource } from './jwks.js';
import { decodeB64u, subtle, type WebKeyInput, webKeyFor } from './keys.js';

const DEFAULT_MAX_TOKEN_LENGTH = 32 * 1024; // as on Node
export const encoder = new TextEncoder();
const strictUTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// `segment` may be bytes already decoded (and checked canonical), so that a payload is decoded only once.
export function segmentJSON(segment: string | Uint8Array, what: string, maxDepth: number): Record<string, unknown> {
  const bytes = typeof segment === 'string' ? decodeB64u(segment) : segment;
  if (bytes === undefined) throw new DecodeError(`${what} is not canonical base64url`);
  let text: string;
  try {
    text = strictUTF8.decode(bytes);
  } catch {
    throw new DecodeError(`${what} is not valid UTF-8`);
  }
  const parsed = parseJSONText(text, maxDepth);
  if (parsed === 'depth') throw new DecodeError(`${what} nests deeper than ${maxDepth} levels`);
  if (parsed === 'duplicate') throw new DecodeError(`${what} has a duplicate member name`);
  if (parsed === 'syntax') throw new DecodeError(`${what} is not valid JSON`);
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new DecodeError(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

// `extensions`: the caller (verifyJWS) reads crit and b64 through the core's parser, so a header that
// has them is handed back (undefined) instead of refused; the checks below cost nothing more on this path.
function checkWebHeader(header: Record<string, unknown>, extensions: boolean): JWSHeader | undefined {
  if (!Object.hasOwn(header, 'alg')) throw new InvalidAlgorithmError('"alg" header parameter is missing');
  if (typeof header.alg !== 'string') throw new InvalidAlgorithmError('"alg" header parameter must be a string');
  for (const name of ['kid', 'typ', 'cty']) {
    if (header[name] !== undefined && typeof header[name] !== 'string')
      throw new DecodeError(`"${name}" header parameter must be a string`);
  }
  // A JWT understands no JWS extension (RFC 7515 §4.1.11): any "crit" is refused, "b64" included.
  if (header.crit !== undefined) {
    if (extensions) return undefined;
    throw new UnsupportedCriticalHeaderError('"crit" lists an extension not understood');
  }
  if (header.b64 !== undefined) {
    if (extensions) return undefined;
    throw new DecodeError('"b64" (RFC 7797) is not supported for a JWT');
  }
  return header as JWSHeader;
}

// 0 < v < n for a big-endian scalar of n's length (an ECDSA r or s).
function inRange(v: Uint8Array, offset: number, n: Uint8Array): boolean {
  let nonZero = 0;
  let cmp = 0;
  for (let i = 0; i < n.length; i++) {
    const a = v[offset + i]!;
    const b = n[i]!;
    nonZero |= a;
    if (cmp === 0 && a !== b) cmp = a < b ? -1 : 1;
  }
  return nonZero !== 0 && cmp === -1;
}

/** The options every web verifier of a compact JWS takes (verifyJWT's, and the nested JWS of decryptJWT). */
export interface WebCompactVerifyOptions {
  /** The accepted JWS algorithms (required: the token's "alg" is never trusted on its own). */
  algorithms: readonly string[];
  /** Maximum token length in characters (default 32 KiB). */
  maxTokenLength?: number;
  /** Allow HMAC secrets shorter than the hash output and RSA keys under 2048 bits (default false). */
  allowWeakKeys?: boolean;
  /** The deepest JSON nesting accepted in the header and payload (default 256). */
  maxJSONDepth?: number;
  /**
   * The `crit` extensions the caller understands: only `[]` here (the web entry implements none, so a
   * token with `crit` is always refused); accepted so that options shared with the Node entry keep working.
   */
  crit?: readonly [];
}

/** Options of the web {@link verifyJWS}: those of the Node entry's `verifyJWS`. */
export interface WebVerifyJWSOptions extends Omit<WebCompactVerifyOptions, 'crit'> {
  /** Names of `crit` extensions the caller understands (`b64`, RFC 7797, is understood by verifyJWS). */
  crit?: readonly string[];
  /** The payload of a detached JWS (RFC 7515 Appendix F): the JWS's own payload must then be empty. */
  detachedPayload?: string | Uint8Array;
}

/** What the web {@link verifyJWS} resolves to: the Node entry's result, plus `header`. */
export interface WebVerifiedJWS {
  /** The payload bytes (base64url-decoded, or as carried with `b64: false`). */
  readonly payload: Uint8Array;
  /** The protected header of the signature that verified (empty when a JSON JWS signature has none). */
  readonly protectedHeader: JWSHeader;
  /** The unprotected header of that signature (JSON serializations). */
  readonly unprotectedHeader?: Record<string, unknown>;
  /** The protected and unprotected members together (for a compact JWS: the protected header). */
  readonly header: JWSHeader;
}

export async function verifyCompact(
  token: unknown,
  key: WebKeySource,
  options: WebCompactVerifyOptions,
  algorithms: readonly string[],
): Promise<{ header: JWSHeader; payload: Uint8Array }>;
export async function verifyCompact(
  token: unknown,
  key: WebKeySource,
  options: WebCompactVerifyOptions,
  algorithms: readonly string[],
  extensions: true,
): Promise<{ header: JWSHeader; payload: Uint8Array } | undefined>;
export async function verifyCompact(
  token: unknown,
  key: WebKeySource,
  options: WebCompactVerifyOptions,
  algorithms: readonly string[],
  extensions = false,
): Promise<{ header: JWSHeader; payload: Uint8Array } | undefined> {
  const maxLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (typeof token !== 'string') throw new DecodeError('token must be a string');
  if (token.length > maxLength) throw new DecodeError(`token is longer than ${maxLength} characters (maxTokenLength)`);
  const segments = token.split('.');
  if (segments.length === 5) throw new DecodeError('token has five segments: it is a JWE, not a JWS');
  if (segments.length !== 3) throw new DecodeError('token must have exactly three segments');
  const [h, p, s] = segments as [string, string, string];
  if (h === '') throw new DecodeError('protected header segment is empty');
  const header = checkWebHeader(segmentJSON(h, 'header', normalizeMaxJSONDepth(options.maxJSONDepth)), extensions);
  if (header === undefined) return undefined;
  if (!algorithms.includes(header.alg)) throw new InvalidAlgorithmError('the token\'s "alg" is not allowed');
  const info = algorithmInfo(header.alg)!;
  const signature = decodeB64u(s);
  if (signature === undefined) throw new DecodeError('signature is not canonical base64url');
  // The payload segment is checked after the signature, as on Node: nothing unauthenticated is decoded first.
  const data = encoder.encode(`${h}.${p}`);
  const weak = options.allowWeakKeys === true;
  const source = typeof key === 'function' ? await resolveKey(key as WebKeyResolver, header, token) : key;
  await checkWithSource(source, header, info, weak, signature, data);
  return { header, payload: canonicalPayload(p) };
}

/** Internal: the key a resolver gives for a header (never jku/x5u-followed: only the resolver decides). */
export async function resolveKey(
  resolver: WebKeyResolver,
  header: JWSHeader,
  token: string,
): Promise<WebKeyInput | JWKSet | JWKSetDocument> {
  const source = await resolver(header, token);
  if (source === undefined || source === null)
    throw new NoMatchingKeyError('the key resolver found no key for the token');
  if (typeof source === 'function') throw new TypeError('a key resolver must resolve to a key or a JWK Set');
  return source;
}

/** Internal: checks `signature` over `data` with a key, or with the keys of a JWK Set that fit `header`. */
export async function checkWithSource(
  source: unknown,
  header: JWSHeader,
  info: AlgorithmInfo,
  weak: boolean,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<void> {
  const candidates = setCandidates(source, header);
  // Awaited rather than returned: an async function that returns a promise costs the caller extra ticks.
  if (candidates === undefined) return await checkSignature(source as WebKeyInput, info, weak, signature, data);
  let failure: unknown;
  for (const candidate of candidates) {
    try {
      return await checkSignature(candidate, info, weak, signature, data);
    } catch (err) {
      // As on Node: a malformed signature is malformed for every key; a mismatch beats a key that did not fit.
      if (candidates.length === 1 || (err instanceof DecodeError && !(err instanceof InvalidSignatureError))) throw err;
      if (failure === undefined || err instanceof InvalidSignatureError) failure = err;
    }
  }
  throw failure;
}

function canonicalPayload(segment: string): Uint8Array {
  const bytes = decodeB64u(segment);
  if (bytes === undefined) throw new DecodeError('payload is not canonical base64url');
  return bytes;
}

async function checkSignature(
  key: WebKeyInput,
  info: AlgorithmInfo,
  weak: boolean,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<void> {
  const web = await webKeyFor(key, info, 'verify', weak);
  let valid = false;
  if (info.family === 'ES') {
    const size = info.scalarBytes!;
    const n = CURVE_ORDERS[info.curve!]!;
    valid = signature.length === 2 * size && inRange(signature, 0, n) && inRange(signature, size, n);
    if (!valid) throw new InvalidSignatureError('signature verification failed');
  }
  try {
    valid = await subtle().verify(web.params, web.key, signature, data);
  } catch {
    valid = false;
  }
  if (!valid) throw new InvalidSignatureError('signature verification failed');
}
