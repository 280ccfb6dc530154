// ID token validation per OpenID Connect Core 1.0 §3.1.3.7 (and §3.2.2.11 / §3.3.2.12 for at_hash and
// c_hash, §12.2 for refreshed ID tokens), on top of verifyJWT: the JOSE core checks the signature, the
// algorithm allowlist, iss, aud, exp, iat and nonce; this file adds what is specific to ID tokens.
import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidAudienceError, InvalidClaimError, MissingRequiredClaimError } from '../errors.js';
import { checkOptionNames, optionNames, encodeBase64url, toSeconds } from '../internal.js';
import type { JWKSet } from '../jwks/set.js';
import { verifyJWT } from '../jwt/verify.js';
import type { Duration, JWSHeader, JWTPayload, KeyInput, KeyResolver } from '../types.js';

/**
 * The claims of a validated ID token (OpenID Connect Core §2): the required ones are typed as present.
 * @example
 * ```ts
 * const claims: IDTokenClaims = await verifyIDToken(idToken, { issuer, audience: 'my-app', jwks });
 * console.log(claims.sub, claims.email);
 * ```
 */
export interface IDTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  /** When the user authenticated (seconds since the epoch). */
  auth_time?: number;
  nonce?: string;
  acr?: string;
  amr?: string[];
  /** The authorized party: the client the token was issued to. */
  azp?: string;
  at_hash?: string;
  c_hash?: string;
  [claim: string]: unknown;
}

/**
 * Options of {@link verifyIDToken}.
 * @example
 * ```ts
 * const options: VerifyIDTokenOptions = {
 *   issuer: 'https://accounts.example.com', audience: 'my-client-id',
 *   jwks: createRemoteJWKSet('https://accounts.example.com/jwks'), nonce, maxAge: 300,
 * };
 * ```
 */
export interface VerifyIDTokenOptions {
  /** The provider's issuer identifier, compared exactly with `iss`. */
  issuer: string;
  /** The client id: `aud` must contain it, and `azp`, when present, must equal it. */
  audience: string;
  /** The provider's keys: a remote JWK Set (`createRemoteJWKSet`), a `JWKSet`, a key or a resolver. */
  jwks: KeyResolver | JWKSet | KeyInput;
  /**
   * Accepted `alg` values (default `['RS256']`, the OpenID Connect default; a client takes the provider's
   * `id_token_signing_alg_values_supported`). `none` is always refused; `HS*` only with `clientSecret`.
   */
  algorithms?: string[];
  /**
   * Accept ID tokens MACed with the client secret (`HS256`/`HS384`/`HS512`, §10.1). Off unless given:
   * a provider that advertises RS256 but whose tokens arrive as HS256 is the classic confusion attack.
   * The secret must be as long as the hash output (32 bytes for HS256), as for any HMAC key.
   */
  clientSecret?: string;
  /** The `nonce` sent in the authorization request; required in the token when given. */
  nonce?: string;
  /** The `max_age` sent (seconds or duration): `auth_time` is then required and must be recent enough. */
  maxAge?: Duration;
  /** Require `auth_time` even without `maxAge` (the client registered `require_auth_time`). */
  requireAuthTime?: boolean;
  /** Acceptable `acr` values, when the client requested some as essential: `acr` must be one of them. */
  acrValues?: string[];
  /** The access token returned with the ID token: `at_hash`, when present, must match it. */
  accessToken?: string;
  /** Require `at_hash` (implicit and hybrid flows return the access token from the authorization endpoint). */
  requireAtHash?: boolean;
  /** The authorization code returned with the ID token (hybrid flow): `c_hash` is then required and checked. */
  code?: string;
  /** Clock skew allowed for `exp`, `iat` and `auth_time` (default 0). */
  clockTolerance?: Duration;
  /** How old `iat` may be (default: no limit beyond `exp`). */
  maxTokenAge?: Duration;
  /** The current time (default: now). */
  currentDate?: Date;
  /** The expected `typ` header, when the provider sets one. */
  typ?: string;
}

const OPTION_NAMES = optionNames([
  'issuer',
  'audience',
  'jwks',
  'algorithms',
  'clientSecret',
  'nonce',
  'maxAge',
  'requireAuthTime',
  'acrValues',
  'accessToken',
  'requireAtHash',
  'code',
  'clockTolerance',
  'maxTokenAge',
  'currentDate',
  'typ',
]);

const HMAC = /^HS(256|384|512)$/;

