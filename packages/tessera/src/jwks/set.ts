// A JWK Set (RFC 7517 §5) as a verifier uses it during key rotation: old and new keys side by side,
// the token's `kid` picking one. Selection never widens what a key may do: a key bound to an `alg`
// only verifies that alg, `use: "enc"` keys and keys whose `key_ops` lack "verify" never verify.
import { Buffer } from 'node:buffer';
import { InvalidKeyError, JWKError, JWKSetError, NoMatchingKeyError } from '../errors.js';
import { keyFromPrepared, Key } from '../jwk/key.js';
import { PRIVATE_MEMBERS } from '../lib/jwk-export.js';
import { normalizeMaxJSONDepth, parseJSONObject } from '../lib/json.js';
import { keyTypeMismatch } from '../lib/key-types.js';
import { KEY_SET, type KeySetLike } from '../lib/key-set.js';
import { checkOptionNames, optionNames } from '../lib/options.js';
import { importJWK } from '../lib/keys.js';
import type { JWK } from '../types.js';

const KNOWN_KTY = new Set(['RSA', 'EC', 'OKP', 'oct']);
const SET_PROBLEMS: Partial<Record<string, string>> = {
  duplicate: 'duplicate member name',
  utf8: 'invalid UTF-8',
  depth: 'nested deeper than maxJSONDepth allows',
};

/**
 * A token without `kid` is tried against at most this many fitting keys: each try is a signature
 * verification, and an attacker chooses to omit the kid.
 */
export const MAX_KEYS_WITHOUT_KID = 8;

/**
 * Options of {@link JWKSet.from}.
 * @example
 * ```ts
 * const set = JWKSet.from(await (await fetch(url)).text(), { publicOnly: true });
 * ```
 */
export interface JWKSetOptions {
  /** The set is meant to be public (e.g. fetched from a jwks_uri): a key with private members is a JWKError. */
  publicOnly?: boolean;
  /** The deepest JSON nesting accepted when the set is given as text (default 256); deeper text is a JWKSetError. */
  maxJSONDepth?: number;
}

const JWKSET_OPTIONS: Record<keyof JWKSetOptions, true> = { publicOnly: true, maxJSONDepth: true };
const JWKSET_OPTION_NAMES = optionNames(Object.keys(JWKSET_OPTIONS));

/** What a verifier asks a set for: the token's algorithm and key ID. */
interface SelectionHeader {
  readonly alg: string;
  readonly kid?: string;
}

/** Why `key` may not verify `alg`, or undefined when it may. */
function unfitForVerify(key: Key, alg: string): string | undefined {
  if (key.use === 'enc') return 'its "use" is "enc"';
  if (key.keyOps !== undefined && !key.keyOps.includes('verify')) return 'its "key_ops" do not include "verify"';
  if (key.alg !== undefined)
    return key.alg === alg ? undefined : `it is bound to "alg" ${JSON.stringify(key.alg.slice(0, 40))}`;
  return keyTypeMismatch(alg, key.kty, key.crv);
}

function fitsForVerify(key: Key, alg: string): boolean {
  return unfitForVerify(key, alg) === undefined;
}

/**
 * A set of keys selected by `kid` (then by `alg`, `kty`, `crv`, `use`, `key_ops`). Usable directly as
 * the key of `verifyJWT`, `verifyJWS` and `createVerifier` (synchronously). A set that mixes shared
 * secrets with asymmetric keys is refused (it would reopen algorithm confusion). `toJSON()` publishes
 * public members only.
 * @example
 * ```ts
 * import { JWKSet, verifyJWT } from 'tessera-jwt';
 * const keys = JWKSet.from({ keys: [currentPublicJwk, previousPublicJwk] });
 * const claims = verifyJWT(token, keys, { algorithms: ['ES256'] }); // the token's kid picks the key
 * ```
 */
export class JWKSet implements KeySetLike {
  /** The usable keys, in the set's order. */
  readonly keys: readonly Key[];
  /** Entries of the source that could not be used, with why (reported when a token names their kid). */
  readonly #skipped: ReadonlyMap<string, string>;

