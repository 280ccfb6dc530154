// KeyObject → JWK members (RFC 7517/7518/8037). node exports every key type Tessera uses as a JWK except
// RSA-PSS keys (RFC 7518 has no JWK form for an RSASSA-PSS-restricted key); those are exported as the
// plain RSA key they contain, which is what every JOSE library expects for PS256/384/512.
import { Buffer } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { nodeCrypto } from './node-crypto.js';
import type { JWK } from '../types.js';
import { derElement } from './keys.js';
import { PRIVATE_MEMBERS } from './jwk-set-base.js';

const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
  oct: ['kty', 'k'],
};

// Defined beside the JWK Set rules, which the web entry shares (this file imports node:buffer).
export { PRIVATE_MEMBERS };

// PKCS#8 PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm AlgorithmIdentifier, privateKey OCTET STRING }
// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
// For RSASSA-PSS keys both wrap the ordinary PKCS#1 structures, which node reads as plain RSA keys.
function pssAsRSA(keyObject: KeyObject): KeyObject {
  if (keyObject.type === 'private') {
    const der = keyObject.export({ type: 'pkcs8', format: 'der' });
    const info = derElement(der, 0);
    const version = derElement(der, info.start);
    const algorithm = derElement(der, version.end);
    const octets = derElement(der, algorithm.end);
    return nodeCrypto().createPrivateKey({ key: der.subarray(octets.start, octets.end), format: 'der', type: 'pkcs1' });
  }
  const der = keyObject.export({ type: 'spki', format: 'der' });
  const spki = derElement(der, 0);
  const algorithm = derElement(der, spki.start);
  const bits = derElement(der, algorithm.end);
  return nodeCrypto().createPublicKey({ key: der.subarray(bits.start + 1, bits.end), format: 'der', type: 'pkcs1' });
}

/**
 * The JWK of a KeyObject: private members only when `includePrivate` (a private key without it gives
 * its public half), members in the RFC's order.
 */
export function keyObjectToJWK(keyObject: KeyObject, includePrivate: boolean): JWK {
  if (keyObject.type === 'secret') return { kty: 'oct', k: keyObject.export().toString('base64url') };
  let source = keyObject.asymmetricKeyType === 'rsa-pss' ? pssAsRSA(keyObject) : keyObject;
  if (source.type === 'private' && !includePrivate) source = nodeCrypto().createPublicKey(source);
  const exported = source.export({ format: 'jwk' }) as JWK;
  const jwk: JWK = { kty: exported.kty };
  for (const name of [...PUBLIC_MEMBERS[exported.kty]!, ...PRIVATE_MEMBERS]) {
    if (exported[name] !== undefined) jwk[name] = exported[name];
  }
  return jwk;
}

/** The public members of a JWK (what a thumbprint or a published set may contain). */
export function publicMembersOf(jwk: JWK): readonly string[] | undefined {
  return PUBLIC_MEMBERS[jwk.kty];
}

export { Buffer };
