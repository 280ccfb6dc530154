import { Hono } from 'hono';
import { createRemoteJWKSet } from 'tessera-jwt/web';
import { honoAuth } from 'tessera-jwt/web/hono';

const jwks = createRemoteJWKSet(Bun.env.JWKS_URL, { allowHttp: Bun.env.DEV === '1' });
const app = new Hono();
app.use('*', honoAuth({ key: jwks, algorithms: ['ES256'], issuer: Bun.env.ISSUER }));
app.get('/', (c) => c.json({ hello: c.get('auth').sub }));

Bun.serve({ hostname: '127.0.0.1', port: Number(Bun.env.PORT ?? 3000), fetch: app.fetch });
