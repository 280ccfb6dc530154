import { nodeCrypto } from '../lib/node-crypto.js';
import { generateKeyObjects } from '../lib/keygen.js';
import { fromKeyObject } from '../lib/keys.js';
import { keyTypeRule } from '../lib/key-types.js';
import { checkGenerateKeyPairOptions, checkGenerateSecretOptions } from '../lib/option-names.js';
import { type Key, newKey } from './key.js';

/**
 * Options of {@link generateKeyPair}.
 * @example
 * ```ts
 * const options: GenerateKeyPairOptions = { kid: '2026-12', modulusLength: 3072 };
 * ```
 */
export interface GenerateKeyPairOptions {
  /** The key ID of both halves (default: the RFC 7638 thumbprint of the public key). */
  kid?: string;
  /** RSA modulus length in bits (default 2048; at least 2048). */
  modulusLength?: number;
  /** The curve where the algorithm allows several: EdDSA (`Ed25519` default, `Ed448`), ECDH-ES (`P-256` default, `P-384`, `P-521`, `X25519`, `X448`). */
  crv?: string;
}

const NODE_CURVE: Record<string, string> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
  secp256k1: 'secp256k1',
};

/**
 * Generates a key pair for a JWS or JWE algorithm. Both keys are bound to `alg`, carry `use`
 * (`sig` or `enc`) and a `kid` (default: the public key's RFC 7638 thumbprint), ready for a JWKSet.
 * RSA keys are 2048 bits unless `modulusLength` says more; PS256/384/512 get ordinary RSA keys (the
 * form every JOSE library and JWK can carry).
 * @example
 * ```ts
 * import { generateKeyPair, signJWT, JWKSet } from 'tessera-jwt';
 * const { privateKey, publicKey } = generateKeyPair('ES256');
 * const token = signJWT({ sub: 'user-42' }, privateKey); // header carries kid
 * const jwks = new JWKSet([publicKey]).toJSON();        // publish at /.well-known/jwks.json
 * ```
 */
export function generateKeyPair(
  alg: string,
  options: GenerateKeyPairOptions = {},
): { privateKey: Key; publicKey: Key } {
  if (typeof alg !== 'string') throw new TypeError('"alg" must be a string');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkGenerateKeyPairOptions(options);
  const rule = keyTypeRule(alg);
  if (!rule || rule.kty === 'oct') {
    throw new TypeError(
      `"${alg.slice(0, 40)}" is not an asymmetric JOSE algorithm${rule ? '; use generateSecret' : ''}`,
    );
  }
  if (options.kid !== undefined && typeof options.kid !== 'string')
    throw new TypeError('"kid" option must be a string');
  let pair: { privateKey: import('node:crypto').KeyObject; publicKey: import('node:crypto').KeyObject };
  if (rule.kty === 'RSA') {
    if (options.crv !== undefined) throw new TypeError(`"crv" option does not apply to ${alg}`);
    const modulusLength = options.modulusLength ?? 2048;
    if (!Number.isInteger(modulusLength) || modulusLength < 2048 || modulusLength > 16384 || modulusLength % 8 !== 0) {
      throw new TypeError('"modulusLength" option must be a multiple of 8 from 2048 to 16384');
    }
    pair = generateKeyObjects('rsa', { modulusLength, publicExponent: 0x10001 });
  } else {
    if (options.modulusLength !== undefined) throw new TypeError(`"modulusLength" option does not apply to ${alg}`);
    const crv = options.crv ?? rule.crv![0]!;
    if (!rule.crv!.includes(crv)) throw new TypeError(`"crv" option must be one of ${rule.crv!.join(', ')} for ${alg}`);
    if (NODE_CURVE[crv]) pair = generateKeyObjects('ec', { namedCurve: NODE_CURVE[crv]! });
    else pair = generateKeyObjects(crv.toLowerCase() as 'ed25519');
  }
  const publicPrepared = fromKeyObject(pair.publicKey, 'keyobject');
  const draft = newKey(publicPrepared, {});
  const meta = { alg, use: rule.use, kid: options.kid ?? draft.thumbprint() };
  return {
    privateKey: newKey(fromKeyObject(pair.privateKey, 'keyobject'), meta),
    publicKey: newKey(publicPrepared, meta),
  };
}

/**
 * Generates a random secret for an HMAC, AES key-wrapping or content-encryption algorithm, as long
 * as the algorithm needs (HS256: 32 bytes, HS512: 64, A128KW: 16, A256CBC-HS512: 64, …).
 * @example
 * ```ts
 * import { generateSecret, signJWT } from 'tessera-jwt';
 * const secret = generateSecret('HS256');
 * const token = signJWT({ sub: 'user-42' }, secret);
 * const backup = secret.toJWK({ private: true }); // { kty: 'oct', k: '…', alg: 'HS256', … }
 * ```
 */
export function generateSecret(alg: string, options: { kid?: string } = {}): Key {
  checkGenerateSecretOptions(options);
  if (typeof alg !== 'string') throw new TypeError('"alg" must be a string');
  const rule = keyTypeRule(alg);
  if (rule?.kty !== 'oct' || rule.bytes === undefined) {
    throw new TypeError(
      `"${alg.slice(0, 40)}" has no fixed-size secret${rule && rule.kty !== 'oct' ? '; use generateKeyPair' : ''}`,
    );
  }
  if (options.kid !== undefined && typeof options.kid !== 'string')
    throw new TypeError('"kid" option must be a string');
  return newKey(fromKeyObject(nodeCrypto().createSecretKey(nodeCrypto().randomBytes(rule.bytes)), 'keyobject'), {
    alg,
    use: rule.use,
    kid: options.kid,
  });
}
