import { customAlgorithmInfo, customSign, isCustomAlgorithm } from '../lib/custom-algorithm.js';
import { createSignature, encodeProtectedHeader, signingAlgorithm } from '../lib/jws.js';
import { inferAlgorithm, prepareKey } from '../lib/keys.js';
import { assembleJWS, planJWS, type SignedEntry } from '../lib/jws-sign-plan.js';
import type { AsyncCustomAlgorithm, CustomAlgorithm, FlattenedJWS, GeneralJWS, KeyInput } from '../types.js';

/**
 * One signer of a general-serialization JWS.
 * @example
 * ```ts
 * const signer: JWSSigner = { key: rsaPrivateKey, algorithm: 'RS256', kid: 'rsa-1' };
 * ```
 */
export interface JWSSigner {
  key: KeyInput;
  algorithm?: string;
  kid?: string;
  /** Extra protected header members. */
  header?: Record<string, unknown>;
  /** Unprotected header members of this signature (JSON serializations). */
  unprotectedHeader?: Record<string, unknown>;
}

/**
 * Options of {@link signJWS}.
 * @example
 * ```ts
 * const options: SignJWSOptions = { algorithm: 'ES256', kid: 'k1', serialization: 'flattened', detached: true };
 * ```
 */
export interface SignJWSOptions {
  /** The JWS algorithm (default: inferred from the key), or a custom algorithm (compact only). */
  algorithm?: string | CustomAlgorithm;
  /** The `kid` header parameter. */
  kid?: string;
  /** The `typ` header parameter (default: none). */
  typ?: string | null;
  /** Extra protected header members. */
  header?: Record<string, unknown>;
  /** Unprotected header members (JSON serializations; RFC 7515 §7.2.1 "header"). */
  unprotectedHeader?: Record<string, unknown>;
  /** `'compact'` (default), `'flattened'` or `'general'` (RFC 7515 §7). */
  serialization?: 'compact' | 'flattened' | 'general';
  /** Several signatures over one payload (general serialization; the `key` argument is then ignored). */
  signers?: JWSSigner[];
  /** Leave the payload out of the output (RFC 7515 Appendix F); the verifier supplies it as `detachedPayload`. */
  detached?: boolean;
  /**
   * `false`: the RFC 7797 unencoded payload; adds `b64: false` and `crit: ["b64"]` to every protected
   * header. A `b64` given in `header` (or a signer's `header`) means the same and must agree with it.
   */
  b64?: boolean;
  /** Accept weak keys (see SignOptions). */
  allowWeakKeys?: boolean;
}

/**
 * Signs arbitrary bytes (or a UTF-8 string) as a JWS (RFC 7515): compact by default, or the flattened
 * or general JSON serialization (several `signers`, unprotected headers), with a detached payload
 * (`detached`) or an unencoded one (`b64: false`, RFC 7797). For JWT claims use `signJWT`.
 *
 * @example
 * ```ts
 * import { signJWS } from 'tessera-jwt';
 * const jws = signJWS('hello', privateKey, { algorithm: 'EdDSA', kid: 'k1' });
 * const general = signJWS('hello', null, {
 *   serialization: 'general',
 *   signers: [{ key: rsaKey, algorithm: 'RS256' }, { key: ecKey, algorithm: 'ES256', unprotectedHeader: { kid: 'ec-1' } }],
 * });
 * const detached = signJWS(bigDocument, hmacKey, { algorithm: 'HS256', detached: true, b64: false });
 * ```
 */
export function signJWS(
  payload: string | Uint8Array,
  key: unknown,
  options: SignJWSOptions & { algorithm: AsyncCustomAlgorithm },
): Promise<string>;
export function signJWS(
  payload: string | Uint8Array,
  key: unknown,
  options: SignJWSOptions & { algorithm: CustomAlgorithm },
): string;
export function signJWS(
  payload: string | Uint8Array,
  key: KeyInput | null,
  options: SignJWSOptions & { serialization: 'general' },
): GeneralJWS;
export function signJWS(
  payload: string | Uint8Array,
  key: KeyInput,
  options: SignJWSOptions & { serialization: 'flattened' },
): FlattenedJWS;
export function signJWS(
  payload: string | Uint8Array,
  key: KeyInput,
  options?: SignJWSOptions & { serialization?: 'compact' },
): string;
export function signJWS(
  payload: string | Uint8Array,
  key: unknown,
  options?: SignJWSOptions,
): string | FlattenedJWS | GeneralJWS | Promise<string>;
export function signJWS(
  payload: string | Uint8Array,
  key: unknown,
  options: SignJWSOptions = {},
): string | FlattenedJWS | GeneralJWS | Promise<string> {
  const plan = planJWS(payload, key, options);
  if (isCustomAlgorithm(options.algorithm)) {
    if (plan.serialization !== 'compact' || options.signers)
      throw new TypeError('custom algorithms sign compact JWSs only');
    const info = customAlgorithmInfo(options.algorithm, 'sign');
    const { segment } = encodeProtectedHeader(
      info.name,
      { ...options, header: plan.b64Header(options.header) },
      undefined,
    );
    const signature = customSign(info, key, plan.signingInput(segment));
    const compact = (sig: string) =>
      assembleJWS(plan, [{ protected: segment, header: undefined, signature: sig }]) as string;
    return typeof signature === 'string' ? compact(signature) : signature.then(compact);
  }
  const signatures = plan.signers.map((signer): SignedEntry => {
    const prepared = prepareKey(signer.key as KeyInput);
    const info = signingAlgorithm(signer.algorithm, prepared, options.allowWeakKeys === true, () =>
      inferAlgorithm(prepared),
    );
    const { segment, unprotected } = plan.headersOf(signer, info.name, prepared.jwkKid);
    return {
      protected: segment,
      header: unprotected,
      signature: createSignature(info, prepared, plan.signingInput(segment)),
    };
  });
  return assembleJWS(plan, signatures);
}
