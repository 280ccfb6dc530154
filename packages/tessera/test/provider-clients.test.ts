// The provider's client registry and client authentication over real HTTP (node:http + toNodeHandler on
// 127.0.0.1): strict metadata validation, secrets stored hashed, client_secret_basic (form-urlencoded
// credentials), client_secret_post, private_key_jwt (inline jwks and a jwks_uri served on 127.0.0.1,
// replay and wrong audience refused), none, one method per request, 401 invalid_client with a challenge,
// refresh bound to the authenticated client, client_credentials, introspection for confidential clients.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { exportJWK, generateKeyPair, signJWT } from 'tessera-jwt';
import {
  createClientRegistry,
  createProviderTokenEndpoints,
  InvalidClientMetadataError,
  RECORD_KINDS,
} from 'tessera-jwt/provider';
import { createMemoryStore, createTokenService, toNodeHandler } from 'tessera-jwt/server';
import { listen } from './helpers/http.js';

const read = async (res: Response | Promise<Response>): Promise<any> => (await res).json();
const ISSUER = 'https://auth.example.com';
// A configured secret with characters that must be form-urlencoded in HTTP Basic (RFC 6749 §2.3.1).
const SECRET = 'sécret:with+plus and/slash%';

async function start() {
  const store = createMemoryStore();
  const service = createTokenService({
    issuer: ISSUER,
    audience: 'https://api.example.com',
    store,
    keys: { encryptionKey: randomBytes(32) },
  });
  const clients = createClientRegistry({ store });
  const clientKey = generateKeyPair('ES256');
  const remoteKey = generateKeyPair('ES256');
  const jwksServer = await listen((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [{ ...exportJWK(remoteKey.publicKey), kid: 'r1', alg: 'ES256', use: 'sig' }] }));
  });
  await clients.seed([
    {
      client_id: 'svc:one',
      client_secret: SECRET,
      grant_types: ['client_credentials'],
      scope: 'read write',
    },
    {
      client_id: 'poster',
      client_secret: 'another-configured-secret',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      redirect_uris: ['https://app.example/cb'],
    },
    {
      client_id: 'spa',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1:5173/cb'],
      grant_types: ['authorization_code', 'refresh_token'],
    },
    {
      client_id: 'jwt-inline',
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['client_credentials'],
      jwks: { keys: [{ ...exportJWK(clientKey.publicKey), kid: 'k1', alg: 'ES256' }] },
    },
    {
      client_id: 'jwt-remote',
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['client_credentials'],
      jwks_uri: `${jwksServer.origin}/jwks`,
    },
  ]);
  const endpoints = createProviderTokenEndpoints({ service, store, clients, allowHttpJWKS: true });
  const { origin } = await listen(toNodeHandler(endpoints.handle));
  const form = (path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
    });
  const basic = (id: string, secret: string) => ({
    authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
  });
  const assertion = (sub: string, key = clientKey.privateKey, extra: Record<string, unknown> = {}, kid = 'k1') =>
    signJWT({ iss: sub, sub, aud: `${ISSUER}/token`, jti: randomUUID(), ...extra }, key, {
      algorithm: 'ES256',
      kid,
      ...('exp' in extra ? {} : { expiresIn: 60 }),
    });
  return { store, service, clients, form, basic, assertion, remoteKey, clientKey: clientKey };
}

