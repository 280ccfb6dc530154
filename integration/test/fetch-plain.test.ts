// The fetch adapter without any framework or server: plain Request objects in, Responses out.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { ExpiredSignatureError, type JWTPayload, RevokedTokenError } from 'tessera-jwt';
import { type AuthFailure, fetchAuth, requireClaims, requireScopes, withAuth } from 'tessera-jwt/fetch';
import { expressAuth } from 'tessera-jwt/express';
import { fastifyAuth } from 'tessera-jwt/fastify';
import { AUDIENCE, ISSUER, token, tokens, trusted } from './helpers/tokens.js';

const base = { key: trusted.publicKey, algorithms: ['ES256'], issuer: ISSUER, audience: AUDIENCE };
const request = (headers: Record<string, string> = {}, url = 'https://api.tessera.test/orders') =>
  new Request(url, { headers });

interface OrderClaims extends JWTPayload {
  sub: string;
  scope: string;
}

describe('fetchAuth on plain Request objects', () => {
  const auth = fetchAuth<OrderClaims>(base);

  it('resolves to the verified claims and the token', async () => {
    const sent = tokens.valid();
    const result = await auth(request({ authorization: `Bearer ${sent}` }));
    assert.equal(result.ok, true);
    if (!result.ok) return;
    const sub: string = result.claims.sub; // typed: no undefined with required credentials
    assert.equal(sub, 'user-42');
    assert.equal(result.token, sent);
  });

  it('resolves to a refusal carrying the Response, and the error as cause for logs', async () => {
    const result = await auth(request({ authorization: `Bearer ${tokens.expired()}` }));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.ok(result.cause instanceof ExpiredSignatureError);
    assert.equal(result.response.status, 401);
    assert.equal(
      result.response.headers.get('www-authenticate'),
      'Bearer error="invalid_token", error_description="The access token expired"',
    );
    assert.equal(result.response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(await result.response.json(), {
      error: 'invalid_token',
      error_description: 'The access token expired',
    });
  });

  it('answers a bare "Bearer" challenge without a realm when none is configured', async () => {
    const result = await auth(request());
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.response.headers.get('www-authenticate'), 'Bearer');
  });

  it('folds repeated Authorization fields into one value, which is malformed', async () => {
    const headers = new Headers();
    headers.append('authorization', `Bearer ${tokens.valid()}`);
    headers.append('authorization', `Bearer ${tokens.valid()}`);
    const result = await auth(new Request('https://api.tessera.test/', { headers }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.status, 400);
  });

  it('require() adds guards and shares the verifier', async () => {
    const orders = auth.require(requireScopes('read:orders', 'write:orders'));
    const granted = await orders(request({ authorization: `Bearer ${tokens.withScopes('write:orders read:orders')}` }));
    assert.equal(granted.ok, true);
    const denied = await orders(request({ authorization: `Bearer ${tokens.withScopes('read:orders')}` }));
    assert.equal(denied.ok, false);
    if (!denied.ok) {
      assert.equal(denied.status, 403);
      assert.equal(
        denied.headers['www-authenticate'],
        'Bearer error="insufficient_scope", error_description="The access token lacks the required scope", scope="read:orders write:orders"',
      );
    }
  });
});

describe('what the middleware records on a request', () => {
  const auth = fetchAuth<OrderClaims>(base);

  it('is not visible to spreads, keys or console.log, so the token is never copied or printed', async () => {
    const sent = tokens.valid();
    const req = request({ authorization: `Bearer ${sent}` });
    assert.equal((await auth(req)).ok, true);
    const untouched = request({ authorization: `Bearer ${sent}` });
    assert.deepEqual(Object.keys({ ...req }), Object.keys({ ...untouched }));
    assert.equal(
      Object.getOwnPropertySymbols({ ...req }).length,
      Object.getOwnPropertySymbols({ ...untouched }).length,
    );
    assert.equal(inspect(req, { depth: 4 }), inspect(untouched, { depth: 4 }));
    assert.equal(JSON.stringify(Object.assign({}, req)), '{}');
  });

  it('is reused by require() on the same request, and a frozen request works through a fallback', async () => {
    const orders = auth.require(requireScopes('read:orders'));
    const req = Object.freeze(request({ authorization: `Bearer ${tokens.withScopes('read:orders')}` }));
    const first = await auth(req);
    const second = await orders(req);
    assert.equal(first.ok && second.ok, true);
    if (first.ok && second.ok) assert.equal(second.claims, first.claims); // the same verified object: not re-verified
    const other = await orders(
      Object.freeze(request({ authorization: `Bearer ${tokens.withScopes('write:orders')}` })),
    );
    assert.equal(other.ok, false);
  });
});

describe('withAuth wraps a plain fetch handler', () => {
  it('runs the handler with the claims and passes the runtime arguments through', async () => {
    const handler = withAuth<OrderClaims, [env: { region: string }]>(base, (_request, auth, env) =>
      Response.json({ sub: auth.claims.sub, region: env.region }),
    );
    const response = await handler(request({ authorization: `Bearer ${tokens.valid()}` }), { region: 'eu' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { sub: 'user-42', region: 'eu' });
  });

  it('never runs the handler for a refused request', async () => {
    let ran = false;
    const handler = withAuth(base, () => {
      ran = true;
      return new Response('secret');
    });
    const response = await handler(request({ authorization: `Bearer ${tokens.wrongSignature()}` }));
    assert.equal(response.status, 401);
    assert.equal(ran, false);
  });

  it('hands anonymous requests to the handler with credentialsRequired: false', async () => {
    const handler = withAuth({ ...base, credentialsRequired: false }, (_request, auth) =>
      Response.json({ sub: auth.claims?.sub ?? null }),
    );
    assert.deepEqual(await (await handler(request())).json(), { sub: null });
  });
});

describe('hooks', () => {
  it('a custom extractor replaces the built-in one', async () => {
    const auth = fetchAuth({ ...base, getToken: (req) => req.headers.get('x-api-token') });
    assert.equal((await auth(request({ 'x-api-token': tokens.valid() }))).ok, true);
    const ignored = await auth(request({ authorization: `Bearer ${tokens.valid()}` }));
    assert.equal(ignored.ok, false);
    if (!ignored.ok) assert.equal(ignored.status, 401);
  });

  it('a throwing extractor denies with 500', async () => {
    const auth = fetchAuth({
      ...base,
      getToken: () => {
        throw new Error('boom');
      },
    });
    const result = await auth(request());
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual([result.status, result.body.error], [500, 'server_error']);
  });

  it('isRevoked receives the claims and the token, and runs on cached verifications too', async () => {
    const seen: string[] = [];
    const revoked = new Set<string>();
    const auth = fetchAuth({
      ...base,
      cache: true,
      isRevoked: (claims, sent) => {
        seen.push(sent);
        return revoked.has(claims.jti ?? '');
      },
    });
    const sent = token({ jti: 'j-1' });
    assert.equal((await auth(request({ authorization: `Bearer ${sent}` }))).ok, true);
    revoked.add('j-1');
    const second = await auth(request({ authorization: `Bearer ${sent}` }));
    assert.equal(second.ok, false);
    if (!second.ok) assert.ok(second.cause instanceof RevokedTokenError);
    assert.deepEqual(seen, [sent, sent]);
  });

  it('a guard that throws denies with 500', async () => {
    const auth = fetchAuth({
      ...base,
      guards: [
        requireClaims(() => {
          throw new Error('db down');
        }),
      ],
    });
    const result = await auth(request({ authorization: `Bearer ${tokens.valid()}` }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.status, 500);
  });

  it('an async claims predicate can grant', async () => {
    const auth = fetchAuth<OrderClaims>({
      ...base,
      guards: [requireClaims<OrderClaims>(async (claims) => claims.sub === 'user-42')],
    });
    assert.equal((await auth(request({ authorization: `Bearer ${tokens.valid()}` }))).ok, true);
  });

  it('onError gets the failure and the request, and may change the status within 4xx/5xx', async () => {
    const seen: Array<[AuthFailure, Request]> = [];
    const auth = fetchAuth({
      ...base,
      onError: (failure, req) => {
        seen.push([failure, req]);
        return { status: 419, headers: { 'x-bad': 'a\r\nb' } };
      },
    });
    const req = request();
    const result = await auth(req);
    assert.equal(seen[0]?.[1], req);
    assert.equal(result.ok, false);
    // The header value with CR/LF makes the whole hook result void.
    if (!result.ok) assert.equal(result.status, 401);
    const shaped = fetchAuth({ ...base, onError: () => ({ status: 419 }) });
    const again = await shaped(request());
    if (!again.ok) assert.equal(again.response.status, 419);
  });

  it('ignores hook results that are not a refusal shape, and hands the hook a frozen default', async () => {
    const odd: unknown[] = [
      'text',
      { headers: 'x' },
      { body: ['array'] },
      { headers: { '': 'empty name' } },
      { status: 302 },
    ];
    for (const shaped of odd) {
      let frozen = false;
      const auth = fetchAuth({
        ...base,
        onError: (failure) => {
          frozen = Object.isFrozen(failure.headers) && Object.isFrozen(failure.body);
          return shaped as never;
        },
      });
      const result = await auth(request());
      assert.equal(frozen, true);
      if (result.ok) assert.fail('a refusal was let through');
      assert.deepEqual(
        [result.status, result.headers, result.body],
        [
          401,
          { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' },
          { error: 'unauthorized', error_description: 'Authentication required' },
        ],
      );
    }
  });

  it('never puts a line break into WWW-Authenticate', async () => {
    const auth = fetchAuth({ ...base, realm: 'api' });
    const result = await auth(request({ authorization: 'Basic x' }));
    if (!result.ok) assert.doesNotMatch(result.headers['www-authenticate']!, /[\r\n]/);
  });

  it('refuses the query token twice over', async () => {
    const auth = fetchAuth({ ...base, query: 'token' });
    const result = await auth(request({}, `https://api.tessera.test/?token=${tokens.valid()}&token=x`));
    if (!result.ok)
      assert.deepEqual(
        [result.status, result.body.error_description],
        [400, 'Only one token query parameter is allowed'],
      );
    else assert.fail('two query tokens were accepted');
    assert.equal((await auth(request({}, `https://api.tessera.test/?token=${tokens.valid()}`))).ok, true);
  });
});

describe('options are validated when the middleware is created', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'algorithms are required',
      () => fetchAuth({ key: trusted.publicKey.keyObject }),
      /"algorithms" option is required/,
    ],
    ['complete is refused', () => expressAuth({ ...base, complete: true } as never), /"complete"/],
    ['realm must be printable ASCII', () => fetchAuth({ ...base, realm: 'a\r\nb' }), /"realm"/],
    ['cookie must be a cookie name', () => fetchAuth({ ...base, cookie: 'a b' }), /"cookie"/],
    [
      'getToken does not combine with cookie',
      () => fetchAuth({ ...base, cookie: 'at', getToken: () => undefined }),
      /"getToken"/,
    ],
    ['isRevoked must be a function', () => fetchAuth({ ...base, isRevoked: true as never }), /"isRevoked"/],
    [
      'credentialsRequired must be a boolean',
      () => fetchAuth({ ...base, credentialsRequired: 'no' as never }),
      /"credentialsRequired"/,
    ],
    ['guards must be guards', () => fetchAuth({ ...base, guards: ['read:orders' as never] }), /"guards"/],
    ['fastify hook must be a hook name', () => fastifyAuth({ ...base, hook: 'onSend' as never }), /"hook"/],
    ['requireScopes needs a scope', () => requireScopes(), /at least one scope/],
    ['scopes have no spaces', () => requireScopes('read orders'), /scope names/],
    ['requireClaims needs expectations', () => requireClaims({}), /requireClaims/],
    ['require() needs guards', () => fetchAuth(base).require(), /require\(\)/],
    [
      'a misspelt fastify hook option',
      () => fastifyAuth({ ...base, hok: false } as never),
      /^fastifyAuth: unknown option "hok"; did you mean "hook"\?$/,
    ],
    [
      'a misspelt withAuth option',
      () => withAuth({ ...base, realme: 'x' } as never, () => new Response()),
      /^withAuth: unknown option "realme"; did you mean "realm"\?$/,
    ],
    [
      'a misspelt verify option',
      () => fetchAuth({ ...base, clockTolerence: 5 } as never),
      /^fetchAuth: unknown option "clockTolerence"; did you mean "clockTolerance"\?$/,
    ],
  ];
  for (const [name, create, message] of cases) {
    it(`throws a TypeError: ${name}`, () => {
      assert.throws(
        create,
        (err: unknown) => err instanceof Error && message.test(err.message) && err instanceof TypeError,
      );
    });
  }
});

describe('the fastify plugin declares itself like fastify-plugin', () => {
  it('is not encapsulated, has a display name and the supported Fastify versions', () => {
    const plugin = fastifyAuth(base) as unknown as Record<symbol, unknown>;
    assert.equal(plugin[Symbol.for('skip-override')], true);
    assert.equal(plugin[Symbol.for('fastify.display-name')], 'tessera');
    assert.deepEqual(plugin[Symbol.for('plugin-meta')], { name: 'tessera', fastify: '5.x' });
  });
});
