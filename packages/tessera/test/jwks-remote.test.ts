// createRemoteJWKSet against real node:http servers on 127.0.0.1: caching, cooldown, single flight,
// outages, timeouts, size limits, redirects, warm starts and key rotation, counted in requests.
import assert from 'node:assert/strict';
import { type KeyObject, randomUUID } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CachedJWKS,
  createRemoteJWKSet,
  createVerifier,
  InvalidAlgorithmError,
  JWKSClientError,
  JWKSConnectionError,
  JWKSTimeoutError,
  NoMatchingKeyError,
  signJWS,
  signJWT,
  verifyJWS,
  verifyJWT,
} from 'tessera-jwt';
import { listen } from './helpers/http.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The JWKS URL (`${origin}/jwks`). */
  readonly url: string;
  /** Requests received so far. */
  requests: number;
  /** The request headers of the latest request. */
  lastHeaders: IncomingMessage['headers'];
  /** What the server does; tests swap it to fail, slow down or rotate keys. */
  handler: Handler;
  close(): Promise<void>;
}

async function startServer(handler: Handler): Promise<TestServer> {
  const state = { requests: 0, lastHeaders: {}, handler } as TestServer;
  const { origin, close } = await listen((req, res) => {
    state.requests++;
    state.lastHeaders = req.headers;
    state.handler(req, res);
  });
  return Object.assign(state, { origin, url: `${origin}/jwks`, close });
}

function json(body: unknown, headers: Record<string, string> = {}): Handler {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(text);
  };
}

const status =
  (code: number, body = 'upstream exploded: secret-diagnostics'): Handler =>
  (_req, res) => {
    res.writeHead(code, { 'content-type': 'text/plain' });
    res.end(body);
  };

interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

function makeKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' } };
}

const keyA = makeKey('key-a');
const keyB = makeKey('key-b');
const jwksOf = (...keys: SigningKey[]) => ({ keys: keys.map((k) => k.jwk) });
const tokenFor = (key: SigningKey, kid = key.kid, header: Record<string, unknown> = {}) =>
  signJWT({ sub: 'user-1' }, key.privateKey, { algorithm: 'ES256', kid, expiresIn: '5m', header });
const verify = (token: string, jwks: ReturnType<typeof createRemoteJWKSet>) =>
  verifyJWT(token, jwks, { algorithms: ['ES256'] });
const isClientError = (pattern: RegExp) => (err: unknown) =>
  err instanceof JWKSClientError && pattern.test(err.message);
const withoutBody = (err: unknown) => !(err as Error).message.includes('secret-diagnostics');

