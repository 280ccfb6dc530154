/**
 * Public types shared by the whole library.
 * @module
 */
import type { KeyObject } from 'node:crypto';

/**
 * A duration: seconds (`number`) or a string such as `'30s'`, `'15m'`, `'2h'`, `'7d'`. Never milliseconds.
 * @example
 * ```ts
 * signJWT(claims, key, { expiresIn: '15m' }); // same as { expiresIn: 900 }
 * ```
 */
export type Duration = number | string;

/**
 * A JSON value as it may appear in a header or claims set.
 * @example
 * ```ts
 * const roles: JSONValue = ['admin', 'editor'];
 * ```
 */
export type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };

/**
 * The JWT claims set (RFC 7519 §4). Registered claims are typed; any other member is allowed.
 * `exp`, `nbf` and `iat` may be given as `Date`s when signing; they become NumericDates.
 * @example
 * ```ts
 * interface AccessClaims extends JWTPayload { scope: string }
 * const claims = verifyJWT<AccessClaims>(token, key, { algorithms: ['HS256'] });
 * ```
 */
export interface JWTPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

/**
 * The payload accepted by `signJWT`: like {@link JWTPayload}, but time claims may be `Date`s.
 * @example
 * ```ts
 * signJWT({ sub: 'u1', exp: new Date(Date.now() + 60_000) }, key);
 * ```
 */
export interface JWTPayloadInput {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number | Date;
  nbf?: number | Date;
  iat?: number | Date;
  jti?: string;
  [claim: string]: unknown;
}

/**
 * A JWS protected header (RFC 7515 §4).
 * @example
 * ```ts
 * const { alg, kid }: JWSHeader = decodeProtectedHeader(token);
 * ```
 */
export interface JWSHeader {
  alg: string;
  typ?: string;
  cty?: string;
  kid?: string;
  crit?: string[];
  b64?: boolean;
  jku?: string;
  x5u?: string;
  x5t?: string;
  'x5t#S256'?: string;
  x5c?: string[];
  jwk?: JWK;
  [parameter: string]: unknown;
}

/**
 * The JOSE header of a JWE (RFC 7516 §4): for compact JWEs the protected header, for the JSON
 * serializations the union of the protected, shared and per-recipient headers.
 * @example
 * ```ts
 * const header: JWEHeader = decodeProtectedHeader(jwe) as JWEHeader; // { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', epk: {…} }
 * ```
 */
export interface JWEHeader {
  alg: string;
  enc: string;
  zip?: string;
  kid?: string;
  typ?: string;
  cty?: string;
  crit?: string[];
  epk?: JWK;
  apu?: string;
  apv?: string;
  iv?: string;
  tag?: string;
  p2s?: string;
  p2c?: number;
  [parameter: string]: unknown;
}

/**
 * A JWS in the flattened JSON serialization (RFC 7515 §7.2.2): one signature.
 * @example
 * ```ts
 * const jws = signJWS('hello', key, { serialization: 'flattened' }) as FlattenedJWS;
 * ```
 */
export interface FlattenedJWS {
  /** The payload (base64url, or the text itself with b64: false); absent when detached. */
  payload?: string;
  protected?: string;
  header?: Record<string, unknown>;
  signature: string;
}

/**
 * A JWS in the general JSON serialization (RFC 7515 §7.2.1): one or more signatures.
 * @example
 * ```ts
 * const jws = signJWS('hello', null, { signers: [{ key: a }, { key: b }] }) as GeneralJWS;
 * ```
 */
export interface GeneralJWS {
  payload?: string;
  signatures: Array<{ protected?: string; header?: Record<string, unknown>; signature: string }>;
}

/**
 * A JWE in the flattened JSON serialization (RFC 7516 §7.2.2): one recipient.
 * @example
 * ```ts
 * const jwe = encryptJWE('hi', key, { alg: 'A256KW', enc: 'A256GCM', serialization: 'flattened' }) as FlattenedJWE;
 * ```
 */
export interface FlattenedJWE {
  protected?: string;
  unprotected?: Record<string, unknown>;
  header?: Record<string, unknown>;
  encrypted_key?: string;
  iv: string;
  ciphertext: string;
  tag: string;
  aad?: string;
}

