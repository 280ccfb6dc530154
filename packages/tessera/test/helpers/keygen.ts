// node:crypto's generateKeyPairSync for the tests, minus Node 20's deadlock: a KeyObject shared with its
// generation job can hang the process when exported as a JWK during a garbage collection (see
// src/lib/keygen.ts). With encodings asked for, the result is node:crypto's own; without, the pair is made
// through DER so each KeyObject owns its data.
import * as nodeCrypto from 'node:crypto';

export const generateKeyPairSync = ((type: string, options: Record<string, unknown> = {}) => {
  if (options.publicKeyEncoding !== undefined || options.privateKeyEncoding !== undefined)
    return (nodeCrypto.generateKeyPairSync as (t: string, o: object) => unknown)(type, options);
  const pair = (nodeCrypto.generateKeyPairSync as (t: string, o: object) => { publicKey: Buffer; privateKey: Buffer })(
    type,
    {
      ...options,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    },
  );
  return {
    publicKey: nodeCrypto.createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' }),
    privateKey: nodeCrypto.createPrivateKey({ key: pair.privateKey, format: 'der', type: 'pkcs8' }),
  };
}) as typeof nodeCrypto.generateKeyPairSync;
