/**
 * Tessera: JSON Web Tokens for TypeScript — strict, fast, zero dependencies.
 *
 * @example
 * ```ts
 * import { signJWT, verifyJWT } from 'tessera';
 * const secret = crypto.getRandomValues(new Uint8Array(32));
 * const token = signJWT({ sub: 'user-42' }, secret, { expiresIn: '15m' });
 * const claims = verifyJWT(token, secret, { algorithms: ['HS256'] });
 * ```
 * @module
 */
export * from './errors.js';
export type * from './types.js';
export { signJWT } from './jwt/sign.js';
export { createSigner } from './jwt/signer.js';
export { verifyJWT } from './jwt/verify.js';
export { createVerifier, type VerifierOptions } from './jwt/verifier.js';
export { decodeJWT, decodeProtectedHeader } from './jwt/decode.js';
export { encodeUnsecuredJWT, decodeUnsecuredJWT, type UnsecuredSignOptions } from './jwt/unsecured.js';
export { signJWS, type SignJWSOptions, type JWSSigner } from './jws/sign.js';
export { verifyJWS, type VerifyJWSOptions, type VerifiedJWS } from './jws/verify.js';
export { JWS_ALGORITHMS } from './lib/algorithms.js';
export { Key, importKey, type ImportKeyOptions, type ExportJWKOptions } from './jwk/key.js';
export { exportJWK } from './jwk/export.js';
export { generateKeyPair, generateSecret, type GenerateKeyPairOptions } from './jwk/generate.js';
export { calculateJWKThumbprint, calculateJWKThumbprintURI, type ThumbprintDigest } from './jwk/thumbprint.js';
export { JWKSet, type JWKSetOptions } from './jwks/set.js';
export { createRemoteJWKSet, type RemoteJWKSetOptions, type RemoteJWKSet, type CachedJWKS } from './jwks/remote.js';
export { discover, type DiscoveryOptions, type AuthorizationServerMetadata } from './jwks/discover.js';
export { encryptJWE, type EncryptJWEOptions, type JWERecipient } from './jwe/encrypt.js';
export { decryptJWE, type DecryptJWEOptions, type DecryptedJWE } from './jwe/decrypt.js';
export { encryptJWT, type EncryptJWTOptions } from './jwt/encrypt.js';
export { decryptJWT, type DecryptJWTOptions, type DecryptedJWT } from './jwt/decrypt.js';
export { requireScopes, requireClaims, type ClaimsGuard, type ClaimRequirements } from './middleware/scopes.js';
export type { AuthOptions, AuthSuccess, AuthAnonymous, AuthFailure, AuthResponse, AuthErrorBody } from './middleware/core.js';
export { expressAuth, type ExpressAuthMiddleware, type ExpressRequestLike, type ExpressResponseLike } from './express.js';
export { fastifyAuth, type FastifyAuthPlugin, type FastifyAuthOptions, type FastifyRequestLike, type FastifyReplyLike, type FastifyInstanceLike } from './fastify.js';
export { fetchAuth, withAuth, honoAuth, type FetchAuthenticator, type FetchAuthFailure, type HonoAuthMiddleware, type HonoAuthEnv, type HonoContextLike } from './fetch.js';
export { createMemoryStore, type TokenStore, type StoredRefreshToken, type StoredSigningKey, type ConsumeResult, type MemoryStoreOptions } from './server/store.js';
export { createTokenService, type TokenService, type TokenServiceOptions, type TokenResponse, type AccessTokenClaims, type IntrospectionResponse } from './server/token-service.js';
export { createTokenEndpoints, type TokenEndpoints, type TokenEndpointsOptions, type Grant, type GrantRefusal } from './server/endpoints.js';
export { toNodeHandler } from './server/node.js';
export { createSQLiteStore, SQLITE_SCHEMA_VERSION, type SQLiteDatabase, type SQLiteStatement, type SQLiteStoreOptions } from './stores/sqlite.js';
export { createRedisStore, type RedisClientLike, type IORedisLike, type NodeRedisLike, type RedisCommand, type RedisStoreOptions } from './stores/redis.js';
export { createPostgresStore, POSTGRES_SCHEMA_VERSION, type PostgresQueryable, type PostgresStore, type PostgresStoreOptions } from './stores/postgres.js';
