// The authorization endpoint (RFC 6749 §4.1, OAuth 2.1, OpenID Connect Core §3.1.2) and the interaction
// model: a request is validated (an unknown client or an unregistered redirect_uri answers an error page
// and never redirects; every other error is redirected per §4.1.2.1 with `iss`, RFC 9207), then either
// answered with a code at once (a live provider session and an earlier consent cover it) or parked as an
// Interaction that the application's login/consent UI finishes with finishInteraction().
import { randomBytes } from 'node:crypto';
import type { RecordStore } from '../server/record-store.js';
import type { ClientRegistry, RegisteredClient } from './clients.js';
import { cookie, readCookie } from './cookies.js';
import { errorPage } from './pages.js';
import { RECORD_KINDS } from './record-kinds.js';
import { isResourceIndicator } from './resources.js';

/** Names of the provider's cookies. */
export const SESSION_COOKIE = 'tessera_session';
export const INTERACTION_COOKIE = 'tessera_interaction';

const CODE_TTL = 60;
const INTERACTION_TTL = 600;
const MAX_PARAM = 2048;
const PKCE = /^[A-Za-z0-9._~-]{43,128}$/;
const TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'prompt',
  'max_age',
  'login_hint',
  'code_challenge',
  'code_challenge_method',
  'resource',
  'ui_locales',
  'response_mode',
];

/** The validated authorization request kept with an interaction and a code. */
export interface AuthorizationRequest {
  client_id: string;
  redirect_uri: string;
  scope: string;
  state?: string;
  nonce?: string;
  prompt: string[];
  max_age?: number;
  login_hint?: string;
  code_challenge: string;
  /** RFC 8707 resource indicators: the access token's audience. */
  resource?: string[];
}

/** A provider session (the record behind the session cookie). */
export interface ProviderSession {
  sub: string;
  /**
   * The session's public id: the ID token's `sid`. Not the cookie value (that one is a bearer secret and
   * never leaves the cookie).
   */
  sid?: string;
  /** NumericDate of the login. */
  authTime: number;
  amr?: string[];
  acr?: string;
}

/**
 * What the application's UI learns about a pending interaction ({@link Provider.interactionDetails}).
 * @example
 * ```ts
 * const details: InteractionDetails | undefined = await provider.interactionDetails(request);
 * if (details?.prompt === 'login') renderLogin(details.uid, details.params.login_hint);
 * ```
 */
export interface InteractionDetails {
  uid: string;
  /** What is needed: a login, or a consent for `params.scope`. */
  prompt: 'login' | 'consent';
  params: Readonly<AuthorizationRequest>;
  client: Readonly<RegisteredClient>;
  /** The signed-in user when the prompt is consent. */
  session?: Readonly<ProviderSession>;
  /** A per-interaction CSRF token: put it in your form and compare it (constant-time) before finishing. */
  csrfToken: string;
}

/**
 * How the application finishes an interaction: `login` after it authenticated the user, `consent` after
 * the user approved (`scope`, default all requested), or `error` (`access_denied`, …) to refuse.
 * @example
 * ```ts
 * return provider.finishInteraction(request, { login: { sub: user.id, amr: ['pwd'] }, consent: {} });
 * ```
 */
export interface InteractionResult {
  login?: { sub: string; amr?: string[]; acr?: string };
  consent?: { scope?: string };
  error?: 'access_denied' | 'login_required' | 'consent_required' | 'interaction_required';
}

interface InteractionRecord extends Record<string, unknown> {
  params: AuthorizationRequest;
  csrf: string;
  sessionId?: string;
}

export interface SessionRecord extends Record<string, unknown>, ProviderSession {
  /** The token families (grants) issued in this session: a logout revokes them. */
  families?: string[];
}