describe('fetching and caching', () => {
  test('verifies tokens signed by a published key with one request for many verifications', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    for (let i = 0; i < 5; i++) assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1');
    assert.equal(server.requests, 1);
  });

  test('100 concurrent verifications on a cold cache share exactly one request', async () => {
    const server = await startServer((req, res) => setTimeout(() => json(jwksOf(keyA))(req, res), 100));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    const token = tokenFor(keyA);
    const results = await Promise.all(Array.from({ length: 100 }, () => verify(token, jwks)));
    assert.equal(results.length, 100);
    assert.equal(server.requests, 1);
  });

  test("sends an Accept header for JWK Sets and the caller's headers", async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, {
      allowHttp: true,
      headers: { 'user-agent': 'tessera-test', 'x-api-key': 'k1' },
    });
    await jwks.refresh();
    assert.match(String(server.lastHeaders.accept), /application\/jwk-set\+json/);
    assert.equal(server.lastHeaders['user-agent'], 'tessera-test');
    assert.equal(server.lastHeaders['x-api-key'], 'k1');
  });

  test('refetches once the set is no longer fresh', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cacheMaxAge: 0.15 });
    await verify(tokenFor(keyA), jwks);
    await sleep(200);
    await verify(tokenFor(keyA), jwks);
    assert.equal(server.requests, 2);
  });

  test('honours Cache-Control max-age from the server over cacheMaxAge', async () => {
    const server = await startServer(json(jwksOf(keyA), { 'cache-control': 'public, max-age=1' }));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cacheMaxAge: 0.1 });
    await verify(tokenFor(keyA), jwks);
    await sleep(300);
    await verify(tokenFor(keyA), jwks);
    assert.equal(server.requests, 1, 'still fresh per max-age=1 although cacheMaxAge is 0.1s');
    await sleep(800);
    await verify(tokenFor(keyA), jwks);
    assert.equal(server.requests, 2);
  });

  test('keeps a server max-age within 30 seconds and 24 hours, minus the Age header', async () => {
    const lifetime = async (headers: Record<string, string>) => {
      const server = await startServer(json(jwksOf(keyA), headers));
      const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
      await jwks.refresh();
      const { fetchedAt, expiresAt } = jwks.export()!;
      return Math.round(expiresAt - fetchedAt);
    };
    assert.equal(await lifetime({}), 600, 'no header: cacheMaxAge (default 10 minutes)');
    assert.equal(await lifetime({ 'cache-control': 'max-age=120' }), 120);
    assert.equal(await lifetime({ 'cache-control': 'max-age=600', age: '500' }), 100);
    assert.equal(await lifetime({ 'cache-control': 'max-age=5' }), 30);
    assert.equal(await lifetime({ 'cache-control': 'no-store' }), 30);
    assert.equal(await lifetime({ 'cache-control': 'no-cache, max-age=3600' }), 30);
    assert.equal(await lifetime({ 'cache-control': 'max-age=31536000' }), 86400);
    assert.equal(await lifetime({ 'cache-control': 'public' }), 600);
  });
});

describe('unknown kids and the cooldown', () => {
  test('an unknown kid right after a fetch makes no request and fails with NoMatchingKeyError', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    await verify(tokenFor(keyA), jwks);
    await assert.rejects(verify(tokenFor(keyA, 'unknown'), jwks), NoMatchingKeyError);
    assert.equal(server.requests, 1);
  });

  test('a kid naming only an encryption key is a NoMatchingKeyError that says so', async () => {
    const encOnly = { ...keyB.jwk, use: undefined, alg: undefined, key_ops: ['encrypt'] };
    const server = await startServer(json({ keys: [keyA.jwk, encOnly] }));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    await assert.rejects(
      verify(tokenFor(keyB), jwks),
      (err: unknown) =>
        err instanceof NoMatchingKeyError &&
        /may not verify ES256: its "key_ops" do not include "verify"/.test(err.message),
    );
    assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1');
  });

  test('a flood of 1000 random kids costs exactly one request per cooldown (default 30 seconds)', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    // Warm from a set fetched a minute ago: still fresh, but past the cooldown, so one refetch is allowed.
    const now = Date.now() / 1000;
    const cache: CachedJWKS = {
      url: server.url,
      jwks: jwksOf(keyA) as CachedJWKS['jwks'],
      fetchedAt: now - 60,
      expiresAt: now + 540,
    };
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cache });
    await verify(tokenFor(keyA), jwks);
    assert.equal(server.requests, 0);
    const tokens = Array.from({ length: 1000 }, () => tokenFor(keyA, randomUUID()));
    const outcomes = await Promise.allSettled(tokens.map((t) => verify(t, jwks)));
    assert.ok(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof NoMatchingKeyError));
    for (const t of tokens.slice(0, 100)) await assert.rejects(verify(t, jwks), NoMatchingKeyError);
    assert.equal(server.requests, 1);
  });

  test("a token whose jku, x5u or embedded jwk point at the attacker's key is never trusted", async () => {
    const attacker = makeKey('attacker');
    const evil = await startServer(json(jwksOf(attacker)));
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cooldown: 0 });
    const forged = tokenFor(attacker, 'attacker', { jku: evil.url, x5u: `${evil.origin}/cert.pem`, jwk: attacker.jwk });
    await assert.rejects(verify(forged, jwks), NoMatchingKeyError);
    assert.equal(evil.requests, 0);
    assert.equal(
      server.requests,
      2,
      'the initial fetch and one refetch for the unknown kid, both from the configured URL',
    );
  });
});

