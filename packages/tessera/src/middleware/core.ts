// The framework-free heart of tessera/express, tessera/fastify and tessera/fetch: extract the token,
// verify it, run the revocation hook and the guards, and describe the RFC 6750 §3 answer when any of it
// fails. Adapters only translate a request into a RequestView and an AuthFailure into a response.
import { JWKSClientError, JWTError, RevokedTokenError } from '../errors.js';
import type { VerifierOptions } from '../jwt/verifier.js';
import type { JWTPayload, VerifyOptions } from '../types.js';
import { type Extracted, extractToken, type ExtractSettings, type RequestView } from './extract.js';
import { checkOptionNames, type OptionNames, optionNames } from '../internal.js';
import type { ClaimsGuard } from './scopes.js';
import { checkRealm, checkResourceMetadataURL, formatBearerChallenge } from './www-authenticate.js';
import { createRequestSlot } from './request-slot.js';

/**
 * Options shared by `expressAuth`, `fastifyAuth`, `honoAuth`, `fetchAuth` and `withAuth`: everything
 * `verifyJWT` takes (`algorithms` is required unless the key — a JWK, a `JWKSet` or a remote JWKS — pins
 * each key to its `alg`; `audience`, `issuer`,
 * `clockTolerance`, …) plus the key, where the token comes from, and the hooks. `Request` is the
 * framework's request type, which `getToken` and `onError` receive.
 *
 * @example
 * ```ts
 * import { createRemoteJWKSet, type AuthOptions } from 'tessera-jwt';
 * const options: AuthOptions = {
 *   key: createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json'),
 *   algorithms: ['RS256'],
 *   issuer: 'https://auth.example.com/',
 *   audience: 'https://api.example.com',
 *   realm: 'orders',
 *   isRevoked: async (claims) => denylist.has(claims.jti!),
 * };
 * ```
 */
export interface AuthOptions<Claims = JWTPayload, Request = unknown> extends Omit<VerifyOptions, 'complete'> {
  /** A key, a `JWKSet`, or a key resolver such as `createRemoteJWKSet(url)`. */
  key: VerifierOptions['key'];
  /** Remember verified tokens (see `createVerifier`); the revocation hook still runs on every request. */
  cache?: VerifierOptions['cache'];
  /** The `realm` of the `WWW-Authenticate` challenge (RFC 6750 §3); omitted when not set. */
  realm?: string;
  /**
   * The URL of this API's RFC 9728 protected-resource metadata, sent as `resource_metadata` in every
   * `WWW-Authenticate` challenge so clients can discover the authorization server (absolute http(s) URL).
   */
  resourceMetadata?: string;
  /** `false` lets requests without any token through unauthenticated (default `true`). A token that is sent is always verified. */
  credentialsRequired?: boolean;
  /** Also read the token from this cookie when there is no Authorization header. */
  cookie?: string;
  /** Also read the token from the URI query (RFC 6750 §2.3): `true` for `access_token`, or a parameter name. Off by default: URLs end up in logs. */
  query?: boolean | string;
  /** Replaces the built-in extraction: return the token, or `undefined`/`null` when the request has none. */
  getToken?: (request: Request) => string | null | undefined | Promise<string | null | undefined>;
  /**
   * Runs after the signature and claims are verified; `true` answers 401 `invalid_token` ("revoked").
   * It fails closed: a throw, a rejection or a non-boolean denies the request.
   */
  isRevoked?: (claims: Claims, token: string) => boolean | Promise<boolean>;
  /** Checks every authenticated request must pass, e.g. `[requireScopes('read:orders')]` (403 `insufficient_scope`). */
  guards?: ReadonlyArray<ClaimsGuard<Claims>>;
  /**
   * Sees every failure and may reshape the answer (status 400–599, headers, JSON body). It cannot let the
   * request through; if it throws, the default answer is sent.
   */
  onError?: (
    failure: AuthFailure,
    request: Request,
  ) => AuthResponse | undefined | void | Promise<AuthResponse | undefined | void>;
}

/**
 * A request that carried a valid token: the verified claims and the token itself.
 * @example
 * ```ts
 * const result = await auth(request);
 * if (result.ok && result.claims) console.log(result.claims.sub);
 * ```
 */
export interface AuthSuccess<Claims = JWTPayload> {
  readonly ok: true;
  readonly claims: Claims;
  readonly token: string;
}

/**
 * A request without any token, let through because `credentialsRequired` is `false`.
 * @example
 * ```ts
 * const result = await auth(request);
 * if (result.ok && result.claims === undefined) console.log('anonymous');
 * ```
 */
