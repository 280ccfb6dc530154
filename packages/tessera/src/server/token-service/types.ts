// The token service's public shapes: its options, the RFC 6749 token response, the RFC 9068 access token
// claims, the RFC 7662 introspection response and the service itself.
import type { Duration, JWK, JWTPayload, KeyInput } from '../../types.js';
import type { TokenStore } from '../store.js';

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
    /**
     * Sign asymmetric access tokens on the libuv threadpool (`signJWTAsync`), keeping the event loop free
     * (default `true`). `false` signs inline (`signJWT`): the same tokens, for a process whose threadpool
     * is saturated by other work, or to measure the difference.
     */
    signOffThread?: boolean;
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
  /**
   * Issues the first access/refresh token pair of a login (after your own authentication). `audience`
   * binds the grant to these resources (RFC 8707; default: the service's `audience`), kept by every
   * refresh; `refreshToken: false` issues the access token alone (still revocable as a grant).
   */
  issue(grant: IssueGrant & { refreshToken: false }): Promise<Omit<TokenResponse, 'refresh_token'>>;
  /** Issues the first access/refresh token pair of a login (the default: with a refresh token). */
  issue(grant: IssueGrant & { refreshToken?: true }): Promise<TokenResponse>;
  /** Issues a grant whose refresh token depends on `refreshToken` at run time. */
  issue(grant: IssueGrant): Promise<Omit<TokenResponse, 'refresh_token'> & { refresh_token?: string }>;
  /**
   * Exchanges a refresh token (rotation; a replay revokes the family). `scope` may narrow, never widen;
   * so may `audience`, to some of the grant's resources (RFC 8707 §2.2).
   */
  refresh(
    refreshToken: string,
    request: { client_id: string; scope?: string; audience?: string | string[] },
  ): Promise<TokenResponse>;
  /**
   * RFC 7009: revokes an access token (denylisted until its exp) or a refresh token (its whole family).
   * Unknown, malformed and expired tokens are ignored (§2.2). With `client_id`, a token issued to another
   * client is refused with UnauthorizedClientError and stays as it was (§2.1).
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
  /** The default `aud` of its access tokens (the `audience` option). */
  readonly audience: string | string[];
}

/**
 * What {@link TokenService.issue} takes: the subject, the client, the scope, application claims carried
 * into every access token of the grant, the grant's audience and whether to issue a refresh token.
 * @example
 * ```ts
 * const grant: IssueGrant = { sub: 'user-42', client_id: 'web', scope: 'read:orders', audience: 'https://orders.example.com' };
 * ```
 */
export interface IssueGrant {
  sub: string;
  client_id: string;
  scope?: string;
  claims?: Record<string, unknown>;
  /** The access tokens' `aud` (RFC 8707 resource indicators); default: the service's `audience`. */
  audience?: string | string[];
  /**
   * The resources the whole grant covers when the first access token is narrowed to some of them
   * (`audience`): the refresh token keeps these, so a refresh may ask for any of them (RFC 8707 §2.2).
   * Default: `audience`.
   */
  grantAudience?: string | string[];
  /** `false`: no refresh token (default `true`). */
  refreshToken?: boolean;
}
