// The provider's token endpoint under toNodeHandler answers from node's request without building a fetch
// Request (server/node-route.ts). These tests hold that shortcut to the fetch path's behaviour: the same
// status, error bodies and headers for the same requests, a real Request for the application's grants and
// for onError, and the fetch path whenever CORS has something to decide.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type ProviderHarness, startProvider, WEB_SECRET } from './helpers/provider.js';

const SERVICE_SECRET = 'service-client-secret-for-tests';
let h: ProviderHarness;
const reported: unknown[] = [];
let grantSaw: { isRequest: boolean; method: string; body: string; header: string | null } | undefined;

// Counts fetch Requests built in this process (the client side's fetch uses undici's own class, not this one).
const OriginalRequest = globalThis.Request;
let built = 0;
globalThis.Request = class CountedRequest extends OriginalRequest {
  constructor(...args: ConstructorParameters<typeof Request>) {
    super(...args);
    built++;
  }
} as typeof Request;
after(() => {
  globalThis.Request = OriginalRequest;
});

before(async () => {
  h = await startProvider({
    clients: [
      {
        client_id: 'web',
        client_secret: WEB_SECRET,
        redirect_uris: ['https://app.example/cb'],
        grant_types: ['authorization_code', 'refresh_token'],
      },
      {
        client_id: 'service',
        client_secret: SERVICE_SECRET,
        redirect_uris: [],
        response_types: [],
        grant_types: ['client_credentials'],
        scope: 'read write',
      },
    ],
    provider: {
      onError: (error) => reported.push(error),
      grants: {
        'urn:example:echo': async (params, request) => {
          grantSaw = {
            isRequest: request instanceof OriginalRequest,
            method: request.method,
            body: await request.text(),
            header: request.headers.get('x-example'),
          };
          return { sub: 'echo-user', client_id: params.get('client_id')! };
        },
      },
    },
  });
});

const FORM = 'application/x-www-form-urlencoded';
const service = () => h.basic('service', SERVICE_SECRET);

/** The same request over HTTP (node:http bridge) and in process (provider.handle with a fetch Request). */
async function both(path: string, body: string, headers: Record<string, string>) {
  const http = await fetch(`${h.origin}${path}`, { method: 'POST', headers, body });
  const direct = (await h.provider.handle(
    new OriginalRequest(`${h.origin}${path}`, { method: 'POST', headers, body }),
  ))!;
  return { http, direct };
}

const HEADERS = ['content-type', 'cache-control', 'pragma', 'vary', 'www-authenticate', 'allow', 'retry-after'];

