// ECDSA over secp256k1 on runtimes whose verify refuses a "high S" signature: Deno 2.9's node:crypto (its
// secp256k1 follows Bitcoin's low-S rule, BIP 62) rejects about half of the valid ES256K signatures that
// OpenSSL, and so Node, PyJWT or jose, make. RFC 7518 §3.4 allows either S, and (r, n − s) is a valid
// signature exactly when (r, s) is, so where the runtime insists, the verifier hands it the low-S form of
// the same signature. Whether it insists is probed once, on the first ES256K verification.
import { Buffer } from 'node:buffer';
import { CURVE_ORDERS } from './algorithms.js';
import { generateKeyObjects } from './keygen.js';
import { nodeCrypto } from './node-crypto.js';

const N = BigInt(`0x${Buffer.from(CURVE_ORDERS.secp256k1!).toString('hex')}`);
let refusesHighS: boolean | undefined;

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function toBytes(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex');
}

// R ‖ (n − s) for a 64-byte R ‖ S.
function flipS(signature: Uint8Array): Buffer {
  return Buffer.concat([signature.subarray(0, 32), toBytes(N - toBigInt(signature.subarray(32)))]);
}

function probe(): boolean {
  try {
    const { privateKey, publicKey } = generateKeyObjects('ec', { namedCurve: 'secp256k1' });
    const data = Buffer.from('tessera low-S probe');
    const signature = nodeCrypto().sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const verify = (s: Uint8Array) =>
      nodeCrypto().verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, s);
    return !(verify(signature) && verify(flipS(signature)));
  } catch {
    return false;
  }
}

/** The signature to give this runtime's secp256k1 verify: `signature` itself, or its low-S form. */
export function secp256k1VerifiableForm(signature: Uint8Array): Uint8Array {
  refusesHighS ??= probe();
  if (!refusesHighS || toBigInt(signature.subarray(32)) <= N >> 1n) return signature;
  return flipS(signature);
}
