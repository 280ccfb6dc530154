// The token service over HTTP, as fetch-style handlers (Request → Response) that any framework can
// mount: POST /token (RFC 6749 §5, grant_type=refresh_token plus the application's own grants), POST
// /revoke (RFC 7009), POST /introspect (RFC 7662, the caller must authenticate), and the JWKS and
// metadata documents. Errors are RFC 6749 §5.2 JSON bodies; token responses are never cached.
import { Buffer } from 'node:buffer';
import { InvalidGrantError, InvalidScopeError, StoreUnavailableError, UnauthorizedClientError } from '../errors.js';
import { checkOptionNames, optionNames } from '../internal.js';
import { bodySource, withBodySource } from './body-source.js';
import { type JSONResponder, jsonResponse } from './json-response.js';
import type { TokenService } from './token-service.js';

/**
 * What a grant handler returns to issue the first token pair (after it authenticated the user its own
 * way), or undefined to refuse with `invalid_grant`.
 * @example
 * ```ts
 * const grant: Grant = { sub: user.id, client_id: 'web', scope: 'read:orders', claims: { email: user.email } };
 * ```
 */
export interface Grant {
  sub: string;
  client_id: string;
  scope?: string;
  claims?: Record<string, unknown>;
  /** `false`: the access token alone, no refresh token (client_credentials, RFC 6749 §4.4.3). */
  refreshToken?: boolean;
}

/**
 * What a grant handler returns to refuse with a specific RFC 6749 §5.2 error instead of the default
 * `invalid_grant` (the description is sent to the client: never put a token or secret in it).
 * @example
 * ```ts
 * const refusal: GrantRefusal = { error: 'invalid_request', error_description: 'The "username" parameter is required' };
 * ```
 */
export interface GrantRefusal {
  error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'invalid_scope';
  error_description?: string;
}

/**
 * Options of {@link createTokenEndpoints}.
 * @example
 * ```ts
 * const options: TokenEndpointsOptions = {
 *   grants: { password: async (params) => (await users.check(params.get('username'), params.get('password'))) ? { sub: 'u1', client_id: 'web' } : undefined },
 *   authenticateIntrospection: async (request) => request.headers.get('authorization') === `Bearer ${process.env.INTROSPECTION_SECRET}`, // compare in constant time in real code
 * };
 * ```
 */
export interface TokenEndpointsOptions {
  /**
   * The application's own grant types (e.g. `password`), keyed by `grant_type`; `refresh_token` is built
   * in. A handler returns the Grant to issue, undefined to refuse with `invalid_grant`, a GrantRefusal, or
   * a Response to send as it is (e.g. a `429` with `Retry-After` from a login throttle).
   */
  grants?: Record<
    string,
    (
      params: URLSearchParams,
      request: Request,
    ) => Grant | GrantRefusal | Response | undefined | Promise<Grant | GrantRefusal | Response | undefined>
  >;
  /** Authenticates the caller of /introspect (RFC 7662 §2.1); without it introspection always answers 401. */
  authenticateIntrospection?: (request: Request) => boolean | Promise<boolean>;
  /**
   * Authenticates the client of /token and /revoke (RFC 6749 §2.3): called with the client of HTTP Basic
   * (`client_secret_basic`) or of the `client_id`/`client_secret` parameters, whenever the request names
   * one; `false` answers `401 invalid_client` with a `WWW-Authenticate: Basic` challenge. For public
   * clients, accept a registered id without a secret. Without it, any `client_id` is taken as given.
   */
  authenticateClient?: (client: { id: string; secret?: string }, request: Request) => boolean | Promise<boolean>;
  /** The realm of the `WWW-Authenticate: Basic` challenge of a refused client (default: the issuer). */
  realm?: string;
  /**
   * What the metadata advertises as `token_endpoint_auth_methods_supported`,
   * `revocation_endpoint_auth_methods_supported` and `introspection_endpoint_auth_methods_supported`
   * (RFC 8414 §2): say what your callbacks really accept. Defaults: `['none']`, `['none']` and
   * `['client_secret_basic']` (RFC 8414's own default for introspection).
   */
  authMethods?: Partial<Record<'token' | 'revocation' | 'introspection', readonly string[]>>;
  /** Largest accepted request body in bytes (default 16 KiB). */
  maxBodyBytes?: number;
  /** Paths (default `/token`, `/revoke`, `/introspect`, `/.well-known/jwks.json`, `/.well-known/openid-configuration`). */
  paths?: Partial<Record<'token' | 'revoke' | 'introspect' | 'jwks' | 'metadata', string>>;
  /** Called with every error that became a 5xx, for logging (never sent to the client). */
  onError?: (error: unknown, request: Request) => void;
}

