// createProvider: the pieces composed into one fetch-style handler — the authorization endpoint with its
// interaction API, the token endpoints with client authentication and the authorization_code grant, and
// the metadata that says so.
import { timingSafeEqual } from 'node:crypto';
import { checkOptionNames, optionNames } from '../internal.js';
import type { TokenEndpointsOptions } from '../server/endpoints.js';
import type { RecordStore } from '../server/record-store.js';
import type { TokenStore } from '../server/store.js';
import type { TokenService } from '../server/token-service.js';
import { createAuthorization, type InteractionDetails, type InteractionResult } from './authorize.js';
import type { ClientRegistry } from './clients.js';
import { createCodeGrant } from './code-grant.js';
import { createIDTokens, idTokenAlgorithms } from './id-token.js';
import { createBackchannelLogout } from './backchannel.js';
import { createCORS, withCORSHeaders } from './cors.js';
import { createLogout } from './logout.js';
import { createMetadata, ID_TOKEN_CLAIMS, type MetadataContribution } from './metadata.js';
import { consentPage, errorPage, loginPage } from './pages.js';
import { createRefreshGrant } from './refresh-grant.js';
import { checkRegistrationOptions, createRegistration, type RegistrationOptions } from './registration.js';
import { isResourceIndicator } from './resources.js';
import { createLoginThrottle, type LoginThrottle } from './throttle.js';
import { createProviderTokenEndpoints } from './token.js';
import { tokenServiceSigner } from '../server/token-service.js';
import { nodeRouteOf, withNodeRoute } from '../server/node-route.js';
import { type AccountClaims, createUserinfo, SCOPE_CLAIMS } from './userinfo.js';

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
  /**
   * Checks a username and password for the built-in login page: the account's `sub`, or undefined. Do the
   * same password-hash work for an unknown user as for a wrong password (equal response times). Without
   * it, your own UI at `interactionUrl` calls interactionDetails/finishInteraction.
   */
  authenticate?: (
    username: string,
    password: string,
    request: Request,
  ) => Promise<{ sub: string; amr?: string[] } | undefined> | { sub: string; amr?: string[] } | undefined;
  /** Scopes clients may request (default `openid profile email offline_access`). */
  scopes?: readonly string[];
  /** Lifetime of the provider session in seconds (default 14 days). */
  sessionTTL?: number;
  /** Further token grants (a development password grant…), called after client authentication. */
  grants?: TokenEndpointsOptions['grants'];
  /**
   * The claims of an account for userinfo (like node-oidc-provider's findAccount → claims()): return
   * every claim you have (`name`, `email`, `email_verified`…); the provider releases those of the
   * granted scopes only (`profile`, `email`, `address`, `phone`, and `scopeClaims`). Undefined: the
   * account is gone (401 invalid_token). Without it, userinfo answers `sub` alone.
   */
  findAccount?: (sub: string) => AccountClaims | undefined | Promise<AccountClaims | undefined>;
  /** Claims per scope, added to (or replacing) the standard OpenID Connect ones, e.g. `{ groups: ['groups'] }`. */
  scopeClaims?: Record<string, readonly string[]>;
  /**
   * The resource indicators (RFC 8707) clients may request, as absolute URIs (default: the token
   * service's `audience`); the access token's `aud` becomes the requested ones.
   */
  resources?: readonly string[];
  /** ID token lifetime in seconds (default 3600). */
  idTokenTTL?: number;
  /** Called after a logout ended a provider session. */
  onLogout?: (session: { sub: string; sid?: string }) => void | Promise<void>;
  /** Accept `http://127.0.0.1…` jwks_uri for private_key_jwt clients (tests, development). */
  allowHttpJWKS?: boolean;
  onError?: (error: unknown, request: Request) => void;
  /** The clock, in NumericDate seconds (default: now). */
  now?: () => number;
  /**
   * RFC 7591/7592 dynamic client registration at `/register` (off by default). `{ enabled: true }` alone
   * is open registration; add `initialAccessToken` to gate it.
   */
  registration?: RegistrationOptions;
  /** The realm of the token endpoints' `Basic` challenge (default: the issuer). */
  realm?: string;
  /** The login throttle of the built-in login page (default: a new one); share one with your other logins. */
  loginThrottle?: LoginThrottle;
}

