// The OpenID Connect relying party: authorization URL (state, nonce, PKCE S256), the callback (RFC 9207
// iss, state in constant time, provider errors, the code exchange with every client authentication
// method), ID token validation, userinfo, refresh, revocation (RFC 7009) and RP-initiated logout.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AuthorizationResponseError, InvalidClaimError, InvalidIssuerError, OIDCEndpointError } from '../errors.js';
import {
  checkOptionNames,
  optionNames,
  encodeBase64url,
  normalizeHTTPOptions,
  type NormalizedHTTP,
  parseEndpointURL,
} from '../internal.js';
import { type AuthorizationServerMetadata, type DiscoveryOptions, discover } from '../jwks/discover.js';
import { createRemoteJWKSet } from '../jwks/remote.js';
import type { JWKSet } from '../jwks/set.js';
import { decodeJWT } from '../jwt/decode.js';
import { signJWT } from '../jwt/sign.js';
import type { Duration, JWTPayload, KeyInput, KeyResolver } from '../types.js';
import { callEndpoint } from './http.js';
import { type IDTokenClaims, verifyIDToken } from './id-token.js';
import { type LogoutTokenClaims, verifyLogoutToken } from './logout-token.js';

/**
 * How the client authenticates at the token endpoint (OpenID Connect Core §9, RFC 7523).
 * @example
 * ```ts
 * const method: TokenEndpointAuthMethod = 'private_key_jwt';
 * ```
 */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

/**
 * An asynchronous signer for `private_key_jwt` whose private key never leaves a KMS or HSM: it receives
 * the JWS signing input and returns the signature bytes for `alg` (for ES*, the raw R‖S form of RFC 7518).
 * @example
 * ```ts
 * const signer: ClientAssertionSigner = { alg: 'ES256', kid: 'kms-1', sign: (input) => kms.sign(input) };
 * ```
 */
