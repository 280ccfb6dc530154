/**
 * `tessera-jwt/provider`: the OpenID Connect provider / OAuth 2.1 authorization server, built on the
 * token service, its store and its endpoints. This release has the client registry (records in any
 * Tessera store, secrets hashed, strict metadata validation) and the token, revocation and introspection
 * endpoints with client authentication (client_secret_basic, client_secret_post, private_key_jwt, none)
 * and the client_credentials grant; the authorization endpoint with its login, consent and logout pages;
 * ID tokens, userinfo, RP-Initiated Logout and RFC 8707 resource indicators.
 * @module
 */
export { InvalidClientMetadataError } from './errors.js';
export { AUTH_METHODS, type ClientAuthMethod, type ClientMetadata } from './client-metadata.js';
export {
  createClientRegistry,
  type ClientConfig,
  type ClientRegistry,
  type ClientRegistryOptions,
  type RegisteredClient,
} from './clients.js';
export { ClientAuthRefusal, JWT_BEARER_ASSERTION, type AuthenticatedClient } from './client-auth.js';
export { createProviderTokenEndpoints, type ProviderTokenEndpointsOptions } from './token.js';
export { RECORD_KINDS } from './record-kinds.js';
export { createProvider, type Provider, type ProviderOptions } from './provider.js';
export type { RegistrationOptions } from './registration.js';
export { createLoginThrottle, LOGIN_THROTTLE, type LoginThrottle, type ThrottleRule } from './throttle.js';
export type { AuthorizationRequest, InteractionDetails, InteractionResult, ProviderSession } from './authorize.js';
export { SCOPE_CLAIMS, type AccountClaims } from './userinfo.js';
