// The JWS machinery shared by signJWT/verifyJWT and signJWS/verifyJWS: option normalization,
// and computing/checking one signature.
import type { Buffer } from 'node:buffer';
import { DecodeError, InvalidKeyError, InvalidSignatureError } from '../errors.js';
import type { CustomAlgorithm, JWK, KeyInput } from '../types.js';
import { type AlgorithmInfo, algorithmInfo, isNoneAlgorithm, JWS_ALGORITHMS } from './algorithms.js';
import { isCanonicalBase64url } from './base64url.js';
import { DEFAULT_MAX_TOKEN_LENGTH, decodeSignature } from './compact.js';
import { normalizeMaxJSONDepth } from './json.js';
import {
  hmac,
  hmacBase64url,
  signAsymmetric,
  signAsymmetricAsync,
  timingSafeEqualBytes,
  timingSafeEqualText,
  verifyAsymmetric,
} from './crypto.js';
import { asKeySet, isRemoteKeySet } from './key-set.js';
import { assertKeyFits, type PreparedKey } from './keys.js';
import { customAlgorithmInfo, isCustomAlgorithm } from './custom-algorithm.js';

export { encodeProtectedHeader } from './jws-header.js';

/** The JWS-level verification options after validation. */
export interface NormalizedJWS {
  readonly algorithms: ReadonlySet<string>;
  readonly crit: ReadonlySet<string>;
  readonly maxTokenLength: number;
  /** The nesting limit of the header's and payload's JSON. */
  readonly maxJSONDepth: number;
  readonly allowWeakKeys: boolean;
  /** Caller-supplied algorithms allowed here, by name. */
  readonly custom: ReadonlyMap<string, AlgorithmInfo>;
  /** A remote JWKS given without `algorithms`: each fetched key must name its `alg`. */
  readonly keysPinAlg?: boolean;
}

/** Resolves which algorithms a verifier allows; `algorithms` is required unless a JWK names its `alg`. */
export function normalizeJWSOptions(
  options: {
    algorithms?: unknown;
    crit?: unknown;
    maxTokenLength?: unknown;
    maxJSONDepth?: unknown;
    allowWeakKeys?: unknown;
  },
  key: unknown,
  hint: () => string = () => 'ES256',
): NormalizedJWS {
  let algorithms = options.algorithms;
  const keysPinAlg = algorithms === undefined && isRemoteKeySet(key);
  if (keysPinAlg) {
    // The keys are not known yet: allow every asymmetric algorithm here (a remote set never holds
    // secrets, so HS* is refused before any fetch) and require each fetched key to carry its alg.
    algorithms = JWS_ALGORITHMS.filter((alg) => algorithmInfo(alg)!.family !== 'HS');
  }
  const set = algorithms === undefined ? asKeySet(key) : undefined;
  if (set !== undefined) {
    // Every key bound to an alg: the set itself is the allowlist (each key still only verifies its own alg).
    const bound = set.keys.map((k) => k.alg);
    if (bound.some((alg) => alg === undefined || !algorithmInfo(alg))) {
      throw new TypeError('"algorithms" option is required unless every key of the JWKSet names its JWS "alg"');
    }
    algorithms = [...new Set(bound)];
  }
  if (algorithms === undefined) {
    const jwkAlg =
      key !== null && typeof key === 'object' && typeof (key as JWK).kty === 'string' ? (key as JWK).alg : undefined;
    if (typeof jwkAlg !== 'string') {
      throw new TypeError(
        `"algorithms" option is required: list the algorithms you expect, e.g. { algorithms: ['${hint()}'] } (RFC 8725 §3.1)`,
      );
    }
    // The JWK comes from data (often a JWKS), so an unusable alg is a key problem, not a TypeError.
    if (isNoneAlgorithm(jwkAlg) || !algorithmInfo(jwkAlg))
      throw new InvalidKeyError('the JWK\'s "alg" is not a supported JWS algorithm');
    algorithms = [jwkAlg];
  }
  if (
    !Array.isArray(algorithms) ||
    algorithms.length === 0 ||
    !algorithms.every((a) => typeof a === 'string' || isCustomAlgorithm(a))
  ) {
    throw new TypeError('"algorithms" option must be a non-empty array of algorithm names (or custom algorithms)');
  }
  const names: string[] = [];
  const custom = new Map<string, AlgorithmInfo>();
  for (const alg of algorithms as unknown[]) {
    if (typeof alg !== 'string') {
      const info = customAlgorithmInfo(alg as CustomAlgorithm, 'verify');
      if (custom.has(info.name)) throw new TypeError(`"algorithms" lists the custom algorithm "${info.name}" twice`);
      custom.set(info.name, info);
      names.push(info.name);
      continue;
    }
    if (isNoneAlgorithm(alg))
      throw new TypeError('"algorithms" may not contain "none"; use decodeUnsecuredJWT for unsecured JWTs');
    if (!algorithmInfo(alg))
      throw new TypeError(`"algorithms" contains an unsupported algorithm; supported: ${JWS_ALGORITHMS.join(', ')}`);
    names.push(alg);
  }
  const crit = options.crit ?? [];
  if (!Array.isArray(crit) || !crit.every((c) => typeof c === 'string'))
    throw new TypeError('"crit" option must be an array of strings');
  const maxTokenLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (typeof maxTokenLength !== 'number' || !(maxTokenLength > 0))
    throw new TypeError('"maxTokenLength" option must be a positive number');
  if (options.allowWeakKeys !== undefined && typeof options.allowWeakKeys !== 'boolean') {
    throw new TypeError('"allowWeakKeys" option must be a boolean');
  }
  return {
    algorithms: new Set(names),
    crit: new Set(crit as string[]),
    maxTokenLength,
    maxJSONDepth: normalizeMaxJSONDepth(options.maxJSONDepth),
    allowWeakKeys: options.allowWeakKeys === true,
    custom,
    ...(keysPinAlg ? { keysPinAlg } : {}),
  };
}

