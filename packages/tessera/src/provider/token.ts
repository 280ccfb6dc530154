// The token, revocation and introspection endpoints with real client authentication: every request is
// authenticated here (client-auth.ts) against the registry, its form checked, the client's credentials
// removed and `client_id` set to the authenticated client, so the refresh grant is bound to the client that
// authenticated (RFC 6749 §6) and revocation to its own tokens (RFC 7009 §2.1). The built-in grants are
// answered here; revocation, introspection and the application's grants go on to createTokenEndpoints.
// client_credentials (RFC 6749 §4.4) is a grant of confidential clients. Under toNodeHandler the token
// endpoint answers from node's request itself, without a fetch Request (server/node-route.ts).
import {
  checkedForm,
  checkedForms,
  createTokenEndpoints,
  failureResponse,
  type Grant,
  type GrantRefusal,
  grantResponse,
  isFormType,
  type TokenEndpoints,
  type TokenEndpointsOptions,
} from '../server/endpoints.js';
import { bodyText } from '../server/body-source.js';
import { bridgeJSONResponse, type JSONResponder, jsonResponse } from '../server/json-response.js';
import { headerOf, type NodeExchange, withNodeRoute } from '../server/node-route.js';
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
  authorizationCode?: (
    params: URLSearchParams,
    client: RegisteredClient,
    json?: JSONResponder,
  ) => Promise<GrantRefusal | Response>;
  /** Replaces the built-in refresh_token grant (set by createProvider: ID tokens, logout, resources). */
  refreshToken?: (params: URLSearchParams, client: RegisteredClient, json?: JSONResponder) => Promise<Response>;
  /** Called with every error that became a 5xx. */
  onError?: (error: unknown, request: Request) => void;
  /** The realm of the `Basic` challenge of `invalid_client` answers (default: the issuer). */
  realm?: string;
  /** The clock, in NumericDate seconds. */
  now?: () => number;
}

const MAX_BODY = 16 * 1024;
const decoder = new TextDecoder(); // as Request.text(): UTF-8, BOM dropped, bad bytes replaced

/** What the endpoints read of a request: a fetch Request, or a node:http exchange that has no Request yet. */
interface FormInput {
  readonly method: string;
  header(name: string): string | null;
  text(): string | Promise<string>;
  /** The Request, for callbacks that take one (built on first call for a node:http exchange). */
  request(): Request;
  /** How the answer is built: a fetch Response, or one only the node:http bridge sends (json-response.ts). */
  json: JSONResponder;
}

const formInput = (request: Request): FormInput => ({
  method: request.method,
  header: (name) => request.headers.get(name),
  text: () => bodyText(request),
  request: () => request,
  json: jsonResponse,
});
const CREDENTIALS = ['client_secret', 'client_assertion', 'client_assertion_type'];

const errorResponse = (
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
  json: JSONResponder = jsonResponse,
) => json(status, { error, error_description: description }, headers);

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
  // RFC 6749 §4.4: the access token alone, for the client itself, within the client's scope.
  const clientCredentials = (params: URLSearchParams, who: AuthenticatedClient): Grant | GrantRefusal => {
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
  };
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
        return clientCredentials(params, who);
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

  /**
   * Reads the form and authenticates the client: the form (without the client's credentials, `client_id`
   * set to the authenticated client) and the client, or the error response.
   */
  const readClient = async (
    input: FormInput,
    publicAllowed: boolean,
  ): Promise<{ who: AuthenticatedClient; params: URLSearchParams } | Response> => {
    if (input.method !== 'POST') return errorResponse(405, 'invalid_request', 'Use POST', { allow: 'POST' });
    if (!isFormType(input.header('content-type')))
      return errorResponse(
        400,
        'invalid_request',
        'The body must be application/x-www-form-urlencoded (RFC 6749 §3.2)',
      );
    if (Number(input.header('content-length') ?? 0) > MAX_BODY)
      return errorResponse(413, 'invalid_request', 'The request body is too large');
    // Read outside the try: a body that fails to arrive (the client went away mid-upload) rejects the
    // handler, as a client abort, rather than being reported to onError as a server failure.
    const text = await input.text();
    let params: URLSearchParams;
    let who: AuthenticatedClient;
    try {
      params = checkedForm(text, MAX_BODY);
      who = await authenticate(input.header('authorization'), params);
    } catch (err) {
      if (err instanceof ClientAuthRefusal)
        return errorResponse(err.status, err.error, err.message, err.status === 401 ? challenge : {});
      return failureResponse(err, (error) => options.onError?.(error, input.request()));
    }
    if (!publicAllowed && who.method === 'none')
      return errorResponse(401, 'invalid_client', 'Client authentication failed', challenge);
    for (const name of CREDENTIALS) params.delete(name);
    return { who, params };
  };

  /**
   * Hands an authenticated request to the inner endpoints: they see the Request (the application's grants
   * too: a WeakMap key for the peer address of a login throttle) and take the checked form and the client
   * from these maps, and never look at the Authorization header again (createTokenEndpoints is given no
   * authenticateClient here, so `client_id` in the checked form, set by the authenticator, is the client).
   */
  const handOn = (request: Request, who: AuthenticatedClient, params: URLSearchParams): Request => {
    authenticated.set(request, who);
    checkedForms.set(request, params);
    return request;
  };

  /** The token endpoint, for a request from fetch or from the node:http bridge. */
  const token = async (input: FormInput): Promise<Response> => {
    const read = await readClient(input, true);
    if (read instanceof Response) return read;
    const { who, params } = read;
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
    // The built-in grants are answered here, without a Request; the application's grants (and a missing
    // grant_type, refused by the inner endpoint) get one.
    const builtIn =
      (grantType === 'refresh_token' && options.refreshToken !== undefined) ||
      (grantType === 'authorization_code' && options.authorizationCode !== undefined) ||
      grantType === 'client_credentials';
    if (!builtIn) return inner.token(handOn(input.request(), who, params));
    try {
      if (grantType === 'refresh_token') return await options.refreshToken!(params, who.client, input.json);
      const grant =
        grantType === 'authorization_code'
          ? await options.authorizationCode!(params, who.client, input.json)
          : clientCredentials(params, who);
      return await grantResponse(service, grantType!, grant, challenge, input.json);
    } catch (err) {
      return failureResponse(err, (error) => options.onError?.(error, input.request()));
    }
  };

  /** The token endpoint for a node:http request with its body in hand (see server/node-route.ts). */
  const tokenRoute = (exchange: NodeExchange): Promise<Response> | undefined => {
    const { target } = exchange;
    const path = inner.paths.token;
    if (exchange.method !== 'POST') return undefined;
    // Only the exact path (with or without a query) is taken; any other spelling goes the fetch way.
    if (!(target.startsWith(path) && (target.length === path.length || target[path.length] === '?'))) return undefined;
    return token({
      method: exchange.method,
      header: (name) => headerOf(exchange.headers, name),
      text: () => decoder.decode(exchange.body),
      request: exchange.request,
      json: bridgeJSONResponse,
    });
  };

  const endpoints: TokenEndpoints = {
    paths: inner.paths,
    token: (request) => token(formInput(request)),
    async revoke(request) {
      const read = await readClient(formInput(request), true);
      return read instanceof Response ? read : inner.revoke(handOn(request, read.who, read.params));
    },
    async introspect(request) {
      const read = await readClient(formInput(request), false);
      if (read instanceof Response) return read;
      const response = await inner.introspect(handOn(request, read.who, read.params));
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
  withNodeRoute(endpoints.handle, tokenRoute);
  return endpoints;
}