export interface AuthAnonymous {
  readonly ok: true;
  readonly claims: undefined;
  readonly token: undefined;
}

/**
 * The JSON body of a refusal. `error` is the RFC 6750 §3.1 code (`invalid_request`, `invalid_token`,
 * `insufficient_scope`), or `unauthorized` (no credentials), `temporarily_unavailable` (the key set or
 * the revocation check could not be reached) or `server_error`.
 * @example
 * ```ts
 * const body: AuthErrorBody = { error: 'invalid_token', error_description: 'The access token expired' };
 * ```
 */
export interface AuthErrorBody {
  readonly error: string;
  readonly error_description?: string;
  readonly [member: string]: unknown;
}

/**
 * A refused request: the answer to send. The `cause` (a Tessera error, or what a hook threw) is for logs
 * and is never sent.
 * @example
 * ```ts
 * const result = await auth(request);
 * if (!result.ok) console.warn(result.status, result.body.error, result.cause);
 * ```
 */
export interface AuthFailure {
  readonly ok: false;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AuthErrorBody;
  readonly cause?: unknown;
}

/**
 * What an `onError` hook may return to reshape a refusal: any member left out keeps its default;
 * `headers` are merged into the defaults.
 * @example
 * ```ts
 * const onError = (failure: AuthFailure): AuthResponse => ({ body: { ...failure.body, requestId: crypto.randomUUID() } });
 * ```
 */
export interface AuthResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: AuthErrorBody;
}

/** Internal: what every adapter gets from `createAuthCore`. */
export interface AuthCore<Claims, Request> {
  /** Authenticates (or reuses this core's result for the same request object), then applies `guards`. */
  run(
    request: Request,
    view: RequestView,
    guards?: ReadonlyArray<ClaimsGuard<Claims>>,
  ): Maybe<AuthSuccess<Claims> | AuthAnonymous | AuthFailure>;
  /** The verified result this core recorded for `request`, if any. */
  recorded(request: Request): AuthSuccess<Claims> | AuthAnonymous | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const ANONYMOUS: AuthAnonymous = Object.freeze({ ok: true, claims: undefined, token: undefined });
// Middleware-only options: everything else is handed to createVerifier, which validates it.
const OWN_OPTIONS = [
  'key',
  'cache',
  'realm',
  'resourceMetadata',
  'credentialsRequired',
  'cookie',
  'query',
  'getToken',
  'isRevoked',
  'guards',
  'onError',
];
// Every accepted name (verifier options and aliases included), typed as a record of every key so that an
// option added to VerifyOptions or AuthOptions must be added here. `complete` is known so that it gets
// its own explanation below rather than "unknown option".
const AUTH_OPTIONS: Record<keyof AuthOptions | 'complete', true> = {
  key: true,
  cache: true,
  realm: true,
  resourceMetadata: true,
  credentialsRequired: true,
  cookie: true,
  query: true,
  getToken: true,
  isRevoked: true,
  guards: true,
  onError: true,
  algorithms: true,
  crit: true,
  complete: true,
  maxTokenLength: true,
  maxJSONDepth: true,
  allowWeakKeys: true,
  audience: true,
  strictAudience: true,
  issuer: true,
  subject: true,
  jwtId: true,
  nonce: true,
  clockTolerance: true,
  leeway: true,
  maxTokenAge: true,
  requiredClaims: true,
  require: true,
  typ: true,
  currentDate: true,
  checks: true,
  validate: true,
};
/** Internal: every option name of the middleware (adapters add their own). */
export const AUTH_OPTION_NAMES: OptionNames = optionNames(Object.keys(AUTH_OPTIONS));
// RFC 6265 cookie-name (an RFC 9110 token).
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

// Public, fixed descriptions: the error's own message stays in `cause` (it may name claims or keys).
const DESCRIPTIONS: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  ERR_JWT_EXPIRED: 'The access token expired',
  ERR_JWT_NOT_YET_VALID: 'The access token is not valid yet',
  ERR_JWT_REVOKED: 'The access token has been revoked',
  ERR_JWS_SIGNATURE_INVALID: 'The access token signature is invalid',
  ERR_JWT_MALFORMED: 'The access token is malformed',
  ERR_JWT_ALG_NOT_ALLOWED: 'The access token algorithm is not allowed',
  ERR_JWT_AUDIENCE_INVALID: 'The access token audience is not accepted',
  ERR_JWT_ISSUER_INVALID: 'The access token issuer is not accepted',
  ERR_JWT_CLAIM_MISSING: 'The access token lacks a required claim',
  ERR_JWKS_NO_MATCHING_KEY: 'The access token was not signed by a known key',
});

