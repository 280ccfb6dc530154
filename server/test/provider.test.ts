// The reference server as the OpenID provider, over real HTTP against the built server (`npm start`'s
// main.js) on SQLite: the authorization code flow through the built-in login and consent pages (the test
// plays the browser: a cookie jar, manual redirects, the HTML forms), dynamic registration, the clients
// file, CORS, RFC 9728 metadata for /userinfo, and the development password grant's switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { freePort, postForm, postJSON, startServer, tempDir, type RunningServer } from './helpers/server.js';

const PASSWORD = 'correct horse battery staple';

async function withServer(env: Record<string, string>, run: (server: RunningServer, dir: string) => Promise<void>) {
  const data = tempDir();
  const server = await startServer({
    dataDir: data.path,
    port: await freePort(),
    env: { TESSERA_DEMO_PASSWORD: PASSWORD, ...env },
  });
  try {
    await run(server, data.path);
  } finally {
    await server.stop();
    data.remove();
  }
}

/** A browser: a cookie jar, manual redirects. */
function browser(origin: string) {
  const jar = new Map<string, string>();
  return {
    jar,
    async go(url: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      const response = await fetch(new URL(url, origin), { ...init, headers, redirect: 'manual' });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        if (/Max-Age=0/i.test(line)) jar.delete(pair!.slice(0, eq));
        else jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      return response;
    },
  };
}

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/** The code flow through the built-in pages: authorize → login form → consent form → redirect with a code. */
async function signIn(
  server: RunningServer,
  client: { client_id: string; redirect_uri: string },
  b = browser(server.url),
  scope = 'profile read:orders',
) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const authorize = new URL('/authorize', server.url);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: client.redirect_uri,
    scope,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }))
    authorize.searchParams.set(k, v);
  let r = await b.go(authorize.href);
  assert.equal(r.status, 303, await r.clone().text());
  let location = r.headers.get('location')!;
  if (location.startsWith(`${server.url}/interaction`)) {
    r = await b.go(location);
    const page = await r.text();
    if (page.includes('name="password"')) {
      assert.equal(r.headers.get('content-security-policy')?.includes("frame-ancestors 'none'"), true);
      r = await b.go('/interaction', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          uid: hidden(page, 'uid'),
          csrf: hidden(page, 'csrf'),
          prompt: 'login',
          username: 'demo',
          password: PASSWORD,
        }).toString(),
      });
      assert.equal(r.status, 303, await r.clone().text());
      location = r.headers.get('location')!;
    }
    if (location.startsWith(`${server.url}/interaction`)) {
      r = await b.go(location);
      const consent = await r.text();
      assert.match(consent, /read:orders/);
      r = await b.go('/interaction', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          uid: hidden(consent, 'uid'),
          csrf: hidden(consent, 'csrf'),
          prompt: 'consent',
          decision: 'allow',
        }).toString(),
      });
      assert.equal(r.status, 303);
      location = r.headers.get('location')!;
    }
  }
  const back = new URL(location);
  assert.equal(`${back.origin}${back.pathname}`, client.redirect_uri);
  assert.equal(back.searchParams.get('state'), state);
  assert.equal(back.searchParams.get('iss'), server.url, 'RFC 9207 iss');
  return { code: back.searchParams.get('code')!, verifier, browser: b };
}

