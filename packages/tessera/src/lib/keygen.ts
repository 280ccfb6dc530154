// Key-pair generation that never hands out a KeyObject shared with Node's key-generation job.
//
// Why: in Node.js 20 (seen on 20.20), the KeyGenJob behind generateKeyPairSync keeps a copy of the new key's
// data and, when the garbage collector destroys the job, locks that key's mutex. Exporting the key as a JWK
// holds the same mutex while it allocates strings; if that allocation starts a collection that destroys the
// job, the thread waits on itself and the process hangs for ever (no error, 0% CPU). Asking the job for
// encoded keys and importing them again gives key objects with their own data and their own lock: the job's
// destructor then locks a mutex nobody holds. Costs one DER encode and parse per pair (microseconds; key
// generation itself takes far longer).
import type { KeyObject } from 'node:crypto';
import { nodeCrypto } from './node-crypto.js';

/** The key types generateKeyObjects makes: node:crypto's asymmetric types. */
export type GeneratedKeyType = 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'x25519' | 'x448';

/** An RSA modulus and exponent, or an EC curve (node:crypto names); nothing for the OKP types. */
export interface KeyGenParameters {
  modulusLength?: number;
  publicExponent?: number;
  namedCurve?: string;
}

/** A fresh key pair as KeyObjects whose data is not shared with the generation job (see the file comment). */
export function generateKeyObjects(
  type: GeneratedKeyType,
  parameters: KeyGenParameters = {},
): { privateKey: KeyObject; publicKey: KeyObject } {
  const pair = nodeCrypto().generateKeyPairSync(type as 'rsa', {
    ...(parameters as { modulusLength: number }),
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return {
    privateKey: nodeCrypto().createPrivateKey({ key: pair.privateKey, format: 'der', type: 'pkcs8' }),
    publicKey: nodeCrypto().createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' }),
  };
}
