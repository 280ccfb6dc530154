import { DecodeError, InvalidSignatureError } from '../errors.js';
import type { Key } from '../jwk/key.js';
import type { JWKSet } from '../jwks/set.js';
import { algorithmHint } from '../lib/algorithm-hint.js';
import { detachedBytes, parseCompact, parseJSON, type Signature } from '../lib/jws-parse.js';
import { checkVerifyJWSOptions } from '../lib/option-names.js';
import { isResolver, type NormalizedJWS, normalizeJWSOptions } from '../lib/jws.js';
import { allowedSignatures, type Candidate } from '../lib/jws-allowlist.js';
import { isRemoteKeySet } from '../lib/key-set.js';
import { toVerificationKey, type VerificationKey, verifySignatureWith } from '../lib/verification-key.js';
import type {
  CustomAlgorithm,
  FlattenedJWS,
  GeneralJWS,
  JWK,
  JWKSetDocument,
  JWSHeader,
  KeyInput,
  KeyResolver,
} from '../types.js';

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
  /** Names of `crit` extensions the caller understands (`b64` is understood by verifyJWS). */
  crit?: string[];
  /** The maximum JWS size in characters (default 32 KiB). */
  maxTokenLength?: number;
  /** The deepest JSON nesting accepted in a protected header (default 256). */
  maxJSONDepth?: number;
  /** Accept weak keys. */
  allowWeakKeys?: boolean;
  /** The payload of a detached JWS (RFC 7515 Appendix F): the JWS's own payload must then be empty. */
  detachedPayload?: string | Uint8Array;
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
  /** The protected header of the signature that verified (empty when it had none). */
  protectedHeader: JWSHeader;
  /** The unprotected header of that signature (JSON serializations). */
  unprotectedHeader?: Record<string, unknown>;
}

function result(signature: Signature, payloadOf: () => Uint8Array): VerifiedJWS {
  const payload = payloadOf();
  const out: VerifiedJWS = {
    payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
    protectedHeader: signature.protectedHeader as JWSHeader,
  };
  if (signature.unprotectedHeader) out.unprotectedHeader = signature.unprotectedHeader;
  return out;
}

function verifyAny(
  candidates: Candidate[],
  keyFor: (s: Signature) => VerificationKey,
  opts: NormalizedJWS,
  payload: () => Uint8Array,
): VerifiedJWS {
  let failure: unknown;
  for (const { signature, info } of candidates) {
    try {
      verifySignatureWith(keyFor(signature), signature.header, info, signature.text, signature.d2, opts.allowWeakKeys);
    } catch (err) {
      if (candidates.length === 1) throw err;
      // Keep the most telling failure: a signature that did not verify beats a key that did not fit.
      if (failure === undefined || err instanceof InvalidSignatureError) failure = err;
      continue;
    }
    return result(signature, payload);
  }
  throw failure;
}

/**
 * Verifies a JWS over arbitrary bytes (RFC 7515) — compact, flattened or general JSON — and returns the
 * payload bytes of the first signature that verifies with the key and an allowed algorithm. Detached
 * payloads come as `detachedPayload`; RFC 7797 unencoded payloads (`b64: false`, listed in `crit`) are
 * understood. For JWTs use `verifyJWT`, which also validates claims.
 *
 * @example
 * ```ts
 * import { verifyJWS } from 'tessera-jwt';
 * const { payload } = verifyJWS(jws, publicKey, { algorithms: ['EdDSA'] });
 * console.log(new TextDecoder().decode(payload));
 * const general = verifyJWS(generalJws, ecPublicKey, { algorithms: ['ES256', 'RS256'] });
 * verifyJWS(detachedJws, hmacKey, { algorithms: ['HS256'], detachedPayload: bigDocument });
 * ```
 */
export function verifyJWS(
  jws: string | FlattenedJWS | GeneralJWS,
  key: JWKSet | JWKSetDocument | JWK | Key,
  options?: VerifyJWSOptions,
): VerifiedJWS;
export function verifyJWS(
  jws: string | FlattenedJWS | GeneralJWS,
  key: KeyInput | JWKSet | JWKSetDocument,
  options: VerifyJWSOptions,
): VerifiedJWS;
export function verifyJWS(
  jws: string | FlattenedJWS | GeneralJWS,
  key: KeyResolver,
  options: VerifyJWSOptions,
): Promise<VerifiedJWS>;
export function verifyJWS(
  jws: string | FlattenedJWS | GeneralJWS,
  key: KeyInput | JWKSet | JWKSetDocument | KeyResolver,
  options: VerifyJWSOptions = {},
): VerifiedJWS | Promise<VerifiedJWS> {
  const hint = (): string => algorithmHint(jws, key);
  if (options === null || typeof options !== 'object')
    throw new TypeError(`options must be an object, e.g. { algorithms: ['${hint()}'] }`);
  if (isResolver(key) && options.algorithms === undefined && !isRemoteKeySet(key))
    throw new TypeError(`"algorithms" option is required with a key resolver, e.g. { algorithms: ['${hint()}'] }`);
  checkVerifyJWSOptions(options);
  const opts = normalizeJWSOptions(options, key, hint);
  const detached = options.detachedPayload === undefined ? undefined : detachedBytes(options.detachedPayload);
  const parse = () => {
    if (typeof jws === 'string') return parseCompact(jws, opts, detached);
    if (jws === null || typeof jws !== 'object' || Array.isArray(jws))
      throw new DecodeError('JWS must be a compact string or a JSON serialization object');
    return parseJSON(jws as unknown as Record<string, unknown>, opts, detached);
  };
  if (isResolver(key)) {
    return (async () => {
      const { signatures, payload } = parse();
      const candidates = allowedSignatures(signatures, opts);
      const keys = new Map<Signature, VerificationKey>();
      for (const { signature } of candidates) {
        keys.set(
          signature,
          toVerificationKey(
            await (key as KeyResolver)(signature.header, typeof jws === 'string' ? jws : JSON.stringify(jws)),
            opts,
          ),
        );
      }
      return verifyAny(candidates, (s) => keys.get(s)!, opts, payload);
    })();
  }
  const prepared = toVerificationKey(key, opts);
  const { signatures, payload } = parse();
  return verifyAny(allowedSignatures(signatures, opts), () => prepared, opts, payload);
}