function optionType(options: Record<string, unknown>, name: string, type: string, what: string): void {
  if (options[name] !== undefined && typeof options[name] !== type)
    throw new TypeError(`"${name}" option must be ${what}`);
}

function normalizeExtraction(options: AuthOptions<never, never>): ExtractSettings {
  const { cookie, query, getToken } = options;
  if (cookie !== undefined && (typeof cookie !== 'string' || !COOKIE_NAME.test(cookie))) {
    throw new TypeError('"cookie" option must be a cookie name');
  }
  if (query !== undefined && typeof query !== 'boolean' && (typeof query !== 'string' || query === '')) {
    throw new TypeError('"query" option must be a boolean or a parameter name');
  }
  if (getToken !== undefined && (cookie !== undefined || (query !== undefined && query !== false))) {
    throw new TypeError('"getToken" replaces the built-in extraction: do not combine it with "cookie" or "query"');
  }
  return { cookie, query: query === true ? 'access_token' : query === false ? undefined : query };
}

/**
 * Internal: makes the verify function from the verifier options (TypeErrors at setup): `createVerifier` on
 * Node, the web entry's `verifyJWT` on web runtimes. This module imports neither, so that it bundles for both.
 */
export type VerifierFactory = (options: Record<string, unknown>) => (token: string) => unknown;

/**
 * Internal: validates the options once (TypeErrors at setup, like createVerifier) and builds the core.
 * `where` names the adapter in messages; `known` is the adapter's list when it reads options of its own.
 */
