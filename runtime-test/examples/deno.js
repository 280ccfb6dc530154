import { createRemoteJWKSet } from 'tessera-jwt/web';
import { withAuth } from 'tessera-jwt/web/fetch';

const jwks = createRemoteJWKSet(Deno.env.get('JWKS_URL'), { allowHttp: Deno.env.get('DEV') === '1' });
const options = { key: jwks, algorithms: ['ES256'], issuer: Deno.env.get('ISSUER') };

Deno.serve(
  { hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8000) },
  withAuth(options, (_request, auth) => Response.json({ hello: auth.claims.sub })),
);
