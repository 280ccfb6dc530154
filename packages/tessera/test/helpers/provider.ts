// A provider on a real HTTP server on 127.0.0.1 with the built-in login and consent pages, and a
// "browser" (a cookie jar, manual redirects) that signs in through them: what the ID token, userinfo,
// logout, resource-indicator and metadata suites share.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { type ClientConfig, createClientRegistry, createProvider, type ProviderOptions } from 'tessera-jwt/provider';
import { createMemoryStore, createTokenService, toNodeHandler } from 'tessera-jwt/server';
import { listen } from './http.js';

export const WEB_SECRET = 'web-client-secret-for-tests';
export const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'user-42': {
    name: 'Jane Doe',
    given_name: 'Jane',
    family_name: 'Doe',
    preferred_username: 'jane',
    email: 'jane@example.com',
    email_verified: true,
    phone_number: '+1 555 0100',
    secret_note: 'never released',
  },
};

export const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

export interface StartOptions {
  algorithm?: string;
  audience?: string | string[];
  clients?: ClientConfig[];
  provider?: Partial<ProviderOptions>;
}

export async function startProvider(settings: StartOptions = {}) {
  const store = createMemoryStore();
  let handler: (req: any, res: any) => void = () => {};
  const { origin } = await listen((req, res) => handler(req, res));
  let clock = Math.floor(Date.now() / 1000);
  const now = () => clock;
  const service = createTokenService({
    issuer: origin,
    audience: settings.audience ?? 'https://api.example.com',
    store,
    now,
    keys: { encryptionKey: randomBytes(32), ...(settings.algorithm ? { algorithm: settings.algorithm } : {}) },
  });
  const clients = createClientRegistry({ store });
  await clients.seed(
    settings.clients ?? [
      {
        client_id: 'web',
        client_secret: WEB_SECRET,
        client_name: 'Web App',
        redirect_uris: ['https://app.example/cb'],
        post_logout_redirect_uris: ['https://app.example/bye'],
        grant_types: ['authorization_code', 'refresh_token'],
      },
      {
        client_id: 'spa',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1:5173/cb'],
        post_logout_redirect_uris: ['http://127.0.0.1:5173/bye'],
        grant_types: ['authorization_code', 'refresh_token'],
      },
    ],
  );
  const provider = createProvider({
    service,
    store,
    clients,
    interactionUrl: '/interaction',
    now,
    authenticate: (username, password) =>
      username === 'jane' && password === 'correct horse' ? { sub: 'user-42', amr: ['pwd'] } : undefined,
    findAccount: (sub) => ACCOUNTS[sub],
    ...settings.provider,
  });
  handler = toNodeHandler(provider.handle);

  const browser = () => {
    const jar = new Map<string, string>();
    const go = async (url: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      const res = await fetch(new URL(url, origin), { ...init, headers, redirect: 'manual' });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        if (/Max-Age=0/i.test(line)) jar.delete(pair!.slice(0, eq));
        else jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      return res;
    };
    const post = (url: string, form: Record<string, string>) =>
      go(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    /** Follows the authorization request through the built-in pages; returns the redirect to the client. */
    const authorize = async (url: string, decisions = { consent: 'allow' }) => {
      let res = await go(url);
      const pages: string[] = [];
      for (let i = 0; i < 5; i++) {
        assert.equal(res.status, 303, `authorize step ${i}: ${res.status}`);
        const location = new URL(res.headers.get('location')!);
        if (location.pathname !== '/interaction' || location.origin !== origin) return { location, pages };
        const page = await (await go(location.href)).text();
        const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';
        const prompt = field('prompt');
        pages.push(prompt);
        const common = { uid: field('uid'), csrf: field('csrf'), prompt };
        res =
          prompt === 'login'
            ? await post('/interaction', { ...common, username: 'jane', password: 'correct horse' })
            : await post('/interaction', { ...common, decision: decisions.consent });
      }
      throw new Error('too many interaction steps');
    };
    return { jar, go, post, authorize };
  };

  const authorizeURL = (params: Record<string, string | string[]>) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params))
      for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
    return `/authorize?${search}`;
  };
  const basic = (id: string, secret: string) => ({
    authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
  });
  const form = (path: string, params: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(params))
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    return fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: body.toString(),
    });
  };

  /** Signs the browser in at `web` (or another client) and exchanges the code; returns the token response. */
  const signIn = async (
    b: ReturnType<typeof browser>,
    extra: Record<string, string | string[]> = {},
    client: { id: string; redirect: string; secret?: string } = {
      id: 'web',
      redirect: 'https://app.example/cb',
      secret: WEB_SECRET,
    },
    tokenExtra: Record<string, string | string[]> = {},
  ) => {
    const { verifier, challenge } = pkce();
    const nonce = randomBytes(16).toString('base64url');
    const { location } = await b.authorize(
      authorizeURL({
        response_type: 'code',
        client_id: client.id,
        redirect_uri: client.redirect,
        scope: 'openid profile email',
        state: 'st',
        nonce,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...extra,
      }),
    );
    const code = location.searchParams.get('code');
    if (code === null)
      return { error: location.searchParams.get('error'), location, nonce, status: 0, body: {} as any };
    const res = await form(
      '/token',
      {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: client.redirect,
        ...(client.secret ? {} : { client_id: client.id }),
        ...tokenExtra,
      },
      client.secret ? basic(client.id, client.secret) : {},
    );
    return { status: res.status, body: (await res.json()) as any, nonce, location, error: null };
  };

  return {
    origin,
    store,
    service,
    clients,
    provider,
    browser,
    authorizeURL,
    basic,
    form,
    signIn,
    advance: (seconds: number) => {
      clock += seconds;
    },
  };
}

export type ProviderHarness = Awaited<ReturnType<typeof startProvider>>;
