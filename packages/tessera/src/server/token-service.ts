// Access and refresh tokens done right: RFC 9068 access tokens signed by rotating keys, opaque refresh
// tokens stored only as hashes and rotated on every use with reuse detection (RFC 9700 §4.14.2),
// revocation that fails closed, and RFC 7662 introspection.
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';
import {
  InvalidGrantError,
  InvalidScopeError,
  RefreshTokenReusedError,
  RevokedTokenError,
  StoreUnavailableError,
} from '../errors.js';
import { toSeconds } from '../lib/duration.js';
import { prepareKey } from '../lib/keys.js';
import { signJWT } from '../jwt/sign.js';
import { verifyJWT } from '../jwt/verify.js';
import type { Duration, JWK, JWTPayload, KeyInput } from '../types.js';
import { createKeyManager, type KeyManager } from './key-manager.js';
import type { StoredRefreshToken, TokenStore } from './store.js';
import { storeCall } from './store-call.js';

/**
 * Options of {@link createTokenService}.
 * @example
 * ```ts
 * const options: TokenServiceOptions = {
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 *   store: createMemoryStore(),
 *   keys: { encryptionKey: Buffer.from(process.env.TESSERA_KEY_ENCRYPTION_KEY!, 'base64url') },
 * };
 * ```
 */
export interface TokenServiceOptions {
  /** The `iss` of every access token. */
  issuer: string;
  /** The `aud` of every access token (the resource servers). */
  audience: string | string[];
  store: TokenStore;
  keys: {
    /** 32-byte secret that encrypts signing keys at rest and derives refresh-token successors. Keep it in a secret manager. */
    encryptionKey: KeyInput;
    /** Signing algorithm of access tokens (default `ES256`). */
    algorithm?: string;
    /** How long a signing key signs before the next one takes over (default `'30d'`). */
    rotationInterval?: Duration;
    /** How long a new key is published in the JWKS before it signs (default `'1d'`; more than any verifier caches the JWKS). */
    publishAhead?: Duration;
  };
  /** Access token lifetime (default `'15m'`). */
  accessTokenTTL?: Duration;
  /** Refresh token idle lifetime: unused this long, it expires (default `'14d'`). */
  refreshTokenTTL?: Duration;
  /** Absolute lifetime of a login: no refresh token of the family outlives it (default `'90d'`). */
  refreshTokenAbsoluteTTL?: Duration;
  /** How long the immediately previous refresh token may be retried, getting the same successor (default 0: never). */
  refreshGracePeriod?: Duration;
  /** Clock tolerance when verifying access tokens (default `'30s'`). */
  clockTolerance?: Duration;
  /** The clock, in NumericDate seconds (default: now). For tests and simulations. */
  now?: () => number;
}

/**
 * What issue() and refresh() return: an RFC 6749 §5.1 token response body.
 * @example
 * ```ts
 * const { access_token, refresh_token, expires_in }: TokenResponse = await service.issue({ sub: 'user-42', client_id: 'web' });
 * ```
 */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope?: string;
}

/**
 * The claims of a verified access token (RFC 9068 §2.2).
 * @example
 * ```ts
 * const claims: AccessTokenClaims = await service.verifyAccessToken(token);
 * console.log(claims.sub, claims.scope, claims.client_id);
 * ```
 */
export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope?: string;
  /** The grant (refresh token family) the token belongs to. */
  sid: string;
}

/**
 * An RFC 7662 introspection response: `{ active: false }` and nothing else for anything not valid.
 * @example
 * ```ts
 * const info: IntrospectionResponse = await service.introspect(token);
 * if (info.active) console.log(info.sub, info.token_type);
 * ```
 */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      token_type: 'Bearer' | 'refresh_token';
      scope?: string;
      client_id: string;
      sub: string;
      exp: number;
      iat: number;
      iss: string;
      aud?: string | string[];
      jti?: string;
    };

/**
 * A token service: `issue`, `refresh`, `revoke`, `revokeAll`, `introspect`, `verifyAccessToken` and
 * the public `jwks()`. Created by {@link createTokenService}.
 * @example
 * ```ts
 * const tokens = await service.issue({ sub: user.id, client_id: 'web', scope: 'read:orders' });
 * ```
 */
