/**
 * Tessera's error taxonomy: PyJWT's classes as real subclasses, each with a stable `code`.
 *
 * Every error thrown for a bad token, key or key set is a {@link JWTError}. Programmer mistakes
 * (a missing `algorithms` option, an option of the wrong type) are `TypeError`s instead, thrown at once.
 * Messages use RFC vocabulary and never contain a token, a secret or key material.
 *
 * @example
 * ```ts
 * import { verifyJWT, isJWTError } from 'tessera-jwt';
 * try {
 *   verifyJWT(token, secret, { algorithms: ['HS256'] });
 * } catch (err) {
 *   if (!isJWTError(err)) throw err;
 *   switch (err.code) {
 *     case 'ERR_JWT_EXPIRED': console.log('expired at', err.expiredAt); break; // narrowed to ExpiredSignatureError
 *     case 'ERR_JWS_SIGNATURE_INVALID': console.log('forged or corrupted'); break;
 *   }
 * }
 * ```
 * @module
 */

/**
 * Options accepted by every Tessera error constructor.
 * @example
 * ```ts
 * throw new InvalidClaimError('not an admin', 'role', 'forbidden', { cause: original });
 * ```
 */
export interface JWTErrorOptions {
  /** The underlying error, when there is one (never contains secrets). */
  cause?: unknown;
}

/**
 * Base class of every Tessera error.
 *
 * @example
 * ```ts
 * if (err instanceof JWTError) console.log(err.code, err.message);
 * ```
 */
export class JWTError extends Error {
  /** A stable machine-readable code; never reused for another meaning. */
  readonly code: string = 'ERR_JWT';
  constructor(message = 'JWT error', options?: JWTErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The token is not valid (bad structure, bad signature, failed claim check, …).
 * PyJWT: `InvalidTokenError`.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidTokenError) res.status(401).end();
 * ```
 */
export class InvalidTokenError extends JWTError {
  override readonly code: string = 'ERR_JWT_INVALID';
}

/**
 * The token could not be parsed: structure, base64url, JSON or header syntax.
 * PyJWT: `DecodeError`.
 *
 * @example
 * ```ts
 * try { decodeJWT('not.a.jwt'); } catch (err) { err instanceof DecodeError; } // true
 * ```
 */
export class DecodeError extends InvalidTokenError {
  override readonly code: string = 'ERR_JWT_MALFORMED';
}

/**
 * The signature does not match the signing input and the key.
 * PyJWT: `InvalidSignatureError` (a subclass of `DecodeError`, as there).
 *
 * @example
 * ```ts
 * if (err instanceof InvalidSignatureError) console.warn('tampered token');
 * ```
 */
export class InvalidSignatureError extends DecodeError {
  override readonly code = 'ERR_JWS_SIGNATURE_INVALID' as const;
}

/**
 * The `exp` claim is in the past (beyond the clock tolerance). PyJWT: `ExpiredSignatureError`.
 *
 * @example
 * ```ts
 * if (err instanceof ExpiredSignatureError) console.log('expired at', err.expiredAt.toISOString());
 * ```
 */
export class ExpiredSignatureError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_EXPIRED' as const;
  /** When the token expired (its `exp`). */
  readonly expiredAt: Date;
  /** Always `'exp'`. */
  readonly claim = 'exp' as const;
  constructor(message: string, expiredAt: Date, options?: JWTErrorOptions) {
    super(message, options);
    this.expiredAt = expiredAt;
  }
}

/**
 * The token is not valid yet: `nbf` is in the future, or `iat` is (beyond the clock tolerance).
 * PyJWT: `ImmatureSignatureError`.
 *
 * @example
 * ```ts
 * if (err instanceof ImmatureSignatureError) console.log(err.claim); // 'nbf' or 'iat'
 * ```
 */
export class ImmatureSignatureError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_NOT_YET_VALID' as const;
  /** `'nbf'` or `'iat'`. */
  readonly claim: string;
  constructor(message: string, claim: string, options?: JWTErrorOptions) {
    super(message, options);
    this.claim = claim;
  }
}

/**
 * The `iat` claim is not a finite number. PyJWT: `InvalidIssuedAtError`.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidIssuedAtError) console.log('bad iat');
 * ```
 */
export class InvalidIssuedAtError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_IAT_INVALID' as const;
}

