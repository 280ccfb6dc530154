// The middleware contract's app, bundled as a Worker bundler would (esbuild, conditions workerd/worker/browser:
// `tessera-jwt`, `tessera-jwt/fetch` and `tessera-jwt/hono` resolve to the web build) and served by each
// runtime's own server: workerd, Deno.serve, Bun.serve, and Node's http (through a fetch bridge). The
// profiles mirror the describe blocks of integration/test/helpers/contract.ts; each is served twice, by
// withAuth/fetchAuth (/<profile>/fetch/…) and by honoAuth in a Hono 4 app (/<profile>/hono/…), with the
// contract's three routes /me, /orders, /admin. GET /setup answers the setup-time TypeErrors.
import { Hono } from 'hono';
import { createRemoteJWKSet } from 'tessera-jwt';
import { fetchAuth, requireClaims, requireScopes, withAuth } from 'tessera-jwt/fetch';
import { honoAuth } from 'tessera-jwt/hono';

function fetchRoutes(options) {
  const auth = fetchAuth(options);
  const me = withAuth(auth, (_request, result) => Response.json({ sub: result.claims?.sub ?? null }));
  const orders = withAuth(auth.require(requireScopes('read:orders')), () => Response.json({ orders: [] }));
  const admin = withAuth(auth.require(requireClaims({ roles: 'admin' })), () => Response.json({ admin: true }));
  return { me, orders, admin };
}

function honoApp(options) {
  const auth = honoAuth(options);
  const app = new Hono();
  app.get('/me', auth, (c) => c.json({ sub: c.get('auth')?.sub ?? null }));
  app.get('/orders', auth, auth.require(requireScopes('read:orders')), (c) => c.json({ orders: [] }));
  app.get('/admin', auth.require(requireClaims({ roles: 'admin' })), (c) => c.json({ admin: true }));
  return app;
}

function setupErrors(base) {
  const out = {};
  const attempts = {
    audiance: { ...base, audiance: base.audience },
    credentialsRequred: { ...base, credentialsRequred: false },
    isRevoke: { ...base, isRevoke: () => false },
    cache: { ...base, cache: true },
    noAlgorithms: { ...base, algorithms: undefined },
  };
  for (const [name, options] of Object.entries(attempts)) {
    for (const [adapter, make] of [
      ['fetchAuth', fetchAuth],
      ['withAuth', (o) => withAuth(o, () => new Response())],
      ['honoAuth', honoAuth],
    ]) {
      try {
        make(options);
        out[`${name} ${adapter}`] = 'accepted';
      } catch (err) {
        out[`${name} ${adapter}`] = `${err instanceof TypeError ? 'TypeError' : err?.name}: ${err?.message}`;
      }
    }
  }
  // Every documented option and alias that the web middleware has (the contract's list less `cache`).
  try {
    fetchRoutes({
      ...base,
      leeway: 5,
      require: ['sub'],
      checks: { iat: true },
      clockTolerance: undefined,
      requiredClaims: undefined,
      strictAudience: false,
      subject: undefined,
      jwtId: undefined,
      nonce: undefined,
      maxTokenAge: '1h',
      typ: undefined,
      crit: [],
      currentDate: undefined,
      validate: () => true,
      maxTokenLength: 8192,
      allowWeakKeys: false,
      credentialsRequired: true,
      cookie: 'at',
      query: false,
      guards: [],
      onError: () => undefined,
      isRevoked: () => false,
    });
    out['every documented option'] = 'accepted';
  } catch (err) {
    out['every documented option'] = `${err?.name}: ${err?.message}`;
  }
  return out;
}

/** The app for `config` ({ key, issuer, audience, realm, rotationURL, downURL }): a fetch handler. */
export function createContractApp(config) {
  const base = {
    key: config.key,
    algorithms: ['ES256'],
    issuer: config.issuer,
    audience: config.audience,
    realm: config.realm,
  };
  const remote = (url) => createRemoteJWKSet(url, { allowHttp: true, cooldown: 0, timeout: '2s' });
  // A fresh set of options (and of remote JWK Sets) for each adapter: the two are tested one after the other.
  const profiles = () => ({
    required: { ...base, cookie: 'tessera_at', isRevoked: (claims) => claims.jti === 'revoked-jti' },
    optional: { ...base, credentialsRequired: false, query: true },
    hook: {
      ...base,
      isRevoked: async (claims) => {
        if (claims.sub === 'rejects') throw new Error('revocation store unreachable: 10.0.0.7 secret-detail');
        if (claims.sub === 'sloppy') return 'no';
        throw new Error('revocation store unreachable: 10.0.0.7 secret-detail');
      },
    },
    onerror: {
      ...base,
      onError: (failure) => {
        if (failure.body.error === 'unauthorized') return { status: 200, body: { error: 'none' } };
        if (failure.body.error === 'invalid_request') throw new Error('broken hook');
        return { headers: { 'x-request-id': 'r-1' }, body: { ...failure.body, request_id: 'r-1' } };
      },
    },
    rotation: { ...base, key: remote(config.rotationURL) },
    down: { ...base, key: remote(config.downURL) },
  });
  const apps = {};
  for (const [name, options] of Object.entries(profiles())) apps[`${name}/fetch`] = fetchRoutes(options);
  for (const [name, options] of Object.entries(profiles())) apps[`${name}/hono`] = honoApp(options);
  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/setup') return Response.json(setupErrors(base));
    const [, profile, adapter, ...rest] = url.pathname.split('/');
    const app = apps[`${profile}/${adapter}`];
    if (app === undefined) return new Response('not found', { status: 404 });
    const path = `/${rest.join('/')}`;
    if (adapter === 'fetch') return app[path.slice(1)]?.(request) ?? new Response('not found', { status: 404 });
    url.pathname = path;
    return app.fetch(new Request(url, request));
  };
}
