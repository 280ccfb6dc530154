// The token, revocation and introspection endpoints with real client authentication: every request is
// authenticated here (client-auth.ts) against the registry, then handed on to createTokenEndpoints with its
// form checked, the client's credentials removed and `client_id` set to the authenticated client, so the refresh grant is
// bound to the client that authenticated (RFC 6749 §6) and revocation to its own tokens (RFC 7009 §2.1).
// client_credentials (RFC 6749 §4.4) is a grant of confidential clients.
import { StoreUnavailableError } from '../errors.js';
import {
  checkedForms,
  createTokenEndpoints,
  type GrantRefusal,
  type TokenEndpoints,
  type TokenEndpointsOptions,
} from '../server/endpoints.js';
import { bodyText } from '../server/body-source.js';
import type { RecordStore } from '../server/record-store.js';
import type { TokenService } from '../server/token-service.js';
import {
  ASSERTION_ALGORITHMS,
  type AuthenticatedClient,
  ClientAuthRefusal,
  createClientAuthenticator,
} from './client-auth.js';
import { AUTH_METHODS } from './client-metadata.js';
import type { ClientRegistry, RegisteredClient } from './clients.js';

/**
 * Options of {@link createProviderTokenEndpoints}.
 * @example
 * ```ts
 * const options: ProviderTokenEndpointsOptions = { service, store, clients };
 * ```
 */
export interface ProviderTokenEndpointsOptions {
  service: TokenService;
  store: RecordStore;
  clients: ClientRegistry;
  /** Further grants (e.g. a development password grant); called after client authentication. */
  grants?: TokenEndpointsOptions['grants'];
  /** Longest accepted lifetime of a private_key_jwt assertion in seconds (default 300). */
  maxAssertionLifetime?: number;
  /** Accept `http://127.0.0.1…` jwks_uri for private_key_jwt clients (tests, development). */
  allowHttpJWKS?: boolean;
  /** The authorization_code grant (set by createProvider). */
  authorizationCode?: (params: URLSearchParams, client: RegisteredClient) => Promise<GrantRefusal | Response>;
  /** Replaces the built-in refresh_token grant (set by createProvider: ID tokens, logout, resources). */
  refreshToken?: (params: URLSearchParams, client: RegisteredClient) => Promise<Response>;
  /** Called with every error that became a 5xx. */
  onError?: (error: unknown, request: Request) => void;
  /** The realm of the `Basic` challenge of `invalid_client` answers (default: the issuer). */
  realm?: string;
  /** The clock, in NumericDate seconds. */
  now?: () => number;
}

const MAX_BODY = 16 * 1024;
const CREDENTIALS = ['client_secret', 'client_assertion', 'client_assertion_type'];

const errorResponse = (status: number, error: string, description: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: {
      'content-type': 'application/json;charset=UTF-8',
      'cache-control': 'no-store',
      pragma: 'no-cache',
      ...headers,
    },
  });

/**
 * The token endpoints of the provider: `/token` (authorization_code comes with the authorization
 * endpoint; refresh_token, client_credentials and your own grants), `/revoke`, `/introspect`, JWKS and
 * metadata, with client authentication by client_secret_basic, client_secret_post, private_key_jwt or
 * none, whichever the client registered.
 * @example
 * ```ts
 * const endpoints = createProviderTokenEndpoints({ service, store, clients });
 * app.use(toNodeHandler(endpoints.handle));
 * ```
 */
