/**
 * `tessera-jwt/oidc`: the OpenID Connect relying party. Sign users in with any OpenID provider
 * (authorization code + PKCE), validate ID tokens per OpenID Connect Core §3.1.3.7, and use the
 * provider's userinfo, refresh, revocation and logout endpoints.
 *
 * @example
 * ```ts
 * import { discoverClient } from 'tessera-jwt/oidc';
 * const client = await discoverClient('https://accounts.example.com', { clientId, clientSecret, redirectUri });
 * const { url, ...transaction } = client.authorizationUrl();
 * const tokens = await client.callback(callbackUrl, transaction);
 * ```
 * @module
 */
export {
  verifyIDToken,
  hashForAlgorithm,
  leftHalfHash,
  type IDTokenClaims,
  type VerifyIDTokenOptions,
} from './id-token.js';
export {
  verifyLogoutToken,
  BACKCHANNEL_LOGOUT_EVENT,
  type LogoutTokenClaims,
  type VerifyLogoutTokenOptions,
} from './logout-token.js';
export {
  OIDCClient,
  createClient,
  discoverClient,
  type AuthorizationRequest,
  type AuthorizationUrlOptions,
  type CallbackChecks,
  type ClientAssertionSigner,
  type ClientOptions,
  type EndSessionOptions,
  type TokenEndpointAuthMethod,
  type TokenSet,
} from './client.js';
export { AuthorizationResponseError, OIDCEndpointError, OIDCError } from '../errors.js';
export type { OIDCSession, OIDCRoutesOptions, OIDCLogoutStore } from './session.js';
export {
  oidcExpress,
  oidcFastify,
  oidcHono,
  type OIDCExpressRequest,
  type OIDCExpressResponse,
  type OIDCFastifyInstance,
  type OIDCFastifyReply,
  type OIDCFastifyRequest,
  type OIDCHonoContext,
} from './glue.js';
