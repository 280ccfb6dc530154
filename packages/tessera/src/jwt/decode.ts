import { DecodeError } from '../errors.js';
import { decodeJSONSegment, decodeSignature, DEFAULT_MAX_TOKEN_LENGTH, splitCompact } from '../lib/compact.js';
import type { CompleteResult, JWSHeader, JWTPayload } from '../types.js';

/**
 * Decodes a compact JWT WITHOUT verifying it: for logging, debugging or routing only. Never trust
 * the result. The structure is checked as strictly as by `verifyJWT` (canonical base64url, JSON
 * objects, unique member names).
 *
 * @example
 * ```ts
 * import { decodeJWT } from 'tessera-jwt';
 * const { header, payload } = decodeJWT(token);
 * console.log(header.kid, payload.exp);
 * ```
 */
export function decodeJWT<P = JWTPayload>(token: string, options: { maxTokenLength?: number } = {}): CompleteResult<P> {
  const parts = splitCompact(token, options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH);
  const payload = decodeJSONSegment(token.slice(parts.d1 + 1, parts.d2), 'payload') as P;
  return { header: parts.header, payload, signature: decodeSignature(token.slice(parts.d2 + 1)) };
}

/**
 * Returns the protected header of a compact JWS or JWE without verifying anything
 * (PyJWT `get_unverified_header`), e.g. to read `kid` before choosing a key.
 *
 * @example
 * ```ts
 * import { decodeProtectedHeader } from 'tessera-jwt';
 * const { alg, kid } = decodeProtectedHeader(token);
 * ```
 */
export function decodeProtectedHeader(token: string): JWSHeader {
  if (typeof token !== 'string') throw new DecodeError('token must be a string');
  if (token.length > DEFAULT_MAX_TOKEN_LENGTH)
    throw new DecodeError(`token is longer than ${DEFAULT_MAX_TOKEN_LENGTH} characters`);
  const segments = token.split('.');
  if (segments.length !== 3 && segments.length !== 5)
    throw new DecodeError('token must have three (JWS) or five (JWE) segments');
  const header = decodeJSONSegment(segments[0]!, 'protected header');
  if (typeof header.alg !== 'string') throw new DecodeError('"alg" header parameter must be a string');
  return header as JWSHeader;
}