/**
 * The handlers {@link createTokenEndpoints} returns; `handle` routes by path and returns undefined for
 * paths it does not serve.
 * @example
 * ```ts
 * const response = (await endpoints.handle(request)) ?? new Response('not found', { status: 404 });
 * ```
 */
export interface TokenEndpoints {
  /** Routes a request to the endpoint of its path; undefined for any other path. */
  handle(request: Request): Promise<Response | undefined>;
  /** The token endpoint (RFC 6749 §3.2): the refresh_token grant. */
  token(request: Request): Promise<Response>;
  /** The revocation endpoint (RFC 7009). */
  revoke(request: Request): Promise<Response>;
  /** The introspection endpoint (RFC 7662). */
  introspect(request: Request): Promise<Response>;
  /** The public JWK Set of the signing keys. */
  jwks(request: Request): Promise<Response>;
  /** The authorization server metadata (RFC 8414). */
  metadata(request: Request): Promise<Response>;
  readonly paths: Readonly<Record<'token' | 'revoke' | 'introspect' | 'jwks' | 'metadata', string>>;
}

const OPTIONS = optionNames([
  'grants',
  'authenticateIntrospection',
  'authenticateClient',
  'realm',
  'authMethods',
  'maxBodyBytes',
  'paths',
  'onError',
]);
const AUTH_METHODS = optionNames(['token', 'revocation', 'introspection']);
const PATHS = optionNames(['token', 'revoke', 'introspect', 'jwks', 'metadata']);
const REFUSALS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'invalid_scope',
]);
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** A JSON response (no-store unless `cacheable`) whose text the node:http bridge can send without reading it. */
function json(status: number, body: unknown, headers: Record<string, string> = {}, cacheable = false): Response {
  if (!cacheable) return jsonResponse(status, body, headers);
  const text = JSON.stringify(body);
  return withBodySource(
    new Response(text, { status, headers: { 'content-type': 'application/json;charset=UTF-8', ...headers } }),
    text,
  );
}

/** An RFC 6749 §5.2 error response. */
function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
  respond: JSONResponder = jsonResponse,
): Response {
  return respond(status, { error, error_description: description }, headers);
}

class RequestProblem extends Error {
  readonly response: Response;
  constructor(response: Response) {
    super('request problem');
    this.response = response;
  }
}

/**
 * @internal Forms already read and checked by a layer in front of these endpoints (the provider's client
 * authentication), keyed by the Request it built: the body is not read and parsed a second time.
 */
export const checkedForms = new WeakMap<Request, URLSearchParams>();

async function formParams(request: Request, maxBytes: number): Promise<URLSearchParams> {
  if (request.method !== 'POST')
    throw new RequestProblem(oauthError(405, 'invalid_request', 'Use POST', { allow: 'POST' }));
  const checked = checkedForms.get(request);
  if (checked !== undefined) return checked;
  if (!isFormType(request.headers.get('content-type'))) {
    throw new RequestProblem(
      oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded (RFC 6749 §3.2)'),
    );
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes)
    throw new RequestProblem(oauthError(413, 'invalid_request', 'The request body is too large'));
  const source = bodySource(request);
  if (source !== undefined && typeof source !== 'string') {
    if (source.byteLength > maxBytes)
      throw new RequestProblem(oauthError(413, 'invalid_request', 'The request body is too large'));
    return checkedParams(new URLSearchParams(new TextDecoder('utf-8', { fatal: false }).decode(source)));
  }
  // Read at most maxBytes, whatever Content-Length claims.
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new RequestProblem(oauthError(413, 'invalid_request', 'The request body is too large'));
      }
      chunks.push(value);
    }
  }
  return checkedParams(new URLSearchParams(new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks))));
}

/** RFC 6749 §3.2: parameters must not be repeated (but RFC 8707 `resource` may be). */
function checkedParams(params: URLSearchParams): URLSearchParams {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name) && name !== 'resource')
      throw new RequestProblem(oauthError(400, 'invalid_request', `The parameter "${name.slice(0, 40)}" is repeated`));
    seen.add(name);
  }
  return params;
}