describe('outages', () => {
  test('known kids keep verifying within staleIfError while the endpoint fails', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cacheMaxAge: 0.1, cooldown: 0.1, staleIfError: 10 });
    await verify(tokenFor(keyA), jwks);
    server.handler = status(500);
    await sleep(150);
    assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1');
    assert.equal(server.requests, 2, 'one failed attempt');
  });

  test('during an outage an unknown kid fails with the fetch error, whose cause is the NoMatchingKeyError', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cooldown: 0.3 });
    await jwks.refresh();
    server.handler = status(503);
    await sleep(350);
    const outage = (err: unknown) => {
      assert.ok(err instanceof JWKSClientError, 'the fetch failure, not NoMatchingKeyError');
      assert.equal(err.code, 'ERR_JWKS_FETCH_FAILED');
      assert.match(err.message, /HTTP 503/);
      assert.match(err.message, /no key in the cached JWK Set matches the token/);
      assert.ok(err.cause instanceof NoMatchingKeyError);
      assert.ok(err.cause.cause instanceof JWKSClientError && /HTTP 503/.test(err.cause.cause.message));
      assert.ok(withoutBody(err));
      return true;
    };
    await assert.rejects(verify(tokenFor(keyB), jwks), outage);
    assert.equal(server.requests, 2, 'one refetch for the unknown kid');
    await assert.rejects(verify(tokenFor(keyB), jwks), outage, 'within the cooldown the last fetch error is reported');
    assert.equal(server.requests, 2);
    assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1', 'the known kid still verifies from the cache');
  });

  // Each way an endpoint fails, seen through a token whose kid is not cached: the error names the failure.
  const outages: Array<[string, (server: TestServer) => Promise<void> | void, string, RegExp]> = [
    ['HTTP 500', (s) => void (s.handler = status(500)), 'ERR_JWKS_FETCH_FAILED', /HTTP 500/],
    ['a timeout', (s) => void (s.handler = () => {}), 'ERR_JWKS_TIMEOUT', /timed out after 0.2 seconds/],
    [
      'an HTML body',
      (s) => void (s.handler = json('<html><body>secret-diagnostics</body></html>')),
      'ERR_JWKS_FETCH_FAILED',
      /not valid JSON/,
    ],
    [
      'a garbage body',
      (s) => void (s.handler = json('\u0000\ufffd}{secret-diagnostics')),
      'ERR_JWKS_FETCH_FAILED',
      /not valid JSON/,
    ],
    [
      '"keys" that is not an array',
      (s) => void (s.handler = json({ keys: { secret: 'secret-diagnostics' } })),
      'ERR_JWKS_FETCH_FAILED',
      /not a usable JWK Set/,
    ],
    [
      'a body over maxResponseBytes',
      (s) => void (s.handler = json({ keys: [keyA.jwk], padding: 'x'.repeat(5000) })),
      'ERR_JWKS_FETCH_FAILED',
      /larger than maxResponseBytes/,
    ],
    ['a closed port', (s) => s.close(), 'ERR_JWKS_CONNECTION_FAILED', /network error \(ECONNREFUSED\)/],
    [
      'a connection reset before the answer',
      (s) => void (s.handler = (req) => req.socket.destroy()),
      'ERR_JWKS_CONNECTION_FAILED',
      /network error/,
    ],
  ];
  for (const [what, fail, code, message] of outages) {
    test(`during an outage (${what}) an unknown kid reports ${code}; the known kid keeps verifying`, async () => {
      const server = await startServer(json(jwksOf(keyA)));
      const jwks = createRemoteJWKSet(server.url, {
        allowHttp: true,
        cacheMaxAge: 0.05,
        cooldown: 0.05,
        staleIfError: 60,
        timeout: 0.2,
        maxResponseBytes: 4096,
      });
      await jwks.refresh();
      await fail(server);
      await sleep(80);
      await assert.rejects(verify(tokenFor(keyB), jwks), (err: unknown) => {
        assert.ok(err instanceof JWKSClientError, `${String(err)}`);
        assert.equal(err.code, code);
        assert.match(err.message, message);
        assert.match(err.message, /no key in the cached JWK Set matches the token/);
        assert.ok(err.cause instanceof NoMatchingKeyError);
        assert.equal((err.cause.cause as JWKSClientError).code, code);
        assert.ok(withoutBody(err));
        return true;
      });
      assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1');
    });
  }

  test('retries during an outage are spaced by the cooldown, not made per request', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cacheMaxAge: 0.05, cooldown: 10 });
    await jwks.refresh();
    server.handler = status(500);
    await sleep(80);
    for (let i = 0; i < 50; i++) await verify(tokenFor(keyA), jwks);
    assert.equal(server.requests, 2);
  });

  test('after staleIfError the fetch error surfaces', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, {
      allowHttp: true,
      cacheMaxAge: 0.05,
      cooldown: 0.05,
      staleIfError: 0.1,
    });
    await jwks.refresh();
    server.handler = status(500);
    await sleep(200);
    await assert.rejects(
      verify(tokenFor(keyA), jwks),
      (err: unknown) => isClientError(/HTTP 500/)(err) && withoutBody(err),
    );
  });

  test('with no set at all a failing endpoint gives a JWKSClientError naming the HTTP status', async () => {
    const server = await startServer(status(500));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    await assert.rejects(
      verify(tokenFor(keyA), jwks),
      (err: unknown) => isClientError(/HTTP 500/)(err) && withoutBody(err),
    );
    await assert.rejects(jwks.refresh(), JWKSClientError, 'refresh() tries again at once');
    assert.equal(server.requests, 2);
  });

  test('a failed refresh rejects and leaves the cached set in place', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    await jwks.refresh();
    server.handler = json('{"keys": [');
    await assert.rejects(jwks.refresh(), isClientError(/not valid JSON/));
    assert.deepEqual(
      jwks.jwks()?.keys.map((k) => k.kid),
      ['key-a'],
    );
    assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1');
  });

  test('recovers when the server comes back', async () => {
    const server = await startServer(status(500));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cooldown: 0.3 });
    await assert.rejects(verify(tokenFor(keyA), jwks), JWKSClientError);
    server.handler = json(jwksOf(keyA));
    await assert.rejects(
      verify(tokenFor(keyA), jwks),
      JWKSClientError,
      'within the cooldown the last error is repeated',
    );
    await sleep(350);
    assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1');
    assert.equal(server.requests, 2);
  });

  test('a connection refused is a JWKSClientError saying so', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    await server.close();
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    await assert.rejects(jwks.refresh(), isClientError(/network error \(ECONNREFUSED\)/));
  });

  test('connection failures have their own code: refused, reset, reset mid-body, unresolvable host', async () => {
    const connectionError = (err: unknown) => {
      assert.ok(err instanceof JWKSConnectionError, String(err));
      assert.ok(err instanceof JWKSClientError);
      assert.equal(err.code, 'ERR_JWKS_CONNECTION_FAILED');
      return true;
    };
    const closed = await startServer(json(jwksOf(keyA)));
    await closed.close();
    await assert.rejects(createRemoteJWKSet(closed.url, { allowHttp: true }).refresh(), connectionError);
    const reset = await startServer((req) => req.socket.destroy());
    await assert.rejects(createRemoteJWKSet(reset.url, { allowHttp: true }).refresh(), connectionError);
    const midBody = await startServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[');
      setTimeout(() => req.socket.destroy(), 20);
    });
    await assert.rejects(
      createRemoteJWKSet(midBody.url, { allowHttp: true }).refresh(),
      (err: unknown) => connectionError(err) && /while reading/.test((err as Error).message),
    );
    // RFC 6761 §6.4: .invalid never resolves.
    await assert.rejects(
      createRemoteJWKSet('https://jwks.tessera-test.invalid/keys', { timeout: 10 }).refresh(),
      connectionError,
    );
  });

  test('a bad answer is not a connection failure', async () => {
    const server = await startServer(status(502));
    await assert.rejects(
      createRemoteJWKSet(server.url, { allowHttp: true }).refresh(),
      (err: unknown) => isClientError(/HTTP 502/)(err) && !(err instanceof JWKSConnectionError),
    );
  });
});

