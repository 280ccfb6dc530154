// Client secrets and registration access tokens, stored hashed. A secret the provider generates is 32
// random bytes, so SHA-256 is enough (no dictionary to search); a secret taken from a configuration file
// may have been chosen by a person, so it gets a salted scrypt hash. Comparisons are constant-time, and
// a check against no stored hash still does the same work (an unknown client costs what a known one does).
import { createHash, createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

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

const scryptAsync = (secret: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))),
  );

/**
 * {@link checkSecret} for requests: scrypt runs on the libuv threadpool, so a client authenticating with a
 * configured secret (or someone guessing it) never blocks the event loop for the ~40 ms scrypt costs.
 */
export async function checkSecretAsync(secret: string, stored: SecretHash | undefined): Promise<boolean> {
  const against = stored ?? DUMMY;
  if (against.alg === 'sha256') return checkSecret(secret, stored);
  const actual = await scryptAsync(secret, Buffer.from(against.salt, 'base64url'));
  const expected = Buffer.from(against.hash, 'base64url');
  const same = expected.length === actual.length && timingSafeEqual(expected, actual);
  return stored !== undefined && same;
}

/**
 * Remembers successful scrypt checks for a short while, so a confidential client with a configured secret
 * pays scrypt once per `ttl`, not once per token request. Only successes are kept (every wrong guess pays
 * the full scrypt); entries are keyed by the client, an HMAC of the presented secret under a key that
 * lives only in this process (the secret itself is not kept), and the stored hash, so a rotated secret
 * misses at once. A hit is faster than a miss, but a hit needs the right secret: the timing tells nothing
 * an attacker does not already hold.
 */
export function createSecretCache(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
  const key = randomBytes(32);
  const ttl = options.ttlMs ?? 5 * 60_000;
  const max = options.maxEntries ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, number>();
  const id = (clientId: string, secret: string, stored: SecretHash) =>
    `${clientId}\0${createHmac('sha256', key).update(secret, 'utf8').digest('base64url')}\0${stored.hash}`;
  return {
    /** True when this exact secret passed against this stored hash within the last `ttl`. */
    has(clientId: string, secret: string, stored: SecretHash): boolean {
      const k = id(clientId, secret, stored);
      const until = entries.get(k);
      if (until === undefined) return false;
      if (until <= now()) {
        entries.delete(k);
        return false;
      }
      return true;
    },
    /** Records a successful check. */
    add(clientId: string, secret: string, stored: SecretHash): void {
      const k = id(clientId, secret, stored);
      entries.delete(k);
      entries.set(k, now() + ttl);
      while (entries.size > max) entries.delete(entries.keys().next().value as string);
    },
  };
}
