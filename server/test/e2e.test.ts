// The whole flow over real HTTP against the built server on SQLite, with a restart in the middle:
// login → userinfo → refresh → replay detection → revoke → SIGTERM (graceful: an in-flight request
// finishes) → start again on the same data → tokens, rotation state and revocations all survive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJWT, verifyJWT } from 'tessera-jwt';
import {
  freePort,
  postForm,
  postJSON,
  startServer,
  tempDir,
  type RunningServer,
  type Tokens,
} from './helpers/server.js';

const PASSWORD = 'correct horse battery staple';
const CLIENT = 'tessera-debugger';

test('the reference server, end to end over HTTP, surviving a restart', async (t) => {
  const data = tempDir();
  const port = await freePort();
  // No refresh grace period: a replay right after the refresh is reuse here (the grace: hardening.test.ts).
  const env = { TESSERA_DEMO_PASSWORD: PASSWORD, TESSERA_REFRESH_GRACE: '0' };
  let server: RunningServer = await startServer({ dataDir: data.path, port, env });
  let earlierOutput = '';
  const issued: string[] = []; // every token, to check that none is ever logged
  const keep = <T extends Tokens>(tokens: T): T => (issued.push(tokens.access_token, tokens.refresh_token), tokens);
  const login = async (extra: Record<string, string> = {}) => {
    const response = await postJSON(`${server.url}/login`, {
      username: 'demo',
      password: PASSWORD,
      client_id: CLIENT,
      ...extra,
    });
    assert.equal(response.status, 200, await response.clone().text());
    return keep((await response.json()) as Tokens);
  };
  const userinfo = (token: string) =>
    fetch(`${server.url}/userinfo`, { headers: { authorization: `Bearer ${token}` } });
  const refresh = (token: string) =>
    postForm(`${server.url}/token`, { grant_type: 'refresh_token', refresh_token: token, client_id: CLIENT });
  const secrets = () =>
    JSON.parse(readFileSync(join(data.path, 'secrets.json'), 'utf8')) as { introspectionSecret: string };
  const introspect = (token: string) =>
    postForm(`${server.url}/introspect`, { token }, { authorization: `Bearer ${secrets().introspectionSecret}` });

  try {
    await t.test(
      'first start creates the SQLite file, the secrets (0600) and the demo user under the data directory',
      () => {
        assert.ok(statSync(join(data.path, 'tessera.db')).size > 0);
        assert.equal(statSync(join(data.path, 'secrets.json')).mode & 0o777, 0o600);
        assert.equal(statSync(join(data.path, 'users.json')).mode & 0o777, 0o600);
        const users = readFileSync(join(data.path, 'users.json'), 'utf8');
        assert.match(users, /"alg": "scrypt"/);
        assert.ok(!users.includes(PASSWORD), 'the password is stored only as a hash');
        const listening = server.logs().find((l) => l.msg === 'listening');
        assert.equal(listening?.url, server.url);
        assert.equal(listening?.issuer, server.url);
      },
    );

    await t.test('discovery and JWKS documents describe this server', async () => {
      const meta = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<
        string,
        unknown
      >;
      assert.equal(meta.issuer, server.url);
      assert.equal(meta.token_endpoint, `${server.url}/token`);
      assert.equal(meta.userinfo_endpoint, `${server.url}/userinfo`);
      // The provider's grants, and the development password grant of the demo (on: loopback).
      assert.deepEqual([...(meta.grant_types_supported as string[])].sort(), [
        'authorization_code',
        'client_credentials',
        'password',
        'refresh_token',
      ]);
      assert.equal(meta.authorization_endpoint, `${server.url}/authorize`);
      assert.equal(meta.registration_endpoint, `${server.url}/register`, 'open registration on loopback');
      const jwksResponse = await fetch(`${server.url}/.well-known/jwks.json`);
      assert.match(jwksResponse.headers.get('cache-control') ?? '', /max-age=\d+/);
      const jwks = (await jwksResponse.json()) as { keys: Array<Record<string, unknown>> };
      assert.ok(jwks.keys.length >= 1);
      for (const key of jwks.keys) {
        assert.equal(key.kty, 'EC');
        assert.equal(key.d, undefined, 'no private member is published');
      }
    });

    await t.test('wrong password, unknown user and unknown client are refused with RFC 6749 errors', async () => {
      let r = await postJSON(`${server.url}/login`, { username: 'demo', password: 'wrong-password' });
      assert.equal(r.status, 400);
      assert.deepEqual(await r.json(), {
        error: 'invalid_grant',
        error_description: 'The username or password is incorrect',
      });
      r = await postJSON(`${server.url}/login`, { username: 'nobody', password: PASSWORD });
      assert.equal(r.status, 400);
      assert.equal(((await r.json()) as { error: string }).error, 'invalid_grant');
      r = await postJSON(`${server.url}/login`, { username: 'demo', password: PASSWORD, client_id: 'evil-client' });
      assert.equal(r.status, 401);
      assert.equal(((await r.json()) as { error: string }).error, 'invalid_client');
      r = await postJSON(`${server.url}/login`, { username: 'demo', password: PASSWORD, scope: 'admin' });
      assert.equal(r.status, 400);
      assert.equal(((await r.json()) as { error: string }).error, 'invalid_scope');
      r = await postForm(`${server.url}/token`, {
        grant_type: 'password',
        username: 'demo',
        password: 'nope',
        client_id: CLIENT,
      });
      assert.equal(r.status, 400);
      assert.deepEqual(await r.json(), { error: 'invalid_grant', error_description: 'The credentials are invalid' });
    });

    let first: Tokens;
    await t.test('login (JSON) → an RFC 9068 access token that the JWKS verifies, and a refresh token', async () => {
      first = await login({ scope: 'openid profile' });
      assert.equal(first.token_type, 'Bearer');
      assert.equal(first.expires_in, 900);
      assert.equal(first.scope, 'openid profile');
      assert.match(first.refresh_token, /^[A-Za-z0-9_-]{43}$/);
      const { header } = decodeJWT(first.access_token);
      assert.equal(header.typ, 'at+jwt');
      assert.equal(header.alg, 'ES256');
      // A resource server elsewhere would do exactly this.
      const jwks = createRemoteJWKSet(`${server.url}/.well-known/jwks.json`, { allowHttp: true });
      const claims = await verifyJWT(first.access_token, jwks, {
        algorithms: ['ES256'],
        issuer: server.url,
        audience: server.url,
        typ: 'at+jwt',
      });
      assert.equal(claims.client_id, CLIENT);
      assert.equal(claims.preferred_username, 'demo');
    });

    await t.test('login also works as a form, and as the password grant on /token', async () => {
      const form = await postForm(`${server.url}/login`, { username: 'demo', password: PASSWORD });
      assert.equal(form.status, 200);
      keep((await form.json()) as Tokens);
      const grant = await postForm(`${server.url}/token`, {
        grant_type: 'password',
        username: 'demo',
        password: PASSWORD,
        client_id: CLIENT,
        scope: 'openid email',
      });
      assert.equal(grant.status, 200);
      assert.equal(grant.headers.get('cache-control'), 'no-store');
      const tokens = keep((await grant.json()) as Tokens);
      assert.equal(tokens.scope, 'openid email');
    });

    await t.test(
      'userinfo is protected by the middleware: RFC 6750 challenges without or with a bad token',
      async () => {
        const ok = await userinfo(first.access_token);
        assert.equal(ok.status, 200);
        const body = (await ok.json()) as Record<string, unknown>;
        assert.equal(body.name, 'Demo User');
        assert.equal(body.email, undefined, 'no email without the email scope');
        const none = await fetch(`${server.url}/userinfo`);
        assert.equal(none.status, 401);
        // RFC 9728 §5.1: the challenge names the API's protected-resource metadata.
        assert.equal(
          none.headers.get('www-authenticate'),
          `Bearer realm="tessera", resource_metadata="${server.url}/.well-known/oauth-protected-resource"`,
        );
        const bad = await userinfo('not.a.token');
        assert.equal(bad.status, 401);
        assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
      },
    );

    await t.test('introspection needs the secret; then describes access and refresh tokens', async () => {
      const anonymous = await postForm(`${server.url}/introspect`, { token: first.access_token });
      assert.equal(anonymous.status, 401);
      assert.equal(((await anonymous.json()) as { error: string }).error, 'invalid_client');
      const wrong = await postForm(
        `${server.url}/introspect`,
        { token: first.access_token },
        { authorization: 'Bearer wrong-secret-wrong-secret-wrong-secret' },
      );
      assert.equal(wrong.status, 401);
      const access = (await (await introspect(first.access_token)).json()) as Record<string, unknown>;
      assert.equal(access.active, true);
      assert.equal(access.token_type, 'Bearer');
      const refreshInfo = (await (await introspect(first.refresh_token)).json()) as Record<string, unknown>;
      assert.equal(refreshInfo.active, true);
      assert.equal(refreshInfo.token_type, 'refresh_token');
      assert.deepEqual(await (await introspect('garbage')).json(), { active: false });
    });

    let second: Tokens;
    await t.test('refresh rotates the refresh token; replaying the used one revokes the whole grant', async () => {
      const r = await refresh(first.refresh_token);
      assert.equal(r.status, 200);
      second = keep((await r.json()) as Tokens);
      assert.notEqual(second.refresh_token, first.refresh_token);
      assert.equal((await userinfo(second.access_token)).status, 200);
      // Replay of the used token: refused, and every token of the grant dies with it.
      const replay = await refresh(first.refresh_token);
      assert.equal(replay.status, 400);
      assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant');
      assert.equal((await refresh(second.refresh_token)).status, 400, 'the successor is revoked too');
      const afterReplay = await userinfo(second.access_token);
      assert.equal(afterReplay.status, 401);
      assert.match(afterReplay.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
      assert.equal((await userinfo(first.access_token)).status, 401);
    });

    let revokedAccess: Tokens;
    let revokedRefresh: Tokens;
    let survivor: Tokens;
    await t.test('revoke: an access token is denied at once; a refresh token ends its grant', async () => {
      revokedAccess = await login();
      // RFC 7009 §2.1: the client identifies itself (a public client by its client_id); anonymous is refused.
      let r = await postForm(`${server.url}/revoke`, {
        token: revokedAccess.access_token,
        token_type_hint: 'access_token',
      });
      assert.equal(r.status, 401);
      assert.equal(((await r.json()) as { error: string }).error, 'invalid_client');
      assert.equal((await userinfo(revokedAccess.access_token)).status, 200, 'an anonymous revocation does nothing');
      r = await postForm(`${server.url}/revoke`, {
        token: revokedAccess.access_token,
        token_type_hint: 'access_token',
        client_id: CLIENT,
      });
      assert.equal(r.status, 200);
      assert.equal((await userinfo(revokedAccess.access_token)).status, 401);
      assert.deepEqual(await (await introspect(revokedAccess.access_token)).json(), { active: false });

      revokedRefresh = await login();
      r = await postForm(`${server.url}/revoke`, { token: revokedRefresh.refresh_token, client_id: CLIENT });
      assert.equal(r.status, 200);
      assert.equal((await refresh(revokedRefresh.refresh_token)).status, 400);
      assert.equal(
        (await userinfo(revokedRefresh.access_token)).status,
        401,
        'the grant is revoked with its refresh token',
      );
      // RFC 7009 §2.2: an unknown token is not an error.
      assert.equal((await postForm(`${server.url}/revoke`, { token: 'never-issued', client_id: CLIENT })).status, 200);

      survivor = await login();
    });

    const kidsBefore = (
      (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }
    ).keys.map((k) => k.kid);

    await t.test(
      'SIGTERM: an in-flight request finishes, then the process exits 0 after closing the store',
      async () => {
        // Start a login and hold back half of its body, so the request is in flight when the signal arrives.
        const body = JSON.stringify({ username: 'demo', password: PASSWORD });
        const socket = connect(port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        let raw = '';
        socket.on('data', (chunk) => (raw += chunk.toString()));
        const closed = new Promise((resolve) => socket.once('close', resolve));
        socket.write(
          `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
        const exit = server.stop('SIGTERM');
        await new Promise((resolve) => setTimeout(resolve, 200));
        // New connections are refused while the old one is served.
        await assert.rejects(fetch(`${server.url}/health`));
        // (write, not end: a half-closed connection aborts its request in node:http)
        socket.write(body.slice(10));
        await closed; // the server closes the connection after the response: it is shutting down
        assert.match(raw, /^HTTP\/1\.1 200 OK/);
        const tokens = JSON.parse(
          raw
            .slice(raw.indexOf('\r\n\r\n') + 4)
            .replace(/^[0-9a-f]+\r\n/, '')
            .replace(/\r\n0\r\n\r\n$/, ''),
        ) as Tokens;
        keep(tokens);
        assert.equal(await exit, 0);
        const messages = server.logs().map((l) => l.msg);
        assert.ok(messages.includes('shutting down: finishing in-flight requests'));
        assert.equal(messages.at(-1), 'stopped');
        earlierOutput = server.output();
      },
    );

    server = await startServer({ dataDir: data.path, port, env });

    await t.test('after the restart: same signing keys, live tokens still work, revocations still hold', async () => {
      const kidsAfter = (
        (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }
      ).keys.map((k) => k.kid);
      assert.deepEqual(kidsAfter, kidsBefore);
      assert.ok(!server.logs().some((l) => l.msg === 'generated the first signing key'));
      assert.equal((await userinfo(survivor.access_token)).status, 200, 'an access token from before the restart');
      const r = await refresh(survivor.refresh_token);
      assert.equal(r.status, 200, 'a refresh token from before the restart');
      const next = keep((await r.json()) as Tokens);
      assert.equal((await userinfo(next.access_token)).status, 200);
      assert.equal((await refresh(survivor.refresh_token)).status, 400, 'its rotation is remembered');
      assert.equal((await userinfo(revokedAccess.access_token)).status, 401, 'a denied access token stays denied');
      assert.equal((await refresh(revokedRefresh.refresh_token)).status, 400, 'a revoked grant stays revoked');
      assert.equal((await refresh(first.refresh_token)).status, 400, 'a grant killed by replay stays dead');
      assert.equal((await userinfo(second.access_token)).status, 401);
      // And revocation still works after the restart.
      assert.equal(
        (await postForm(`${server.url}/revoke`, { token: next.refresh_token, client_id: CLIENT })).status,
        200,
      );
      assert.equal((await userinfo(next.access_token)).status, 401);
    });

    await t.test('the logs are structured and never contain a token, the password or a secret', () => {
      const output = earlierOutput + server.output();
      const logs = server.logs();
      const requests = logs.filter((l) => l.msg === 'request');
      assert.ok(requests.length > 5);
      for (const line of requests) {
        assert.deepEqual(Object.keys(line).sort(), [
          'durationMs',
          'level',
          'method',
          'msg',
          'path',
          'requestId',
          'status',
          'time',
        ]);
      }
      const everything = output + readFileSync(join(data.path, 'users.json'), 'utf8');
      for (const token of issued) assert.ok(!everything.includes(token), 'a token was logged');
      const { introspectionSecret, keyEncryptionKey } = JSON.parse(
        readFileSync(join(data.path, 'secrets.json'), 'utf8'),
      ) as Record<string, string>;
      assert.ok(!output.includes(introspectionSecret!));
      assert.ok(!output.includes(keyEncryptionKey!));
      assert.ok(!output.includes(PASSWORD));
    });
  } finally {
    await server.stop();
    data.remove();
  }
});
