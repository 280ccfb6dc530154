// Keys and tokens for the contract: one trusted ES256 key, one stranger, and claims presets.
import { encodeUnsecuredJWT, generateKeyPair, type Key, type SignOptions, signJWT } from 'tessera-jwt';

export const ISSUER = 'https://auth.tessera.test';
export const AUDIENCE = 'https://api.tessera.test';

export const trusted = generateKeyPair('ES256', { kid: 'trusted-1' });
export const stranger = generateKeyPair('ES256', { kid: 'trusted-1' }); // same kid, other key: a forgery

const now = () => Math.floor(Date.now() / 1000);

/** A token the contract's servers accept (unless the overrides break it). */
export function token(
  claims: Record<string, unknown> = {},
  options: SignOptions = {},
  key: Key = trusted.privateKey,
): string {
  return signJWT({ sub: 'user-42', scope: 'read:profile', ...claims }, key, {
    ...('exp' in claims ? {} : { expiresIn: '5m' }),
    ...('iat' in claims ? { issuedAt: false } : {}),
    issuer: ISSUER,
    audience: AUDIENCE,
    ...options,
  });
}

export const tokens = {
  valid: () => token(),
  expired: () => token({ exp: now() - 120, iat: now() - 600 }),
  notYetValid: () => token({ nbf: now() + 600 }),
  wrongAudience: () => token({}, { audience: 'https://other.tessera.test' }),
  wrongSignature: () => token({}, {}, stranger.privateKey),
  algNone: () => encodeUnsecuredJWT({ sub: 'user-42', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 }),
  revoked: () => token({ jti: 'revoked-jti' }),
  withScopes: (scope: string) => token({ scope }),
  withScp: (scp: string[]) => token({ scope: undefined, scp }),
  withRoles: (roles: string[]) => token({ roles }),
};
