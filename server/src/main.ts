// `npm start`: reads the configuration, opens the data directory, the user file and the token store,
// starts the token service and serves it on node:http. SIGTERM/SIGINT stop it gracefully: no new
// connections, in-flight requests finish (up to TESSERA_SHUTDOWN_TIMEOUT), the store is closed, exit 0.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createClientRegistry } from 'tessera-jwt/provider';
import { createTokenService, toNodeHandler } from 'tessera-jwt/server';
import { allowedMethods, createApp } from './app.js';
import { refuseOversized } from './body-limit.js';
import { ConfigError, DEFAULT_DEMO_PASSWORD, isLoopback, loadConfig, type Config } from './config.js';
import { readClientsFile, seedClients } from './clients.js';
import { checkSigningKeys } from './keys-check.js';
import { createLogger, errorFields, type Logger } from './logger.js';
import { loadSecrets } from './secrets.js';
import { openStore, type OpenedStore } from './store.js';
import { openUserStore } from './users.js';

const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

// Methods a fetch Request cannot carry never reach the app: answered here, 405 with the path's Allow
// (404 for paths this server does not serve), with the same access-log line as any other request.
const UNREPRESENTABLE_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

function answerUnsupportedMethod(req: IncomingMessage, res: ServerResponse, log: Logger): boolean {
  const method = (req.method ?? '').toUpperCase();
  if (!UNREPRESENTABLE_METHODS.has(method)) return false;
  const path = (req.url ?? '/').split('?')[0]!.slice(0, 200);
  const allow = allowedMethods(path);
  const status = allow === undefined ? 404 : 405;
  const body = JSON.stringify(
    allow === undefined
      ? { error: 'not_found', error_description: 'No such endpoint' }
      : { error: 'invalid_request', error_description: `Use ${allow.replace(', ', ' or ')}` },
  );
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(allow === undefined ? {} : { allow }),
  });
  res.end(body);
  log.info('request', { requestId: randomUUID(), method: method.slice(0, 16), path, status, durationMs: 0 });
  return true;
}

