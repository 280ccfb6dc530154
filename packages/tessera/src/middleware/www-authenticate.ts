// The Bearer challenge of RFC 6750 §3, written as an RFC 9110 §11.6.1 WWW-Authenticate field value.

/** Internal: the parameters of one Bearer challenge. */
export interface BearerChallenge {
  readonly realm?: string | undefined;
  readonly error?: string | undefined;
  readonly errorDescription?: string | undefined;
  readonly scope?: string | undefined;
  /** RFC 9728 §5.1: where the protected-resource metadata is. */
  readonly resourceMetadata?: string | undefined;
}

// RFC 6750 §3: error_description and scope use printable ASCII only. Anything else (CR/LF above all,
// which would split the header) is replaced before it reaches the wire.
const NOT_PRINTABLE = /[^\x20-\x7e]/g;

/**
 * Internal: an RFC 9110 quoted-string. `"` and `\` are escaped with a backslash (the issue's "quotes
 * escaped"); characters outside printable ASCII become `?` so no value can inject a header.
 */
export function quoteString(value: string): string {
  return `"${value.replace(NOT_PRINTABLE, '?').replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Internal: `Bearer realm="…", error="…", error_description="…", scope="…"`. With no parameters the
 * challenge is the bare scheme, as RFC 6750 §3.1 asks for requests that sent no credentials.
 */
export function formatBearerChallenge(challenge: BearerChallenge): string {
  const params: string[] = [];
  if (challenge.realm !== undefined) params.push(`realm=${quoteString(challenge.realm)}`);
  if (challenge.error !== undefined) params.push(`error=${quoteString(challenge.error)}`);
  if (challenge.errorDescription !== undefined)
    params.push(`error_description=${quoteString(challenge.errorDescription)}`);
  if (challenge.scope !== undefined) params.push(`scope=${quoteString(challenge.scope)}`);
  if (challenge.resourceMetadata !== undefined)
    params.push(`resource_metadata=${quoteString(challenge.resourceMetadata)}`);
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

/** Internal: a `realm` option must survive the trip into a header unchanged (TypeError otherwise). */
export function checkRealm(realm: unknown): string | undefined {
  if (realm === undefined) return undefined;
  if (typeof realm !== 'string' || /[^\x20-\x7e]/.test(realm)) {
    throw new TypeError('"realm" option must be a string of printable ASCII characters');
  }
  return realm;
}

/** Internal: a `resourceMetadata` option must be an absolute http(s) URL of printable ASCII (TypeError otherwise). */
export function checkResourceMetadataURL(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let ok = typeof value === 'string' && !/[^\x21-\x7e]/.test(value) && !value.includes('#');
  if (ok) {
    try {
      ok = ['https:', 'http:'].includes(new URL(value as string).protocol);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new TypeError('"resourceMetadata" option must be an absolute https (or http) URL without a fragment');
  return value as string;
}