export interface ClientAssertionSigner {
  /** The JWS algorithm of the signature. */
  alg: string;
  /** The `kid` header of the assertion (the key's id in the client's registered JWK Set). */
  kid?: string;
  /** Signs the ASCII signing input. */
  sign(signingInput: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

/**
 * The options of {@link discoverClient} and {@link createClient}.
 * @example
 * ```ts
 * const options: ClientOptions = { clientId: 'app', clientSecret: process.env.SECRET, redirectUri: 'https://app.example.com/cb' };
 * ```
 */
export interface ClientOptions {
  /** The client id registered at the provider. */
  clientId: string;
  /** The client secret (for `client_secret_basic`/`client_secret_post`, and HS* ID tokens when opted in). */
  clientSecret?: string;
  /** The private key for `private_key_jwt`: any Tessera key input (PEM, JWK, `Key`). */
  privateKey?: KeyInput;
  /** The algorithm of `privateKey`'s assertions (default: inferred from the key). */
  privateKeyAlgorithm?: string;
  /** The `kid` of `privateKey`'s assertions. */
  privateKeyId?: string;
  /** An asynchronous signer for `private_key_jwt` (a KMS), instead of `privateKey`. */
  signer?: ClientAssertionSigner;
  /**
   * The token endpoint authentication (default: `private_key_jwt` with a key or signer,
   * `client_secret_basic` with a secret, `none` otherwise).
   */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** The redirect URI registered for this client (sent in the request and the code exchange). */
  redirectUri: string;
  /** Where the provider sends the user after logout (RP-initiated logout). */
  postLogoutRedirectUri?: string;
  /** Accepted ID token algorithms (default: the provider's `id_token_signing_alg_values_supported`, else RS256). */
  idTokenSigningAlgorithms?: string[];
  /** Accept HS* ID tokens MACed with the client secret (off by default). */
  allowSymmetricIDTokens?: boolean;
  /** The default scope of {@link OIDCClient.authorizationUrl} (default `'openid'`). */
  scope?: string;
  /** Clock skew allowed when validating ID tokens (default 0). */
  clockTolerance?: Duration;
  /** The provider's keys, instead of a remote JWK Set built from `jwks_uri`. */
  jwks?: KeyResolver | JWKSet;
  /** Allow `http:` endpoints (loopback development and tests only). */
  allowHttp?: boolean;
  /** The deadline of one request to the provider (default `'5s'`). */
  timeout?: Duration;
  /** The largest response read, in bytes (default 1 MiB). */
  maxResponseBytes?: number;
  /** The deepest JSON nesting accepted (default 256). */
  maxJSONDepth?: number;
  /** Extra request headers. */
  headers?: Headers | Record<string, string> | Array<[string, string]>;
  /** The fetch implementation (default `globalThis.fetch`). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

const CLIENT_OPTIONS = optionNames([
  'clientId',
  'clientSecret',
  'privateKey',
  'privateKeyAlgorithm',
  'privateKeyId',
  'signer',
  'tokenEndpointAuthMethod',
  'redirectUri',
  'postLogoutRedirectUri',
  'idTokenSigningAlgorithms',
  'allowSymmetricIDTokens',
  'scope',
  'clockTolerance',
  'jwks',
  'allowHttp',
  'timeout',
  'maxResponseBytes',
  'maxJSONDepth',
  'headers',
  'fetch',
]);

/**
 * The options of {@link OIDCClient.authorizationUrl}.
 * @example
 * ```ts
 * const request: AuthorizationUrlOptions = { scope: 'openid email', prompt: 'login', maxAge: 600 };
 * ```
 */
export interface AuthorizationUrlOptions {
  /** The scope (default: the client's `scope`, else `'openid'`); `openid` is added when missing. */
  scope?: string;
  /** `prompt` (`'login'`, `'consent'`, `'none'`, `'select_account'`). */
  prompt?: string;
  /** `max_age` in seconds: the ID token's `auth_time` is then checked against it. */
  maxAge?: number;
  /** RFC 8707 resource indicator(s). */
  resource?: string | string[];
  /** `login_hint`. */
  loginHint?: string;
  /** `acr_values`, space-separated; the ID token's `acr` must then be one of them. */
  acrValues?: string;
  /** Any other authorization request parameter (`ui_locales`, `claims` …). */
  extraParams?: Record<string, string>;
}

/**
 * What {@link OIDCClient.authorizationUrl} returns: redirect the user to `url` and keep the rest (in a
 * short-lived, encrypted transaction cookie) until the callback.
 * @example
 * ```ts
 * const { url, ...transaction }: AuthorizationRequest = client.authorizationUrl();
 * ```
 */
export interface AuthorizationRequest {
  /** The authorization endpoint URL with every parameter. */
  url: string;
  /** The `state` sent: 32 random bytes, base64url. */
  state: string;
  /** The `nonce` sent: 32 random bytes, base64url. */
  nonce: string;
  /** The PKCE `code_verifier`: 32 random bytes, base64url (the S256 challenge was sent). */
  codeVerifier: string;
  /** The `max_age` sent, if any (to give to the callback). */
  maxAge?: number;
  /** The `acr_values` requested, if any. */
  acrValues?: string;
}

/**
 * What the callback needs from the authorization request (the fields of {@link AuthorizationRequest}).
 * @example
 * ```ts
 * const checks: CallbackChecks = { state, nonce, codeVerifier };
 * ```
 */
export interface CallbackChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
  maxAge?: number;
  acrValues?: string;
}

/**
 * The tokens the token endpoint returned, with the validated ID token's claims.
 * @example
 * ```ts
 * const { accessToken, claims }: TokenSet = await client.callback(req.url, checks);
 * ```
 */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** When the access token expires (seconds since the epoch), if the provider said. */
  expiresAt?: number;
  refreshToken?: string;
  idToken?: string;
  scope?: string;
  /** The validated ID token's claims (present when an ID token was returned). */
  claims?: IDTokenClaims;
}

/**
 * The options of {@link OIDCClient.endSessionUrl}.
 * @example
 * ```ts
 * const url = client.endSessionUrl({ idTokenHint: session.idToken, state: 'bye' });
 * ```
 */
export interface EndSessionOptions {
  idTokenHint?: string;
  postLogoutRedirectUri?: string;
  state?: string;
}

const random = (): string => encodeBase64url(randomBytes(32));

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Equal lengths are compared in constant time; different lengths reveal only the length.
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 6749 §2.3.1: the id and secret are form-urlencoded before they are joined for Basic. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * An OpenID Connect relying party bound to one provider and one client registration. Create it with
 * {@link discoverClient} or {@link createClient}.
 * @example
 * ```ts
 * const client = await discoverClient('https://accounts.example.com', { clientId, clientSecret, redirectUri });
 * const { url, ...transaction } = client.authorizationUrl({ scope: 'openid email' });
 * // … later, on the redirect back:
 * const tokens = await client.callback(req.url, transaction);
 * ```
 */
export class OIDCClient {
  /** The provider's metadata. */
  readonly metadata: Readonly<AuthorizationServerMetadata>;
  /** The client id. */
  readonly clientId: string;
  /** The redirect URI. */
  readonly redirectUri: string;
  /** The token endpoint authentication method in use. */
  readonly authMethod: TokenEndpointAuthMethod;
  readonly #options: ClientOptions;
  readonly #http: NormalizedHTTP;
  readonly #jwks: KeyResolver | JWKSet;
  readonly #algorithms: string[];

