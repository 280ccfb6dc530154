// The sign-in routes for Express, Fastify and Hono, with the same behaviour in all three: the
// framework-neutral core (session.ts) does the work; this file only translates requests and responses.
// The frameworks are described structurally, so the library still depends on none of them.
import type { OIDCClient } from './client.js';
import {
  type CoreRequest,
  type CoreResponse,
  createOIDCRoutes,
  type OIDCRoutesOptions,
  type OIDCSession,
} from './session.js';

interface NodeLikeRequest {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  /** The socket (`encrypted` is true on a TLS socket). */
  socket?: unknown;
  /** A body a parser (express.urlencoded …) already read. */
  body?: unknown;
  /** The body stream (an IncomingMessage). */
  on?: (event: string, listener: (...args: never[]) => void) => unknown;
  readableEnded?: boolean;
}

/** The body of a Node request as text, from a body parser's result or from the stream; undefined over `limit`. */
function readNodeBody(req: NodeLikeRequest, limit: number): Promise<string | undefined> {
  const parsed = req.body;
  if (typeof parsed === 'string') return Promise.resolve(parsed.length > limit ? undefined : parsed);
  if (parsed instanceof Uint8Array)
    return Promise.resolve(parsed.length > limit ? undefined : Buffer.from(parsed).toString('utf8'));
  if (parsed !== null && typeof parsed === 'object') {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(parsed))
      for (const v of Array.isArray(value) ? value : [value]) form.append(name, String(v));
    return Promise.resolve(form.toString());
  }
  if (typeof req.on !== 'function' || req.readableEnded === true) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on!('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on!('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on!('error', reject);
  });
}

function nodeRequest(req: NodeLikeRequest, secure: boolean | undefined): CoreRequest {
  const host = (req.headers.host as string | undefined) ?? 'localhost';
  const https = secure ?? (req.socket as { encrypted?: unknown } | undefined)?.encrypted === true;
  const cookie = req.headers.cookie;
  return {
    method: req.method ?? 'GET',
    url: new URL(req.originalUrl ?? req.url ?? '/', `${https ? 'https' : 'http'}://${host}`),
    cookie: Array.isArray(cookie) ? cookie.join('; ') : cookie,
    contentType: req.headers['content-type'] as string | undefined,
    readBody: (limit) => readNodeBody(req, limit),
  };
}

/**
 * The Express request as {@link oidcExpress} leaves it: `req.oidc` is the session, or undefined.
 * @example
 * ```ts
 * app.get('/me', (req: OIDCExpressRequest, res) => res.json(req.oidc?.claims ?? null));
 * ```
 */
export interface OIDCExpressRequest extends NodeLikeRequest {
  oidc?: OIDCSession;
}

/**
 * The parts of an Express response that {@link oidcExpress} uses.
 * @example
 * ```ts
 * const res: OIDCExpressResponse = expressResponse;
 * ```
 */
export interface OIDCExpressResponse {
  statusCode: number;
  setHeader(name: string, value: string | string[]): unknown;
  getHeader(name: string): unknown;
  end(body?: string): unknown;
}

function send(res: OIDCExpressResponse, out: CoreResponse): void {
  res.statusCode = out.status;
  const cookies: string[] = [];
  for (const [name, value] of out.headers) {
    if (name === 'set-cookie') cookies.push(value);
    else res.setHeader(name, value);
  }
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(out.body);
}

function appendCookies(res: OIDCExpressResponse, cookies: string[]): void {
  if (cookies.length === 0) return;
  const existing = res.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  res.setHeader('set-cookie', [...list, ...cookies]);
}

/**
 * Express middleware (`app.use(oidcExpress(client, options))`): serves the login, callback and logout
 * routes and sets `req.oidc` to the session (refreshed before its access token expires) on every other request.
 * @example
 * ```ts
 * import { discoverClient, oidcExpress } from 'tessera-jwt/oidc';
 * const client = await discoverClient('https://accounts.example.com', { clientId, clientSecret, redirectUri: 'https://app.example.com/callback' });
 * app.use(oidcExpress(client, { secret: process.env.SESSION_KEY }));
 * app.get('/me', (req, res) => (req.oidc ? res.json(req.oidc.claims) : res.redirect('/login')));
 * ```
 */
export function oidcExpress(
  client: OIDCClient,
  options: OIDCRoutesOptions,
): (req: OIDCExpressRequest, res: OIDCExpressResponse, next: (err?: unknown) => void) => void {
  const routes = createOIDCRoutes(client, options);
  return (req, res, next) => {
    const core = nodeRequest(req, options.secure);
    (async () => {
      const out = await routes.handle(core);
      if (out !== undefined) return send(res, out);
      const { session, setCookie } = await routes.session(core);
      appendCookies(res, setCookie);
      if (session !== undefined) req.oidc = session;
      next();
    })().catch(next);
  };
}

/**
 * The parts of a Fastify instance that {@link oidcFastify} uses.
 * @example
 * ```ts
 * await app.register(oidcFastify(client, { secret }));
 * ```
 */
export interface OIDCFastifyInstance {
  // Function-typed, as in tessera-jwt/fastify: Fastify's signatures are generic over its type providers,
  // which a structural type cannot name; called as decorateRequest('oidc', undefined) and addHook('onRequest', hook).
  decorateRequest: Function;
  addHook: Function;
}

