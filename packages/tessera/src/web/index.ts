/**
 * Tessera on web runtimes (browsers, Cloudflare Workers, Deno, Bun, edge functions): JWT signing and
 * verification over `crypto.subtle`, with the same names as the Node entry but asynchronous, because
 * `crypto.subtle` is. Nothing here imports a `node:` module; the build bundles this entry for the browser
 * platform and fails if one slips in.
 *
 * This first cut covers compact JWS/JWT with every JWS algorithm `crypto.subtle` provides (HS*, RS*, PS*,
 * ES256/384/512, EdDSA/Ed25519 where the runtime has Ed25519) and keys given as a secret, a JWK, a
 * `CryptoKey` or a PEM SPKI / PKCS#8 text. Claims are validated by the same code as on Node.
 *
 * @example
 * ```ts
 * import { signJWT, verifyJWT } from 'tessera-jwt/web';
 * const secret = crypto.getRandomValues(new Uint8Array(32));
 * const token = await signJWT({ sub: 'user-42' }, secret, { algorithm: 'HS256', expiresIn: '15m' });
 * const claims = await verifyJWT(token, secret, { algorithms: ['HS256'] });
 * ```
 * @module
 */
import {
  DecodeError,
  InvalidAlgorithmError,
  InvalidSignatureError,
  NoMatchingKeyError,
  UnsupportedCriticalHeaderError,
} from '../errors.js';
import { type AlgorithmInfo, algorithmInfo, CURVE_ORDERS, isNoneAlgorithm } from '../lib/algorithms.js';
import { normalizeClaimOptions, nowSeconds, validateClaims } from '../lib/claims.js';
import { buildClaims, type NormalizedClaimBuild, normalizeClaimBuild, serializeClaims } from '../lib/claims-build.js';
import { toSeconds } from '../lib/duration.js';
import { deepFreeze } from '../lib/freeze.js';
import { LRU } from '../lib/lru.js';
import { optionNames } from '../lib/options.js';
import { normalizeMaxJSONDepth, parseJSONText } from '../lib/json.js';
import { encodeProtectedHeader } from '../lib/jws-header.js';
import type { CacheOptions, ClaimOptions, JWSHeader, JWTPayload, JWTPayloadInput, SignOptions } from '../types.js';
import { checkOptions, JWS_OPTION_NAMES, WEB_VERIFY_OPTION_NAMES } from './options.js';
import { candidatesFor, isJWKSetDocument, prepareSet, type WebKeyResolver, type WebKeySource } from './jwks.js';
import { decodeB64u, encodeB64u, subtle, type WebKey, type WebKeyInput, webKeyFor } from './keys.js';
import {
  decryptJWTWith,
  encryptJWTWith,
  type WebDecryptedJWT,
  type WebDecryptJWTOptions,
  type WebEncryptJWTOptions,
} from './jwt-encrypt.js';
import type { WebJWEKeyInput, WebJWEKeySource } from './jwe.js';

export * from '../errors.js';
export { JWS_ALGORITHMS } from '../lib/algorithms.js';
export {
  type DecodeJWTOptions,
  type DecodeProtectedHeaderOptions,
  decodeJWT,
  decodeProtectedHeader,
} from '../lib/jwt-decode.js';
export { decodeUnsecuredJWT, encodeUnsecuredJWT, type UnsecuredSignOptions } from '../lib/jwt-unsecured.js';
export type { CryptoKeyLike, KeyLike, PassphraseKeyInput, WebKeyInput } from './keys.js';
export {
  type ExportJWKOptions,
  exportJWK,
  type GenerateKeyPairOptions,
  generateKeyPair,
  generateSecret,
  type ImportKeyOptions,
  importKey,
  Key,
} from './key.js';
export { calculateJWKThumbprint, calculateJWKThumbprintURI, type ThumbprintDigest } from './thumbprint.js';
export { type JWKSetDocument, MAX_KEYS_WITHOUT_KID, type WebKeyResolver, type WebKeySource } from './jwks.js';
export {
  type CachedJWKS,
  createRemoteJWKSet,
  type JWKSStore,
  type RemoteJWKSet,
  type RemoteJWKSetOptions,
} from './remote.js';
export {
  decryptJWE,
  encryptJWE,
  type WebDecryptedJWE,
  type WebDecryptJWEOptions,
  type WebEncryptJWEOptions,
  type WebJWEKeyInput,
  type WebJWEKeySource,
  type WebJWERecipient,
} from './jwe.js';
export type { WebDecryptedJWT, WebDecryptJWTOptions, WebEncryptJWTOptions } from './jwt-encrypt.js';