export interface TokenService {
  /** Issues the first access/refresh token pair of a login (after your own authentication). */
  issue(grant: {
    sub: string;
    client_id: string;
    scope?: string;
    claims?: Record<string, unknown>;
  }): Promise<TokenResponse>;
  /** Exchanges a refresh token (rotation; a replay revokes the family). `scope` may narrow, never widen. */
  refresh(refreshToken: string, request: { client_id: string; scope?: string }): Promise<TokenResponse>;
  /**
   * RFC 7009: revokes an access token (denylisted until its exp) or a refresh token (its whole family).
   * Unknown tokens are ignored; with `client_id`, so are tokens issued to another client (§2.1).
   */
  revoke(
    token: string,
    options?: { token_type_hint?: 'access_token' | 'refresh_token'; client_id?: string },
  ): Promise<void>;
  /** "Log out everywhere": every refresh token family and every access token of `sub` issued until now. */
  revokeAll(subject: { sub: string }): Promise<void>;
  /** RFC 7662 introspection of an access or refresh token. */
  introspect(
    token: string,
    options?: { token_type_hint?: 'access_token' | 'refresh_token' },
  ): Promise<IntrospectionResponse>;
  /** For resource servers: signature, RFC 9068 checks and revocation (fails closed when the store fails). */
  verifyAccessToken(token: string): Promise<AccessTokenClaims>;
  /**
   * The revocation checks alone, for claims already verified elsewhere (e.g. by the middleware):
   * `isRevoked: (claims) => service.isRevoked(claims)`. Throws StoreUnavailableError when the store fails.
   */
  isRevoked(claims: Partial<Pick<AccessTokenClaims, 'jti' | 'sid' | 'sub' | 'iat'>>): Promise<boolean>;
  /** The public JWK Set (pending, active and retired keys) and the `Cache-Control` to serve it with. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** `Cache-Control` value for the JWKS response (shorter than the time keys are published ahead). */
  readonly jwksCacheControl: string;
  /** Key rotation and clean-up now (also happens lazily on use). */
  maintainKeys(): Promise<void>;
  readonly issuer: string;
}

const RESERVED_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'client_id',
  'scope',
  'sid',
  'cnf',
  'act',
]);
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/; // RFC 6749 §3.3 scope-token
const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

function scopeList(scope: unknown, name: string): string[] {
  if (scope === undefined) return [];
  if (typeof scope !== 'string') throw new TypeError(`"${name}" must be a space-separated string`);
  const list = scope.split(' ').filter((s) => s !== '');
  for (const s of list)
    if (!SCOPE_TOKEN.test(s)) throw new InvalidScopeError('scope contains a character RFC 6749 §3.3 does not allow');
  return [...new Set(list)];
}

const hashId = (token: string) => createHash('sha256').update(token, 'ascii').digest('base64url');
const randomId = (bytes: number) => randomBytes(bytes).toString('base64url');

