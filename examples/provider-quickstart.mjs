// The provider quick start, runnable: with `npm start` running in another terminal,
//
//   node examples/provider-quickstart.mjs
//
// registers a client at the provider (RFC 7591 dynamic registration: open on loopback by default),
// prints an authorization URL (code flow with PKCE S256 and state), waits on a loopback redirect URI for
// the browser to come back, redeems the code, verifies the access token against the provider's JWKS and
// calls /userinfo with it. ISSUER=… points it at another provider. No dependency beyond tessera-jwt.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createRemoteJWKSet, verifyJWT } from 'tessera-jwt';

const issuer = (process.env.ISSUER ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const fail = (message) => {
  console.error(`quickstart: ${message}`);
  process.exit(1);
};
const meta = await fetch(`${issuer}/.well-known/openid-configuration`)
  .then((r) => r.json())
  .catch(() => fail(`no provider at ${issuer}: start it with \`npm start\` first`));
if (meta.issuer !== issuer) fail(`the metadata names issuer ${meta.issuer}, not ${issuer}`);
if (!meta.registration_endpoint) fail('this provider has no registration_endpoint (TESSERA_REGISTRATION=open)');

// A loopback redirect URI on a free port (RFC 8252 §7.3), known before registering.
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const redirectUri = `http://127.0.0.1:${server.address().port}/callback`;

const registration = await fetch(meta.registration_endpoint, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    client_name: 'Tessera quick start',
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
  }),
});
const client = await registration.json();
if (registration.status !== 201) fail(`registration refused: ${client.error}: ${client.error_description}`);
console.log(`registered client ${client.client_id} (public, PKCE) with redirect URI ${redirectUri}`);

const verifier = randomBytes(32).toString('base64url');
const state = randomBytes(16).toString('base64url');
const url = new URL(meta.authorization_endpoint);
url.search = new URLSearchParams({
  response_type: 'code',
  client_id: client.client_id,
  redirect_uri: redirectUri,
  scope: 'profile read:orders',
  state,
  code_challenge: createHash('sha256').update(verifier).digest('base64url'),
  code_challenge_method: 'S256',
}).toString();
console.log(`\nopen this in your browser and sign in as demo / demo-password:\n\n  ${url.href}\n`);

server.on('request', async (req, res) => {
  const back = new URL(req.url, redirectUri);
  if (back.pathname !== '/callback') return res.writeHead(404).end();
  const reply = (text) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
  // RFC 9207 and the state: the answer comes from this provider, for this request.
  if (back.searchParams.get('iss') !== issuer || back.searchParams.get('state') !== state) {
    reply('This answer is not for this sign-in.');
    return fail('the callback had a wrong iss or state');
  }
  if (back.searchParams.has('error')) {
    reply(`Not signed in: ${back.searchParams.get('error')}`);
    return fail(`the provider answered ${back.searchParams.get('error')}`);
  }
  const response = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      code_verifier: verifier,
      redirect_uri: redirectUri,
      client_id: client.client_id,
    }),
  });
  const tokens = await response.json();
  if (response.status !== 200) {
    reply('The code exchange failed; see the terminal.');
    return fail(`token endpoint: ${tokens.error}: ${tokens.error_description}`);
  }
  reply('Signed in. You can close this tab and go back to the terminal.');
  const claims = await verifyJWT(tokens.access_token, createRemoteJWKSet(meta.jwks_uri, { allowHttp: true }), {
    issuer,
    typ: 'at+jwt',
    audience: issuer,
  });
  console.log('access token verified against the JWKS; its claims:');
  console.log(claims);
  const userinfo = await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  console.log(`\nGET /userinfo → ${userinfo.status}`);
  console.log(await userinfo.json());
  console.log(`\nscope granted: ${tokens.scope}; refresh token issued: ${typeof tokens.refresh_token === 'string'}`);
  server.close();
  process.exit(0);
});