  /** Use {@link createClient} or {@link discoverClient}. */
  constructor(metadata: AuthorizationServerMetadata, options: ClientOptions) {
    if (metadata === null || typeof metadata !== 'object' || typeof metadata.issuer !== 'string')
      throw new TypeError('the metadata must be an object with an "issuer" string');
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    checkOptionNames(options as object, CLIENT_OPTIONS, 'createClient');
    if (typeof options.clientId !== 'string' || options.clientId === '')
      throw new TypeError('"clientId" option must be a non-empty string');
    this.#http = normalizeHTTPOptions(options, 'application/json');
    parseEndpointURL(options.redirectUri, 'redirectUri', true);
    const auth =
      options.tokenEndpointAuthMethod ??
      (options.privateKey !== undefined || options.signer !== undefined
        ? 'private_key_jwt'
        : options.clientSecret !== undefined
          ? 'client_secret_basic'
          : 'none');
    if (!['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'].includes(auth))
      throw new TypeError(`"tokenEndpointAuthMethod" "${String(auth)}" is not supported`);
    if (auth.startsWith('client_secret') && (typeof options.clientSecret !== 'string' || options.clientSecret === ''))
      throw new TypeError(`"${auth}" needs the "clientSecret" option`);
    if (auth === 'private_key_jwt' && options.privateKey === undefined && options.signer === undefined)
      throw new TypeError('"private_key_jwt" needs the "privateKey" or "signer" option');
    if (
      options.signer !== undefined &&
      (typeof options.signer.sign !== 'function' || typeof options.signer.alg !== 'string')
    )
      throw new TypeError('"signer" option must be { alg, kid?, sign(input) }');
    if (options.allowSymmetricIDTokens === true && options.clientSecret === undefined)
      throw new TypeError('"allowSymmetricIDTokens" needs the "clientSecret" option');
    for (const name of ['authorization_endpoint', 'token_endpoint'] as const) {
      if (metadata[name] === undefined) throw new TypeError(`the provider metadata has no "${name}"`);
      parseEndpointURL(metadata[name], name, this.#http.allowHttp);
    }
    this.metadata = Object.freeze({ ...metadata });
    this.clientId = options.clientId;
    this.redirectUri = options.redirectUri;
    this.authMethod = auth;
    this.#options = options;
    const algorithms =
      options.idTokenSigningAlgorithms ?? metadata.id_token_signing_alg_values_supported ?? (['RS256'] as string[]);
    this.#algorithms = algorithms.filter(
      (alg) => alg !== 'none' && (!alg.startsWith('HS') || options.allowSymmetricIDTokens === true),
    );
    if (this.#algorithms.length === 0) this.#algorithms = ['RS256'];
    if (options.jwks !== undefined) this.#jwks = options.jwks;
    else {
      if (typeof metadata.jwks_uri !== 'string') throw new TypeError('the provider metadata has no "jwks_uri"');
      this.#jwks = createRemoteJWKSet(metadata.jwks_uri, {
        allowHttp: this.#http.allowHttp,
        timeout: this.#http.timeout,
        maxResponseBytes: this.#http.maxResponseBytes,
        maxJSONDepth: this.#http.maxJSONDepth,
        fetch: this.#http.fetch,
      });
    }
  }

