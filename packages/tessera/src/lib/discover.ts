// Authorization server discovery (RFC 8414, OpenID Connect Discovery 1.0) for both entries: it needs
// nothing but `fetch` (through fetch-json.ts: deadline, byte cap, same-host redirects, https unless
// allowHttp), so the Node `discover` and the web `discover` are this one function.
import { JWKSClientError } from '../errors.js';
import type { Duration } from '../types.js';
import { fetchJSON, normalizeHTTPOptions, parseEndpointURL } from './fetch-json.js';
import { checkOptionNames, optionNames } from './options.js';

/**
 * The HTTP options of {@link discover}; `RemoteJWKSetOptions` has the same ones and more.
 * @example
 * ```ts
 * const options: DiscoveryOptions = { timeout: '3s', headers: { 'user-agent': 'my-api/1.0' } };
 * const metadata = await discover('https://auth.example.com', options);
 * ```
 */
export interface DiscoveryOptions {
  /** Allow `http:` URLs (default `false`: only `https:`). For local development and tests only. */
  allowHttp?: boolean;
  /** The deadline for one whole fetch, redirects and body included (default `'5s'`). */
  timeout?: Duration;
  /** The largest response body read, in bytes (default 1 MiB); reading stops beyond it. */
  maxResponseBytes?: number;
  /** Extra request headers (e.g. `user-agent`, or an API gateway's key). */
  headers?: Headers | Record<string, string> | Array<[string, string]>;
  /** The fetch implementation (default `globalThis.fetch`): an undici fetch with a proxy agent, a test double … */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Aborts fetches in progress (e.g. at shutdown). */
  signal?: AbortSignal;
  /** The deepest JSON nesting accepted in a response (default 256); a deeper document is refused while it is parsed. */
  maxJSONDepth?: number;
}

// Typed as a record of every key, so an option added to DiscoveryOptions must be added here too.
const DISCOVERY_OPTIONS: Record<keyof DiscoveryOptions, true> = {
  allowHttp: true,
  timeout: true,
  maxResponseBytes: true,
  headers: true,
  fetch: true,
  signal: true,
  maxJSONDepth: true,
};
/** Internal: the option names of {@link discover}, which `createRemoteJWKSet` accepts too. */
export const DISCOVERY_OPTION_NAMES = optionNames(Object.keys(DISCOVERY_OPTIONS));

/**
 * Authorization server metadata (RFC 8414 §2, OpenID Connect Discovery 1.0 §3): the common members are
 * typed; any other member is kept as is.
 * @example
 * ```ts
 * const { issuer, jwks_uri, token_endpoint }: AuthorizationServerMetadata = await discover('https://auth.example.com');
 * ```
 */
export interface AuthorizationServerMetadata {
  /** The issuer identifier; {@link discover} checks that it equals the requested one exactly. */
  issuer: string;
  /** Where the server publishes its JWK Set: give it to `createRemoteJWKSet`. */
  jwks_uri?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  registration_endpoint?: string;
  introspection_endpoint?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  pushed_authorization_request_endpoint?: string;
  device_authorization_endpoint?: string;
  scopes_supported?: string[];
  response_types_supported?: string[];
  response_modes_supported?: string[];
  grant_types_supported?: string[];
  subject_types_supported?: string[];
  claims_supported?: string[];
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  token_endpoint_auth_signing_alg_values_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
  userinfo_signing_alg_values_supported?: string[];
  introspection_endpoint_auth_methods_supported?: string[];
  revocation_endpoint_auth_methods_supported?: string[];
  [member: string]: unknown;
}

const STRING_MEMBERS = [
  'jwks_uri',
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'registration_endpoint',
  'introspection_endpoint',
  'revocation_endpoint',
  'end_session_endpoint',
  'pushed_authorization_request_endpoint',
  'device_authorization_endpoint',
];