/**
 * The `aud` claim does not name an expected audience, or is present when none is expected.
 * PyJWT: `InvalidAudienceError`.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidAudienceError) console.log('token is for another API');
 * ```
 */
export class InvalidAudienceError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_AUDIENCE_INVALID' as const;
}

/**
 * The `iss` claim is not an accepted issuer. PyJWT: `InvalidIssuerError`.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidIssuerError) console.log('unknown issuer');
 * ```
 */
export class InvalidIssuerError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_ISSUER_INVALID' as const;
}

/**
 * The `sub` claim is not a string or not the expected subject. PyJWT: `InvalidSubjectError`.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidSubjectError) console.log('wrong subject');
 * ```
 */
export class InvalidSubjectError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_SUBJECT_INVALID' as const;
}

/**
 * The `jti` claim is not a string or not the expected id. PyJWT: `InvalidJTIError`.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidJTIError) console.log('wrong jti');
 * ```
 */
export class InvalidJTIError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_JTI_INVALID' as const;
}

/**
 * A claim or header check failed: `nonce`, `typ`, `maxTokenAge`, or the custom `validate` hook.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidClaimError) console.log(err.claim, err.reason);
 * ```
 */
export class InvalidClaimError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_CLAIM_INVALID' as const;
  /** The claim (or header parameter) that failed. */
  readonly claim: string;
  /** A short machine-friendly reason, e.g. `'check_failed'`, `'too_old'`, `'mismatch'`, `'validate'`. */
  readonly reason: string;
  constructor(message: string, claim: string, reason = 'check_failed', options?: JWTErrorOptions) {
    super(message, options);
    this.claim = claim;
    this.reason = reason;
  }
}

/**
 * A claim that must be present is absent. PyJWT: `MissingRequiredClaimError`.
 *
 * @example
 * ```ts
 * if (err instanceof MissingRequiredClaimError) console.log('missing', err.claim);
 * ```
 */
export class MissingRequiredClaimError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_CLAIM_MISSING' as const;
  /** The missing claim's name. */
  readonly claim: string;
  constructor(message: string, claim: string, options?: JWTErrorOptions) {
    super(message, options);
    this.claim = claim;
  }
}

/**
 * The token's `alg` is not in the allowlist (or is `none`). PyJWT: `InvalidAlgorithmError`.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidAlgorithmError) console.log('algorithm not allowed');
 * ```
 */
export class InvalidAlgorithmError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_ALG_NOT_ALLOWED' as const;
}

/**
 * The header lists a `crit` extension the caller does not understand, or `crit` is malformed.
 *
 * @example
 * ```ts
 * verifyJWT(token, key, { algorithms: ['ES256'], crit: ['exp'] }); // understand a custom "exp" extension
 * ```
 */
export class UnsupportedCriticalHeaderError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_CRIT_UNSUPPORTED' as const;
}

/**
 * A JWE could not be decrypted. One indistinguishable error for every failure after parsing.
 *
 * @example
 * ```ts
 * if (err instanceof DecryptionError) console.log('cannot decrypt');
 * ```
 */
export class DecryptionError extends InvalidTokenError {
  override readonly code = 'ERR_JWE_DECRYPTION_FAILED' as const;
}

/**
 * The token was valid but has been revoked.
 *
 * @example
 * ```ts
 * if (err instanceof RevokedTokenError) console.log('revoked');
 * ```
 */
export class RevokedTokenError extends InvalidTokenError {
  override readonly code = 'ERR_JWT_REVOKED' as const;
}

/**
 * A refresh token (or other grant) cannot be used: unknown, expired, revoked, or issued to another
 * client. The OAuth error is `invalid_grant` (RFC 6749 §5.2).
 *
 * @example
 * ```ts
 * try { await service.refresh(refreshToken, { client_id: 'web' }); }
 * catch (err) { if (err instanceof InvalidGrantError) reply(400, { error: err.oauthError }); }
 * ```
 */
export class InvalidGrantError extends InvalidTokenError {
  override readonly code: string = 'ERR_GRANT_INVALID';
  /** The RFC 6749 §5.2 error code. */
  readonly oauthError = 'invalid_grant' as const;
}

