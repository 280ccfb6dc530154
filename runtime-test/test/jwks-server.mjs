// The JWKS server the key-set scenario (suite/keysets.js) talks to, on 127.0.0.1, plus the context it needs:
// three ES256 key pairs from the Node entry and tokens signed with them. GET /jwks.json serves the set chosen
// with /control?set=k1|k1k2|k1k3 and behaves as /control?mode= says (ok, fail: HTTP 500, hang: never answers,
// big: 64 KiB, deep: JSON nested 64 levels, private: a key with "d"); /control?delay=ms slows it down;
// /count answers how many requests /jwks.json got. It also serves authorization server metadata for discover()
// (see DISCOVERY below). `extra` serves other paths (the Chromium page).
import { createServer } from 'node:http';
import { generateKeyPair, signJWT } from 'tessera-jwt';

export function keySetContext() {
  const issuer = 'https://auth.example.com';
  const pairs = ['k1', 'k2', 'k3'].map((name) => ({ name, ...generateKeyPair('ES256') }));
  const keys = {};
  const privates = {};
  const tokens = {};
  for (const [i, { name, privateKey, publicKey }] of pairs.entries()) {
    keys[name] = { ...publicKey.toJWK(), kid: `kid-${name}`, alg: undefined };
    delete keys[name].alg;
    privates[name] = privateKey.toJWK({ private: true });
    const claims = { sub: `user-${i + 1}` };
    tokens[name] = signJWT(claims, privateKey, { algorithm: 'ES256', issuer, kid: `kid-${name}`, expiresIn: '1h' });
    const { kid: _, ...withoutKid } = privates[name];
    tokens[`${name}NoKid`] = signJWT(claims, withoutKid, { algorithm: 'ES256', issuer, expiresIn: '1h' });
    if (JSON.parse(Buffer.from(tokens[`${name}NoKid`].split('.')[0], 'base64url')).kid !== undefined)
      throw new Error('a kid-less token got a kid');
  }
  return { issuer, keys, privates, tokens };
}

// Metadata documents by path, for issuers under the server's base URL: `/` (OpenID Connect Discovery), `/tenant`
// (only RFC 8414's inserted path answers), `/slash` (says its issuer is `/slash/`), `/moved` (redirects to
// another host), `/big` (64 KiB), `/broken` (a jwks_uri that is not a string).
function discoveryAnswer(path, base) {
  const jwks_uri = `${base}/jwks.json`;
  const json = (body) => ({ status: 200, body: JSON.stringify(body) });
  switch (path) {
    case '/.well-known/openid-configuration':
      return json({ issuer: base, jwks_uri, id_token_signing_alg_values_supported: ['ES256'] });
    case '/.well-known/oauth-authorization-server/tenant':
      return json({ issuer: `${base}/tenant`, jwks_uri, token_endpoint: `${base}/tenant/token` });
    case '/slash/.well-known/openid-configuration':
      return json({ issuer: `${base}/slash/`, jwks_uri });
    case '/moved/.well-known/openid-configuration':
      return { status: 302, location: `${base.replace('127.0.0.1', 'localhost')}/.well-known/openid-configuration` };
    case '/big/.well-known/openid-configuration':
      return json({ issuer: `${base}/big`, jwks_uri, pad: 'x'.repeat(64 * 1024) });
    case '/broken/.well-known/openid-configuration':
      return json({ issuer: `${base}/broken`, jwks_uri: 42 });
    default:
      return path.includes('/.well-known/') ? { status: 404, body: '{}' } : undefined;
  }
}

export async function startJWKSServer(ctx, extra = () => false) {
  const state = { set: 'k1', mode: 'ok', delay: 0, count: 0 };
  const sockets = new Set();
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/control') {
      for (const name of ['set', 'mode']) if (url.searchParams.has(name)) state[name] = url.searchParams.get(name);
      if (url.searchParams.has('delay')) state.delay = Number(url.searchParams.get('delay'));
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/count') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: state.count }));
      return;
    }
    const metadata = discoveryAnswer(url.pathname, `http://127.0.0.1:${server.address().port}`);
    if (metadata !== undefined) {
      const headers = metadata.location ? { location: metadata.location } : { 'content-type': 'application/json' };
      res.writeHead(metadata.status, headers).end(metadata.body);
      return;
    }
    if (url.pathname !== '/jwks.json') {
      if (!extra(req, res)) res.writeHead(404).end();
      return;
    }
    state.count++;
    if (state.mode === 'hang') return;
    const answer = () => {
      if (state.mode === 'fail') return res.writeHead(500).end('down');
      let body;
      if (state.mode === 'big') body = JSON.stringify({ keys: [ctx.keys.k1], pad: 'x'.repeat(64 * 1024) });
      else if (state.mode === 'deep')
        body = `{"keys":[${JSON.stringify(ctx.keys.k1)}],"x":${'['.repeat(64)}${']'.repeat(64)}}`;
      else if (state.mode === 'private') body = JSON.stringify({ keys: [{ ...ctx.privates.k1, kid: 'kid-k1' }] });
      else body = JSON.stringify({ keys: state.set.match(/k\d/g).map((k) => ctx.keys[k]) });
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(body);
    };
    if (state.delay > 0) setTimeout(answer, state.delay);
    else answer();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  };
}

/** Asserts that every step of a key-set report passed, printing the count per runtime. */
export function checkKeySetReport(report, assert) {
  const failed = report.results.filter((r) => !r.ok);
  const line = `${report.runtime}: key sets and remote JWKS ${report.results.length - failed.length}/${report.results.length} passed, ${failed.length} failed`;
  console.log(line);
  for (const f of failed) console.log(`  FAILED on ${report.runtime}: ${f.id} — ${f.reason}`);
  assert.ok(report.results.length >= 20, `${report.runtime} ran only ${report.results.length} steps`);
  assert.equal(failed.length, 0, line);
}