/** Code record: what the token endpoint checks when the code is redeemed. */
export interface CodeRecord extends Record<string, unknown> {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  sub: string;
  authTime: number;
  sessionId: string;
  grantId: string;
  nonce?: string;
  resource?: string[];
  amr?: string[];
  acr?: string;
  /** The session's public id, for the ID token's `sid`. */
  sid?: string;
  familyId?: string;
}

export interface AuthorizationOptions {
  store: RecordStore;
  clients: ClientRegistry;
  issuer: string;
  /** Scopes the provider knows. */
  scopes: ReadonlySet<string>;
  /** Where the application's UI lives: the browser is sent to `${interactionUrl}?uid=…`. */
  interactionUrl: string;
  sessionTTL: number;
  now: () => number;
  /** Whether a resource indicator (RFC 8707) may be requested: an absolute URI the provider serves tokens for. */
  resourceAllowed?: (resource: string, client: RegisteredClient) => boolean;
  /** The ID token algorithm: a client registered for another one cannot ask for `openid`. */
  idTokenAlgorithm?: string;
}

const html = (status: number, title: string, message: string) => errorPage(status, title, message);

const randomId = () => randomBytes(32).toString('base64url');

export function createAuthorization(options: AuthorizationOptions) {
  const { store, clients, issuer, now } = options;
  const secure = issuer.startsWith('https:');

  const redirect = (uri: string, params: Record<string, string | undefined>, cookies: string[] = []) => {
    const url = new URL(uri);
    for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
    url.searchParams.set('iss', issuer); // RFC 9207
    const headers = new Headers({ location: url.href, 'cache-control': 'no-store' });
    for (const c of cookies) headers.append('set-cookie', c);
    return new Response(null, { status: 303, headers });
  };
  const errorRedirect = (req: { redirect_uri: string; state?: string }, error: string, description: string) =>
    redirect(req.redirect_uri, { error, error_description: description, state: req.state });

  const sessionOf = async (request: Request): Promise<{ id: string; session: SessionRecord } | undefined> => {
    const id = readCookie(request, SESSION_COOKIE);
    if (id === undefined || id.length > 64) return undefined;
    const session = (await store.findRecord(RECORD_KINDS.session, id, now())) as SessionRecord | undefined;
    return session ? { id, session } : undefined;
  };

  const consented = async (sub: string, clientId: string, scope: string) => {
    const grant = await store.findRecord(RECORD_KINDS.grant, `${sub} ${clientId}`, now());
    const granted = new Set(typeof grant?.scope === 'string' ? grant.scope.split(' ') : []);
    return scope.split(' ').every((s) => granted.has(s));
  };

  /** Issues a code and redirects to the client. */
  const issueCode = async (
    req: AuthorizationRequest,
    sessionId: string,
    session: ProviderSession,
    cookies: string[] = [],
  ) => {
    const code = randomId();
    const record: CodeRecord = {
      clientId: req.client_id,
      redirectUri: req.redirect_uri,
      codeChallenge: req.code_challenge,
      scope: req.scope,
      sub: session.sub,
      authTime: session.authTime,
      sessionId,
      grantId: randomId(),
      ...(req.nonce !== undefined ? { nonce: req.nonce } : {}),
      ...(req.resource !== undefined ? { resource: req.resource } : {}),
      ...(session.amr ? { amr: session.amr } : {}),
      ...(session.acr ? { acr: session.acr } : {}),
      ...(session.sid ? { sid: session.sid } : {}),
    };
    await store.putRecord(RECORD_KINDS.authorizationCode, code, record, now() + CODE_TTL);
    return redirect(req.redirect_uri, { code, state: req.state }, cookies);
  };

  /** Decides what the request needs next: a code, or an interaction. */
  const proceed = async (
    request: Request,
    req: AuthorizationRequest,
    cookies: string[] = [],
    fresh?: { id: string; session: SessionRecord },
    freshLogin = false,
  ) => {
    const current = fresh ?? (await sessionOf(request));
    const t = now();
    const needsLogin =
      current === undefined ||
      (req.prompt.includes('login') && !freshLogin) ||
      // max_age (OIDC Core §3.1.2.1): a session older than it logs in again; max_age=0 is prompt=login. A
      // login in this very request satisfies it (no second login when the clock ticks over meanwhile).
      (req.max_age !== undefined && !freshLogin && (req.max_age === 0 || t - current.session.authTime > req.max_age));
    const needsConsent =
      !needsLogin &&
      (req.prompt.includes('consent') || !(await consented(current!.session.sub, req.client_id, req.scope)));
    if (!needsLogin && !needsConsent) return issueCode(req, current!.id, current!.session, cookies);
    if (req.prompt.includes('none'))
      return errorRedirect(
        req,
        needsLogin ? 'login_required' : 'consent_required',
        needsLogin ? 'The user is not signed in' : 'The user has not consented',
      );
    const uid = randomId();
    const record: InteractionRecord = {
      csrf: randomId(),
      params: { ...req, prompt: req.prompt.filter((p) => !(p === 'login' && freshLogin)) },
      ...(current && !needsLogin ? { sessionId: current.id } : {}),
    };
    await store.putRecord(RECORD_KINDS.interaction, uid, record, t + INTERACTION_TTL);
    const url = new URL(options.interactionUrl, issuer);
    url.searchParams.set('uid', uid);
    const headers = new Headers({ location: url.href, 'cache-control': 'no-store' });
    for (const c of cookies) headers.append('set-cookie', c);
    // Binds the interaction to this browser: finishing it needs the cookie (login CSRF, session fixation).
    headers.append('set-cookie', cookie(INTERACTION_COOKIE, uid, secure, INTERACTION_TTL));
    return new Response(null, { status: 303, headers });
  };

  const authorize = async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return html(405, 'Method not allowed', 'Use GET.');
    const url = new URL(request.url);
    if (url.search.length > 8192) return html(400, 'Invalid request', 'The authorization request is too large.');
    const raw = url.searchParams;
    const seen = new Set<string>();
    for (const name of raw.keys()) {
      // RFC 8707 §2: `resource` may be given several times; nothing else may.
      if (seen.has(name) && name !== 'resource') return html(400, 'Invalid request', 'A parameter is repeated.');
      seen.add(name);
    }
    const get = (name: string) => {
      const v = raw.get(name);
      return v === null || v === '' ? undefined : v;
    };
    const clientId = get('client_id');
    const client = clientId !== undefined && clientId.length <= 128 ? await clients.find(clientId) : undefined;
    if (!client) return html(400, 'Unknown client', 'The application that sent you here is not registered.');
    const redirectUri = get('redirect_uri');
    // Exact match only (OAuth 2.1 §2.3.1); never redirect to an unregistered URI.
    if (redirectUri === undefined || !(client.redirect_uris ?? []).includes(redirectUri))
      return html(400, 'Invalid redirect', 'The redirect_uri is not registered for this application.');
    const state = get('state');
    const back = { redirect_uri: redirectUri, ...(state !== undefined ? { state } : {}) };
    if (state !== undefined && state.length > MAX_PARAM)
      return errorRedirect({ redirect_uri: redirectUri }, 'invalid_request', 'state is too long');
    for (const name of PARAMS) {
      for (const v of raw.getAll(name))
        if (v.length > MAX_PARAM) return errorRedirect(back, 'invalid_request', `${name} is too long`);
    }
    if (get('request') !== undefined || get('request_uri') !== undefined)
      return errorRedirect(
        back,
        get('request') !== undefined ? 'request_not_supported' : 'request_uri_not_supported',
        'Request objects are not supported',
      );
    if (get('response_type') !== 'code')
      return errorRedirect(back, 'unsupported_response_type', 'Only response_type=code is supported');
    if (!client.response_types.includes('code'))
      return errorRedirect(back, 'unauthorized_client', 'The client may not use the authorization code flow');
    const rm = get('response_mode');
    if (rm !== undefined && rm !== 'query')
      return errorRedirect(back, 'invalid_request', 'Only response_mode=query is supported');
    const challenge = get('code_challenge');
    if (challenge === undefined)
      return errorRedirect(
        back,
        'invalid_request',
        'PKCE is required: send code_challenge with code_challenge_method=S256',
      );
    if (get('code_challenge_method') !== 'S256')
      return errorRedirect(back, 'invalid_request', 'code_challenge_method must be S256');
    if (!PKCE.test(challenge)) return errorRedirect(back, 'invalid_request', 'code_challenge is malformed');
    const scope = get('scope') ?? '';
    const scopes = scope.split(' ').filter((s) => s !== '');
    if (scopes.length === 0 || !scopes.every((s) => TOKEN.test(s) && options.scopes.has(s)))
      return errorRedirect(back, 'invalid_scope', 'The requested scope is missing or unknown');
    if (client.scope !== undefined) {
      const allowed = new Set(client.scope.split(' '));
      if (!scopes.every((s) => allowed.has(s)))
        return errorRedirect(back, 'invalid_scope', "The scope exceeds the client's scope");
    }
    const prompt = (get('prompt') ?? '').split(' ').filter((p) => p !== '');
    if (
      !prompt.every((p) => ['none', 'login', 'consent', 'select_account'].includes(p)) ||
      (prompt.includes('none') && prompt.length > 1)
    )
      return errorRedirect(back, 'invalid_request', 'prompt is invalid');
    const maxAgeText = get('max_age');
    if (maxAgeText !== undefined && !/^[0-9]{1,9}$/.test(maxAgeText))
      return errorRedirect(back, 'invalid_request', 'max_age must be a non-negative integer');
    const resources = [...new Set(raw.getAll('resource'))];
    if (resources.length > 10) return errorRedirect(back, 'invalid_target', 'Too many resource indicators');
    for (const resource of resources) {
      if (!isResourceIndicator(resource))
        return errorRedirect(back, 'invalid_target', 'resource must be an absolute URI without a fragment (RFC 8707)');
      if (!(options.resourceAllowed?.(resource, client) ?? false))
        return errorRedirect(back, 'invalid_target', 'The resource is not one this provider issues tokens for');
    }
    const resource = resources.length > 0 ? resources : undefined;
    if (
      scopes.includes('openid') &&
      options.idTokenAlgorithm !== undefined &&
      client.id_token_signed_response_alg !== undefined &&
      client.id_token_signed_response_alg !== options.idTokenAlgorithm
    )
      return errorRedirect(back, 'invalid_request', "The client's id_token_signed_response_alg is not supported");
    // OpenID Connect Core §11 (as node-oidc-provider): offline_access is only granted with prompt=consent,
    // in the code flow, to a client allowed the refresh_token grant; otherwise it is dropped.
    let granted = [...new Set(scopes)];
    if (
      granted.includes('offline_access') &&
      granted.includes('openid') &&
      (!prompt.includes('consent') || !client.grant_types.includes('refresh_token'))
    )
      granted = granted.filter((s) => s !== 'offline_access');
    const req: AuthorizationRequest = {
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope: granted.join(' '),
      prompt: prompt.filter((p) => p !== 'select_account'),
      code_challenge: challenge,
      ...(state !== undefined ? { state } : {}),
      ...(get('nonce') !== undefined ? { nonce: get('nonce')! } : {}),
      ...(maxAgeText !== undefined ? { max_age: Number(maxAgeText) } : {}),
      ...(get('login_hint') !== undefined ? { login_hint: get('login_hint')! } : {}),
      ...(resource !== undefined ? { resource } : {}),
    };
    return proceed(request, req);
  };

  const interactionOf = async (request: Request, uid?: string) => {
    const id = uid ?? new URL(request.url).searchParams.get('uid') ?? undefined;
    // Only the browser that started the interaction can see or finish it.
    if (id === undefined || id.length > 64 || readCookie(request, INTERACTION_COOKIE) !== id) return undefined;
    const record = (await store.findRecord(RECORD_KINDS.interaction, id, now())) as InteractionRecord | undefined;
    return record ? { uid: id, record } : undefined;
  };

  const interactionDetails = async (request: Request, uid?: string): Promise<InteractionDetails | undefined> => {
    const found = await interactionOf(request, uid);
    if (!found) return undefined;
    const client = await clients.find(found.record.params.client_id);
    if (!client) return undefined;
    const session = found.record.sessionId
      ? ((await store.findRecord(RECORD_KINDS.session, found.record.sessionId, now())) as SessionRecord | undefined)
      : undefined;
    return {
      uid: found.uid,
      prompt: session ? 'consent' : 'login',
      params: found.record.params,
      client,
      csrfToken: found.record.csrf,
      ...(session ? { session } : {}),
    };
  };

  const finishInteraction = async (request: Request, result: InteractionResult, uid?: string): Promise<Response> => {
    const found = await interactionOf(request, uid);
    if (!found)
      return html(
        400,
        'Sign-in expired',
        'This sign-in is no longer valid. Go back to the application and start again.',
      );
    // An interaction is finished once.
    const consumed = await store.consumeRecord(RECORD_KINDS.interaction, found.uid, now());
    if (consumed.status !== 'ok') return html(400, 'Sign-in expired', 'This sign-in was already completed.');
    const req = found.record.params;
    const clear = cookie(INTERACTION_COOKIE, '', secure, 0);
    if (result.error) return redirect(req.redirect_uri, { error: result.error, state: req.state }, [clear]);
    const cookies = [clear];
    let fresh: { id: string; session: SessionRecord } | undefined;
    if (result.login) {
      if (typeof result.login.sub !== 'string' || result.login.sub === '')
        throw new TypeError('finishInteraction: login.sub must be a non-empty string');
      // A new session id on every login (session fixation); the old session ends.
      const old = readCookie(request, SESSION_COOKIE);
      if (old !== undefined && old.length <= 64) await store.deleteRecord(RECORD_KINDS.session, old);
      const id = randomId();
      const session: SessionRecord = {
        sub: result.login.sub,
        sid: randomId(),
        authTime: now(),
        ...(result.login.amr ? { amr: result.login.amr } : {}),
        ...(result.login.acr ? { acr: result.login.acr } : {}),
      };
      await store.putRecord(RECORD_KINDS.session, id, session, now() + options.sessionTTL);
      cookies.push(cookie(SESSION_COOKIE, id, secure));
      fresh = { id, session };
    } else if (found.record.sessionId) {
      const session = (await store.findRecord(RECORD_KINDS.session, found.record.sessionId, now())) as
        | SessionRecord
        | undefined;
      if (session) fresh = { id: found.record.sessionId, session };
    }
    if (!fresh) return redirect(req.redirect_uri, { error: 'login_required', state: req.state }, cookies);
    if (result.consent) {
      const requested = req.scope.split(' ');
      const granted =
        result.consent.scope === undefined
          ? requested
          : result.consent.scope.split(' ').filter((s) => requested.includes(s));
      const key = `${fresh.session.sub} ${req.client_id}`;
      const previous = await store.findRecord(RECORD_KINDS.grant, key, now());
      const all = new Set([...(typeof previous?.scope === 'string' ? previous.scope.split(' ') : []), ...granted]);
      await store.putRecord(RECORD_KINDS.grant, key, { scope: [...all].join(' ') }, undefined);
      const issued = { ...req, scope: requested.filter((s) => granted.includes(s)).join(' ') };
      if (issued.scope === '') return redirect(req.redirect_uri, { error: 'access_denied', state: req.state }, cookies);
      return issueCode(issued, fresh.id, fresh.session, cookies);
    }
    return proceed(request, req, cookies, fresh, result.login !== undefined);
  };

  return { authorize, interactionDetails, finishInteraction, sessionOf };
}
