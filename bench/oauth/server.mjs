// One token-endpoint server for bench:oauth, in its own process: `node server.mjs <config-json>`.
// Prints `ready {"port", "clientId", "clientSecret", "paths"}` once it listens on 127.0.0.1.
//
// - impl "oidc-provider": node-oidc-provider 9 on node:http (provider.callback()), its in-memory adapter
//   (the default), one static client (client_secret_basic), features.clientCredentials and
//   features.resourceIndicators (JWT access tokens for the API, signed with `alg`), rotateRefreshToken
//   on, issueRefreshToken for every grant of a client allowed refresh_token (Tessera issues one too).
// - impl "tessera": createProvider from tessera-jwt/provider on node:http (toNodeHandler), the token
//   service signing with `alg`, on the chosen store; the client registered (generated secret, stored
//   SHA-256-hashed) or, with `seeded`, configured through clients.seed() (secret stored scrypt-hashed).
//
// Both get an application interaction route, /interaction, that signs the user in and approves the
// request at once (no UI), so the bench can pre-issue authorization codes and refresh tokens over HTTP.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';

const cfg = JSON.parse(process.argv[2]);
const { impl, alg, audience, redirectUri, scope } = cfg;
const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'];

// A normal exit on a signal: the SQLite directory is removed and a --cpu-prof profile written.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
const origin = `http://127.0.0.1:${port}`;

async function oidcProvider() {
  const { default: Provider } = await import('oidc-provider');
  const jwk = (type, options) => crypto.generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' });
  const clientId = 'bench-client';
  const clientSecret = crypto.randomBytes(32).toString('base64url');
  const provider = new Provider(origin, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        grant_types: GRANTS,
        response_types: ['code'],
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: alg,
      },
    ],
    jwks: { keys: [jwk('rsa', { modulusLength: 2048 }), jwk('ec', { namedCurve: 'P-256' })] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope,
          audience,
          accessTokenTTL: 900,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg } },
        }),
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url.startsWith('/interaction/')) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      const sub = details.session?.accountId ?? `user-${crypto.randomBytes(6).toString('hex')}`;
      const grant = new provider.Grant({ accountId: sub, clientId: details.params.client_id });
      grant.addResourceScope(audience, details.params.scope);
      const oidcScopes = details.prompt.details.missingOIDCScope;
      if (oidcScopes) grant.addOIDCScope(oidcScopes.join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: sub }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (err) {
      res.writeHead(500).end(String(err?.message));
    }
  });
  return { clientId, clientSecret, paths: { authorize: '/auth', token: '/token' } };
}

async function tesseraStore() {
  const tessera = await import('tessera-jwt/server');
  if (cfg.store === 'memory') return tessera.createMemoryStore();
  if (cfg.store === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const { createSQLiteStore } = await import('tessera-jwt/stores/sqlite');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-oauth-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return createSQLiteStore(new Database(path.join(dir, 'tokens.db')));
  }
  if (cfg.store === 'redis') {
    const { Redis } = await import('ioredis');
    const { createRedisStore } = await import('tessera-jwt/stores/redis');
    return createRedisStore(new Redis(cfg.storeUrl), { keyPrefix: `bench-${process.pid}-${Date.now()}:` });
  }
  if (cfg.store === 'postgres') {
    const { default: pg } = await import('pg');
    const { createPostgresStore } = await import('tessera-jwt/stores/postgres');
    const pool = new pg.Pool({ connectionString: cfg.storeUrl, max: 16 });
    return createPostgresStore(pool, { schema: `bench_${process.pid}_${Date.now()}` });
  }
  throw new Error(`unknown store ${cfg.store}`);
}

async function tessera() {
  const { createTokenService, toNodeHandler } = await import('tessera-jwt/server');
  const { createClientRegistry, createProvider } = await import('tessera-jwt/provider');
  const store = await tesseraStore();
  const service = createTokenService({
    issuer: origin,
    audience,
    store,
    keys: {
      encryptionKey: crypto.randomBytes(32),
      algorithm: alg,
      ...(cfg.signOffThread !== undefined ? { signOffThread: cfg.signOffThread } : {}),
    },
  });
  const clients = createClientRegistry({ store });
  const metadata = {
    grant_types: GRANTS,
    response_types: ['code'],
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'client_secret_basic',
    scope,
  };
  let clientId;
  let clientSecret;
  if (cfg.seeded) {
    clientId = 'bench-client';
    clientSecret = crypto.randomBytes(32).toString('base64url');
    await clients.seed([{ ...metadata, client_id: clientId, client_secret: clientSecret }]);
  } else {
    const registered = await clients.register(metadata);
    clientId = registered.client.client_id;
    clientSecret = registered.client_secret;
  }
  const provider = createProvider({
    service,
    store,
    clients,
    interactionUrl: '/interaction',
    scopes: scope.split(' '),
  });
  // Mounted as the README shows: the provider's handler on its own (its token endpoint then answers from
  // node's request without building a fetch Request), the application's interaction route beside it.
  const providerHandler = toNodeHandler(provider.handle);
  const interaction = toNodeHandler(async (request) => {
    // Login, then consent: each finishInteraction redirects to the next prompt or to the client.
    const details = await provider.interactionDetails(request);
    if (!details) return new Response('gone', { status: 404 });
    const sub = `user-${crypto.randomBytes(6).toString('hex')}`;
    const result = details.prompt === 'login' ? { login: { sub, amr: ['pwd'] } } : { consent: {} };
    return provider.finishInteraction(request, result);
  });
  server.on('request', (req, res) =>
    (req.url === '/interaction' || req.url.startsWith('/interaction?') ? interaction : providerHandler)(req, res),
  );
  return { clientId, clientSecret, paths: { authorize: '/authorize', token: '/token' } };
}

const setup = impl === 'oidc-provider' ? await oidcProvider() : await tessera();
process.stdout.write(`ready ${JSON.stringify({ port, ...setup })}\n`);
