import { thumbprintOf, type ThumbprintDigest } from '../lib/thumbprint.js';
import type { JWK } from '../types.js';

export type { ThumbprintDigest };

/**
 * The RFC 7638 thumbprint of a JWK: the base64url hash (default SHA-256) of its required public
 * members. Private members, `kid`, `alg` and the rest do not change it.
 * @example
 * ```ts
 * import { calculateJWKThumbprint } from 'tessera-jwt';
 * calculateJWKThumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' });
 * // 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k'
 * ```
 */
export function calculateJWKThumbprint(jwk: JWK, digest: ThumbprintDigest = 'sha256'): string {
  return thumbprintOf(jwk, digest);
}

const URI_DIGEST: Record<ThumbprintDigest, string> = { sha256: 'sha-256', sha384: 'sha-384', sha512: 'sha-512' };

/**
 * The RFC 9278 thumbprint URI of a JWK: `urn:ietf:params:oauth:jwk-thumbprint:sha-256:<thumbprint>`.
 * @example
 * ```ts
 * import { calculateJWKThumbprintURI } from 'tessera-jwt';
 * calculateJWKThumbprintURI(publicJwk); // 'urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbLsXh8…'
 * ```
 */
export function calculateJWKThumbprintURI(jwk: JWK, digest: ThumbprintDigest = 'sha256'): string {
  const thumbprint = thumbprintOf(jwk, digest);
  return `urn:ietf:params:oauth:jwk-thumbprint:${URI_DIGEST[digest]}:${thumbprint}`;
}
