// What every part of the token service shares: the validated settings, the key manager, and the few
// operations more than one part needs (minting an access token, verifying one, the revocation checks).
// Built once by createTokenService; issuing, rotation, revocation and introspection each take it.
import { createHash, createHmac, hkdfSync, randomFillSync } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { InvalidScopeError, RevokedTokenError } from '../../errors.js';
import { checkOptionNames, optionNames, prepareKey, toSeconds } from '../../internal.js';
import { signJWT, signJWTAsync } from '../../jwt/sign.js';
import type { JWTPayloadInput, SignOptions } from '../../types.js';
import { verifyJWT } from '../../jwt/verify.js';
import { createKeyManager, type KeyManager } from '../key-manager.js';
import type { StoredRefreshToken, TokenStore } from '../store.js';
import { storeCall } from '../store-call.js';
import type { AccessTokenClaims, TokenResponse, TokenServiceOptions } from './types.js';

const OPTIONS = optionNames([
  'issuer',
  'audience',
  'store',
  'keys',
  'accessTokenTTL',
  'refreshTokenTTL',
  'refreshTokenAbsoluteTTL',
  'refreshGracePeriod',
  'clockTolerance',
  'now',
]);
const KEY_OPTIONS = optionNames(['encryptionKey', 'algorithm', 'rotationInterval', 'publishAhead', 'signOffThread']);

export const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/; // RFC 6749 §3.3 scope-token

/** The scope-tokens of a space-separated scope, deduplicated; a character §3.3 forbids is invalid_scope. */
export function scopeList(scope: unknown, name: string): string[] {
  if (scope === undefined) return [];
  if (typeof scope !== 'string') throw new TypeError(`"${name}" must be a space-separated string`);
  const list = scope.split(' ').filter((s) => s !== '');
  for (const s of list)
    if (!SCOPE_TOKEN.test(s)) throw new InvalidScopeError('scope contains a character RFC 6749 §3.3 does not allow');
  return [...new Set(list)];
}

/** A non-empty list of absolute URIs (RFC 8707 §2: no fragment), deduplicated; TypeError otherwise. */
export function audienceList(value: unknown, name: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.length > 20)
    throw new TypeError(`"${name}" must be a string or a non-empty array of at most 20 strings`);
  for (const a of list)
    if (typeof a !== 'string' || a === '') throw new TypeError(`"${name}" entries must be non-empty strings`);
  return [...new Set(list as string[])];
}

/** One audience is the `aud` string, several an array (RFC 7519 §4.1.3 allows both; one reads simpler). */
const single = (list: string[] | undefined) => (list === undefined ? undefined : list.length === 1 ? list[0]! : list);