/** Options of the web {@link verifyJWT}: the claim checks of the Node entry, and the algorithms to accept. */
export interface WebVerifyOptions extends ClaimOptions, WebVerifyJWSOptions {}

/** Options of the web {@link signJWT}: the claim-building options of the Node entry, and the algorithm. */
export interface WebSignOptions extends Omit<SignOptions, 'algorithm'> {
  /** The JWS algorithm, e.g. "HS256", "RS256", "ES256", "EdDSA". */
  algorithm: string;
}

const DEFAULT_MAX_TOKEN_LENGTH = 32 * 1024; // as on Node
const encoder = new TextEncoder();
const strictUTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function segmentJSON(segment: string, what: string, maxDepth: number): Record<string, unknown> {
  const bytes = decodeB64u(segment);
  if (bytes === undefined) throw new DecodeError(`${what} is not canonical base64url`);
  let text: string;
  try {
    text = strictUTF8.decode(bytes);
  } catch {
    throw new DecodeError(`${what} is not valid UTF-8`);
  }
  const parsed = parseJSONText(text, maxDepth);
  if (parsed === 'depth') throw new DecodeError(`${what} nests deeper than ${maxDepth} levels`);
  if (parsed === 'duplicate') throw new DecodeError(`${what} has a duplicate member name`);
  if (parsed === 'syntax') throw new DecodeError(`${what} is not valid JSON`);
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new DecodeError(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function checkWebHeader(header: Record<string, unknown>): JWSHeader {
  if (!Object.hasOwn(header, 'alg')) throw new InvalidAlgorithmError('"alg" header parameter is missing');
  if (typeof header.alg !== 'string') throw new InvalidAlgorithmError('"alg" header parameter must be a string');
  for (const name of ['kid', 'typ', 'cty']) {
    if (header[name] !== undefined && typeof header[name] !== 'string')
      throw new DecodeError(`"${name}" header parameter must be a string`);
  }
  // This entry understands no JWS extension (RFC 7515 §4.1.11): any "crit" is refused, "b64" included.
  if (header.crit !== undefined) throw new UnsupportedCriticalHeaderError('"crit" lists an extension not understood');
  if (header.b64 !== undefined) throw new DecodeError('"b64" (RFC 7797) is not supported for a JWT');
  return header as JWSHeader;
}

// 0 < v < n for a big-endian scalar of n's length (an ECDSA r or s).
function inRange(v: Uint8Array, offset: number, n: Uint8Array): boolean {
  let nonZero = 0;
  let cmp = 0;
  for (let i = 0; i < n.length; i++) {
    const a = v[offset + i]!;
    const b = n[i]!;
    nonZero |= a;
    if (cmp === 0 && a !== b) cmp = a < b ? -1 : 1;
  }
  return nonZero !== 0 && cmp === -1;
}

/** Options of the web {@link verifyJWS}. */
export interface WebVerifyJWSOptions {
  /** The accepted JWS algorithms (required: the token's "alg" is never trusted on its own). */
  algorithms: readonly string[];
  /** Maximum token length in characters (default 32 KiB). */
  maxTokenLength?: number;
  /** Allow HMAC secrets shorter than the hash output and RSA keys under 2048 bits (default false). */
  allowWeakKeys?: boolean;
  /** The deepest JSON nesting accepted in the header and payload (default 256). */
  maxJSONDepth?: number;
  /**
   * The `crit` extensions the caller understands: only `[]` here (the web entry implements none, so a
   * token with `crit` is always refused); accepted so that options shared with the Node entry keep working.
   */
  crit?: readonly [];
}

/** What the web {@link verifyJWS} resolves to: the protected header and the payload bytes. */
export interface WebVerifiedJWS {
  readonly header: JWSHeader;
  readonly payload: Uint8Array;
}

async function verifyCompact(
  token: unknown,
  key: WebKeySource,
  options: WebVerifyJWSOptions,
  algorithms: readonly string[],
): Promise<{ header: JWSHeader; payloadSegment: string }> {
  const maxLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (typeof token !== 'string') throw new DecodeError('token must be a string');
  if (token.length > maxLength) throw new DecodeError(`token is longer than ${maxLength} characters (maxTokenLength)`);
  const segments = token.split('.');
  if (segments.length === 5) throw new DecodeError('token has five segments: it is a JWE, not a JWS');
  if (segments.length !== 3) throw new DecodeError('token must have exactly three segments');
  const [h, p, s] = segments as [string, string, string];
  if (h === '') throw new DecodeError('protected header segment is empty');
  const header = checkWebHeader(segmentJSON(h, 'header', normalizeMaxJSONDepth(options.maxJSONDepth)));
  if (!algorithms.includes(header.alg)) throw new InvalidAlgorithmError('the token\'s "alg" is not allowed');
  const info = algorithmInfo(header.alg)!;
  const signature = decodeB64u(s);
  if (signature === undefined) throw new DecodeError('signature is not canonical base64url');
  // The payload segment is checked after the signature, as on Node: nothing unauthenticated is decoded first.
  const data = encoder.encode(`${h}.${p}`);
  const weak = options.allowWeakKeys === true;
  let source: unknown = key;
  if (typeof key === 'function') {
    // The resolver sees the checked header (never jku/x5u-followed: only the resolver decides).
    source = await (key as WebKeyResolver)(header, token);
    if (source === undefined || source === null)
      throw new NoMatchingKeyError('the key resolver found no key for the token');
    if (typeof source === 'function') throw new TypeError('a key resolver must resolve to a key or a JWK Set');
  }
  if (!isJWKSetDocument(source)) {
    await checkSignature(source as WebKeyInput, info, weak, signature, data);
    return { header, payloadSegment: canonicalPayload(p) };
  }
  const candidates = candidatesFor(prepareSet(source), header);
  let failure: unknown;
  for (const candidate of candidates) {
    try {
      await checkSignature(candidate, info, weak, signature, data);
      return { header, payloadSegment: canonicalPayload(p) };
    } catch (err) {
      // As on Node: a malformed signature is malformed for every key; a mismatch beats a key that did not fit.
      if (candidates.length === 1 || (err instanceof DecodeError && !(err instanceof InvalidSignatureError))) throw err;
      if (failure === undefined || err instanceof InvalidSignatureError) failure = err;
    }
  }
  throw failure;
}

function canonicalPayload(segment: string): string {
  if (decodeB64u(segment) === undefined) throw new DecodeError('payload is not canonical base64url');
  return segment;
}

async function checkSignature(
  key: WebKeyInput,
  info: AlgorithmInfo,
  weak: boolean,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<void> {
  const web = await webKeyFor(key, info, 'verify', weak);
  let valid = false;
  if (info.family === 'ES') {
    const size = info.scalarBytes!;
    const n = CURVE_ORDERS[info.curve!]!;
    valid = signature.length === 2 * size && inRange(signature, 0, n) && inRange(signature, size, n);
    if (!valid) throw new InvalidSignatureError('signature verification failed');
  }
  try {
    valid = await subtle().verify(web.params, web.key, signature, data);
  } catch {
    valid = false;
  }
  if (!valid) throw new InvalidSignatureError('signature verification failed');
}

/**
 * Verifies a compact JWS over `crypto.subtle`; resolves to its protected header and payload bytes.
 * @example
 * ```ts
 * const { payload } = await verifyJWS(jws, publicJwk, { algorithms: ['PS256'] });
 * ```
 */
export async function verifyJWS(jws: string, key: WebKeySource, options: WebVerifyJWSOptions): Promise<WebVerifiedJWS> {
  const algorithms = checkOptions(options, JWS_OPTION_NAMES, 'verifyJWS');
  const { header, payloadSegment } = await verifyCompact(jws, key, options, algorithms);
  return { header, payload: decodeB64u(payloadSegment)! };
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
  const { header, payloadSegment } = await verifyCompact(token, key, options, algorithms);
  const payload = segmentJSON(payloadSegment, 'payload', normalizeMaxJSONDepth(options.maxJSONDepth)) as JWTPayload;
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

function signingInfo(options: WebSignOptions): AlgorithmInfo {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const { algorithm } = options;
  const info = typeof algorithm === 'string' && !isNoneAlgorithm(algorithm) ? algorithmInfo(algorithm) : undefined;
  if (info === undefined) throw new TypeError('"algorithm" option must name a JWS algorithm, e.g. "HS256"');
  return info;
}

function claimBuildOptions(options: WebSignOptions): SignOptions {
  const { algorithm: _, ...claimOptions } = options;
  return claimOptions as SignOptions;
}

async function signWith(
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

/** Options of the web {@link createVerifier}: the web {@link verifyJWT}'s options, the key, and a cache. */
export interface WebVerifierOptions extends WebVerifyOptions {
  /** A key, a JWK Set, a resolver or a remote JWK Set, as for {@link verifyJWT}. */
  key: WebKeySource;
  /**
   * Remember verified tokens: `true` (1,000 entries), a maximum number of entries, or `{ max, ttl }` (default
   * ttl 10 minutes). An entry is never served past the token's `exp`, its `iat` + `maxTokenAge`, or the ttl.
   */
  cache?: boolean | number | CacheOptions;
}

const VERIFIER_OPTION_NAMES = /* @__PURE__ */ optionNames(WEB_VERIFY_OPTION_NAMES, ['key', 'cache']);

function verifierCache(cache: WebVerifierOptions['cache']): { max: number; ttl: number } | undefined {
  if (cache === undefined || cache === false) return undefined;
  if (cache === true) return { max: 1000, ttl: 600 };
  if (typeof cache === 'number') {
    if (!Number.isInteger(cache) || cache < 1) throw new TypeError('"cache" option must be a positive integer');
    return { max: cache, ttl: 600 };
  }
  if (cache === null || typeof cache !== 'object')
    throw new TypeError('"cache" option must be a boolean, a number or { max, ttl }');
  const max = cache.max ?? 1000;
  if (!Number.isInteger(max) || max < 1) throw new TypeError('"cache.max" option must be a positive integer');
  return { max, ttl: cache.ttl === undefined ? 600 : toSeconds(cache.ttl, 'cache.ttl') };
}

/**
 * Builds a reusable verifier, as the Node entry's `createVerifier` does: the options are checked once, at
 * creation (a bad option throws here), and each call resolves to the verified claims. With `cache`, tokens
 * that verified are remembered (keyed by the token itself, so memory is bounded by `max` × `maxTokenLength`)
 * and their frozen claims are shared between calls.
 * @example
 * ```ts
 * import { createRemoteJWKSet, createVerifier } from 'tessera-jwt/web';
 * const verify = createVerifier({
 *   key: createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json'),
 *   algorithms: ['ES256'],
 *   issuer: 'https://auth.example.com',
 *   cache: { max: 10_000, ttl: '5m' },
 * });
 * const claims = await verify(token);
 * ```
 */
export function createVerifier<P extends JWTPayload = JWTPayload>(
  options: WebVerifierOptions,
): (token: string) => Promise<P> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkOptions(options, VERIFIER_OPTION_NAMES, 'createVerifier');
  const { key, cache, ...verifyOptions } = options;
  if (key === undefined || key === null) throw new TypeError('"key" option is required');
  const claims = normalizeClaimOptions(verifyOptions);
  const settings = verifierCache(cache);
  const verify = (token: string) => verifyJWT<P>(token, key, verifyOptions);
  if (settings === undefined) return verify;
  const entries = new LRU<string, { claims: P; until: number }>(settings.max);
  return async (token) => {
    const now = nowSeconds(claims);
    const hit = typeof token === 'string' ? entries.get(token) : undefined;
    if (hit !== undefined && now < hit.until) return hit.claims;
    const payload = deepFreeze(await verify(token)) as P;
    let until = now + settings.ttl;
    if (typeof payload.exp === 'number' && claims.exp) until = Math.min(until, payload.exp);
    if (claims.maxTokenAge !== undefined && typeof payload.iat === 'number')
      until = Math.min(until, payload.iat + claims.maxTokenAge);
    entries.set(token, { claims: payload, until });
    return payload;
  };
}

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
 * The web entry's {@link signJWT} under the Node entry's name for its asynchronous form, so code written
 * for `signJWTAsync` runs unchanged on web runtimes.
 * @example
 * ```ts
 * const token = await signJWTAsync({ sub: 'user-42' }, privateJwk, { algorithm: 'ES256', expiresIn: '15m' });
 * ```
 */
export const signJWTAsync: typeof signJWT = signJWT;
/**
 * Encrypts a claims set as a compact JWE over `crypto.subtle` (RFC 7519 §7.1), optionally signing it first
 * (`sign`, a nested JWT with `cty: "JWT"`), with the options of the Node entry's `encryptJWT`.
 * @example
 * ```ts
 * const token = await encryptJWT({ sub: 'user-42' }, recipientPublicJwk, {
 *   alg: 'ECDH-ES+A256KW',
 *   enc: 'A256GCM',
 *   expiresIn: '15m',
 *   sign: { key: issuerPrivateJwk, algorithm: 'ES256' },
 * });
 * ```
 */
export function encryptJWT(
  payload: JWTPayloadInput,
  key: WebJWEKeyInput,
  options: WebEncryptJWTOptions,
): Promise<string> {
  return encryptJWTWith(
    (p, k, o) => signJWT(p, k as WebKeyInput, o as unknown as WebSignOptions),
    payload,
    key,
    options,
  );
}

/**
 * Decrypts an encrypted JWT over `crypto.subtle` and validates its claims exactly like `verifyJWT`; a
 * nested token (`cty: "JWT"`) needs `nested: { key, algorithms }` and is verified before its claims are
 * trusted. The options of the Node entry's `decryptJWT`.
 * @example
 * ```ts
 * const claims = await decryptJWT(token, recipientPrivateJwk, {
 *   keyManagementAlgorithms: ['ECDH-ES+A256KW'],
 *   contentEncryptionAlgorithms: ['A256GCM'],
 *   nested: { key: issuerPublicJwk, algorithms: ['ES256'] },
 * });
 * ```
 */
export function decryptJWT<P extends JWTPayload = JWTPayload>(
  token: string,
  key: WebJWEKeySource,
  options: WebDecryptJWTOptions & { complete: true },
): Promise<WebDecryptedJWT<P>>;
export function decryptJWT<P extends JWTPayload = JWTPayload>(
  token: string,
  key: WebJWEKeySource,
  options: WebDecryptJWTOptions,
): Promise<P>;
export function decryptJWT(token: string, key: WebJWEKeySource, options: WebDecryptJWTOptions): Promise<unknown> {
  return decryptJWTWith(
    async (inner, innerKey, innerOptions) => {
      const algorithms = checkOptions(innerOptions, WEB_VERIFY_OPTION_NAMES, 'decryptJWT "nested"');
      const claims = normalizeClaimOptions(innerOptions);
      const { header, payloadSegment } = await verifyCompact(
        inner,
        innerKey as WebKeySource,
        innerOptions as unknown as WebVerifyJWSOptions,
        algorithms,
      );
      const depth = normalizeMaxJSONDepth((innerOptions as { maxJSONDepth?: number }).maxJSONDepth);
      const payload = segmentJSON(payloadSegment, 'payload', depth) as JWTPayload;
      validateClaims(payload, header, claims);
      return { header, payload };
    },
    token,
    key,
    options,
  );
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
