// The cache policy shared by the Node and the web createRemoteJWKSet: how long a fetched JWK Set stays
// fresh (Cache-Control within bounds), and the error for a token whose key is missing while the endpoint
// fails. Platform-neutral: no node: import.
import { JWKSClientError, type JWTErrorOptions, NoMatchingKeyError } from '../errors.js';

export const DEFAULT_CACHE_MAX_AGE = 600;
export const DEFAULT_COOLDOWN = 30;
export const DEFAULT_STALE_IF_ERROR = 3600;
// A server's Cache-Control is honoured within these bounds: below 30 s a misconfigured `no-store`
// would turn every verification into a request; above 24 h a retired (perhaps compromised) key would
// stay trusted for days.
export const MIN_SERVER_MAX_AGE = 30;
export const MAX_SERVER_MAX_AGE = 86400;

/** The freshness lifetime in seconds from Cache-Control and Age (RFC 9111 §4.2), within the bounds. */
export function freshness(headers: Headers, cacheMaxAge: number): number {
  const header = headers.get('cache-control');
  if (header === null) return cacheMaxAge;
  const low = Math.min(MIN_SERVER_MAX_AGE, cacheMaxAge);
  const high = Math.max(MAX_SERVER_MAX_AGE, cacheMaxAge);
  let maxAge: number | undefined;
  for (const directive of header.toLowerCase().split(',')) {
    const [name = '', value] = directive
      .trim()
      .split('=', 2)
      .map((s) => s.trim());
    if (name === 'no-store' || name === 'no-cache') return low;
    if (name === 'max-age' && maxAge === undefined && value !== undefined && /^"?\d+"?$/.test(value))
      maxAge = Number(value.replace(/"/g, ''));
  }
  if (maxAge === undefined) return cacheMaxAge;
  const age = Number(headers.get('age'));
  if (Number.isFinite(age) && age > 0) maxAge -= age;
  return Math.min(high, Math.max(low, maxAge));
}

/**
 * The error for a token whose key is not in the cached set while the endpoint fails. It carries the
 * fetch failure's own class and code (timeout, connection, HTTP status, bad body): an operator must
 * tell "the identity provider is down" from "someone sent a random kid". The missing key is said in
 * the message and is the `cause` (a NoMatchingKeyError whose own cause is the fetch failure).
 */
export function outageError(fetchError: unknown): Error {
  const missing = new NoMatchingKeyError("no key in the cached JWK Set has the token's kid and fits its alg", {
    cause: fetchError,
  });
  if (!(fetchError instanceof JWKSClientError)) return missing;
  const Class = fetchError.constructor as new (message: string, options?: JWTErrorOptions) => JWKSClientError;
  return new Class(
    `${fetchError.message}; no key in the cached JWK Set matches the token, which cannot be verified until the endpoint answers`,
    { cause: missing },
  );
}