function checkMembers(metadata: Record<string, unknown>, fail: (reason: string) => never): void {
  if (typeof metadata.issuer !== 'string') fail('the metadata has no "issuer" string');
  for (const name of STRING_MEMBERS) {
    if (metadata[name] !== undefined && typeof metadata[name] !== 'string')
      fail(`the metadata "${name}" is not a string`);
  }
  for (const name of Object.keys(metadata)) {
    if (!name.endsWith('_supported')) continue;
    const value = metadata[name];
    // Most are lists (…_values_supported, scopes_supported); the OpenID Connect Discovery flags
    // (claims_parameter_supported, frontchannel_logout_supported, RFC 9207's
    // authorization_response_iss_parameter_supported …) are booleans.
    if (typeof value === 'boolean') continue;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
      fail(`the metadata "${name}" is not an array of strings (nor a boolean flag)`);
  }
}

// RFC 8414 §3.1 inserts the well-known segment between the host and the issuer's path, while OpenID
// Connect Discovery §4 appends it; for an issuer without a path the two coincide in shape.
function wellKnownURLs(issuer: URL): URL[] {
  const path = issuer.pathname.replace(/\/$/, '');
  return [
    new URL(`${issuer.origin}${path}/.well-known/openid-configuration`),
    new URL(`${issuer.origin}/.well-known/oauth-authorization-server${path}`),
  ];
}

/**
 * Fetches an authorization server's metadata: OpenID Connect Discovery
 * (`{issuer}/.well-known/openid-configuration`) first, then RFC 8414
 * (`/.well-known/oauth-authorization-server` inserted before the issuer's path) when the first answers
 * with a 4xx status. The returned `issuer` must equal `issuer` exactly (RFC 8414 §3.3, OpenID Connect
 * Discovery §4.3): a mismatch is a {@link JWKSClientError}, because accepting it opens the door to
 * mix-up attacks. Other failures are {@link JWKSClientError}s (a {@link JWKSTimeoutError} past `timeout`).
 *
 * @example
 * ```ts
 * import { createRemoteJWKSet, discover, verifyJWT } from 'tessera-jwt';
 * const metadata = await discover('https://accounts.example.com');
 * const jwks = createRemoteJWKSet(metadata); // uses metadata.jwks_uri
 * const claims = await verifyJWT(idToken, jwks, { algorithms: ['RS256'], issuer: metadata.issuer, audience: 'my-client-id' });
 * ```
 */
export async function discover(issuer: string, options: DiscoveryOptions = {}): Promise<AuthorizationServerMetadata> {
  if (typeof issuer !== 'string')
    throw new TypeError('"issuer" must be a string (it is compared exactly with the metadata\'s "issuer")');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkOptionNames(options, DISCOVERY_OPTION_NAMES, 'discover');
  const http = normalizeHTTPOptions(options, 'application/json');
  const issuerURL = parseEndpointURL(issuer, 'issuer', http.allowHttp);
  if (issuer.includes('?') || issuer.includes('#'))
    throw new TypeError('"issuer" must not have a query or a fragment (RFC 8414 §2)');
  const [openid, oauth] = wellKnownURLs(issuerURL) as [URL, URL];
  const what = 'authorization server metadata';
  const fetched =
    (await fetchJSON(openid, http, what, (status) => status >= 400 && status < 500)) ??
    (await fetchJSON(oauth, http, what));
  const fail = (reason: string): never => {
    throw new JWKSClientError(`the ${what} from ${fetched.url.origin + fetched.url.pathname} is not usable: ${reason}`);
  };
  const metadata = fetched.value;
  checkMembers(metadata, fail);
  if (metadata.issuer !== issuer) {
    const actual = metadata.issuer as string;
    const hint =
      actual.replace(/\/$/, '') === issuer.replace(/\/$/, '') ? ' (they differ by a trailing slash, which counts)' : '';
    fail(`its "issuer" is not "${issuer}"${hint}; refusing it prevents mix-up attacks (RFC 8414 §3.3)`);
  }
  return metadata as AuthorizationServerMetadata;
}
