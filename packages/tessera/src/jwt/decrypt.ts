import { DecodeError } from '../errors.js';
import type { JWKSet } from '../jwks/set.js';
import { type NormalizedClaims, normalizeClaimOptions, validateClaims } from '../lib/claims.js';
import { DEFAULT_MAX_JSON_DEPTH, parseJSONObject } from '../lib/json.js';
import { jsonProblem } from '../lib/compact.js';
import type { DecryptedJWE, DecryptJWEOptions } from '../jwe/decrypt.js';
import { compileDecryptOptions, decryptWith } from '../lib/jwe-decrypt.js';
import { checkDecryptJWTOptions } from '../lib/option-names.js';
import type {
  ClaimOptions,
  JWEHeader,
  JWKSetDocument,
  JWSHeader,
  JWTPayload,
  KeyInput,
  KeyResolver,
  VerifyOptions,
} from '../types.js';
import { Buffer } from 'node:buffer';
import { verifyJWT } from './verify.js';

/**
 * Options of {@link decryptJWT}: both JWE allowlists, every claim option of `verifyJWT`, and `nested`
 * for signed-then-encrypted tokens.
 * @example
 * ```ts
 * const options: DecryptJWTOptions = {
 *   keyManagementAlgorithms: ['ECDH-ES+A256KW'],
 *   contentEncryptionAlgorithms: ['A256GCM'],
 *   nested: { key: issuerPublicKey, algorithms: ['ES256'] },
 *   issuer: 'https://auth.example.com',
 * };
 * ```
 */
export interface DecryptJWTOptions extends DecryptJWEOptions, ClaimOptions {
  /** For a nested JWT (`cty: "JWT"`): the key and algorithms that verify the inner JWS. Required for nested tokens. */
  nested?: Pick<VerifyOptions, 'algorithms' | 'crit' | 'allowWeakKeys'> & {
    key: KeyInput | JWKSet | JWKSetDocument | KeyResolver;
  };
  /** Return `{ header, payload, innerHeader? }` instead of the payload. */
  complete?: boolean;
}

/**
 * What {@link decryptJWT} returns with `complete: true`.
 * @example
 * ```ts
 * const { header, innerHeader, payload }: DecryptedJWT = decryptJWT(token, key, { ...options, complete: true });
 * ```
 */
export interface DecryptedJWT<P = JWTPayload> {
  header: JWEHeader;
  /** The inner JWS header of a nested JWT. */
  innerHeader?: JWSHeader;
  payload: P;
}

type CompleteResultLike = { header: JWSHeader; payload: JWTPayload };

function isNestedJWT(header: JWEHeader): boolean {
  const cty = typeof header.cty === 'string' ? header.cty.toLowerCase() : undefined;
  return cty === 'jwt' || cty === 'application/jwt';
}

function finish(decrypted: DecryptedJWE, options: DecryptJWTOptions, claims: NormalizedClaims): unknown {
  const { header } = decrypted;
  const text = Buffer.from(decrypted.plaintext);
  if (isNestedJWT(header)) {
    if (!options.nested)
      throw new DecodeError('the JWE holds a nested JWT (cty "JWT"); pass nested: { key, algorithms } to verify it');
    // The claim options (and maxJSONDepth) apply to the inner token; the JWE-level ones (allowlists, crit, limits) do not.
    const {
      nested,
      keyManagementAlgorithms: _k,
      contentEncryptionAlgorithms: _c,
      crit: _crit,
      maxPbes2Count: _p,
      maxDecompressedBytes: _d,
      maxTokenLength: _m,
      allowWeakKeys: _w,
      complete: _complete,
      ...claimOptions
    } = options;
    const { key, ...verifyOptions } = nested;
    const shape = (inner: { header: JWSHeader; payload: JWTPayload }) =>
      options.complete ? { header, innerHeader: inner.header, payload: inner.payload } : inner.payload;
    // A resolver as nested.key (e.g. the issuer's remote JWKS) verifies asynchronously: chain it, so a
    // failure is a rejection of the call, never an unhandled one.
    const inner = verifyJWT(text.toString('latin1'), key as KeyInput, {
      ...claimOptions,
      ...verifyOptions,
      complete: true,
    }) as CompleteResultLike | Promise<CompleteResultLike>;
    return inner instanceof Promise ? inner.then(shape) : shape(inner);
  }
  if (options.nested) throw new DecodeError('expected a nested JWT (cty "JWT"), but the JWE holds a claims set');
  const payload = parseJSONObject(text, options.maxJSONDepth ?? DEFAULT_MAX_JSON_DEPTH);
  if (typeof payload === 'string') jsonProblem('JWE plaintext', payload);
  validateClaims(payload as JWTPayload, header as unknown as JWSHeader, claims);
  return options.complete ? { header, payload } : payload;
}

