// Key-pair generation that never hands out a KeyObject shared with Node's key-generation job.
//
// Why: in Node.js 20 (seen on 20.20), the KeyGenJob behind generateKeyPairSync keeps a copy of the new key's
// data and, when the garbage collector destroys the job, locks that key's mutex. Exporting the key as a JWK
// holds the same mutex while it allocates strings; if that allocation starts a collection that destroys the
// job, the thread waits on itself and the process hangs for ever (no error, 0% CPU). Asking the job for
// encoded keys and importing them again gives key objects with their own data and their own lock: the job's
// destructor then locks a mutex nobody holds. The encoding is JWK, not DER: OpenSSL 3's DER decoder costs
// ~0.4 ms per private key, a JWK import a tenth of that, and the caller usually wants the public JWK anyway.
import type { KeyObject } from 'node:crypto';
import type { JWK } from '../types.js';
import { nodeCrypto } from './node-crypto.js';
import { missingKeyType } from './runtime-support.js';

/** The key types generateKeyObjects makes: node:crypto's asymmetric types. */
export type GeneratedKeyType = 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'x25519' | 'x448';

/** An RSA modulus and exponent, or an EC curve (node:crypto names); nothing for the OKP types. */
export interface KeyGenParameters {
  modulusLength?: number;
  publicExponent?: number;
  namedCurve?: string;
}

/** A fresh key pair whose KeyObjects do not share data with the generation job (see the file comment). */
export interface GeneratedKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as node:crypto exports it (kty and the key members only). */
  publicJwk: JWK;
}

/** The private half of a fresh pair plus its public JWK, without a public KeyObject (ephemeral ECDH keys). */
export function generatePrivateKeyObject(
  type: GeneratedKeyType,
  parameters: KeyGenParameters = {},
): { privateKey: KeyObject; publicJwk: JWK } {
  let pair: { privateKey: JWK; publicKey: JWK };
  try {
    pair = nodeCrypto().generateKeyPairSync(
      type as 'rsa',
      {
        ...(parameters as { modulusLength: number }),
        publicKeyEncoding: { format: 'jwk' },
        privateKeyEncoding: { format: 'jwk' },
      } as never,
    ) as unknown as { privateKey: JWK; publicKey: JWK };
  } catch (err) {
    const optional =
      type === 'x448' || type === 'ed448' ? type : parameters.namedCurve === 'secp256k1' ? 'secp256k1' : undefined;
    const missing = optional && missingKeyType(optional);
    throw missing || err;
  }
  return {
    privateKey: nodeCrypto().createPrivateKey({ key: pair.privateKey as never, format: 'jwk' }),
    publicJwk: pair.publicKey,
  };
}

/** A fresh key pair as KeyObjects (see the file comment). */
export function generateKeyObjects(type: GeneratedKeyType, parameters: KeyGenParameters = {}): GeneratedKeyPair {
  const { privateKey, publicJwk } = generatePrivateKeyObject(type, parameters);
  return {
    privateKey,
    publicKey: nodeCrypto().createPublicKey({ key: publicJwk as never, format: 'jwk' }),
    publicJwk,
  };
}
