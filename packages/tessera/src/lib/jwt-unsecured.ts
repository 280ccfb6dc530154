// Unsecured JWTs (RFC 7519 §6, alg "none"): encode and decode, for tests and for tokens whose integrity another layer
// provides. No crypto, so the Node and the web entry export this same code.
import { DecodeError, InvalidAlgorithmError } from '../errors.js';
import { encodeBase64url } from './base64url.js';
import { normalizeClaimOptions, validateClaims } from './claims.js';
import { buildClaims, normalizeClaimBuild, serializeClaims } from './claims-build.js';
import { decodeJSONSegment, DEFAULT_MAX_TOKEN_LENGTH, splitCompact } from './compact.js';
import { normalizeMaxJSONDepth } from './json.js';
import { encodeProtectedHeader } from './jws-header.js';
import { checkUnsecuredDecodeOptions, checkUnsecuredSignOptions } from './option-names.js';
import type { ClaimOptions, CompleteResult, JWTPayload, JWTPayloadInput, SignOptions } from '../types.js';

/**
 * Options of {@link encodeUnsecuredJWT}: the claim options of SignOptions, without a key.
 * @example
 * ```ts
 * const options: UnsecuredSignOptions = { expiresIn: '5m', subject: 'test' };
 * ```
 */
export type UnsecuredSignOptions = Omit<SignOptions, 'algorithm' | 'kid' | 'allowWeakKeys'>;

/**
 * Produces an unsecured JWT (`alg: "none"`, RFC 7519 §6): anyone can forge one, so only use it where
 * integrity is provided by something else. `verifyJWT` never accepts these tokens.
 *
 * @example
 * ```ts
 * import { encodeUnsecuredJWT } from 'tessera-jwt';
 * const token = encodeUnsecuredJWT({ sub: 'test-user' }, { expiresIn: '5m' }); // "eyJ...eyJ...."
 * ```
 */
export function encodeUnsecuredJWT(payload: JWTPayloadInput, options: UnsecuredSignOptions = {}): string {
  checkUnsecuredSignOptions(options);
  const { segment } = encodeProtectedHeader('none', options, 'JWT');
  return `${segment}.${encodeBase64url(serializeClaims(buildClaims(payload, normalizeClaimBuild(options))))}.`;
}

/**
 * Reads an unsecured JWT (`alg: "none"`) and validates its claims exactly like `verifyJWT`. The only
 * API that accepts `alg: "none"`; a token with any other `alg`, or with a signature, is refused.
 *
 * @example
 * ```ts
 * import { decodeUnsecuredJWT } from 'tessera-jwt';
 * const claims = decodeUnsecuredJWT(token, { issuer: 'test-fixture' });
 * ```
 */
export function decodeUnsecuredJWT<P = JWTPayload>(
  token: string,
  options: ClaimOptions & { complete: true; maxTokenLength?: number; maxJSONDepth?: number },
): CompleteResult<P>;
export function decodeUnsecuredJWT<P = JWTPayload>(
  token: string,
  options?: ClaimOptions & { complete?: boolean; maxTokenLength?: number; maxJSONDepth?: number },
): P;
export function decodeUnsecuredJWT(
  token: string,
  options: ClaimOptions & { complete?: boolean; maxTokenLength?: number; maxJSONDepth?: number } = {},
): unknown {
  checkUnsecuredDecodeOptions(options);
  const claims = normalizeClaimOptions(options);
  const maxJSONDepth = normalizeMaxJSONDepth(options.maxJSONDepth);
  const parts = splitCompact(token, options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH, maxJSONDepth);
  if (parts.header.alg !== 'none') throw new InvalidAlgorithmError('an unsecured JWT must have "alg": "none"');
  if (parts.header.crit !== undefined) throw new DecodeError('an unsecured JWT may not carry "crit"');
  if (parts.d2 !== token.length - 1) throw new DecodeError('an unsecured JWT must have an empty signature segment');
  const payload = decodeJSONSegment(token.slice(parts.d1 + 1, parts.d2), 'payload', maxJSONDepth) as JWTPayload;
  validateClaims(payload, parts.header, claims);
  return options.complete === true ? { header: parts.header, payload, signature: new Uint8Array(0) } : payload;
}
