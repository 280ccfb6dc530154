/**
 * A Fastify 5 plugin: Bearer tokens (RFC 6750) verified with a key, a `JWKSet` or a remote JWKS, the
 * claims on `request.auth`, and every refusal answered with the RFC 6750 §3 status, `WWW-Authenticate`
 * and a JSON body. Fastify is typed structurally: this module imports nothing from it.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyAuth, requireScopes } from 'tessera-jwt/fastify';
 * const auth = fastifyAuth({ key: publicKey, algorithms: ['ES256'], audience: 'https://api.example.com' });
 * const app = Fastify();
 * await app.register(auth);
 * app.get('/orders', { preHandler: auth.require(requireScopes('read:orders')) }, async (request) => ({ user: auth.claims(request)?.sub }));
 * ```
 * @module
 */
import type { JWTPayload } from '../types.js';
import {
  AUTH_OPTION_NAMES,
  type AuthOptions,
  type Outcome,
  checkGuards,
  createAuthCore,
  failureText,
  isThenable,
} from '../middleware/core.js';
import { optionNames } from '../internal.js';
import { nodeRequestView } from '../middleware/node-request.js';
import { nodeVerifier } from '../middleware/node-verifier.js';
import type { ClaimsGuard } from '../middleware/scopes.js';

export { requireScopes, requireClaims, type ClaimsGuard, type ClaimRequirements } from '../middleware/scopes.js';
export {
  protectedResourceMetadata,
  protectedResourceMetadataURL,
  type ProtectedResourceMetadata,
  type ProtectedResourceMetadataOptions,
} from '../middleware/resource-metadata.js';
export type { AuthOptions, AuthFailure, AuthResponse, AuthErrorBody } from '../middleware/core.js';

/**
 * The parts of a Fastify request the plugin reads and writes. A `FastifyRequest` satisfies it.
 * @example
 * ```ts
 * const hook = (request: FastifyRequestLike) => request.auth;
 * ```
 */
export interface FastifyRequestLike {
  headers: Record<string, string | string[] | undefined>;
  raw: { rawHeaders?: string[] };
  url: string;
  /** The verified claims, set by {@link fastifyAuth}. */
  auth?: unknown;
}

/**
 * The parts of a Fastify reply the plugin uses to answer. A `FastifyReply` satisfies it.
 * @example
 * ```ts
 * const deny = (reply: FastifyReplyLike) => reply.code(401).send('{}');
 * ```
 */
export interface FastifyReplyLike {
  /** Sets the status code. */
  code(statusCode: number): unknown;
  /** Sets a response header. */
  header(name: string, value: string): unknown;
  /** Sends the body. */
  send(payload: string): unknown;
}

/**
 * The parts of a Fastify instance the plugin registers itself with.
 * @example
 * ```ts
 * const register = (app: FastifyInstanceLike) => app.hasRequestDecorator('auth');
 * ```
 */
export interface FastifyInstanceLike {
  /** Whether the request already has the decorator `property`. */
  hasRequestDecorator(property: string): boolean;
  // Function-typed: Fastify's own signatures are generic over its type providers, which a structural
  // type cannot name; these are called as decorateRequest('auth', null) and addHook(name, hook).
  decorateRequest: Function;
  addHook: Function;
}

/**
 * Options of {@link fastifyAuth}: {@link AuthOptions} plus the hook the plugin adds when registered.
 * @example
 * ```ts
 * const options: FastifyAuthOptions = { key: secret, algorithms: ['HS256'], hook: false }; // routes opt in with auth.hook
 * ```
 */
export interface FastifyAuthOptions<Claims = JWTPayload, Req extends FastifyRequestLike = FastifyRequestLike>
  extends AuthOptions<Claims, Req> {
  /**
   * Which hook `register` adds for every route of the registering context: `'onRequest'` (the default:
   * refused requests never have their body parsed), `'preHandler'`, or `false` to add none and let routes
   * opt in with `{ onRequest: auth.hook }` or `{ preHandler: auth.require(…) }`.
   */
  hook?: 'onRequest' | 'preHandler' | false;
}

/**
 * A Fastify hook from {@link fastifyAuth}: usable as `onRequest` or `preHandler`. Given Fastify's `done`,
 * it calls it at once when the verification was synchronous (a cached or HMAC token: no promise, no extra
 * tick), and otherwise returns a promise, as Fastify accepts either. Called without `done`, it always
 * returns a promise (of `undefined` when the request may go on, of the reply when it was refused).
 */
type Hook<Req> = (request: Req, reply: FastifyReplyLike, done?: (err?: Error) => void) => Promise<unknown> | undefined;

/**
 * The plugin from {@link fastifyAuth}: `app.register(auth)` decorates `request.auth` and adds the hook;
 * `auth.hook` and `auth.require(…)` are route-level hooks.
 * @example
 * ```ts
 * const auth: FastifyAuthPlugin<{ sub: string }> = fastifyAuth({ key, algorithms: ['EdDSA'] });
 * await app.register(auth);
 * app.get('/me', async (request) => auth.claims(request));
 * ```
 */
