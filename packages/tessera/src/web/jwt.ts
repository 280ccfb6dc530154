// verifyJWT and signJWT for the web entry: the compact JWS of jws-verify.ts plus the Node entry's claim
// validation and claim building.
import { isNoneAlgorithm, type AlgorithmInfo, algorithmInfo } from '../lib/algorithms.js';
import { normalizeClaimOptions, validateClaims } from '../lib/claims.js';
import { buildClaims, type NormalizedClaimBuild, normalizeClaimBuild, serializeClaims } from '../lib/claims-build.js';
import { normalizeMaxJSONDepth } from '../lib/json.js';
import { encodeProtectedHeader } from '../lib/jws-header.js';
import type { ClaimOptions, JWTPayload, JWTPayloadInput, SignOptions } from '../types.js';
import { encoder, segmentJSON, verifyCompact, type WebCompactVerifyOptions } from './jws-verify.js';
import type { WebKeySource } from './jwks.js';
import { encodeB64u, subtle, type WebKey, type WebKeyInput, webKeyFor } from './keys.js';
import { checkOptions, WEB_VERIFY_OPTION_NAMES } from './options.js';

/** Options of the web {@link verifyJWT}: the claim checks of the Node entry, and the algorithms to accept. */
export interface WebVerifyOptions extends ClaimOptions, WebCompactVerifyOptions {}

/** Options of the web {@link signJWT}: the claim-building options of the Node entry, and the algorithm. */
export interface WebSignOptions extends Omit<SignOptions, 'algorithm'> {
  /** The JWS algorithm, e.g. "HS256", "RS256", "ES256", "EdDSA". */
  algorithm: string;
}

/**
 * Verifies a compact JWT over `crypto.subtle` and validates its claims exactly like the Node entry's
 * `verifyJWT`; resolves to the payload. Every failure is a rejection with one of Tessera's typed errors.
 * @example
 * ```ts
 * const claims = await verifyJWT(token, jwk, { algorithms: ['ES256'], issuer: 'https://auth.example.com' });
 * ```
 */
export async function verifyJWT<P extends JWTPayload = JWTPayload>(
  token: string,
  key: WebKeySource,
  options: WebVerifyOptions,
): Promise<P> {
  const algorithms = checkOptions(options, WEB_VERIFY_OPTION_NAMES, 'verifyJWT');
  const claims = normalizeClaimOptions(options);
  const { header, payload: bytes } = await verifyCompact(token, key, options, algorithms);
  const payload = segmentJSON(bytes, 'payload', normalizeMaxJSONDepth(options.maxJSONDepth)) as JWTPayload;
  validateClaims(payload, header, claims);
  return payload as P;
}

/**
 * Signs a JWT over `crypto.subtle` with the claim-building rules of the Node entry's `signJWT` (`iat` by
 * default, `expiresIn`, `issuer`, …); resolves to the compact token.
 * @example
 * ```ts
 * const token = await signJWT({ sub: 'user-42' }, privateJwk, { algorithm: 'ES256', expiresIn: '15m' });
 * ```
 */
export async function signJWT(payload: JWTPayloadInput, key: WebKeyInput, options: WebSignOptions): Promise<string> {
  const info = signingInfo(options);
  const build = normalizeClaimBuild(claimBuildOptions(options));
  return signWith(webKeyFor(key, info, 'sign', options.allowWeakKeys === true), info, build, options, payload);
}

export function signingInfo(options: WebSignOptions): AlgorithmInfo {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const { algorithm } = options;
  const info = typeof algorithm === 'string' && !isNoneAlgorithm(algorithm) ? algorithmInfo(algorithm) : undefined;
  if (info === undefined) throw new TypeError('"algorithm" option must name a JWS algorithm, e.g. "HS256"');
  return info;
}

export function claimBuildOptions(options: WebSignOptions): SignOptions {
  const { algorithm: _, ...claimOptions } = options;
  return claimOptions as SignOptions;
}

export async function signWith(
  key: Promise<WebKey>,
  info: AlgorithmInfo,
  build: NormalizedClaimBuild,
  options: WebSignOptions,
  payload: JWTPayloadInput,
): Promise<string> {
  const web = await key;
  // The Node entry's header builder: alg, typ (default "JWT"), kid (default the key's), then `header` members.
  const { header, segment } = encodeProtectedHeader(info.name, options, 'JWT', web.kid);
  if (header.b64 === false) throw new TypeError('"b64": false (RFC 7797) cannot be used for a JWT; use signJWS');
  const input = `${segment}.${encodeB64u(encoder.encode(serializeClaims(buildClaims(payload, build))))}`;
  const signature = new Uint8Array(await subtle().sign(web.params, web.key, encoder.encode(input)));
  return `${input}.${encodeB64u(signature)}`;
}

/**
 * The web entry's {@link signJWT} under the Node entry's name for its asynchronous form, so code written
 * for `signJWTAsync` runs unchanged on web runtimes.
 * @example
 * ```ts
 * const token = await signJWTAsync({ sub: 'user-42' }, privateJwk, { algorithm: 'ES256', expiresIn: '15m' });
 * ```
 */
export const signJWTAsync: typeof signJWT = signJWT;