export const hashId = (token: string) => createHash('sha256').update(token, 'ascii').digest('base64url');
// Random ids (refresh tokens, grant ids, jti) are cut from a pool of CSPRNG output filled 4 KiB at a
// time: one randomBytes call per id cost a syscall each, ~15% of the main thread's time when issuing.
// Each byte is used once, and zeroed once its id is encoded.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;
export const randomId = (bytes: number): string => {
  if (poolOffset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    poolOffset = 0;
  }
  const slice = pool.subarray(poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  const id = slice.toString('base64url');
  slice.fill(0);
  return id;
};
export const looksLikeJWT = (token: string) => token.split('.').length === 3;

/** What minting an access token needs to know about its grant. */
export interface AccessGrant {
  sub: string;
  clientId: string;
  scope: string;
  familyId: string;
  claims?: Record<string, unknown>;
  /** The token's `aud` (RFC 8707 resource indicators); default: the service's audience. */
  audience?: string[];
}

/**
 * The audience a grant was issued for rides in the stored refresh token's claims as `aud` (issue()
 * refuses `aud` in application claims, so the name cannot collide): no store schema changes.
 */
export function grantAudience(claims: Record<string, unknown> | undefined): string[] | undefined {
  const aud = claims?.aud;
  return Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string')
    ? (aud as string[])
    : undefined;
}

export interface TokenServiceContext {
  readonly issuer: string;
  readonly audience: string | string[];
  readonly store: TokenStore;
  readonly now: () => number;
  readonly algorithm: string;
  /** Seconds. */
  readonly accessTTL: number;
  readonly refreshTTL: number;
  readonly absoluteTTL: number;
  readonly grace: number;
  readonly tolerance: number;
  readonly publishAhead: number;
  readonly keys: KeyManager;
  /** The refresh token that follows `token` (derived, so a retry within the grace period gets the same one). */
  successorOf(token: string): string;
  /** Until when a family's revocation marker must last (beyond every token of the family). */
  familyMarkerUntil(token: StoredRefreshToken, t: number): number;
  /** Until when a subject's "log out everywhere" marker must last. */
  subjectMarkerUntil(t: number): number;
  /** True when the token's family was revoked, or its subject logged out everywhere after it was issued. */
  revokedGrant(token: StoredRefreshToken): Promise<boolean>;
  /** Why verified claims are revoked, or undefined; a store failure throws (fail closed). */
  revocation(claims: Pick<AccessTokenClaims, 'jti' | 'sid' | 'sub' | 'iat'>): Promise<string | undefined>;
  accessToken(grant: AccessGrant, t: number): Promise<string>;
  response(access: string, refresh: string, scope: string): TokenResponse;
  /**
   * Signature, RFC 9068 claims and revocation of an access token at `t`. `anyAudience`: the service's
   * own endpoints (introspection, revocation) recognise its tokens whatever resource they were bound to.
   */
  verifyAccess(token: string, t: number, anyAudience?: boolean): Promise<AccessTokenClaims>;
  /** Signs another JWT (an ID token) with the current access-token signing key (its `kid` in the header). */
  sign(payload: JWTPayloadInput, options: Omit<SignOptions, 'algorithm'>): Promise<string>;
}

/** Validates the options and builds the shared context (throws TypeError on misuse). */
export function createContext(options: TokenServiceOptions): TokenServiceContext {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkOptionNames(options, OPTIONS, 'createTokenService');
  const { issuer, audience, store } = options;
  if (typeof issuer !== 'string' || issuer.length === 0)
    throw new TypeError('"issuer" option must be a non-empty string');
  if (
    !(
      typeof audience === 'string' ||
      (Array.isArray(audience) && audience.length > 0 && audience.every((a) => typeof a === 'string'))
    )
  ) {
    throw new TypeError('"audience" option must be a string or a non-empty array of strings');
  }
  if (store === null || typeof store !== 'object' || typeof store.consumeRefreshToken !== 'function')
    throw new TypeError('"store" option must be a TokenStore');
  if (options.keys === null || typeof options.keys !== 'object')
    throw new TypeError('"keys" option must be { encryptionKey, algorithm?, rotationInterval?, publishAhead? }');
  checkOptionNames(options.keys, KEY_OPTIONS, 'createTokenService keys');
  const now = options.now ?? (() => Date.now() / 1000);
  const accessTTL = toSeconds(options.accessTokenTTL ?? '15m', 'accessTokenTTL');
  const refreshTTL = toSeconds(options.refreshTokenTTL ?? '14d', 'refreshTokenTTL');
  const absoluteTTL = toSeconds(options.refreshTokenAbsoluteTTL ?? '90d', 'refreshTokenAbsoluteTTL');
  const grace = toSeconds(options.refreshGracePeriod ?? 0, 'refreshGracePeriod');
  const tolerance = toSeconds(options.clockTolerance ?? '30s', 'clockTolerance');
  const rotationInterval = toSeconds(options.keys.rotationInterval ?? '30d', 'keys.rotationInterval');
  const publishAhead = toSeconds(options.keys.publishAhead ?? '1d', 'keys.publishAhead');
  if (accessTTL <= 0 || refreshTTL <= 0 || absoluteTTL <= 0 || rotationInterval <= 0)
    throw new TypeError('token and key lifetimes must be positive');
  if (publishAhead >= rotationInterval)
    throw new TypeError('"keys.publishAhead" must be shorter than "keys.rotationInterval"');
  const algorithm = options.keys.algorithm ?? 'ES256';
  const offThread = options.keys.signOffThread ?? true;
  if (typeof offThread !== 'boolean') throw new TypeError('"keys.signOffThread" option must be a boolean');
  const keys: KeyManager = createKeyManager({
    store,
    encryptionKey: options.keys.encryptionKey,
    algorithm,
    rotationInterval,
    publishAhead,
    verifyAfterRetire: accessTTL + tolerance + 60,
    now,
  });
  // Refresh-token successors are derived, not stored: HMAC(successorKey, previous token). A retry of
  // the previous token within the grace period recomputes the same successor, so only hashes are kept.
  const successorKey = Buffer.from(
    hkdfSync(
      'sha256',
      prepareKey(options.keys.encryptionKey).secret!,
      Buffer.alloc(0),
      'tessera refresh-token successor',
      32,
    ),
  );
  // Revocation markers outlive every token they cover: the family's refresh tokens (until its absolute
  // expiry) and its access tokens (accessTTL after the last one was issued).
  const markerUntil = (t: number) => t + accessTTL + tolerance + 60;

  // Fail closed: any store failure is a StoreUnavailableError, never a pass.
  const revocation: TokenServiceContext['revocation'] = async (claims) => {
    const [denied, familyRevoked, subjectCutoff] = await storeCall('checking revocation', () =>
      Promise.all([
        store.isTokenDenied(claims.jti),
        store.isFamilyRevoked(claims.sid),
        store.subjectRevokedAt(claims.sub),
      ]),
    );
    if (denied) return 'the access token has been revoked';
    if (familyRevoked) return 'the grant of the access token has been revoked';
    if (subjectCutoff !== undefined && claims.iat <= subjectCutoff)
      return 'every token of the subject issued before a "log out everywhere" is revoked';
    return undefined;
  };

  return {
    issuer,
    audience,
    store,
    now,
    algorithm,
    accessTTL,
    refreshTTL,
    absoluteTTL,
    grace,
    tolerance,
    publishAhead,
    keys,
    successorOf: (token) => createHmac('sha256', successorKey).update(token, 'ascii').digest('base64url'),
    familyMarkerUntil: (token, t) => Math.max(markerUntil(t), token.familyExpiresAt),
    subjectMarkerUntil: (t) => Math.max(markerUntil(t), t + absoluteTTL),
    async revokedGrant(token) {
      const [familyRevoked, cutoff] = await storeCall('checking revocation', () =>
        Promise.all([store.isFamilyRevoked(token.familyId), store.subjectRevokedAt(token.sub)]),
      );
      return familyRevoked || (cutoff !== undefined && token.issuedAt <= cutoff);
    },
    revocation,
    async accessToken(grant, t) {
      const key = await keys.signingKey();
      const { aud: storedAudience, ...claims } = grant.claims ?? {};
      const payload: Record<string, unknown> = {
        ...claims,
        client_id: grant.clientId,
        sid: grant.familyId,
        jti: randomId(16),
      };
      if (grant.scope) payload.scope = grant.scope;
      const signOptions = {
        typ: 'at+jwt',
        issuer,
        audience: single(grant.audience ?? grantAudience({ aud: storedAudience })) ?? audience,
        subject: grant.sub,
        expiresIn: accessTTL,
        currentDate: new Date(t * 1000),
      };
      // Off the main thread by default: an RS256 signature is ~0.3 ms of CPU the event loop need not wait on.
      return offThread ? signJWTAsync(payload, key, signOptions) : signJWT(payload, key, signOptions);
    },
    response: (access, refresh, scope) => ({
      access_token: access,
      token_type: 'Bearer',
      expires_in: Math.round(accessTTL),
      refresh_token: refresh,
      ...(scope ? { scope } : {}),
    }),
    async sign(payload, signOptions) {
      const key = await keys.signingKey();
      return offThread ? signJWTAsync(payload, key, signOptions) : signJWT(payload, key, signOptions);
    },
    async verifyAccess(token, t, anyAudience = false) {
      const set = await keys.verificationKeys();
      const claims = verifyJWT<AccessTokenClaims>(token, set, {
        algorithms: [algorithm],
        issuer,
        audience: anyAudience ? [/^/] : audience,
        typ: 'at+jwt',
        clockTolerance: tolerance,
        currentDate: new Date(t * 1000),
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id', 'sid'],
      });
      const why = await revocation(claims);
      if (why) throw new RevokedTokenError(why);
      return claims;
    },
  };
}
