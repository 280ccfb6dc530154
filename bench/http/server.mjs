// One protected-route server for bench:http, in its own process: `node server.mjs <config-json>`.
// Prints `ready <port>` once it listens on 127.0.0.1. The route answers 200 {"sub": …} with the
// verified claims; `floor` mounts no auth at all; `noop` mounts a middleware that only reads the
// Authorization header, where Tessera's goes (the framework's own cost of running a middleware).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cfg = JSON.parse(process.argv[2]);
const { framework, impl, alg, secret, jwksUrl, audience, issuer } = cfg;
const hs = alg === 'HS256';
// The HS256 secret is a random ASCII string: hono takes a string, the others get its UTF-8 bytes.
const secretBytes = hs ? Buffer.from(secret, 'utf8') : undefined;

async function tesseraKey() {
  const { createRemoteJWKSet } = await import('tessera-jwt');
  return hs ? new Uint8Array(secretBytes) : createRemoteJWKSet(jwksUrl, { allowHttp: true });
}

async function tesseraOptions() {
  const options = { key: await tesseraKey(), algorithms: [alg], audience, issuer };
  if (impl === 'tessera-cache') options.cache = true;
  return options;
}

async function express() {
  const { default: expressApp } = await import('express');
  const app = expressApp();
  const handler = (req, res) => res.json({ sub: req.auth?.sub ?? null });
  if (impl === 'floor') app.get('/protected', handler);
  else if (impl === 'noop') {
    const noop = (req, _res, next) => {
      req.auth = { sub: req.headers.authorization?.slice(7, 10) ?? null };
      next();
    };
    app.get('/protected', noop, handler);
  } else if (impl === 'peer') {
    // express-jwt README: jwt({ secret, algorithms, audience, issuer }); for a JWKS the README's
    // jwksRsa.expressJwtSecret({ cache: true, rateLimit: true, jwksRequestsPerMinute: 5, jwksUri }).
    const { expressjwt } = require('express-jwt');
    const secretOption = hs
      ? secretBytes
      : require('jwks-rsa').expressJwtSecret({
          cache: true,
          rateLimit: true,
          jwksRequestsPerMinute: 5,
          jwksUri: jwksUrl,
        });
    app.get('/protected', expressjwt({ secret: secretOption, algorithms: [alg], audience, issuer }), handler);
    // The README's error handler: UnauthorizedError answers 401 (instead of Express's logged 500 page).
    app.use((err, req, res, next) => {
      if (err.name === 'UnauthorizedError') res.status(401).send('invalid token...');
      else next(err);
    });
  } else {
    const { expressAuth } = await import('tessera-jwt/express');
    app.get('/protected', expressAuth(await tesseraOptions()), handler);
  }
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

async function fastify() {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  if (impl === 'peer') {
    const fjwt = require('@fastify/jwt');
    if (hs) {
      // @fastify/jwt README: register(jwt, { secret }), then onRequest: await request.jwtVerify().
      await app.register(fjwt, {
        secret: secretBytes,
        verify: { algorithms: [alg], allowedAud: audience, allowedIss: issuer },
      });
    } else {
      // get-jwks README's @fastify/jwt example: decode complete, secret callback via getJwks.getPublicKey.
      const getJwks = require('get-jwks')();
      await app.register(fjwt, {
        decode: { complete: true },
        verify: { algorithms: [alg], allowedAud: audience, allowedIss: issuer },
        secret: (request, token, callback) => {
          const {
            header: { kid, alg: tokenAlg },
          } = token;
          getJwks
            .getPublicKey({ kid, domain: new URL(jwksUrl).origin, alg: tokenAlg })
            .then((key) => callback(null, key), callback);
        },
      });
    }
    app.addHook('onRequest', async (request) => {
      await request.jwtVerify();
    });
    app.get('/protected', async (request) => ({ sub: request.user?.sub ?? null }));
  } else if (impl === 'floor') {
    app.get('/protected', async () => ({ sub: null }));
  } else if (impl === 'noop') {
    app.decorateRequest('auth', null);
    app.addHook('onRequest', (request, _reply, done) => {
      request.auth = { sub: request.headers.authorization?.slice(7, 10) ?? null };
      done();
    });
    app.get('/protected', async (request) => ({ sub: request.auth?.sub ?? null }));
  } else {
    const { fastifyAuth } = await import('tessera-jwt/fastify');
    await app.register(fastifyAuth(await tesseraOptions()));
    app.get('/protected', async (request) => ({ sub: request.auth?.sub ?? null }));
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server.address().port;
}

async function hono() {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  const handler = (c) => c.json({ sub: c.get('jwtPayload')?.sub ?? c.get('auth')?.sub ?? null });
  if (impl === 'floor') app.get('/protected', handler);
  else if (impl === 'noop') {
    app.use('/protected', async (c, next) => {
      c.set('auth', { sub: c.req.header('authorization')?.slice(7, 10) ?? null });
      await next();
    });
    app.get('/protected', handler);
  } else if (impl === 'peer') {
    const verification = { iss: issuer, aud: audience };
    if (hs) {
      // hono docs: app.use('/auth/*', jwt({ secret, alg: 'HS256' })); hono's secret is a string.
      const { jwt } = await import('hono/jwt');
      app.use('/protected', jwt({ secret, alg, verification }));
    } else {
      // hono docs: jwk({ jwks_uri, alg: [...] }).
      const { jwk } = await import('hono/jwk');
      app.use('/protected', jwk({ jwks_uri: jwksUrl, alg: [alg], verification }));
    }
    app.get('/protected', handler);
  } else {
    const { honoAuth } = await import('tessera-jwt/hono');
    app.use('/protected', honoAuth(await tesseraOptions()));
    app.get('/protected', handler);
  }
  return new Promise((resolve) => {
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
}

const port = await { express, fastify, hono }[framework]();
process.stdout.write(`ready ${port}\n`);