test('the server is the provider: discovery, the code flow through the built-in pages, /userinfo with the token', async () => {
  await withServer({}, async (server) => {
    const meta = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, any>;
    assert.equal(meta.issuer, server.url);
    assert.equal(meta.authorization_endpoint, `${server.url}/authorize`);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.equal(meta.userinfo_endpoint, `${server.url}/userinfo`);
    assert.equal(meta.authorization_response_iss_parameter_supported, true);
    const client = { client_id: 'tessera-debugger', redirect_uri: 'http://127.0.0.1:8080/' };
    const { code, verifier, browser: b } = await signIn(server, client);
    const r = await postForm(`${server.url}/token`, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: client.redirect_uri,
      client_id: client.client_id,
    });
    assert.equal(r.status, 200, await r.clone().text());
    const tokens = (await r.json()) as { access_token: string; refresh_token: string; scope: string };
    assert.equal(tokens.scope, 'profile read:orders');
    const info = await fetch(`${server.url}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(info.status, 200);
    assert.equal(((await info.json()) as { preferred_username: string }).preferred_username, 'demo');
    // Single sign-on: the same browser goes through again without the login page (consent remembered).
    const again = await signIn(server, client, b);
    assert.ok(again.code && again.code !== code);
    // The code is single use.
    const replay = await postForm(`${server.url}/token`, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: client.redirect_uri,
      client_id: client.client_id,
    });
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant');
  });
});

test('a wrong password on the login page is a 401 page, an unknown user looks the same', async () => {
  await withServer({}, async (server) => {
    const b = browser(server.url);
    const authorize = new URL('/authorize', server.url);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'tessera-debugger',
      redirect_uri: 'http://127.0.0.1:8080/',
      scope: 'openid',
      code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const page = await (await b.go((await b.go(authorize.href)).headers.get('location')!)).text();
    const attempt = async (username: string) => {
      const r = await b.go('/interaction', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          uid: hidden(page, 'uid'),
          csrf: hidden(page, 'csrf'),
          prompt: 'login',
          username,
          password: 'wrong-password',
        }).toString(),
      });
      return { status: r.status, text: (await r.text()).replace(/value="[^"]*"/g, '') };
    };
    const wrong = await attempt('demo');
    const unknown = await attempt('nobody-by-this-name');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.text, unknown.text, 'the same page for both');
    assert.match(wrong.text, /The username or password is wrong/);
  });
});

test('dynamic registration on loopback: register a client, then sign in with it; CORS follows its origin', async () => {
  await withServer({}, async (server) => {
    const r = await postJSON(`${server.url}/register`, {
      redirect_uris: ['http://127.0.0.1:5173/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      client_name: 'Quick start app',
    });
    assert.equal(r.status, 201, await r.clone().text());
    const client = (await r.json()) as Record<string, string>;
    const preflight = await fetch(`${server.url}/token`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://127.0.0.1:5173');
    const other = await fetch(`${server.url}/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const { code, verifier } = await signIn(server, {
      client_id: client.client_id!,
      redirect_uri: 'http://127.0.0.1:5173/callback',
    });
    const tokens = await postForm(
      `${server.url}/token`,
      {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: 'http://127.0.0.1:5173/callback',
        client_id: client.client_id!,
      },
      { origin: 'http://127.0.0.1:5173' },
    );
    assert.equal(tokens.status, 200);
    assert.equal(tokens.headers.get('access-control-allow-origin'), 'http://127.0.0.1:5173');
    // RFC 7592: the registration is readable with its registration access token.
    const read = await fetch(client.registration_client_uri!, {
      headers: { authorization: `Bearer ${client.registration_access_token}` },
    });
    assert.equal(read.status, 200);
    // Deleted: the client's access token stops working at this server's API, its refresh token at /token.
    const { access_token, refresh_token } = (await tokens.json()) as { access_token: string; refresh_token: string };
    const auth = { headers: { authorization: `Bearer ${access_token}` } };
    assert.equal((await fetch(`${server.url}/userinfo`, auth)).status, 200);
    const gone = await fetch(client.registration_client_uri!, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${client.registration_access_token}` },
    });
    assert.equal(gone.status, 204);
    const after = await fetch(`${server.url}/userinfo`, auth);
    assert.equal(after.status, 401);
    assert.match(after.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const refresh = await postForm(`${server.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token,
      client_id: client.client_id!,
    });
    assert.equal(refresh.status, 401);
    assert.equal(((await refresh.json()) as { error: string }).error, 'invalid_client');
  });
});

