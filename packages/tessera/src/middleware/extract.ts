// Where the access token comes from: RFC 6750 §2.1 (the Authorization header), optionally a cookie,
// and the URI query (§2.3) only when the application opts in.

/**
 * Internal: what the core reads from a request, whatever the framework. Adapters build one from
 * `rawHeaders` where they can, because Node's `req.headers` silently drops a second Authorization header.
 */
export interface RequestView {
  /** Every field line of the header `name` (lower-case), in order; empty when absent. */
  header(name: 'authorization' | 'cookie'): readonly string[];
  /** The request target or absolute URL; read only when query tokens are enabled. */
  url(): string | undefined;
}

/** Internal: normalized extraction settings. */
export interface ExtractSettings {
  /** The cookie that may carry the token, or undefined. */
  readonly cookie: string | undefined;
  /** The query parameter that may carry the token, or undefined (the default: never read the query). */
  readonly query: string | undefined;
}

/** Internal: the outcome of looking for a token. */
export type Extracted =
  | { readonly kind: 'none' }
  /** Credentials of another scheme (Basic, Digest…): not ours, so answered like no credentials (RFC 6750 §3.1). */
  | { readonly kind: 'other-scheme' }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'malformed'; readonly description: string };

const NONE: Extracted = Object.freeze({ kind: 'none' });
const OTHER_SCHEME: Extracted = Object.freeze({ kind: 'other-scheme' });
/** RFC 6750 §2.3's parameter name, checked even when the query is not a place this route reads. */
const QUERY_PARAMETER = 'access_token';
const TWICE = 'Send the access token in exactly one place';
// RFC 9110 §5.6.2 token (the auth-scheme); it is followed by 1*SP and the credentials, or ends the value.
const AUTH_SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// RFC 6750 §2.1 b64token. No comma and no space: a header that a proxy or the fetch Headers class
// folded from two Authorization lines ("Bearer a, Bearer b") fails here.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

const malformed = (description: string): Extracted => ({ kind: 'malformed', description });

function fromAuthorization(lines: readonly string[]): Extracted {
  if (lines.length === 0) return NONE;
  if (lines.length > 1) return malformed('Only one Authorization header is allowed');
  const value = lines[0]!.trim();
  // Split at the first space by hand: a regex over the whole value would scan the token twice more.
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  if (!AUTH_SCHEME.test(scheme)) return malformed('The Authorization header must use the Bearer scheme');
  // The scheme is case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" are Bearer. Another scheme is
  // well-formed credentials we do not take: RFC 6750 §3.1 (and express-jwt) answer it with a bare
  // challenge, as for no credentials, rather than 400.
  if (scheme !== 'Bearer' && (scheme.length !== 6 || scheme.toLowerCase() !== 'bearer')) return OTHER_SCHEME;
  const credentials = space === -1 ? '' : value.slice(space + 1).trim();
  if (credentials === '') return malformed('The Bearer access token is missing');
  if (!B64TOKEN.test(credentials)) return malformed('The Bearer credentials are malformed');
  return { kind: 'token', token: credentials };
}

function fromQuery(url: string | undefined, name: string): Extracted {
  if (url === undefined) return NONE;
  let values: string[];
  try {
    values = new URL(url, 'http://localhost').searchParams.getAll(name);
  } catch {
    return NONE;
  }
  if (values.length === 0) return NONE;
  if (values.length > 1) return malformed(`Only one ${name} query parameter is allowed`);
  if (values[0] === '') return malformed('The access token is empty');
  return { kind: 'token', token: values[0]! };
}

function fromCookie(lines: readonly string[], name: string): Extracted {
  const found: string[] = [];
  for (const line of lines) {
    for (const pair of line.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
      let value = pair.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      try {
        value = decodeURIComponent(value);
      } catch {
        // Not percent-encoded after all: verification decides.
      }
      found.push(value);
    }
  }
  // Two cookies of one name reach us when another (sub)domain or path set its own: "cookie tossing".
  // Picking either would let that other site choose the identity, so the request is refused.
  if (found.length > 1) return malformed(`Only one ${name} cookie is allowed`);
  if (found.length === 0 || found[0] === '') return NONE;
  return { kind: 'token', token: found[0]! };
}

function hasQueryParameter(url: string | undefined, name: string): boolean {
  if (url === undefined || !url.includes('?')) return false;
  // Parsing a URL costs microseconds on every request with a query; the name can only appear literally
  // or percent-encoded ("access%5Ftoken"), so without either the answer is no.
  if (!url.includes(name) && !url.includes('%')) return false;
  try {
    return new URL(url, 'http://localhost').searchParams.has(name);
  } catch {
    return false;
  }
}

/**
 * Internal: finds the access token. The Authorization header wins over the cookie (a cookie is sent by
 * the browser on its own, the header only on purpose); a token in both the header and the query is
 * refused, as RFC 6750 §2 allows one method per request: also when this route does not read the query,
 * because a client that sends two is confused (and leaks the token into URL logs).
 */
export function extractToken(view: RequestView, settings: ExtractSettings): Extracted {
  const header = fromAuthorization(view.header('authorization'));
  if (header.kind === 'malformed') return header;
  if (settings.query !== undefined) {
    const query = fromQuery(view.url(), settings.query);
    if (query.kind === 'malformed') return query;
    if (query.kind === 'token') return header.kind === 'token' ? malformed(TWICE) : query;
  }
  if (header.kind === 'token') {
    return settings.query !== QUERY_PARAMETER && hasQueryParameter(view.url(), QUERY_PARAMETER)
      ? malformed(TWICE)
      : header;
  }
  if (settings.cookie !== undefined) {
    const cookie = fromCookie(view.header('cookie'), settings.cookie);
    if (cookie.kind !== 'none') return cookie;
  }
  return header;
}
