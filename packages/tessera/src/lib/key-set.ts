// What lib/ knows of a key set: a brand and the two things verification asks of one. The JWKSet class
// (jwks/set.ts) implements it; lib/ never imports jwk/ or jwks/, so the layers stay one-directional
// (lib ← jwk ← jwks) and a set is recognized without `instanceof JWKSet`.
import type { ImportedKey } from '../types.js';

/** The brand of a key set; module-private, so only Tessera's own JWKSet can carry it. */
export const KEY_SET: unique symbol = Symbol('tessera.KeySet');

/** A member of a key set: an imported key (a `Key`), which every KeyInput-taking function accepts. */
export type KeySetMember = ImportedKey;

/** A key set as the verifiers use it. */
export interface KeySetLike {
  readonly [KEY_SET]: true;
  /** The usable keys, in the set's order. */
  readonly keys: readonly KeySetMember[];
  /** The keys to try for a token with this header, or a JWKSetError/NoMatchingKeyError/JWKError saying why none. */
  candidatesFor(header: { readonly alg: string; readonly kid?: string }): KeySetMember[];
}

/** True for a key set (a JWKSet). */
export function isKeySet(value: unknown): value is KeySetLike {
  return value !== null && typeof value === 'object' && (value as Partial<KeySetLike>)[KEY_SET] === true;
}