  #endpoint(name: string): URL {
    const value = this.metadata[name];
    if (typeof value !== 'string') throw new TypeError(`the provider metadata has no "${name}"`);
    return parseEndpointURL(value, name, this.#http.allowHttp);
  }

  /**
   * Builds the authorization request (authorization code flow, PKCE S256 always) and returns the URL with
   * fresh `state`, `nonce` and `codeVerifier` (32 random bytes each, base64url) to keep for the callback.
   * @example
   * ```ts
   * const { url, state, nonce, codeVerifier } = client.authorizationUrl({ scope: 'openid profile', loginHint: 'ada@example.com' });
   * ```
   */
  authorizationUrl(options: AuthorizationUrlOptions = {}): AuthorizationRequest {
    checkOptionNames(
      options as object,
      optionNames(['scope', 'prompt', 'maxAge', 'resource', 'loginHint', 'acrValues', 'extraParams']),
      'authorizationUrl',
    );
    const url = this.#endpoint('authorization_endpoint');
    const state = random();
    const nonce = random();
    const codeVerifier = random();
    const challenge = encodeBase64url(createHash('sha256').update(codeVerifier, 'ascii').digest());
    let scope = options.scope ?? this.#options.scope ?? 'openid';
    if (!scope.split(' ').includes('openid')) scope = `openid ${scope}`;
    const params = url.searchParams;
    for (const [name, value] of Object.entries(options.extraParams ?? {})) params.set(name, value);
    params.set('response_type', 'code');
    params.set('client_id', this.clientId);
    params.set('redirect_uri', this.redirectUri);
    params.set('scope', scope);
    params.set('state', state);
    params.set('nonce', nonce);
    params.set('code_challenge', challenge);
    params.set('code_challenge_method', 'S256');
    if (options.prompt !== undefined) params.set('prompt', options.prompt);
    if (options.maxAge !== undefined) {
      if (!Number.isSafeInteger(options.maxAge) || options.maxAge < 0)
        throw new TypeError('"maxAge" option must be a non-negative integer (seconds)');
      params.set('max_age', String(options.maxAge));
    }
    if (options.loginHint !== undefined) params.set('login_hint', options.loginHint);
    if (options.acrValues !== undefined) params.set('acr_values', options.acrValues);
    for (const resource of [options.resource ?? []].flat()) params.append('resource', resource);
    return {
      url: url.href,
      state,
      nonce,
      codeVerifier,
      ...(options.maxAge !== undefined ? { maxAge: options.maxAge } : {}),
      ...(options.acrValues !== undefined ? { acrValues: options.acrValues } : {}),
    };
  }

