import { createServer } from 'node:http';
import express from 'express';
import type { JWTPayload } from 'tessera-jwt';
import { expressAuth, requireClaims, requireScopes } from 'tessera-jwt/express';
import { runContract } from './helpers/contract.js';
import { listen } from './helpers/listen.js';

runContract({
  name: 'express 5',
  async start(options) {
    const auth = expressAuth<JWTPayload>(options);
    const app = express();
    app.get('/me', auth, (req, res) => {
      // req.auth (what the issue names) and the typed accessor agree.
      const claims = auth.claims(req);
      if ((req as { auth?: unknown }).auth !== claims) throw new Error('req.auth differs from auth.claims(req)');
      res.json({ sub: claims?.sub ?? null });
    });
    app.get('/orders', auth, auth.require(requireScopes('read:orders')), (_req, res) => {
      res.json({ orders: [] });
    });
    app.get('/admin', auth.require(requireClaims({ roles: 'admin' })), (_req, res) => {
      res.json({ admin: true });
    });
    return listen(createServer(app));
  },
});
