import { prepareKey } from '../lib/keys.js';
import type { JWK, KeyInput } from '../types.js';
import { type ExportJWKOptions, Key, keyFromPrepared } from './key.js';

/**
 * Exports any KeyInput (or {@link Key}) as a JWK. Secrets and private keys need `{ private: true }`;
 * `{ private: false }` exports a private key's public half. A JWK's own `kid`, `alg`, `use` and
 * `key_ops` are kept.
 * @example
 * ```ts
 * import { exportJWK } from 'tessera-jwt';
 * const jwk = exportJWK(readFileSync('public.pem', 'utf8')); // { kty: 'EC', crv: 'P-256', x, y }
 * const withPrivate = exportJWK(privateKeyObject, { private: true });
 * ```
 */
export function exportJWK(key: KeyInput | Key, options: ExportJWKOptions = {}): JWK {
  if (key instanceof Key) return key.toJWK(options);
  const jwk =
    key !== null && typeof key === 'object' && typeof (key as JWK).kty === 'string' ? (key as JWK) : undefined;
  return keyFromPrepared(prepareKey(key), jwk).toJWK(options);
}
