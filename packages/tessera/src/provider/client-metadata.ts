// Strict validation of client metadata (RFC 7591 §2, OAuth 2.1, OpenID Connect Registration): redirect
// URIs are absolute https URLs or loopback http, without fragments; grant and response types agree;
// the authentication method fits the credentials the client has. What the provider does not understand
// is dropped (RFC 7591 §2: "MUST ignore"), what it understands and finds wrong is refused.
import { JWKSet } from '../jwks/set.js';
import { InvalidClientMetadataError } from './errors.js';

/** The token endpoint authentication methods the provider implements. */
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
/** A client authentication method (RFC 7591 §2 `token_endpoint_auth_method`). */
export type ClientAuthMethod = (typeof AUTH_METHODS)[number];

/**
 * The client metadata the provider keeps (RFC 7591 §2 names).
 * @example
 * ```ts
 * const metadata: ClientMetadata = { redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'client_secret_basic' };
 * ```
 */
export interface ClientMetadata {
  /** Exact redirect URIs (https, or http on a loopback address; no fragment). */
  redirect_uris?: string[];
  /** Default `['authorization_code']`. */
  grant_types?: string[];
  /** Default `['code']` (the only response type); `[]` for clients without the authorization endpoint. */
  response_types?: string[];
  /** Default `client_secret_basic`. */
  token_endpoint_auth_method?: ClientAuthMethod;
  /** Scopes the client may request (space-separated); absent: any scope the provider knows. */
  scope?: string;
  /** Display name shown on the consent page. */
  client_name?: string;
  /** Where RP-Initiated Logout may send the user back (exact match). */
  post_logout_redirect_uris?: string[];
  /**
   * Where the provider POSTs a logout token when a provider session the client took part in ends
   * (OpenID Connect Back-Channel Logout 1.0; https, or http on a loopback host; no fragment).
   */
  backchannel_logout_uri?: string;
  /** Whether the client needs `sid` in its logout tokens (they always carry it here). */
  backchannel_logout_session_required?: boolean;
  /** The client's public keys for private_key_jwt (exclusive with `jwks_uri`). */
  jwks?: { keys: Array<Record<string, unknown>> };
  /** Where the client publishes its public keys (https). */
  jwks_uri?: string;
  /**
   * The `alg` of its ID tokens (OpenID Connect Registration §2): asymmetric only (never a client-secret
   * MAC, never `none`); the provider signs with its key manager's algorithm, and a client registered for
   * another cannot ask for `openid`. Absent: whatever the provider advertises.
   */
  id_token_signed_response_alg?: string;
}

const KNOWN = new Set([
  'redirect_uris',
  'grant_types',
  'response_types',
  'token_endpoint_auth_method',
  'scope',
  'client_name',
  'post_logout_redirect_uris',
  'backchannel_logout_uri',
  'backchannel_logout_session_required',
  'jwks',
  'jwks_uri',
  'id_token_signed_response_alg',
]);
const ID_TOKEN_ALGORITHMS = /^(?:RS|PS|ES)(?:256|384|512)$|^ES256K$|^EdDSA$|^Ed25519$/;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
const MAX_URIS = 20;
const MAX_URI_LENGTH = 2000;

const refuse = (message: string): never => {
  throw new InvalidClientMetadataError('invalid_client_metadata', message);
};

const stringList = (value: unknown, name: string, max = MAX_URIS): string[] => {
  if (!Array.isArray(value) || value.length > max || !value.every((v) => typeof v === 'string' && v !== ''))
    refuse(`"${name}" must be an array of at most ${max} non-empty strings`);
  return [...new Set(value as string[])];
};

/** True when `uri` is an acceptable redirect URI: https, or http on a loopback host; no fragment. */
export function isAcceptableRedirectURI(uri: string, allowHttpLoopback = true): boolean {
  if (uri.length > MAX_URI_LENGTH || /[\s\x00-\x1f\x7f]/.test(uri) || uri.includes('#')) return false;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && allowHttpLoopback && LOOPBACK.has(url.hostname);
}

const redirectList = (value: unknown, name: string): string[] => {
  const list = stringList(value, name);
  for (const uri of list) {
    if (!isAcceptableRedirectURI(uri))
      throw new InvalidClientMetadataError(
        'invalid_redirect_uri',
        `Every entry of "${name}" must be an absolute https URL, or http on 127.0.0.1, [::1] or localhost, without a fragment`,
      );
  }
  return list;
};

/**
 * Validates and normalizes metadata. `grantTypes` are the grant types the provider serves. Unknown
 * fields are dropped; known fields with a wrong value throw InvalidClientMetadataError.
 */
