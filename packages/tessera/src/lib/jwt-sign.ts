// The JWT signing machinery shared by signJWT, createSigner and encryptJWT: everything about a signer
// that does not depend on the payload, compiled once.
import { encodeBase64url } from './base64url.js';
import { buildClaims, normalizeClaimBuild, serializeClaims } from './claims-build.js';
import { createSignature, createSignatureAsync, encodeProtectedHeader, signingAlgorithm } from './jws.js';
import { inferAlgorithm, prepareKey, prepareKeyForReuse } from './keys.js';
import { customAlgorithmInfo, customSign, isCustomAlgorithm } from './custom-algorithm.js';
import type { JWTPayloadInput, KeyInput, SignOptions } from '../types.js';

/** Internal: everything about a signer that does not depend on the payload. */
export function compileSigner(
  key: unknown,
  options: SignOptions,
  reuse = false,
  offThread = false,
): (payload: JWTPayloadInput) => string | Promise<string> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (options.allowWeakKeys !== undefined && typeof options.allowWeakKeys !== 'boolean') {
    throw new TypeError('"allowWeakKeys" option must be a boolean');
  }
  if (isCustomAlgorithm(options.algorithm)) {
    // The key goes to the caller's sign function untouched (a KMS key ID, an HSM handle, …).
    const info = customAlgorithmInfo(options.algorithm, 'sign');
    const { header, segment } = encodeProtectedHeader(info.name, options, 'JWT');
    if (header.b64 === false) throw new TypeError('"b64": false (RFC 7797) cannot be used for a JWT; use signJWS');
    const build = normalizeClaimBuild(options);
    return (payload) => {
      const input = `${segment}.${encodeBase64url(serializeClaims(buildClaims(payload, build)))}`;
      const signature = customSign(info, key, input);
      return typeof signature === 'string' ? `${input}.${signature}` : signature.then((sig) => `${input}.${sig}`);
    };
  }
  const prepared = reuse ? prepareKeyForReuse(key as KeyInput) : prepareKey(key as KeyInput);
  const info = signingAlgorithm(options.algorithm, prepared, options.allowWeakKeys === true, () =>
    inferAlgorithm(prepared),
  );
  const { header, segment } = encodeProtectedHeader(info.name, options, 'JWT', prepared.jwkKid);
  if (header.b64 === false) throw new TypeError('"b64": false (RFC 7797) cannot be used for a JWT; use signJWS');
  const build = normalizeClaimBuild(options);
  const prefix = `${segment}.`;
  if (offThread) {
    // The header, claims and checks are the synchronous path's, byte for byte; only the signature
    // itself is computed on the libuv threadpool.
    return (payload) => {
      const input = prefix + encodeBase64url(serializeClaims(buildClaims(payload, build)));
      return createSignatureAsync(info, prepared, input).then((signature) => `${input}.${signature}`);
    };
  }
  return (payload) => {
    const input = prefix + encodeBase64url(serializeClaims(buildClaims(payload, build)));
    return `${input}.${createSignature(info, prepared, input)}`;
  };
}