/**
 * A JWE in the general JSON serialization (RFC 7516 §7.2.1): one or more recipients.
 * @example
 * ```ts
 * const jwe = encryptJWE('hi', null, { enc: 'A256GCM', recipients: [{ key: a, alg: 'RSA-OAEP-256' }, { key: b, alg: 'ECDH-ES+A256KW' }] }) as GeneralJWE;
 * ```
 */
export interface GeneralJWE {
  protected?: string;
  unprotected?: Record<string, unknown>;
  recipients: Array<{ header?: Record<string, unknown>; encrypted_key?: string }>;
  iv: string;
  ciphertext: string;
  tag: string;
  aad?: string;
}

/**
 * A JSON Web Key (RFC 7517), with the members of every key type Tessera knows.
 * @example
 * ```ts
 * const jwk: JWK = { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA', alg: 'HS256' };
 * verifyJWT(token, jwk, {}); // algorithms come from the JWK's alg
 * ```
 */
export interface JWK {
  kty: string;
  alg?: string;
  kid?: string;
  use?: string;
  key_ops?: string[];
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  n?: string;
  e?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  k?: string;
  x5c?: string[];
  [member: string]: unknown;
}

/**
 * An encrypted PKCS#8 PEM (or any private PEM/DER) with its passphrase.
 * @example
 * ```ts
 * signJWT(claims, { key: readFileSync('key.pem', 'utf8'), passphrase: process.env.KEY_PASSPHRASE! }, { algorithm: 'RS256' });
 * ```
 */
export interface EncryptedPrivateKeyInput {
  key: string | Uint8Array;
  passphrase: string | Uint8Array;
}

/**
 * An imported key as the key-taking functions see it: the public, read-only shape of a `Key` (from
 * `importKey`, `generateKeyPair`, `generateSecret` or a `JWKSet`). Only real `Key`s are usable; the
 * interface exists so that this module names no class (types.ts sits below every other layer).
 * @example
 * ```ts
 * const key: ImportedKey = importKey(publicJwk);
 * console.log(key.type, key.kty, key.alg, key.kid);
 * ```
 */
export interface ImportedKey {
  readonly type: 'public' | 'private' | 'secret';
  readonly kty: string;
  readonly crv: string | undefined;
  readonly alg: string | undefined;
  readonly kid: string | undefined;
  readonly use: 'sig' | 'enc' | undefined;
  readonly keyOps: readonly string[] | undefined;
  readonly keyObject: KeyObject;
}

/**
 * A JWK Set document (RFC 7517 §5), what a `jwks_uri` serves: accepted wherever a `JWKSet` is, and read
 * once per document object as `JWKSet.from(document)` would (treat it as immutable once used).
 * @example
 * ```ts
 * const jwks: JWKSetDocument = JSON.parse(readFileSync('jwks.json', 'utf8'));
 * const claims = verifyJWT(token, jwks, { algorithms: ['ES256'] });
 * ```
 */
export interface JWKSetDocument {
  readonly keys: readonly JWK[];
}

/**
 * A set of imported keys as a key resolver may return it: the public shape of a `JWKSet` (only real
 * `JWKSet`s are selected from).
 * @example
 * ```ts
 * const resolver: KeyResolver = (header) => (header.iss === 'partner' ? partnerKeys : ourKeys); // both JWKSet
 * const set: ImportedKeySet = JWKSet.from(jwksText);
 * ```
 */
export interface ImportedKeySet {
  /** The usable keys, in the set's order. */
  readonly keys: readonly ImportedKey[];
  /** The number of usable keys. */
  readonly size: number;
  /** The key with this `kid`, if any. */
  get(kid: string): ImportedKey | undefined;
}

