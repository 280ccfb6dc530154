// The RFC 7638 thumbprint input — the required public members of a JWK, in lexicographic order, as JSON
// without whitespace — with no node: import, so that the Node entry (lib/thumbprint.ts, node:crypto's
// hash) and the web entry (web/thumbprint.ts, crypto.subtle.digest) hash the same text.
import { JWKError } from '../errors.js';
import type { JWK } from '../types.js';

/** The digests RFC 7638/9278 thumbprints may use here. */
export type ThumbprintDigest = 'sha256' | 'sha384' | 'sha512';

const REQUIRED: Record<string, readonly string[]> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  oct: ['k', 'kty'],
};

/** The canonical JSON a thumbprint hashes; a missing or non-string required member is a JWKError. */
export function thumbprintInput(jwk: JWK, digest: ThumbprintDigest): string {
  if (jwk === null || typeof jwk !== 'object') throw new TypeError('jwk must be an object');
  if (digest !== 'sha256' && digest !== 'sha384' && digest !== 'sha512')
    throw new TypeError('"digest" must be "sha256", "sha384" or "sha512"');
  const members = typeof jwk.kty === 'string' ? REQUIRED[jwk.kty] : undefined;
  if (!members) throw new JWKError('JWK "kty" must be "RSA", "EC", "OKP" or "oct" to compute a thumbprint');
  const parts: string[] = [];
  for (const name of members) {
    const value = jwk[name];
    if (typeof value !== 'string')
      throw new JWKError(`JWK "${name}" is required for a thumbprint and must be a string`);
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(value)}`);
  }
  return `{${parts.join(',')}}`;
}
