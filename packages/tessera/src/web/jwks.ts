// JWK Sets and key resolvers for the web entry, with the Node JWKSet's selection rules (lib/jwk-set-base.ts):
// a key source may be a web JWKSet, or a plain JWK Set document (what the web createRemoteJWKSet resolves
// to), which is validated once per object and read through the same selection. The document's keys are
// imported when used (keys.ts caches each JWK's CryptoKey), so a set fetched once is imported once.
import { JWKSetError } from '../errors.js';
import {
  checkSetMembers,
  readJWKSetDocument,
  type SelectableKey,
  type SelectionHeader,
  selectForVerify,
  skippedName,
  verificationCandidates,
} from '../lib/jwk-set-base.js';
import { isKeySet } from '../lib/key-set.js';
import type { JWK, JWKSetDocument, JWSHeader } from '../types.js';
import type { JWKSet } from './jwk-set.js';
import type { WebKeyInput } from './keys.js';

export type { JWKSetDocument } from '../types.js';

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
) => WebKeyInput | JWKSet | JWKSetDocument | Promise<WebKeyInput | JWKSet | JWKSetDocument>;

/** What the web `verifyJWT`/`verifyJWS` take as the key: a key, a {@link JWKSet}, a JWK Set document, or a resolver. */
export type WebKeySource = WebKeyInput | JWKSet | JWKSetDocument | WebKeyResolver;

/** A JWK Set document's entry as selection reads it (`key_ops` as `keyOps`), with the JWK to import. */
interface DocumentKey extends SelectableKey {
  readonly jwk: JWK;
}

/** Internal: a set ready for selection. */
export interface PreparedSet {
  readonly keys: readonly JWK[];
  readonly members: readonly DocumentKey[];
  /** kid (or `#index`) → why the entry cannot be used. */
  readonly skipped: ReadonlyMap<string, string>;
}

const prepared = new WeakMap<object, PreparedSet>();

/** Internal: `{ keys: [...] }` (and not a JWK, which has `kty`, nor a JWKSet). */
export function isJWKSetDocument(value: unknown): value is JWKSetDocument {
  return (
    value !== null &&
    typeof value === 'object' &&
    !isKeySet(value) &&
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
 * Internal: validates a JWK Set document once (cached per object), by the JWKSet's rules: entries of
 * unknown `kty` are ignored (RFC 7517 §5), malformed ones are skipped and named when a token asks for
 * their kid; with `publicOnly` a private member is a JWKError; no usable key, secrets mixed with
 * asymmetric keys is a JWKSetError (a kid that two keys share is refused when a token names it).
 */
export function prepareSet(document: unknown, publicOnly = false): PreparedSet {
  if (document !== null && typeof document === 'object') {
    const known = prepared.get(document);
    if (known !== undefined) return known;
  }
  // Text is for JWKSet.from; a key source is an object.
  if (typeof document === 'string') throw new JWKSetError('the JWK Set must be an object with a "keys" array');
  const members: DocumentKey[] = [];
  const skipped = new Map<string, string>();
  for (const entry of readJWKSetDocument(document, { publicOnly })) {
    const problem = structuralProblem(entry.jwk as unknown as Record<string, unknown>);
    if (problem !== undefined) {
      skipped.set(skippedName(entry), `the JWK is invalid: ${problem}`);
      continue;
    }
    const jwk = Object.freeze({ ...entry.jwk }) as JWK;
    const use = jwk.use as DocumentKey['use'];
    members.push({ jwk, kid: jwk.kid, alg: jwk.alg, use, keyOps: jwk.key_ops, kty: jwk.kty, crv: jwk.crv });
  }
  checkSetMembers(members, skipped, (key) => key.kty === 'oct');
  const keys = Object.freeze(members.map((member) => member.jwk));
  const set: PreparedSet = Object.freeze({ keys, members: Object.freeze(members), skipped });
  prepared.set(document as object, set);
  return set;
}

/** Internal: the keys of a prepared document that may verify a token with this header (never throws). */
export function selectKeys(set: PreparedSet, header: SelectionHeader): JWK[] {
  return selectForVerify(set.members, header).map((member) => member.jwk);
}

/**
 * Internal: the keys to try for a token when `source` is a set (a JWKSet or a document), or the error
 * that says why there are none (or too many); `undefined` when `source` is a single key.
 */
export function setCandidates(source: unknown, header: SelectionHeader): readonly WebKeyInput[] | undefined {
  if (isKeySet(source)) return (source as unknown as JWKSet).candidatesFor(header);
  if (!isJWKSetDocument(source)) return undefined;
  const set = prepareSet(source);
  return verificationCandidates(set.members, set.skipped, header).map((member) => member.jwk);
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

const keySetDocuments = new WeakMap<object, JWKSetDocument>();

/**
 * Internal: a JWKSet as the JWK Set document the web JWE functions select from (private members
 * included: they decrypt with them); any other source unchanged. Made once per set.
 */
export function asJWKSetDocument(source: unknown): unknown {
  if (!isKeySet(source)) return source;
  let document = keySetDocuments.get(source);
  if (document === undefined) {
    const keys = (source as unknown as JWKSet).keys.map((key) => key.toJWK({ private: key.type !== 'public' }));
    document = Object.freeze({ keys: Object.freeze(keys) });
    keySetDocuments.set(source, document);
  }
  return document;
}
