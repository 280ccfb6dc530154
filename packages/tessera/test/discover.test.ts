// discover() against real node:http servers on 127.0.0.1: OpenID Connect Discovery, the RFC 8414
// fallback, the exact issuer check, and the HTTP safeguards it shares with createRemoteJWKSet.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from './helpers/keygen.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { listen } from './helpers/http.js';
import { createRemoteJWKSet, discover, JWKSClientError, JWKSTimeoutError, signJWT, verifyJWT } from 'tessera-jwt';

interface TestServer {
  readonly origin: string;
  /** The paths requested so far, in order. */
  readonly paths: string[];
  /** Answers by path; anything else is a 404. */
  routes: Record<string, (res: ServerResponse) => void>;
  close(): Promise<void>;
}

async function startServer(routes: TestServer['routes'] = {}): Promise<TestServer> {
  const state = { paths: [] as string[], routes } as TestServer;
  const { origin, close } = await listen((req: IncomingMessage, res: ServerResponse) => {
    state.paths.push(req.url ?? '');
    const route = state.routes[req.url ?? ''];
    if (route) return route(res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not here');
  });
  return Object.assign(state, { origin, close });
}

const json =
  (body: unknown) =>
  (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

const metadataFor = (issuer: string, extra: Record<string, unknown> = {}) => ({
  issuer,
  jwks_uri: `${issuer}/jwks`,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  id_token_signing_alg_values_supported: ['ES256'],
  ...extra,
});
const isClientError = (pattern: RegExp) => (err: unknown) =>
  err instanceof JWKSClientError && pattern.test(err.message);

describe('discovery', () => {
  test('fetches /.well-known/openid-configuration and returns the metadata', async () => {
    const server = await startServer();
    server.routes['/.well-known/openid-configuration'] = json(metadataFor(server.origin));
    const metadata = await discover(server.origin, { allowHttp: true });
    assert.equal(metadata.issuer, server.origin);
    assert.equal(metadata.jwks_uri, `${server.origin}/jwks`);
    assert.deepEqual(metadata.id_token_signing_alg_values_supported, ['ES256']);
    assert.deepEqual(server.paths, ['/.well-known/openid-configuration']);
  });

  test('appends the OpenID Connect well-known path to an issuer with a path', async () => {
    const server = await startServer();
    const issuer = `${server.origin}/tenants/acme`;
    server.routes['/tenants/acme/.well-known/openid-configuration'] = json(metadataFor(issuer));
    assert.equal((await discover(issuer, { allowHttp: true })).issuer, issuer);
  });

  test('an issuer with a trailing slash is matched exactly and its slash is not doubled', async () => {
    const server = await startServer();
    const issuer = `${server.origin}/tenants/acme/`;
    server.routes['/tenants/acme/.well-known/openid-configuration'] = json(metadataFor(issuer));
    assert.equal((await discover(issuer, { allowHttp: true })).issuer, issuer);
  });

  test('falls back to RFC 8414, inserting the well-known path before the issuer path', async () => {
    const server = await startServer();
    const issuer = `${server.origin}/tenants/acme`;
    server.routes['/.well-known/oauth-authorization-server/tenants/acme'] = json(metadataFor(issuer));
    assert.equal((await discover(issuer, { allowHttp: true })).issuer, issuer);
    assert.deepEqual(server.paths, [
      '/tenants/acme/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server/tenants/acme',
    ]);
  });

  test('does not fall back when the first endpoint fails with a server error', async () => {
    const server = await startServer();
    server.routes['/.well-known/openid-configuration'] = (res) => {
      res.writeHead(500);
      res.end('stack trace');
    };
    await assert.rejects(
      discover(server.origin, { allowHttp: true }),
      (err: unknown) => isClientError(/HTTP 500/)(err) && !/stack trace/.test((err as Error).message),
    );
    assert.equal(server.paths.length, 1);
  });

  test('when neither endpoint exists the error names the RFC 8414 URL and the status', async () => {
    const server = await startServer();
    await assert.rejects(
      discover(server.origin, { allowHttp: true }),
      isClientError(/oauth-authorization-server failed: HTTP 404/),
    );
  });

  test('returns members it does not know as they are', async () => {
    const server = await startServer();
    server.routes['/.well-known/openid-configuration'] = json(metadataFor(server.origin, { 'x-custom': { a: 1 } }));
    assert.deepEqual((await discover(server.origin, { allowHttp: true }))['x-custom'], { a: 1 });
  });
});

describe('the issuer check', () => {
  test('metadata for another issuer is refused as a mix-up', async () => {
    const server = await startServer();
    server.routes['/.well-known/openid-configuration'] = json(metadataFor('https://evil.example'));
    await assert.rejects(discover(server.origin, { allowHttp: true }), isClientError(/"issuer" is not .* mix-up/));
  });

  test('an issuer that differs only by a trailing slash is refused with a hint', async () => {
    const server = await startServer();
    server.routes['/.well-known/openid-configuration'] = json(metadataFor(`${server.origin}/`));
    await assert.rejects(discover(server.origin, { allowHttp: true }), isClientError(/trailing slash/));
  });

  test('metadata without an issuer is refused', async () => {
    const server = await startServer();
    server.routes['/.well-known/openid-configuration'] = json({ jwks_uri: `${server.origin}/jwks` });
    await assert.rejects(discover(server.origin, { allowHttp: true }), isClientError(/no "issuer"/));
  });

  test('metadata members of the wrong type are refused', async () => {
    const server = await startServer();
    server.routes['/.well-known/openid-configuration'] = json(metadataFor(server.origin, { jwks_uri: 42 }));
    await assert.rejects(discover(server.origin, { allowHttp: true }), isClientError(/"jwks_uri" is not a string/));
    server.routes['/.well-known/openid-configuration'] = json(
      metadataFor(server.origin, { scopes_supported: 'openid' }),
    );
    await assert.rejects(
      discover(server.origin, { allowHttp: true }),
      isClientError(/"scopes_supported" is not an array of strings/),
    );
  });

  test('the boolean flags of OpenID Connect Discovery and RFC 9207 are accepted as booleans', async () => {
    const server = await startServer();
    const flags = {
      claims_parameter_supported: true,
      request_uri_parameter_supported: false,
      authorization_response_iss_parameter_supported: true,
      frontchannel_logout_supported: true,
    };
    server.routes['/.well-known/openid-configuration'] = json(metadataFor(server.origin, flags));
    const metadata = await discover(server.origin, { allowHttp: true });
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    assert.equal(metadata.request_uri_parameter_supported, false);
    server.routes['/.well-known/openid-configuration'] = json(
      metadataFor(server.origin, { claims_parameter_supported: 'yes' }),
    );
    await assert.rejects(
      discover(server.origin, { allowHttp: true }),
      isClientError(/"claims_parameter_supported" is not an array of strings/),
    );
  });
});

describe('HTTP safeguards', () => {
  test('a non-https issuer is a TypeError without allowHttp', async () => {
    await assert.rejects(
      discover('http://auth.example'),
      (err: unknown) => err instanceof TypeError && /allowHttp/.test(err.message),
    );
  });

  test('an unknown option is a TypeError naming the closest known one', async () => {
    await assert.rejects(
      discover('https://auth.example', { timout: '1s' } as never),
      (err: unknown) =>
        err instanceof TypeError && err.message === 'discover: unknown option "timout"; did you mean "timeout"?',
    );
    await assert.rejects(
      discover('https://auth.example', { cacheMaxAge: '1m' } as never),
      /discover: unknown option "cacheMaxAge"/,
    );
  });

  test('an issuer that is not a string, or has a query or fragment, is a TypeError', async () => {
    await assert.rejects(discover(new URL('https://auth.example') as unknown as string), /"issuer" must be a string/);
    await assert.rejects(discover('https://auth.example/?tenant=1'), /query or a fragment/);
    await assert.rejects(discover('https://auth.example/#x'), /query or a fragment/);
    await assert.rejects(discover('auth.example'), /"issuer" must be an absolute URL/);
  });

  test('a slow server times out with JWKSTimeoutError', async () => {
    const server = await startServer();
    server.routes['/.well-known/openid-configuration'] = () => {};
    await assert.rejects(discover(server.origin, { allowHttp: true, timeout: 0.1 }), JWKSTimeoutError);
  });

  test('a response larger than maxResponseBytes is refused', async () => {
    const server = await startServer();
    server.routes['/.well-known/openid-configuration'] = json(
      metadataFor(server.origin, { padding: 'x'.repeat(4096) }),
    );
    await assert.rejects(
      discover(server.origin, { allowHttp: true, maxResponseBytes: 1024 }),
      isClientError(/maxResponseBytes/),
    );
  });

  test('a redirect to another host is refused', async () => {
    const other = await startServer();
    const server = await startServer();
    other.routes['/.well-known/openid-configuration'] = json(metadataFor(server.origin));
    server.routes['/.well-known/openid-configuration'] = (res) => {
      res.writeHead(302, { location: `${other.origin}/.well-known/openid-configuration` });
      res.end();
    };
    await assert.rejects(discover(server.origin, { allowHttp: true }), isClientError(/refused/));
    assert.equal(other.paths.length, 0);
  });

  test("sends the caller's headers and uses the fetch option", async () => {
    const seen: Array<string | null> = [];
    const metadata = await discover('https://auth.example', {
      headers: { 'user-agent': 'tessera-test' },
      fetch: async (input, init) => {
        seen.push(input, new Headers(init.headers).get('user-agent'), new Headers(init.headers).get('accept'));
        return Response.json(metadataFor('https://auth.example'));
      },
    });
    assert.equal(metadata.token_endpoint, 'https://auth.example/token');
    assert.deepEqual(seen, [
      'https://auth.example/.well-known/openid-configuration',
      'tessera-test',
      'application/json',
    ]);
  });
});

describe('from discovery to verification', () => {
  test('createRemoteJWKSet accepts the metadata and verifies tokens end to end', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const server = await startServer();
    server.routes['/.well-known/openid-configuration'] = json(metadataFor(server.origin));
    server.routes['/jwks'] = json({
      keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' }],
    });
    const metadata = await discover(server.origin, { allowHttp: true });
    const jwks = createRemoteJWKSet(metadata, { allowHttp: true });
    const token = signJWT({ sub: 'user-1', iss: server.origin, aud: 'client-1' }, privateKey, {
      algorithm: 'ES256',
      kid: 'k1',
      expiresIn: '5m',
    });
    const claims = await verifyJWT(token, jwks, {
      algorithms: ['ES256'],
      issuer: metadata.issuer,
      audience: 'client-1',
    });
    assert.equal(claims.sub, 'user-1');
  });
});
