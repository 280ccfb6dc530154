// JWK Sets and key resolvers for the web entry, with the Node JWKSet's selection rules: the token's kid
// picks the key; a key bound to an `alg` only verifies that alg; `use: "enc"` keys and keys whose
// `key_ops` lack "verify" never verify; a set mixing shared secrets with asymmetric keys is refused; a
// token without kid is tried against at most MAX_KEYS_WITHOUT_KID fitting keys. Imported CryptoKeys are
// cached per JWK object, so verifying many tokens against one set imports each key once.
import { JWKError, JWKSetError, NoMatchingKeyError } from '../errors.js';
import { keyTypeMismatch } from '../lib/key-types.js';
import type { JWK, JWSHeader } from '../types.js';
import type { WebKeyInput } from './keys.js';

/** A JWK Set document (RFC 7517 §5): what a `jwks_uri` serves. */
export interface JWKSetDocument {
  readonly keys: readonly JWK[];
}

/**
 * Picks the verification key from the token's (unverified) protected header: a key, or a JWK Set that
 * the verifier then selects from by `kid`/`alg` (what the web `createRemoteJWKSet` resolves to).
 * @example
 * ```ts
 * const resolver: WebKeyResolver = (header) => keysByKid.get(header.kid ?? '')!;
 * await verifyJWT(token, resolver, { algorithms: ['ES256'] });
 * ```
 */
export type WebKeyResolver = (
  header: JWSHeader,
  token: string,
) => WebKeyInput | JWKSetDocument | Promise<WebKeyInput | JWKSetDocument>;

/** What the web `verifyJWT`/`verifyJWS` take as the key: a key, a JWK Set, or a resolver. */
export type WebKeySource = WebKeyInput | JWKSetDocument | WebKeyResolver;

/** A token without `kid` is tried against at most this many fitting keys (as on Node). */
export const MAX_KEYS_WITHOUT_KID = 8;

const KNOWN_KTY = new Set(['RSA', 'EC', 'OKP', 'oct']);
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Internal: a set ready for selection. */
export interface PreparedSet {
  readonly keys: readonly JWK[];
  /** kid (or `#index`) → why the entry cannot be used. */
  readonly skipped: ReadonlyMap<string, string>;
}

const prepared = new WeakMap<object, PreparedSet>();

/** Internal: `{ keys: [...] }` (and not a JWK, which has `kty`). */
export function isJWKSetDocument(value: unknown): value is JWKSetDocument {
  return (
    value !== null &&
    typeof value === 'object' &&
    Array.isArray((value as { keys?: unknown }).keys) &&
    (value as { kty?: unknown }).kty === undefined
  );
}

function structuralProblem(jwk: Record<string, unknown>): string | undefined {
  for (const name of ['kid', 'alg', 'use', 'crv']) {
    if (jwk[name] !== undefined && typeof jwk[name] !== 'string') return `"${name}" must be a string`;
  }
  if (jwk.key_ops !== undefined && (!Array.isArray(jwk.key_ops) || jwk.key_ops.some((o) => typeof o !== 'string')))
    return '"key_ops" must be an array of strings';
  const required = { RSA: ['n', 'e'], EC: ['crv', 'x', 'y'], OKP: ['crv', 'x'], oct: ['k'] }[jwk.kty as 'RSA'];
  for (const name of required) if (typeof jwk[name] !== 'string') return `"${name}" is missing`;
  return undefined;
}

/**
 * Internal: validates a JWK Set document once (cached per object). Entries of unknown `kty` are ignored
 * (RFC 7517 §5), malformed ones are skipped and named when a token asks for their kid; with `publicOnly`
 * a private member is a JWKError; no usable key, or secrets mixed with asymmetric keys, is a JWKSetError.
 */
