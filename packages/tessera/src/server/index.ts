/**
 * `tessera/server`: the token service (access and refresh tokens, rotation with reuse detection,
 * revocation, introspection, signing-key rotation), its store interface, the in-memory store and the
 * HTTP endpoints. The same objects as the `tessera` entry point.
 * @module
 */
export * from './store.js';
export type { ConsumeRecordResult, RecordStore, StoredRecord } from './record-store.js';
export {
  createTokenService,
  type TokenService,
  type TokenServiceOptions,
  type TokenResponse,
  type AccessTokenClaims,
  type IntrospectionResponse,
  type IssueGrant,
} from './token-service.js';
export {
  createTokenEndpoints,
  type TokenEndpoints,
  type TokenEndpointsOptions,
  type Grant,
  type GrantRefusal,
} from './endpoints.js';
export { type NodeConnectionInfo, toNodeHandler } from './node.js';
export { DEFAULT_MAX_JSON_DEPTH, type ParseJSONResult, parseJSON } from '../internal.js';
