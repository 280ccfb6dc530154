// decodeJWS: a JWS in any serialization parsed as strictly as verifyJWS parses it, verifying nothing.
// Platform-neutral, so the Node and web entries export this one implementation.
import { DecodeError } from '../errors.js';
import {
  checkUnderstood,
  DEFAULT_MAX_TOKEN_LENGTH,
  decodeSignature,
  splitCompactStructureFirst,
  understoodNames,
} from './compact.js';
import type { NormalizedJWS } from './jws.js';
import { detachedBytes, parseCompact, parseJSON } from './jws-parse.js';
import { checkDecodeJWSOptions } from './option-names.js';
import type { FlattenedJWS, GeneralJWS, JWSHeader } from '../types.js';

/**
 * Options of {@link decodeJWS}.
 * @example
 * ```ts
 * const options: DecodeJWSOptions = { crit: ['exp'], detachedPayload: document };
 * ```
 */
export interface DecodeJWSOptions {
  /** Names of `crit` extensions the caller understands (`b64` is always understood), as for `verifyJWS`. */
  crit?: string[];
  /** The maximum JWS size in characters (default 32 KiB). */
  maxTokenLength?: number;
  /** The payload of a detached JWS (RFC 7515 Appendix F): returned as the payload; the JWS's own must be empty. */
  detachedPayload?: string | Uint8Array;
}

/**
 * One signature of a decoded JWS. NOT verified.
 * @example
 * ```ts
 * for (const { protectedHeader, signature }: DecodedJWSSignature of decodeJWS(jws).signatures) console.log(protectedHeader.alg, signature.length);
 * ```
 */
export interface DecodedJWSSignature {
  /** The protected header (empty when a JSON JWS signature has none). */
  protectedHeader: JWSHeader;
  /** The unprotected header (JSON serializations). */
  unprotectedHeader?: Record<string, unknown>;
  /** The signature bytes. */
  signature: Uint8Array;
}

/**
 * What {@link decodeJWS} returns: the payload bytes and every signature, none of them verified. The
 * top-level header and signature members are those of the first (for compact and flattened JWS: the
 * only) signature.
 * @example
 * ```ts
 * const { payload, protectedHeader }: DecodedJWS = decodeJWS(jws);
 * ```
 */
export interface DecodedJWS extends DecodedJWSSignature {
  /** The payload bytes (base64url-decoded, or as carried with `b64: false`). */
  payload: Uint8Array;
  /** Every signature, in order. */
  signatures: DecodedJWSSignature[];
}

function bytesView(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * Decodes a JWS over arbitrary bytes — compact, flattened or general JSON — WITHOUT verifying any
 * signature (PyJWT `api_jws.decode` with `verify_signature: False`): the payload comes back as bytes,
 * JSON or not. For debugging, routing or inspecting only: never trust the result; `verifyJWS` checks
 * it. The structure is checked as strictly as by `verifyJWS` (canonical base64url, JSON header objects,
 * typed registered members, `crit` understood, RFC 7797 `b64` rules). For JWTs, `decodeJWT` parses the
 * claims too.
 *
 * @example
 * ```ts
 * import { decodeJWS } from 'tessera-jwt';
 * const { payload, protectedHeader } = decodeJWS(jws);
 * console.log(protectedHeader.alg, new TextDecoder().decode(payload));
 * const general = decodeJWS(generalJws); // general.signatures.length === 2
 * ```
 */
export function decodeJWS(jws: string | FlattenedJWS | GeneralJWS, options: DecodeJWSOptions = {}): DecodedJWS {
  if (options === null || typeof options !== 'object') throw new TypeError('decodeJWS: options must be an object');
  checkDecodeJWSOptions(options);
  const understood = understoodNames(options.crit);
  const maxTokenLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (typeof maxTokenLength !== 'number' || !(maxTokenLength > 0))
    throw new TypeError('"maxTokenLength" option must be a positive number');
  const detached = options.detachedPayload === undefined ? undefined : detachedBytes(options.detachedPayload);
  // The parser reads only the limit from the normalized options.
  const limits = { maxTokenLength } as NormalizedJWS;
  let parsed: ReturnType<typeof parseCompact>;
  if (typeof jws === 'string') {
    // A malformed signature is reported before a missing "alg", as by decodeJWT (the payload may be
    // unencoded, so only its parser can judge it).
    splitCompactStructureFirst(jws, maxTokenLength, (_payload, signature) => decodeSignature(signature));
    parsed = parseCompact(jws, limits, detached);
  } else if (jws === null || typeof jws !== 'object' || Array.isArray(jws))
    throw new DecodeError('JWS must be a compact string or a JSON serialization object');
  else parsed = parseJSON(jws as unknown as Record<string, unknown>, limits, detached);
  const signatures = parsed.signatures.map((s): DecodedJWSSignature => {
    checkUnderstood(s.header, understood, true);
    const out: DecodedJWSSignature = {
      protectedHeader: s.protectedHeader as JWSHeader,
      signature: bytesView(decodeSignature(s.text.slice(s.d2 + 1))),
    };
    if (s.unprotectedHeader) out.unprotectedHeader = s.unprotectedHeader;
    return out;
  });
  return { ...signatures[0]!, payload: bytesView(parsed.payload()), signatures };
}