/**
 * A refresh token was presented again after it had been exchanged: a replay, so the whole token
 * family has been revoked (RFC 9700 §4.14.2).
 *
 * @example
 * ```ts
 * if (err instanceof RefreshTokenReusedError) audit('refresh token replay', err.familyRevoked);
 * ```
 */
export class RefreshTokenReusedError extends InvalidGrantError {
  override readonly code = 'ERR_REFRESH_TOKEN_REUSED' as const;
  /** Always true: the family was revoked before this error was thrown. */
  readonly familyRevoked = true as const;
}

/**
 * The requested scope is not allowed: wider than the grant's, or malformed (`invalid_scope`).
 *
 * @example
 * ```ts
 * if (err instanceof InvalidScopeError) reply(400, { error: 'invalid_scope' });
 * ```
 */
export class InvalidScopeError extends JWTError {
  override readonly code = 'ERR_SCOPE_INVALID' as const;
  readonly oauthError = 'invalid_scope' as const;
}

/**
 * A client asked to act on a token issued to another client: RFC 7009 §2.1 revocation refuses the
 * request (the token stays as it was). The OAuth error is `unauthorized_client` (RFC 6749 §5.2).
 *
 * @example
 * ```ts
 * try { await service.revoke(token, { client_id: 'mobile' }); }
 * catch (err) { if (err instanceof UnauthorizedClientError) reply(400, { error: err.oauthError }); }
 * ```
 */
export class UnauthorizedClientError extends JWTError {
  override readonly code = 'ERR_CLIENT_UNAUTHORIZED' as const;
  /** The RFC 6749 §5.2 error code. */
  readonly oauthError = 'unauthorized_client' as const;
}

/**
 * The token store failed (unreachable, timed out, errored). Revocation checks that meet it deny: the
 * token is treated as revoked (fail closed). The store's own error is the `cause`.
 *
 * @example
 * ```ts
 * if (err instanceof StoreUnavailableError) reply(503, { error: 'temporarily_unavailable' });
 * ```
 */
export class StoreUnavailableError extends JWTError {
  override readonly code = 'ERR_STORE_UNAVAILABLE' as const;
}

/**
 * The key does not fit the algorithm: wrong type or curve, too short, a public key given to an HMAC
 * algorithm, a public key used to sign. PyJWT: `InvalidKeyError`.
 *
 * @example
 * ```ts
 * try { signJWT({}, 'short', { algorithm: 'HS256' }); } catch (err) { err.code; } // 'ERR_KEY_INVALID'
 * ```
 */
export class InvalidKeyError extends JWTError {
  override readonly code: string = 'ERR_KEY_INVALID';
}

/**
 * A JWK is malformed, inconsistent or dangerous.
 *
 * @example
 * ```ts
 * if (err instanceof JWKError) console.log('bad JWK');
 * ```
 */
export class JWKError extends JWTError {
  override readonly code: string = 'ERR_JWK_INVALID';
}

/**
 * A JWK Set is malformed or has no usable key.
 *
 * @example
 * ```ts
 * if (err instanceof JWKSetError) console.log('bad JWK Set');
 * ```
 */
export class JWKSetError extends JWTError {
  override readonly code: string = 'ERR_JWKS_INVALID';
}

/**
 * No key in the JWK Set matches the token's `kid`/`alg`.
 *
 * @example
 * ```ts
 * if (err instanceof NoMatchingKeyError) console.log('unknown kid');
 * ```
 */
export class NoMatchingKeyError extends JWKSetError {
  override readonly code = 'ERR_JWKS_NO_MATCHING_KEY' as const;
}

/**
 * Fetching a remote JWK Set failed.
 *
 * @example
 * ```ts
 * if (err instanceof JWKSClientError) console.log('JWKS endpoint unavailable');
 * ```
 */
export class JWKSClientError extends JWTError {
  override readonly code: string = 'ERR_JWKS_FETCH_FAILED';
}

/**
 * Fetching a remote JWK Set timed out.
 *
 * @example
 * ```ts
 * if (err instanceof JWKSTimeoutError) console.log('JWKS endpoint too slow');
 * ```
 */
export class JWKSTimeoutError extends JWKSClientError {
  override readonly code = 'ERR_JWKS_TIMEOUT' as const;
}