export function validateClientMetadata(input: unknown, grantTypes: ReadonlySet<string>): ClientMetadata {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    refuse('Client metadata must be a JSON object');
  const raw = input as Record<string, unknown>;
  const out: ClientMetadata = {};
  const grant_types =
    raw.grant_types === undefined ? ['authorization_code'] : stringList(raw.grant_types, 'grant_types', 10);
  for (const g of grant_types)
    if (!grantTypes.has(g)) refuse('"grant_types" names a grant type the provider does not support');
  const response_types =
    raw.response_types === undefined
      ? grant_types.includes('authorization_code')
        ? ['code']
        : []
      : stringList(raw.response_types, 'response_types', 10);
  for (const r of response_types) if (r !== 'code') refuse('"response_types" may only contain "code"');
  // RFC 7591 §2.1: response type code goes with grant type authorization_code, both ways.
  if (response_types.includes('code') !== grant_types.includes('authorization_code'))
    refuse('"response_types" ["code"] and grant type "authorization_code" go together (RFC 7591 §2.1)');
  if (grant_types.includes('refresh_token') && !grant_types.includes('authorization_code'))
    refuse('"refresh_token" needs the "authorization_code" grant type');
  out.grant_types = grant_types;
  out.response_types = response_types;
  if (raw.redirect_uris !== undefined) out.redirect_uris = redirectList(raw.redirect_uris, 'redirect_uris');
  if (grant_types.includes('authorization_code') && (out.redirect_uris?.length ?? 0) === 0)
    throw new InvalidClientMetadataError(
      'invalid_redirect_uri',
      '"redirect_uris" is required for the authorization_code grant',
    );
  if (raw.post_logout_redirect_uris !== undefined)
    out.post_logout_redirect_uris = redirectList(raw.post_logout_redirect_uris, 'post_logout_redirect_uris');
  if (raw.backchannel_logout_uri !== undefined) {
    const uri = raw.backchannel_logout_uri;
    if (typeof uri !== 'string' || !isAcceptableRedirectURI(uri))
      refuse('"backchannel_logout_uri" must be an https URL (or http on a loopback host) without a fragment');
    out.backchannel_logout_uri = uri as string;
  }
  if (raw.backchannel_logout_session_required !== undefined) {
    if (typeof raw.backchannel_logout_session_required !== 'boolean')
      refuse('"backchannel_logout_session_required" must be a boolean');
    out.backchannel_logout_session_required = raw.backchannel_logout_session_required as boolean;
  }
  const method = raw.token_endpoint_auth_method ?? 'client_secret_basic';
  if (typeof method !== 'string' || !(AUTH_METHODS as readonly string[]).includes(method))
    refuse(`"token_endpoint_auth_method" must be one of ${AUTH_METHODS.join(', ')}`);
  out.token_endpoint_auth_method = method as ClientAuthMethod;
  if (method === 'none' && grant_types.includes('client_credentials'))
    refuse('A public client (token_endpoint_auth_method "none") cannot use client_credentials');
  if (raw.jwks !== undefined && raw.jwks_uri !== undefined) refuse('"jwks" and "jwks_uri" are exclusive (RFC 7591 §2)');
  if (raw.jwks !== undefined) {
    const jwks = raw.jwks as { keys?: unknown };
    if (
      jwks === null ||
      typeof jwks !== 'object' ||
      !Array.isArray(jwks.keys) ||
      jwks.keys.length === 0 ||
      jwks.keys.length > 10
    )
      refuse('"jwks" must be a JWK Set with 1 to 10 keys');
    const keys = (jwks.keys as unknown[]).map((k) => {
      if (k === null || typeof k !== 'object' || Array.isArray(k)) refuse('"jwks" members must be JWK objects');
      const key = k as Record<string, unknown>;
      if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'].some((m) => m in key))
        refuse('"jwks" must hold public keys only');
      return key;
    });
    try {
      JWKSet.from({ keys } as never);
    } catch {
      refuse('"jwks" is not a valid JWK Set');
    }
    out.jwks = { keys };
  }
  if (raw.jwks_uri !== undefined) {
    if (typeof raw.jwks_uri !== 'string' || !isAcceptableRedirectURI(raw.jwks_uri))
      refuse('"jwks_uri" must be an https URL (or http on a loopback address)');
    out.jwks_uri = raw.jwks_uri as string;
  }
  if (method === 'private_key_jwt' && out.jwks === undefined && out.jwks_uri === undefined)
    refuse('private_key_jwt needs "jwks" or "jwks_uri"');
  if (raw.scope !== undefined) {
    if (
      typeof raw.scope !== 'string' ||
      raw.scope.length > 1000 ||
      !/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(raw.scope)
    )
      refuse('"scope" must be space-separated scope tokens (RFC 6749 §3.3)');
    out.scope = raw.scope as string;
  }
  if (raw.id_token_signed_response_alg !== undefined) {
    if (
      typeof raw.id_token_signed_response_alg !== 'string' ||
      !ID_TOKEN_ALGORITHMS.test(raw.id_token_signed_response_alg)
    )
      refuse('"id_token_signed_response_alg" must be an asymmetric JWS algorithm (RS256, PS256, ES256, EdDSA…)');
    out.id_token_signed_response_alg = raw.id_token_signed_response_alg as string;
  }
  if (raw.client_name !== undefined) {
    if (typeof raw.client_name !== 'string' || raw.client_name.length > 200 || /[\x00-\x1f\x7f]/.test(raw.client_name))
      refuse('"client_name" must be a string of at most 200 characters');
    out.client_name = raw.client_name as string;
  }
  return out;
}

/** The names validateClientMetadata understands (the rest is ignored). */
export const CLIENT_METADATA_NAMES: ReadonlySet<string> = KNOWN;