/**
 * The provider {@link createProvider} returns.
 * @example
 * ```ts
 * app.use(toNodeHandler(provider.handle));
 * ```
 */
export interface Provider {
  /**
   * Routes `/authorize`, the built-in pages at `interactionUrl` (with `authenticate`), `/token`, `/revoke`,
   * `/introspect`, `/userinfo`, `/logout` (RP-Initiated Logout, and `/logout/confirm`), JWKS and
   * metadata, `/register` and `/register/{client_id}` (with `registration`), CORS preflights (OPTIONS) of
   * the token, revocation, userinfo, JWKS and metadata paths; undefined for other paths.
   * `connection.remoteAddress` (given by toNodeHandler) keys the login throttle.
   */
  handle(request: Request, connection?: { remoteAddress?: string | undefined }): Promise<Response | undefined>;
  /** The authorization endpoint. */
  authorize(request: Request): Promise<Response>;
  /** The pending interaction of this browser (`uid` from the query by default), or undefined. */
  interactionDetails(request: Request, uid?: string): Promise<InteractionDetails | undefined>;
  /** Finishes the interaction: the response redirects the browser on (to the client, or to the next prompt). */
  finishInteraction(request: Request, result: InteractionResult, uid?: string): Promise<Response>;
  /**
   * Applies the provider's CORS policy to another handler of yours (your own `/userinfo`): preflights
   * answered, `Access-Control-Allow-Origin` only for origins of registered redirect URIs.
   */
  withCORS<A extends unknown[]>(
    handler: (request: Request, ...rest: A) => Promise<Response | undefined>,
  ): (request: Request, ...rest: A) => Promise<Response | undefined>;
}

