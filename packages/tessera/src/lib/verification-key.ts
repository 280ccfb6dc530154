// The key side of verification: one static key, or a JWK Set that offers candidates per token.
import {
  DecodeError,
  InvalidKeyError,
  InvalidSignatureError,
  JWKError,
  JWKSetError,
  NoMatchingKeyError,
} from '../errors.js';
import { decodeSignature } from './compact.js';
import { customVerify } from './custom-algorithm.js';
import type { JWSHeader } from '../types.js';
import type { AlgorithmInfo } from './algorithms.js';
import { checkSignature, type NormalizedJWS } from './jws.js';
import { asKeySet, assertKeysPinAlg, isKeySet, type KeySetLike, type KeySetMember } from './key-set.js';
import { assertKeyFits, type PreparedKey, prepareKey } from './keys.js';

/** A prepared static key, or a JWK Set to select from per token. */
export type VerificationKey = PreparedKey | KeySetLike;

/**
 * Prepares whatever a verifier was given (or a resolver returned). With custom algorithms allowed, a
 * value Tessera cannot import is kept as an opaque key that only those algorithms can use.
 */
export function toVerificationKey(
  input: unknown,
  opts: NormalizedJWS,
  prepare: (input: never) => PreparedKey = prepareKey,
): VerificationKey {
  const set = asKeySet(input);
  if (opts.keysPinAlg) {
    if (set === undefined) throw new TypeError('a remote JWK Set resolver must resolve to a JWKSet');
    assertKeysPinAlg(set);
  }
  if (set !== undefined) return set;
  if (opts.custom.size === 0) return prepare(input as never);
  try {
    return { ...prepare(input as never), raw: input };
  } catch (err) {
    // Not importable (a KMS key reference, an HSM handle): only the custom algorithms may use it.
    if (!(err instanceof TypeError || err instanceof JWKError)) throw err;
    return { kind: 'opaque', origin: 'custom', raw: input };
  }
}

function customCandidates(set: KeySetLike, header: JWSHeader, name: string): KeySetMember[] {
  const found = set.keys.filter(
    (k) =>
      (header.kid === undefined || k.kid === header.kid) &&
      (k.alg === undefined || k.alg === name) &&
      k.use !== 'enc' &&
      (k.keyOps === undefined || k.keyOps.includes('verify')),
  );
  if (found.length === 0) throw new NoMatchingKeyError(`no key in the JWK Set fits ${name}`);
  if (found.length > 1)
    throw new JWKSetError(
      `${found.length} keys in the JWK Set fit the custom algorithm ${name}; give the token a kid and the key an alg`,
    );
  return found;
}

/**
 * Checks the signature of `token` (signing input ending at `d2`) with the key, or with the set's
 * candidates for this header: the first that verifies wins. Only a failed signature moves on to the
 * next candidate; a malformed signature fails at once, whatever the key.
 */
export function verifySignatureWith(
  key: VerificationKey,
  header: JWSHeader,
  info: AlgorithmInfo,
  token: string,
  d2: number,
  allowWeakKeys: boolean,
  allowAsync = false,
): void | Promise<void> {
  if (info.family === 'custom') {
    if (!isKeySet(key)) {
      // A key bound to another algorithm, or to encryption, is not the custom algorithm's either.
      if (key.jwkAlg !== undefined && key.jwkAlg !== info.name)
        throw new InvalidKeyError(`the key is for "${key.jwkAlg}" and may not be used with ${info.name}`);
      if (key.jwkUse === 'enc' || (key.jwkKeyOps !== undefined && !key.jwkKeyOps.includes('verify')))
        throw new JWKError('the key\'s "use" or "key_ops" do not allow verifying');
    }
    const raw = isKeySet(key) ? customCandidates(key, header, info.name)[0] : key.raw;
    return customVerify(info, raw, token.slice(0, d2), decodeSignature(token.slice(d2 + 1)), allowAsync);
  }
  if (!isKeySet(key)) {
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
