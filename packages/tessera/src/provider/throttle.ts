// One login throttle for the provider's login page and the reference server.
// Login throttling (RFC 6749 §10.10: the password grant MUST be protected against brute force). Failed
// logins are counted three ways, each with a few free failures and then a wait that doubles per failure:
//   - per account and client address: 5 free, then 1 s, 2 s, 4 s … up to 5 min. This is what stops
//     one attacker guessing one password; the real user on another address is not affected.
//   - per client address, all accounts: 20 free, then 1 s … up to 5 min (password spraying).
//   - per account, all addresses: 20 free, then 1 s … up to 30 s. Short on purpose: a distributed
//     attacker can slow a real user down, but never lock them out for more than half a minute.
// A counter is forgotten 15 minutes after its last failure; a successful login clears its account's
// counters. While a wait runs, a login is answered 429 with Retry-After without checking the password
// (so it costs no scrypt either). Memory is bounded: each table keeps at most `maxEntries` counters and
// drops the least recently failed one first.

export interface ThrottleRule {
  /** Failures allowed before any wait. */
  readonly free: number;
  /** Seconds of the first wait; each further failure doubles it. */
  readonly base: number;
  /** Longest wait, seconds. */
  readonly max: number;
}

export const LOGIN_THROTTLE = {
  accountAndAddress: { free: 5, base: 1, max: 300 },
  address: { free: 20, base: 1, max: 300 },
  account: { free: 20, base: 1, max: 30 },
  /** Seconds after the last failure when a counter is forgotten. */
  forgetAfter: 900,
  maxEntries: 10_000,
} as const;

export interface LoginThrottle {
  /** Seconds to wait before `username` may try again from `address` (0: now). */
  wait(username: string, address: string): number;
  failed(username: string, address: string): void;
  succeeded(username: string, address: string): void;
}

interface Counter {
  failures: number;
  last: number;
  until: number;
}

/** One table of counters: a Map in least-recently-failed order, so the oldest is evicted first. */
function counters(rule: ThrottleRule, settings: { forgetAfter: number; maxEntries: number }, now: () => number) {
  const map = new Map<string, Counter>();
  const live = (key: string, t: number): Counter | undefined => {
    const c = map.get(key);
    if (c && t - c.last > settings.forgetAfter) {
      map.delete(key);
      return undefined;
    }
    return c;
  };
  return {
    wait(key: string): number {
      const t = now();
      const c = live(key, t);
      return c ? Math.max(0, c.until - t) : 0;
    },
    fail(key: string): void {
      const t = now();
      const c = live(key, t) ?? { failures: 0, last: t, until: 0 };
      c.failures += 1;
      c.last = t;
      const over = c.failures - rule.free;
      if (over > 0) c.until = t + Math.min(rule.max, rule.base * 2 ** Math.min(over - 1, 30));
      map.delete(key); // re-insert: the most recently failed goes last
      map.set(key, c);
      while (map.size > settings.maxEntries) map.delete(map.keys().next().value!);
    },
    clear(key: string): void {
      map.delete(key);
    },
    get size() {
      return map.size;
    },
  };
}

export function createLoginThrottle(
  options: { now?: () => number; maxEntries?: number } = {},
): LoginThrottle & { sizes(): number[] } {
  const now = options.now ?? (() => Date.now() / 1000);
  const settings = {
    forgetAfter: LOGIN_THROTTLE.forgetAfter,
    maxEntries: options.maxEntries ?? LOGIN_THROTTLE.maxEntries,
  };
  const pair = counters(LOGIN_THROTTLE.accountAndAddress, settings, now);
  const byAddress = counters(LOGIN_THROTTLE.address, settings, now);
  const byAccount = counters(LOGIN_THROTTLE.account, settings, now);
  // Usernames are case-sensitive in the user store, but one account must not get several counters.
  const account = (username: string) => username.normalize('NFC').toLowerCase().slice(0, 256);
  const pairKey = (username: string, address: string) => `${address}\n${account(username)}`;
  return {
    wait(username, address) {
      return Math.max(
        pair.wait(pairKey(username, address)),
        byAddress.wait(address),
        byAccount.wait(account(username)),
      );
    },
    failed(username, address) {
      pair.fail(pairKey(username, address));
      byAddress.fail(address);
      byAccount.fail(account(username));
    },
    succeeded(username, address) {
      pair.clear(pairKey(username, address));
      byAccount.clear(account(username));
    },
    sizes: () => [pair.size, byAddress.size, byAccount.size],
  };
}
