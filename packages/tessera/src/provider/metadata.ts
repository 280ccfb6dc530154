// The provider's metadata: OpenID Connect Discovery 1.0 §3 and RFC 8414 §2, one document served at
// /.well-known/openid-configuration and /.well-known/oauth-authorization-server. It is composed from
// contributions — the token endpoints' part (token, revocation, introspection, JWKS, their grant types
// and client authentication methods) and the provider's own — so that a feature mounted later
// (registration, protected-resource metadata…) adds its members with one more contribution. Only what
// works is advertised: every endpoint listed answers, every method and algorithm listed is accepted.

/** Members added to the metadata document (computed per request: they may depend on the configuration). */
export type MetadataContribution = () => Record<string, unknown> | Promise<Record<string, unknown>>;

/** The ID token claims the provider itself sets (OpenID Connect Core §2). */
export const ID_TOKEN_CLAIMS = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'azp',
  'at_hash',
  'sid',
  'acr',
  'amr',
] as const;

export function createMetadata(options: {
  /** The token endpoints' document (RFC 8414 members for /token, /revoke, /introspect, JWKS). */
  base: (request: Request) => Promise<Response>;
  contributions: MetadataContribution[];
}) {
  return async (request: Request): Promise<Response> => {
    const response = await options.base(request);
    if (response.status !== 200) return response;
    const document = (await response.json()) as Record<string, unknown>;
    for (const contribute of options.contributions) Object.assign(document, await contribute());
    return new Response(JSON.stringify(document), { status: 200, headers: response.headers });
  };
}