  /**
   * Handles the redirect back from the provider: checks `iss` (RFC 9207: when present, and required when
   * the provider advertises `authorization_response_iss_parameter_supported`), compares `state` in
   * constant time, turns a provider `error` into an {@link AuthorizationResponseError}, exchanges the code
   * (with the PKCE verifier) and validates the ID token (nonce, max_age, acr, at_hash).
   * @example
   * ```ts
   * const tokens = await client.callback(new URL(req.url, 'https://app.example.com'), transaction);
   * console.log(tokens.claims?.sub);
   * ```
   */
  async callback(current: string | URL | URLSearchParams, checks: CallbackChecks): Promise<TokenSet> {
    if (checks === null || typeof checks !== 'object') throw new TypeError('the callback checks must be an object');
    for (const name of ['state', 'nonce', 'codeVerifier'] as const) {
      if (typeof checks[name] !== 'string' || checks[name] === '')
        throw new TypeError(`the callback checks need "${name}" (from authorizationUrl)`);
    }
    const params =
      current instanceof URLSearchParams
        ? current
        : new URL(current instanceof URL ? current.href : current, 'http://placeholder.invalid').searchParams;
    const iss = params.get('iss');
    if (iss !== null) {
      if (iss !== this.metadata.issuer)
        throw new AuthorizationResponseError(
          'the authorization response "iss" is not this provider (RFC 9207 mix-up defence)',
          'issuer_mismatch',
        );
    } else if (this.metadata.authorization_response_iss_parameter_supported === true) {
      throw new AuthorizationResponseError(
        'the authorization response has no "iss", which this provider promises (RFC 9207)',
        'issuer_missing',
      );
    }
    const state = params.get('state');
    if (state === null || !sameString(state, checks.state))
      throw new AuthorizationResponseError('the authorization response "state" does not match', 'state_mismatch');
    const error = params.get('error');
    if (error !== null) {
      const description = params.get('error_description') ?? undefined;
      throw new AuthorizationResponseError(
        `the provider refused the authorization: "${error}"`,
        'provider_error',
        error,
        description,
      );
    }
    const code = params.get('code');
    if (code === null || code === '')
      throw new AuthorizationResponseError('the authorization response has no "code"', 'code_missing');
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.redirectUri,
      code_verifier: checks.codeVerifier,
    });
    const tokens = await this.#tokenRequest(body);
    if (tokens.idToken === undefined)
      throw new OIDCEndpointError('the token endpoint returned no id_token for the openid scope', 200);
    const claims = await this.#verify(tokens.idToken, {
      nonce: checks.nonce,
      accessToken: tokens.accessToken,
      ...(checks.maxAge !== undefined ? { maxAge: checks.maxAge } : {}),
      ...(checks.acrValues !== undefined ? { acrValues: checks.acrValues.split(' ') } : {}),
    });
    return { ...tokens, claims };
  }

  /**
   * Validates an ID token from this provider for this client (see {@link verifyIDToken}).
   * @example
   * ```ts
   * const claims = await client.verifyIDToken(idToken, { nonce });
   * ```
   */
  verifyIDToken(
    idToken: string,
    checks: { nonce?: string; maxAge?: number; accessToken?: string } = {},
  ): Promise<IDTokenClaims> {
    return this.#verify(idToken, checks);
  }

  /**
   * Validates a back-channel logout token from this provider for this client (see {@link verifyLogoutToken}).
   * @example
   * ```ts
   * const { sid, sub } = await client.verifyLogoutToken(form.get('logout_token') ?? '');
   * ```
   */
  verifyLogoutToken(logoutToken: string): Promise<LogoutTokenClaims> {
    return verifyLogoutToken(logoutToken, {
      issuer: this.metadata.issuer,
      audience: this.clientId,
      jwks: this.#jwks,
      algorithms: this.#algorithms.filter((alg) => !/^HS/.test(alg)),
      ...(this.#options.clockTolerance !== undefined ? { clockTolerance: this.#options.clockTolerance } : {}),
    });
  }

  #verify(
    idToken: string,
    checks: { nonce?: string; maxAge?: number; accessToken?: string; acrValues?: string[] },
  ): Promise<IDTokenClaims> {
    const opts = this.#options;
    return verifyIDToken(idToken, {
      issuer: this.metadata.issuer,
      audience: this.clientId,
      jwks: this.#jwks,
      algorithms: this.#algorithms,
      ...(opts.allowSymmetricIDTokens === true && opts.clientSecret !== undefined
        ? { clientSecret: opts.clientSecret }
        : {}),
      ...(opts.clockTolerance !== undefined ? { clockTolerance: opts.clockTolerance } : {}),
      ...(this.metadata.require_auth_time === true ? { requireAuthTime: true } : {}),
      ...checks,
    });
  }

  async #clientAuthentication(body: URLSearchParams, headers: Headers): Promise<void> {
    const { clientId } = this;
    const opts = this.#options;
    switch (this.authMethod) {
      case 'client_secret_basic': {
        const credentials = `${formEncode(clientId)}:${formEncode(opts.clientSecret as string)}`;
        headers.set('authorization', `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`);
        return;
      }
      case 'client_secret_post':
        body.set('client_id', clientId);
        body.set('client_secret', opts.clientSecret as string);
        return;
      case 'none':
        body.set('client_id', clientId);
        return;
      case 'private_key_jwt': {
        const now = Math.floor(Date.now() / 1000);
        // RFC 7523 §3: iss = sub = client_id; aud is the issuer and the token endpoint (providers accept either).
        const payload: JWTPayload = {
          iss: clientId,
          sub: clientId,
          aud: [this.metadata.issuer, this.metadata.token_endpoint as string],
          jti: randomUUID(),
          iat: now,
          exp: now + 60,
        };
        let assertion: string;
        if (opts.signer !== undefined) {
          const header = { alg: opts.signer.alg, typ: 'JWT', ...(opts.signer.kid ? { kid: opts.signer.kid } : {}) };
          const input = `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(JSON.stringify(payload))}`;
          const signature = await opts.signer.sign(new TextEncoder().encode(input));
          assertion = `${input}.${encodeBase64url(signature)}`;
        } else {
          assertion = signJWT(payload, opts.privateKey as KeyInput, {
            ...(opts.privateKeyAlgorithm !== undefined ? { algorithm: opts.privateKeyAlgorithm } : {}),
            ...(opts.privateKeyId !== undefined ? { kid: opts.privateKeyId } : {}),
          });
        }
        body.set('client_id', clientId);
        body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
        body.set('client_assertion', assertion);
        return;
      }
    }
  }

  async #post(endpoint: string, body: URLSearchParams, what: string) {
    const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
    await this.#clientAuthentication(body, headers);
    return callEndpoint(this.#endpoint(endpoint), { method: 'POST', headers, body: body.toString() }, this.#http, what);
  }

  async #tokenRequest(body: URLSearchParams): Promise<Omit<TokenSet, 'claims'>> {
    const answer = await this.#post('token_endpoint', body, 'the token endpoint');
    const json = answer.json;
    const fail = (reason: string): never => {
      throw new OIDCEndpointError(`the token endpoint's answer is not usable: ${reason}`, answer.status);
    };
    if (json === undefined) return fail('it is not JSON');
    if (typeof json.access_token !== 'string' || json.access_token === '') fail('no "access_token"');
    if (typeof json.token_type !== 'string') fail('no "token_type"');
    if (json.id_token !== undefined && typeof json.id_token !== 'string') fail('"id_token" is not a string');
    if (json.refresh_token !== undefined && typeof json.refresh_token !== 'string')
      fail('"refresh_token" is not a string');
    if (json.expires_in !== undefined && (typeof json.expires_in !== 'number' || !(json.expires_in >= 0)))
      fail('"expires_in" is not a non-negative number');
    return {
      accessToken: json.access_token as string,
      tokenType: json.token_type as string,
      ...(typeof json.expires_in === 'number'
        ? { expiresAt: Math.floor(Date.now() / 1000) + Math.floor(json.expires_in) }
        : {}),
      ...(typeof json.refresh_token === 'string' ? { refreshToken: json.refresh_token } : {}),
      ...(typeof json.id_token === 'string' ? { idToken: json.id_token } : {}),
      ...(typeof json.scope === 'string' ? { scope: json.scope } : {}),
    };
  }

  /**
   * Refreshes the tokens (RFC 6749 §6). A rotated refresh token is returned in `refreshToken` (else the
   * old one is kept); an ID token in the answer is validated per OpenID Connect Core §12.2: same `iss`,
   * `sub` and `aud` as `previous` (the claims of the session's ID token), no nonce requirement.
   * @example
   * ```ts
   * const next = await client.refresh(session.refreshToken, session.claims);
   * ```
   */
  async refresh(refreshToken: string, previous?: IDTokenClaims): Promise<TokenSet> {
    if (typeof refreshToken !== 'string' || refreshToken === '')
      throw new TypeError('the refresh token must be a non-empty string');
    const tokens = await this.#tokenRequest(
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    );
    const result: TokenSet = { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
    if (tokens.idToken !== undefined) {
      const claims = await this.#verify(tokens.idToken, { accessToken: tokens.accessToken });
      if (previous !== undefined) {
        if (claims.iss !== previous.iss) throw new InvalidIssuerError('the refreshed ID token has another "iss"');
        if (claims.sub !== previous.sub)
          throw new InvalidClaimError('the refreshed ID token has another "sub"', 'sub', 'mismatch');
        const a = [claims.aud].flat().sort().join(' ');
        const b = [previous.aud].flat().sort().join(' ');
        if (a !== b) throw new InvalidClaimError('the refreshed ID token has another "aud"', 'aud', 'mismatch');
      }
      result.claims = claims;
    }
    return result;
  }

  /**
   * Fetches the UserInfo claims (OpenID Connect Core §5.3) with the access token. With `expectedSubject`
   * (the ID token's `sub`), a response for another subject is refused (§5.3.2).
   * @example
   * ```ts
   * const profile = await client.userinfo(tokens.accessToken, { expectedSubject: tokens.claims.sub });
   * ```
   */
  async userinfo(accessToken: string, options: { expectedSubject?: string } = {}): Promise<Record<string, unknown>> {
    if (typeof accessToken !== 'string' || accessToken === '')
      throw new TypeError('the access token must be a non-empty string');
    checkOptionNames(options as object, optionNames(['expectedSubject']), 'userinfo');
    const headers = new Headers({ authorization: `Bearer ${accessToken}` });
    const answer = await callEndpoint(
      this.#endpoint('userinfo_endpoint'),
      { method: 'GET', headers },
      this.#http,
      'the userinfo endpoint',
    );
    let claims: Record<string, unknown> | undefined = answer.json;
    if (claims === undefined && /application\/jwt/i.test(answer.headers.get('content-type') ?? '')) {
      // A signed userinfo response: verified like an ID token's signature, with iss and aud.
      const payload = await verifyIDTokenSignatureOnly(answer.text.trim(), this);
      claims = payload;
    }
    if (claims === undefined)
      throw new OIDCEndpointError('the userinfo endpoint answered neither JSON nor a JWT', answer.status);
    if (typeof claims.sub !== 'string')
      throw new OIDCEndpointError('the userinfo response has no "sub"', answer.status);
    if (options.expectedSubject !== undefined && claims.sub !== options.expectedSubject)
      throw new InvalidClaimError('the userinfo "sub" is not the ID token\'s subject', 'sub', 'mismatch');
    return claims;
  }

  /** @internal The verification material, for a signed userinfo response. */
  get jwksForUserinfo(): { jwks: KeyResolver | JWKSet; algorithms: string[] } {
    return { jwks: this.#jwks, algorithms: this.#algorithms };
  }

  /**
   * Revokes a token at the revocation endpoint (RFC 7009), authenticated like the token endpoint.
   * @example
   * ```ts
   * await client.revoke(session.refreshToken, 'refresh_token');
   * ```
   */
  async revoke(token: string, hint?: 'access_token' | 'refresh_token'): Promise<void> {
    if (typeof token !== 'string' || token === '') throw new TypeError('the token must be a non-empty string');
    const body = new URLSearchParams({ token });
    if (hint !== undefined) body.set('token_type_hint', hint);
    await this.#post('revocation_endpoint', body, 'the revocation endpoint');
  }

  /**
   * The RP-initiated logout URL (OpenID Connect RP-Initiated Logout 1.0): `id_token_hint`, `client_id`,
   * `post_logout_redirect_uri` (default: the client's) and `state`.
   * @example
   * ```ts
   * res.redirect(client.endSessionUrl({ idTokenHint: session.idToken }));
   * ```
   */
  endSessionUrl(options: EndSessionOptions = {}): string {
    checkOptionNames(
      options as object,
      optionNames(['idTokenHint', 'postLogoutRedirectUri', 'state']),
      'endSessionUrl',
    );
    const url = this.#endpoint('end_session_endpoint');
    if (options.idTokenHint !== undefined) url.searchParams.set('id_token_hint', options.idTokenHint);
    url.searchParams.set('client_id', this.clientId);
    const redirect = options.postLogoutRedirectUri ?? this.#options.postLogoutRedirectUri;
    if (redirect !== undefined) url.searchParams.set('post_logout_redirect_uri', redirect);
    if (options.state !== undefined) url.searchParams.set('state', options.state);
    return url.href;
  }
}

