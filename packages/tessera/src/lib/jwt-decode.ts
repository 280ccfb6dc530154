// Decoding without verification: decodeJWT (structure, JSON, optional claim checks of the unverified payload)
// and decodeProtectedHeader (JWS or JWE). Pure parsing, so the Node and the web entry export this same code.
import { DecodeError } from '../errors.js';
import { normalizeClaimOptions, validateClaims } from './claims.js';
import { normalizeMaxJSONDepth } from './json.js';
import {
  checkUnderstood,
  decodeJSONSegment,
  decodeSignature,
  DEFAULT_MAX_TOKEN_LENGTH,
  splitCompact,
  splitCompactStructureFirst,
  understoodNames,
} from './compact.js';
import { joseHeader, parseJWE } from './jwe.js';
import { checkDecodeHeaderOptions, checkDecodeJWTOptions } from './option-names.js';
import type { ClaimOptions, CompleteResult, JWEHeader, JWSHeader, JWTPayload } from '../types.js';

/**
 * Options of {@link decodeJWT}. Nothing here verifies the token: `claims` only checks what an
 * unauthenticated payload says about itself.
 * @example
 * ```ts
 * const options: DecodeJWTOptions = { claims: { clockTolerance: '30s' }, crit: ['exp'] };
 * ```
 */
export interface DecodeJWTOptions {
  /** Names of `crit` header extensions the caller understands; any other listed extension is refused, as by `verifyJWT`. */
  crit?: string[];
  /** The maximum token length in characters (default 32 KiB). */
  maxTokenLength?: number;
  /** The deepest JSON nesting accepted in the header and the payload (default 256). */
  maxJSONDepth?: number;
  /**
   * Validate the claims of the UNVERIFIED payload exactly like `verifyJWT` would (`exp`, `nbf`, `iat`,
   * `aud`, `iss`, …, with the same defaults and `checks` switches) — PyJWT's
   * `options={"verify_signature": False, "verify_exp": True}`. Anyone can forge a token that passes:
   * use it to skip a token that is certainly expired, never to trust one.
   */
  claims?: ClaimOptions;
}

/**
 * Options of {@link decodeProtectedHeader}.
 * @example
 * ```ts
 * const { kid } = decodeProtectedHeader(token, { crit: ['exp'] } satisfies DecodeProtectedHeaderOptions);
 * ```
 */
export interface DecodeProtectedHeaderOptions {
  /** Names of `crit` header extensions the caller understands (`b64` is understood for a JWS). */
  crit?: string[];
  /** The maximum token length in characters (default 32 KiB). */
  maxTokenLength?: number;
}

function decodeOptions(
  options: unknown,
  where: string,
): { crit?: unknown; maxTokenLength?: unknown; maxJSONDepth?: unknown; claims?: unknown } {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object`);
  return options;
}

function maxLength(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_TOKEN_LENGTH;
  if (typeof value !== 'number' || !(value > 0))
    throw new TypeError('"maxTokenLength" option must be a positive number');
  return value;
}

/**
 * Decodes a compact JWT WITHOUT verifying it: for logging, debugging or routing only. Never trust
 * the result. The structure is checked as strictly as by `verifyJWT` (canonical base64url, JSON
 * objects, unique member names, typed registered header members, `crit` understood). With `claims`,
 * the payload's claims are validated like `verifyJWT` does — still without any signature check.
 *
 * @example
 * ```ts
 * import { decodeJWT } from 'tessera-jwt';
 * const { header, payload } = decodeJWT(token);
 * console.log(header.kid, payload.exp);
 * // PyJWT decode(token, options={"verify_signature": False, "verify_exp": True}): throws ExpiredSignatureError
 * decodeJWT(token, { claims: {} });
 * ```
 */
export function decodeJWT<P = JWTPayload>(token: string, options: DecodeJWTOptions = {}): CompleteResult<P> {
  const o = decodeOptions(options, 'decodeJWT');
  checkDecodeJWTOptions(o);
  const understood = understoodNames(o.crit);
  const claims = o.claims === undefined ? undefined : normalizeClaimOptions(claimOptions(o.claims));
  const depth = normalizeMaxJSONDepth(o.maxJSONDepth);
  const parts = splitCompactStructureFirst(
    token,
    maxLength(o.maxTokenLength),
    (payload, signature) => {
      decodeJSONSegment(payload, 'payload', depth);
      decodeSignature(signature);
    },
    depth,
  );
  checkUnderstood(parts.header, understood, false);
  const payload = decodeJSONSegment(token.slice(parts.d1 + 1, parts.d2), 'payload', depth) as P;
  const signature = decodeSignature(token.slice(parts.d2 + 1));
  if (claims !== undefined) validateClaims(payload as JWTPayload, parts.header, claims);
  return { header: parts.header, payload, signature };
}

function claimOptions(value: unknown): ClaimOptions {
  if (value === null || typeof value !== 'object')
    throw new TypeError(
      '"claims" option must be an object of claim options, e.g. { claims: { issuer: \'https://auth.example.com\' } }',
    );
  return value as ClaimOptions;
}

/**
 * Returns the protected header of a compact JWS or JWE without verifying anything
 * (PyJWT `get_unverified_header`), e.g. to read `kid` before choosing a key. The header is checked as
 * the verifier checks it: registered members of the right type (`alg`, `kid`, `typ`, `cty`, `jku`,
 * `x5u`, `jwk`, `x5c`, …), a well-formed `crit` (RFC 7515 §4.1.11) listing only extensions the caller
 * understands (`crit` option). A JWE header gets the checks of `decryptJWE`.
 *
 * @example
 * ```ts
 * import { decodeProtectedHeader } from 'tessera-jwt';
 * const { alg, kid } = decodeProtectedHeader(token);
 * ```
 */
export function decodeProtectedHeader(token: string, options: DecodeProtectedHeaderOptions = {}): JWSHeader {
  const o = decodeOptions(options, 'decodeProtectedHeader');
  checkDecodeHeaderOptions(o);
  const understood = understoodNames(o.crit);
  const max = maxLength(o.maxTokenLength);
  if (typeof token !== 'string') throw new DecodeError('token must be a string');
  if (token.length > max) throw new DecodeError(`token is longer than ${max} characters (maxTokenLength)`);
  let dots = 0;
  for (let i = token.indexOf('.'); i !== -1; i = token.indexOf('.', i + 1)) dots++;
  if (dots === 4) {
    const parsed = parseJWE(token, max);
    // A copy: the parsed header is cached and frozen for the decryptor.
    return { ...joseHeader(parsed, parsed.recipients[0]!, understood) } as JWEHeader as unknown as JWSHeader;
  }
  if (dots !== 2) throw new DecodeError('token must have three (JWS) or five (JWE) segments');
  const { header } = splitCompact(token, max);
  checkUnderstood(header, understood, true);
  return { ...header };
}
