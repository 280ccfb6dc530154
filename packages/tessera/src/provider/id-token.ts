// ID tokens (OpenID Connect Core 1.0 §2, §3.1.3.6, §12.2): signed with the token service's current
// asymmetric key — the key that signs access tokens, with its `kid` — and never with a client secret.
// Access tokens are `typ: at+jwt` (RFC 9068) and the service verifies that type, so an ID token can never
// pass as an access token although both come from one key. Scope claims (profile, email) are not put in
// the ID token: an access token is always issued with it, and they come from userinfo (§5.4, as
// node-oidc-provider's conformIdTokenClaims default).
import { JWKSet } from '../jwks/set.js';
import { decodeJWT } from '../jwt/decode.js';
import { verifyJWT } from '../jwt/verify.js';
import { hashForAlgorithm, leftHalfHash } from '../oidc/id-token.js';
import { type TokenService, tokenServiceSigner } from '../server/token-service.js';
import type { JWK } from '../types.js';

/** The service's public keys as a JWKSet, rebuilt only when the key list changes. */
export function serviceKeys(service: TokenService): () => Promise<JWKSet> {
  let cached: { kids: string; set: JWKSet } | undefined;
  return async () => {
    const jwks = (await service.jwks()) as { keys: JWK[] };
    const kids = jwks.keys.map((k) => k.kid).join(',');
    if (cached?.kids !== kids) cached = { kids, set: JWKSet.from(jwks) };
    return cached.set;
  };
}

/** What an ID token says about the login behind it. */
export interface IDTokenGrant {
  clientId: string;
  sub: string;
  /** NumericDate of the login (the provider session's). */
  authTime: number;
  /** The provider session's public id (`sid`, also in the logout hint check). */
  sid?: string;
  nonce?: string;
  amr?: string[];
  acr?: string;
  /** The access token issued with it: `at_hash`. */
  accessToken?: string;
}

/** The algorithms `at_hash` can be computed for (every JWS algorithm a key manager can sign with has one). */
export function idTokenAlgorithms(service: TokenService): string[] {
  const signer = tokenServiceSigner(service);
  if (!signer) return [];
  return hashForAlgorithm(signer.algorithm, signer.algorithm === 'EdDSA' ? 'Ed25519' : undefined)
    ? [signer.algorithm]
    : [];
}

export function createIDTokens(service: TokenService, options: { lifetime: number }) {
  const signer = tokenServiceSigner(service);
  if (!signer) throw new TypeError('createProvider needs a token service made by createTokenService');
  const { algorithm } = signer;
  if (algorithm.startsWith('HS') || algorithm === 'none')
    throw new TypeError('ID tokens need an asymmetric signing algorithm ("keys.algorithm" of the token service)');
  const hash = hashForAlgorithm(algorithm, algorithm === 'EdDSA' ? 'Ed25519' : undefined);
  return {
    algorithm,
    async issue(grant: IDTokenGrant): Promise<string> {
      const t = Math.floor(signer.now());
      const payload: Record<string, unknown> = {
        auth_time: Math.floor(grant.authTime),
        azp: grant.clientId,
        ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
        ...(grant.accessToken !== undefined && hash ? { at_hash: leftHalfHash(grant.accessToken, hash) } : {}),
        ...(grant.sid !== undefined ? { sid: grant.sid } : {}),
        ...(grant.acr !== undefined ? { acr: grant.acr } : {}),
        ...(grant.amr !== undefined && grant.amr.length > 0 ? { amr: grant.amr } : {}),
      };
      return signer.sign(payload, {
        issuer: service.issuer,
        subject: grant.sub,
        audience: grant.clientId,
        expiresIn: options.lifetime,
        currentDate: new Date(t * 1000),
      });
    },
  };
}

export type IDTokens = ReturnType<typeof createIDTokens>;

/**
 * Verifies an `id_token_hint` (RP-Initiated Logout 1.0 §2): signed by this provider's keys for its
 * issuer, an ID token (not an access token); an expired one is accepted, as the spec asks. Returns its
 * claims, or undefined when it is not a valid hint.
 */
export async function verifyIDTokenHint(
  hint: string,
  service: TokenService,
  keys: () => Promise<JWKSet>,
): Promise<{ sub: string; aud: string; sid?: string } | undefined> {
  const signer = tokenServiceSigner(service);
  if (!signer || hint.length > 8192) return undefined;
  try {
    const { header, payload } = decodeJWT(hint);
    if (header.typ !== undefined && header.typ !== 'JWT') return undefined;
    const iat = typeof payload.iat === 'number' && Number.isFinite(payload.iat) ? payload.iat : undefined;
    if (iat === undefined) return undefined;
    // Expired hints are fine: verify as of the moment it was issued (the signature and iss still count).
    const claims = verifyJWT(hint, await keys(), {
      algorithms: [signer.algorithm],
      issuer: service.issuer,
      audience: [/^/],
      requiredClaims: ['sub', 'aud', 'iat', 'exp'],
      currentDate: new Date(iat * 1000),
    });
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (aud.length !== 1 || typeof aud[0] !== 'string' || typeof claims.sub !== 'string') return undefined;
    if (claims.azp !== undefined && claims.azp !== aud[0]) return undefined;
    return { sub: claims.sub, aud: aud[0], ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}) };
  } catch {
    return undefined;
  }
}
