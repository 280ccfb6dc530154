// The fetch adapter with no framework at all, served by a bare fetch-to-Node bridge.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { fetchAuth, requireClaims, requireScopes, withAuth } from 'tessera/fetch';
import { runContract } from './helpers/contract.js';

runContract({
  name: 'fetch (withAuth, no framework)',
  foldsRepeatedHeaders: true,
  async start(options) {
    const auth = fetchAuth(options);
    const me = withAuth(auth, (_request, result) => Response.json({ sub: result.claims?.sub ?? null }));
    const orders = withAuth(auth.require(requireScopes('read:orders')), () => Response.json({ orders: [] }));
    const admin = withAuth(auth.require(requireClaims({ roles: 'admin' })), () => Response.json({ admin: true }));
    const routes: Record<string, (request: Request) => Promise<Response>> = { '/me': me, '/orders': orders, '/admin': admin };
    const fetch = (request: Request) => routes[new URL(request.url).pathname]?.(request) ?? new Response('not found', { status: 404 });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
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
