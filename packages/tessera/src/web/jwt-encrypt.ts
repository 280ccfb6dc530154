// encryptJWT / decryptJWT for the web entry: a claims set (or a signed JWT, nested) as a compact JWE, and
// back, with claims validated exactly like verifyJWT. The JWS half comes from encrypted-jwt.ts as arguments
// (which defines the public wrappers), which keeps the import graph free of cycles.
import { DecodeError } from '../errors.js';
import { normalizeClaimOptions, validateClaims } from '../lib/claims.js';
import { buildClaims, normalizeClaimBuild, serializeClaims } from '../lib/claims-build.js';
import { normalizeMaxJSONDepth, parseJSONText } from '../lib/json.js';
import { checkWebDecryptJWTOptions, checkWebEncryptJWTOptions } from './jwe-options.js';
import type { ClaimOptions, JWEHeader, JWSHeader, JWTPayload, JWTPayloadInput, SignOptions } from '../types.js';
import {
  compileWebDecrypt,
  encryptJWE,
  type WebDecryptJWEOptions,
  type WebEncryptJWEOptions,
  type WebJWEKeyInput,
  type WebJWEKeySource,
  webDecryptWith,
} from './jwe.js';

type ClaimBuildOptions = Pick<
  SignOptions,
  'expiresIn' | 'notBefore' | 'issuer' | 'subject' | 'audience' | 'jwtId' | 'issuedAt' | 'currentDate'
>;

/** Options of the web `encryptJWT`: the JWE options, the claim options of `signJWT`, and `sign` (nested). */
export interface WebEncryptJWTOptions
  extends Omit<WebEncryptJWEOptions, 'serialization' | 'recipients' | 'aad' | 'unprotectedHeader'>,
    ClaimBuildOptions {
  /** Sign the claims first (RFC 7519 §5.2, nested JWT): the JWS becomes the plaintext and `cty` is `"JWT"`. */
  sign?: { key: WebJWEKeyInput; algorithm: string; kid?: string; typ?: string | null; allowWeakKeys?: boolean };
}

/** Options of the web `decryptJWT`: both JWE allowlists, every claim option of `verifyJWT`, and `nested`. */
export interface WebDecryptJWTOptions extends WebDecryptJWEOptions, ClaimOptions {
  /** For a nested JWT (`cty: "JWT"`): the key and algorithms that verify the inner JWS. */
  nested?: { key: unknown; algorithms: readonly string[]; crit?: readonly []; allowWeakKeys?: boolean };
  /** Resolve to `{ header, payload, innerHeader? }` instead of the payload. */
  complete?: boolean;
}

/** What the web `decryptJWT` resolves to with `complete: true`. */
export interface WebDecryptedJWT<P = JWTPayload> {
  header: JWEHeader;
  /** The inner JWS header of a nested JWT. */
  innerHeader?: JWSHeader;
  payload: P;
}

/** Internal: the web signJWT, as index.ts passes it. */
export type WebSigner = (
  payload: JWTPayloadInput,
  key: WebJWEKeyInput,
  options: { algorithm: string } & Record<string, unknown>,
) => Promise<string>;
/** Internal: the web verifyJWS + header, as index.ts passes it (complete result of verifyJWT). */
export type WebCompleteVerifier = (
  token: string,
  key: unknown,
  options: Record<string, unknown>,
) => Promise<{ header: JWSHeader; payload: JWTPayload }>;

/** Internal: encryptJWT with the web signer for `sign`. */
export async function encryptJWTWith(
  signJWT: WebSigner,
  payload: JWTPayloadInput,
  key: WebJWEKeyInput,
  options: WebEncryptJWTOptions,
): Promise<string> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkWebEncryptJWTOptions(options);
  const { sign, expiresIn, notBefore, issuer, subject, audience, jwtId, issuedAt, currentDate, ...jwe } = options;
  const claimOptions: ClaimBuildOptions = {
    expiresIn,
    notBefore,
    issuer,
    subject,
    audience,
    jwtId,
    issuedAt,
    currentDate,
  };
  for (const name of Object.keys(claimOptions) as (keyof ClaimBuildOptions)[])
    if (claimOptions[name] === undefined) delete claimOptions[name];
  if (sign !== undefined) {
    if (sign === null || typeof sign !== 'object') throw new TypeError('"sign" option must be { key, algorithm?, … }');
    if (jwe.cty !== undefined && jwe.cty !== 'JWT') throw new TypeError('a nested JWT has cty "JWT"');
    const { key: signingKey, ...signOptions } = sign;
    const plaintext = await signJWT(payload, signingKey, { ...signOptions, ...claimOptions });
    return encryptJWE(plaintext, key, { ...jwe, cty: 'JWT', serialization: 'compact' });
  }
  const plaintext = serializeClaims(buildClaims(payload, normalizeClaimBuild(claimOptions)));
  return encryptJWE(plaintext, key, { typ: 'JWT', ...jwe, serialization: 'compact' });
}

const strictUTF8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isNestedJWT(header: JWEHeader): boolean {
  const cty = typeof header.cty === 'string' ? header.cty.toLowerCase() : undefined;
  return cty === 'jwt' || cty === 'application/jwt';
}

/** Internal: decryptJWT with the web verifier for `nested`. */
export async function decryptJWTWith(
  verifyJWT: WebCompleteVerifier,
  token: string,
  key: WebJWEKeySource,
  options: WebDecryptJWTOptions,
): Promise<unknown> {
  checkWebDecryptJWTOptions(options);
  const c = compileWebDecrypt(options, key);
  const claims = normalizeClaimOptions(options);
  if (
    options.nested !== undefined &&
    (options.nested === null || typeof options.nested !== 'object' || options.nested.key === undefined)
  )
    throw new TypeError('"nested" option must be { key, algorithms }');
  if (typeof token !== 'string') throw new DecodeError('token must be a string');
  const decrypted = await webDecryptWith(token, key, c);
  const { header } = decrypted;
  let text: string;
  try {
    text = strictUTF8.decode(decrypted.plaintext);
  } catch {
    throw new DecodeError('JWE plaintext is not valid UTF-8');
  }
  if (isNestedJWT(header)) {
    if (!options.nested)
      throw new DecodeError('the JWE holds a nested JWT (cty "JWT"); pass nested: { key, algorithms } to verify it');
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
    const { key: innerKey, ...verifyOptions } = nested;
    const inner = await verifyJWT(text, innerKey, { ...claimOptions, ...verifyOptions });
    return options.complete ? { header, innerHeader: inner.header, payload: inner.payload } : inner.payload;
  }
  if (options.nested) throw new DecodeError('expected a nested JWT (cty "JWT"), but the JWE holds a claims set');
  const parsed = parseJSONText(text, normalizeMaxJSONDepth(options.maxJSONDepth));
  if (parsed === 'depth') throw new DecodeError('JWE plaintext nests too deeply (maxJSONDepth)');
  if (parsed === 'duplicate') throw new DecodeError('JWE plaintext has a duplicate member name');
  if (parsed === 'syntax') throw new DecodeError('JWE plaintext is not valid JSON');
  const payload = parsed.value;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    throw new DecodeError('JWE plaintext is not a JSON object');
  validateClaims(payload as JWTPayload, header as unknown as JWSHeader, claims);
  return options.complete ? { header, payload } : payload;
}
