// The framework-neutral core of the sign-in routes: a login route (redirect to the provider, the
// transaction in its own short-lived encrypted cookie), a callback route (the code exchange, the session
// cookie), a logout route (RP-initiated logout), and reading the session (refreshed before it expires).
// Cookies are compact JWEs (dir + A256GCM) under the application's 32-byte key: HttpOnly, SameSite=Lax,
// Secure on https. The Express, Fastify and Hono glue only translates requests and responses.
import { JWTError } from '../errors.js';
import { checkOptionNames, optionNames, toSeconds } from '../internal.js';
import { decryptJWT } from '../jwt/decrypt.js';
import { encryptJWT } from '../jwt/encrypt.js';
import type { Duration, JWTPayload } from '../types.js';
import type { AuthorizationUrlOptions, OIDCClient } from './client.js';
import type { IDTokenClaims } from './id-token.js';
import type { LogoutTokenClaims } from './logout-token.js';

/**
 * The signed-in user's session, as the glue attaches it to the request (`req.oidc`, `request.oidc`,
 * `c.get('oidc')`); `undefined` when nobody is signed in.
 * @example
 * ```ts
 * app.get('/me', (req, res) => (req.oidc ? res.json(req.oidc.claims) : res.redirect('/login')));
 * ```
 */
export interface OIDCSession {
  /** The ID token's validated claims. */
  claims: IDTokenClaims;
  /** The access token, for calling APIs. */
  accessToken: string;
  /** When the access token expires (seconds since the epoch), if known. */
  expiresAt?: number;
  /** The refresh token, if the provider issued one. */
  refreshToken?: string;
  /** The ID token (sent as `id_token_hint` at logout). */
  idToken?: string;
}

/**
 * Options of {@link oidcExpress}, {@link oidcFastify} and {@link oidcHono}.
 * @example
 * ```ts
 * const options: OIDCRoutesOptions = { secret: process.env.SESSION_KEY, authorizationParams: { scope: 'openid email' } };
 * ```
 */
export interface OIDCRoutesOptions {
  /** The 32-byte key (a Uint8Array, or 43 base64url characters) that encrypts the cookies (JWE dir + A256GCM). */
  secret: Uint8Array | string;
  /** The login route (default `'/login'`); `?returnTo=/path` comes back there after sign-in. */
  loginPath?: string;
  /** The callback route; its path must be the one of the client's `redirectUri` (default: that path). */
  callbackPath?: string;
  /** The logout route (default `'/logout'`). */
  logoutPath?: string;
  /** Where to go after sign-in when no `returnTo` was given (default `'/'`). */
  afterLogin?: string;
  /** Where to go after logout when the provider has no `end_session_endpoint` (default `'/'`). */
  afterLogout?: string;
  /** Parameters of every authorization request (scope, prompt, maxAge …). */
  authorizationParams?: AuthorizationUrlOptions;
  /** The session cookie's name (default `'tessera_session'`; the sign-in in progress is `<name>_tx`). Give each app on one host its own: cookies ignore ports. */
  cookieName?: string;
  /** How long the session cookie lives (default `'8h'`). */
  sessionMaxAge?: Duration;
  /** Refresh the tokens this long before the access token expires (default `'60s'`). */
  refreshBefore?: Duration;
  /** Force the `Secure` attribute (default: on when the request is https). */
  secure?: boolean;
  /**
   * The back-channel logout route (OpenID Connect Back-Channel Logout 1.0; default `'/backchannel-logout'`):
   * register `<origin><path>` as the client's `backchannel_logout_uri` and the provider ends this
   * application's sessions when the user's provider session ends. `false` turns the route off.
   */
  backchannelLogoutPath?: string | false;
  /**
   * Where ended sessions are remembered until their cookies expire (default: this process's memory). Give
   * a shared store (Redis, a database) when several instances serve the application.
   */
  logoutStore?: OIDCLogoutStore;
}

/**
 * The memory of back-channel logouts that {@link oidcExpress}, {@link oidcFastify} and {@link oidcHono}
 * consult on every request: keys such as `sid:<sid>` and `sub:<sub>`, values in seconds since the epoch.
 * @example
 * ```ts
 * const logoutStore: OIDCLogoutStore = {
 *   get: async (key) => Number(await redis.get(`logout:${key}`)) || undefined,
 *   set: async (key, value, ttl) => void (await redis.set(`logout:${key}`, String(value), 'EX', ttl)),
 * };
 * ```
 */