export function createAuthCore<Claims, Request extends object>(
  options: AuthOptions<Claims, Request>,
  where: string,
  known: OptionNames,
  makeVerify: VerifierFactory,
): AuthCore<Claims, Request> {
  if (options === null || typeof options !== 'object')
    throw new TypeError('options must be an object with at least "key" and "algorithms"');
  checkOptionNames(options, known, where);
  const record = options as unknown as Record<string, unknown>;
  if (record.complete !== undefined)
    throw new TypeError('"complete" option is not supported here: the middleware attaches the claims');
  optionType(record, 'credentialsRequired', 'boolean', 'a boolean');
  for (const hook of ['getToken', 'isRevoked', 'onError']) optionType(record, hook, 'function', 'a function');
  const guards = options.guards ?? [];
  if (!Array.isArray(guards) || !guards.every(isGuard))
    throw new TypeError('"guards" option must be an array of guards such as requireScopes(\'read:orders\')');
  const realm = checkRealm(options.realm);
  const resourceMetadata = checkResourceMetadataURL(options.resourceMetadata);
  const extraction = normalizeExtraction(options as AuthOptions<never, never>);
  const verifierOptions: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) if (!OWN_OPTIONS.includes(name)) verifierOptions[name] = value;
  verifierOptions.key = options.key;
  if (options.cache !== undefined) verifierOptions.cache = options.cache;
  const verify = makeVerify(verifierOptions) as (token: string) => Claims | Promise<Claims>;
  const required = options.credentialsRequired !== false;
  const { getToken, isRevoked, onError } = options;
  const results = createRequestSlot<AuthSuccess<Claims> | AuthAnonymous>('tessera-jwt auth result');

  const refuse = (
    status: number,
    error: string | undefined,
    description: string,
    cause?: unknown,
    scope?: string,
  ): AuthFailure => {
    const headers: Record<string, string> = { 'content-type': JSON_TYPE };
    if (status < 500) {
      // RFC 6750 §3.1: no error code when the request carried no credentials at all.
      headers['www-authenticate'] = formatBearerChallenge({
        realm,
        resourceMetadata,
        error,
        errorDescription: error && description,
        scope,
      });
    }
    const body: AuthErrorBody = Object.freeze({ error: error ?? 'unauthorized', error_description: description });
    // Frozen: onError reshapes by returning a value, never by mutating the default.
    return Object.freeze({
      ok: false,
      status,
      headers: Object.freeze(headers),
      body,
      ...(cause === undefined ? {} : { cause }),
    });
  };

  const missing = (description = 'Authentication required'): AuthFailure => refuse(401, undefined, description);

  const fromError = (err: unknown): AuthFailure => {
    // The key set could not be fetched: the token may be fine, so the client must not throw it away.
    if (err instanceof JWKSClientError)
      return refuse(503, 'temporarily_unavailable', 'The access token cannot be verified right now', err);
    if (err instanceof JWTError)
      return refuse(401, 'invalid_token', DESCRIPTIONS[err.code] ?? 'The access token is invalid', err);
    return refuse(500, 'server_error', 'The access token could not be verified', err);
  };

  const unreadable = (err: unknown): AuthFailure =>
    refuse(500, 'server_error', 'The access token could not be read', err);
  const fromGetToken = (token: unknown): Extracted | AuthFailure => {
    if (token === undefined || token === null || token === '') return { kind: 'none' };
    if (typeof token !== 'string') return unreadable(new TypeError('getToken must return a string, undefined or null'));
    return { kind: 'token', token };
  };
  const extract = (request: Request, view: RequestView): Maybe<Extracted | AuthFailure> => {
    if (getToken === undefined) return extractToken(view, extraction);
    let token: unknown;
    try {
      token = getToken(request);
    } catch (err) {
      return unreadable(err);
    }
    return isThenable(token) ? Promise.resolve(token).then(fromGetToken, unreadable) : fromGetToken(token);
  };

  const afterExtract = (found: Extracted | AuthFailure): Maybe<Outcome<Claims>> => {
    if ('ok' in found) return found;
    if (found.kind === 'malformed') return refuse(400, 'invalid_request', found.description);
    if (found.kind === 'none') return required || guards.length > 0 ? missing() : ANONYMOUS;
    // Basic, Digest…: no Bearer credentials, so a bare challenge (RFC 6750 §3.1), or anonymous where allowed.
    if (found.kind === 'other-scheme')
      return required || guards.length > 0 ? missing('The Authorization header must use the Bearer scheme') : ANONYMOUS;
    const { token } = found;
    let claims: Claims | Promise<Claims>;
    try {
      claims = verify(token);
    } catch (err) {
      return fromError(err);
    }
    return isThenable(claims)
      ? Promise.resolve(claims).then((verified) => afterVerify(verified, token), fromError)
      : afterVerify(claims, token);
  };

  const unavailable = (err: unknown): AuthFailure =>
    refuse(503, 'temporarily_unavailable', 'The access token cannot be verified right now', err);
  const accept = (claims: Claims, token: string): Maybe<Outcome<Claims>> =>
    authorize(Object.freeze({ ok: true, claims, token }) as AuthSuccess<Claims>, guards, 0);
  const afterRevocation = (revoked: unknown, claims: Claims, token: string): Maybe<Outcome<Claims>> => {
    if (revoked === true) return fromError(new RevokedTokenError('the token has been revoked'));
    if (revoked !== false)
      return refuse(
        500,
        'server_error',
        'The access token could not be verified',
        new TypeError('isRevoked must return a boolean'),
      );
    return accept(claims, token);
  };
  const afterVerify = (claims: Claims, token: string): Maybe<Outcome<Claims>> => {
    if (isRevoked === undefined) return accept(claims, token);
    // After the signature check, so that forged tokens never reach the application's store; fails closed.
    let revoked: unknown;
    try {
      revoked = isRevoked(claims, token);
    } catch (err) {
      return unavailable(err);
    }
    return isThenable(revoked)
      ? Promise.resolve(revoked).then((answer) => afterRevocation(answer, claims, token), unavailable)
      : afterRevocation(revoked, claims, token);
  };

  const guardFailed = (err: unknown): AuthFailure =>
    refuse(500, 'server_error', 'The access token could not be checked', err);
  const denied = (guard: ClaimsGuard<Claims>): AuthFailure =>
    guard.scopes !== undefined
      ? refuse(
          403,
          'insufficient_scope',
          'The access token lacks the required scope',
          undefined,
          guard.scopes.join(' '),
        )
      : refuse(403, 'insufficient_scope', 'The access token does not grant access to this resource');
  // The guards in order, from `from` on: synchronous guards cost no promise, an asynchronous one resumes here.
  const authorize = (
    auth: AuthSuccess<Claims> | AuthAnonymous,
    checks: ReadonlyArray<ClaimsGuard<Claims>>,
    from: number,
  ): Maybe<Outcome<Claims>> => {
    if (checks.length === 0) return auth;
    if (auth.claims === undefined) return missing();
    for (let i = from; i < checks.length; i++) {
      const guard = checks[i]!;
      let granted: unknown;
      try {
        granted = guard.check(auth.claims);
      } catch (err) {
        return guardFailed(err);
      }
      if (isThenable(granted))
        return Promise.resolve(granted).then(
          (answer) => (answer === true ? authorize(auth, checks, i + 1) : denied(guard)),
          guardFailed,
        );
      if (granted !== true) return denied(guard);
    }
    return auth;
  };

  const reshaped = (failure: AuthFailure, shaped: unknown): AuthFailure => {
    try {
      return shaped === undefined || shaped === null ? failure : reshape(failure, shaped as AuthResponse);
    } catch {
      return failure;
    }
  };
  const finish = (request: Request, failure: AuthFailure): Maybe<AuthFailure> => {
    if (onError === undefined) return failure;
    // The hook cannot turn a refusal into anything else, and a broken hook must not leak its error.
    let shaped: unknown;
    try {
      shaped = onError(failure, request);
    } catch {
      return failure;
    }
    return isThenable(shaped)
      ? Promise.resolve(shaped).then(
          (value) => reshaped(failure, value),
          () => failure,
        )
      : reshaped(failure, shaped);
  };
  const settle = (
    request: Request,
    result: Outcome<Claims>,
    extra: ReadonlyArray<ClaimsGuard<Claims>>,
    fresh: boolean,
  ): Maybe<Outcome<Claims>> => {
    if (!result.ok) return finish(request, result);
    if (fresh) results.set(request, result);
    const authorized = authorize(result, extra, 0);
    if (isThenable(authorized)) return authorized.then((outcome) => (outcome.ok ? outcome : finish(request, outcome)));
    return authorized.ok ? authorized : finish(request, authorized);
  };

  return {
    run(request, view, extra = []) {
      const known = results.get(request);
      if (known !== undefined) return settle(request, known, extra, false);
      const found = extract(request, view);
      const result = isThenable(found) ? found.then(afterExtract) : afterExtract(found);
      return isThenable(result)
        ? result.then((outcome) => settle(request, outcome, extra, true))
        : settle(request, result, extra, true);
    },
    recorded: (request) => results.get(request),
  };
}

