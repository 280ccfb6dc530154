// The provider's CORS wrapper (provider/cors.ts) on responses of every kind: headers added in place where
// the Response allows it, copied where its headers are immutable, and Vary: Origin never listed twice.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createClientRegistry, createProvider } from 'tessera-jwt/provider';
import { createMemoryStore, createTokenService } from 'tessera-jwt/server';

const ISSUER = 'https://auth.example.com';
const APP = 'https://app.example';

async function start(handler: (request: Request) => Promise<Response | undefined>) {
  const store = createMemoryStore();
  const service = createTokenService({
    issuer: ISSUER,
    audience: 'https://api.example.com',
    store,
    keys: { encryptionKey: randomBytes(32) },
  });
  const clients = createClientRegistry({ store });
  await clients.seed([{ client_id: 'web', client_secret: 'web-secret-for-cors-tests', redirect_uris: [`${APP}/cb`] }]);
  const provider = createProvider({ service, store, clients, interactionUrl: '/interaction' });
  return provider.withCORS(handler);
}

const userinfo = (origin?: string) =>
  new Request(`${ISSUER}/userinfo`, { headers: origin === undefined ? {} : { origin } });

describe('provider CORS on the responses a handler returns', () => {
  test('a Response with mutable headers gets them in place: Vary appended, the allowed origin set', async () => {
    const made = new Response('{"sub":"x"}', { headers: { 'content-type': 'application/json', vary: 'Accept' } });
    const wrapped = await start(async () => made);
    const response = (await wrapped(userinfo(APP)))!;
    assert.equal(response, made, 'no copy of the response was needed');
    assert.equal(response.headers.get('vary'), 'Accept, Origin');
    assert.equal(response.headers.get('access-control-allow-origin'), APP);
    assert.equal(response.headers.get('access-control-expose-headers'), 'www-authenticate, retry-after');
    assert.equal(await response.text(), '{"sub":"x"}');
  });

  test('a Response with immutable headers (a fetched one) is copied with its status and body', async () => {
    const wrapped = await start(async () => fetch('data:application/json,{"sub":"y"}'));
    const response = (await wrapped(userinfo(APP)))!;
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('vary'), 'Origin');
    assert.equal(response.headers.get('access-control-allow-origin'), APP);
    assert.deepEqual(await response.json(), { sub: 'y' });
  });

  test('one Response object handed out again and again lists Origin in Vary once', async () => {
    const shared = new Response(null, { status: 204 });
    const wrapped = await start(async () => shared);
    for (let i = 0; i < 3; i++) await wrapped(userinfo(APP));
    assert.equal(shared.headers.get('vary'), 'Origin');
  });

  test('an origin that is not a registered redirect origin gets Vary but no Access-Control-Allow-Origin', async () => {
    const wrapped = await start(async () => new Response('{}'));
    const response = (await wrapped(userinfo('https://evil.example')))!;
    assert.equal(response.headers.get('vary'), 'Origin');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const none = (await wrapped(userinfo()))!;
    assert.equal(none.headers.get('access-control-allow-origin'), null);
  });
});
