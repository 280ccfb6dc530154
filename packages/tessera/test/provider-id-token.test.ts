// The provider's ID tokens (OpenID Connect Core §2, §3.1.3.6, §11, §12.2) over real HTTP on 127.0.0.1:
// signed by the token service's key with its kid, every claim checked by our relying party's
// verifyIDToken (nonce, at_hash) and the header/claims compared with the published JWKS; offline_access
// decides the refresh token; a refresh re-issues the ID token; each key algorithm gets its at_hash hash.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { createRemoteJWKSet, decodeJWT, JWKSet } from 'tessera-jwt';
import { verifyIDToken } from 'tessera-jwt/oidc';
import { InvalidClientMetadataError } from 'tessera-jwt/provider';
import { startProvider, WEB_SECRET } from './helpers/provider.js';

const read = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

/** at_hash computed here, independently of the library: left half of the digest, base64url. */
const atHash = (token: string, hash: string) => {
  const digest = createHash(hash).update(token, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
};

describe('ID tokens', () => {
  test('the code grant returns an ID token with every claim, signed with the published key and kid', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const { status, body, nonce } = await ctx.signIn(b);
    assert.equal(status, 200);
    assert.equal(typeof body.id_token, 'string');
    const jwks = await read(fetch(`${ctx.origin}/.well-known/jwks.json`));
    const { header, payload } = decodeJWT(body.id_token);
    assert.equal(header.alg, 'ES256');
    assert.ok(jwks.keys.some((k: any) => k.kid === header.kid && k.alg === header.alg));
    assert.equal(header.typ, 'JWT');
    const claims = await verifyIDToken(body.id_token, {
      issuer: ctx.origin,
      audience: 'web',
      jwks: createRemoteJWKSet(`${ctx.origin}/.well-known/jwks.json`, { allowHttp: true }),
      algorithms: ['ES256'],
      nonce,
      accessToken: body.access_token,
      requireAtHash: true,
      requireAuthTime: true,
    });
    assert.deepEqual({ ...claims }, payload);
    assert.equal(claims.iss, ctx.origin);
    assert.equal(claims.sub, 'user-42');
    assert.equal(claims.aud, 'web');
    assert.equal(claims.azp, 'web');
    assert.equal(claims.nonce, nonce);
    assert.equal(claims.at_hash, atHash(body.access_token, 'sha256'));
    assert.deepEqual(claims.amr, ['pwd']);
    assert.equal(typeof claims.auth_time, 'number');
    assert.ok(Math.abs(claims.auth_time! - Math.floor(Date.now() / 1000)) < 60);
    assert.equal(claims.exp - claims.iat, 3600);
    // sid is the session's public id, never the session cookie's secret value.
    assert.match(claims.sid as string, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(claims.sid, b.jar.get('tessera_session'));
    // Scope claims come from userinfo, not the ID token (an access token is issued with it).
    assert.equal(claims.email, undefined);
    assert.equal(claims.name, undefined);
    // One key for both, but an ID token never passes as an access token (RFC 9068 typ).
    await assert.rejects(ctx.service.verifyAccessToken(body.id_token));
    // A second client signing in through the same session gets the same sid and auth_time (SSO).
    const spa = await ctx.signIn(b, {}, { id: 'spa', redirect: 'http://127.0.0.1:5173/cb' });
    const spaClaims = decodeJWT(spa.body.id_token).payload as any;
    assert.equal(spaClaims.aud, 'spa');
    assert.equal(spaClaims.sid, claims.sid);
    assert.equal(spaClaims.auth_time, claims.auth_time);
  });

  test('no ID token without openid, and no nonce claim when the request had none', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const plain = await ctx.signIn(b, { scope: 'profile' });
    assert.equal(plain.status, 200);
    assert.equal(plain.body.id_token, undefined);
    // Outside OpenID Connect the refresh token comes with the client's refresh_token grant, as before.
    assert.match(plain.body.refresh_token, /^[A-Za-z0-9_-]{43}$/);
    const search = { nonce: '' };
    const noNonce = await ctx.signIn(b, search);
    assert.equal((decodeJWT(noNonce.body.id_token).payload as any).nonce, undefined);
  });

  test('offline_access: a refresh token only with prompt=consent (OIDC Core §11), else dropped from the scope', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const without = await ctx.signIn(b);
    assert.equal(without.body.refresh_token, undefined);
    const dropped = await ctx.signIn(b, { scope: 'openid offline_access' });
    assert.equal(dropped.body.refresh_token, undefined);
    assert.equal(dropped.body.scope, 'openid');
    const offline = await ctx.signIn(b, { scope: 'openid offline_access', prompt: 'consent' });
    assert.equal(offline.body.scope, 'openid offline_access');
    assert.match(offline.body.refresh_token, /^[A-Za-z0-9_-]{43}$/);
    // A client without the refresh_token grant never gets offline_access.
    const ctx2 = await startProvider({
      clients: [{ client_id: 'web', client_secret: WEB_SECRET, redirect_uris: ['https://app.example/cb'] }],
    });
    const none = await ctx2.signIn(ctx2.browser(), { scope: 'openid offline_access', prompt: 'consent' });
    assert.equal(none.body.scope, 'openid');
    assert.equal(none.body.refresh_token, undefined);
  });

  test('a refresh returns a new ID token: same sub, auth_time and sid, no nonce, at_hash of the new access token', async () => {
    const ctx = await startProvider();
    const b = ctx.browser();
    const first = await ctx.signIn(b, { scope: 'openid email offline_access', prompt: 'consent' });
    const original = decodeJWT(first.body.id_token).payload as any;
    ctx.advance(120);
    const res = await ctx.form(
      '/token',
      { grant_type: 'refresh_token', refresh_token: first.body.refresh_token },
      ctx.basic('web', WEB_SECRET),
    );
    assert.equal(res.status, 200);
    const next = await read(res);
    assert.notEqual(next.refresh_token, first.body.refresh_token);
    const claims = await verifyIDToken(next.id_token, {
      issuer: ctx.origin,
      audience: 'web',
      jwks: JWKSet.from(await ctx.service.jwks()),
      algorithms: ['ES256'],
      accessToken: next.access_token,
      requireAtHash: true,
      currentDate: new Date((original.iat + 120) * 1000),
    });
    assert.equal(claims.sub, original.sub);
    assert.equal(claims.auth_time, original.auth_time);
    assert.equal(claims.sid, original.sid);
    assert.equal(claims.nonce, undefined);
    assert.equal(claims.iat, original.iat + 120);
    // A refresh narrowed to a scope without openid gets no ID token.
    const narrowed = await read(
      ctx.form(
        '/token',
        { grant_type: 'refresh_token', refresh_token: next.refresh_token, scope: 'email' },
        ctx.basic('web', WEB_SECRET),
      ),
    );
    assert.equal(narrowed.scope, 'email');
    assert.equal(narrowed.id_token, undefined);
  });

  for (const [algorithm, hash] of [
    ['RS256', 'sha256'],
    ['PS384', 'sha384'],
    ['ES512', 'sha512'],
    ['EdDSA', 'sha512'],
  ] as const) {
    test(`a ${algorithm} key manager signs ${algorithm} ID tokens, at_hash with ${hash}, and advertises exactly it`, async () => {
      const ctx = await startProvider({ algorithm });
      const doc = await read(fetch(`${ctx.origin}/.well-known/openid-configuration`));
      assert.deepEqual(doc.id_token_signing_alg_values_supported, [algorithm]);
      const { body, nonce } = await ctx.signIn(ctx.browser());
      assert.equal(decodeJWT(body.id_token).header.alg, algorithm);
      const claims = await verifyIDToken(body.id_token, {
        issuer: ctx.origin,
        audience: 'web',
        jwks: JWKSet.from(await ctx.service.jwks()),
        algorithms: doc.id_token_signing_alg_values_supported,
        nonce,
        accessToken: body.access_token,
        requireAtHash: true,
      });
      assert.equal(claims.at_hash, atHash(body.access_token, hash));
    });
  }

  test('id_token_signed_response_alg: asymmetric only; a client registered for another alg cannot ask for openid', async () => {
    const ctx = await startProvider({
      clients: [
        {
          client_id: 'web',
          client_secret: WEB_SECRET,
          redirect_uris: ['https://app.example/cb'],
          id_token_signed_response_alg: 'RS256',
        },
      ],
    });
    const refused = await ctx.signIn(ctx.browser());
    assert.equal(refused.error, 'invalid_request');
    assert.equal(refused.location.searchParams.get('iss'), ctx.origin);
    for (const alg of ['HS256', 'none', 42]) {
      await assert.rejects(
        ctx.clients.register({ redirect_uris: ['https://app.example/cb'], id_token_signed_response_alg: alg }),
        InvalidClientMetadataError,
      );
    }
    const { client } = await ctx.clients.register({
      redirect_uris: ['https://app.example/cb'],
      id_token_signed_response_alg: 'ES256',
    });
    assert.equal(client.id_token_signed_response_alg, 'ES256');
  });
});
