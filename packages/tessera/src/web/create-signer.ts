// createSigner for the web entry: options checked at creation, the key imported once, at the first call.
import { normalizeClaimBuild } from '../lib/claims-build.js';
import type { JWTPayloadInput } from '../types.js';
import { claimBuildOptions, signingInfo, signWith, type WebSignOptions } from './jwt.js';
import { type WebKey, type WebKeyInput, webKeyFor } from './keys.js';

/** Options of the web {@link createSigner}: the web {@link signJWT}'s options and the key. */
export interface WebSignerOptions extends WebSignOptions {
  /** The signing key, as for {@link signJWT}. */
  key: WebKeyInput;
}

/**
 * Builds a reusable signer, as the Node entry's `createSigner` does: the options are checked and the key
 * imported at the first call (a `CryptoKey` import is asynchronous), then each call serializes and signs.
 * @example
 * ```ts
 * import { createSigner } from 'tessera-jwt/web';
 * const sign = createSigner({ key: privateJwk, algorithm: 'ES256', kid: '2026-12', expiresIn: '1h' });
 * const token = await sign({ sub: 'user-42' });
 * ```
 */
export function createSigner(options: WebSignerOptions): (payload: JWTPayloadInput) => Promise<string> {
  const info = signingInfo(options);
  const { key, ...signOptions } = options;
  if (key === undefined || key === null) throw new TypeError('"key" option is required');
  const build = normalizeClaimBuild(claimBuildOptions(signOptions));
  let imported: Promise<WebKey> | undefined;
  return (payload) => {
    // Imported once, at the first call; a key that cannot be imported fails that call and the next ones.
    imported ??= webKeyFor(key, info, 'sign', options.allowWeakKeys === true);
    return signWith(imported, info, build, signOptions, payload);
  };
}

/**
 * The web {@link createSigner} under the Node entry's name for its asynchronous form (every web signer is
 * asynchronous), so code written for `createAsyncSigner` runs unchanged on web runtimes.
 * @example
 * ```ts
 * const sign = createAsyncSigner({ key: privateJwk, algorithm: 'ES256', expiresIn: '1h' });
 * const token = await sign({ sub: 'user-42' });
 * ```
 */
export const createAsyncSigner: typeof createSigner = createSigner;
