// OpenID Connect RP-Initiated Logout 1.0 at the end_session_endpoint, GET or POST. The request names
// its client by `client_id` or by the `aud` of a verified `id_token_hint` (expired hints accepted, §2);
// `post_logout_redirect_uri` must be one the client registered, exactly, or the request is refused on an
// error page (never an open redirect). When the hint is this browser's current session (same `sub` and
// `sid`), the session ends at once; otherwise the user confirms on a page (CSRF: a one-time token bound
// to the session, frame-ancestors 'none'), as §2 requires. Ending a session clears the cookie, deletes
// the session record and revokes every token family issued in it (families.ts).
import type { RecordStore } from '../server/record-store.js';
import type { TokenStore } from '../server/store.js';
import type { TokenService } from '../server/token-service.js';
import { SESSION_COOKIE, type SessionRecord } from './authorize.js';
import type { ClientRegistry, RegisteredClient } from './clients.js';
import { cookie, readCookie } from './cookies.js';
import { type EndedSession, sessionClientIds } from './backchannel.js';
import { endSession } from './families.js';
import { serviceKeys, verifyIDTokenHint } from './id-token.js';
import { errorPage, logoutPage, signedOutPage } from './pages.js';
import { RECORD_KINDS } from './record-kinds.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';

const PARAMS = new Set([
  'id_token_hint',
  'client_id',
  'post_logout_redirect_uri',
  'state',
  'ui_locales',
  'logout_hint',
]);
const CONFIRM_TTL = 600;
const MAX_BODY = 16 * 1024;

interface LogoutRequestRecord extends Record<string, unknown> {
  sessionId: string;
  clientId?: string;
  redirect?: string;
  state?: string;
}

export interface LogoutOptions {
  store: RecordStore & TokenStore;
  clients: ClientRegistry;
  service: TokenService;
  /** The end_session_endpoint's path; the confirmation posts to `${path}/confirm`. */
  path: string;
  now: () => number;
  /** Called when a session ended (for logs or back-channel hooks): the session's `sub` and `sid`. */
  onLogout?: (session: { sub: string; sid?: string }) => void | Promise<void>;
  /** Sends the logout tokens of Back-Channel Logout 1.0 to the session's clients. */
  backchannel?: { notify(ended: EndedSession): Promise<void> };
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export function createLogout(options: LogoutOptions) {
  const { store, clients, service, path, now } = options;
  const secure = service.issuer.startsWith('https:');
  const keys = serviceKeys(service);
  const confirmPath = `${path.replace(/\/+$/, '')}/confirm`;
  const base = service.issuer.replace(/\/+$/, '');
  const invalid = (message: string) => errorPage(400, 'Invalid sign-out request', message);

  const readForm = async (request: Request): Promise<URLSearchParams | Response> => {
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded')
      return invalid('The form must be application/x-www-form-urlencoded.');
    if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY) return invalid('The request is too large.');
    const text = await request.text();
    if (text.length > MAX_BODY) return invalid('The request is too large.');
    return new URLSearchParams(text);
  };

  const sessionOf = async (request: Request) => {
    const id = readCookie(request, SESSION_COOKIE);
    if (id === undefined || id === '' || id.length > 64) return undefined;
    const session = (await store.findRecord(RECORD_KINDS.session, id, now())) as SessionRecord | undefined;
    return session ? { id, session } : undefined;
  };

  /** Ends the session and answers: back to the client (with `state`) or the signed-out page. */
  const finish = async (
    end: { id: string; session: SessionRecord } | undefined,
    redirect: string | undefined,
    state: string | undefined,
  ): Promise<Response> => {
    const cookies: string[] = [];
    if (end) {
      // The session's clients are read before the session record goes.
      const clientIds = options.backchannel ? await sessionClientIds(store, end.id, now()) : [];
      await endSession(store, end.id, now());
      await options.backchannel?.notify({ sub: end.session.sub, sid: end.session.sid, clientIds });
      cookies.push(cookie(SESSION_COOKIE, '', secure, 0));
      await options.onLogout?.({ sub: end.session.sub, ...(end.session.sid ? { sid: end.session.sid } : {}) });
    }
    if (redirect === undefined) return signedOutPage(true, { 'set-cookie': cookies });
    const url = new URL(redirect);
    if (state !== undefined) url.searchParams.set('state', state);
    const headers = new Headers({ location: url.href, 'cache-control': 'no-store' });
    for (const c of cookies) headers.append('set-cookie', c);
    return new Response(null, { status: 303, headers });
  };

