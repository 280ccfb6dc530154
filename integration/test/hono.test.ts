import { Hono } from 'hono';
import type { JWTPayload } from 'tessera-jwt';
import { type HonoAuthEnv, honoAuth, requireClaims, requireScopes } from 'tessera-jwt/hono';
import { runContract } from './helpers/contract.js';
import { serveFetch } from './helpers/listen.js';

runContract({
  name: 'hono 4',
  foldsRepeatedHeaders: true,
  async start(options) {
    const auth = honoAuth<JWTPayload>(options);
    const app = new Hono<HonoAuthEnv<JWTPayload>>();
    app.get('/me', auth, (c) => c.json({ sub: c.get('auth')?.sub ?? null }));
    app.get('/orders', auth, auth.require(requireScopes('read:orders')), (c) => c.json({ orders: [] }));
    app.get('/admin', auth.require(requireClaims({ roles: 'admin' })), (c) => c.json({ admin: true }));
    return serveFetch(app.fetch);
  },
});
