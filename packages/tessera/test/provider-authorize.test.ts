// The provider's authorization endpoint, interaction API, provider session (single sign-on) and the
// authorization_code grant over real HTTP on 127.0.0.1. The test plays the browser (a cookie jar, manual
// redirects) and the application's own login UI (a route that calls finishInteraction).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createClientRegistry, createProvider } from 'tessera-jwt/provider';
import { createMemoryStore, createTokenService, toNodeHandler } from 'tessera-jwt/server';
import { listen } from './helpers/http.js';

const read = async (res: Response | Promise<Response>): Promise<any> => (await res).json();
const WEB_SECRET = 'web-client-secret-for-tests';
const OTHER_SECRET = 'other-client-secret-for-tests';

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

async function start() {
  const store = createMemoryStore();
  // The issuer is the server's own origin (http on 127.0.0.1), known after listen: a late-bound handler.
  let handler: (req: any, res: any) => void = () => {};
  const { origin } = await listen((req, res) => handler(req, res));
  const service = createTokenService({
    issuer: origin,
    audience: 'https://api.example.com',
    store,
    keys: { encryptionKey: randomBytes(32) },
  });
  const clients = createClientRegistry({ store });
  await clients.seed([
    {
      client_id: 'web',
      client_secret: WEB_SECRET,
      redirect_uris: ['https://app.example/cb'],
      grant_types: ['authorization_code', 'refresh_token'],
    },
    { client_id: 'other', client_secret: OTHER_SECRET, redirect_uris: ['https://other.example/cb'] },
    {
      client_id: 'spa',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1:5173/cb'],
      grant_types: ['authorization_code', 'refresh_token'],
    },
  ]);
  const provider = createProvider({ service, store, clients, interactionUrl: '/interaction' });
  // The application's UI: GET shows the details, POST finishes with the JSON result in the body.
  const app = async (request: Request): Promise<Response | undefined> => {
    const { pathname } = new URL(request.url);
    if (pathname === '/interaction' && request.method === 'GET') {
      const details = await provider.interactionDetails(request);
      return details
        ? Response.json({ prompt: details.prompt, params: details.params, sub: details.session?.sub })
        : new Response('gone', { status: 404 });
    }
    if (pathname === '/interaction' && request.method === 'POST')
      return provider.finishInteraction(request, (await request.json()) as never);
    return provider.handle(request);
  };
  handler = toNodeHandler(app);

  // A browser: a cookie jar and manual redirects.
  const browser = () => {
    const jar = new Map<string, string>();
    const go = async (url: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      const res = await fetch(new URL(url, origin), { ...init, headers, redirect: 'manual' });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        const name = pair!.slice(0, eq);
        const value = pair!.slice(eq + 1);
        if (/Max-Age=0/i.test(line)) jar.delete(name);
        else jar.set(name, value);
      }
      return res;
    };
    const finish = (uid: string, result: unknown) =>
      go(`/interaction?uid=${uid}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(result),
      });
    return { jar, go, finish };
  };
  const authorizeURL = (params: Record<string, string>) => `/authorize?${new URLSearchParams(params)}`;
  const basic = (id: string, secret: string) => ({
    authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
  });
  const token = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
    });
  return { origin, service, store, provider, browser, authorizeURL, basic, token };
}

type Ctx = Awaited<ReturnType<typeof start>>;

/** Signs in through the interaction API and returns the code redirect. */
async function signIn(
  ctx: Ctx,
  b: ReturnType<Ctx['browser']>,
  client = 'web',
  redirect = 'https://app.example/cb',
  extra: Record<string, string> = {},
) {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  let res = await b.go(
    ctx.authorizeURL({
      response_type: 'code',
      client_id: client,
      redirect_uri: redirect,
      scope: 'openid profile',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    }),
  );
  assert.equal(res.status, 303);
  let location = new URL(res.headers.get('location')!);
  const prompts: string[] = [];
  while (location.pathname === '/interaction') {
    const uid = location.searchParams.get('uid')!;
    const details = await read(b.go(`/interaction?uid=${uid}`));
    prompts.push(details.prompt);
    res = await b.finish(
      uid,
      details.prompt === 'login' ? { login: { sub: 'user-1', amr: ['pwd'] } } : { consent: {} },
    );
    assert.equal(res.status, 303);
    location = new URL(res.headers.get('location')!);
  }
  return { location, verifier, state, prompts };
}

describe('authorization endpoint', () => {
  test('code flow: login, consent, code with state and iss (RFC 9207), token exchange with PKCE', async () => {
    const ctx = await start();
    const b = ctx.browser();
    const { location, verifier, state, prompts } = await signIn(ctx, b);
    assert.deepEqual(prompts, ['login', 'consent']);
    assert.equal(`${location.origin}${location.pathname}`, 'https://app.example/cb');
    assert.equal(location.searchParams.get('state'), state);
    assert.equal(location.searchParams.get('iss'), ctx.origin);
    const code = location.searchParams.get('code')!;
    const res = await ctx.token(
      { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: 'https://app.example/cb' },
      ctx.basic('web', WEB_SECRET),
    );
    assert.equal(res.status, 200);
    const body = await read(res);
    const claims = await ctx.service.verifyAccessToken(body.access_token);
    assert.equal(claims.sub, 'user-1');
    assert.equal(claims.client_id, 'web');
    assert.equal(claims.scope, 'openid profile');
  });

  test('single sign-on: the same browser gets a code at once, and a second client only asks for consent', async () => {
    const ctx = await start();
    const b = ctx.browser();
    await signIn(ctx, b);
    const again = await signIn(ctx, b);
    assert.deepEqual(again.prompts, []);
    assert.ok(again.location.searchParams.get('code'));
    const spa = await signIn(ctx, b, 'spa', 'http://127.0.0.1:5173/cb');
    assert.deepEqual(spa.prompts, ['consent']);
    const res = await ctx.token({
      grant_type: 'authorization_code',
      client_id: 'spa',
      code: spa.location.searchParams.get('code')!,
      code_verifier: spa.verifier,
      redirect_uri: 'http://127.0.0.1:5173/cb',
    });
    assert.equal(res.status, 200);
    // prompt=login forces a new login despite the session.
    const forced = await signIn(ctx, b, 'web', 'https://app.example/cb', { prompt: 'login' });
    assert.deepEqual(forced.prompts, ['login']);
  });

  test('max_age: 0 is a login every time (OIDC Core §3.1.2.1), one login only; a young session is kept', async () => {
    const ctx = await start();
    const b = ctx.browser();
    await signIn(ctx, b);
    // Within the same second as the session's login: still a login, and exactly one.
    for (let i = 0; i < 3; i++) {
      const zero = await signIn(ctx, b, 'web', 'https://app.example/cb', { max_age: '0' });
      assert.deepEqual(zero.prompts, ['login']);
      assert.ok(zero.location.searchParams.get('code'));
    }
    const young = await signIn(ctx, b, 'web', 'https://app.example/cb', { max_age: '3600' });
    assert.deepEqual(young.prompts, []);
  });

  test('an unknown client or an unregistered redirect_uri shows an error page and never redirects', async () => {
    const ctx = await start();
    const b = ctx.browser();
    const { challenge } = pkce();
    const bad: Array<Record<string, string>> = [
      { client_id: 'web', redirect_uri: 'https://evil.example/cb' },
      { client_id: 'web', redirect_uri: 'https://app.example/cb/../evil' },
      { client_id: 'web', redirect_uri: 'https://app.example/cb?x=1' },
      { client_id: 'web' },
      { client_id: 'ghost', redirect_uri: 'https://app.example/cb' },
    ];
    for (const params of bad) {
      const res = await b.go(
        ctx.authorizeURL({
          response_type: 'code',
          scope: 'openid',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          ...params,
        }),
      );
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.match(res.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
    }
  });

  test('other errors redirect with error, state and iss: missing or plain PKCE, bad scope, prompt=none without a session', async () => {
    const ctx = await start();
    const b = ctx.browser();
    const { challenge } = pkce();
    const base = {
      response_type: 'code',
      client_id: 'web',
      redirect_uri: 'https://app.example/cb',
      scope: 'openid',
      state: 's1',
    };
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'invalid_request'],
      [{ code_challenge: challenge }, 'invalid_request'],
      [{ code_challenge: challenge, code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
      [{ code_challenge: challenge, code_challenge_method: 'S256', scope: 'admin' }, 'invalid_scope'],
      [
        { code_challenge: challenge, code_challenge_method: 'S256', response_type: 'token' },
        'unsupported_response_type',
      ],
      [{ code_challenge: challenge, code_challenge_method: 'S256', prompt: 'none' }, 'login_required'],
      [{ code_challenge: challenge, code_challenge_method: 'S256', max_age: '-1' }, 'invalid_request'],
      [
        { code_challenge: challenge, code_challenge_method: 'S256', resource: 'https://api.example/#x' },
        'invalid_target',
      ],
      [{ code_challenge: challenge, code_challenge_method: 'S256', nonce: 'n'.repeat(5000) }, 'invalid_request'],
    ];
    for (const [extra, error] of cases) {
      const res = await b.go(ctx.authorizeURL({ ...base, ...extra }));
      assert.equal(res.status, 303, error);
      const location = new URL(res.headers.get('location')!);
      assert.equal(location.origin + location.pathname, 'https://app.example/cb');
      assert.equal(location.searchParams.get('error'), error);
      assert.equal(location.searchParams.get('state'), 's1');
      assert.equal(location.searchParams.get('iss'), ctx.origin);
      assert.equal(location.searchParams.get('code'), null);
    }
    // A repeated parameter cannot be trusted to say where to redirect: error page.
    const repeated = await b.go(`${ctx.authorizeURL(base)}&client_id=other`);
    assert.equal(repeated.status, 400);
  });

  test('the interaction belongs to the browser that started it; a login always gets a new session id', async () => {
    const ctx = await start();
    const victim = ctx.browser();
    const attacker = ctx.browser();
    const { challenge } = pkce();
    const res = await attacker.go(
      ctx.authorizeURL({
        response_type: 'code',
        client_id: 'web',
        redirect_uri: 'https://app.example/cb',
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    const uid = new URL(res.headers.get('location')!).searchParams.get('uid')!;
    // The victim's browser cannot see or finish the attacker's interaction (no interaction cookie).
    assert.equal((await victim.go(`/interaction?uid=${uid}`)).status, 404);
    assert.equal((await victim.finish(uid, { login: { sub: 'user-1' } })).status, 400);
    // Session fixation: a planted session cookie is replaced on login.
    victim.jar.set('tessera_session', 'planted-by-attacker');
    await signIn(ctx, victim);
    assert.notEqual(victim.jar.get('tessera_session'), 'planted-by-attacker');
    assert.match(victim.jar.get('tessera_session')!, /^[A-Za-z0-9_-]{43}$/);
    // An interaction is finished once.
    const first = await attacker.finish(uid, { login: { sub: 'user-2' } });
    assert.equal(first.status, 303);
    assert.equal((await attacker.finish(uid, { login: { sub: 'user-2' } })).status, 400);
  });
});

describe('authorization_code grant', () => {
  test('a replayed code is refused and revokes the tokens issued from it', async () => {
    const ctx = await start();
    const b = ctx.browser();
    // offline_access with prompt=consent: an OpenID grant that gets a refresh token (OIDC Core §11).
    const { location, verifier } = await signIn(ctx, b, 'web', 'https://app.example/cb', {
      scope: 'openid profile offline_access',
      prompt: 'consent',
    });
    const params = {
      grant_type: 'authorization_code',
      code: location.searchParams.get('code')!,
      code_verifier: verifier,
      redirect_uri: 'https://app.example/cb',
    };
    const first = await read(ctx.token(params, ctx.basic('web', WEB_SECRET)));
    assert.match(first.refresh_token, /^[A-Za-z0-9_-]{43}$/);
    const replay = await ctx.token(params, ctx.basic('web', WEB_SECRET));
    assert.equal(replay.status, 400);
    assert.equal((await read(replay)).error, 'invalid_grant');
    assert.equal((await ctx.service.introspect(first.refresh_token)).active, false);
    const refresh = await ctx.token(
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      ctx.basic('web', WEB_SECRET),
    );
    assert.equal(refresh.status, 400);
  });

  test('bound to client, redirect_uri and verifier; a code injected into another client does not burn it', async () => {
    const ctx = await start();
    const b = ctx.browser();
    const { location, verifier } = await signIn(ctx, b);
    const code = location.searchParams.get('code')!;
    const good = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: 'https://app.example/cb',
    };
    const injected = await ctx.token(
      { ...good, redirect_uri: 'https://other.example/cb' },
      ctx.basic('other', OTHER_SECRET),
    );
    assert.equal(injected.status, 400);
    assert.equal((await read(injected)).error, 'invalid_grant');
    const missing = await ctx.token(
      { grant_type: 'authorization_code', code, redirect_uri: 'https://app.example/cb' },
      ctx.basic('web', WEB_SECRET),
    );
    assert.equal((await read(missing)).error, 'invalid_request');
    assert.equal((await ctx.token(good, ctx.basic('web', WEB_SECRET))).status, 200);

    const second = await signIn(ctx, b);
    const wrongVerifier = await ctx.token(
      { ...good, code: second.location.searchParams.get('code')!, code_verifier: pkce().verifier },
      ctx.basic('web', WEB_SECRET),
    );
    assert.equal((await read(wrongVerifier)).error, 'invalid_grant');
    const third = await signIn(ctx, b);
    const wrongRedirect = await ctx.token(
      {
        ...good,
        code: third.location.searchParams.get('code')!,
        code_verifier: third.verifier,
        redirect_uri: 'https://app.example/other',
      },
      ctx.basic('web', WEB_SECRET),
    );
    assert.equal((await read(wrongRedirect)).error, 'invalid_grant');
    const unauthenticated = await ctx.token({ ...good, client_id: 'web' });
    assert.equal(unauthenticated.status, 401);
  });

  test('the metadata advertises the authorization endpoint, code, S256 and iss', async () => {
    const ctx = await start();
    const doc = await read(fetch(`${ctx.origin}/.well-known/openid-configuration`));
    assert.equal(doc.authorization_endpoint, `${ctx.origin}/authorize`);
    assert.deepEqual(doc.response_types_supported, ['code']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.equal(doc.authorization_response_iss_parameter_supported, true);
    assert.ok(doc.grant_types_supported.includes('authorization_code'));
  });
});
