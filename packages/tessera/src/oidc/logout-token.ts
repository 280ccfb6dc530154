// Logout token validation per OpenID Connect Back-Channel Logout 1.0 §2.6: the provider POSTs a signed
// JWT to the client's backchannel_logout_uri when a user's provider session ends, so every application the
// user signed in to ends its own session too. The JOSE core checks the signature, the algorithm allowlist,
// iss, aud, iat and exp; this file adds what makes a JWT a logout token (and not an ID token replayed).
import { InvalidClaimError, MissingRequiredClaimError } from '../errors.js';
import { checkOptionNames, optionNames, toSeconds } from '../internal.js';
import type { JWKSet } from '../jwks/set.js';
import { verifyJWT } from '../jwt/verify.js';
import type { Duration, JWSHeader, JWTPayload, KeyInput, KeyResolver } from '../types.js';

/**
 * The `events` member that marks a logout token (§2.4).
 * @example
 * ```ts
 * const claims = { iss, aud: 'my-app', iat, exp, jti, sid, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } };
 * ```
 */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * The claims of a validated logout token: `sid`, `sub` or both say which sessions end.
 * @example
 * ```ts
 * const { sid, sub } = await verifyLogoutToken(token, { issuer, audience: 'my-app', jwks });
 * ```
 */
export interface LogoutTokenClaims extends JWTPayload {
  iss: string;
  aud: string | string[];
  iat: number;
  exp: number;
  jti: string;
  events: Record<string, unknown>;
  /** The provider session that ended (every session of this client in it). */
  sid?: string;
  /** The user whose sessions ended (all of them, when there is no `sid`). */
  sub?: string;
}

/**
 * Options of {@link verifyLogoutToken}.
 * @example
 * ```ts
 * const options: VerifyLogoutTokenOptions = { issuer: 'https://id.example.com', audience: 'my-app', jwks };
 * ```
 */
export interface VerifyLogoutTokenOptions {
  /** The provider's issuer identifier, compared exactly with `iss`. */
  issuer: string;
  /** The client id: `aud` must contain it. */
  audience: string;
  /** The provider's keys (the same as for its ID tokens). */
  jwks: KeyResolver | JWKSet | KeyInput;
  /** Accepted `alg` values (default `['RS256']`); `none` and `HS*` are always refused. */
  algorithms?: string[];
  /** Clock skew allowed for `iat` and `exp` (default 0). */
  clockTolerance?: Duration;
  /** How old `iat` may be (default 5 minutes: a logout token is delivered at once). */
  maxTokenAge?: Duration;
  /** The current time (default: now). */
  currentDate?: Date;
}

const OPTION_NAMES = optionNames([
  'issuer',
  'audience',
  'jwks',
  'algorithms',
  'clockTolerance',
  'maxTokenAge',
  'currentDate',
]);

/**
 * Validates a logout token (OpenID Connect Back-Channel Logout 1.0 §2.6): signature and algorithm, `iss`,
 * `aud`, `iat`, `exp`, a `jti`, the back-channel logout member in `events`, `sid` and/or `sub`, and no
 * `nonce` (so an ID token can never pass as one). A `typ` header, when present, must be `logout+jwt` or `JWT`.
 * Failures are {@link JWTError}s with the rule in `code`; the token is never part of a message.
 * @example
 * ```ts
 * import { verifyLogoutToken } from 'tessera-jwt/oidc';
 * const { sid, sub } = await verifyLogoutToken(form.get('logout_token'), { issuer, audience: 'my-app', jwks });
 * ```
 */
export async function verifyLogoutToken(token: string, options: VerifyLogoutTokenOptions): Promise<LogoutTokenClaims> {
  if (typeof token !== 'string') throw new TypeError('the logout token must be a string');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkOptionNames(options as object, OPTION_NAMES, 'verifyLogoutToken');
  const { issuer, audience, jwks } = options;
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('"issuer" option must be a non-empty string');
  if (typeof audience !== 'string' || audience === '')
    throw new TypeError('"audience" option must be the client id (a non-empty string)');
  if (jwks === undefined || jwks === null) throw new TypeError('"jwks" option is required (the provider\'s keys)');
  const algorithms = (options.algorithms ?? ['RS256']).filter((alg) => alg !== 'none' && !/^HS/.test(alg));
  if (algorithms.length === 0) throw new TypeError('"algorithms" allows no asymmetric algorithm');
  const { header, payload } = (await verifyJWT(token, jwks as KeyResolver, {
    algorithms,
    issuer,
    audience,
    requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti'],
    clockTolerance: toSeconds(options.clockTolerance ?? 0, 'clockTolerance'),
    maxTokenAge: options.maxTokenAge ?? '5m',
    complete: true,
    ...(options.currentDate !== undefined ? { currentDate: options.currentDate } : {}),
  })) as unknown as { header: JWSHeader; payload: LogoutTokenClaims };
  if (header.typ !== undefined && !/^(application\/)?(logout\+jwt|jwt)$/i.test(String(header.typ)))
    throw new InvalidClaimError('"typ" header of a logout token must be "logout+jwt"', 'typ', 'mismatch');
  const events = payload.events;
  if (events === undefined) throw new MissingRequiredClaimError('"events" claim is required', 'events');
  if (events === null || typeof events !== 'object' || Array.isArray(events))
    throw new InvalidClaimError('"events" claim must be a JSON object', 'events', 'invalid');
  const event = events[BACKCHANNEL_LOGOUT_EVENT];
  if (event === null || typeof event !== 'object' || Array.isArray(event))
    throw new InvalidClaimError('"events" claim has no back-channel logout event', 'events', 'invalid');
  if ('nonce' in payload) throw new InvalidClaimError('a logout token must not carry "nonce"', 'nonce', 'invalid');
  if (typeof payload.jti !== 'string' || payload.jti === '')
    throw new InvalidClaimError('"jti" claim must be a non-empty string', 'jti', 'invalid');
  const hasSid = typeof payload.sid === 'string' && payload.sid !== '';
  const hasSub = typeof payload.sub === 'string' && payload.sub !== '';
  if (!hasSid && !hasSub) throw new MissingRequiredClaimError('a logout token needs "sid" or "sub"', 'sid');
  if (payload.sid !== undefined && !hasSid)
    throw new InvalidClaimError('"sid" claim must be a non-empty string', 'sid', 'invalid');
  if (payload.sub !== undefined && !hasSub)
    throw new InvalidClaimError('"sub" claim must be a non-empty string', 'sub', 'invalid');
  return payload;
}
