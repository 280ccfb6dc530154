import { encodeBase64url } from '../lib/base64url.js';
import { createSignature, encodeProtectedHeader, signingAlgorithm } from '../lib/jws.js';
import { inferAlgorithm, prepareKey } from '../lib/keys.js';
import { customAlgorithmInfo, customSign, isCustomAlgorithm } from '../lib/custom-algorithm.js';
import type { AsyncCustomAlgorithm, CustomAlgorithm, KeyInput } from '../types.js';

/**
 * Options of {@link signJWS}.
 * @example
 * ```ts
 * const options: SignJWSOptions = { algorithm: 'ES256', kid: 'k1', typ: 'JOSE' };
 * ```
 */
export interface SignJWSOptions {
  /** The JWS algorithm (default: inferred from the key), or a custom algorithm. */
  algorithm?: string | CustomAlgorithm;
  /** The `kid` header parameter. */
  kid?: string;
  /** The `typ` header parameter (default: none). */
  typ?: string | null;
  /** Extra protected header members. */
  header?: Record<string, unknown>;
  /** Accept weak keys (see SignOptions). */
  allowWeakKeys?: boolean;
}

/**
 * Signs arbitrary bytes (or a UTF-8 string) as a compact JWS (RFC 7515 §7.1). For JWT claims use
 * `signJWT`. The JSON serializations, detached and unencoded payloads come with Tessera's JWE release.
 *
 * @example
 * ```ts
 * import { signJWS } from 'tessera';
 * const jws = signJWS('hello', privateKey, { algorithm: 'EdDSA', kid: 'k1' });
 * ```
 */
export function signJWS(payload: string | Uint8Array, key: unknown, options: SignJWSOptions & { algorithm: AsyncCustomAlgorithm }): Promise<string>;
export function signJWS(payload: string | Uint8Array, key: unknown, options: SignJWSOptions & { algorithm: CustomAlgorithm }): string;
export function signJWS(payload: string | Uint8Array, key: KeyInput, options?: SignJWSOptions): string;
export function signJWS(payload: string | Uint8Array, key: unknown, options: SignJWSOptions = {}): string | Promise<string> {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) throw new TypeError('JWS payload must be a string or a Uint8Array');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (isCustomAlgorithm(options.algorithm)) {
    const info = customAlgorithmInfo(options.algorithm, 'sign');
    const { header, segment } = encodeProtectedHeader(info.name, options, undefined);
    if (header.b64 === false) throw new TypeError('"b64": false (RFC 7797) is not supported by signJWS yet');
    const input = `${segment}.${encodeBase64url(payload)}`;
    const signature = customSign(info, key, input);
    return typeof signature === 'string' ? `${input}.${signature}` : signature.then((sig) => `${input}.${sig}`);
  }
  const prepared = prepareKey(key as KeyInput);
  const info = signingAlgorithm(options.algorithm, prepared, options.allowWeakKeys === true, () => inferAlgorithm(prepared));
  const { header, segment } = encodeProtectedHeader(info.name, options, undefined, prepared.jwkKid);
  if (header.b64 === false) throw new TypeError('"b64": false (RFC 7797) is not supported by signJWS yet');
  const input = `${segment}.${encodeBase64url(payload)}`;
  return `${input}.${createSignature(info, prepared, input)}`;
}