describe('timeouts and limits', () => {
  test('a slow server times out with JWKSTimeoutError', async () => {
    const server = await startServer(() => {}); // never answers
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, timeout: 0.1 });
    const started = Date.now();
    await assert.rejects(
      verify(tokenFor(keyA), jwks),
      (err: unknown) =>
        err instanceof JWKSTimeoutError &&
        err.code === 'ERR_JWKS_TIMEOUT' &&
        /timed out after 0.1 seconds/.test(err.message),
    );
    assert.ok(Date.now() - started < 1000);
  });

  test('the timeout covers a body that never finishes', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[');
    });
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, timeout: 0.1 });
    await assert.rejects(jwks.refresh(), JWKSTimeoutError);
  });

  test('the timeout holds even with a fetch implementation that ignores the signal', async () => {
    const jwks = createRemoteJWKSet('https://jwks.example/keys', {
      timeout: 0.05,
      fetch: () => new Promise<Response>(() => {}),
    });
    await assert.rejects(jwks.refresh(), JWKSTimeoutError);
  });

  test('a body larger than maxResponseBytes is refused from its Content-Length', async () => {
    const server = await startServer(json({ keys: [keyA.jwk], padding: 'x'.repeat(5000) }));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, maxResponseBytes: 1000 });
    await assert.rejects(jwks.refresh(), isClientError(/larger than maxResponseBytes \(1000 bytes\)/));
  });

  test('a streamed body is cut off once it passes maxResponseBytes', async () => {
    let written = 0;
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked, no Content-Length
      const chunk = 'x'.repeat(16 * 1024);
      const pump = () => {
        while (written < 64 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, maxResponseBytes: 64 * 1024 });
    await assert.rejects(jwks.refresh(), isClientError(/larger than maxResponseBytes/));
    assert.ok(written < 16 * 1024 * 1024, 'the client stopped reading');
  });

  test('the default maxResponseBytes is 1 MiB', async () => {
    const server = await startServer(json({ keys: [keyA.jwk], padding: 'x'.repeat(1024 * 1024) }));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    await assert.rejects(jwks.refresh(), isClientError(/1048576 bytes/));
  });

  test('an aborted signal aborts the fetch in progress', async () => {
    const server = await startServer(() => {});
    const controller = new AbortController();
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, signal: controller.signal });
    const pending = jwks.refresh();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(
      pending,
      (err: unknown) => isClientError(/was aborted/)(err) && !(err instanceof JWKSTimeoutError),
    );
  });
});

