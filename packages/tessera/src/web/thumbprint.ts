// RFC 7638 JWK thumbprints and RFC 9278 thumbprint URIs on the web entry: the same canonical JSON as on
// Node (lib/thumbprint-input.ts), hashed with crypto.subtle.digest — so asynchronous here.
import { type ThumbprintDigest, thumbprintInput } from '../lib/thumbprint-input.js';
import type { JWK } from '../types.js';
import { encodeB64u } from './keys.js';

export type { ThumbprintDigest };

const SUBTLE_DIGEST: Record<ThumbprintDigest, string> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };
const URI_DIGEST: Record<ThumbprintDigest, string> = { sha256: 'sha-256', sha384: 'sha-384', sha512: 'sha-512' };

/**
 * The RFC 7638 thumbprint of a JWK: the base64url hash (default SHA-256) of its required public
 * members; resolves asynchronously (crypto.subtle.digest). Private members, `kid`, `alg` do not change it.
 * @example
 * ```ts
 * import { calculateJWKThumbprint } from 'tessera-jwt/web';
 * await calculateJWKThumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' });
 * // 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k'
 * ```
 */
export async function calculateJWKThumbprint(jwk: JWK, digest: ThumbprintDigest = 'sha256'): Promise<string> {
  const input = new TextEncoder().encode(thumbprintInput(jwk, digest));
  const subtle = (
    globalThis.crypto as unknown as { subtle: { digest(a: string, d: Uint8Array): Promise<ArrayBuffer> } }
  ).subtle;
  return encodeB64u(new Uint8Array(await subtle.digest(SUBTLE_DIGEST[digest], input)));
}

/**
 * The RFC 9278 thumbprint URI of a JWK: `urn:ietf:params:oauth:jwk-thumbprint:sha-256:<thumbprint>`.
 * @example
 * ```ts
 * await calculateJWKThumbprintURI(publicJwk); // 'urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbLsXh8…'
 * ```
 */
export async function calculateJWKThumbprintURI(jwk: JWK, digest: ThumbprintDigest = 'sha256'): Promise<string> {
  const thumbprint = await calculateJWKThumbprint(jwk, digest);
  return `urn:ietf:params:oauth:jwk-thumbprint:${URI_DIGEST[digest]}:${thumbprint}`;
}