/**
 * Creates a token service on a store (memory, SQLite, Redis, PostgreSQL or your own): RFC 9068 access
 * tokens (`typ: at+jwt`) signed by keys it rotates and publishes itself, and opaque 256-bit refresh
 * tokens stored only as SHA-256 hashes, rotated on every use; replaying a used one revokes the whole
 * family. Revocation checks that cannot reach the store deny (StoreUnavailableError).
 * @example
 * ```ts
 * import { createTokenService, createMemoryStore } from 'tessera-jwt/server';
 * const service = createTokenService({
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 *   store: createMemoryStore(),
 *   keys: { encryptionKey: randomBytes(32) },
 * });
 * const tokens = await service.issue({ sub: 'user-42', client_id: 'web', scope: 'read:orders' });
 * const next = await service.refresh(tokens.refresh_token, { client_id: 'web' });
 * const claims = await service.verifyAccessToken(next.access_token);
 * ```
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
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
  const successorOf = (token: string) => createHmac('sha256', successorKey).update(token, 'ascii').digest('base64url');
  // Revocation markers outlive every token they cover: the family's refresh tokens (until its absolute
  // expiry) and its access tokens (accessTTL after the last one was issued).
  const markerUntil = (t: number) => t + accessTTL + tolerance + 60;
  const familyMarkerUntil = (token: StoredRefreshToken, t: number) => Math.max(markerUntil(t), token.familyExpiresAt);
  const subjectMarkerUntil = (t: number) => Math.max(markerUntil(t), t + absoluteTTL);
  /** True when the token's family was revoked, or its subject logged out everywhere after it was issued. */
  const revokedGrant = async (token: StoredRefreshToken): Promise<boolean> => {
    const [familyRevoked, cutoff] = await storeCall('checking revocation', () =>
      Promise.all([store.isFamilyRevoked(token.familyId), store.subjectRevokedAt(token.sub)]),
    );
    return familyRevoked || (cutoff !== undefined && token.issuedAt <= cutoff);
  };
  const jwksMaxAge = Math.max(0, Math.min(600, Math.floor(publishAhead / 2)));

  const accessToken = async (
    grant: { sub: string; clientId: string; scope: string; familyId: string; claims?: Record<string, unknown> },
    t: number,
  ) => {
    const key = await keys.signingKey();
    const payload: Record<string, unknown> = {
      ...grant.claims,
      client_id: grant.clientId,
      sid: grant.familyId,
      jti: randomId(16),
    };
    if (grant.scope) payload.scope = grant.scope;
    return signJWT(payload, key, {
      typ: 'at+jwt',
      issuer,
      audience,
      subject: grant.sub,
      expiresIn: accessTTL,
      currentDate: new Date(t * 1000),
    });
  };
  const response = (access: string, refresh: string, scope: string): TokenResponse => ({
    access_token: access,
    token_type: 'Bearer',
    expires_in: Math.round(accessTTL),
    refresh_token: refresh,
    ...(scope ? { scope } : {}),
  });

  const verifyAccess = async (token: string, t: number): Promise<AccessTokenClaims> => {
    const set = await keys.verificationKeys();
    const claims = verifyJWT<AccessTokenClaims>(token, set, {
      algorithms: [algorithm],
      issuer,
      audience,
      typ: 'at+jwt',
      clockTolerance: tolerance,
      currentDate: new Date(t * 1000),
      requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id', 'sid'],
    });
    const why = await revocation(claims);
    if (why) throw new RevokedTokenError(why);
    return claims;
  };

  // Why verified claims are revoked, or undefined. Fail closed: any store failure is a
  // StoreUnavailableError, never a pass.
  const revocation = async (
    claims: Pick<AccessTokenClaims, 'jti' | 'sid' | 'sub' | 'iat'>,
  ): Promise<string | undefined> => {
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

  const looksLikeJWT = (token: string) => token.split('.').length === 3;

  return {
    issuer,
    jwksCacheControl: `public, max-age=${jwksMaxAge}`,
    async issue(grant) {
      if (grant === null || typeof grant !== 'object')
        throw new TypeError('issue() takes { sub, client_id, scope?, claims? }');
      const { sub, client_id: clientId } = grant;
      if (typeof sub !== 'string' || sub.length === 0) throw new TypeError('"sub" must be a non-empty string');
      if (typeof clientId !== 'string' || clientId.length === 0)
        throw new TypeError('"client_id" must be a non-empty string');
      const scope = scopeList(grant.scope, 'scope').join(' ');
      const claims = grant.claims ?? {};
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims))
        throw new TypeError('"claims" must be an object');
      for (const name of Object.keys(claims))
        if (RESERVED_CLAIMS.has(name)) throw new TypeError(`"claims.${name}" is set by the token service`);
      const t = now();
      const familyId = randomId(16);
      const refresh = randomId(32);
      const record: StoredRefreshToken = {
        id: hashId(refresh),
        familyId,
        sub,
        clientId,
        scope,
        issuedAt: t,
        expiresAt: t + Math.min(refreshTTL, absoluteTTL),
        familyExpiresAt: t + absoluteTTL,
        ...(Object.keys(claims).length > 0 ? { claims: { ...claims } } : {}),
      };
      const access = await accessToken({ sub, clientId, scope, familyId, claims }, t);
      await storeCall('storing a refresh token', () => store.insertRefreshToken(record));
      return response(access, refresh, scope);
    },

    async refresh(refreshToken, request) {
      if (request === null || typeof request !== 'object' || typeof request.client_id !== 'string')
        throw new TypeError('refresh() takes (refreshToken, { client_id, scope? })');
      if (typeof refreshToken !== 'string' || !REFRESH_TOKEN.test(refreshToken))
        throw new InvalidGrantError('the refresh token is invalid, expired or revoked');
      const t = now();
      const id = hashId(refreshToken);
      const found = await storeCall('reading a refresh token', () => store.findRefreshToken(id, t));
      if (!found) throw new InvalidGrantError('the refresh token is invalid, expired or revoked');
      const killFamily = (token: StoredRefreshToken) =>
        storeCall('revoking a token family', () => store.revokeFamily(token.familyId, familyMarkerUntil(token, t)));
      // A family revoked, or created while a "log out everywhere" was running (stores that cannot
      // revoke a subject atomically), is refused here even if one of its tokens escaped the deletion.
      if (await revokedGrant(found)) {
        await killFamily(found);
        throw new InvalidGrantError('the refresh token is invalid, expired or revoked');
      }
      const granted = new Set(found.scope.split(' ').filter(Boolean));
      const requested = request.scope === undefined ? [...granted] : scopeList(request.scope, 'scope');
      const checkRequest = () => {
        if (found.clientId !== request.client_id)
          throw new InvalidGrantError('the refresh token was issued to another client');
        if (requested.some((s) => !granted.has(s)))
          throw new InvalidScopeError('the requested scope is wider than the grant');
      };
      // An unused token: client and scope are checked before it is consumed, so a mistaken request does
      // not burn it. A used one goes straight to reuse detection, whatever the request says.
      if (found.consumedAt === undefined) checkRequest();
      const result = await storeCall('consuming a refresh token', () => store.consumeRefreshToken(id, t));
      if (result.status === 'missing') throw new InvalidGrantError('the refresh token is invalid, expired or revoked');
      const token = result.token;
      const successor = successorOf(refreshToken);
      if (result.status === 'reused') {
        // Within the grace period, the immediately previous token (its successor still unused) gets
        // the same successor again — a client that lost the response can retry. Anything else is a
        // replay: the whole family dies (RFC 9700 §4.14.2).
        if (
          grace > 0 &&
          token.consumedAt !== undefined &&
          t - token.consumedAt <= grace &&
          token.clientId === request.client_id &&
          !requested.some((s) => !granted.has(s))
        ) {
          const next = await storeCall('reading a refresh token', () => store.findRefreshToken(hashId(successor), t));
          if (next && next.consumedAt === undefined) {
            const access = await accessToken(
              {
                sub: token.sub,
                clientId: token.clientId,
                scope: requested.join(' '),
                familyId: token.familyId,
                claims: token.claims,
              },
              t,
            );
            return response(access, successor, requested.join(' '));
          }
          // The first exchange has not stored the successor yet (two requests at once): retry, do not kill.
          if (!next && !(await revokedGrant(token)))
            throw new InvalidGrantError('the refresh token is being exchanged by a concurrent request; retry');
        }
        await killFamily(token);
        throw new RefreshTokenReusedError('the refresh token was already used: the whole grant has been revoked');
      }
      const record: StoredRefreshToken = {
        id: hashId(successor),
        familyId: token.familyId,
        sub: token.sub,
        clientId: token.clientId,
        scope: token.scope, // the grant keeps its scope; only this access token is narrowed
        issuedAt: t,
        expiresAt: Math.min(t + refreshTTL, token.familyExpiresAt),
        familyExpiresAt: token.familyExpiresAt,
        ...(token.claims ? { claims: token.claims } : {}),
      };
      await storeCall('storing a refresh token', () => store.insertRefreshToken(record));
      // A revocation (or a replay) that ran between the consume and the insert deleted the family's
      // tokens but not this new one: look again, and delete it. The response still goes out, as it would
      // have a moment earlier — its tokens are dead either way (the family marker denies the access token).
      if (await revokedGrant(record)) await killFamily(record);
      const access = await accessToken(
        {
          sub: token.sub,
          clientId: token.clientId,
          scope: requested.join(' '),
          familyId: token.familyId,
          claims: token.claims,
        },
        t,
      );
      return response(access, successor, requested.join(' '));
    },

    async revoke(token, revokeOptions = {}) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 8192) return; // RFC 7009 §2.2: invalid tokens are not an error
      const t = now();
      const asRefresh = async () => {
        if (!REFRESH_TOKEN.test(token)) return false;
        const found = await storeCall('reading a refresh token', () => store.findRefreshToken(hashId(token), t));
        if (!found || (revokeOptions.client_id !== undefined && found.clientId !== revokeOptions.client_id))
          return false;
        await storeCall('revoking a token family', () =>
          store.revokeFamily(found.familyId, familyMarkerUntil(found, t)),
        );
        return true;
      };
      const asAccess = async () => {
        if (!looksLikeJWT(token)) return false;
        let claims: AccessTokenClaims;
        try {
          const set = await keys.verificationKeys();
          claims = verifyJWT<AccessTokenClaims>(token, set, {
            algorithms: [algorithm],
            issuer,
            audience,
            typ: 'at+jwt',
            clockTolerance: tolerance,
            currentDate: new Date(t * 1000),
            requiredClaims: ['exp', 'jti'],
          });
        } catch (err) {
          if (err instanceof StoreUnavailableError) throw err;
          return false; // not ours, or expired already: nothing to revoke
        }
        if (revokeOptions.client_id !== undefined && claims.client_id !== revokeOptions.client_id) return false;
        await storeCall('denying an access token', () => store.denyToken(claims.jti, claims.exp + tolerance));
        return true;
      };
      const order = revokeOptions.token_type_hint === 'refresh_token' ? [asRefresh, asAccess] : [asAccess, asRefresh];
      for (const attempt of order) if (await attempt()) return;
    },

    async revokeAll(subject) {
      if (
        subject === null ||
        typeof subject !== 'object' ||
        typeof subject.sub !== 'string' ||
        subject.sub.length === 0
      )
        throw new TypeError('revokeAll() takes { sub }');
      const t = now();
      await storeCall('revoking a subject', () => store.revokeSubject(subject.sub, t, subjectMarkerUntil(t)));
    },

    async introspect(token, introspectOptions = {}) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 8192) return { active: false };
      const t = now();
      const asAccess = async (): Promise<IntrospectionResponse | undefined> => {
        if (!looksLikeJWT(token)) return undefined;
        try {
          const c = await verifyAccess(token, t);
          return {
            active: true,
            token_type: 'Bearer',
            scope: c.scope,
            client_id: c.client_id,
            sub: c.sub,
            exp: c.exp,
            iat: c.iat,
            iss: c.iss,
            aud: c.aud,
            jti: c.jti,
          };
        } catch (err) {
          if (err instanceof StoreUnavailableError) throw err;
          return undefined;
        }
      };
      const asRefresh = async (): Promise<IntrospectionResponse | undefined> => {
        if (!REFRESH_TOKEN.test(token)) return undefined;
        const found = await storeCall('reading a refresh token', () => store.findRefreshToken(hashId(token), t));
        if (!found || found.consumedAt !== undefined || (await revokedGrant(found))) return undefined;
        return {
          active: true,
          token_type: 'refresh_token',
          ...(found.scope ? { scope: found.scope } : {}),
          client_id: found.clientId,
          sub: found.sub,
          exp: Math.floor(found.expiresAt),
          iat: Math.floor(found.issuedAt),
          iss: issuer,
        };
      };
      const order =
        introspectOptions.token_type_hint === 'refresh_token' ? [asRefresh, asAccess] : [asAccess, asRefresh];
      for (const attempt of order) {
        const result = await attempt();
        if (result) return result;
      }
      return { active: false };
    },

    verifyAccessToken(token) {
      return verifyAccess(token, now());
    },

    async isRevoked(claims) {
      if (
        claims === null ||
        typeof claims !== 'object' ||
        typeof claims.jti !== 'string' ||
        typeof claims.sid !== 'string' ||
        typeof claims.sub !== 'string' ||
        typeof claims.iat !== 'number'
      ) {
        return true; // not an access token of this service: nothing vouches for it
      }
      return (await revocation(claims as Pick<AccessTokenClaims, 'jti' | 'sid' | 'sub' | 'iat'>)) !== undefined;
    },

    jwks() {
      return keys.publicJWKS();
    },

    maintainKeys() {
      return keys.maintain();
    },
  };
}