/** Internal: a value, or a promise of it (the core stays synchronous while every step it takes is). */
export type Maybe<T> = T | Promise<T>;
/** Internal: what one run of the core ends in. */
export type Outcome<Claims> = AuthSuccess<Claims> | AuthAnonymous | AuthFailure;

/** Internal: whether a hook's result must be awaited (any thenable, as `await` would treat it). */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> & Promise<T> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function isGuard(value: unknown): value is ClaimsGuard<never> {
  return value !== null && typeof value === 'object' && typeof (value as ClaimsGuard).check === 'function';
}

/** Internal: checks the guards given to an adapter's `require(…)` (TypeError at setup). */
export function checkGuards<Claims>(guards: ReadonlyArray<ClaimsGuard<Claims>>): ReadonlyArray<ClaimsGuard<Claims>> {
  if (guards.length === 0 || !guards.every(isGuard))
    throw new TypeError("require() takes one or more guards such as requireScopes('read:orders')");
  return Object.freeze([...guards]);
}

function reshape(failure: AuthFailure, shaped: AuthResponse): AuthFailure {
  if (shaped === null || typeof shaped !== 'object') return failure;
  if (shaped.headers !== undefined && (shaped.headers === null || typeof shaped.headers !== 'object')) return failure;
  const status = shaped.status ?? failure.status;
  // A refusal stays a refusal: a 2xx/3xx from the hook would let a failed request look successful.
  if (!Number.isInteger(status) || status < 400 || status > 599) return failure;
  const headers: Record<string, string> = { ...failure.headers };
  for (const [name, value] of Object.entries(shaped.headers ?? {})) {
    // Header values with CR/LF would split the response; such a hook result is ignored whole.
    if (typeof value !== 'string' || name === '' || /[\r\n\0]/.test(value) || /[^!#$%&'*+.^_`|~0-9A-Za-z-]/.test(name))
      return failure;
    headers[name.toLowerCase()] = value;
  }
  const body = shaped.body ?? failure.body;
  try {
    if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof JSON.stringify(body) !== 'string')
      return failure;
  } catch {
    return failure;
  }
  return Object.freeze({
    ok: false,
    status,
    headers: Object.freeze(headers),
    body,
    ...(failure.cause === undefined ? {} : { cause: failure.cause }),
  });
}

/** Internal: the text of a refusal's JSON body. */
export function failureText(failure: AuthFailure): string {
  return JSON.stringify(failure.body);
}
