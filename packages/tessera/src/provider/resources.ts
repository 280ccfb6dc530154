// RFC 8707 resource indicators: `resource` is an absolute URI without a fragment, given once or several
// times; the provider only issues tokens for resources it knows (by default the token service's
// `audience`), and the access token's `aud` is the indicated resources. At the token endpoint a request
// may narrow the audience to some of what the authorization request (or the grant) covered, never widen it.

/** True when `resource` is an absolute URI without a fragment (RFC 8707 §2). */
export function isResourceIndicator(resource: string): boolean {
  if (resource === '' || resource.length > 2048 || resource.includes('#')) return false;
  try {
    return new URL(resource).protocol !== '';
  } catch {
    return false;
  }
}

const invalidTarget = (description: string) =>
  new Response(JSON.stringify({ error: 'invalid_target', error_description: description }), {
    status: 400,
    headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store', pragma: 'no-cache' },
  });

/**
 * The audience for a token request: the requested resources when they are all within `covered`, the
 * whole `authorized` list (or undefined: the service's default audience) when none is requested, or an
 * `invalid_target` response.
 */
export function checkResources(
  requested: string[],
  authorized: string[] | undefined,
  service: { audience: string | string[] },
): string[] | undefined | Response {
  if (requested.length === 0) return authorized;
  if (requested.length > 10) return invalidTarget('Too many resource indicators');
  const covered = authorized ?? (typeof service.audience === 'string' ? [service.audience] : service.audience);
  for (const resource of requested) {
    if (!isResourceIndicator(resource))
      return invalidTarget('resource must be an absolute URI without a fragment (RFC 8707)');
    if (!covered.includes(resource)) return invalidTarget('The resource was not part of the authorization');
  }
  return [...new Set(requested)];
}
