// The web middleware core: the Node middleware's core (extraction, RFC 6750 answers, hooks, guards) over the
// web entry's verifyJWT, with its options checked at setup. Shared by tessera-jwt/web/fetch and /web/hono.
import {
  AUTH_OPTION_NAMES,
  type AuthCore,
  type AuthOptions,
  createAuthCore,
  type VerifierFactory,
} from '../middleware/core.js';
import type { JWTPayload } from '../types.js';
import { verifyJWT, type WebVerifyOptions } from './jwt.js';
import type { WebKeySource } from './jwks.js';
import { checkVerifyJWTOptions, withoutNames } from './options.js';

/**
 * Options of the web middleware: those of the Node middleware (`audience`, `issuer`, `realm`, `cookie`,
 * `query`, `isRevoked`, `guards`, `onError`, …) with a web key — a secret, a JWK, a `CryptoKey`, PEM text, a
 * JWK Set, a resolver, or `createRemoteJWKSet(url)` from `tessera-jwt/web` — and `algorithms` required.
 * The verified-token `cache` of `createVerifier` does not exist here.
 * @example
 * ```ts
 * const options: WebAuthOptions = { key: jwks, algorithms: ['ES256'], issuer: 'https://auth.example.com' };
 * ```
 */
export interface WebAuthOptions<Claims = JWTPayload, Request = unknown>
  extends Omit<AuthOptions<Claims, Request>, 'key' | 'cache' | 'algorithms' | 'crit'> {
  /** The verification key, JWK Set or resolver (e.g. `createRemoteJWKSet(url)` from `tessera-jwt/web`). */
  key: WebKeySource;
  /** The accepted JWS algorithms (required on web runtimes). */
  algorithms: readonly string[];
  /** Only `[]`: the web entry implements no `crit` extension. */
  crit?: readonly [];
}

/** Internal: every option name of the web middleware. */
const WEB_AUTH_OPTION_NAMES = withoutNames(AUTH_OPTION_NAMES, 'cache');

/** Internal: the web entry's verifyJWT as the middleware core's verifier, its options checked at setup. */
const webVerifier: VerifierFactory = (options) => {
  const { key, ...verifyOptions } = options as unknown as WebVerifyOptions & { key: WebKeySource };
  if (key === undefined || key === null) throw new TypeError('"key" option is required');
  // Checked now (TypeErrors at setup, as on Node), although verifyJWT checks them again on every call.
  checkVerifyJWTOptions(verifyOptions);
  return (token) => verifyJWT(token, key, verifyOptions);
};

/** Internal: the web middleware core for one adapter. */
export function webAuthCore<Claims, Request extends object>(
  options: WebAuthOptions<Claims, Request>,
  where: string,
): AuthCore<Claims, Request> {
  if (options !== null && typeof options === 'object' && Object.hasOwn(options, 'cache'))
    throw new TypeError(`${where}: the "cache" option (verified-token cache) is not available on web runtimes`);
  return createAuthCore<Claims, Request>(
    options as unknown as AuthOptions<Claims, Request>,
    where,
    WEB_AUTH_OPTION_NAMES,
    webVerifier,
  );
}
