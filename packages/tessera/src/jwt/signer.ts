import type { AsyncCustomAlgorithm, CustomAlgorithm, JWTPayloadInput, KeyInput, SignOptions } from '../types.js';
import { compileSigner } from '../lib/jwt-sign.js';
import { checkSignerOptions } from '../lib/option-names.js';

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
  checkSignerOptions(options);
  if (options.key === undefined) throw new TypeError('"key" option is required');
  return compileSigner(options.key, options, true);
}

/**
 * Builds a reusable signer like {@link createSigner} whose tokens are signed off the main thread (see
 * {@link signJWTAsync}): the key is imported and the options checked once, at creation (a bad option or
 * key throws here); each call serializes the payload and resolves with the token once the libuv
 * threadpool has signed it.
 *
 * @example
 * ```ts
 * import { createAsyncSigner } from 'tessera-jwt';
 * const sign = createAsyncSigner({ key: privatePem, algorithm: 'ES256', kid: '2024-06', expiresIn: '1h' });
 * const token = await sign({ sub: 'user-42' });
 * ```
 */
export function createAsyncSigner(
  options: SignOptions & { key: unknown },
): (payload: JWTPayloadInput) => Promise<string> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkSignerOptions(options, 'createAsyncSigner');
  if (options.key === undefined) throw new TypeError('"key" option is required');
  const sign = compileSigner(options.key, options, true, true);
  return async (payload) => sign(payload);
}
