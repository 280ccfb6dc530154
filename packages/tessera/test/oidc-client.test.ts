// The relying-party client (tessera-jwt/oidc) against a hand-made provider on 127.0.0.1, for what a
// certified provider will not do: oversized and slow answers, odd credentials, a mix-up attempt, and
// error messages that must not carry secrets, codes or verifiers.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { generateKeyPair, JWKSet, signJWT } from 'tessera-jwt';
import { AuthorizationResponseError, createClient, OIDCEndpointError } from 'tessera-jwt/oidc';
import { listen } from './helpers/http.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const op = generateKeyPair('RS256', { kid: 'op-1' });
const SECRET = 'sécret:with/odd+chars&=%';

async function provider(token: Handler) {
  const state: { last?: { headers: IncomingMessage['headers']; body: string } } = {};
  const server = await listen((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/jwks') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(new JWKSet([op.publicKey]).toJSON()));
      }
      state.last = { headers: req.headers, body };
      token(req, res, body);
    });
  });
  const metadata = {
    issuer: server.origin,
    authorization_endpoint: `${server.origin}/authorize`,
    token_endpoint: `${server.origin}/token`,
    jwks_uri: `${server.origin}/jwks`,
    authorization_response_iss_parameter_supported: true,
  };
  return { ...server, metadata, state };
}

const json =
  (status: number, body: unknown): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

async function callbackWith(handler: Handler, options: Record<string, unknown> = {}) {
  const p = await provider(handler);
  const client = createClient(p.metadata, {
    clientId: 'client:1',
    clientSecret: SECRET,
    redirectUri: 'http://127.0.0.1/cb',
    allowHttp: true,
    ...options,
  });
  const { url: _url, ...tx } = client.authorizationUrl();
  const back = `http://127.0.0.1/cb?code=the-one-time-code&state=${tx.state}&iss=${encodeURIComponent(p.origin)}`;
  return { p, client, tx, run: () => client.callback(back, tx) };
}

describe('the code exchange', () => {
  test('client_secret_basic form-urlencodes the id and secret before Base64 (RFC 6749 §2.3.1)', async () => {
    const { p, tx, run } = await callbackWith((_req, res, body) => {
      const params = new URLSearchParams(body);
      const now = Math.floor(Date.now() / 1000);
      const idToken = signJWT(
        { iss: p.metadata.issuer, sub: 'u', aud: 'client:1', iat: now, exp: now + 60, nonce: tx.nonce },
        op.privateKey,
      );
      json(200, {
        access_token: 'at',
        token_type: 'Bearer',
        id_token: idToken,
        expires_in: 60,
        code: params.get('code'),
      })(_req, res, body);
    });
    const tokens = await run();
    assert.equal(tokens.claims?.sub, 'u');
    const header = String(p.state.last?.headers.authorization);
    const [id, secret] = Buffer.from(header.replace(/^Basic /, ''), 'base64')
      .toString('utf8')
      .split(':');
    assert.equal(decodeURIComponent((id ?? '').replace(/\+/g, ' ')), 'client:1');
    assert.equal(decodeURIComponent((secret ?? '').replace(/\+/g, ' ')), SECRET);
    assert.ok(!(id ?? '').includes(':'), 'the colon of the id is encoded');
    const sent = new URLSearchParams(p.state.last?.body);
    assert.equal(sent.get('code_verifier'), tx.codeVerifier);
    assert.equal(sent.get('grant_type'), 'authorization_code');
    assert.equal(sent.get('client_secret'), null, 'the secret is not in the body too');
  });

  test('an OAuth error of the token endpoint is an OIDCEndpointError without the code, verifier or secret', async () => {
    const { tx, run } = await callbackWith(
      json(400, { error: 'invalid_grant', error_description: 'code already used' }),
    );
    await assert.rejects(run(), (err: unknown) => {
      assert.ok(err instanceof OIDCEndpointError);
      assert.equal(err.status, 400);
      assert.equal(err.error, 'invalid_grant');
      assert.equal(err.errorDescription, 'code already used');
      for (const secret of ['the-one-time-code', tx.codeVerifier, SECRET]) assert.ok(!err.message.includes(secret));
      return true;
    });
  });

  test('a response over maxResponseBytes is refused while reading', async () => {
    const { run } = await callbackWith(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'x'.repeat(5000), token_type: 'Bearer' }));
      },
      { maxResponseBytes: 1000 },
    );
    await assert.rejects(
      run(),
      (err: unknown) => err instanceof OIDCEndpointError && /maxResponseBytes/.test(err.message),
    );
  });

  test('a token endpoint slower than the timeout is abandoned', async () => {
    const { run } = await callbackWith(() => {}, { timeout: 0.3 });
    const started = Date.now();
    await assert.rejects(run(), (err: unknown) => err instanceof OIDCEndpointError && /timed out/.test(err.message));
    assert.ok(Date.now() - started < 3000);
  });

  test('JSON nested deeper than maxJSONDepth is refused', async () => {
    const { run } = await callbackWith(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"access_token":"a","token_type":"Bearer","x":${'['.repeat(50)}${']'.repeat(50)}}`);
      },
      { maxJSONDepth: 10 },
    );
    await assert.rejects(run(), OIDCEndpointError);
  });

  test('an id_token signed by the right key for another client is refused (aud)', async () => {
    const { p, tx, run } = await callbackWith((req, res, body) => {
      const now = Math.floor(Date.now() / 1000);
      const idToken = signJWT(
        { iss: p.metadata.issuer, sub: 'u', aud: 'other', iat: now, exp: now + 60, nonce: tx.nonce },
        op.privateKey,
      );
      json(200, { access_token: 'at', token_type: 'Bearer', id_token: idToken })(req, res, body);
    });
    await assert.rejects(run(), { code: 'ERR_JWT_AUDIENCE_INVALID' });
  });
});

describe('the authorization response', () => {
  test('an authorization response from another issuer (mix-up) is refused before any exchange', async () => {
    let exchanged = false;
    const { client, tx } = await callbackWith(() => {
      exchanged = true;
    });
    const back = `http://127.0.0.1/cb?code=c&state=${tx.state}&iss=${encodeURIComponent('https://attacker.example')}`;
    await assert.rejects(
      client.callback(back, tx),
      (err: unknown) => err instanceof AuthorizationResponseError && err.reason === 'issuer_mismatch',
    );
    assert.equal(exchanged, false);
  });
  test('https is required without allowHttp, and unknown options are TypeErrors', async () => {
    const p = await provider(json(500, {}));
    assert.throws(() => createClient(p.metadata, { clientId: 'c', redirectUri: 'https://app/cb' }), /allowHttp/);
    assert.throws(
      () =>
        createClient(p.metadata, {
          clientId: 'c',
          redirectUri: 'https://app/cb',
          allowHttp: true,
          clientSecert: 'x',
        } as never),
      TypeError,
    );
    assert.throws(
      () =>
        createClient(p.metadata, {
          clientId: 'c',
          redirectUri: 'https://app/cb',
          allowHttp: true,
          tokenEndpointAuthMethod: 'client_secret_post',
        }),
      /clientSecret/,
    );
  });
});