/**
 * Anything Tessera accepts as a key:
 * - a secret (`string` | `Uint8Array`) for HMAC algorithms;
 * - a PEM string: SPKI, PKCS#8, PKCS#1, SEC1 or an X.509 certificate;
 * - an encrypted PKCS#8 PEM as `{ key, passphrase }`;
 * - an OpenSSH public key line (`ssh-ed25519 AAAA…`, `ssh-rsa …`, `ecdsa-sha2-nistp256 …`);
 * - a JWK object;
 * - a `node:crypto` `KeyObject`;
 * - a {@link Key} from `importKey`, `generateKeyPair` or `generateSecret`.
 * @example
 * ```ts
 * const keys: KeyInput[] = [randomBytes(32), readFileSync('public.pem', 'utf8'), 'ssh-ed25519 AAAA…', publicJwk, keyObject];
 * ```
 */
export type KeyInput = string | Uint8Array | KeyObject | JWK | EncryptedPrivateKeyInput | ImportedKey;

/**
 * The header a key resolver sees: a JWS header, or the JOSE header of a JWE recipient.
 * @example
 * ```ts
 * const resolver = (header: ResolverHeader) => keysByKid.get(header.kid ?? '');
 * ```
 */
export type ResolverHeader = JWSHeader | JWEHeader;

/**
 * A function that picks the verification key from the (unverified) header, e.g. a remote JWKS.
 * The key it returns is checked against the token's algorithm exactly like a static key; a JWKSet it
 * returns is selected from by the token's `kid` (this is what `createRemoteJWKSet` does).
 * Passing a resolver to `verifyJWT` makes it return a Promise.
 * @example
 * ```ts
 * const claims = await verifyJWT(token, async (header) => fetchKey(header.kid), { algorithms: ['ES256'] });
 * ```
 */
export type KeyResolver = (
  header: ResolverHeader,
  token: string,
) => KeyInput | ImportedKeySet | JWKSetDocument | Promise<KeyInput | ImportedKeySet | JWKSetDocument>;

/**
 * Options of `signJWT` and `createSigner`.
 * @example
 * ```ts
 * const options: SignOptions = { algorithm: 'ES256', kid: 'k1', expiresIn: '1h', audience: 'api' };
 * ```
 */
export interface SignOptions {
  /**
   * The JWS algorithm. Default: inferred from the key (HS256, RS256, PS256, ES256/384/512, ES256K, EdDSA).
   * A {@link CustomAlgorithm} signs with the user's function (then the key is passed to it untouched).
   */
  algorithm?: string | CustomAlgorithm;
  /** Extra protected header members (`alg` cannot be overridden here). */
  header?: Record<string, unknown>;
  /** The `kid` header parameter. */
  kid?: string;
  /** The `typ` header parameter: default `'JWT'`; `null` omits it. */
  typ?: string | null;
  /** Sets `exp` to `iat + expiresIn` (seconds or a duration string such as `'15m'`). */
  expiresIn?: Duration;
  /** Sets `nbf` to `iat + notBefore` (seconds or a duration string). */
  notBefore?: Duration;
  /** Sets the `iss` claim. */
  issuer?: string;
  /** Sets the `sub` claim. */
  subject?: string;
  /** Sets the `aud` claim. */
  audience?: string | string[];
  /** Sets the `jti` claim; `true` generates a random one. */
  jwtId?: string | true;
  /** Adds `iat` (default `true`). A payload that already has `iat` keeps it. */
  issuedAt?: boolean;
  /** The clock used for `iat`, `exp` and `nbf` (default: now). */
  currentDate?: Date;
  /** Accept RSA keys under 2048 bits and HMAC secrets shorter than the hash output. */
  allowWeakKeys?: boolean;
}

/**
 * A JWS algorithm supplied by the caller (PyJWT's `register_algorithm`, but scoped: it exists only for
 * the sign or verify call, signer or verifier whose options name it — there is no global registry).
 * `name` is the `alg` header value; it may not be a built-in algorithm or `none`. `sign` may be
 * asynchronous (a KMS or HSM that never exposes the private key), and then signing returns a Promise.
 * `verify` must be synchronous with a static key; with a key resolver it may return a Promise.
 * Both receive the key exactly as the caller passed it (for a JWKSet: the selected {@link Key}).
 * @example
 * ```ts
 * const kmsES256: CustomAlgorithm = {
 *   name: 'ES256-KMS',
 *   sign: async (data, keyId) => kms.sign({ KeyId: keyId, Message: data }), // returns raw signature bytes
 *   verify: (data, signature, publicKey) => verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
 * };
 * const token = await signJWT({ sub: 'user-42' }, 'arn:aws:kms:…:key/1234', { algorithm: kmsES256 });
 * ```
 */
