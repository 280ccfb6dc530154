// The web signJWS: the Node entry's signJWS (compact, flattened and general JSON with several signers,
// detached and RFC 7797 unencoded payloads; same options and output) over crypto.subtle. Everything but
// the signing itself is the core's plan (lib/jws-sign-plan.ts), so the two entries build the same headers.
import { assembleJWS, planJWS, type SignedEntry } from '../lib/jws-sign-plan.js';
import { latin1Bytes } from '../lib/latin1.js';
import type { FlattenedJWS, GeneralJWS } from '../types.js';
import { signingInfo, type WebSignOptions } from './jwt.js';
import { encodeB64u, subtle, type WebKeyInput, webKeyFor } from './keys.js';

/**
 * One signer of a general-serialization JWS (the Node entry's `JWSSigner`).
 * @example
 * ```ts
 * const signer: WebJWSSigner = { key: rsaPrivateJwk, algorithm: 'RS256', kid: 'rsa-1' };
 * ```
 */
export interface WebJWSSigner {
  key: WebKeyInput;
  /** The JWS algorithm; may be left out when the key (a `Key` or a JWK) names its `alg`. */
  algorithm?: string;
  kid?: string;
  /** Extra protected header members. */
  header?: Record<string, unknown>;
  /** Unprotected header members of this signature (JSON serializations). */
  unprotectedHeader?: Record<string, unknown>;
}

/**
 * Options of the web {@link signJWS}: the Node entry's `SignJWSOptions`, less custom algorithms.
 * @example
 * ```ts
 * const options: WebSignJWSOptions = { algorithm: 'ES256', kid: 'k1', serialization: 'flattened', detached: true };
 * ```
 */
export interface WebSignJWSOptions {
  /** The JWS algorithm; may be left out when the key (a `Key` or a JWK) names its `alg`. */
  algorithm?: string;
  /** The `kid` header parameter (default: the key's). */
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
  signers?: WebJWSSigner[];
  /** Leave the payload out of the output (RFC 7515 Appendix F); the verifier supplies it as `detachedPayload`. */
  detached?: boolean;
  /** `false`: the RFC 7797 unencoded payload; adds `b64: false` and `crit: ["b64"]` to every protected header. */
  b64?: boolean;
  /** Accept weak keys (HMAC secrets shorter than the hash, RSA under 2048 bits). */
  allowWeakKeys?: boolean;
}

// Node infers the algorithm from any key; here a key that names its alg (a Key, a JWK) is enough.
function algorithmOf(algorithm: unknown, key: unknown): unknown {
  if (algorithm !== undefined) return algorithm;
  const named = key !== null && typeof key === 'object' ? (key as { alg?: unknown }).alg : undefined;
  return typeof named === 'string' ? named : undefined;
}

/**
 * Signs arbitrary bytes (or a UTF-8 string) as a JWS (RFC 7515) over `crypto.subtle`, exactly like the
 * Node entry's `signJWS`: compact by default, or the flattened or general JSON serialization (several
 * `signers`, unprotected headers), with a detached payload (`detached`) or an unencoded one (`b64: false`,
 * RFC 7797). For JWT claims use `signJWT`.
 * @example
 * ```ts
 * const jws = await signJWS('hello', privateJwk, { algorithm: 'EdDSA', kid: 'k1' });
 * const general = await signJWS('hello', null, {
 *   serialization: 'general',
 *   signers: [{ key: rsaJwk, algorithm: 'RS256' }, { key: ecJwk, algorithm: 'ES256', unprotectedHeader: { kid: 'ec-1' } }],
 * });
 * const detached = await signJWS(document, hmacSecret, { algorithm: 'HS256', detached: true, b64: false });
 * ```
 */
export function signJWS(
  payload: string | Uint8Array,
  key: WebKeyInput | null,
  options: WebSignJWSOptions & { serialization: 'general' },
): Promise<GeneralJWS>;
export function signJWS(
  payload: string | Uint8Array,
  key: WebKeyInput,
  options: WebSignJWSOptions & { serialization: 'flattened' },
): Promise<FlattenedJWS>;
export function signJWS(
  payload: string | Uint8Array,
  key: WebKeyInput,
  options?: WebSignJWSOptions & { serialization?: 'compact' },
): Promise<string>;
export function signJWS(
  payload: string | Uint8Array,
  key: WebKeyInput | null,
  options?: WebSignJWSOptions,
): Promise<string | FlattenedJWS | GeneralJWS>;
export async function signJWS(
  payload: string | Uint8Array,
  key: WebKeyInput | null,
  options: WebSignJWSOptions = {},
): Promise<string | FlattenedJWS | GeneralJWS> {
  const plan = planJWS(payload, key, options);
  const weak = options.allowWeakKeys === true;
  const signatures = plan.signers.map(async (signer): Promise<SignedEntry> => {
    const info = signingInfo({ algorithm: algorithmOf(signer.algorithm, signer.key) } as WebSignOptions);
    const web = await webKeyFor(signer.key as WebKeyInput, info, 'sign', weak);
    const { segment, unprotected } = plan.headersOf(signer, info.name, web.kid);
    const input = latin1Bytes(plan.signingInput(segment));
    const signature = new Uint8Array(await subtle().sign(web.params, web.key, input));
    return { protected: segment, header: unprotected, signature: encodeB64u(signature) };
  });
  return assembleJWS(plan, await Promise.all(signatures));
}