export function createProviderTokenEndpoints(options: ProviderTokenEndpointsOptions): TokenEndpoints {
  const { service, clients } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const base = service.issuer.replace(/\/+$/, '');
  const realm = (options.realm ?? service.issuer).replace(/["\\\x00-\x1f\x7f]/g, '');
  const challenge = { 'www-authenticate': `Basic realm="${realm}"` };
  const authenticated = new WeakMap<Request, AuthenticatedClient>();
  const authenticate = createClientAuthenticator({
    clients,
    store: options.store,
    issuer: service.issuer,
    endpoints: [`${base}/token`, `${base}/revoke`, `${base}/introspect`],
    now,
    ...(options.maxAssertionLifetime !== undefined ? { maxAssertionLifetime: options.maxAssertionLifetime } : {}),
    ...(options.allowHttpJWKS ? { allowHttpJWKS: true } : {}),
  });
  const extra = options.grants ?? {};
  const supported = new Set([
    'refresh_token',
    'client_credentials',
    ...(options.authorizationCode ? ['authorization_code'] : []),
    ...Object.keys(extra),
  ]);
  const inner = createTokenEndpoints(service, {
    grants: {
      ...extra,
      ...(options.authorizationCode
        ? {
            authorization_code: async (params: URLSearchParams, request: Request) => {
              const who = authenticated.get(request);
              if (!who) return { error: 'invalid_client' as const, error_description: 'Client authentication failed' };
              return options.authorizationCode!(params, who.client);
            },
          }
        : {}),
      client_credentials: async (params, request) => {
        const who = authenticated.get(request);
        if (!who) return { error: 'invalid_client', error_description: 'Client authentication failed' };
        if (!who.client.grant_types.includes('client_credentials'))
          return { error: 'unauthorized_client', error_description: 'The client may not use this grant type' };
        const scope = params.get('scope') ?? who.client.scope;
        if (scope !== undefined && who.client.scope !== undefined) {
          const allowed = new Set(who.client.scope.split(' '));
          if (!scope.split(' ').every((s) => allowed.has(s)))
            return { error: 'invalid_scope', error_description: "The requested scope exceeds the client's scope" };
        }
        return {
          sub: who.client.client_id,
          client_id: who.client.client_id,
          ...(scope !== undefined ? { scope } : {}),
          refreshToken: false, // RFC 6749 §4.4.3: a refresh token SHOULD NOT be included
        };
      },
    },
    authenticateIntrospection: (request) => authenticated.has(request),
    authMethods: {
      token: [...AUTH_METHODS],
      revocation: [...AUTH_METHODS],
      introspection: AUTH_METHODS.filter((m) => m !== 'none'),
    },
    ...(options.onError ? { onError: options.onError } : {}),
  });

  /** Reads the form and authenticates the client; the form, without the client's credentials, goes to checkedForms. */
  const withClient = async (request: Request, publicAllowed: boolean): Promise<Request | Response> => {
    if (request.method !== 'POST') return errorResponse(405, 'invalid_request', 'Use POST', { allow: 'POST' });
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded')
      return errorResponse(
        400,
        'invalid_request',
        'The body must be application/x-www-form-urlencoded (RFC 6749 §3.2)',
      );
    if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY)
      return errorResponse(413, 'invalid_request', 'The request body is too large');
    const text = await bodyText(request);
    if (text.length > MAX_BODY) return errorResponse(413, 'invalid_request', 'The request body is too large');
    const params = new URLSearchParams(text);
    const seen = new Set<string>();
    for (const name of params.keys()) {
      if (seen.has(name) && name !== 'resource')
        // RFC 8707 §2: several resource indicators
        return errorResponse(400, 'invalid_request', `The parameter "${name.slice(0, 40)}" is repeated`);
      seen.add(name);
    }
    let who: AuthenticatedClient;
    try {
      who = await authenticate(request, params);
    } catch (err) {
      if (err instanceof ClientAuthRefusal)
        return errorResponse(err.status, err.error, err.message, err.status === 401 ? challenge : {});
      options.onError?.(err, request);
      return errorResponse(500, 'server_error', 'The server could not complete the request');
    }
    if (!publicAllowed && who.method === 'none')
      return errorResponse(401, 'invalid_client', 'Client authentication failed', challenge);
    for (const name of CREDENTIALS) params.delete(name);
    // The endpoints behind see this same request (the application's grants too: a WeakMap key for the
    // peer address of a login throttle) and take the checked form and the client from these maps; no
    // second Request is built (with its Headers and AbortSignal, ~10% of a client_credentials request).
    // They never look at the Authorization header again: createTokenEndpoints is given no
    // authenticateClient here, so `client_id` in the checked form, set by the authenticator, is the client.
    authenticated.set(request, who);
    checkedForms.set(request, params);
    return request;
  };

  const endpoints: TokenEndpoints = {
    paths: inner.paths,
    async token(request) {
      const next = await withClient(request, true);
      if (next instanceof Response) return next;
      const who = authenticated.get(next)!;
      const params = checkedForms.get(next)!;
      const grantType = params.get('grant_type');
      // A grant type this server does not serve at all is unsupported_grant_type (RFC 6749 §5.2), one it
      // serves but the client may not use is unauthorized_client.
      if (grantType !== null && grantType !== '' && !supported.has(grantType))
        return errorResponse(400, 'unsupported_grant_type', 'The grant type is not supported');
      if (
        grantType !== null &&
        grantType !== '' &&
        !who.client.grant_types.includes(grantType) &&
        !Object.hasOwn(extra, grantType)
      )
        return errorResponse(400, 'unauthorized_client', 'The client may not use this grant type');
      if (grantType === 'refresh_token' && options.refreshToken) {
        try {
          return await options.refreshToken(params, who.client);
        } catch (err) {
          options.onError?.(err, request);
          if (err instanceof StoreUnavailableError)
            return errorResponse(503, 'temporarily_unavailable', 'The token store is unavailable; try again later', {
              'retry-after': '5',
            });
          return errorResponse(500, 'server_error', 'The server could not complete the request');
        }
      }
      return inner.token(next);
    },
    async revoke(request) {
      const next = await withClient(request, true);
      return next instanceof Response ? next : inner.revoke(next);
    },
    async introspect(request) {
      const next = await withClient(request, false);
      if (next instanceof Response) return next;
      const response = await inner.introspect(next);
      if (response.status !== 200) return response;
      // A token of a client that no longer exists (deleted, RFC 7592 §2.3) is inactive.
      const body = (await response.clone().json()) as { active?: boolean; client_id?: unknown };
      if (body.active === true && typeof body.client_id === 'string' && !(await clients.find(body.client_id)))
        return new Response(JSON.stringify({ active: false }), { status: 200, headers: response.headers });
      return response;
    },
    jwks: (request) => inner.jwks(request),
    async metadata(request) {
      const response = await inner.metadata(request);
      if (response.status !== 200) return response;
      const document = (await response.json()) as Record<string, unknown>;
      document.token_endpoint_auth_signing_alg_values_supported = ASSERTION_ALGORITHMS;
      document.revocation_endpoint_auth_signing_alg_values_supported = ASSERTION_ALGORITHMS;
      document.introspection_endpoint_auth_signing_alg_values_supported = ASSERTION_ALGORITHMS;
      return new Response(JSON.stringify(document), { status: 200, headers: response.headers });
    },
    async handle(request) {
      const { pathname } = new URL(request.url);
      if (pathname === inner.paths.token) return endpoints.token(request);
      if (pathname === inner.paths.revoke) return endpoints.revoke(request);
      if (pathname === inner.paths.introspect) return endpoints.introspect(request);
      if (pathname === inner.paths.jwks) return endpoints.jwks(request);
      if (pathname === inner.paths.metadata || pathname === '/.well-known/oauth-authorization-server')
        return endpoints.metadata(request);
      return undefined;
    },
  };
  return endpoints;
}