export function prepareSet(document: unknown, publicOnly = false): PreparedSet {
  if (document !== null && typeof document === 'object') {
    const known = prepared.get(document);
    if (known !== undefined) return known;
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document))
    throw new JWKSetError('the JWK Set must be an object with a "keys" array');
  const entries = (document as { keys?: unknown }).keys;
  if (!Array.isArray(entries)) throw new JWKSetError('the JWK Set must have a "keys" array');
  const keys: JWK[] = [];
  const skipped = new Map<string, string>();
  entries.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      throw new JWKSetError(`JWK Set entry ${index} is not an object`);
    const jwk = entry as Record<string, unknown>;
    if (typeof jwk.kty !== 'string' || !KNOWN_KTY.has(jwk.kty)) return;
    const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
    if (publicOnly && PRIVATE_MEMBERS.some((name) => Object.hasOwn(jwk, name))) {
      throw new JWKError(
        `JWK Set entry ${index}${kid === undefined ? '' : ` (kid "${kid.slice(0, 64)}")`} has private key members in a set meant to be public`,
      );
    }
    const problem = structuralProblem(jwk);
    if (problem !== undefined) skipped.set(kid ?? `#${index}`, `the JWK is invalid: ${problem}`);
    else keys.push(Object.freeze({ ...jwk }) as JWK);
  });
  if (keys.length === 0) {
    const reason = skipped.size > 0 ? ` (${skipped.size} skipped, e.g.: ${skipped.values().next().value})` : '';
    throw new JWKSetError(`the JWK Set has no usable key${reason}`);
  }
  const secrets = keys.filter((key) => key.kty === 'oct').length;
  if (secrets > 0 && secrets < keys.length) {
    throw new JWKSetError(
      'the JWK Set mixes shared secrets with asymmetric keys; keep them in separate sets (RFC 8725 §2.1)',
    );
  }
  const set: PreparedSet = Object.freeze({ keys: Object.freeze(keys), skipped });
  prepared.set(document, set);
  return set;
}

function unfitForVerify(jwk: JWK, alg: string): string | undefined {
  if (jwk.use === 'enc') return 'its "use" is "enc"';
  if (jwk.key_ops !== undefined && !jwk.key_ops.includes('verify')) return 'its "key_ops" do not include "verify"';
  if (jwk.alg !== undefined)
    return jwk.alg === alg ? undefined : `it is bound to "alg" ${JSON.stringify(jwk.alg.slice(0, 40))}`;
  return keyTypeMismatch(alg, jwk.kty, jwk.crv);
}

/** Internal: the keys of `set` that may verify a token with this header (never throws). */
export function selectKeys(set: PreparedSet, header: { alg: string; kid?: string }): JWK[] {
  return set.keys.filter(
    (key) => (header.kid === undefined || key.kid === header.kid) && unfitForVerify(key, header.alg) === undefined,
  );
}

/** Internal: the keys to try for a token, or the error that says why there are none (or too many). */
export function candidatesFor(set: PreparedSet, header: { alg: string; kid?: string }): JWK[] {
  const found = selectKeys(set, header);
  if (found.length === 0) {
    if (header.kid !== undefined && set.skipped.has(header.kid))
      throw new JWKError(`the key with the token's kid was skipped: ${set.skipped.get(header.kid)}`);
    const alg = header.alg.slice(0, 40);
    const named = header.kid === undefined ? undefined : set.keys.find((key) => key.kid === header.kid);
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
  if (header.kid !== undefined && (found.length > 1 || set.skipped.has(header.kid)))
    throw new JWKSetError("several keys in the JWK Set share the token's kid; a kid must identify one key");
  if (found.length > MAX_KEYS_WITHOUT_KID)
    throw new JWKSetError(
      `the token has no kid and ${found.length} keys fit; tokens verified against large sets must carry a kid`,
    );
  return found;
}

/**
 * Internal: a frozen `{ keys }` document of `value`'s usable keys, already prepared (what the remote set
 * hands the verifier, so a set fetched once is validated once).
 */
export function preparedDocument(value: unknown, publicOnly: boolean): JWKSetDocument {
  const set = prepareSet(value, publicOnly);
  const document: JWKSetDocument = Object.freeze({ keys: set.keys });
  prepared.set(document, set);
  return document;
}
