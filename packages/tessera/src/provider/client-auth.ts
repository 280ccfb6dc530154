// Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3, RFC 7523,
// OpenID Connect Core §9): client_secret_basic (HTTP Basic, both parts form-urlencoded, §2.3.1),
// client_secret_post, private_key_jwt (a JWT signed by a key of the client's jwks/jwks_uri, for the
// issuer or the token endpoint, short-lived, each jti once) and none (public clients, PKCE enforced at
// the authorization endpoint). One method per request; the method must be the client's registered one.
import { Buffer } from 'node:buffer';
import type { JWK } from '../types.js';
import { createRemoteJWKSet, type RemoteJWKSet } from '../jwks/remote.js';
import { JWKSet } from '../jwks/set.js';
import { decodeJWT } from '../jwt/decode.js';
import { verifyJWT } from '../jwt/verify.js';
import type { RecordStore } from '../server/record-store.js';
import type { ClientAuthMethod } from './client-metadata.js';
import type { ClientRegistry, RegisteredClient } from './clients.js';
import { RECORD_KINDS } from './record-kinds.js';

/** The assertion type of RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The algorithms accepted in a private_key_jwt assertion (asymmetric only). */
export const ASSERTION_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/**
 * A refused client authentication, as the RFC 6749 §5.2 error to send: `invalid_client` (401 with
 * `WWW-Authenticate`) or `invalid_request` (400, e.g. two methods in one request).
 * @example
 * ```ts
 * if (result instanceof ClientAuthRefusal) return Response.json({ error: result.error }, { status: result.status });
 * ```
 */
export class ClientAuthRefusal extends Error {
  /** The RFC 6749 §5.2 error code. */
  readonly error: 'invalid_client' | 'invalid_request';
  /** 401 for invalid_client, 400 otherwise. */
  readonly status: 401 | 400;
  constructor(error: 'invalid_client' | 'invalid_request', description: string) {
    super(description);
    this.name = 'ClientAuthRefusal';
    this.error = error;
    this.status = error === 'invalid_client' ? 401 : 400;
  }
}

/**
 * An authenticated client and the method it used.
 * @example
 * ```ts
 * const { client, method }: AuthenticatedClient = await authenticate(request, params);
 * ```
 */
export interface AuthenticatedClient {
  client: RegisteredClient;
  method: ClientAuthMethod;
}

/** Options of createClientAuthenticator (internal to the provider). */
export interface ClientAuthenticatorOptions {
  clients: ClientRegistry;
  store: RecordStore;
  issuer: string;
  /** Audiences a client assertion may name besides the issuer (the token endpoint URL, …). */
  endpoints: readonly string[];
  /** Longest accepted lifetime of a client assertion, seconds (exp − now; default 300). */
  maxAssertionLifetime?: number;
  now: () => number;
  /** Accept http jwks_uri on loopback (tests and development). */
  allowHttpJWKS?: boolean;
}

const failed = () => new ClientAuthRefusal('invalid_client', 'Client authentication failed');

/**
 * Builds the authenticator: `authenticate(authorization, params)` returns the client or throws
 * ClientAuthRefusal. `authorization` is the request's Authorization header (null when absent), `params` the
 * form body; `client_id` is set in it to the authenticated client.
 */
export function createClientAuthenticator(
  options: ClientAuthenticatorOptions,
): (authorization: string | null, params: URLSearchParams) => Promise<AuthenticatedClient> {
  const { clients, store, issuer } = options;
  const audiences = [issuer, ...options.endpoints];
  const maxLifetime = options.maxAssertionLifetime ?? 300;
  const remote = new Map<string, RemoteJWKSet>();
  const keysOf = (client: RegisteredClient): JWKSet | RemoteJWKSet => {
    if (client.jwks) return JWKSet.from(client.jwks as { keys: JWK[] });
    const uri = client.jwks_uri!;
    let set = remote.get(uri);
    if (!set) {
      const loopback = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)[:/]/.test(uri);
      set = createRemoteJWKSet(uri, loopback && options.allowHttpJWKS ? { allowHttp: true } : {});
      if (remote.size > 1000) remote.clear();
      remote.set(uri, set);
    }
    return set;
  };

  return async (header, params) => {
    const used: ClientAuthMethod[] = [];
    if (header !== null) used.push('client_secret_basic');
    if (params.has('client_secret')) used.push('client_secret_post');
    if (params.has('client_assertion') || params.has('client_assertion_type')) used.push('private_key_jwt');
    // RFC 6749 §2.3: a client must not use more than one authentication method in a request.
    if (used.length > 1)
      throw new ClientAuthRefusal('invalid_request', 'Use one client authentication method per request');
    const named = params.get('client_id');
    const method: ClientAuthMethod = used[0] ?? 'none';
    let clientId: string;
    let client: RegisteredClient | undefined;
    if (method === 'client_secret_basic') {
      const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header!);
      if (!match) throw failed();
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 1) throw failed();
      let secret: string;
      try {
        clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
        secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
      } catch {
        throw failed();
      }
      if (named !== null && named !== clientId)
        throw new ClientAuthRefusal(
          'invalid_request',
          'The client_id parameter does not match the authenticated client',
        );
      const checked = await clients.checkSecret(clientId, secret);
      if (!checked.ok) throw failed();
      client = checked.client;
    } else if (method === 'client_secret_post') {
      if (named === null || named === '') throw failed();
      clientId = named;
      const checked = await clients.checkSecret(clientId, params.get('client_secret') ?? '');
      if (!checked.ok) throw failed();
      client = checked.client;
    } else if (method === 'private_key_jwt') {
      if (params.get('client_assertion_type') !== JWT_BEARER_ASSERTION)
        throw new ClientAuthRefusal('invalid_request', `client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
      const assertion = params.get('client_assertion') ?? '';
      let unverified: Record<string, unknown>;
      try {
        unverified = decodeJWT(assertion).payload as Record<string, unknown>;
      } catch {
        throw failed();
      }
      if (typeof unverified.sub !== 'string') throw failed();
      clientId = unverified.sub;
      if (named !== null && named !== clientId)
        throw new ClientAuthRefusal('invalid_request', 'The client_id parameter does not match the client assertion');
      client = await clients.find(clientId);
      if (client?.token_endpoint_auth_method !== 'private_key_jwt') throw failed();
      const at = options.now();
      let claims: Record<string, unknown>;
      try {
        claims = (await verifyJWT(assertion, keysOf(client) as never, {
          algorithms: ASSERTION_ALGORITHMS,
          issuer: clientId,
          subject: clientId,
          audience: audiences,
          requiredClaims: ['exp', 'jti'],
          currentDate: new Date(at * 1000),
          clockTolerance: 5,
        })) as Record<string, unknown>;
      } catch {
        throw failed();
      }
      const exp = claims.exp as number;
      if (exp - at > maxLifetime || typeof claims.jti !== 'string' || claims.jti.length > 256) throw failed();
      // RFC 7523 §3 item 7: each assertion once.
      const fresh = await store.insertRecord(
        RECORD_KINDS.assertionJTI,
        `${clientId}:${claims.jti}`,
        { clientId },
        exp + 5,
      );
      if (!fresh) throw failed();
    } else {
      if (named === null || named === '') throw failed();
      clientId = named;
      client = await clients.find(clientId);
    }
    // The method used must be the client's registered one (a confidential client cannot fall back to none).
    if (!client || client.token_endpoint_auth_method !== method) throw failed();
    params.set('client_id', client.client_id);
    return { client, method };
  };
}