export interface CustomAlgorithm {
  /** The `alg` header value. */
  readonly name: string;
  /** Signs the JWS signing input (ASCII bytes) and returns the signature bytes. */
  // biome-ignore lint/suspicious/noExplicitAny: the key is whatever the caller passes (a KMS handle, a KeyObject); any lets implementations type it
  sign?(signingInput: Uint8Array, key: any): Uint8Array | Promise<Uint8Array>;
  /** Returns `true` when `signature` is valid for the signing input; anything else rejects. */
  // biome-ignore lint/suspicious/noExplicitAny: the key is whatever the caller passes (a KMS handle, a KeyObject); any lets implementations type it
  verify?(signingInput: Uint8Array, signature: Uint8Array, key: any): boolean | Promise<boolean>;
}

/**
 * A {@link CustomAlgorithm} whose `sign` is asynchronous: signing with it returns a Promise.
 * @example
 * ```ts
 * const hsmAlg: AsyncCustomAlgorithm = { name: 'HSM-EdDSA', sign: async (data, handle) => hsm.sign(handle, data) };
 * ```
 */
export interface AsyncCustomAlgorithm extends CustomAlgorithm {
  // biome-ignore lint/suspicious/noExplicitAny: the key is whatever the caller passes (a KMS handle, a KeyObject); any lets implementations type it
  sign(signingInput: Uint8Array, key: any): Promise<Uint8Array>;
}

/**
 * The `checks` switches (PyJWT's `verify_*` options). The signature is never switched off.
 * @example
 * ```ts
 * verifyJWT(token, key, { algorithms: ['HS256'], checks: { exp: false } }); // PyJWT verify_exp=False
 * ```
 */
export interface ClaimChecks {
  exp?: boolean;
  nbf?: boolean;
  iat?: boolean;
  aud?: boolean;
  iss?: boolean;
  sub?: boolean;
  jti?: boolean;
}

/**
 * Claim validation options, shared by `verifyJWT`, `decryptJWT` and `decodeUnsecuredJWT`.
 * @example
 * ```ts
 * const claims: ClaimOptions = { issuer: 'https://auth.example.com', audience: 'api', clockTolerance: '30s' };
 * ```
 */
export interface ClaimOptions {
  /** Accepted audiences: a string, a RegExp or a list of them. A token with `aud` is rejected when this is absent. */
  audience?: string | RegExp | Array<string | RegExp>;
  /** Require `aud` to be a single string equal to the single expected audience (PyJWT `strict_aud`). */
  strictAudience?: boolean;
  /** Accepted issuers (exact match). */
  issuer?: string | string[];
  /** The expected `sub`. */
  subject?: string;
  /** The expected `jti`. */
  jwtId?: string;
  /** The expected `nonce` (OpenID Connect). */
  nonce?: string;
  /** Clock skew allowed for `exp`, `nbf`, `iat` and `maxTokenAge` (seconds or duration string). */
  clockTolerance?: Duration;
  /** Alias of `clockTolerance` (PyJWT's name). */
  leeway?: Duration;
  /** The maximum age of the token measured from `iat` (requires `iat`). */
  maxTokenAge?: Duration;
  /** Claims that must be present. */
  requiredClaims?: string[];
  /** Alias of `requiredClaims` (PyJWT's `options={"require": [...]}`). */
  require?: string[];
  /** The expected `typ` header (RFC 8725 §3.11); `application/` prefixes and case are normalized. */
  typ?: string;
  /** The current time (default: now). */
  currentDate?: Date;
  /** Switch individual claim checks off (PyJWT's `verify_exp` …). */
  checks?: ClaimChecks;
  /** Custom validation: throw, or return `false`, to reject. */
  validate?: (payload: JWTPayload, header: JWSHeader) => unknown;
}