async function verifyIDTokenSignatureOnly(jwt: string, client: OIDCClient): Promise<Record<string, unknown>> {
  const { jwks, algorithms } = client.jwksForUserinfo;
  // Shape first (a clear error), then the signature and the iss/aud of a signed UserInfo response (§5.3.2).
  decodeJWT(jwt);
  const { verifyJWT } = await import('../jwt/verify.js');
  return (await verifyJWT(jwt, jwks as KeyResolver, {
    algorithms,
    issuer: client.metadata.issuer,
    audience: client.clientId,
  })) as Record<string, unknown>;
}

/**
 * Builds a client from static provider metadata (no discovery request).
 * @example
 * ```ts
 * const client = createClient(
 *   { issuer: 'https://id.example.com', authorization_endpoint: '…/authorize', token_endpoint: '…/token', jwks_uri: '…/jwks' },
 *   { clientId: 'app', clientSecret, redirectUri: 'https://app.example.com/callback' },
 * );
 * ```
 */
export function createClient(metadata: AuthorizationServerMetadata, options: ClientOptions): OIDCClient {
  return new OIDCClient(metadata, options);
}

const metadataCache = new Map<string, { metadata: AuthorizationServerMetadata; expiresAt: number }>();
const METADATA_TTL_MS = 60 * 60 * 1000;

