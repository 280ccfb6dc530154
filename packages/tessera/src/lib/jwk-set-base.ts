// What a JWK Set is and how a verifier picks from it, once for both entries: the Node JWKSet (jwks/set.ts)
// and the web JWKSet (web/jwk-set.ts) extend JWKSetBase and differ only in their Key class and in how a
// JWK is imported (synchronously over node:crypto, asynchronously over crypto.subtle). No node: import
// here. Selection never widens what a key may do: a key bound to an `alg` only verifies that alg,
// `use: "enc"` keys and keys whose `key_ops` lack "verify" never verify.
import { JWKError, JWKSetError, NoMatchingKeyError } from '../errors.js';
import type { JWK } from '../types.js';
import { normalizeMaxJSONDepth, parseJSONText } from './json.js';
import { KEY_SET } from './key-set.js';
import { keyTypeMismatch } from './key-types.js';
import { checkOptionNames, optionNames } from './options.js';

/**
 * A token without `kid` is tried against at most this many fitting keys: each try is a signature
 * verification, and an attacker chooses to omit the kid.
 */
export const MAX_KEYS_WITHOUT_KID = 8;

/** Private JWK members of every key type (RFC 7518 §6.2.2, §6.3.2, RFC 8037 §2). */
export const PRIVATE_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The key types a JWK Set entry may have; others are ignored (RFC 7517 §5). */
const KNOWN_KTY = new Set(['RSA', 'EC', 'OKP', 'oct']);

/**
 * Options of `JWKSet.from`.
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

const SET_PROBLEMS: Partial<Record<string, string>> = {
  duplicate: 'duplicate member name',
  depth: 'nested deeper than maxJSONDepth allows',
};

/** What a set holds: a Key of either entry (same properties, same `toJWK`). */
export interface JWKSetMember {
  readonly type: 'public' | 'private' | 'secret';
  readonly kty: string;
  readonly crv: string | undefined;
  readonly alg: string | undefined;
  readonly kid: string | undefined;
  readonly use: 'sig' | 'enc' | undefined;
  readonly keyOps: readonly string[] | undefined;
  toJWK(options?: { private?: boolean }): JWK;
}

/** What a verifier asks a set for: the token's algorithm and key ID. */
export interface SelectionHeader {
  readonly alg: string;
  readonly kid?: string;
}

/** The part of a key selection looks at: a Key, or a JWK Set entry read as one. */
export type SelectableKey = Pick<JWKSetMember, 'kid' | 'alg' | 'use' | 'keyOps' | 'kty' | 'crv'>;

/** Why `key` may not verify `alg`, or undefined when it may. */
export function unfitForVerify(key: SelectableKey, alg: string): string | undefined {
  if (key.use === 'enc') return 'its "use" is "enc"';
  if (key.keyOps !== undefined && !key.keyOps.includes('verify')) return 'its "key_ops" do not include "verify"';
  if (key.alg !== undefined)
    return key.alg === alg ? undefined : `it is bound to "alg" ${JSON.stringify(key.alg.slice(0, 40))}`;
  return keyTypeMismatch(alg, key.kty, key.crv);
}

/** The keys that may verify a token with this header (never throws). */
export function selectForVerify<K extends SelectableKey>(keys: readonly K[], header: SelectionHeader): K[] {
  return keys.filter(
    (key) => (header.kid === undefined || key.kid === header.kid) && unfitForVerify(key, header.alg) === undefined,
  );
}

/**
 * The keys to try for a token, or the error that explains why there are none (or too many). `skipped`
 * maps the kid (or `#index`) of each entry that could not be used to why.
 */
export function verificationCandidates<K extends SelectableKey>(
  keys: readonly K[],
  skipped: ReadonlyMap<string, string>,
  header: SelectionHeader,
): K[] {
  const found = selectForVerify(keys, header);
  if (found.length === 0) {
    if (header.kid !== undefined && skipped.has(header.kid))
      throw new JWKError(`the key with the token's kid was skipped: ${skipped.get(header.kid)}`);
    const alg = header.alg.slice(0, 40);
    // The kid names a key that exists but may not verify (an encryption key, another alg): say so,
    // because "unknown kid" would send the operator looking for a rotation that never happened.
    const named = header.kid === undefined ? undefined : keys.find((key) => key.kid === header.kid);
    if (named !== undefined)
      throw new NoMatchingKeyError(
        `the key with the token's kid may not verify ${alg}: ${unfitForVerify(named, header.alg)}`,
      );
    throw new NoMatchingKeyError(
      header.kid !== undefined
        ? `no key in the JWK Set has the token's kid and fits ${alg}`
        : `no key in the JWK Set fits ${alg}`,
    );
  }
  // A kid shared with an entry that was skipped is just as ambiguous (Wycheproof: duplicate kid).
  if (header.kid !== undefined && (found.length > 1 || skipped.has(header.kid)))
    throw new JWKSetError("several keys in the JWK Set share the token's kid; a kid must identify one key");
  if (found.length > MAX_KEYS_WITHOUT_KID)
    throw new JWKSetError(
      `the token has no kid and ${found.length} keys fit; tokens verified against large sets must carry a kid`,
    );
  return found;
}

