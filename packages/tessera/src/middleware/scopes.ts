import type { JWTPayload } from '../types.js';

/**
 * A check on verified claims, run after the signature, the claims and the revocation hook. A guard that
 * returns `false` answers 403 `insufficient_scope` (RFC 6750 §3.1); one that throws or rejects answers
 * 500: a guard fails closed. Build one with {@link requireScopes} or {@link requireClaims}.
 *
 * @example
 * ```ts
 * import { requireScopes, requireClaims, type ClaimsGuard } from 'tessera-jwt';
 * const guards: ClaimsGuard[] = [requireScopes('read:orders'), requireClaims({ roles: 'admin' })];
 * ```
 */
export interface ClaimsGuard<Claims = JWTPayload> {
  /** The scopes this guard requires; they are named in the challenge's `scope` attribute. */
  readonly scopes?: readonly string[] | undefined;
  /** True when the claims grant access. */
  check(claims: Claims): boolean | Promise<boolean>;
}

// RFC 6749 §3.3 scope-token: printable ASCII without space, '"' and '\'.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Internal: the scopes a token grants — `scope` (RFC 8693 §4.2 / RFC 9068: space-separated) and `scp` (an array, or a string, as some issuers send it). */
export function grantedScopes(claims: JWTPayload): Set<string> {
  const granted = new Set<string>();
  for (const claim of [claims.scope, claims.scp]) {
    if (typeof claim === 'string') for (const s of claim.split(' ')) if (s !== '') granted.add(s);
    if (Array.isArray(claim)) for (const s of claim) if (typeof s === 'string') granted.add(s);
  }
  return granted;
}

/**
 * A guard that requires every one of the given scopes, read from the space-separated `scope` claim and
 * from `scp` (an array or a string). A token without them gets 403 `insufficient_scope` with
 * `scope="…"` naming what is required.
 *
 * @example
 * ```ts
 * import { expressAuth, requireScopes } from 'tessera-jwt';
 * const auth = expressAuth({ key: jwks, algorithms: ['RS256'], audience: 'https://api.example.com' });
 * app.get('/orders', auth.require(requireScopes('read:orders')), (req, res) => { res.json([]); });
 * ```
 */
export function requireScopes(...scopes: string[]): ClaimsGuard {
  if (scopes.length === 0) throw new TypeError('requireScopes() needs at least one scope');
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw new TypeError('requireScopes() takes scope names: non-empty strings of printable ASCII without spaces');
    }
  }
  const required = Object.freeze([...scopes]);
  return Object.freeze({
    scopes: required,
    check(claims: JWTPayload): boolean {
      const granted = grantedScopes(claims);
      return required.every((scope) => granted.has(scope));
    },
  });
}

type Expected = string | number | boolean;

/**
 * Expected claim values for {@link requireClaims}: each claim must equal the value, or — when the claim
 * is an array (e.g. `roles`, `groups`) or a space-separated string — contain it; a list of values must
 * all be present.
 *
 * @example
 * ```ts
 * const expected: ClaimRequirements = { roles: ['admin', 'billing'], tenant: 'acme', email_verified: true };
 * ```
 */
export type ClaimRequirements = Record<string, Expected | readonly Expected[]>;

function contains(actual: unknown, wanted: Expected): boolean {
  if (Array.isArray(actual)) return actual.includes(wanted);
  if (actual === wanted) return true;
  return typeof actual === 'string' && typeof wanted === 'string' && actual.split(' ').includes(wanted);
}

/**
 * A guard on any claims: either expected values (`{ roles: 'admin' }` — equal to, or contained in an
 * array or space-separated string claim) or a predicate (which may be async). Denied requests get 403
 * `insufficient_scope`. A predicate that throws or rejects denies with 500, never lets the request through.
 *
 * @example
 * ```ts
 * import { honoAuth, requireClaims } from 'tessera-jwt';
 * const auth = honoAuth({ key: publicKey, algorithms: ['ES256'] });
 * app.delete('/users/:id', auth.require(requireClaims({ roles: 'admin' })), (c) => c.body(null, 204));
 * app.get('/me', auth.require(requireClaims((claims) => claims.email_verified === true)), (c) => c.json(c.get('auth')));
 * ```
 */
export function requireClaims<Claims = JWTPayload>(
  requirement: ClaimRequirements | ((claims: Claims) => boolean | Promise<boolean>),
): ClaimsGuard<Claims> {
  if (typeof requirement === 'function') {
    return Object.freeze({ scopes: undefined, check: (claims: Claims) => requirement(claims) });
  }
  if (requirement === null || typeof requirement !== 'object' || Object.keys(requirement).length === 0) {
    throw new TypeError('requireClaims() takes a predicate or a non-empty object of expected claim values');
  }
  const entries = Object.entries(requirement).map(([claim, value]): [string, readonly Expected[]] => {
    const values = Array.isArray(value) ? (value as readonly Expected[]) : [value as Expected];
    if (values.length === 0 || !values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
      throw new TypeError(
        `requireClaims(): "${claim}" must be a string, number or boolean, or a non-empty list of them`,
      );
    }
    return [claim, Object.freeze([...values])];
  });
  return Object.freeze({
    scopes: undefined,
    check(claims: Claims): boolean {
      // Own properties only: a claim named "__proto__" or "constructor" is data, never the prototype.
      const record = claims as Record<string, unknown>;
      return entries.every(
        ([claim, values]) => Object.hasOwn(record, claim) && values.every((v) => contains(record[claim], v)),
      );
    },
  });
}