  /**
   * A set of {@link Key}s (e.g. from generateKeyPair). Empty sets and sets that mix secrets with
   * asymmetric keys are a JWKSetError; so are two keys with the same kid, alg and kty.
   */
  constructor(keys: Iterable<Key>, skipped: ReadonlyMap<string, string> = new Map()) {
    const list = [...keys];
    if (!list.every((key) => key instanceof Key))
      throw new TypeError('JWKSet takes Keys; use JWKSet.from for JWK objects');
    if (list.length === 0) {
      const reason = skipped.size > 0 ? ` (${skipped.size} skipped, e.g.: ${skipped.values().next().value})` : '';
      throw new JWKSetError(`the JWK Set has no usable key${reason}`);
    }
    const secrets = list.filter((key) => key.type === 'secret').length;
    if (secrets > 0 && secrets < list.length) {
      throw new JWKSetError(
        'the JWK Set mixes shared secrets with asymmetric keys; keep them in separate sets (RFC 8725 §2.1)',
      );
    }
    this.keys = Object.freeze(list);
    this.#skipped = skipped;
    Object.freeze(this);
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
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    checkOptionNames(options, JWKSET_OPTION_NAMES, 'JWKSet.from');
    let document: unknown = jwks;
    if (typeof jwks === 'string') {
      const parsed = parseJSONObject(Buffer.from(jwks, 'utf8'), normalizeMaxJSONDepth(options.maxJSONDepth));
      if (typeof parsed === 'string')
        throw new JWKSetError(`the JWK Set is not a JSON object (${SET_PROBLEMS[parsed] ?? 'invalid JSON'})`);
      document = parsed;
    }
    if (document === null || typeof document !== 'object' || Array.isArray(document))
      throw new JWKSetError('the JWK Set must be an object with a "keys" array');
    const entries = (document as { keys?: unknown }).keys;
    if (!Array.isArray(entries)) throw new JWKSetError('the JWK Set must have a "keys" array');
    const keys: Key[] = [];
    const skipped = new Map<string, string>();
    entries.forEach((entry: unknown, index) => {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
        throw new JWKSetError(`JWK Set entry ${index} is not an object`);
      const jwk = entry as JWK;
      if (typeof jwk.kty !== 'string' || !KNOWN_KTY.has(jwk.kty)) return; // RFC 7517 §5: ignore what we do not understand
      if (options.publicOnly && PRIVATE_MEMBERS.some((name) => Object.hasOwn(jwk, name))) {
        throw new JWKError(
          `JWK Set entry ${index}${typeof jwk.kid === 'string' ? ` (kid "${jwk.kid.slice(0, 64)}")` : ''} has private key members in a set meant to be public`,
        );
      }
      try {
        keys.push(keyFromPrepared(importJWK(jwk), jwk));
      } catch (err) {
        if (!(err instanceof JWKError || err instanceof InvalidKeyError)) throw err;
        skipped.set(typeof jwk.kid === 'string' ? jwk.kid : `#${index}`, err.message);
      }
    });
    return new JWKSet(keys, skipped);
  }

  /** @internal the brand lib/ recognizes a key set by (no `instanceof`, so lib/ needs no import of this class). */
  get [KEY_SET](): true {
    return true;
  }

  /** The number of usable keys. */
  get size(): number {
    return this.keys.length;
  }

  /**
   * The first key with this `kid`.
   * @example
   * ```ts
   * const key = set.get('2026-12');
   * ```
   */
  get(kid: string): Key | undefined {
    return this.keys.find((key) => key.kid === kid);
  }

  /**
   * The keys that may verify a token with this header: same `kid` (when the token has one), and an
   * `alg`, key type, curve, `use` and `key_ops` that allow verifying with `header.alg`. Never throws.
   * @example
   * ```ts
   * const candidates = set.select({ alg: 'ES256', kid: '2026-12' });
   * ```
   */
  select(header: SelectionHeader): Key[] {
    return this.keys.filter(
      (key) => (header.kid === undefined || key.kid === header.kid) && fitsForVerify(key, header.alg),
    );
  }

  /**
   * The keys to try for a token, or the error that explains why there are none (or too many).
   * @internal used by the verifiers
   */
  candidatesFor(header: SelectionHeader): Key[] {
    const found = this.select(header);
    if (found.length === 0) {
      if (header.kid !== undefined && this.#skipped.has(header.kid)) {
        throw new JWKError(`the key with the token's kid was skipped: ${this.#skipped.get(header.kid)}`);
      }
      const alg = header.alg.slice(0, 40);
      // The kid names a key that exists but may not verify (an encryption key, another alg): say so,
      // because "unknown kid" would send the operator looking for a rotation that never happened.
      const named = header.kid === undefined ? undefined : this.keys.find((key) => key.kid === header.kid);
      if (named !== undefined) {
        throw new NoMatchingKeyError(
          `the key with the token's kid may not verify ${alg}: ${unfitForVerify(named, header.alg)}`,
        );
      }
      throw new NoMatchingKeyError(
        header.kid !== undefined
          ? `no key in the JWK Set has the token's kid and fits ${alg}`
          : `no key in the JWK Set fits ${alg}`,
      );
    }
    // A kid shared with an entry that was skipped is just as ambiguous (Wycheproof: duplicate kid).
    if (header.kid !== undefined && (found.length > 1 || this.#skipped.has(header.kid))) {
      throw new JWKSetError("several keys in the JWK Set share the token's kid; a kid must identify one key");
    }
    if (found.length > MAX_KEYS_WITHOUT_KID) {
      throw new JWKSetError(
        `the token has no kid and ${found.length} keys fit; tokens verified against large sets must carry a kid`,
      );
    }
    return found;
  }

  /**
   * The set as a JWKS document with public members only: private keys contribute their public half,
   * shared secrets are left out. Safe to serve at a jwks_uri.
   * @example
   * ```ts
   * app.get('/.well-known/jwks.json', (req, res) => res.json(set.toJSON()));
   * ```
   */
  toJSON(): { keys: JWK[] } {
    return { keys: this.keys.filter((key) => key.type !== 'secret').map((key) => key.toJWK({ private: false })) };
  }
}