/**
 * Fetching a remote JWK Set (or metadata document) failed before any HTTP answer arrived, or the
 * connection broke while the body was read: refused, reset, DNS failure, TLS failure.
 *
 * @example
 * ```ts
 * if (err instanceof JWKSConnectionError) console.log('cannot reach the JWKS endpoint');
 * ```
 */
export class JWKSConnectionError extends JWKSClientError {
  override readonly code = 'ERR_JWKS_CONNECTION_FAILED' as const;
}

/**
 * Base class of the OpenID Connect relying party's errors (`tessera-jwt/oidc`): the provider answered with
 * an OAuth error, or an authorization response or endpoint answer failed a check. `error` and
 * `errorDescription` are the provider's own (RFC 6749 §4.1.2.1, §5.2) when it sent them; messages never
 * contain tokens, codes, PKCE verifiers or secrets.
 *
 * @example
 * ```ts
 * if (err instanceof OIDCError && err.error === 'access_denied') res.redirect('/cancelled');
 * ```
 */
export class OIDCError extends JWTError {
  override readonly code: string = 'ERR_OIDC';
  /** The provider's `error` code (e.g. `'invalid_grant'`), when it sent one. */
  readonly error: string | undefined;
  /** The provider's `error_description`, when it sent one (the provider's words, not Tessera's). */
  readonly errorDescription: string | undefined;
  constructor(message: string, error?: string, errorDescription?: string, options?: JWTErrorOptions) {
    super(message, options);
    this.error = error;
    this.errorDescription = errorDescription;
  }
}

/**
 * The authorization response (the redirect back to the client) is refused: the provider's `error`, a
 * `state` that does not match, a missing or wrong RFC 9207 `iss`, or no `code`. `reason` says which.
 *
 * @example
 * ```ts
 * if (err instanceof AuthorizationResponseError && err.reason === 'state_mismatch') res.status(400).end();
 * ```
 */
export class AuthorizationResponseError extends OIDCError {
  override readonly code = 'ERR_OIDC_AUTHORIZATION_RESPONSE' as const;
  /** `'provider_error'`, `'state_mismatch'`, `'issuer_mismatch'`, `'issuer_missing'` or `'code_missing'`. */
  readonly reason: string;
  constructor(message: string, reason: string, error?: string, errorDescription?: string, options?: JWTErrorOptions) {
    super(message, error, errorDescription, options);
    this.reason = reason;
  }
}

/**
 * A provider endpoint (token, userinfo, revocation) answered with an error or with an unusable response.
 * `status` is the HTTP status (0 when there was no answer).
 *
 * @example
 * ```ts
 * if (err instanceof OIDCEndpointError && err.error === 'invalid_grant') return signInAgain();
 * ```
 */
export class OIDCEndpointError extends OIDCError {
  override readonly code = 'ERR_OIDC_ENDPOINT' as const;
  /** The HTTP status of the answer (0 when there was none). */
  readonly status: number;
  constructor(message: string, status: number, error?: string, errorDescription?: string, options?: JWTErrorOptions) {
    super(message, error, errorDescription, options);
    this.status = status;
  }
}

/**
 * Every Tessera error as a union discriminated by `code`: after {@link isJWTError}, `switch (err.code)`
 * narrows to the class (e.g. `'ERR_JWT_EXPIRED'` gives an `ExpiredSignatureError` with `expiredAt`).
 *
 * @example
 * ```ts
 * function describe(err: TesseraError): string {
 *   switch (err.code) {
 *     case 'ERR_JWT_EXPIRED': return `expired at ${err.expiredAt.toISOString()}`;
 *     case 'ERR_JWT_CLAIM_MISSING': return `missing ${err.claim}`;
 *     default: return err.message;
 *   }
 * }
 * ```
 */
