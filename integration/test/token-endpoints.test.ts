// The token service's HTTP endpoints mounted in each framework, next to that framework's own auth
// middleware verifying the issued access tokens through the server's published JWKS and the service's
// revocation list: login (an application grant) → protected route → refresh → replay → revoke →
// introspect, over real HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { createRemoteJWKSet, type ResolverHeader } from 'tessera-jwt';
import type { AuthOptions } from 'tessera-jwt/fetch';
import { expressAuth } from 'tessera-jwt/express';
import { fastifyAuth } from 'tessera-jwt/fastify';
import { honoAuth } from 'tessera-jwt/hono';
import {
  createMemoryStore,
  createTokenEndpoints,
  createTokenService,
  type TokenEndpoints,
  type TokenService,
  toNodeHandler,
} from 'tessera-jwt/server';
import type { Server } from './helpers/contract.js';
import { listen, serveFetch } from './helpers/listen.js';

const INTROSPECTION = 'introspection-secret-of-the-tests';

// fetch's json() is typed unknown: these bodies are read as the RFC documents they are.
const read = async (res: Response): Promise<any> => res.json();

interface Mount {
  name: string;
  /** Serves the endpoints plus GET /me behind the framework's middleware, built from `auth`. */
  start(endpoints: TokenEndpoints, auth: (url: () => string) => AuthOptions<any, any>): Promise<Server>;
}

const mounts: Mount[] = [
  {
    name: 'express 5',
    async start(endpoints, auth) {
      const app = express();
      const box: { url?: string } = {};
      app.get('/me', expressAuth(auth(() => box.url!)), (req, res) =>
        res.json({ sub: (req as { auth?: { sub?: string } }).auth?.sub }),
      );
      app.use(toNodeHandler(endpoints.handle)); // the token endpoints; other paths fall through
      const server = await listen(createServer(app));
      box.url = server.url;
      return server;
    },
  },
  {
    name: 'fastify 5',
    async start(endpoints, auth) {
      const app = Fastify();
      const box: { url?: string } = {};
      // The endpoints read their own (form) bodies: Fastify leaves the stream alone.
      app.removeAllContentTypeParsers();
      app.addContentTypeParser('*', (_request, _payload, done) => done(null));
      const node = toNodeHandler(endpoints.handle);
      app.route({
        method: ['GET', 'HEAD', 'POST'],
        url: '/*',
        handler: (request, reply) => {
          reply.hijack();
          node(request.raw, reply.raw);
        },
      });
      await app.register(async (scoped) => {
        await scoped.register(fastifyAuth(auth(() => box.url!)));
        scoped.get('/me', async (request) => ({ sub: (request as { auth?: { sub?: string } }).auth?.sub }));
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      box.url = `http://127.0.0.1:${port}`;
      return { url: box.url, close: () => app.close() };
    },
  },
  {
    name: 'hono 4',
    async start(endpoints, auth) {
      const app = new Hono();
      const box: { url?: string } = {};
      app.get('/me', honoAuth(auth(() => box.url!)), (c) =>
        c.json({ sub: (c.get('auth' as never) as { sub?: string } | undefined)?.sub }),
      );
      app.all('*', async (c) => (await endpoints.handle(c.req.raw)) ?? c.notFound());
      const server = await serveFetch(app.fetch);
      box.url = server.url;
      return server;
    },
  },
];

for (const mount of mounts) {
  describe(`token endpoints mounted in ${mount.name}`, () => {
    let service: TokenService;
    let server: Server;
    const form = (path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(params).toString(),
      });
    const me = (token: string) => fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${token}` } });
    const login = { grant_type: 'password', username: 'jane', password: 'correct horse', client_id: 'web' };

    after(async () => server?.close());

    it('serves the whole flow: login, a protected route, refresh, replay, revoke, introspect', async () => {
      service = createTokenService({
        issuer: 'https://auth.example.com',
        audience: 'https://api.example.com',
        store: createMemoryStore(),
        keys: { encryptionKey: randomBytes(32) },
      });
      const endpoints = createTokenEndpoints(service, {
        grants: {
          password: (p) =>
            p.get('username') === 'jane' && p.get('password') === 'correct horse'
              ? { sub: 'user-42', client_id: 'web', scope: 'read' }
              : undefined,
        },
        authenticateIntrospection: (request) => request.headers.get('authorization') === `Bearer ${INTROSPECTION}`,
      });
      // The resource side: the framework's middleware, keys from this server's own JWKS, revocation from the service.
      // The server's URL is known only once it listens: the remote JWKS is created on first use.
      const auth = (url: () => string): AuthOptions<any, any> => {
        let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
        return {
          key: (header: ResolverHeader, token: string) =>
            (jwks ??= createRemoteJWKSet(`${url()}/.well-known/jwks.json`, { allowHttp: true }))(header, token),
          algorithms: ['ES256'],
          issuer: 'https://auth.example.com',
          audience: 'https://api.example.com',
          typ: 'at+jwt',
          isRevoked: (claims: Record<string, unknown>) => service.isRevoked(claims),
        };
      };
      server = await mount.start(endpoints, auth);

      const first = await form('/token', login);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), 'no-store');
      const tokens = await read(first);
      assert.deepEqual(await read(await me(tokens.access_token)), { sub: 'user-42' });

      const refreshed = await read(
        await form('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'web' }),
      );
      assert.deepEqual(await read(await me(refreshed.access_token)), { sub: 'user-42' });

      const replay = await form('/token', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: 'web',
      });
      assert.equal(replay.status, 400);
      assert.equal((await read(replay)).error, 'invalid_grant');
      const afterReplay = await me(refreshed.access_token); // the whole grant died with the replay
      assert.equal(afterReplay.status, 401);
      assert.match(afterReplay.headers.get('www-authenticate')!, /error="invalid_token"/);

      const again = await read(await form('/token', login));
      assert.equal((await form('/revoke', { token: again.access_token })).status, 200);
      assert.equal((await me(again.access_token)).status, 401);

      const anonymous = await form('/introspect', { token: again.refresh_token });
      assert.equal(anonymous.status, 401);
      const info = await read(
        await form('/introspect', { token: again.refresh_token }, { authorization: `Bearer ${INTROSPECTION}` }),
      );
      assert.equal(info.active, true);
      assert.equal(info.token_type, 'refresh_token');

      const jwks = await fetch(`${server.url}/.well-known/jwks.json`);
      assert.match(jwks.headers.get('cache-control')!, /^public, max-age=\d+$/);
      assert.equal((await read(jwks)).keys.length, 1);
    });
  });
}