/**
 * Checks the signature segment of `token` (whose signing input ends at `d2`) with `key`.
 * Returns nothing; throws InvalidSignatureError, or DecodeError for a non-canonical segment.
 */
export function checkSignature(info: AlgorithmInfo, key: PreparedKey, token: string, d2: number): void {
  const signingInput = token.slice(0, d2);
  const segment = token.slice(d2 + 1);
  if (info.family === 'HS') {
    // Comparing the canonical base64url text of the MAC in constant time also proves the segment is
    // canonical, and saves decoding it.
    if (timingSafeEqualText(hmacBase64url(info, key.secretKey!, signingInput), segment)) return;
    if (!isCanonicalBase64url(segment)) throw new DecodeError('signature is not canonical base64url');
    throw new InvalidSignatureError('signature verification failed');
  }
  const signature = decodeSignature(segment);
  if (!verifyAsymmetric(info, key.keyObject!, signingInput, signature)) {
    throw new InvalidSignatureError('signature verification failed');
  }
}

/** Verifies a signature given as bytes over an arbitrary signing input (JWS JSON, detached payloads). */
export function checkSignatureBytes(
  info: AlgorithmInfo,
  key: PreparedKey,
  signingInput: string,
  signature: Buffer,
): void {
  const ok =
    info.family === 'HS'
      ? timingSafeEqualBytes(hmac(info, key.secretKey!, signingInput), signature)
      : verifyAsymmetric(info, key.keyObject!, signingInput, signature);
  if (!ok) throw new InvalidSignatureError('signature verification failed');
}

/** Computes the base64url signature over `signingInput`. */
export function createSignature(info: AlgorithmInfo, key: PreparedKey, signingInput: string): string {
  if (info.family === 'HS') return hmacBase64url(info, key.secretKey!, signingInput);
  return signAsymmetric(info, key.keyObject!, signingInput).toString('base64url');
}

/** {@link createSignature} with asymmetric work on the libuv threadpool; HMAC (microseconds) stays inline. */
export function createSignatureAsync(info: AlgorithmInfo, key: PreparedKey, signingInput: string): Promise<string> {
  if (info.family === 'HS') return Promise.resolve(hmacBase64url(info, key.secretKey!, signingInput));
  return signAsymmetricAsync(info, key.keyObject!, signingInput).then((signature) => signature.toString('base64url'));
}

/** Resolves and checks the signing algorithm for a key. */
export function signingAlgorithm(
  algorithm: unknown,
  key: PreparedKey,
  allowWeakKeys: boolean,
  infer: () => string,
): AlgorithmInfo {
  if (algorithm !== undefined && typeof algorithm !== 'string')
    throw new TypeError('"algorithm" option must be a string or a custom algorithm');
  const alg = algorithm ?? infer();
  if (isNoneAlgorithm(alg)) throw new TypeError('"none" cannot sign; use encodeUnsecuredJWT for unsecured JWTs');
  const info = algorithmInfo(alg);
  if (!info)
    throw new TypeError(`"algorithm" option is not a supported JWS algorithm; supported: ${JWS_ALGORITHMS.join(', ')}`);
  assertKeyFits(key, info, 'sign', allowWeakKeys);
  return info;
}

/** True for a key resolver (a function) rather than a static key. */
export function isResolver(key: unknown): key is (...args: never[]) => unknown {
  return typeof key === 'function';
}

export type { KeyInput };
