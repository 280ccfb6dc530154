// RFC 7638 JWK thumbprints: the hash of the required public members, in lexicographic order, as JSON
// without whitespace. Only those members count, so a key's thumbprint does not change with its kid,
// alg, use or private members.
import { nodeCrypto } from './node-crypto.js';
import type { JWK } from '../types.js';
import { type ThumbprintDigest, thumbprintInput } from './thumbprint-input.js';

export type { ThumbprintDigest };

/** Computes the thumbprint; a missing or non-string required member is a JWKError. */
export function thumbprintOf(jwk: JWK, digest: ThumbprintDigest): string {
  return nodeCrypto().createHash(digest).update(thumbprintInput(jwk, digest)).digest('base64url');
}