/**
 * @internal The answer to a request that failed with `err`: token errors become their RFC 6749 codes, a
 * store failure a 503, anything else a 500 whose details go only to `report` (called for 5xx alone).
 */
export function failureResponse(err: unknown, report: (error: unknown) => void): Response {
  if (err instanceof RequestProblem) return err.response;
  if (err instanceof InvalidGrantError)
    return oauthError(
      400,
      'invalid_grant',
      'The refresh token is invalid, expired, revoked, or was issued to another client',
    );
  if (err instanceof InvalidScopeError)
    return oauthError(400, 'invalid_scope', 'The requested scope is invalid or exceeds the granted scope');
  if (err instanceof UnauthorizedClientError)
    return oauthError(400, 'unauthorized_client', 'The token was issued to another client');
  report(err);
  if (err instanceof StoreUnavailableError)
    return oauthError(503, 'temporarily_unavailable', 'The token store is unavailable; try again later', {
      'retry-after': '5',
    });
  return oauthError(500, 'server_error', 'The server could not complete the request');
}

/**
 * @internal The token response for what a grant handler returned: the issued pair for a Grant,
 * `invalid_grant` for undefined, the RFC 6749 §5.2 error of a GrantRefusal (401 with `challenge` for
 * invalid_client), a Response as it is. Service errors are thrown, for {@link failureResponse}.
 */
export async function grantResponse(
  service: TokenService,
  grantType: string,
  grant: Grant | GrantRefusal | Response | undefined,
  challenge: Record<string, string>,
  respond: JSONResponder = jsonResponse,
): Promise<Response> {
  if (!grant) return oauthError(400, 'invalid_grant', 'The credentials are invalid', {}, respond);
  if (grant instanceof Response) return grant;
  if ('error' in grant) {
    if (!REFUSALS.has(grant.error)) throw new TypeError(`grant handler "${grantType}" returned an unknown error code`);
    const description =
      typeof grant.error_description === 'string' ? grant.error_description : 'The request was refused';
    return oauthError(
      grant.error === 'invalid_client' ? 401 : 400,
      grant.error,
      description,
      grant.error === 'invalid_client' ? challenge : {},
      respond,
    );
  }
  return respond(200, await service.issue(grant));
}

/** @internal Whether a Content-Type is a form (`application/x-www-form-urlencoded`, parameters ignored). */
export function isFormType(contentType: string | null): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * @internal A token-endpoint form body, checked as RFC 6749 §3.2 asks: within `maxBytes` characters and no
 * parameter repeated (RFC 8707 `resource` may be). Throws a RequestProblem, answered by {@link failureResponse}.
 */
export function checkedForm(body: string, maxBytes: number): URLSearchParams {
  if (body.length > maxBytes)
    throw new RequestProblem(oauthError(413, 'invalid_request', 'The request body is too large'));
  return checkedParams(new URLSearchParams(body));
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '')
    throw new RequestProblem(oauthError(400, 'invalid_request', `The "${name}" parameter is required`));
  return value;
}

function hint(params: URLSearchParams): 'access_token' | 'refresh_token' | undefined {
  const value = params.get('token_type_hint');
  return value === 'access_token' || value === 'refresh_token' ? value : undefined; // RFC 7009 §2.1: unknown hints are ignored
}

/**
 * HTTP endpoints for a token service as fetch-style handlers (`Request → Response`): mount `handle` in
 * Hono, Next.js, Bun, Deno or Workers directly, or in Express, Fastify and node:http through
 * `toNodeHandler`. `POST /token` does `refresh_token` and your own grants; `POST /revoke` is RFC 7009;
 * `POST /introspect` is RFC 7662 for authenticated callers; the JWKS and metadata documents are GETs.
 * @example
 * ```ts
 * import { createTokenEndpoints, toNodeHandler } from 'tessera-jwt/server';
 * const endpoints = createTokenEndpoints(service, {
 *   grants: { password: async (params) => login(params.get('username'), params.get('password')) },
 *   authenticateIntrospection: (request) => request.headers.get('authorization') === `Bearer ${process.env.INTROSPECTION_TOKEN}`,
 * });
 * app.use(toNodeHandler(endpoints.handle)); // Express: unknown paths fall through to next()
 * ```
 */
