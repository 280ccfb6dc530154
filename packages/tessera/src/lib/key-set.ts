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

// A plain JWK Set document ({ keys: [...] }) given where a key set is accepted is read once, as
// JWKSet.from(document) would, and kept for that object (as the web entry does: treat it as immutable once
// used). jwks/set.ts registers the reader, so lib/ still never imports jwks/.
let readDocument: ((document: { keys: unknown[] }) => KeySetLike) | undefined;
const documents = new WeakMap<object, KeySetLike>();

/** Registers how a JWK Set document becomes a key set (jwks/set.ts, at load). */
export function registerKeySetDocuments(read: (document: { keys: unknown[] }) => KeySetLike): void {
  readDocument = read;
}

/** The key set `value` is or describes (a JWKSet, or a JWK Set document), else undefined. */
export function asKeySet(value: unknown): KeySetLike | undefined {
  if (isKeySet(value)) return value;
  if (
    readDocument === undefined ||
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    'kty' in value ||
    !Array.isArray((value as { keys?: unknown }).keys)
  )
    return undefined;
  let set = documents.get(value);
  if (set === undefined) {
    set = readDocument(value as { keys: unknown[] });
    documents.set(value, set);
  }
  return set;
}

// The resolvers made by createRemoteJWKSet (jwks/remote.ts registers them): given without `algorithms`,
// such a resolver is pinned by its keys' `alg` like a static set.
const REMOTE_KEY_SETS = new WeakSet<object>();

/** Registers a resolver made by createRemoteJWKSet. */
export function markRemoteKeySet(resolver: object): void {
  REMOTE_KEY_SETS.add(resolver);
}

/** True for a resolver made by createRemoteJWKSet. */
export function isRemoteKeySet(value: unknown): boolean {
  return typeof value === 'function' && REMOTE_KEY_SETS.has(value);
}

/**
 * Without `algorithms`, each fetched set must bind every key that may verify to one `alg` (RFC 8725 §3.1):
 * the key's alg is then the allowlist, and a key without one could be used with any algorithm of its type.
 * Checked per resolution, as the set changes when the issuer rotates keys.
 */
export function assertKeysPinAlg(set: KeySetLike): void {
  const unpinned = set.keys.some(
    (key) => key.alg === undefined && key.use !== 'enc' && (key.keyOps === undefined || key.keyOps.includes('verify')),
  );
  if (unpinned) {
    throw new TypeError(
      '"algorithms" option is required: a key of the remote JWK Set does not name its "alg", so list the algorithms you expect, e.g. { algorithms: [\'RS256\'] }',
    );
  }
}