describe('response validation', () => {
  const cases: Array<[string, Handler, RegExp]> = [
    ['HTTP 404', status(404), /HTTP 404/],
    ['invalid JSON', json('<html>secret-diagnostics</html>'), /not valid JSON/],
    ['a JSON array', json('[1,2,3]'), /not a JSON object/],
    ['duplicate member names', json('{"keys":[],"keys":[]}'), /repeats a JSON member name/],
    ['an object without keys', json({ issuer: 'secret-diagnostics' }), /not a usable JWK Set/],
    [
      'a set with a private key',
      json({
        keys: [
          {
            ...(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as object),
            kid: 'p',
          },
        ],
      }),
      /not a usable JWK Set/,
    ],
  ];
  for (const [what, handler, message] of cases) {
    test(`${what} is a JWKSClientError that says so without quoting the body`, async () => {
      const server = await startServer(handler);
      const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
      await assert.rejects(
        jwks.refresh(),
        (err: unknown) => isClientError(message)(err) && withoutBody(err) && !/"d"|"kty"/.test((err as Error).message),
      );
      assert.equal(jwks.jwks(), undefined);
    });
  }
});

describe('redirects', () => {
  test('a same-host redirect is followed', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/jwks') {
        res.writeHead(301, { location: '/v2/jwks' });
        res.end();
      } else json(jwksOf(keyA))(req, res);
    });
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1');
    assert.equal(server.requests, 2);
  });

  test('a redirect to another host is refused and the other host is never asked', async () => {
    const attacker = makeKey('attacker');
    const other = await startServer(json(jwksOf(attacker)));
    const server = await startServer((_req, res) => {
      res.writeHead(302, { location: other.url });
      res.end();
    });
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    await assert.rejects(jwks.refresh(), isClientError(/redirect to another host or scheme .* was refused/));
    assert.equal(other.requests, 0);
  });

  test('a redirect loop stops after 3 hops', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(307, { location: '/jwks' });
      res.end();
    });
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    await assert.rejects(jwks.refresh(), isClientError(/more than 3 redirects/));
    assert.equal(server.requests, 4);
  });
});