/**
 * Decrypts an encrypted JWT and validates its claims exactly like `verifyJWT` (exp, nbf, iat, aud,
 * iss, …). A nested token (`cty: "JWT"`, signed then encrypted) needs `nested: { key, algorithms }`
 * and is verified before its claims are trusted. A key resolver function (as the key, or as `nested.key`,
 * e.g. the issuer's remote JWKS) makes the call asynchronous.
 * @example
 * ```ts
 * import { decryptJWT } from 'tessera-jwt';
 * const claims = decryptJWT<{ sub: string; email: string }>(token, recipientPrivateKey, {
 *   keyManagementAlgorithms: ['ECDH-ES+A256KW'],
 *   contentEncryptionAlgorithms: ['A256GCM'],
 *   nested: { key: issuerPublicKey, algorithms: ['ES256'] },
 *   audience: 'https://api.example.com',
 * });
 * ```
 */
export function decryptJWT<P = JWTPayload>(
  token: string,
  key: KeyInput | JWKSet | JWKSetDocument | KeyResolver,
  options: DecryptJWTOptions & { nested: { key: KeyResolver }; complete: true },
): Promise<DecryptedJWT<P>>;
export function decryptJWT<P = JWTPayload>(
  token: string,
  key: KeyInput | JWKSet | JWKSetDocument | KeyResolver,
  options: DecryptJWTOptions & { nested: { key: KeyResolver } },
): Promise<P>;
export function decryptJWT<P = JWTPayload>(
  token: string,
  key: KeyInput | JWKSet | JWKSetDocument,
  options: DecryptJWTOptions & { complete: true },
): DecryptedJWT<P>;
export function decryptJWT<P = JWTPayload>(
  token: string,
  key: KeyInput | JWKSet | JWKSetDocument,
  options: DecryptJWTOptions,
): P;
export function decryptJWT<P = JWTPayload>(
  token: string,
  key: KeyResolver,
  options: DecryptJWTOptions & { complete: true },
): Promise<DecryptedJWT<P>>;
export function decryptJWT<P = JWTPayload>(token: string, key: KeyResolver, options: DecryptJWTOptions): Promise<P>;
export function decryptJWT(
  token: string,
  key: KeyInput | JWKSet | JWKSetDocument | KeyResolver,
  options: DecryptJWTOptions,
): unknown {
  checkDecryptJWTOptions(options);
  const c = compileDecryptOptions(options, key);
  const claims = normalizeClaimOptions(options);
  if (
    options.nested !== undefined &&
    (options.nested === null || typeof options.nested !== 'object' || options.nested.key === undefined)
  ) {
    throw new TypeError('"nested" option must be { key, algorithms }');
  }
  if (typeof token !== 'string') throw new DecodeError('token must be a string');
  const decrypted = decryptWith(token, key, c);
  if (decrypted instanceof Promise) return decrypted.then((d) => finish(d, options, claims));
  return finish(decrypted, options, claims); // a Promise when nested.key is a resolver
}
