import { waitUntil } from 'cloudflare:workers';
import { createRemoteJWKSet } from 'tessera-jwt';
import { withAuth } from 'tessera-jwt/fetch';

// The Workers Cache API as the store that this location's isolates share (a KV namespace works the same way).
const store = {
  async get(url) {
    const hit = await caches.default.match(url);
    return hit ? hit.json() : undefined;
  },
  put(url, value, ttlSeconds) {
    const headers = { 'cache-control': `max-age=${ttlSeconds}` };
    return caches.default.put(url, new Response(JSON.stringify(value), { headers }));
  },
};

let handler;
export default {
  fetch(request, env, ctx) {
    handler ??= withAuth(
      {
        key: createRemoteJWKSet(env.JWKS_URL, {
          store,
          staleWhileRevalidate: '5m', // answer from a stale set while one background refresh runs…
          waitUntil, // …which outlives the response
          allowHttp: env.DEV === '1', // only for a local JWKS in development
        }),
        algorithms: ['ES256'],
        issuer: env.ISSUER,
      },
      (_request, auth) => Response.json({ hello: auth.claims.sub }),
    );
    return handler(request, env, ctx);
  },
};