test('RFC 9728: /userinfo names its protected-resource metadata, which names this provider', async () => {
  await withServer({}, async (server) => {
    const challenge = (await fetch(`${server.url}/userinfo`)).headers.get('www-authenticate')!;
    const url = /resource_metadata="([^"]+)"/.exec(challenge)![1]!;
    assert.equal(url, `${server.url}/.well-known/oauth-protected-resource`);
    const r = await fetch(url, { headers: { origin: 'https://any.example' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    const doc = (await r.json()) as Record<string, unknown>;
    assert.equal(doc.resource, server.url);
    assert.deepEqual(doc.authorization_servers, [server.url]);
    assert.deepEqual(doc.bearer_methods_supported, ['header']);
    assert.ok((doc.scopes_supported as string[]).includes('read:orders'));
  });
});

test('TESSERA_DEV_PASSWORD_GRANT=off: no password grant, no /login, not advertised; the code flow still works', async () => {
  await withServer({ TESSERA_DEV_PASSWORD_GRANT: 'off', TESSERA_REGISTRATION: 'off' }, async (server) => {
    const meta = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, any>;
    assert.ok(!meta.grant_types_supported.includes('password'));
    assert.equal(meta.registration_endpoint, undefined);
    const grant = await postForm(`${server.url}/token`, {
      grant_type: 'password',
      username: 'demo',
      password: PASSWORD,
      client_id: 'tessera-debugger',
    });
    assert.equal(grant.status, 400);
    assert.equal(((await grant.json()) as { error: string }).error, 'unsupported_grant_type');
    assert.equal((await postJSON(`${server.url}/login`, { username: 'demo', password: PASSWORD })).status, 404);
    assert.equal((await postJSON(`${server.url}/register`, { redirect_uris: ['https://a.example/cb'] })).status, 404);
    const { code } = await signIn(server, { client_id: 'tessera-debugger', redirect_uri: 'http://127.0.0.1:8080/' });
    assert.ok(code);
    assert.ok(!server.output().includes('DEVELOPMENT password grant'));
  });
});

test('TESSERA_CLIENTS_FILE: a confidential client with its secret from the environment; gated registration', async () => {
  const data = tempDir();
  const file = join(data.path, 'clients.json');
  writeFileSync(
    file,
    JSON.stringify({
      clients: [
        {
          client_id: 'tessera-debugger',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['http://127.0.0.1:8080/'],
        },
        {
          client_id: 'backend',
          client_secret_env: 'BACKEND_SECRET',
          grant_types: ['client_credentials'],
          scope: 'read:orders',
        },
      ],
    }),
  );
  const token = randomBytes(32).toString('base64url');
  try {
    await withServer(
      {
        TESSERA_CLIENTS_FILE: file,
        BACKEND_SECRET: 'backend-secret-from-the-environment',
        TESSERA_REGISTRATION_TOKEN: token,
      },
      async (server) => {
        const basic = `Basic ${Buffer.from('backend:backend-secret-from-the-environment').toString('base64')}`;
        const r = await postForm(`${server.url}/token`, { grant_type: 'client_credentials' }, { authorization: basic });
        assert.equal(r.status, 200, await r.clone().text());
        assert.equal(((await r.json()) as { scope: string }).scope, 'read:orders');
        assert.ok(!server.output().includes('backend-secret-from-the-environment'), 'the secret is never logged');
        const metadata = { redirect_uris: ['https://app.example/cb'] };
        assert.equal((await postJSON(`${server.url}/register`, metadata)).status, 401);
        assert.equal(
          (await postJSON(`${server.url}/register`, metadata, { authorization: `Bearer ${token}` })).status,
          201,
        );
      },
    );
  } finally {
    data.remove();
  }
});

test('a client taken out of the clients file is deleted at the next start; registered clients stay', async () => {
  const data = tempDir();
  const file = join(data.path, 'clients.json');
  const debuggerClient = {
    client_id: 'tessera-debugger',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://127.0.0.1:8080/'],
  };
  const backend = {
    client_id: 'backend',
    client_secret: 'backend-secret-0123456789',
    grant_types: ['client_credentials'],
  };
  const basic = `Basic ${Buffer.from('backend:backend-secret-0123456789').toString('base64')}`;
  const port = await freePort();
  const env = {
    TESSERA_DEMO_PASSWORD: PASSWORD,
    TESSERA_CLIENTS_FILE: file,
    TESSERA_REGISTRATION_TOKEN: 'r'.repeat(32),
  };
  try {
    writeFileSync(file, JSON.stringify({ clients: [debuggerClient, backend] }));
    let server = await startServer({ dataDir: data.path, port, env });
    assert.equal(
      (await postForm(`${server.url}/token`, { grant_type: 'client_credentials' }, { authorization: basic })).status,
      200,
    );
    const registered = (await (
      await postJSON(
        `${server.url}/register`,
        { redirect_uris: ['https://app.example/cb'] },
        { authorization: `Bearer ${'r'.repeat(32)}` },
      )
    ).json()) as Record<string, string>;
    await server.stop();
    writeFileSync(file, JSON.stringify({ clients: [debuggerClient] }));
    server = await startServer({ dataDir: data.path, port, env });
    try {
      const r = await postForm(`${server.url}/token`, { grant_type: 'client_credentials' }, { authorization: basic });
      assert.equal(r.status, 401, 'the removed client is gone');
      const read = await fetch(registered.registration_client_uri!, {
        headers: { authorization: `Bearer ${registered.registration_access_token}` },
      });
      assert.equal(read.status, 200, 'a registered client stays');
      assert.ok(
        server.logs().some((l) => l.msg === 'deleted clients no longer in the clients file' && l.clients === 'backend'),
      );
    } finally {
      await server.stop();
    }
  } finally {
    data.remove();
  }
});

test('configuration: the development conveniences are on for loopback only, unless named', () => {
  const local = loadConfig({}, '/srv');
  assert.equal(local.devPasswordGrant, true);
  assert.equal(local.registration, 'open');
  const exposed = loadConfig({ TESSERA_HOST: '0.0.0.0' }, '/srv');
  assert.equal(exposed.devPasswordGrant, false);
  assert.equal(exposed.registration, 'off');
  const asked = loadConfig({ TESSERA_HOST: '0.0.0.0', TESSERA_DEV_PASSWORD_GRANT: 'on', TESSERA_REGISTRATION: 'open' });
  assert.equal(asked.devPasswordGrant, true);
  assert.equal(asked.registration, 'open');
  const gated = loadConfig({ TESSERA_HOST: '0.0.0.0', TESSERA_REGISTRATION_TOKEN: 'x'.repeat(32) });
  assert.equal(gated.registration, 'token');
  assert.throws(() => loadConfig({ TESSERA_REGISTRATION: 'token' }), /needs TESSERA_REGISTRATION_TOKEN/);
  assert.throws(() => loadConfig({ TESSERA_REGISTRATION: 'maybe' }), /TESSERA_REGISTRATION must be/);
  assert.throws(() => loadConfig({ TESSERA_DEV_PASSWORD_GRANT: 'perhaps' }), /TESSERA_DEV_PASSWORD_GRANT/);
  assert.throws(() => loadConfig({ TESSERA_REGISTRATION_TOKEN: 'short' }), /at least 32/);
  assert.match(local.clientsFile, /server\/clients\.json$/);
  assert.equal(loadConfig({ TESSERA_CLIENTS_FILE: 'conf/clients.json' }, '/srv').clientsFile, '/srv/conf/clients.json');
});
