// createProvider: the pieces composed into one fetch-style handler — the authorization endpoint with its
// interaction API, the token endpoints with client authentication and the authorization_code grant, and
// the metadata that says so.
import { checkOptionNames, optionNames } from '../internal.js';
import type { TokenEndpointsOptions } from '../server/endpoints.js';
import type { RecordStore } from '../server/record-store.js';
import type { TokenStore } from '../server/store.js';
import type { TokenService } from '../server/token-service.js';
import { createAuthorization, type InteractionDetails, type InteractionResult } from './authorize.js';
import type { ClientRegistry } from './clients.js';
import { createCodeGrant } from './code-grant.js';
import { createProviderTokenEndpoints } from './token.js';

/**
 * Options of {@link createProvider}.
 * @example
 * ```ts
 * const options: ProviderOptions = { service, store, clients, interactionUrl: '/interaction' };
 * ```
 */
export interface ProviderOptions {
  /** The token service (its issuer is the provider's issuer; its keys sign every token). */
  service: TokenService;
  /** The store of the token service, also holding the provider's records. */
  store: TokenStore & RecordStore;
  clients: ClientRegistry;
  /** Where the browser is sent to sign in or consent (`?uid=…` is added); your UI calls finishInteraction. */
  interactionUrl: string;
  /** Scopes clients may request (default `openid profile email offline_access`). */
  scopes?: readonly string[];
  /** Lifetime of the provider session in seconds (default 14 days). */
  sessionTTL?: number;
  /** Further token grants (a development password grant…), called after client authentication. */
  grants?: TokenEndpointsOptions['grants'];
  /** Accept `http://127.0.0.1…` jwks_uri for private_key_jwt clients (tests, development). */
  allowHttpJWKS?: boolean;
  onError?: (error: unknown, request: Request) => void;
  /** The clock, in NumericDate seconds (default: now). */
  now?: () => number;
}

/**
 * The provider {@link createProvider} returns.
 * @example
 * ```ts
 * app.use(toNodeHandler(provider.handle));
 * ```
 */
export interface Provider {
  /** Routes `/authorize`, `/token`, `/revoke`, `/introspect`, JWKS and metadata; undefined for other paths. */
  handle(request: Request): Promise<Response | undefined>;
  /** The authorization endpoint. */
  authorize(request: Request): Promise<Response>;
  /** The pending interaction of this browser (`uid` from the query by default), or undefined. */
  interactionDetails(request: Request, uid?: string): Promise<InteractionDetails | undefined>;
  /** Finishes the interaction: the response redirects the browser on (to the client, or to the next prompt). */
  finishInteraction(request: Request, result: InteractionResult, uid?: string): Promise<Response>;
}

const OPTIONS = optionNames([
  'service',
  'store',
  'clients',
  'interactionUrl',
  'scopes',
  'sessionTTL',
  'grants',
  'allowHttpJWKS',
  'onError',
  'now',
]);

/**
 * Creates an OAuth 2.1 authorization server / OpenID provider on a token service and a store.
 * @example
 * ```ts
 * import { createClientRegistry, createProvider } from 'tessera-jwt/provider';
 * const clients = createClientRegistry({ store });
 * const provider = createProvider({ service, store, clients, interactionUrl: '/interaction' });
 * ```
 */
export function createProvider(options: ProviderOptions): Provider {
  if (options === null || typeof options !== 'object') throw new TypeError('createProvider options must be an object');
  checkOptionNames(options, OPTIONS, 'createProvider');
  const { service, store, clients } = options;
  if (typeof options.interactionUrl !== 'string' || options.interactionUrl === '')
    throw new TypeError('"interactionUrl" option must be a URL or a path');
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const scopes = new Set(options.scopes ?? ['openid', 'profile', 'email', 'offline_access']);
  const authorization = createAuthorization({
    store,
    clients,
    issuer: service.issuer,
    scopes,
    interactionUrl: options.interactionUrl,
    sessionTTL: options.sessionTTL ?? 14 * 86400,
    now,
  });
  const endpoints = createProviderTokenEndpoints({
    service,
    store,
    clients,
    now,
    authorizationCode: createCodeGrant({ store, service, now }),
    ...(options.grants ? { grants: options.grants } : {}),
    ...(options.allowHttpJWKS ? { allowHttpJWKS: true } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const base = service.issuer.replace(/\/+$/, '');
  return {
    authorize: authorization.authorize,
    interactionDetails: authorization.interactionDetails,
    finishInteraction: authorization.finishInteraction,
    async handle(request) {
      const { pathname } = new URL(request.url);
      if (pathname === '/authorize') return authorization.authorize(request);
      if (pathname === endpoints.paths.metadata || pathname === '/.well-known/oauth-authorization-server') {
        const response = await endpoints.metadata(request);
        if (response.status !== 200) return response;
        const document = (await response.json()) as Record<string, unknown>;
        Object.assign(document, {
          authorization_endpoint: `${base}/authorize`,
          response_types_supported: ['code'],
          response_modes_supported: ['query'],
          code_challenge_methods_supported: ['S256'],
          scopes_supported: [...scopes],
          authorization_response_iss_parameter_supported: true,
        });
        return new Response(JSON.stringify(document), { status: 200, headers: response.headers });
      }
      return endpoints.handle(request);
    },
  };
}