export interface OIDCLogoutStore {
  /** The value stored under `key`, or undefined (also once its time to live has passed). */
  get(key: string): number | undefined | Promise<number | undefined>;
  /** Stores `value` under `key` for `ttlSeconds`. */
  set(key: string, value: number, ttlSeconds: number): void | Promise<void>;
}

/** The default logout store: bounded, in this process, entries dropped when they expire. */
function memoryLogoutStore(maxEntries = 100_000): OIDCLogoutStore {
  const entries = new Map<string, { value: number; until: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.until <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, ttlSeconds) {
      entries.delete(key);
      entries.set(key, { value, until: Date.now() + ttlSeconds * 1000 });
      // Oldest first in a Map: over the bound, forget the oldest (those sessions are the closest to expiring).
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}

const ROUTE_OPTIONS = optionNames([
  'secret',
  'loginPath',
  'callbackPath',
  'logoutPath',
  'afterLogin',
  'afterLogout',
  'authorizationParams',
  'cookieName',
  'sessionMaxAge',
  'refreshBefore',
  'secure',
  'backchannelLogoutPath',
  'logoutStore',
]);

/** A request as the core sees it. */
export interface CoreRequest {
  method: string;
  /** The absolute URL of the request. */
  url: URL;
  /** The Cookie header, if any. */
  cookie: string | undefined;
  /** The Content-Type header, if any. */
  contentType?: string | undefined;
  /** Reads the request body as text: undefined when it is longer than `limit` bytes. */
  readBody?: (limit: number) => Promise<string | undefined>;
}

/** A response as the core produces it. */
export interface CoreResponse {
  status: number;
  headers: Array<[string, string]>;
  body?: string;
}

/** The compiled routes, shared by the three adapters. */
export interface OIDCRoutes {
  /** Handles the login, callback and logout routes; undefined for any other request. */
  handle(req: CoreRequest): Promise<CoreResponse | undefined>;
  /** Reads (and, when it is about to expire, refreshes) the session; `setCookie` is to be sent when present. */
  session(req: CoreRequest): Promise<{ session: OIDCSession | undefined; setCookie: string[] }>;
}

const TX_MAX_AGE = 600;
const DECRYPT = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] };

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(i + 1).trim());
  }
  return cookies;
}

