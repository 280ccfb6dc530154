// The fetch adapter with no framework at all, served by a bare fetch-to-Node bridge.
import { fetchAuth, requireClaims, requireScopes, withAuth } from 'tessera-jwt/fetch';
import { runContract } from './helpers/contract.js';
import { serveFetch } from './helpers/listen.js';

runContract({
  name: 'fetch (withAuth, no framework)',
  foldsRepeatedHeaders: true,
  async start(options) {
    const auth = fetchAuth(options);
    const me = withAuth(auth, (_request, result) => Response.json({ sub: result.claims?.sub ?? null }));
    const orders = withAuth(auth.require(requireScopes('read:orders')), () => Response.json({ orders: [] }));
    const admin = withAuth(auth.require(requireClaims({ roles: 'admin' })), () => Response.json({ admin: true }));
    const routes: Record<string, (request: Request) => Promise<Response>> = {
      '/me': me,
      '/orders': orders,
      '/admin': admin,
    };
    const fetch = (request: Request) =>
      routes[new URL(request.url).pathname]?.(request) ?? new Response('not found', { status: 404 });
    return serveFetch(fetch);
  },
});
