import Fastify from 'fastify';
import { fastifyAuth, requireClaims, requireScopes } from 'tessera-jwt/fastify';
import { runContract } from './helpers/contract.js';

runContract({
  name: 'fastify 5',
  async start(options) {
    const auth = fastifyAuth(options);
    const app = Fastify();
    await app.register(auth);
    app.get('/me', async (request) => {
      const claims = auth.claims(request);
      if ((request as { auth?: unknown }).auth !== (claims ?? null))
        throw new Error('request.auth differs from auth.claims(request)');
      return { sub: claims?.sub ?? null };
    });
    app.get('/orders', { preHandler: auth.require(requireScopes('read:orders')) }, async () => ({ orders: [] }));
    app.get('/admin', { preHandler: auth.require(requireClaims({ roles: 'admin' })) }, async () => ({ admin: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
  },
});
