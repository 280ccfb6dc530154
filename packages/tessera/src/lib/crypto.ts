// The one seam between Tessera and node:crypto for JWS. No primitive is hand-rolled here: this file
// only picks node's padding/encoding options per algorithm and enforces the input rules node leaves
// open (exact ECDSA signature length, 0 < r, s < n).
import { Buffer } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { nodeCrypto } from './node-crypto.js';
import { type AlgorithmInfo, CURVE_ORDERS } from './algorithms.js';
import { secp256k1VerifiableForm } from './low-s.js';

/** Computes an HMAC over the ASCII signing input. */
export function hmac(info: AlgorithmInfo, secret: Buffer | KeyObject, signingInput: string): Buffer {
  return nodeCrypto().createHmac(info.hash!, secret).update(signingInput, 'latin1').digest();
}

/** Computes an HMAC and returns its base64url text (one allocation less on the hot path). */
export function hmacBase64url(info: AlgorithmInfo, secret: Buffer | KeyObject, signingInput: string): string {
  return nodeCrypto().createHmac(info.hash!, secret).update(signingInput, 'latin1').digest('base64url');
}

/** Constant-time equality of two ASCII strings; the length is not secret. */
export function timingSafeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Constant-time equality of two byte strings of possibly different lengths. */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && nodeCrypto().timingSafeEqual(a, b);
}

function asymmetricOptions(info: AlgorithmInfo, key: KeyObject) {
  switch (info.family) {
    case 'PS':
      // RFC 7518 §3.5: the salt is as long as the hash output, on signing and on verifying.
      return {
        key,
        padding: nodeCrypto().constants.RSA_PKCS1_PSS_PADDING,
        saltLength: nodeCrypto().constants.RSA_PSS_SALTLEN_DIGEST,
      };
    case 'ES':
      // RFC 7518 §3.4: JWS carries R || S, not DER.
      return { key, dsaEncoding: 'ieee-p1363' as const };
    default:
      return key;
  }
}

/** Signs with an asymmetric private key. */
export function signAsymmetric(info: AlgorithmInfo, key: KeyObject, signingInput: string): Buffer {
  return nodeCrypto().sign(info.hash, Buffer.from(signingInput, 'latin1'), asymmetricOptions(info, key));
}

// In-flight threadpool signatures are capped. Far more signatures than cores running at once add no
// throughput, only oversubscription: the main thread, and V8's parallel scavenger whose helper threads
// the main thread waits for, queue behind them for CPU (event-loop stalls of tens of ms on 2 cores). Too
// few idle the cores: each time one completes, its thread waits for the main thread to hand out the next
// (on 2 cores, RS256 through the token service: cores in flight 1.15x the inline throughput, cores + 1
// 1.35-1.48x, cores + 2 1.58-1.60x, more no better and a later event loop). So at most
// min(cores + 2, pool size) run at once, and the rest wait here, in order. An fs or dns call that finds
// every libuv thread signing waits for the first to finish (well under a millisecond), never longer.
// Computed on the first call (node:os is not loaded at import: it would add to the cold start).
let maxInFlight = 0;
function computeMaxInFlight(): number {
  const poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const cores = process.getBuiltinModule('node:os').availableParallelism();
  return Math.max(1, Math.min(cores + 2, poolSize));
}
let inFlight = 0;
let waiting: Array<() => void> = [];
let next = 0;

function release(): void {
  inFlight--;
  if (next < waiting.length) {
    const run = waiting[next]!;
    waiting[next++] = undefined as never;
    if (next === waiting.length) {
      waiting = [];
      next = 0;
    }
    run();
  }
}

/**
 * Signs with an asymmetric private key on the libuv threadpool (node's callback form of `crypto.sign`),
 * so the event loop keeps serving while RSA/ECDSA/EdDSA work runs. Same options as {@link signAsymmetric}.
 * At most min(cores + 2, pool size) signatures run at once; further calls wait their turn, in order.
 */
export function signAsymmetricAsync(info: AlgorithmInfo, key: KeyObject, signingInput: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const run = () => {
      inFlight++;
      try {
        nodeCrypto().sign(
          info.hash,
          Buffer.from(signingInput, 'latin1'),
          asymmetricOptions(info, key),
          (error, signature) => {
            release();
            if (error) reject(error);
            else resolve(signature);
          },
        );
      } catch (error) {
        release();
        reject(error);
      }
    };
    if (maxInFlight === 0) maxInFlight = computeMaxInFlight();
    if (inFlight < maxInFlight) run();
    else waiting.push(run);
  });
}

// 0 < v < n, for a big-endian scalar of exactly n's length.
function inRange(v: Uint8Array, offset: number, n: Uint8Array): boolean {
  let nonZero = 0;
  let cmp = 0; // -1 below n, 1 above, 0 equal so far
  for (let i = 0; i < n.length; i++) {
    const a = v[offset + i]!;
    const b = n[i]!;
    nonZero |= a;
    if (cmp === 0 && a !== b) cmp = a < b ? -1 : 1;
  }
  return nonZero !== 0 && cmp === -1;
}

/** Verifies an asymmetric signature. Malformed ECDSA signatures are rejected before node sees them. */
export function verifyAsymmetric(
  info: AlgorithmInfo,
  key: KeyObject,
  signingInput: string,
  signature: Uint8Array,
): boolean {
  if (info.family === 'ES') {
    const size = info.scalarBytes!;
    if (signature.length !== 2 * size) return false;
    const n = CURVE_ORDERS[info.curve!]!;
    if (!inRange(signature, 0, n) || !inRange(signature, size, n)) return false;
    if (info.curve === 'secp256k1') signature = secp256k1VerifiableForm(signature);
  }
  try {
    return nodeCrypto().verify(info.hash, Buffer.from(signingInput, 'latin1'), asymmetricOptions(info, key), signature);
  } catch {
    // OpenSSL throws for some malformed inputs (e.g. an RSA signature longer than the modulus).
    return false;
  }
}