function safeReturnTo(value: string | null, fallback: string): string {
  // Only a local path: "//evil.example" and "/\\evil.example" are other origins to a browser.
  if (value === null || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}

/** Builds the framework-neutral routes. @internal (used by the Express, Fastify and Hono glue) */
export function createOIDCRoutes(client: OIDCClient, options: OIDCRoutesOptions): OIDCRoutes {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkOptionNames(options as object, ROUTE_OPTIONS, 'oidc routes');
  const key = typeof options.secret === 'string' ? Buffer.from(options.secret, 'base64url') : options.secret;
  if (!(key instanceof Uint8Array) || key.length !== 32)
    throw new TypeError('"secret" option must be 32 bytes (a Uint8Array or 43 base64url characters)');
  const loginPath = options.loginPath ?? '/login';
  const callbackPath = options.callbackPath ?? new URL(client.redirectUri).pathname;
  const logoutPath = options.logoutPath ?? '/logout';
  const afterLogin = options.afterLogin ?? '/';
  const afterLogout = options.afterLogout ?? '/';
  const cookieName = options.cookieName ?? 'tessera_session';
  // The sign-in in progress, beside the session cookie: two apps on one host (cookies ignore ports) keep
  // apart when their cookie names differ.
  const txCookie = `${cookieName}_tx`;
  const sessionMaxAge = toSeconds(options.sessionMaxAge ?? '8h', 'sessionMaxAge');
  const refreshBefore = toSeconds(options.refreshBefore ?? 60, 'refreshBefore');
  const backchannelPath = options.backchannelLogoutPath ?? '/backchannel-logout';
  if (backchannelPath !== false && (typeof backchannelPath !== 'string' || !backchannelPath.startsWith('/')))
    throw new TypeError('"backchannelLogoutPath" option must be a path ("/…") or false');
  const logoutStore = options.logoutStore ?? memoryLogoutStore();
  if (typeof logoutStore?.get !== 'function' || typeof logoutStore.set !== 'function')
    throw new TypeError('"logoutStore" option must have get(key) and set(key, value, ttlSeconds)');

  const seal = (payload: JWTPayload, maxAge: number) =>
    encryptJWT(payload, key, { alg: 'dir', enc: 'A256GCM', expiresIn: maxAge });
  const open = <T>(value: string | undefined): T | undefined => {
    if (value === undefined || value === '') return undefined;
    try {
      return decryptJWT(value, key, DECRYPT) as T;
    } catch (err) {
      if (err instanceof JWTError) return undefined; // tampered, expired or from another key: no session
      throw err;
    }
  };
  const cookie = (req: CoreRequest, name: string, value: string, maxAge: number) => {
    const secure = options.secure ?? req.url.protocol === 'https:';
    return `${name}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  };
  const redirect = (location: string, setCookie: string[] = []): CoreResponse => ({
    status: 302,
    headers: [
      ['location', location],
      ['cache-control', 'no-store'],
      ...setCookie.map((c) => ['set-cookie', c] as [string, string]),
    ],
  });
  const sessionCookie = (req: CoreRequest, s: OIDCSession, signedInAt: number) =>
    cookie(req, cookieName, seal({ ...s, signedInAt } as unknown as JWTPayload, sessionMaxAge), sessionMaxAge);

  /** Whether a back-channel logout ended this session: its provider session (sid), or all of its user's. */
  async function endedByProvider(s: OIDCSession, signedInAt: number): Promise<boolean> {
    if (backchannelPath === false) return false;
    const sid = s.claims.sid;
    if (typeof sid === 'string' && (await logoutStore.get(`sid:${sid}`)) !== undefined) return true;
    const endedAt = await logoutStore.get(`sub:${s.claims.sub}`);
    return endedAt !== undefined && signedInAt <= endedAt;
  }

  /** The back-channel logout endpoint (§2.5, §2.8): 200 when the sessions are ended, 400 otherwise. */
  async function backchannelLogout(req: CoreRequest): Promise<CoreResponse> {
    const answer = (status: number, error?: string, description?: string): CoreResponse => ({
      status,
      headers: [
        ['cache-control', 'no-store'],
        ...(error ? ([['content-type', 'application/json']] as Array<[string, string]>) : []),
      ],
      ...(error ? { body: JSON.stringify({ error, error_description: description }) } : {}),
    });
    const type = (req.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded' || req.readBody === undefined)
      return answer(400, 'invalid_request', 'expected a form-encoded logout_token');
    const body = await req.readBody(64 * 1024);
    if (body === undefined) return answer(400, 'invalid_request', 'the request is too large');
    const tokens = new URLSearchParams(body).getAll('logout_token');
    if (tokens.length !== 1) return answer(400, 'invalid_request', 'expected exactly one logout_token');
    let claims: LogoutTokenClaims;
    try {
      claims = await client.verifyLogoutToken(tokens[0]!);
    } catch (err) {
      if (!(err instanceof JWTError)) throw err;
      return answer(400, 'invalid_request', `the logout token was refused (${err.code})`);
    }
    // A replayed token changes nothing, but is refused as §2.6 allows, so a replay is visible in logs.
    if ((await logoutStore.get(`jti:${claims.jti}`)) !== undefined)
      return answer(400, 'invalid_request', 'the logout token was already used');
    const ttl = sessionMaxAge;
    await logoutStore.set(`jti:${claims.jti}`, claims.iat, ttl);
    if (claims.sid !== undefined) await logoutStore.set(`sid:${claims.sid}`, claims.iat, ttl);
    else await logoutStore.set(`sub:${claims.sub}`, claims.iat, ttl);
    return answer(200);
  }

  async function session(req: CoreRequest): Promise<{ session: OIDCSession | undefined; setCookie: string[] }> {
    const current = open<OIDCSession & JWTPayload>(parseCookies(req.cookie).get(cookieName));
    if (current === undefined) return { session: undefined, setCookie: [] };
    const { exp: _exp, iat: _iat, signedInAt, ...stored } = current as typeof current & { signedInAt?: number };
    const s = stored as OIDCSession;
    const now = Math.floor(Date.now() / 1000);
    if (await endedByProvider(s, signedInAt ?? 0))
      return { session: undefined, setCookie: [cookie(req, cookieName, '', 0)] };
    if (s.expiresAt === undefined || s.expiresAt - refreshBefore > now) return { session: s, setCookie: [] };
    if (s.refreshToken === undefined) {
      // Expired and nothing to refresh with: signed out.
      if (s.expiresAt <= now) return { session: undefined, setCookie: [cookie(req, cookieName, '', 0)] };
      return { session: s, setCookie: [] };
    }
    try {
      const next = await client.refresh(s.refreshToken, s.claims);
      const refreshed: OIDCSession = {
        claims: next.claims ?? s.claims,
        accessToken: next.accessToken,
        ...(next.expiresAt !== undefined ? { expiresAt: next.expiresAt } : {}),
        ...(next.refreshToken !== undefined ? { refreshToken: next.refreshToken } : {}),
        ...((next.idToken ?? s.idToken) !== undefined ? { idToken: (next.idToken ?? s.idToken) as string } : {}),
      };
      return { session: refreshed, setCookie: [sessionCookie(req, refreshed, signedInAt ?? now)] };
    } catch (err) {
      if (!(err instanceof JWTError)) throw err;
      // A refused refresh (revoked, rotated away): the session ends.
      return { session: undefined, setCookie: [cookie(req, cookieName, '', 0)] };
    }
  }

  async function handle(req: CoreRequest): Promise<CoreResponse | undefined> {
    const path = req.url.pathname;
    if (req.method === 'GET' && path === loginPath) {
      const { url, ...transaction } = client.authorizationUrl(options.authorizationParams ?? {});
      const returnTo = safeReturnTo(req.url.searchParams.get('returnTo'), afterLogin);
      const tx = seal({ ...transaction, returnTo }, TX_MAX_AGE);
      return redirect(url, [cookie(req, txCookie, tx, TX_MAX_AGE)]);
    }
    if (req.method === 'GET' && path === callbackPath) {
      const tx = open<{ state: string; nonce: string; codeVerifier: string; maxAge?: number; returnTo: string }>(
        parseCookies(req.cookie).get(txCookie),
      );
      const clearTx = cookie(req, txCookie, '', 0);
      if (tx === undefined)
        return {
          status: 400,
          headers: [
            ['content-type', 'text/plain'],
            ['set-cookie', clearTx],
          ],
          body: 'Sign-in failed: no sign-in in progress (start again).',
        };
      try {
        const tokens = await client.callback(req.url, tx);
        const s: OIDCSession = {
          claims: tokens.claims as IDTokenClaims,
          accessToken: tokens.accessToken,
          ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
          ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
          ...(tokens.idToken !== undefined ? { idToken: tokens.idToken } : {}),
        };
        return redirect(safeReturnTo(tx.returnTo, afterLogin), [
          clearTx,
          sessionCookie(req, s, Math.floor(Date.now() / 1000)),
        ]);
      } catch (err) {
        if (!(err instanceof JWTError)) throw err;
        // The code is a one-time secret and the error names only the rule that failed.
        return {
          status: 400,
          headers: [
            ['content-type', 'text/plain'],
            ['set-cookie', clearTx],
          ],
          body: `Sign-in failed (${err.code}).`,
        };
      }
    }
    if (backchannelPath !== false && path === backchannelPath && req.method === 'POST') return backchannelLogout(req);
    if (path === logoutPath && (req.method === 'GET' || req.method === 'POST')) {
      const current = open<OIDCSession>(parseCookies(req.cookie).get(cookieName));
      const clear = cookie(req, cookieName, '', 0);
      if (typeof client.metadata.end_session_endpoint === 'string') {
        return redirect(client.endSessionUrl(current?.idToken !== undefined ? { idTokenHint: current.idToken } : {}), [
          clear,
        ]);
      }
      return redirect(afterLogout, [clear]);
    }
    return undefined;
  }

  return { handle, session };
}
