// The JWS algorithm table (RFC 7518 §3, RFC 8037, RFC 8812 for ES256K, RFC 9864 for Ed25519/Ed448).
// Everything that depends on an algorithm name is looked up here, once.
import type { CustomAlgorithm } from '../types.js';

export type AlgorithmFamily = 'HS' | 'RS' | 'PS' | 'ES' | 'EdDSA' | 'custom';

export interface AlgorithmInfo {
  readonly name: string;
  readonly family: AlgorithmFamily;
  /** node:crypto digest name, or null for EdDSA (the hash is part of the curve). */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
  /** HMAC: the minimum secret length in bytes (the hash output size, RFC 7518 §3.2). */
  readonly minSecretBytes?: number;
  /** ECDSA: node's curve name, the JWK crv, and the length of one of r, s in bytes. */
  readonly curve?: string;
  readonly crv?: string;
  readonly scalarBytes?: number;
  /** EdDSA variants pinned to one curve (RFC 9864 "Ed25519"/"Ed448"); the generic "EdDSA" takes both. */
  readonly okpTypes?: readonly string[];
  /** A caller-supplied algorithm (family 'custom'). */
  readonly custom?: CustomAlgorithm;
}

const table = new Map<string, AlgorithmInfo>();
function add(info: AlgorithmInfo): void {
  table.set(info.name, Object.freeze(info));
}
for (const bits of [256, 384, 512] as const) {
  const hash = `sha${bits}` as const;
  add({ name: `HS${bits}`, family: 'HS', hash, minSecretBytes: bits / 8 });
  add({ name: `RS${bits}`, family: 'RS', hash });
  add({ name: `PS${bits}`, family: 'PS', hash });
}
add({ name: 'ES256', family: 'ES', hash: 'sha256', curve: 'prime256v1', crv: 'P-256', scalarBytes: 32 });
add({ name: 'ES384', family: 'ES', hash: 'sha384', curve: 'secp384r1', crv: 'P-384', scalarBytes: 48 });
add({ name: 'ES512', family: 'ES', hash: 'sha512', curve: 'secp521r1', crv: 'P-521', scalarBytes: 66 });
add({ name: 'ES256K', family: 'ES', hash: 'sha256', curve: 'secp256k1', crv: 'secp256k1', scalarBytes: 32 });
add({ name: 'EdDSA', family: 'EdDSA', hash: null, okpTypes: ['ed25519', 'ed448'] });
add({ name: 'Ed25519', family: 'EdDSA', hash: null, okpTypes: ['ed25519'] });
add({ name: 'Ed448', family: 'EdDSA', hash: null, okpTypes: ['ed448'] });

/**
 * The JWS algorithms Tessera implements, in a stable order.
 * @example
 * ```ts
 * import { JWS_ALGORITHMS } from 'tessera-jwt';
 * console.log(JWS_ALGORITHMS.includes('ES256K')); // true
 * ```
 */
export const JWS_ALGORITHMS: readonly string[] = Object.freeze([...table.keys()]);

/** Looks an algorithm up by its exact (case-sensitive) name. */
export function algorithmInfo(alg: string): AlgorithmInfo | undefined {
  return table.get(alg);
}

/** `none` in any casing: never accepted by a verifier (RFC 8725 §3.1, CVE-2015-9235 and friends). */
export function isNoneAlgorithm(alg: unknown): boolean {
  return typeof alg === 'string' && alg.length === 4 && alg.toLowerCase() === 'none';
}

// Plain bytes, no Buffer: this table is shared with the web build.
function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The ECDSA group orders n, big-endian, for the 0 < r, s < n check (SEC 1 §4.1.4, CVE-2022-21449). */
export const CURVE_ORDERS: Readonly<Record<string, Uint8Array>> = Object.freeze({
  prime256v1: hexBytes('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
  secp384r1: hexBytes(
    'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
  ),
  secp521r1: hexBytes(
    '01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  ),
  secp256k1: hexBytes('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
});
