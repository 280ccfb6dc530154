import { Buffer } from 'node:buffer';
import { DecodeError } from '../errors.js';
import { decodeBase64url } from '../lib/base64url.js';
import { splitCompact } from '../lib/compact.js';
import { checkProtectedHeader, isResolver, type NormalizedJWS, normalizeJWSOptions } from '../lib/jws.js';
import { toVerificationKey, type VerificationKey, verifySignatureWith } from '../lib/verification-key.js';
import type { JWKSet } from '../jwks/set.js';
import type { CustomAlgorithm, JWSHeader, KeyInput, KeyResolver } from '../types.js';

/**
 * Options of {@link verifyJWS}.
 * @example
 * ```ts
 * const options: VerifyJWSOptions = { algorithms: ['EdDSA'], crit: ['exp'] };
 * ```
 */
export interface VerifyJWSOptions {
  /** The allowlist of algorithms (required unless the key is a JWK carrying `alg`); may include custom algorithms. */
  algorithms?: Array<string | CustomAlgorithm>;
  /** Names of `crit` extensions the caller understands. */
  crit?: string[];
  /** The maximum JWS length in characters (default 32 KiB). */
  maxTokenLength?: number;
  /** Accept weak keys. */
  allowWeakKeys?: boolean;
}

/**
 * What {@link verifyJWS} returns.
 * @example
 * ```ts
 * const { payload, protectedHeader }: VerifiedJWS = verifyJWS(jws, key, { algorithms: ['HS256'] });
 * ```
 */
export interface VerifiedJWS {
  payload: Uint8Array;
  protectedHeader: JWSHeader;
}

function finish(jws: string, d1: number, d2: number, header: JWSHeader, key: VerificationKey, opts: NormalizedJWS, allowAsync = false): VerifiedJWS | Promise<VerifiedJWS> {
  const info = checkProtectedHeader(header, opts, false);
  const pending = verifySignatureWith(key, header, info, jws, d2, opts.allowWeakKeys, allowAsync);
  if (pending) return pending.then(() => payloadOf(jws, d1, d2, header));
  return payloadOf(jws, d1, d2, header);
}

function payloadOf(jws: string, d1: number, d2: number, header: JWSHeader): VerifiedJWS {
  const payload = decodeBase64url(jws.slice(d1 + 1, d2));
  if (payload === undefined) throw new DecodeError('payload is not canonical base64url');
  return { payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), protectedHeader: header };
}

/**
 * Verifies a compact JWS over arbitrary bytes (RFC 7515) and returns its payload bytes. For JWTs use
 * `verifyJWT`, which also validates claims.
 *
 * @example
 * ```ts
 * import { verifyJWS } from 'tessera';
 * const { payload } = verifyJWS(jws, publicKey, { algorithms: ['EdDSA'] });
 * console.log(new TextDecoder().decode(payload));
 * ```
 */
export function verifyJWS(jws: string, key: KeyInput | JWKSet, options: VerifyJWSOptions): VerifiedJWS;
export function verifyJWS(jws: string, key: KeyResolver, options: VerifyJWSOptions): Promise<VerifiedJWS>;
export function verifyJWS(jws: string, key: KeyInput | JWKSet | KeyResolver, options: VerifyJWSOptions): VerifiedJWS | Promise<VerifiedJWS> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object with "algorithms"');
  if (isResolver(key) && options.algorithms === undefined) throw new TypeError('"algorithms" option is required with a key resolver');
  const opts = normalizeJWSOptions(options, key);
  if (isResolver(key)) {
    return (async () => {
      const { d1, d2, header } = splitCompact(jws, opts.maxTokenLength);
      checkProtectedHeader(header, opts, false);
      return finish(jws, d1, d2, header, toVerificationKey(await (key as KeyResolver)(header, jws), opts), opts, true);
    })();
  }
  const { d1, d2, header } = splitCompact(jws, opts.maxTokenLength);
  return finish(jws, d1, d2, header, toVerificationKey(key, opts), opts) as VerifiedJWS;
}

export { Buffer };
