// Client secrets and registration access tokens, stored hashed. A secret the provider generates is 32
// random bytes, so SHA-256 is enough (no dictionary to search); a secret taken from a configuration file
// may have been chosen by a person, so it gets a salted scrypt hash. Comparisons are constant-time, and
// a check against no stored hash still does the same work (an unknown client costs what a known one does).
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** A stored secret hash. */
export type SecretHash = { alg: 'sha256'; hash: string } | { alg: 'scrypt'; salt: string; hash: string };

const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const DUMMY: SecretHash = { alg: 'scrypt', salt: 'AAAAAAAAAAAAAAAAAAAAAA', hash: 'A'.repeat(43) };

/** A new random secret (32 bytes, base64url) and its SHA-256 hash. */
export function generateSecret(): { secret: string; hash: SecretHash } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: hashGenerated(secret) };
}

/** The SHA-256 hash of a generated (high-entropy) secret. */
export function hashGenerated(secret: string): SecretHash {
  return { alg: 'sha256', hash: createHash('sha256').update(secret, 'utf8').digest('base64url') };
}

/** The salted scrypt hash of a configured (possibly human-chosen) secret. */
export function hashConfigured(secret: string): SecretHash {
  const salt = randomBytes(16);
  return {
    alg: 'scrypt',
    salt: salt.toString('base64url'),
    hash: scryptSync(secret, salt, 32, SCRYPT).toString('base64url'),
  };
}

/** Constant-time check of `secret` against `stored`; with no stored hash it does the work and answers false. */
export function checkSecret(secret: string, stored: SecretHash | undefined): boolean {
  const against = stored ?? DUMMY;
  const actual =
    against.alg === 'sha256'
      ? createHash('sha256').update(secret, 'utf8').digest()
      : scryptSync(secret, Buffer.from(against.salt, 'base64url'), 32, SCRYPT);
  const expected = Buffer.from(against.hash, 'base64url');
  const same = expected.length === actual.length && timingSafeEqual(expected, actual);
  return stored !== undefined && same;
}
