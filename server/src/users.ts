// The demo user store: a JSON file of users whose passwords are scrypt hashes (RFC 7914, node:crypto),
// each with its own salt and cost parameters so they can be raised later without breaking old
// entries. Checking is constant-time in both senses: the hash comparison (timingSafeEqual) and the
// work done — an unknown user still costs one scrypt, so response times do not reveal which
// usernames exist.
import { randomBytes, randomUUID, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import type { Logger } from './logger.js';

export interface User {
  readonly sub: string;
  readonly username: string;
  readonly name: string;
  readonly email: string;
  /** The scope a login of this user is granted. */
  readonly scope: string;
}

interface PasswordHash {
  readonly alg: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
  readonly hash: string;
}

interface StoredUser extends User {
  readonly password: PasswordHash;
}

export interface UserStore {
  /** The user, when the password is theirs; undefined otherwise (same cost either way). */
  verify(username: string, password: string): Promise<User | undefined>;
  findBySub(sub: string): User | undefined;
}

// OWASP's scrypt minimum (N=2^17, r=8, p=1) needs 128 MiB per login; a demo server shared by tests
// uses 2^15 (32 MiB, ~50 ms). Raise N for production: stored parameters keep old hashes valid.
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const MAX_PASSWORD_BYTES = 1024;
// scrypt's PBKDF2-HMAC pads a short password with zero bytes, so "pw" and "pw\0" would hash alike.
// Control characters (C0, DEL, C1) are refused in every password, at creation and at login, which
// makes that ambiguity unreachable; nothing a person types is lost (no stored hash can contain one).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** True when a password may be set or checked: no control characters (NUL included). */
export function isAcceptablePassword(password: string): boolean {
  return !CONTROL.test(password);
}

function scrypt(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  if (!isAcceptablePassword(password)) throw new TypeError('a password must not contain control characters');
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, COST);
  return { alg: 'scrypt', ...COST, salt: salt.toString('base64url'), hash: hash.toString('base64url') };
}

async function checkPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(stored.salt, 'base64url'), stored);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function isStoredUser(u: unknown): u is StoredUser {
  const v = u as StoredUser;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.sub === 'string' &&
    typeof v.username === 'string' &&
    typeof v.scope === 'string' &&
    typeof v.password === 'object' &&
    v.password !== null &&
    v.password.alg === 'scrypt' &&
    Number.isInteger(v.password.N) &&
    typeof v.password.salt === 'string' &&
    typeof v.password.hash === 'string'
  );
}

/**
 * Opens the user file, creating it on first run with one demo user (`demo`, the given password).
 */
export async function openUserStore(file: string, demoPassword: string, log: Logger): Promise<UserStore> {
  let users: StoredUser[];
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { users?: unknown };
    if (!Array.isArray(parsed.users) || !parsed.users.every(isStoredUser))
      throw new Error('expected { "users": [ { sub, username, scope, password: { alg: "scrypt", … } } ] }');
    users = parsed.users;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`cannot read the user file ${file}: ${(err as Error).message}`);
    users = [
      {
        sub: randomUUID(),
        username: 'demo',
        name: 'Demo User',
        email: 'demo@example.com',
        scope: 'openid profile email read:orders',
        password: await hashPassword(demoPassword),
      },
    ];
    await writeFile(file, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    log.info('created the demo user store', { file, username: 'demo' });
  }
  const byName = new Map(users.map((u) => [u.username, u]));
  const bySub = new Map(users.map((u) => [u.sub, u]));
  // An unknown username is checked against this, so it costs what a known one costs. Its hash is
  // random bytes: no password matches it, and making it costs nothing at start.
  const decoy: PasswordHash = {
    alg: 'scrypt',
    ...COST,
    salt: randomBytes(16).toString('base64url'),
    hash: randomBytes(KEY_LENGTH).toString('base64url'),
  };
  const publicPart = ({ sub, username, name, email, scope }: StoredUser): User => ({
    sub,
    username,
    name,
    email,
    scope,
  });

  return {
    async verify(username, password) {
      if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return undefined; // scrypt of megabytes is a DoS
      if (!isAcceptablePassword(password)) return undefined; // no stored password has one: never a match
      const user = byName.get(username);
      const ok = await checkPassword(password, user?.password ?? decoy);
      return ok && user ? publicPart(user) : undefined;
    },
    findBySub(sub) {
      const user = bySub.get(sub);
      return user ? publicPart(user) : undefined;
    },
  };
}
