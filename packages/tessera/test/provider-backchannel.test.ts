// Back-Channel Logout 1.0, the provider's side, over real HTTP on 127.0.0.1: two clients sign in through
// one provider session (the second without a password), a third has no backchannel_logout_uri; logout at
// the first POSTs a logout token to each of the two — validated here by the relying party's own
// verifyLogoutToken against the provider's JWKS — and a client that does not answer never blocks a logout.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { createRemoteJWKSet } from 'tessera-jwt';
import { verifyLogoutToken } from 'tessera-jwt/oidc';
import { startProvider } from './helpers/provider.js';

async function receiver(status = 200) {
  const received: Array<{ path: string; type: string | undefined; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', type: req.headers['content-type'], body });
      res.writeHead(status, { 'cache-control': 'no-store' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, received, close: () => server.close() };
}

const clientFor = (id: string, backchannel?: string) => ({
  client_id: id,
  client_secret: `${id}-secret-long-enough`,
  redirect_uris: [`https://${id}.example/cb`],
  post_logout_redirect_uris: [`https://${id}.example/bye`],
  grant_types: ['authorization_code', 'refresh_token'],
  ...(backchannel ? { backchannel_logout_uri: backchannel, backchannel_logout_session_required: true } : {}),
});

describe('back-channel logout (provider)', () => {
  test('logout sends a verified logout token to every client of the session that registered a URI', async () => {
    const rp = await receiver();
    const ctx = await startProvider({
      clients: [clientFor('a', `${rp.origin}/bc/a`), clientFor('b', `${rp.origin}/bc/b`), clientFor('c')],
    });
    const metadata = (await (await fetch(`${ctx.origin}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(metadata.backchannel_logout_supported, true);
    assert.equal(metadata.backchannel_logout_session_supported, true);
    const b = ctx.browser();
    const as = (id: string) => ({ id, redirect: `https://${id}.example/cb`, secret: `${id}-secret-long-enough` });
    const atA = await ctx.signIn(b, { prompt: 'consent' }, as('a'));
    assert.equal(atA.status, 200);
    const atB = await ctx.signIn(b, {}, as('b'));
    const atC = await ctx.signIn(b, {}, as('c'));
    assert.equal(atB.status, 200);
    assert.equal(atC.status, 200);
    const claimsOf = (idToken: string) => JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString());
    const sid = claimsOf(atA.body.id_token).sid;
    assert.equal(typeof sid, 'string');
    assert.equal(claimsOf(atB.body.id_token).sid, sid, 'one provider session');

    const res = await b.go(
      `/logout?${new URLSearchParams({ id_token_hint: atA.body.id_token, post_logout_redirect_uri: 'https://a.example/bye' })}`,
    );
    assert.ok(res.status === 303 || res.status === 200, `logout answered ${res.status}`);
    assert.deepEqual(
      rp.received.map((r) => r.path).sort(),
      ['/bc/a', '/bc/b'],
      'no token for the client without a URI',
    );
    const jwks = createRemoteJWKSet(String(metadata.jwks_uri), { allowHttp: true });
    for (const delivery of rp.received) {
      assert.equal(delivery.type, 'application/x-www-form-urlencoded');
      const token = new URLSearchParams(delivery.body).get('logout_token')!;
      const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
      assert.equal(header.typ, 'logout+jwt');
      const claims = await verifyLogoutToken(token, {
        issuer: ctx.origin,
        audience: delivery.path.slice(-1),
        jwks,
        algorithms: metadata.id_token_signing_alg_values_supported as string[],
        currentDate: new Date((claimsOf(atA.body.id_token).iat as number) * 1000),
      });
      assert.equal(claims.sid, sid);
      assert.equal(claims.sub, 'user-42');
    }
    rp.close();
  });

  test('a client that fails or does not answer is reported, and the logout still completes', async () => {
    const rp = await receiver(500);
    const errors: string[] = [];
    const ctx = await startProvider({
      clients: [clientFor('a', `${rp.origin}/bc/a`), clientFor('b', 'http://127.0.0.1:9/unreachable')],
      provider: { onError: (error) => errors.push(String((error as Error).message)) },
    });
    const b = ctx.browser();
    const as = (id: string) => ({ id, redirect: `https://${id}.example/cb`, secret: `${id}-secret-long-enough` });
    const atA = await ctx.signIn(b, { prompt: 'consent' }, as('a'));
    await ctx.signIn(b, {}, as('b'));
    const res = await b.go(
      `/logout?${new URLSearchParams({ id_token_hint: atA.body.id_token, post_logout_redirect_uri: 'https://a.example/bye' })}`,
    );
    assert.ok(res.status === 303 || res.status === 200);
    assert.equal(errors.length, 2, errors.join(' | '));
    assert.ok(errors.some((m) => m.includes('"a" answered 500')));
    for (const message of errors) assert.ok(!message.includes(atA.body.id_token.slice(0, 20)));
    // The session is over: a new authorization asks for the password again.
    const again = await b.authorize(
      ctx.authorizeURL({
        response_type: 'code',
        client_id: 'a',
        redirect_uri: 'https://a.example/cb',
        scope: 'openid',
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
      }),
    );
    assert.deepEqual(again.pages, ['login']);
    rp.close();
  });

  test('backchannel_logout_uri is validated like a redirect URI', async () => {
    const ctx = await startProvider({ clients: [clientFor('a')] });
    for (const uri of ['http://evil.example/bc', 'https://a.example/bc#frag', 'not a url'])
      await assert.rejects(ctx.clients.seed([clientFor('x', uri)]), /backchannel_logout_uri/);
  });
});