export function createTokenEndpoints(service: TokenService, options: TokenEndpointsOptions = {}): TokenEndpoints {
  if (service === null || typeof service !== 'object' || typeof service.refresh !== 'function')
    throw new TypeError('createTokenEndpoints needs a TokenService');
  if (options === null || typeof options !== 'object')
    throw new TypeError('createTokenEndpoints options must be an object');
  checkOptionNames(options, OPTIONS, 'createTokenEndpoints');
  if (options.paths !== undefined) {
    if (options.paths === null || typeof options.paths !== 'object')
      throw new TypeError('"paths" option must be an object');
    checkOptionNames(options.paths, PATHS, 'createTokenEndpoints paths');
  }
  if (options.authMethods !== undefined) {
    if (options.authMethods === null || typeof options.authMethods !== 'object')
      throw new TypeError('"authMethods" option must be an object');
    checkOptionNames(options.authMethods, AUTH_METHODS, 'createTokenEndpoints authMethods');
    for (const [name, list] of Object.entries(options.authMethods)) {
      if (list !== undefined && !(Array.isArray(list) && list.every((m) => typeof m === 'string' && m !== '')))
        throw new TypeError(`"authMethods.${name}" must be an array of method names`);
    }
  }
  if (options.authenticateClient !== undefined && typeof options.authenticateClient !== 'function')
    throw new TypeError('"authenticateClient" option must be a function');
  if (options.realm !== undefined && (typeof options.realm !== 'string' || /["\\\x00-\x1f\x7f]/.test(options.realm)))
    throw new TypeError('"realm" option must be a string without quotes, backslashes or control characters');
  const grants = options.grants ?? {};
  for (const [name, fn] of Object.entries(grants)) {
    if (typeof fn !== 'function') throw new TypeError(`"grants.${name}" must be a function`);
    if (name === 'refresh_token') throw new TypeError('"refresh_token" is built in');
  }
  const maxBody = options.maxBodyBytes ?? 16 * 1024;
  const paths = {
    token: '/token',
    revoke: '/revoke',
    introspect: '/introspect',
    jwks: '/.well-known/jwks.json',
    metadata: '/.well-known/openid-configuration',
    ...options.paths,
  };
  const base = service.issuer.replace(/\/+$/, '');
  const challenge = {
    'www-authenticate': `Basic realm="${options.realm ?? service.issuer.replace(/["\\\x00-\x1f\x7f]/g, '')}"`,
  };
  const authMethods = {
    token: [...(options.authMethods?.token ?? ['none'])],
    revocation: [...(options.authMethods?.revocation ?? ['none'])],
    introspection: [...(options.authMethods?.introspection ?? ['client_secret_basic'])],
  };
  // RFC 6749 §2.3 / §5.2: a client that fails authentication gets 401 invalid_client, and RFC 7235 wants
  // a challenge on every 401.
  const invalidClient = (description: string) =>
    new RequestProblem(oauthError(401, 'invalid_client', description, challenge));

  /**
   * The client of a /token or /revoke request, authenticated when `authenticateClient` is set: HTTP Basic
   * (ids and secrets form-urlencoded, RFC 6749 §2.3.1) or the body's client_id/client_secret. Returns the
   * client id (also written into `params`), or undefined when the request names no client.
   */
  const clientOf = async (request: Request, params: URLSearchParams): Promise<string | undefined> => {
    const header = request.headers.get('authorization');
    let client: { id: string; secret?: string } | undefined;
    if (header !== null) {
      if (!options.authenticateClient) return params.get('client_id') ?? undefined; // as before: no client authentication configured
      const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
      if (!match)
        throw invalidClient(
          'Client authentication failed: use HTTP Basic (client_secret_basic) or the client_id parameter',
        );
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      let id: string;
      let secret: string;
      try {
        id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
        secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
      } catch {
        throw invalidClient('Client authentication failed');
      }
      if (colon < 1) throw invalidClient('Client authentication failed');
      // RFC 6749 §2.3: one authentication method per request.
      if (params.has('client_secret'))
        throw new RequestProblem(
          oauthError(
            400,
            'invalid_request',
            'Use one client authentication method: HTTP Basic or client_secret, not both',
          ),
        );
      const named = params.get('client_id');
      if (named !== null && named !== id)
        throw new RequestProblem(
          oauthError(400, 'invalid_request', 'The client_id parameter does not match the authenticated client'),
        );
      client = { id, secret };
    } else {
      const id = params.get('client_id');
      if (id === null || id === '') return undefined;
      const secret = params.get('client_secret');
      client = secret === null ? { id } : { id, secret };
    }
    if (options.authenticateClient && (await options.authenticateClient(client, request)) !== true)
      throw invalidClient('Client authentication failed');
    params.set('client_id', client.id);
    return client.id;
  };

  const failure = (err: unknown, request: Request): Response =>
    failureResponse(err, (error) => options.onError?.(error, request));

  const endpoints: TokenEndpoints = {
    paths,
    async token(request) {
      try {
        const params = await formParams(request, maxBody);
        const grantType = required(params, 'grant_type');
        await clientOf(request, params);
        if (grantType === 'refresh_token') {
          const refreshToken = required(params, 'refresh_token');
          const clientId = required(params, 'client_id');
          const scope = params.get('scope') ?? undefined;
          return json(
            200,
            await service.refresh(refreshToken, { client_id: clientId, ...(scope !== undefined ? { scope } : {}) }),
          );
        }
        const handler = Object.hasOwn(grants, grantType) ? grants[grantType] : undefined;
        if (!handler) return oauthError(400, 'unsupported_grant_type', 'The grant type is not supported');
        return await grantResponse(service, grantType, await handler(params, request), challenge);
      } catch (err) {
        return failure(err, request);
      }
    },
    async revoke(request) {
      try {
        const params = await formParams(request, maxBody);
        // RFC 7009 §2.1: a client may only revoke its own tokens (public clients name themselves).
        const clientId = await clientOf(request, params);
        await service.revoke(required(params, 'token'), {
          token_type_hint: hint(params),
          ...(clientId !== undefined ? { client_id: clientId } : {}),
        });
        // RFC 7009 §2.2: 200 whether or not the token was valid; a token of another client is refused
        // with unauthorized_client (§2.1, §2.2.1) and stays valid.
        return new Response(null, { status: 200, headers: NO_STORE });
      } catch (err) {
        return failure(err, request);
      }
    },
    async introspect(request) {
      try {
        const authenticated = options.authenticateIntrospection
          ? await options.authenticateIntrospection(request)
          : false;
        if (authenticated !== true)
          return oauthError(401, 'invalid_client', 'The caller must authenticate to introspect tokens', {
            'www-authenticate': 'Bearer',
          });
        const params = await formParams(request, maxBody);
        return json(200, await service.introspect(required(params, 'token'), { token_type_hint: hint(params) }));
      } catch (err) {
        return failure(err, request);
      }
    },
    async jwks(request) {
      try {
        if (request.method !== 'GET' && request.method !== 'HEAD')
          return oauthError(405, 'invalid_request', 'Use GET', { allow: 'GET, HEAD' });
        return json(200, await service.jwks(), { 'cache-control': service.jwksCacheControl }, true);
      } catch (err) {
        return failure(err, request);
      }
    },
    async metadata(request) {
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return oauthError(405, 'invalid_request', 'Use GET', { allow: 'GET, HEAD' });
      // RFC 8414 authorization server metadata (also served where OpenID Connect clients look for it).
      return json(
        200,
        {
          issuer: service.issuer,
          jwks_uri: `${base}${paths.jwks}`,
          token_endpoint: `${base}${paths.token}`,
          revocation_endpoint: `${base}${paths.revoke}`,
          introspection_endpoint: `${base}${paths.introspect}`,
          grant_types_supported: ['refresh_token', ...Object.keys(grants)],
          token_endpoint_auth_methods_supported: authMethods.token,
          revocation_endpoint_auth_methods_supported: authMethods.revocation,
          introspection_endpoint_auth_methods_supported: authMethods.introspection,
          response_types_supported: [],
        },
        { 'cache-control': 'public, max-age=3600' },
        true,
      );
    },
    async handle(request) {
      const { pathname } = new URL(request.url);
      switch (pathname) {
        case paths.token:
          return endpoints.token(request);
        case paths.revoke:
          return endpoints.revoke(request);
        case paths.introspect:
          return endpoints.introspect(request);
        case paths.jwks:
          return endpoints.jwks(request);
        case paths.metadata:
        case '/.well-known/oauth-authorization-server':
          return endpoints.metadata(request);
        default:
          return undefined;
      }
    },
  };
  return endpoints;
}