describe('warm starts', () => {
  test('export() and the cache option round-trip through JSON with zero requests at start', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const first = createRemoteJWKSet(server.url, { allowHttp: true });
    assert.equal(first.export(), undefined);
    await first.refresh();
    const stored = JSON.parse(JSON.stringify(first.export())) as CachedJWKS;
    assert.equal(stored.url, server.url);
    assert.deepEqual(
      stored.jwks.keys.map((k) => k.kid),
      ['key-a'],
    );
    const warm = createRemoteJWKSet(server.url, { allowHttp: true, cache: stored });
    assert.equal((await verify(tokenFor(keyA), warm)).sub, 'user-1');
    assert.equal(server.requests, 1);
  });

  test('a cache exported for another URL is ignored', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const cache: CachedJWKS = {
      url: 'https://elsewhere.example/jwks',
      jwks: jwksOf(keyB) as CachedJWKS['jwks'],
      fetchedAt: Date.now() / 1000,
      expiresAt: Date.now() / 1000 + 600,
    };
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cache });
    await assert.rejects(verify(tokenFor(keyB), jwks), NoMatchingKeyError);
    assert.equal(server.requests, 1);
  });

  test('an expired warm cache still verifies known kids while the endpoint is down', async () => {
    const server = await startServer(status(500));
    const now = Date.now() / 1000;
    const cache: CachedJWKS = {
      url: server.url,
      jwks: jwksOf(keyA) as CachedJWKS['jwks'],
      fetchedAt: now - 700,
      expiresAt: now - 100,
    };
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cache });
    assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1');
    assert.equal(server.requests, 1);
  });

  test('a malformed cache option is a TypeError', () => {
    assert.throws(
      () => createRemoteJWKSet('https://jwks.example/keys', { cache: { url: 'x' } as unknown as CachedJWKS }),
      /"cache" option must be a value returned by export\(\)/,
    );
  });
});