  /** The end_session_endpoint. */
  const endSessionEndpoint = async (request: Request): Promise<Response> => {
    let params: URLSearchParams;
    if (request.method === 'GET' || request.method === 'HEAD') params = new URL(request.url).searchParams;
    else if (request.method === 'POST') {
      const form = await readForm(request);
      if (form instanceof Response) return form;
      params = form;
      // A cross-site POST does not carry the SameSite=Lax session cookie: continue as a top-level GET,
      // which does, so the session it is about can be seen (and bound to the confirmation).
      if (readCookie(request, SESSION_COOKIE) === undefined) {
        const url = new URL(`${base}${path}`);
        for (const [name, value] of params) if (PARAMS.has(name)) url.searchParams.append(name, value);
        return new Response(null, { status: 303, headers: { location: url.href, 'cache-control': 'no-store' } });
      }
    } else return errorPage(405, 'Method not allowed', 'Use GET or POST.', { allow: 'GET, POST' });
    const seen = new Set<string>();
    for (const [name, value] of params) {
      if (!PARAMS.has(name)) continue;
      if (seen.has(name)) return invalid('A parameter is repeated.');
      if (value.length > (name === 'id_token_hint' ? 8192 : 2048)) return invalid(`${name} is too long.`);
      seen.add(name);
    }
    const get = (name: string) => {
      const v = params.get(name);
      return v === null || v === '' ? undefined : v;
    };
    const hintText = get('id_token_hint');
    const hint = hintText !== undefined ? await verifyIDTokenHint(hintText, service, keys) : undefined;
    const clientId = get('client_id');
    if (hint && clientId !== undefined && clientId !== hint.aud)
      return invalid('client_id does not match the id_token_hint.');
    let client: RegisteredClient | undefined;
    const named = clientId ?? hint?.aud;
    if (named !== undefined) {
      client = named.length <= 128 ? await clients.find(named) : undefined;
      if (!client) return invalid('The application that sent you here is not registered.');
    }
    let redirect = get('post_logout_redirect_uri');
    if (redirect !== undefined) {
      // Only a URI registered by a client the request names (by client_id or a verified hint).
      if (!client) redirect = undefined;
      else if (!(client.post_logout_redirect_uris ?? []).includes(redirect))
        return invalid('The post_logout_redirect_uri is not registered for this application.');
    }
    const state = redirect !== undefined ? get('state') : undefined;
    const current = await sessionOf(request);
    if (!current) return finish(undefined, redirect, state);
    // Trusted: a valid hint about this very session (RP-Initiated Logout §2 lets the OP skip the question).
    if (hint && hint.sub === current.session.sub && hint.sid !== undefined && hint.sid === current.session.sid)
      return finish(current, redirect, state);
    const xsrf = randomBytes(32).toString('base64url');
    const record: LogoutRequestRecord = {
      sessionId: current.id,
      ...(client ? { clientId: client.client_id } : {}),
      ...(redirect !== undefined ? { redirect } : {}),
      ...(state !== undefined ? { state } : {}),
    };
    await store.putRecord(RECORD_KINDS.logoutRequest, xsrf, record, now() + CONFIRM_TTL);
    const clientName = client ? (client.client_name ?? client.client_id) : undefined;
    return logoutPage({ action: confirmPath, xsrf, ...(clientName ? { clientName } : {}) });
  };

  /** The confirmation form's target. */
  const confirm = async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') return errorPage(405, 'Method not allowed', 'Use POST.', { allow: 'POST' });
    const form = await readForm(request);
    if (form instanceof Response) return form;
    const xsrf = form.get('xsrf') ?? '';
    const expired = () => invalid('This sign-out page has expired or was not sent by this site. Start again.');
    if (!/^[A-Za-z0-9_-]{43}$/.test(xsrf)) return expired();
    const current = await sessionOf(request);
    const found = (await store.findRecord(RECORD_KINDS.logoutRequest, xsrf, now())) as LogoutRequestRecord | undefined;
    // Bound to the session it was shown for: another browser (or a later session) cannot use it.
    if (!found || !current || !same(found.sessionId, current.id)) return expired();
    const consumed = await store.consumeRecord(RECORD_KINDS.logoutRequest, xsrf, now());
    if (consumed.status !== 'ok') return expired();
    if (form.get('logout') !== 'yes') {
      if (found.redirect === undefined) return signedOutPage(false);
      return finish(undefined, found.redirect, found.state);
    }
    return finish(current, found.redirect, found.state);
  };

  return { endSession: endSessionEndpoint, confirm, confirmPath };
}