describe('token endpoint over node:http, without a fetch Request', () => {
  test('answers as the fetch path does, success and every refusal', async () => {
    const cases: Array<[string, string, string, Record<string, string>]> = [
      [
        'client_credentials',
        '/token',
        'grant_type=client_credentials&scope=read',
        { 'content-type': FORM, ...service() },
      ],
      ['a query on the path', '/token?x=1', 'grant_type=client_credentials', { 'content-type': FORM, ...service() }],
      [
        'wrong secret',
        '/token',
        'grant_type=client_credentials',
        { 'content-type': FORM, ...h.basic('service', 'nope') },
      ],
      [
        'scope beyond the client',
        '/token',
        'grant_type=client_credentials&scope=admin',
        { 'content-type': FORM, ...service() },
      ],
      ['unsupported grant', '/token', 'grant_type=password', { 'content-type': FORM, ...service() }],
      [
        'grant the client may not use',
        '/token',
        'grant_type=refresh_token&refresh_token=x',
        { 'content-type': FORM, ...service() },
      ],
      ['no grant_type', '/token', 'scope=read', { 'content-type': FORM, ...service() }],
      [
        'repeated parameter',
        '/token',
        'grant_type=client_credentials&scope=a&scope=b',
        { 'content-type': FORM, ...service() },
      ],
      [
        'not a form',
        '/token',
        '{"grant_type":"client_credentials"}',
        { 'content-type': 'application/json', ...service() },
      ],
      [
        'body too large',
        '/token',
        `grant_type=client_credentials&pad=${'a'.repeat(17 * 1024)}`,
        { 'content-type': FORM, ...service() },
      ],
      [
        'two client auth methods',
        '/token',
        `grant_type=client_credentials&client_secret=${SERVICE_SECRET}`,
        { 'content-type': FORM, ...service() },
      ],
      [
        'a spent refresh token',
        '/token',
        'grant_type=refresh_token&refresh_token=abc',
        { 'content-type': FORM, ...h.basic('web', WEB_SECRET) },
      ],
      [
        'an unknown code',
        '/token',
        'grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=' +
          'v'.repeat(43),
        { 'content-type': FORM, ...h.basic('web', WEB_SECRET) },
      ],
    ];
    for (const [name, path, body, headers] of cases) {
      const { http, direct } = await both(path, body, headers);
      assert.equal(http.status, direct.status, `${name}: status`);
      for (const header of HEADERS)
        assert.equal(http.headers.get(header), direct.headers.get(header), `${name}: ${header}`);
      const [a, b] = [(await http.json()) as Record<string, unknown>, (await direct.json()) as Record<string, unknown>];
      if (http.status === 200) {
        assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${name}: token response members`);
        assert.equal(a.scope, b.scope, `${name}: scope`);
      } else assert.deepEqual(a, b, `${name}: error body`);
    }
  });

  test('builds no fetch Request for a built-in grant, and one where a callback or CORS needs it', async () => {
    built = 0;
    const ok = await fetch(`${h.origin}/token`, {
      method: 'POST',
      headers: { 'content-type': FORM, ...service() },
      body: 'grant_type=client_credentials',
    });
    assert.equal(ok.status, 200);
    assert.equal(built, 0, 'client_credentials over node:http built a Request');

    // A browser's request (Origin) goes the fetch way, through the CORS policy.
    const cors = await fetch(`${h.origin}/token`, {
      method: 'POST',
      headers: { 'content-type': FORM, origin: 'https://elsewhere.example', ...service() },
      body: 'grant_type=client_credentials',
    });
    assert.equal(cors.status, 200);
    assert.equal(cors.headers.get('access-control-allow-origin'), null);
    assert.equal(cors.headers.get('vary'), 'Origin');
    assert.ok(built > 0, 'a request with an Origin did not go the fetch way');
  });

  test("the application's grant gets a real Request with the body, headers and method", async () => {
    grantSaw = undefined;
    const body = 'grant_type=urn%3Aexample%3Aecho&extra=1';
    const res = await fetch(`${h.origin}/token`, {
      method: 'POST',
      headers: { 'content-type': FORM, 'x-example': 'seen', ...h.basic('web', WEB_SECRET) },
      body,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(grantSaw, { isRequest: true, method: 'POST', body, header: 'seen' });
    assert.equal(((await res.json()) as { token_type: string }).token_type, 'Bearer');
  });

  test('other paths go the fetch way: not the token endpoint', async () => {
    for (const path of ['/token/', '/tokenx', '/token.json']) {
      const http = await fetch(`${h.origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': FORM, ...service() },
        body: 'grant_type=client_credentials',
      });
      assert.equal(http.status, 404, path);
      const direct = await h.provider.handle(new OriginalRequest(`${h.origin}${path}`, { method: 'POST' }));
      assert.equal(direct, undefined, path);
    }
  });

  test('a client that goes away mid-upload is not reported as a server failure', async () => {
    reported.length = 0;
    const { hostname, port } = new URL(h.origin);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const auth = service().authorization;
    socket.write(
      `POST /token HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: ${auth}\r\ncontent-type: ${FORM}\r\ncontent-length: 400\r\n\r\ngrant_type=client_`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // the bridge now streams the body
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(reported, []);
    // The endpoint still serves the next client.
    const ok = await fetch(`${h.origin}/token`, {
      method: 'POST',
      headers: { 'content-type': FORM, ...service() },
      body: 'grant_type=client_credentials',
    });
    assert.equal(ok.status, 200);
  });

  test('a refresh reads the refresh token from the store once, and rotation and reuse detection still hold', async () => {
    const signedIn = await h.signIn(h.browser(), { scope: 'openid offline_access', prompt: 'consent' });
    assert.equal(signedIn.status, 200);
    const store = h.store as unknown as { findRefreshToken: (...args: unknown[]) => Promise<unknown> };
    const original = store.findRefreshToken;
    let reads = 0;
    store.findRefreshToken = (...args) => {
      reads++;
      return original.apply(store, args);
    };
    try {
      const refresh = (token: string) =>
        h.form('/token', { grant_type: 'refresh_token', refresh_token: token }, h.basic('web', WEB_SECRET));
      const first = await refresh(signedIn.body.refresh_token);
      assert.equal(first.status, 200);
      assert.equal(reads, 1);
      const next = (await first.json()) as { refresh_token: string; id_token?: string };
      assert.notEqual(next.refresh_token, signedIn.body.refresh_token);
      assert.ok(next.id_token);
      // Replaying the spent token revokes the family: its successor is refused too.
      assert.equal((await refresh(signedIn.body.refresh_token)).status, 400);
      assert.equal((await refresh(next.refresh_token)).status, 400);
    } finally {
      store.findRefreshToken = original;
    }
  });
});
