// --alg for verify and encode (and --sign-alg / --verify-alg for encrypt and decrypt): known JWS
// algorithm names only, never "none", with a suggestion.
import { JWS_ALGORITHMS } from '../lib/algorithms.js';
import { UsageError } from './args.js';
import { closest } from '../lib/suggest.js';

/** Validates --alg values: known JWS algorithms, never "none"; suggests the closest name. */
export function checkAlgorithms(values: readonly string[], command: string, flag = '--alg'): string[] {
  for (const alg of values) {
    if (alg.toLowerCase() === 'none')
      throw new UsageError(
        `${flag} none is never accepted (an unsigned token proves nothing; tessera decode shows it)`,
        command,
      );
    if (!JWS_ALGORITHMS.includes(alg)) {
      const guess = closest(alg, JWS_ALGORITHMS);
      throw new UsageError(
        `${flag}: unknown algorithm${/^[\w+-]{1,24}$/.test(alg) ? ` "${alg}"` : ''}${guess ? `; did you mean ${guess}?` : ''} (supported: ${JWS_ALGORITHMS.join(', ')})`,
        command,
      );
    }
  }
  return [...new Set(values)];
}
