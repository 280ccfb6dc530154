// The Node entry's JWKSet on the web entry: the same rules (lib/jwk-set-base.ts), over the web Key. Only
// the import is asynchronous (crypto.subtle validates each key), so `JWKSet.from` resolves to the set;
// `new JWKSet(keys)` takes keys already imported and is synchronous, as on Node.
import { InvalidAlgorithmError, InvalidKeyError, JWKError } from '../errors.js';
import { JWKSetBase, type JWKSetOptions, readJWKSetDocument, skippedName } from '../lib/jwk-set-base.js';
import type { JWK } from '../types.js';
import { importKey, Key } from './key.js';

/**
 * A set of keys selected by `kid` (then by `alg`, `kty`, `crv`, `use`, `key_ops`), as on Node. Usable
 * as the key of the web `verifyJWT`, `verifyJWS`, `createVerifier`, `decryptJWE`, `decryptJWT` and the
 * web middleware. A set that mixes shared secrets with asymmetric keys is refused (it would reopen
 * algorithm confusion); a token whose kid two fitting keys share is refused as ambiguous. `toJSON()`
 * publishes public members only.
 * @example
 * ```ts
 * import { JWKSet, verifyJWT } from 'tessera-jwt/web';
 * const keys = await JWKSet.from({ keys: [currentPublicJwk, previousPublicJwk] });
 * const claims = await verifyJWT(token, keys, { algorithms: ['ES256'] }); // the token's kid picks the key
 * ```
 */
export class JWKSet extends JWKSetBase<Key> {
  /**
   * A set of web {@link Key}s, already imported (importKey, generateKeyPair, generateSecret): synchronous.
   * Empty sets and sets that mix secrets with asymmetric keys are a JWKSetError.
   */
  constructor(keys: Iterable<Key>, skipped: ReadonlyMap<string, string> = new Map()) {
    const list = [...keys];
    if (!list.every((key) => key instanceof Key))
      throw new TypeError('JWKSet takes Keys; use JWKSet.from for JWK objects');
    super(list, skipped);
  }

  /**
   * Builds a set from a JWKS document (`{ keys: [...] }` or its JSON text), importing each key through
   * crypto.subtle (hence a Promise). Entries of unknown `kty`, entries that are not valid keys and keys
   * the runtime cannot use (e.g. Ed448 where it is missing) are skipped, and named if a token asks for
   * their kid; a set left with no usable key is a JWKSetError. With `publicOnly`, any private member is
   * a JWKError.
   * @example
   * ```ts
   * import { JWKSet } from 'tessera-jwt/web';
   * const set = await JWKSet.from(await (await fetch(jwksUrl)).text(), { publicOnly: true });
   * console.log(set.size, set.get('2026-12')?.alg);
   * ```
   */
  static async from(jwks: { keys: JWK[] } | string, options: JWKSetOptions = {}): Promise<JWKSet> {
    const entries = readJWKSetDocument(jwks, options);
    const imported = await Promise.all(
      entries.map((entry) =>
        importKey(entry.jwk).then(
          (key) => key,
          (err: unknown) => {
            if (!(err instanceof JWKError || err instanceof InvalidKeyError || err instanceof InvalidAlgorithmError))
              throw err;
            return err;
          },
        ),
      ),
    );
    const keys: Key[] = [];
    const skipped = new Map<string, string>();
    imported.forEach((result, i) => {
      if (result instanceof Key) keys.push(result);
      else skipped.set(skippedName(entries[i]!), result.message);
    });
    return new JWKSet(keys, skipped);
  }
}