/**
 * A Fastify request as {@link oidcFastify} leaves it: `request.oidc` is the session, or undefined.
 * @example
 * ```ts
 * app.get('/me', async (request: OIDCFastifyRequest) => request.oidc?.claims ?? null);
 * ```
 */
export interface OIDCFastifyRequest {
  method: string;
  url: string;
  protocol?: string;
  headers: Record<string, string | string[] | undefined>;
  raw: NodeLikeRequest;
  oidc?: OIDCSession | undefined;
}

/**
 * The parts of a Fastify reply that {@link oidcFastify} uses.
 * @example
 * ```ts
 * const reply: OIDCFastifyReply = fastifyReply;
 * ```
 */
export interface OIDCFastifyReply {
  code(status: number): OIDCFastifyReply;
  header(name: string, value: string | string[]): OIDCFastifyReply;
  getHeader(name: string): unknown;
  send(body?: string): unknown;
  readonly sent?: boolean;
}

/**
 * A Fastify plugin (`await app.register(oidcFastify(client, options))`): the same routes and `request.oidc`
 * as {@link oidcExpress}. It does not encapsulate (like a `fastify-plugin`), so the hook sees every route.
 * @example
 * ```ts
 * import { oidcFastify } from 'tessera-jwt/oidc';
 * await app.register(oidcFastify(client, { secret: process.env.SESSION_KEY }));
 * app.get('/me', async (request, reply) => request.oidc?.claims ?? reply.redirect('/login'));
 * ```
 */
export function oidcFastify(
  client: OIDCClient,
  options: OIDCRoutesOptions,
): (app: OIDCFastifyInstance) => Promise<void> {
  const routes = createOIDCRoutes(client, options);
  const plugin = async (app: OIDCFastifyInstance) => {
    app.decorateRequest('oidc', undefined);
    app.addHook('onRequest', async (request: OIDCFastifyRequest, reply: OIDCFastifyReply) => {
      const secure =
        options.secure ??
        (request.protocol === 'https' ||
          (request.raw.socket as { encrypted?: unknown } | undefined)?.encrypted === true);
      const core = nodeRequest(request.raw, secure);
      const out = await routes.handle(core);
      if (out !== undefined) {
        reply.code(out.status);
        const cookies: string[] = [];
        for (const [name, value] of out.headers) {
          if (name === 'set-cookie') cookies.push(value);
          else reply.header(name, value);
        }
        if (cookies.length > 0) reply.header('set-cookie', cookies);
        return reply.send(out.body ?? '');
      }
      const { session, setCookie } = await routes.session(core);
      if (setCookie.length > 0) reply.header('set-cookie', setCookie);
      request.oidc = session;
      return undefined;
    });
  };
  // fastify-plugin's convention: do not encapsulate, so the hook applies to the routes of the parent.
  (plugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
  return plugin;
}

/**
 * The parts of a Hono context that {@link oidcHono} uses.
 * @example
 * ```ts
 * app.get('/me', (c) => c.json(c.get('oidc')?.claims ?? null));
 * ```
 */
export interface OIDCHonoContext {
  req: { raw: Request; url: string; method: string };
  set(key: 'oidc', value: OIDCSession | undefined): void;
  header(name: string, value: string, options?: { append?: boolean }): void;
}

/**
 * Hono middleware (`app.use(oidcHono(client, options))`): the same routes as {@link oidcExpress}; the
 * session is `c.get('oidc')`.
 * @example
 * ```ts
 * import { oidcHono } from 'tessera-jwt/oidc';
 * const app = new Hono<{ Variables: { oidc?: OIDCSession } }>();
 * app.use(oidcHono(client, { secret: process.env.SESSION_KEY }));
 * app.get('/me', (c) => (c.get('oidc') ? c.json(c.get('oidc')!.claims) : c.redirect('/login')));
 * ```
 */
export function oidcHono(
  client: OIDCClient,
  options: OIDCRoutesOptions,
): (c: OIDCHonoContext, next: () => Promise<void>) => Promise<Response | undefined> {
  const routes = createOIDCRoutes(client, options);
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (options.secure !== undefined) url.protocol = options.secure ? 'https:' : 'http:';
    const core: CoreRequest = {
      method: c.req.method,
      url,
      cookie: c.req.raw.headers.get('cookie') ?? undefined,
      contentType: c.req.raw.headers.get('content-type') ?? undefined,
      readBody: async (limit) => {
        if (Number(c.req.raw.headers.get('content-length') ?? 0) > limit) return undefined;
        const text = await c.req.raw.text();
        return Buffer.byteLength(text) > limit ? undefined : text;
      },
    };
    const out = await routes.handle(core);
    if (out !== undefined) {
      const headers = new Headers();
      for (const [name, value] of out.headers) headers.append(name, value);
      return new Response(out.body ?? null, { status: out.status, headers });
    }
    const { session, setCookie } = await routes.session(core);
    for (const value of setCookie) c.header('set-cookie', value, { append: true });
    c.set('oidc', session);
    await next();
    return undefined;
  };
}
