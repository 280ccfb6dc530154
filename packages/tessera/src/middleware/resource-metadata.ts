// RFC 9728 OAuth 2.0 Protected Resource Metadata: the document an API publishes at
// /.well-known/oauth-protected-resource (plus the resource's path, §3.1) naming its authorization
// servers, so a client that met a 401 with `resource_metadata` (the middleware's `resourceMetadata`
// option) can find where to get a token. Pure data: serve it with any framework.

/**
 * The input of {@link protectedResourceMetadata}.
 * @example
 * ```ts
 * const input: ProtectedResourceMetadataOptions = { resource: 'https://api.example', authorizationServers: ['https://id.example'] };
 * ```
 */
export interface ProtectedResourceMetadataOptions {
  /** The resource identifier: an https (or http) URL without query or fragment (RFC 9728 §2). */
  resource: string;
  /** Issuers of the authorization servers whose tokens the API accepts. */
  authorizationServers: readonly string[];
  /** Scopes the API understands. */
  scopesSupported?: readonly string[];
  /** How the API accepts the token (default `['header']`: the middleware's Authorization header). */
  bearerMethodsSupported?: ReadonlyArray<'header' | 'body' | 'query'>;
  /** A human-readable name. */
  resourceName?: string;
  /** Documentation for developers. */
  resourceDocumentation?: string;
  /** Further members (RFC 9728 §2 allows others), merged last. */
  extra?: Record<string, unknown>;
}

/**
 * The RFC 9728 §2 metadata document as returned by the well-known URL (`resource`, `authorization_servers`,
 * `bearer_methods_supported`, …).
 * @example
 * ```ts
 * const doc: ProtectedResourceMetadata = protectedResourceMetadata({ resource, authorizationServers: [issuer] });
 * ```
 */
export interface ProtectedResourceMetadata extends Record<string, unknown> {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
  scopes_supported?: string[];
}

const resourceURL = (value: unknown, name: string): URL => {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {}
  if (!url || !['https:', 'http:'].includes(url.protocol) || url.search !== '' || url.hash !== '')
    throw new TypeError(`"${name}" must be an absolute https (or http) URL without query or fragment`);
  return url;
};

/**
 * Builds the RFC 9728 protected-resource metadata document of an API (TypeError for a malformed input).
 * @example
 * ```ts
 * import { protectedResourceMetadata, protectedResourceMetadataURL } from 'tessera-jwt/express';
 * const doc = protectedResourceMetadata({ resource: 'https://api.example', authorizationServers: ['https://id.example'] });
 * app.get(new URL(protectedResourceMetadataURL(doc.resource)).pathname, (req, res) => res.json(doc));
 * ```
 */
export function protectedResourceMetadata(options: ProtectedResourceMetadataOptions): ProtectedResourceMetadata {
  if (options === null || typeof options !== 'object')
    throw new TypeError('protectedResourceMetadata options must be an object');
  const known = [
    'resource',
    'authorizationServers',
    'scopesSupported',
    'bearerMethodsSupported',
    'resourceName',
    'resourceDocumentation',
    'extra',
  ];
  for (const name of Object.keys(options))
    if (!known.includes(name)) throw new TypeError(`protectedResourceMetadata: unknown option "${name}"`);
  resourceURL(options.resource, 'resource');
  const servers = options.authorizationServers;
  if (!Array.isArray(servers) || servers.length === 0)
    throw new TypeError('"authorizationServers" must be a non-empty array of issuer URLs');
  for (const server of servers) resourceURL(server, 'authorizationServers');
  const list = (value: unknown, name: string): string[] | undefined => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== ''))
      throw new TypeError(`"${name}" must be an array of non-empty strings`);
    return [...value];
  };
  const methods = list(options.bearerMethodsSupported, 'bearerMethodsSupported') ?? ['header'];
  if (!methods.every((m) => ['header', 'body', 'query'].includes(m)))
    throw new TypeError('"bearerMethodsSupported" may contain "header", "body" and "query"');
  const scopes = list(options.scopesSupported, 'scopesSupported');
  for (const name of ['resourceName', 'resourceDocumentation'] as const)
    if (options[name] !== undefined && typeof options[name] !== 'string')
      throw new TypeError(`"${name}" must be a string`);
  if (options.resourceDocumentation !== undefined) resourceURL(options.resourceDocumentation, 'resourceDocumentation');
  return {
    resource: options.resource,
    authorization_servers: [...servers],
    bearer_methods_supported: methods,
    ...(scopes ? { scopes_supported: scopes } : {}),
    ...(options.resourceName !== undefined ? { resource_name: options.resourceName } : {}),
    ...(options.resourceDocumentation !== undefined ? { resource_documentation: options.resourceDocumentation } : {}),
    ...(options.extra ?? {}),
  };
}

/**
 * The well-known URL of a resource's metadata (RFC 9728 §3.1): `/.well-known/oauth-protected-resource`
 * inserted between the host and the resource's path (`https://api.example/v1` →
 * `https://api.example/.well-known/oauth-protected-resource/v1`).
 * @example
 * ```ts
 * const url = protectedResourceMetadataURL('https://api.example'); // https://api.example/.well-known/oauth-protected-resource
 * app.use(expressAuth({ key, resourceMetadata: url }));
 * ```
 */
export function protectedResourceMetadataURL(resource: string): string {
  const url = resourceURL(resource, 'resource');
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}