/**
 * Refuses what no set may hold: nothing usable, and shared secrets beside asymmetric keys (algorithm
 * confusion, RFC 8725 §2.1). Two keys with the same `kid`, `kty` and `alg` are not refused here: RFC 7517
 * §4.5 only asks that kids be distinct, and refusing a whole fetched set would stop every token for one
 * publisher's slip; a token naming such a kid is refused as ambiguous when keys are selected.
 * `kty` is `'oct'` for a secret.
 */
export function checkSetMembers(
  keys: readonly SelectableKey[],
  skipped: ReadonlyMap<string, string>,
  isSecret: (key: SelectableKey) => boolean,
): void {
  if (keys.length === 0) {
    const reason = skipped.size > 0 ? ` (${skipped.size} skipped, e.g.: ${skipped.values().next().value})` : '';
    throw new JWKSetError(`the JWK Set has no usable key${reason}`);
  }
  const secrets = keys.filter(isSecret).length;
  if (secrets > 0 && secrets < keys.length)
    throw new JWKSetError(
      'the JWK Set mixes shared secrets with asymmetric keys; keep them in separate sets (RFC 8725 §2.1)',
    );
}

/** An entry of a JWK Set document worth importing. */
export interface JWKSetEntry {
  readonly jwk: JWK;
  readonly index: number;
}

/**
 * Reads a JWKS document (`{ keys: [...] }` or its JSON text, parsed strictly): the entries of a known
 * `kty` (others are ignored, RFC 7517 §5). With `publicOnly`, any private member is a JWKError; a
 * document of the wrong shape is a JWKSetError. Checks the options of `JWKSet.from`.
 */
export function readJWKSetDocument(jwks: unknown, options: JWKSetOptions): JWKSetEntry[] {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkOptionNames(options, JWKSET_OPTION_NAMES, 'JWKSet.from');
  let document: unknown = jwks;
  if (typeof jwks === 'string') {
    const parsed = parseJSONText(jwks, normalizeMaxJSONDepth(options.maxJSONDepth));
    if (typeof parsed === 'string')
      throw new JWKSetError(`the JWK Set is not a JSON object (${SET_PROBLEMS[parsed] ?? 'invalid JSON'})`);
    document = parsed.value;
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document))
    throw new JWKSetError('the JWK Set must be an object with a "keys" array');
  const entries = (document as { keys?: unknown }).keys;
  if (!Array.isArray(entries)) throw new JWKSetError('the JWK Set must have a "keys" array');
  const out: JWKSetEntry[] = [];
  entries.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      throw new JWKSetError(`JWK Set entry ${index} is not an object`);
    const jwk = entry as JWK;
    if (typeof jwk.kty !== 'string' || !KNOWN_KTY.has(jwk.kty)) return;
    if (options.publicOnly && PRIVATE_MEMBERS.some((name) => Object.hasOwn(jwk, name)))
      throw new JWKError(
        `JWK Set entry ${index}${typeof jwk.kid === 'string' ? ` (kid "${jwk.kid.slice(0, 64)}")` : ''} has private key members in a set meant to be public`,
      );
    out.push({ jwk, index });
  });
  return out;
}

/** The name under which an entry that could not be imported is remembered: its kid, else `#index`. */
export function skippedName(entry: JWKSetEntry): string {
  return typeof entry.jwk.kid === 'string' ? entry.jwk.kid : `#${entry.index}`;
}

/**
 * A set of keys selected by `kid` (then by `alg`, `kty`, `crv`, `use`, `key_ops`): the Node and web
 * `JWKSet`s. A set that mixes shared secrets with asymmetric keys is refused (it would reopen algorithm
 * confusion); a token whose kid two fitting keys share is refused as ambiguous. `toJSON()` publishes public
 * members only.
 * @example
 * ```ts
 * import { JWKSet } from 'tessera-jwt';
 * const keys = JWKSet.from({ keys: [currentPublicJwk, previousPublicJwk] });
 * console.log(keys.size, keys.get('2026-12')?.alg);
 * ```
 */
export abstract class JWKSetBase<K extends JWKSetMember> {
  /** The usable keys, in the set's order. */
  readonly keys: readonly K[];
  /** Entries of the source that could not be used, with why (reported when a token names their kid). */
  readonly #skipped: ReadonlyMap<string, string>;

  /** Checks and freezes the set (the subclass has checked that every key is its Key). */
  protected constructor(keys: readonly K[], skipped: ReadonlyMap<string, string>) {
    checkSetMembers(keys, skipped, (key) => key.kty === 'oct');
    this.keys = Object.freeze([...keys]);
    this.#skipped = skipped;
    Object.freeze(this);
  }

  /** @internal the brand lib/ recognizes a key set by (no `instanceof`, so lib/ needs no import of the class). */
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
  get(kid: string): K | undefined {
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
  select(header: SelectionHeader): K[] {
    return selectForVerify(this.keys, header);
  }

  /**
   * The keys to try for a token, or the error that explains why there are none (or too many).
   * @internal used by the verifiers
   */
  candidatesFor(header: SelectionHeader): K[] {
    return verificationCandidates(this.keys, this.#skipped, header);
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