/**
 * Discovers the provider (OpenID Connect Discovery, RFC 8414; the metadata's `issuer` must equal
 * `issuerUrl` exactly) and builds the client. The metadata is cached for an hour per issuer.
 * @example
 * ```ts
 * import { discoverClient } from 'tessera-jwt/oidc';
 * const client = await discoverClient('https://accounts.example.com', {
 *   clientId: 'my-app', clientSecret: process.env.OIDC_SECRET, redirectUri: 'https://app.example.com/callback',
 * });
 * ```
 */
export async function discoverClient(issuerUrl: string, options: ClientOptions): Promise<OIDCClient> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkOptionNames(options as object, CLIENT_OPTIONS, 'discoverClient');
  const cached = metadataCache.get(issuerUrl);
  let metadata = cached !== undefined && cached.expiresAt > Date.now() ? cached.metadata : undefined;
  if (metadata === undefined) {
    const discovery: DiscoveryOptions = {
      ...(options.allowHttp !== undefined ? { allowHttp: options.allowHttp } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
      ...(options.maxJSONDepth !== undefined ? { maxJSONDepth: options.maxJSONDepth } : {}),
      ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
      ...(options.headers !== undefined ? { headers: options.headers } : {}),
    };
    metadata = await discover(issuerUrl, discovery);
    metadataCache.set(issuerUrl, { metadata, expiresAt: Date.now() + METADATA_TTL_MS });
  }
  return new OIDCClient(metadata, options);
}