describe('misuse', () => {
  test('a non-https URL is a TypeError without allowHttp', () => {
    assert.throws(
      () => createRemoteJWKSet('http://jwks.example/keys'),
      (err: unknown) => err instanceof TypeError && /https:/.test(err.message) && /allowHttp/.test(err.message),
    );
  });

  test('other URL mistakes are TypeErrors', () => {
    assert.throws(() => createRemoteJWKSet('/relative/jwks'), /"url" must be an absolute URL/);
    assert.throws(() => createRemoteJWKSet('ftp://jwks.example/keys'), /"url" must be an https: URL/);
    assert.throws(
      () => createRemoteJWKSet('https://user:pw@jwks.example/keys'),
      (err: unknown) => err instanceof TypeError && !/pw/.test(err.message),
    );
    assert.throws(() => createRemoteJWKSet({} as { jwks_uri: string }), /"jwks_uri"/);
  });

  test('options of the wrong type are TypeErrors that quote the option', () => {
    const url = 'https://jwks.example/keys';
    assert.throws(() => createRemoteJWKSet(url, { cacheMaxAge: '10 parsecs' }), /"cacheMaxAge"/);
    assert.throws(() => createRemoteJWKSet(url, { cacheMaxAge: 0 }), /"cacheMaxAge"/);
    assert.throws(() => createRemoteJWKSet(url, { cooldown: -1 }), /"cooldown"/);
    assert.throws(() => createRemoteJWKSet(url, { staleIfError: 'soon' }), /"staleIfError"/);
    assert.throws(() => createRemoteJWKSet(url, { timeout: 0 }), /"timeout"/);
    assert.throws(() => createRemoteJWKSet(url, { maxResponseBytes: 1.5 }), /"maxResponseBytes"/);
    assert.throws(() => createRemoteJWKSet(url, { allowHttp: 'yes' as unknown as boolean }), /"allowHttp"/);
    assert.throws(() => createRemoteJWKSet(url, { fetch: 'fetch' as unknown as typeof fetch }), /"fetch"/);
    assert.throws(() => createRemoteJWKSet(url, { signal: {} as AbortSignal }), /"signal"/);
  });

  test('an unknown option is a TypeError naming the closest known one, checked once at construction', () => {
    const url = 'https://jwks.example/keys';
    const cases: Array<[string, string]> = [
      ['cacheMaxage', 'cacheMaxAge'],
      ['coolDown', 'cooldown'],
      ['staleIfErrors', 'staleIfError'],
      ['timeOut', 'timeout'],
      ['allowHTTP', 'allowHttp'],
      ['maxResponseByte', 'maxResponseBytes'],
    ];
    for (const [given, meant] of cases) {
      assert.throws(
        () => createRemoteJWKSet(url, { [given]: 1 } as never),
        (err: unknown) =>
          err instanceof TypeError &&
          err.message === `createRemoteJWKSet: unknown option "${given}"; did you mean "${meant}"?`,
      );
    }
    // Every documented option is accepted.
    const jwks = createRemoteJWKSet(url, {
      cacheMaxAge: '10m',
      cooldown: '30s',
      timeout: '5s',
      staleIfError: '1h',
      maxResponseBytes: 1024,
      allowHttp: false,
      headers: {},
      fetch: globalThis.fetch,
      signal: new AbortController().signal,
      cache: undefined,
    });
    assert.equal(jwks.url, url);
  });
});

