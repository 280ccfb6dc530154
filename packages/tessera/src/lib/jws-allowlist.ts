// The header checks a JWS verifier makes before any key is touched (the algorithm allowlist and "crit",
// RFC 7515 §4.1.11, RFC 8725 §3.1), and which signatures of a JSON JWS they leave to try. Platform-neutral:
// the Node and web verifiers share them.
import { InvalidAlgorithmError, UnsupportedCriticalHeaderError } from '../errors.js';
import type { JWSHeader } from '../types.js';
import { type AlgorithmInfo, algorithmInfo, isNoneAlgorithm } from './algorithms.js';
import type { NormalizedJWS } from './jws.js';
import type { Signature } from './jws-parse.js';

/** The header checks that come before any key is touched: allowlist and crit (RFC 7515 §4.1.11). */
export function checkProtectedHeader(
  header: JWSHeader,
  opts: Pick<NormalizedJWS, 'algorithms' | 'crit' | 'custom'>,
  allowUnencoded: boolean,
): AlgorithmInfo {
  const alg = header.alg;
  if (isNoneAlgorithm(alg))
    throw new InvalidAlgorithmError('"alg" header parameter "none" is never accepted by a verifier');
  if (!opts.algorithms.has(alg)) throw new InvalidAlgorithmError('"alg" header parameter value is not allowed');
  if (header.crit !== undefined) {
    for (const name of header.crit) {
      if (!opts.crit.has(name) && !(allowUnencoded && name === 'b64')) {
        throw new UnsupportedCriticalHeaderError(
          `"crit" lists the extension "${name.slice(0, 64)}", which is not understood`,
        );
      }
    }
  }
  if (header.b64 === false && !allowUnencoded) {
    throw new UnsupportedCriticalHeaderError('"b64": false (RFC 7797 unencoded payload) is not allowed here');
  }
  return opts.custom.get(alg) ?? algorithmInfo(alg)!;
}

/** A signature that passed {@link checkProtectedHeader}, with its algorithm. */
export interface Candidate {
  readonly signature: Signature;
  readonly info: AlgorithmInfo;
}

/**
 * The signatures whose algorithm the caller allows (the others are not considered at all). With one
 * signature its refusal is the answer; with several, the first refusal is, when none is left.
 */
export function allowedSignatures(
  signatures: Signature[],
  opts: Pick<NormalizedJWS, 'algorithms' | 'crit' | 'custom'>,
): Candidate[] {
  const out: Candidate[] = [];
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
