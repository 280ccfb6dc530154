// The Node adapters' verifier: createVerifier (node:crypto, synchronous where it can be). Kept out of core.ts,
// which the web adapters bundle with the web entry's verifyJWT instead.
import { createVerifier, type VerifierOptions } from '../jwt/verifier.js';
import type { VerifierFactory } from './core.js';

/** Internal: `createVerifier` as the middleware core's verifier factory. */
export const nodeVerifier: VerifierFactory = (options) => createVerifier(options as unknown as VerifierOptions);
