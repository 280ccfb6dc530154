// A JWK Set (RFC 7517 §5) as a verifier uses it during key rotation: old and new keys side by side, the
// token's `kid` picking one. The rules (selection, refusals, publishing) are lib/jwk-set-base.ts, shared
// with the web entry's JWKSet; this class adds the Node Key and the synchronous import.
import { InvalidAlgorithmError, InvalidKeyError, JWKError } from '../errors.js';
import { keyFromPrepared, Key } from '../jwk/key.js';
import { JWKSetBase, readJWKSetDocument, skippedName, type JWKSetOptions } from '../lib/jwk-set-base.js';
import { type KeySetLike, registerKeySetDocuments } from '../lib/key-set.js';
import { importJWK } from '../lib/keys.js';
import type { JWK } from '../types.js';

export { MAX_KEYS_WITHOUT_KID, type JWKSetOptions } from '../lib/jwk-set-base.js';

/**
 * A set of keys selected by `kid` (then by `alg`, `kty`, `crv`, `use`, `key_ops`). Usable directly as
 * the key of `verifyJWT`, `verifyJWS`, `createVerifier` and `decryptJWE` (synchronously). A set that
 * mixes shared secrets with asymmetric keys is refused (it would reopen algorithm confusion); a token whose
 * kid two fitting keys share is refused as ambiguous. `toJSON()` publishes public members only.
 * @example
 * ```ts
 * import { JWKSet, verifyJWT } from 'tessera-jwt';
 * const keys = JWKSet.from({ keys: [currentPublicJwk, previousPublicJwk] });
 * const claims = verifyJWT(token, keys, { algorithms: ['ES256'] }); // the token's kid picks the key
 * ```
 */
export class JWKSet extends JWKSetBase<Key> implements KeySetLike {
  /**
   * A set of {@link Key}s (e.g. from generateKeyPair). Empty sets and sets that mix secrets with
   * asymmetric keys are a JWKSetError.
   */
  constructor(keys: Iterable<Key>, skipped: ReadonlyMap<string, string> = new Map()) {
    const list = [...keys];
    if (!list.every((key) => key instanceof Key))
      throw new TypeError('JWKSet takes Keys; use JWKSet.from for JWK objects');
    super(list, skipped);
  }

  /**
   * Builds a set from a JWKS document (`{ keys: [...] }` or its JSON text). Entries of unknown `kty`
   * and entries that are not valid keys are skipped (and named if a token asks for their kid); a set
   * left with no usable key is a JWKSetError. With `publicOnly`, any private member is a JWKError.
   * @example
   * ```ts
   * import { JWKSet } from 'tessera-jwt';
   * const set = JWKSet.from(readFileSync('jwks.json', 'utf8'));
   * console.log(set.size, set.get('2026-12')?.alg);
   * ```
   */
  static from(jwks: { keys: JWK[] } | string, options: JWKSetOptions = {}): JWKSet {
    const keys: Key[] = [];
    const skipped = new Map<string, string>();
    for (const entry of readJWKSetDocument(jwks, options)) {
      try {
        keys.push(keyFromPrepared(importJWK(entry.jwk), entry.jwk));
      } catch (err) {
        // InvalidAlgorithmError: a key type this runtime's node:crypto lacks (lib/runtime-support.ts).
        if (!(err instanceof JWKError || err instanceof InvalidKeyError || err instanceof InvalidAlgorithmError))
          throw err;
        skipped.set(skippedName(entry), err.message);
      }
    }
    return new JWKSet(keys, skipped);
  }
}

// A plain JWK Set document is accepted wherever a JWKSet is (lib/key-set.ts asKeySet).
registerKeySetDocuments((document) => JWKSet.from(document as { keys: JWK[] }));
