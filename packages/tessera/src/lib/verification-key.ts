// The key side of verification: one static key, or a JWK Set that offers candidates per token.
import { DecodeError, InvalidSignatureError } from '../errors.js';
import { JWKSet } from '../jwks/set.js';
import type { JWSHeader } from '../types.js';
import type { AlgorithmInfo } from './algorithms.js';
import { checkSignature } from './jws.js';
import { assertKeyFits, type PreparedKey, prepareKey } from './keys.js';

/** A prepared static key, or a JWK Set to select from per token. */
export type VerificationKey = PreparedKey | JWKSet;

/** Prepares whatever a verifier was given (or a resolver returned). */
export function toVerificationKey(input: unknown, prepare: (input: never) => PreparedKey = prepareKey): VerificationKey {
  return input instanceof JWKSet ? input : prepare(input as never);
}

/**
 * Checks the signature of `token` (signing input ending at `d2`) with the key, or with the set's
 * candidates for this header: the first that verifies wins. Only a failed signature moves on to the
 * next candidate; a malformed signature fails at once, whatever the key.
 */
export function verifySignatureWith(key: VerificationKey, header: JWSHeader, info: AlgorithmInfo, token: string, d2: number, allowWeakKeys: boolean): void {
  if (!(key instanceof JWKSet)) {
    assertKeyFits(key, info, 'verify', allowWeakKeys);
    checkSignature(info, key, token, d2);
    return;
  }
  const candidates = key.candidatesFor(header);
  let failure: unknown;
  for (const candidate of candidates) {
    const prepared = prepareKey(candidate);
    try {
      assertKeyFits(prepared, info, 'verify', allowWeakKeys);
      checkSignature(info, prepared, token, d2);
      return;
    } catch (err) {
      // A malformed signature is malformed for every key.
      if (candidates.length === 1 || (err instanceof DecodeError && !(err instanceof InvalidSignatureError))) throw err;
      // Keep the most telling failure: a signature mismatch beats a key that did not fit.
      if (failure === undefined || err instanceof InvalidSignatureError) failure = err;
    }
  }
  throw failure;
}
