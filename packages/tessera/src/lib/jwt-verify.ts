// The JWT verification machinery shared by verifyJWT, createVerifier and decryptJWT: options compiled
// once, then the per-token checks (header, signature, claims) with a static key or a resolver.
import { algorithmHint } from './algorithm-hint.js';
import { type NormalizedClaims, normalizeClaimOptions, validateClaims } from './claims.js';
import { type CompactParts, decodeJSONSegment, decodeSignature, splitCompact } from './compact.js';
import { isResolver, type NormalizedJWS, normalizeJWSOptions } from './jws.js';
import { checkProtectedHeader } from './jws-allowlist.js';
import { isRemoteKeySet } from './key-set.js';
import { toVerificationKey, type VerificationKey, verifySignatureWith } from './verification-key.js';
import type { CompleteResult, JWTPayload, KeyResolver, VerifyOptions } from '../types.js';

/** Internal: verification options validated once. */
export interface CompiledVerify {
  readonly jws: NormalizedJWS;
  readonly claims: NormalizedClaims;
  readonly complete: boolean;
}

/**
 * Validates VerifyOptions (TypeError for programmer mistakes). `token` (one-shot calls) only improves the
 * example in the "algorithms is required" message.
 */
export function compileVerifyOptions(options: VerifyOptions, key: unknown, token?: unknown): CompiledVerify {
  const hint = (): string => algorithmHint(token, key);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`options must be an object, e.g. { algorithms: ['${hint()}'] }`);
  }
  // A remote JWKS is pinned by its keys' alg instead, like a static JWKSet.
  if (isResolver(key) && options.algorithms === undefined && !isRemoteKeySet(key)) {
    throw new TypeError(`"algorithms" option is required with a key resolver, e.g. { algorithms: ['${hint()}'] }`);
  }
  return {
    jws: normalizeJWSOptions(options, key, hint),
    claims: normalizeClaimOptions(options),
    complete: options.complete === true,
  };
}

/** Internal: the checks after the key is known (signature, payload, claims). */
export function finishVerify(
  token: string,
  parts: CompactParts,
  key: VerificationKey,
  c: CompiledVerify,
  allowAsync = false,
): unknown {
  const info = checkProtectedHeader(parts.header, c.jws, false);
  const pending = verifySignatureWith(key, parts.header, info, token, parts.d2, c.jws.allowWeakKeys, allowAsync);
  if (pending) return pending.then(() => finishClaims(token, parts, c));
  return finishClaims(token, parts, c);
}

function finishClaims(token: string, parts: CompactParts, c: CompiledVerify): unknown {
  const payloadSegment = token.slice(parts.d1 + 1, parts.d2);
  const payload = decodeJSONSegment(payloadSegment, 'payload', c.jws.maxJSONDepth) as JWTPayload;
  validateClaims(payload, parts.header, c.claims);
  if (!c.complete) return payload;
  return {
    header: parts.header,
    payload,
    signature: decodeSignature(token.slice(parts.d2 + 1)),
  } satisfies CompleteResult;
}

/** Internal: synchronous verification with a static key. */
export function verifyStatic(token: string, key: VerificationKey, c: CompiledVerify): unknown {
  return finishVerify(token, splitCompact(token, c.jws.maxTokenLength, c.jws.maxJSONDepth), key, c);
}

/** Internal: verification through a key resolver; every failure is a rejection. */
export async function verifyResolved(token: string, resolver: KeyResolver, c: CompiledVerify): Promise<unknown> {
  const parts = splitCompact(token, c.jws.maxTokenLength, c.jws.maxJSONDepth);
  // Refuse disallowed algorithms before asking the resolver (which may fetch a remote JWKS).
  checkProtectedHeader(parts.header, c.jws, false);
  const key = toVerificationKey(await resolver(parts.header, token), c.jws);
  return finishVerify(token, parts, key, c, true);
}
