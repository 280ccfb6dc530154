import type { AsyncCustomAlgorithm, CustomAlgorithm, JWTPayloadInput, KeyInput, SignOptions } from '../types.js';
import { compileSigner } from './sign.js';

/**
 * Builds a reusable signer: the key is imported and checked, the header encoded, and the options
 * validated once, so each call only serializes the payload and signs.
 *
 * @example
 * ```ts
 * import { createSigner } from 'tessera-jwt';
 * const sign = createSigner({ key: privatePem, algorithm: 'ES256', kid: '2024-06', expiresIn: '1h' });
 * const token = sign({ sub: 'user-42' });
 * ```
 */
export function createSigner(
  options: SignOptions & { key: unknown; algorithm: AsyncCustomAlgorithm },
): (payload: JWTPayloadInput) => Promise<string>;
export function createSigner(
  options: SignOptions & { key: unknown; algorithm: CustomAlgorithm },
): (payload: JWTPayloadInput) => string;
export function createSigner(options: SignOptions & { key: KeyInput }): (payload: JWTPayloadInput) => string;
export function createSigner(
  options: SignOptions & { key: unknown },
): (payload: JWTPayloadInput) => string | Promise<string> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (options.key === undefined) throw new TypeError('"key" option is required');
  return compileSigner(options.key, options, true);
}
