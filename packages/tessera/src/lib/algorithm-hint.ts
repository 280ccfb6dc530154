// The example in an "algorithms is required" TypeError: the token's own algorithm when it names a real
// one, else the key's natural algorithm, so that the suggested fix fits the call (an ES256 token is not
// told to allow HS256). Computed only on that error path; only names from the algorithm table are
// echoed, never other text from the token.
import { algorithmInfo, isNoneAlgorithm } from './algorithms.js';
import { parseHeaderSegment } from './compact.js';
import { asKeySet } from './key-set.js';
import { inferAlgorithm, prepareKey } from './keys.js';
import type { KeyInput } from '../types.js';

function protectedSegment(token: unknown): string | undefined {
  if (typeof token === 'string') {
    const dot = token.indexOf('.');
    return dot > 0 ? token.slice(0, dot) : undefined;
  }
  if (token === null || typeof token !== 'object') return undefined;
  const jws = token as { protected?: unknown; signatures?: unknown };
  const first = Array.isArray(jws.signatures)
    ? (jws.signatures[0] as { protected?: unknown } | undefined)?.protected
    : jws.protected;
  return typeof first === 'string' && first.length > 0 ? first : undefined;
}

/** A JWS algorithm name to show in the hint for `token` (compact or JSON) verified with `key`. */
export function algorithmHint(token: unknown, key: unknown): string {
  const segment = protectedSegment(token);
  if (segment !== undefined) {
    try {
      const { alg } = parseHeaderSegment(segment);
      if (!isNoneAlgorithm(alg) && algorithmInfo(alg)) return alg;
    } catch {
      // a malformed header: the key may still tell
    }
  }
  if (key !== undefined && key !== null && typeof key !== 'function' && asKeySet(key) === undefined) {
    try {
      return inferAlgorithm(prepareKey(key as KeyInput));
    } catch {
      // not a key Tessera can import: the generic example
    }
  }
  return 'ES256';
}