/**
 * The hash that `at_hash` and `c_hash` use for a JWS algorithm: the one of the signature (OpenID Connect
 * Core §3.1.3.6); EdDSA with Ed25519 uses SHA-512 (OpenID Connect Core errata / the EdDSA registration).
 * Returns undefined for an algorithm without a defined hash.
 */
export function hashForAlgorithm(alg: string, crv?: string): 'sha256' | 'sha384' | 'sha512' | undefined {
  const m = /^(?:HS|RS|PS|ES)(256|384|512)$/.exec(alg);
  if (m) return `sha${m[1]}` as 'sha256' | 'sha384' | 'sha512';
  if (alg === 'ES256K') return 'sha256';
  if (alg === 'Ed25519') return 'sha512';
  if (alg === 'EdDSA' && (crv === undefined || crv === 'Ed25519')) return 'sha512';
  return undefined;
}

/** The left half of the hash of `value`, base64url: the `at_hash`/`c_hash` of a token or code. */
export function leftHalfHash(value: string, hash: 'sha256' | 'sha384' | 'sha512'): string {
  const digest = createHash(hash).update(value, 'ascii').digest();
  return encodeBase64url(digest.subarray(0, digest.length / 2));
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function checkHashClaim(
  claim: 'at_hash' | 'c_hash',
  value: unknown,
  input: string,
  header: JWSHeader,
  curve: string | undefined,
): void {
  if (typeof value !== 'string') throw new InvalidClaimError(`"${claim}" claim must be a string`, claim, 'invalid');
  const hash = hashForAlgorithm(header.alg, curve);
  if (hash === undefined)
    throw new InvalidClaimError(`"${claim}" cannot be checked: "${header.alg}" defines no hash`, claim, 'unsupported');
  if (!sameString(value, leftHalfHash(input, hash))) {
    const what = claim === 'at_hash' ? 'access token' : 'authorization code';
    throw new InvalidClaimError(`"${claim}" claim does not match the ${what}`, claim, 'mismatch');
  }
}

/**
 * Validates an ID token per OpenID Connect Core 1.0 §3.1.3.7 and returns its claims. Usable on its own,
 * e.g. for an ID token that a mobile app or an SPA posts to an API. The rules, in order:
 * the signature with a key from `jwks` and an `alg` from `algorithms` (`none` never; `HS*` only with
 * `clientSecret`, then MACed with it), `iss` equal to `issuer`, `aud` containing `audience`, `azp` equal to
 * `audience` when present and required when there are several audiences, `exp` in the future and `iat`
 * not in the future (with `clockTolerance`), `nonce` equal, `auth_time` present and recent enough for
 * `maxAge`, `acr` among `acrValues`, and `at_hash`/`c_hash` matching the access token/code for the hash of
 * the algorithm. Failures are the core's typed errors: {@link InvalidIssuerError},
 * {@link InvalidAudienceError}, {@link InvalidClaimError} with `claim` `'nonce'`, `'azp'`, `'auth_time'`,
 * `'acr'`, `'at_hash'`, `'c_hash'`, {@link InvalidAlgorithmError}, {@link ExpiredSignatureError} …
 *
 * @example
 * ```ts
 * import { createRemoteJWKSet } from 'tessera-jwt';
 * import { verifyIDToken } from 'tessera-jwt/oidc';
 * const jwks = createRemoteJWKSet('https://accounts.example.com/.well-known/jwks.json');
 * const claims = await verifyIDToken(idToken, { issuer: 'https://accounts.example.com', audience: 'my-app', jwks });
 * ```
 */
export async function verifyIDToken<C extends IDTokenClaims = IDTokenClaims>(
  token: string,
  options: VerifyIDTokenOptions,
): Promise<C> {
  if (typeof token !== 'string') throw new TypeError('the ID token must be a string');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkOptionNames(options as object, OPTION_NAMES, 'verifyIDToken');
  const { issuer, audience, jwks, clientSecret } = options;
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('"issuer" option must be a non-empty string');
  if (typeof audience !== 'string' || audience === '')
    throw new TypeError('"audience" option must be the client id (a non-empty string)');
  if (jwks === undefined || jwks === null) throw new TypeError('"jwks" option is required (the provider\'s keys)');
  if (clientSecret !== undefined && (typeof clientSecret !== 'string' || clientSecret === ''))
    throw new TypeError('"clientSecret" option must be a non-empty string');
  const algorithms = options.algorithms ?? ['RS256'];
  if (!Array.isArray(algorithms) || algorithms.length === 0 || !algorithms.every((a) => typeof a === 'string'))
    throw new TypeError('"algorithms" option must be a non-empty array of strings');
  const allowed = algorithms.filter((alg) => alg !== 'none' && (!HMAC.test(alg) || clientSecret !== undefined));
  if (allowed.length === 0)
    throw new TypeError(
      '"algorithms" allows no usable ID token algorithm ("none" is refused; HS* needs the "clientSecret" option)',
    );
  const tolerance = toSeconds(options.clockTolerance ?? 0, 'clockTolerance');
  const maxAge = options.maxAge === undefined ? undefined : toSeconds(options.maxAge, 'maxAge');
  if (options.acrValues !== undefined && (!Array.isArray(options.acrValues) || options.acrValues.length === 0))
    throw new TypeError('"acrValues" option must be a non-empty array of strings');

  const resolver: KeyResolver = async (header, raw) => {
    if (HMAC.test(header.alg ?? '')) {
      if (clientSecret === undefined) return new Uint8Array(0); // unreachable: the alg is not allowed
      return Buffer.from(clientSecret, 'utf8');
    }
    const key = typeof jwks === 'function' ? await (jwks as KeyResolver)(header, raw) : jwks;
    return key;
  };
  const { header, payload } = (await verifyJWT(token, resolver, {
    algorithms: allowed,
    issuer,
    audience,
    requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    clockTolerance: tolerance,
    complete: true,
    ...(options.nonce !== undefined ? { nonce: options.nonce } : {}),
    ...(options.maxTokenAge !== undefined ? { maxTokenAge: options.maxTokenAge } : {}),
    ...(options.currentDate !== undefined ? { currentDate: options.currentDate } : {}),
    ...(options.typ !== undefined ? { typ: options.typ } : {}),
  })) as unknown as { header: JWSHeader; payload: IDTokenClaims };
  // EdDSA ID tokens are Ed25519 in practice (Ed448 has no at_hash hash defined and is refused there).
  const curve = header.alg === 'EdDSA' ? 'Ed25519' : undefined;

  if (typeof payload.sub !== 'string' || payload.sub === '')
    throw new InvalidClaimError('"sub" claim must be a non-empty string', 'sub', 'invalid');
  // §3.1.3.7 items 3-5: several audiences need azp; azp, when present, is this client.
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(audience)) throw new InvalidAudienceError('"aud" claim does not contain the client id');
  if (payload.azp !== undefined || audiences.length > 1) {
    if (payload.azp === undefined)
      throw new MissingRequiredClaimError('"azp" claim is required when the ID token has several audiences', 'azp');
    if (payload.azp !== audience) throw new InvalidClaimError('"azp" claim is not the client id', 'azp', 'mismatch');
  }
  if (options.nonce !== undefined && payload.nonce !== options.nonce)
    throw new InvalidClaimError('"nonce" claim does not match the one sent', 'nonce', 'mismatch');

  const now = Math.floor((options.currentDate?.getTime() ?? Date.now()) / 1000);
  if (payload.auth_time !== undefined || maxAge !== undefined || options.requireAuthTime === true) {
    const authTime = payload.auth_time;
    if (authTime === undefined)
      throw new MissingRequiredClaimError('"auth_time" claim is required (max_age was requested)', 'auth_time');
    if (typeof authTime !== 'number' || !Number.isFinite(authTime))
      throw new InvalidClaimError('"auth_time" claim must be a NumericDate', 'auth_time', 'invalid');
    if (authTime > now + tolerance)
      throw new InvalidClaimError('"auth_time" claim is in the future', 'auth_time', 'future');
    if (maxAge !== undefined && authTime + maxAge < now - tolerance)
      throw new InvalidClaimError('"auth_time" is too old for the requested max_age', 'auth_time', 'too_old');
  }
  if (options.acrValues !== undefined) {
    if (typeof payload.acr !== 'string' || !options.acrValues.includes(payload.acr))
      throw new InvalidClaimError('"acr" claim is not one of the requested values', 'acr', 'mismatch');
  }
  if (options.accessToken !== undefined && (payload.at_hash !== undefined || options.requireAtHash === true)) {
    if (payload.at_hash === undefined) throw new MissingRequiredClaimError('"at_hash" claim is required', 'at_hash');
    checkHashClaim('at_hash', payload.at_hash, options.accessToken, header, curve);
  } else if (options.requireAtHash === true && payload.at_hash === undefined) {
    throw new MissingRequiredClaimError('"at_hash" claim is required', 'at_hash');
  }
  if (options.code !== undefined) {
    if (payload.c_hash === undefined) throw new MissingRequiredClaimError('"c_hash" claim is required', 'c_hash');
    checkHashClaim('c_hash', payload.c_hash, options.code, header, curve);
  }
  return payload as C;
}