export type TesseraError =
  | (JWTError & { readonly code: 'ERR_JWT' })
  | (InvalidTokenError & { readonly code: 'ERR_JWT_INVALID' })
  | (DecodeError & { readonly code: 'ERR_JWT_MALFORMED' })
  | InvalidSignatureError
  | ExpiredSignatureError
  | ImmatureSignatureError
  | InvalidIssuedAtError
  | InvalidAudienceError
  | InvalidIssuerError
  | InvalidSubjectError
  | InvalidJTIError
  | InvalidClaimError
  | MissingRequiredClaimError
  | InvalidAlgorithmError
  | UnsupportedCriticalHeaderError
  | DecryptionError
  | RevokedTokenError
  | (InvalidGrantError & { readonly code: 'ERR_GRANT_INVALID' })
  | RefreshTokenReusedError
  | InvalidScopeError
  | UnauthorizedClientError
  | StoreUnavailableError
  | (InvalidKeyError & { readonly code: 'ERR_KEY_INVALID' })
  | (JWKError & { readonly code: 'ERR_JWK_INVALID' })
  | (JWKSetError & { readonly code: 'ERR_JWKS_INVALID' })
  | NoMatchingKeyError
  | (JWKSClientError & { readonly code: 'ERR_JWKS_FETCH_FAILED' })
  | JWKSTimeoutError
  | JWKSConnectionError
  | (OIDCError & { readonly code: 'ERR_OIDC' })
  | AuthorizationResponseError
  | OIDCEndpointError;

/**
 * True for every Tessera error; narrows to {@link TesseraError} so that `switch (err.code)` narrows further.
 *
 * @example
 * ```ts
 * try { verifyJWT(token, key, { algorithms: ['ES256'] }); }
 * catch (err) { if (isJWTError(err) && err.code === 'ERR_JWT_EXPIRED') console.log(err.expiredAt); }
 * ```
 */
export function isJWTError(err: unknown): err is TesseraError {
  return err instanceof JWTError;
}

/**
 * Every error code Tessera publishes, mapped to its class name. A test keeps this and the docs in sync.
 * @example
 * ```ts
 * import { ERROR_CODES } from 'tessera-jwt/errors';
 * console.log(ERROR_CODES.ERR_JWT_EXPIRED); // 'ExpiredSignatureError'
 * ```
 */
export const ERROR_CODES = Object.freeze({
  ERR_JWT: 'JWTError',
  ERR_JWT_INVALID: 'InvalidTokenError',
  ERR_JWT_MALFORMED: 'DecodeError',
  ERR_JWS_SIGNATURE_INVALID: 'InvalidSignatureError',
  ERR_JWT_EXPIRED: 'ExpiredSignatureError',
  ERR_JWT_NOT_YET_VALID: 'ImmatureSignatureError',
  ERR_JWT_IAT_INVALID: 'InvalidIssuedAtError',
  ERR_JWT_AUDIENCE_INVALID: 'InvalidAudienceError',
  ERR_JWT_ISSUER_INVALID: 'InvalidIssuerError',
  ERR_JWT_SUBJECT_INVALID: 'InvalidSubjectError',
  ERR_JWT_JTI_INVALID: 'InvalidJTIError',
  ERR_JWT_CLAIM_INVALID: 'InvalidClaimError',
  ERR_JWT_CLAIM_MISSING: 'MissingRequiredClaimError',
  ERR_JWT_ALG_NOT_ALLOWED: 'InvalidAlgorithmError',
  ERR_JWT_CRIT_UNSUPPORTED: 'UnsupportedCriticalHeaderError',
  ERR_JWE_DECRYPTION_FAILED: 'DecryptionError',
  ERR_JWT_REVOKED: 'RevokedTokenError',
  ERR_GRANT_INVALID: 'InvalidGrantError',
  ERR_REFRESH_TOKEN_REUSED: 'RefreshTokenReusedError',
  ERR_SCOPE_INVALID: 'InvalidScopeError',
  ERR_CLIENT_UNAUTHORIZED: 'UnauthorizedClientError',
  ERR_STORE_UNAVAILABLE: 'StoreUnavailableError',
  ERR_KEY_INVALID: 'InvalidKeyError',
  ERR_JWK_INVALID: 'JWKError',
  ERR_JWKS_INVALID: 'JWKSetError',
  ERR_JWKS_NO_MATCHING_KEY: 'NoMatchingKeyError',
  ERR_JWKS_FETCH_FAILED: 'JWKSClientError',
  ERR_JWKS_TIMEOUT: 'JWKSTimeoutError',
  ERR_JWKS_CONNECTION_FAILED: 'JWKSConnectionError',
  ERR_OIDC: 'OIDCError',
  ERR_OIDC_AUTHORIZATION_RESPONSE: 'AuthorizationResponseError',
  ERR_OIDC_ENDPOINT: 'OIDCEndpointError',
} as const);