/**
 * Options of `verifyJWT` and `createVerifier`.
 * @example
 * ```ts
 * const options: VerifyOptions = { algorithms: ['RS256'], audience: 'api', requiredClaims: ['exp'] };
 * ```
 */
export interface VerifyOptions extends ClaimOptions {
  /** The allowlist of algorithms (required unless the key is a JWK carrying `alg`); may include {@link CustomAlgorithm}s. */
  algorithms?: Array<string | CustomAlgorithm>;
  /** Names of `crit` header extensions the caller understands. */
  crit?: string[];
  /** Return `{ header, payload, signature }` instead of the payload. */
  complete?: boolean;
  /** The maximum token length in characters (default 32 KiB). */
  maxTokenLength?: number;
  /**
   * The deepest JSON nesting accepted in the header and payload (default 256 levels; the outermost
   * object is level 1). Checked while reading, so a deeper token is refused after the bytes up to the limit.
   */
  maxJSONDepth?: number;
  /** Accept RSA keys under 2048 bits and HMAC secrets shorter than the hash output. */
  allowWeakKeys?: boolean;
}

/**
 * What `verifyJWT(…, { complete: true })` and `decodeJWT` return.
 * @example
 * ```ts
 * const { header, payload }: CompleteResult = verifyJWT(token, key, { algorithms: ['EdDSA'], complete: true });
 * ```
 */
export interface CompleteResult<P = JWTPayload> {
  header: JWSHeader;
  payload: P;
  signature: Uint8Array;
}

/**
 * The options of `createVerifier`'s cache: maximum entries and maximum age.
 * @example
 * ```ts
 * createVerifier({ key, algorithms: ['HS256'], cache: { max: 10_000, ttl: '5m' } });
 * ```
 */
export interface CacheOptions {
  /** Maximum number of cached tokens (default 1000). */
  max?: number;
  /** Maximum time an entry is kept (seconds or duration string); never beyond the token's `exp`. */
  ttl?: Duration;
}

/**
 * Options of `decryptJWE`.
 * @example
 * ```ts
 * const options: DecryptJWEOptions = { keyManagementAlgorithms: ['ECDH-ES+A256KW'], contentEncryptionAlgorithms: ['A256GCM'] };
 * ```
 */
export interface DecryptJWEOptions {
  /** Allowed `alg` values (required unless the key names its `alg`). PBES2 works only when listed here. */
  keyManagementAlgorithms?: string[];
  /** Allowed `enc` values (default: every AES-GCM and AES-CBC-HMAC algorithm). */
  contentEncryptionAlgorithms?: string[];
  /** Names of `crit` extensions the caller understands. */
  crit?: string[];
  /** The highest PBES2 `p2c` accepted (default 10,000): each iteration is work an attacker chooses. */
  maxPbes2Count?: number;
  /** The largest plaintext `zip: "DEF"` may inflate to, in bytes (default 256 KiB). */
  maxDecompressedBytes?: number;
  /** The maximum JWE size in characters (default 64 KiB). */
  maxTokenLength?: number;
  /** Accept RSA keys under 2048 bits. */
  allowWeakKeys?: boolean;
  /** The deepest JSON nesting accepted in the protected header (and, for `decryptJWT`, the claims set); default 256. */
  maxJSONDepth?: number;
}

/**
 * What `decryptJWE` returns.
 * @example
 * ```ts
 * const { plaintext, protectedHeader }: DecryptedJWE = decryptJWE(jwe, key, options);
 * ```
 */
export interface DecryptedJWE {
  plaintext: Uint8Array;
  /** The protected header (empty object when a JSON JWE has none). */
  protectedHeader: JWEHeader | Record<string, unknown>;
  /** The JOSE header that applied to the recipient that decrypted: protected ∪ shared ∪ per-recipient. */
  header: JWEHeader;
  /** The shared unprotected header (JSON serializations). */
  unprotectedHeader?: Record<string, unknown>;
  /** The `aad` member (JSON serializations). */
  additionalAuthenticatedData?: Uint8Array;
}