describe('integration', () => {
  test('accepts discovery metadata and uses its jwks_uri', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet({ jwks_uri: server.url }, { allowHttp: true });
    assert.equal(jwks.url, server.url);
    assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1');
  });

  test('uses the fetch option instead of globalThis.fetch', async () => {
    const seen: string[] = [];
    const jwks = createRemoteJWKSet('https://jwks.example/keys', {
      fetch: async (input, init) => {
        seen.push(`${init.method} ${input} redirect=${init.redirect}`);
        return new Response(JSON.stringify(jwksOf(keyA)), { headers: { 'content-type': 'application/json' } });
      },
    });
    assert.equal((await verify(tokenFor(keyA), jwks)).sub, 'user-1');
    assert.deepEqual(seen, ['GET https://jwks.example/keys redirect=manual']);
  });

  test('works as the key of createVerifier', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const verifier = createVerifier({
      key: createRemoteJWKSet(server.url, { allowHttp: true }),
      algorithms: ['ES256'],
    });
    assert.equal((await verifier(tokenFor(keyA))).sub, 'user-1');
  });

  test('without algorithms, a set whose keys all carry alg pins them: verifyJWT, createVerifier, verifyJWS', async () => {
    const server = await startServer(json(jwksOf(keyA, keyB)));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    assert.equal((await verifyJWT(tokenFor(keyA), jwks, {})).sub, 'user-1');
    assert.equal((await createVerifier({ key: jwks })(tokenFor(keyB))).sub, 'user-1');
    const jws = signJWS('hello', keyA.privateKey, { algorithm: 'ES256', kid: 'key-a' });
    assert.equal(Buffer.from((await verifyJWS(jws, jwks, {})).payload).toString(), 'hello');
    assert.equal(server.requests, 1);
  });

  test('without algorithms, HS256 is refused before any fetch and a key only verifies its own alg', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaJwk = { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa', alg: 'RS384' };
    const server = await startServer(json({ keys: [keyA.jwk, rsaJwk] }));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true });
    const hs = signJWT({ sub: 'x' }, 'a shared secret of at least 32 bytes!', { algorithm: 'HS256', kid: 'key-a' });
    await assert.rejects(verifyJWT(hs, jwks, {}), InvalidAlgorithmError);
    assert.equal(server.requests, 0);
    await verifyJWT(tokenFor(keyA), jwks, {});
    const rs256 = signJWT({ sub: 'x' }, rsa.privateKey, { algorithm: 'RS256', kid: 'rsa' });
    await assert.rejects(
      verifyJWT(rs256, jwks, {}),
      (err: unknown) => err instanceof NoMatchingKeyError && /bound to "alg" "RS384"/.test(err.message),
    );
    assert.equal(
      (await verifyJWT(signJWT({ sub: 'r' }, rsa.privateKey, { algorithm: 'RS384', kid: 'rsa' }), jwks, {})).sub,
      'r',
    );
  });

  test('without algorithms, a fetched key that may verify but names no alg is a TypeError asking for algorithms', async () => {
    const loose = { ...keyB.jwk, alg: undefined };
    const encryptionOnly = { ...makeKey('enc').jwk, alg: undefined, use: 'enc' };
    const server = await startServer(json({ keys: [keyA.jwk, encryptionOnly] }));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cooldown: 0 });
    assert.equal(
      (await verifyJWT(tokenFor(keyA), jwks, {})).sub,
      'user-1',
      'an encryption key without alg cannot verify anyway',
    );
    server.handler = json({ keys: [keyA.jwk, loose] });
    await jwks.refresh();
    for (const token of [tokenFor(keyA), tokenFor(keyB)]) {
      await assert.rejects(
        verifyJWT(token, jwks, {}),
        (err: unknown) => err instanceof TypeError && /"algorithms" option is required/.test(err.message),
      );
    }
    assert.equal(
      (await verifyJWT(tokenFor(keyB), jwks, { algorithms: ['ES256'] })).sub,
      'user-1',
      'with algorithms it works as before',
    );
  });

  test('key rotation end to end: B published beside A costs one refetch, A retired fails after refresh', async () => {
    const server = await startServer(json(jwksOf(keyA)));
    const jwks = createRemoteJWKSet(server.url, { allowHttp: true, cooldown: 0.3 });
    const tokenA = tokenFor(keyA);
    assert.equal((await verify(tokenA, jwks)).sub, 'user-1');
    assert.equal(server.requests, 1);

    server.handler = json(jwksOf(keyA, keyB));
    await sleep(350);
    const tokenB = tokenFor(keyB);
    assert.equal((await verify(tokenB, jwks)).sub, 'user-1', 'the unknown kid triggers one refetch');
    assert.equal((await verify(tokenA, jwks)).sub, 'user-1');
    assert.equal((await verify(tokenB, jwks)).sub, 'user-1');
    assert.equal(server.requests, 2);

    server.handler = json(jwksOf(keyB));
    await jwks.refresh();
    await assert.rejects(verify(tokenA, jwks), NoMatchingKeyError);
    assert.equal((await verify(tokenB, jwks)).sub, 'user-1');
    assert.equal(server.requests, 3);
  });
});