async function start(config: Config, log: Logger): Promise<void> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const secrets = await loadSecrets(config, log);
  const users = await openUserStore(join(config.dataDir, 'users.json'), config.demoPassword, log);
  const opened: OpenedStore = await openStore(config.store);
  log.info('store open', opened.description);
  const signingKeys = await checkSigningKeys(opened.store, secrets.keyEncryptionKey).catch(async (err: unknown) => {
    await opened.close();
    throw err;
  });

  // Listen first (port 0 means "any free port"), then build the service: the default issuer is the
  // address actually bound. Until the app is ready every request gets a 503.
  let app: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let stopping = false;
  const server = createServer((req, res) => {
    // A request on a kept-alive connection during shutdown is served, then the connection closes.
    if (stopping) res.setHeader('connection', 'close');
    if (!app)
      return void res
        .writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
        .end('{"error":"temporarily_unavailable","error_description":"The server is starting"}');
    // A Host header that is not a host would make the request URL unparsable: refuse it here.
    if (!HOST_HEADER.test(req.headers.host ?? '')) {
      log.info('request', { method: req.method?.slice(0, 16), path: 'invalid-host', status: 400 });
      return void res
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"error":"invalid_request","error_description":"Missing or malformed Host header"}');
    }
    if (
      refuseOversized(req, res, (path) =>
        log.info('request', { method: req.method?.slice(0, 16), path: path.slice(0, 200), status: 413 }),
      )
    )
      return;
    if (answerUnsupportedMethod(req, res, log)) return;
    app(req, res);
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuer = config.issuer ?? `http://${urlHost(config.host)}:${port}`;
  const audience = config.audience ?? issuer;
  // Keys are published ahead of signing by more than any verifier caches the JWKS (RFC 7517 rotation).
  const publishAhead = Math.min(86_400, Math.floor(config.keyRotation / 4));
  const service = createTokenService({
    issuer,
    audience,
    store: opened.store,
    keys: {
      encryptionKey: secrets.keyEncryptionKey,
      algorithm: config.keyAlgorithm,
      rotationInterval: config.keyRotation,
      publishAhead,
    },
    accessTokenTTL: config.accessTTL,
    refreshTokenTTL: config.refreshTTL,
    refreshTokenAbsoluteTTL: config.refreshAbsoluteTTL,
    refreshGracePeriod: config.refreshGrace,
  });
  // Creates the first key now (or catches up after downtime longer than a rotation) rather than
  // lazily inside the first login: the library's lazy path can miss the key it just created.
  await service.maintainKeys();
  if (signingKeys === 0)
    log.info('generated the first signing key', { algorithm: config.keyAlgorithm, rotation: config.keyRotation });
  // The registry: the clients file (created or replaced at every start), the resource server that
  // introspects (client_secret_basic with the introspection secret, no grant), and what /register added.
  const clients = createClientRegistry({ store: opened.store });
  const configured = await readClientsFile(config.clientsFile);
  const removed = await seedClients(clients, opened.store, [
    ...configured,
    {
      client_id: config.introspectionClientId,
      client_name: 'Resource server (introspection only)',
      client_secret: secrets.introspectionSecret,
      grant_types: [],
    },
  ]);
  if (removed.length > 0) log.info('deleted clients no longer in the clients file', { clients: removed.join(',') });
  for (const id of config.clientIds) {
    if (!(await clients.find(id)))
      throw new Error(
        `TESSERA_CLIENT_IDS names "${id}", which is not a client of ${config.clientsFile}: add it there (token_endpoint_auth_method "none")`,
      );
  }
  log.info('clients seeded', { file: config.clientsFile, count: configured.length });
  const handle = await createApp({
    service,
    store: opened,
    users,
    audience,
    algorithm: config.keyAlgorithm,
    clientIds: config.clientIds,
    introspectionSecret: secrets.introspectionSecret,
    introspectionClientId: config.introspectionClientId,
    log,
    clients,
    registration: config.registration,
    registrationToken: config.registrationToken,
    devPasswordGrant: config.devPasswordGrant,
  });
  app = toNodeHandler(handle);

  // Rotation on schedule (the service also rotates lazily on use), and clean-up of expired records.
  const maintenance = setInterval(
    () => {
      service.maintainKeys().catch((err: unknown) => log.error('key maintenance failed', errorFields(err)));
    },
    Math.min(3_600, Math.max(1, config.keyRotation / 8)) * 1000,
  );
  const sweeping = setInterval(() => {
    opened.sweep(Date.now() / 1000).then(
      (removed) => removed > 0 && log.info('swept expired records', { removed }),
      (err: unknown) => log.error('sweep failed', errorFields(err)),
    );
  }, 3_600_000);
  maintenance.unref();
  sweeping.unref();

  const url = `http://${urlHost(config.host)}:${port}`;
  log.info('listening', { url, issuer, debugger: `${url}/`, store: opened.description.kind, pid: process.pid });
  if (config.devPasswordGrant)
    log.warn(
      'DEVELOPMENT password grant is on (POST /token grant_type=password, POST /login): for the demo only; TESSERA_DEV_PASSWORD_GRANT=off turns it off',
      { clients: config.clientIds.join(',') },
    );
  if (config.registration !== 'off')
    log.info(`dynamic client registration is ${config.registration}`, {
      endpoint: `${issuer.replace(/\/+$/, '')}/register`,
    });
  if (config.demoPassword === DEFAULT_DEMO_PASSWORD)
    log.info(
      "demo login: username 'demo', password 'demo-password' (the documented default; set TESSERA_DEMO_PASSWORD before the first start to choose another)",
    );
  if (!isLoopback(config.host)) {
    log.warn(
      'listening beyond this machine: serve it behind TLS with an https TESSERA_ISSUER, and replace the demo user store',
      { host: config.host },
    );
  }

  const stop = (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutting down: finishing in-flight requests', { signal });
    clearInterval(maintenance);
    clearInterval(sweeping);
    const force = setTimeout(() => {
      log.warn('shutdown timeout: closing the remaining connections', { timeoutSeconds: config.shutdownTimeout });
      server.closeAllConnections();
    }, config.shutdownTimeout * 1000);
    force.unref();
    // close() stops accepting and closes idle keep-alive connections; a busy one becomes idle once its
    // response is sent, and is closed by the next sweep.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearTimeout(force);
      clearInterval(idle);
      opened.close().then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          log.error('closing the store failed', errorFields(err));
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const log0 = createLogger('info');
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`tessera-server: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
const log = config.logLevel === 'info' ? log0 : createLogger(config.logLevel);
start(config, log).catch((err: unknown) => {
  log.error('failed to start', errorFields(err));
  process.stderr.write(`tessera-server: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
