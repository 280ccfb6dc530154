/**
 * `tessera/jwks`: JWK Sets, the remote JWKS client and authorization server discovery.
 * The same objects as the `tessera` entry point.
 * @module
 */
export { JWKSet, type JWKSetOptions } from './set.js';
export { createRemoteJWKSet, type RemoteJWKSetOptions, type RemoteJWKSet, type CachedJWKS } from './remote.js';
export { discover, type DiscoveryOptions, type AuthorizationServerMetadata } from './discover.js';
