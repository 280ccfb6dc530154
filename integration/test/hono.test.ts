import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { JWTPayload } from 'tessera';
import { type HonoAuthEnv, honoAuth, requireClaims, requireScopes } from 'tessera/fetch';
import { runContract } from './helpers/contract.js';

runContract({
  name: 'hono 4',
  foldsRepeatedHeaders: true,
  async start(options) {
    const auth = honoAuth<JWTPayload>(options);
    const app = new Hono<HonoAuthEnv<JWTPayload>>();
    app.get('/me', auth, (c) => c.json({ sub: c.get('auth')?.sub ?? null }));
    app.get('/orders', auth, auth.require(requireScopes('read:orders')), (c) => c.json({ orders: [] }));
    app.get('/admin', auth.require(requireClaims({ roles: 'admin' })), (c) => c.json({ admin: true }));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
    };
  },
});