const OPTIONS = optionNames([
  'service',
  'store',
  'clients',
  'interactionUrl',
  'authenticate',
  'scopes',
  'sessionTTL',
  'grants',
  'findAccount',
  'scopeClaims',
  'resources',
  'idTokenTTL',
  'onLogout',
  'allowHttpJWKS',
  'onError',
  'now',
  'registration',
  'realm',
  'loginThrottle',
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
  const signer = tokenServiceSigner(service);
  if (!signer) throw new TypeError('"service" option must be a token service made by createTokenService');
  if (options.findAccount !== undefined && typeof options.findAccount !== 'function')
    throw new TypeError('"findAccount" option must be a function');
  if (options.onLogout !== undefined && typeof options.onLogout !== 'function')
    throw new TypeError('"onLogout" option must be a function');
  const idTokenTTL = options.idTokenTTL ?? 3600;
  if (typeof idTokenTTL !== 'number' || !Number.isInteger(idTokenTTL) || idTokenTTL <= 0 || idTokenTTL > 86400)
    throw new TypeError('"idTokenTTL" option must be a whole number of seconds between 1 and 86400');
  const scopeClaims: Record<string, readonly string[]> = { ...SCOPE_CLAIMS };
  if (options.scopeClaims !== undefined) {
    if (options.scopeClaims === null || typeof options.scopeClaims !== 'object')
      throw new TypeError('"scopeClaims" option must be an object of claim-name arrays');
    for (const [scope, names] of Object.entries(options.scopeClaims)) {
      if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && n !== ''))
        throw new TypeError(`"scopeClaims.${scope}" must be an array of claim names`);
      if (names.some((n) => (ID_TOKEN_CLAIMS as readonly string[]).includes(n)))
        throw new TypeError(`"scopeClaims.${scope}" may not release a claim the provider sets (sub, iss, aud…)`);
      scopeClaims[scope] = [...names];
    }
  }
  const resources = [
    ...(options.resources ?? (typeof service.audience === 'string' ? [service.audience] : service.audience)),
  ];
  if (options.resources !== undefined && !resources.every((r) => typeof r === 'string' && isResourceIndicator(r)))
    throw new TypeError('"resources" option must be absolute URIs without a fragment');
  const resourceSet = new Set(resources.filter((r) => isResourceIndicator(r)));
  const idTokens = createIDTokens(service, { lifetime: idTokenTTL });
  const sessionTTL = options.sessionTTL ?? 14 * 86400;
  const authorization = createAuthorization({
    store,
    clients,
    issuer: service.issuer,
    scopes,
    interactionUrl: options.interactionUrl,
    sessionTTL,
    now,
    resourceAllowed: (resource) => resourceSet.has(resource),
    idTokenAlgorithm: idTokens.algorithm,
  });
  const endpoints = createProviderTokenEndpoints({
    service,
    store,
    clients,
    now,
    authorizationCode: createCodeGrant({
      store,
      service,
      now,
      idTokens,
      sessionTTL,
      familyLifetime: Math.max(signer.absoluteTTL, 86400),
    }),
    refreshToken: createRefreshGrant({ store, service, idTokens, now }),
    ...(options.grants ? { grants: options.grants } : {}),
    ...(options.allowHttpJWKS ? { allowHttpJWKS: true } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.realm !== undefined ? { realm: options.realm } : {}),
  });
  const base = service.issuer.replace(/\/+$/, '');
  const authenticate = options.authenticate;
  if (authenticate !== undefined && typeof authenticate !== 'function')
    throw new TypeError('"authenticate" option must be a function');
  const interactionPath = new URL(options.interactionUrl, service.issuer).pathname;
  const throttle = options.loginThrottle ?? createLoginThrottle();
  // --- Dynamic client registration (RFC 7591/7592) and CORS (h-dcr) ---
  const cors = createCORS({
    store,
    now,
    paths: {
      public: [
        endpoints.paths.metadata,
        '/.well-known/oauth-authorization-server',
        endpoints.paths.jwks,
        '/.well-known/oauth-protected-resource',
      ],
      restricted: { [endpoints.paths.token]: 'POST', [endpoints.paths.revoke]: 'POST', '/userinfo': 'GET, POST' },
    },
  });
  const registration = createRegistration({
    clients,
    issuer: service.issuer,
    scopes,
    settings: options.registration === undefined ? {} : checkRegistrationOptions(options.registration),
    onChange: () => cors.invalidate(),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const userinfoPath = '/userinfo';
  const logoutPath = '/logout';
  const userinfo = createUserinfo({
    service,
    scopeClaims,
    now,
    realm: service.issuer.replace(/[^\x20-\x7e]|["\\]/g, ''),
    ...(options.findAccount ? { findAccount: options.findAccount } : {}),
  });
  const logout = createLogout({
    store,
    clients,
    service,
    path: logoutPath,
    now,
    backchannel: createBackchannelLogout({
      service,
      store,
      clients,
      onError: (error) => options.onError?.(error, new Request(`${base}${logoutPath}`)),
    }),
    ...(options.onLogout ? { onLogout: options.onLogout } : {}),
  });
  /** The provider's part of the metadata; further features add theirs to `contributions`. */
  const contributions: MetadataContribution[] = [
    () => ({
      authorization_endpoint: `${base}/authorize`,
      userinfo_endpoint: `${base}${userinfoPath}`,
      end_session_endpoint: `${base}${logoutPath}`,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: [...scopes],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: idTokenAlgorithms(service),
      claims_supported: [...new Set([...ID_TOKEN_CLAIMS, ...[...scopes].flatMap((scope) => scopeClaims[scope] ?? [])])],
      claim_types_supported: ['normal'],
      claims_parameter_supported: false,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      authorization_response_iss_parameter_supported: true,
    }),
  ];
  // registration_endpoint when dynamic registration is on.
  contributions.push(() => registration.metadata());
  const metadata = createMetadata({ base: (request) => endpoints.metadata(request), contributions });
  const sameToken = (a: string, b: string) =>
    a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

  /** The built-in login and consent pages (GET renders, POST checks the CSRF token and finishes). */
  const pages = async (request: Request, address: string): Promise<Response> => {
    const expired = () => errorPage(400, 'Sign-in expired', 'Go back to the application and start again.');
    if (request.method === 'GET' || request.method === 'HEAD') {
      const details = await authorization.interactionDetails(request);
      if (!details) return expired();
      const common = {
        action: interactionPath,
        uid: details.uid,
        csrf: details.csrfToken,
        clientName: details.client.client_name ?? details.client.client_id,
        redirectTo: details.params.redirect_uri,
      };
      return details.prompt === 'login'
        ? loginPage({ ...common, ...(details.params.login_hint ? { loginHint: details.params.login_hint } : {}) })
        : consentPage({ ...common, scopes: details.params.scope.split(' '), sub: details.session!.sub });
    }
    if (request.method !== 'POST')
      return errorPage(405, 'Method not allowed', 'Use GET or POST.', { allow: 'GET, POST' });
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const text = type === 'application/x-www-form-urlencoded' ? await request.text() : '';
    if (text.length > 8192) return errorPage(413, 'Invalid request', 'The form is too large.');
    const form = new URLSearchParams(text);
    const uid = form.get('uid') ?? '';
    const details = await authorization.interactionDetails(request, uid);
    if (!details) return expired();
    // CSRF: the form must carry this interaction's token (and the interaction cookie binds it to the browser).
    if (!sameToken(form.get('csrf') ?? '', details.csrfToken))
      return errorPage(403, 'Invalid request', 'The form has expired or was not sent by this page.');
    const common = {
      action: interactionPath,
      uid,
      csrf: details.csrfToken,
      clientName: details.client.client_name ?? details.client.client_id,
      redirectTo: details.params.redirect_uri,
    };
    if (details.prompt === 'consent') {
      if (form.get('prompt') !== 'consent') return expired();
      return authorization.finishInteraction(
        request,
        form.get('decision') === 'allow' ? { consent: {} } : { error: 'access_denied' },
        uid,
      );
    }
    if (form.get('prompt') !== 'login') return expired();
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    if (username === '' || password === '' || username.length > 256 || password.length > 1024)
      return loginPage({ ...common, message: 'Enter your username and password.', status: 400 });
    const wait = throttle.wait(username, address);
    if (wait > 0)
      return errorPage(429, 'Too many attempts', `Too many failed sign-ins. Try again in ${Math.ceil(wait)} seconds.`, {
        'retry-after': String(Math.ceil(wait)),
      });
    const account = await authenticate!(username, password, request);
    if (!account) {
      throttle.failed(username, address);
      return loginPage({ ...common, message: 'The username or password is wrong.', status: 401, loginHint: username });
    }
    throttle.succeeded(username, address);
    return authorization.finishInteraction(request, { login: { sub: account.sub, amr: account.amr ?? ['pwd'] } }, uid);
  };
  const provider: Omit<Provider, 'withCORS'> = {
    authorize: authorization.authorize,
    interactionDetails: authorization.interactionDetails,
    finishInteraction: authorization.finishInteraction,
    async handle(request, connection) {
      const { pathname } = new URL(request.url);
      // h-dcr: /register and /register/{client_id} (undefined unless registration is enabled).
      const registered = await registration.handle(request);
      if (registered) return registered;
      if (pathname === '/authorize') return authorization.authorize(request);
      if (authenticate && pathname === interactionPath) return pages(request, connection?.remoteAddress ?? 'unknown');
      if (pathname === endpoints.paths.metadata || pathname === '/.well-known/oauth-authorization-server')
        return metadata(request);
      if (pathname === userinfoPath) return userinfo(request);
      if (pathname === logoutPath) return logout.endSession(request);
      if (pathname === logout.confirmPath) return logout.confirm(request);
      return endpoints.handle(request);
    },
  };
  // h-dcr: the CORS policy applies to whatever the provider answers (preflights included).
  const handle = cors.wrap(provider.handle);
  // The node:http shortcut to the token endpoint (server/node-route.ts), for a POST without an Origin: no
  // preflight and no origin to check, so what cors.wrap adds to its answer is `Vary: Origin` alone.
  const tokenRoute = nodeRouteOf(endpoints.handle)!;
  withNodeRoute(handle, (exchange) => {
    if (exchange.method !== 'POST' || exchange.headers.origin !== undefined) return undefined;
    return tokenRoute(exchange)?.then((response) => withCORSHeaders(response, undefined));
  });
  return { ...provider, handle, withCORS: (handler) => cors.wrap(handler) };
}