export interface FastifyAuthPlugin<Claims = JWTPayload, Req extends FastifyRequestLike = FastifyRequestLike> {
  (instance: FastifyInstanceLike, options?: unknown): Promise<void>;
  /** Authenticates one request; use as `onRequest` or `preHandler` hook. */
  readonly hook: Hook<Req>;
  /** A hook that also requires the guards (it reuses the result when the plugin's hook already ran). */
  require(...guards: Array<ClaimsGuard<Claims>>): Hook<Req>;
  /** The verified claims of `request` (typed), or `undefined` when it was not authenticated. */
  claims(request: Req): Claims | undefined;
}

const FASTIFY_OPTION_NAMES = optionNames(AUTH_OPTION_NAMES, ['hook']);

/** The Fastify versions this plugin is written and tested for (fastify-plugin's `fastify` metadata). */
const SUPPORTED_FASTIFY = '5.x';

/**
 * Creates a Fastify 5 plugin that requires a valid Bearer token on every route of the context that
 * registers it (fastify-plugin semantics: not encapsulated), with the claims on `request.auth`
 * (`auth.claims(request)` reads them typed). Refusals follow RFC 6750 §3 (401 `invalid_token`, 401
 * without `error` when no token was sent, 400 `invalid_request`, 403 `insufficient_scope`; 503 when a
 * remote JWKS or the revocation hook is unavailable). Options are validated at once (`TypeError`).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyAuth, requireScopes, createRemoteJWKSet } from 'tessera-jwt';
 * const auth = fastifyAuth({ key: createRemoteJWKSet('https://auth.example.com/.well-known/jwks.json'), algorithms: ['RS256'], issuer: 'https://auth.example.com/' });
 * const app = Fastify();
 * await app.register(auth);
 * app.get('/orders', { preHandler: auth.require(requireScopes('read:orders')) }, async (request) => {
 *   return { user: auth.claims(request)!.sub };
 * });
 * await app.listen({ port: 3000 });
 * ```
 */
export function fastifyAuth<Claims = JWTPayload, Req extends FastifyRequestLike = FastifyRequestLike>(
  options: FastifyAuthOptions<Claims, Req>,
): FastifyAuthPlugin<Claims, Req> {
  const { hook: hookName = 'onRequest', ...authOptions } = options ?? ({} as FastifyAuthOptions<Claims, Req>);
  if (hookName !== 'onRequest' && hookName !== 'preHandler' && hookName !== false) {
    throw new TypeError("\"hook\" option must be 'onRequest', 'preHandler' or false");
  }
  // "hook" was taken out above; the core checks every other name, and knows "hook" only to suggest it.
  const core = createAuthCore<Claims, Req>(
    options === null || typeof options !== 'object' ? options : authOptions,
    'fastifyAuth',
    FASTIFY_OPTION_NAMES,
    nodeVerifier,
  );
  // Fastify: a hook that answered must not let the route run; an async one resolves to the reply.
  const answer = (request: Req, reply: FastifyReplyLike, result: Outcome<Claims>): unknown => {
    if (result.ok) {
      if (result.claims !== undefined) request.auth = result.claims;
      return undefined;
    }
    reply.code(result.status);
    for (const [name, value] of Object.entries(result.headers)) reply.header(name, value);
    reply.send(failureText(result));
    return reply;
  };
  const run = (
    request: Req,
    reply: FastifyReplyLike,
    done: ((err?: Error) => void) | undefined,
    guards?: ReadonlyArray<ClaimsGuard<Claims>>,
  ): Promise<unknown> | undefined => {
    const view = nodeRequestView({ headers: request.headers, rawHeaders: request.raw.rawHeaders }, () => request.url);
    const result = core.run(request, view, guards);
    if (isThenable(result)) return result.then((outcome) => answer(request, reply, outcome));
    const answered = answer(request, reply, result);
    if (done === undefined) return Promise.resolve(answered);
    // Callback style: `done()` lets the request go on; a refusal was sent, and Fastify stops there.
    if (answered === undefined) done();
    return undefined;
  };
  const hook: Hook<Req> = (request, reply, done) => run(request, reply, done);
  const plugin = (async (instance: FastifyInstanceLike) => {
    if (!instance.hasRequestDecorator('auth')) instance.decorateRequest('auth', null);
    if (hookName !== false) instance.addHook(hookName, hook);
  }) as unknown as FastifyAuthPlugin<Claims, Req> & Record<symbol, unknown>;
  // What fastify-plugin would set: not encapsulated (the hook and decorator reach the registering
  // context), a name in errors and the printed plugin tree, and the Fastify versions supported.
  plugin[Symbol.for('skip-override')] = true;
  plugin[Symbol.for('fastify.display-name')] = 'tessera';
  plugin[Symbol.for('plugin-meta')] = { name: 'tessera', fastify: SUPPORTED_FASTIFY };
  Object.defineProperty(plugin, 'hook', { value: hook, enumerable: true });
  plugin.require = (...guards) => {
    const checked = checkGuards(guards);
    return (request, reply, done) => run(request, reply, done, checked);
  };
  plugin.claims = (request) => core.recorded(request)?.claims;
  return plugin;
}