describe('client metadata validation', () => {
  const clients = createClientRegistry({ store: createMemoryStore() });
  const refused = async (metadata: unknown, oauthError: string) => {
    await assert.rejects(
      clients.register(metadata),
      (err: any) => err instanceof InvalidClientMetadataError && err.oauthError === oauthError,
    );
  };
  test('redirect URIs: https or loopback http, absolute, no fragment, no credentials', async () => {
    await refused({ redirect_uris: ['http://app.example/cb'] }, 'invalid_redirect_uri');
    await refused({ redirect_uris: ['https://app.example/cb#frag'] }, 'invalid_redirect_uri');
    await refused({ redirect_uris: ['/cb'] }, 'invalid_redirect_uri');
    await refused({ redirect_uris: ['https://user:pw@app.example/cb'] }, 'invalid_redirect_uri');
    await refused({ redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri');
    await refused({ redirect_uris: [] }, 'invalid_redirect_uri');
    const { client } = await clients.register({
      redirect_uris: ['http://127.0.0.1:8080/cb', 'https://app.example/cb'],
    });
    assert.deepEqual(client.redirect_uris, ['http://127.0.0.1:8080/cb', 'https://app.example/cb']);
    assert.deepEqual(client.grant_types, ['authorization_code']);
    assert.deepEqual(client.response_types, ['code']);
    assert.equal(client.token_endpoint_auth_method, 'client_secret_basic');
  });
  test('grant and response types agree; methods fit the credentials', async () => {
    await refused({ redirect_uris: ['https://a.example/cb'], response_types: ['token'] }, 'invalid_client_metadata');
    await refused({ grant_types: ['client_credentials'], response_types: ['code'] }, 'invalid_client_metadata');
    await refused({ grant_types: ['implicit'] }, 'invalid_client_metadata');
    await refused(
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' },
      'invalid_client_metadata',
    );
    await refused(
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt' },
      'invalid_client_metadata',
    );
    await refused(
      { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_jwt' },
      'invalid_client_metadata',
    );
    const { publicKey, privateKey } = generateKeyPair('ES256');
    await refused(
      {
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [exportJWK(privateKey, { private: true })] },
      },
      'invalid_client_metadata',
    );
    await refused(
      {
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [exportJWK(publicKey)] },
        jwks_uri: 'https://a.example/jwks',
      },
      'invalid_client_metadata',
    );
  });
  test('unknown metadata is ignored (RFC 7591 §2); a public client gets no secret', async () => {
    const { client, client_secret } = await clients.register({
      redirect_uris: ['https://a.example/cb'],
      token_endpoint_auth_method: 'none',
      logo_color: 'red',
    });
    assert.equal(client_secret, undefined);
    assert.equal('logo_color' in client, false);
    assert.equal(client.client_id.length, 22);
  });
});

describe('secrets are stored hashed', () => {
  test('neither a configured nor a generated secret appears in the store', async () => {
    const { store, clients } = await start();
    const { client, client_secret } = await clients.register({ grant_types: ['client_credentials'] });
    assert.match(client_secret!, /^[A-Za-z0-9_-]{43}$/);
    const dump = JSON.stringify(await store.listRecords(RECORD_KINDS.client, Math.floor(Date.now() / 1000)));
    assert.equal(dump.includes(client_secret!), false);
    assert.equal(dump.includes(SECRET), false);
    assert.equal(dump.includes('another-configured-secret'), false);
    assert.equal((await clients.checkSecret(client.client_id, client_secret!)).ok, true);
    assert.equal((await clients.checkSecret(client.client_id, `${client_secret!}x`)).ok, false);
    assert.equal((await clients.checkSecret('svc:one', SECRET)).ok, true);
    assert.equal((await clients.checkSecret('nobody', SECRET)).ok, false);
  });
});

describe('client authentication at /token', () => {
  test('client_secret_basic with form-urlencoded id and secret; client_credentials issues a token for the client', async () => {
    const { form, basic, service } = await start();
    const res = await form('/token', { grant_type: 'client_credentials', scope: 'read' }, basic('svc:one', SECRET));
    assert.equal(res.status, 200);
    const body = await read(res);
    const claims = await service.verifyAccessToken(body.access_token);
    assert.equal(claims.client_id, 'svc:one');
    assert.equal(claims.sub, 'svc:one');
    assert.equal(claims.scope, 'read');
    assert.equal(body.refresh_token, undefined, 'no refresh token for client_credentials (RFC 6749 §4.4.3)');
  });
  test('a wrong secret, an unknown client, a bad Basic header: 401 invalid_client with WWW-Authenticate', async () => {
    const { form, basic } = await start();
    for (const headers of [
      basic('svc:one', 'wrong'),
      basic('ghost', SECRET),
      { authorization: 'Basic !!!' },
      { authorization: 'Bearer x' },
    ]) {
      const res = await form('/token', { grant_type: 'client_credentials' }, headers);
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate')!, /^Basic realm="https:\/\/auth\.example\.com"$/);
      assert.equal((await read(res)).error, 'invalid_client');
    }
  });
  test('two methods in one request are refused, even for the same client', async () => {
    const { form, basic, assertion } = await start();
    const both = await form(
      '/token',
      { grant_type: 'client_credentials', client_id: 'poster', client_secret: 'another-configured-secret' },
      basic('poster', 'another-configured-secret'),
    );
    assert.equal(both.status, 400);
    assert.equal((await read(both)).error, 'invalid_request');
    const mixed = await form('/token', {
      grant_type: 'client_credentials',
      client_secret: 'x',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion('jwt-inline'),
    });
    assert.equal(mixed.status, 400);
  });
  test('client_secret_post works for its client and only with its registered method', async () => {
    const { form, basic } = await start();
    const ok = await form('/token', {
      grant_type: 'client_credentials',
      client_id: 'poster',
      client_secret: 'another-configured-secret',
    });
    assert.equal(ok.status, 200);
    // The right secret through the wrong method (poster registered client_secret_post).
    const wrongMethod = await form(
      '/token',
      { grant_type: 'client_credentials' },
      basic('poster', 'another-configured-secret'),
    );
    assert.equal(wrongMethod.status, 401);
    const postForBasic = await form('/token', {
      grant_type: 'client_credentials',
      client_id: 'svc:one',
      client_secret: SECRET,
    });
    assert.equal(postForBasic.status, 401);
  });
  test('a confidential client cannot authenticate as public (client_id alone)', async () => {
    const { form } = await start();
    const res = await form('/token', { grant_type: 'client_credentials', client_id: 'svc:one' });
    assert.equal(res.status, 401);
    assert.equal((await read(res)).error, 'invalid_client');
    const none = await form('/token', { grant_type: 'client_credentials' });
    assert.equal(none.status, 401);
  });
  test('a grant type the client did not register is unauthorized_client; a public client has no client_credentials', async () => {
    const { form } = await start();
    const res = await form('/token', { grant_type: 'client_credentials', client_id: 'spa' });
    assert.equal(res.status, 400);
    assert.equal((await read(res)).error, 'unauthorized_client');
  });
  test('client_credentials cannot exceed the registered scope', async () => {
    const { form, basic } = await start();
    const res = await form(
      '/token',
      { grant_type: 'client_credentials', scope: 'read admin' },
      basic('svc:one', SECRET),
    );
    assert.equal(res.status, 400);
    assert.equal((await read(res)).error, 'invalid_scope');
  });
});

describe('private_key_jwt (RFC 7523)', () => {
  test('inline jwks and jwks_uri: an assertion for the token endpoint or the issuer authenticates', async () => {
    const { form, assertion, remoteKey } = await start();
    const type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    const inline = await form('/token', {
      grant_type: 'client_credentials',
      client_assertion_type: type,
      client_assertion: assertion('jwt-inline'),
    });
    assert.equal(inline.status, 200);
    const forIssuer = await form('/token', {
      grant_type: 'client_credentials',
      client_assertion_type: type,
      client_assertion: assertion('jwt-inline', undefined, { aud: ISSUER }),
    });
    assert.equal(forIssuer.status, 200);
    const remote = await form('/token', {
      grant_type: 'client_credentials',
      client_assertion_type: type,
      client_assertion: assertion('jwt-remote', remoteKey.privateKey, {}, 'r1'),
    });
    assert.equal(remote.status, 200);
  });
  test('a replayed assertion, a wrong aud, a long-lived or foreign-signed assertion, a wrong type: refused', async () => {
    const { form, assertion, remoteKey, clientKey } = await start();
    const type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    const once = assertion('jwt-inline');
    assert.equal(
      (await form('/token', { grant_type: 'client_credentials', client_assertion_type: type, client_assertion: once }))
        .status,
      200,
    );
    const replay = await form('/token', {
      grant_type: 'client_credentials',
      client_assertion_type: type,
      client_assertion: once,
    });
    assert.equal(replay.status, 401);
    assert.equal((await read(replay)).error, 'invalid_client');
    for (const bad of [
      assertion('jwt-inline', undefined, { aud: 'https://evil.example/token' }),
      assertion('jwt-inline', undefined, { exp: Math.floor(Date.now() / 1000) + 3600 }),
      assertion('jwt-inline', remoteKey.privateKey),
      assertion('jwt-inline', undefined, { iss: 'jwt-remote' }),
      signJWT(
        { iss: 'jwt-inline', sub: 'jwt-inline', aud: `${ISSUER}/token`, jti: randomUUID() },
        generateKeyPair('ES256').privateKey,
        { algorithm: 'ES256', kid: 'k1', expiresIn: 60 },
      ),
      // exp is required
      signJWT(
        { iss: 'jwt-inline', sub: 'jwt-inline', aud: `${ISSUER}/token`, jti: randomUUID() },
        clientKey.privateKey,
        { algorithm: 'ES256', kid: 'k1' },
      ),
      'not.a.jwt',
    ]) {
      const res = await form('/token', {
        grant_type: 'client_credentials',
        client_assertion_type: type,
        client_assertion: bad,
      });
      assert.equal(res.status, 401, 'assertion refused');
      assert.ok(res.headers.get('www-authenticate'));
    }
    const wrongType = await form('/token', {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:x',
      client_assertion: assertion('jwt-inline'),
    });
    assert.equal(wrongType.status, 400);
  });
});

describe('refresh, revocation and introspection use the authenticated client', () => {
  test('a refresh token is bound to its client: another client (authenticated) or no authentication is refused', async () => {
    const { form, service, basic } = await start();
    const tokens = await service.issue({ sub: 'user-1', client_id: 'poster', scope: 'openid' });
    const stolen = await form(
      '/token',
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
      basic('svc:one', SECRET),
    );
    assert.equal(stolen.status, 400);
    const anonymous = await form('/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: 'poster',
    });
    assert.equal(anonymous.status, 401);
    const ok = await form('/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: 'poster',
      client_secret: 'another-configured-secret',
    });
    assert.equal(ok.status, 200);
    const spa = await service.issue({ sub: 'user-1', client_id: 'spa' });
    const publicRefresh = await form('/token', {
      grant_type: 'refresh_token',
      refresh_token: spa.refresh_token,
      client_id: 'spa',
    });
    assert.equal(publicRefresh.status, 200);
  });
  test('revocation: only the own tokens; introspection: confidential clients only', async () => {
    const { form, service, basic } = await start();
    const tokens = await service.issue({ sub: 'user-1', client_id: 'poster' });
    const foreign = await form('/revoke', { token: tokens.refresh_token }, basic('svc:one', SECRET));
    assert.equal(foreign.status, 400);
    assert.equal((await service.introspect(tokens.refresh_token)).active, true);
    const introspected = await read(form('/introspect', { token: tokens.access_token }, basic('svc:one', SECRET)));
    assert.equal(introspected.active, true);
    const publicIntrospect = await form('/introspect', { token: tokens.access_token, client_id: 'spa' });
    assert.equal(publicIntrospect.status, 401);
    const unauth = await form('/introspect', { token: tokens.access_token });
    assert.equal(unauth.status, 401);
    const own = await form('/revoke', {
      token: tokens.refresh_token,
      client_id: 'poster',
      client_secret: 'another-configured-secret',
    });
    assert.equal(own.status, 200);
    assert.equal((await service.introspect(tokens.refresh_token)).active, false);
  });
  test('the metadata advertises the methods and algorithms that work', async () => {
    const { form } = await start();
    void form;
    const store = createMemoryStore();
    const service = createTokenService({
      issuer: ISSUER,
      audience: 'api',
      store,
      keys: { encryptionKey: randomBytes(32) },
    });
    const endpoints = createProviderTokenEndpoints({ service, store, clients: createClientRegistry({ store }) });
    const doc = await read(endpoints.metadata(new Request(`${ISSUER}/.well-known/oauth-authorization-server`)));
    assert.deepEqual(doc.token_endpoint_auth_methods_supported, [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
      'none',
    ]);
    assert.deepEqual(doc.introspection_endpoint_auth_methods_supported, [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
    ]);
    assert.ok(doc.grant_types_supported.includes('client_credentials'));
    assert.ok(doc.token_endpoint_auth_signing_alg_values_supported.includes('ES256'));
  });
});
