// Logging in with a username and password, two ways over one check: the RFC 6749 §4.3 `password`
// grant on POST /token (form body, for OAuth clients and curl), and POST /login, which also takes
// JSON (for the debugger page and scripts). Both issue the same token pair through the token service.
// The scope granted is what the client asked for, narrowed to what the user may have (RFC 6749 §3.3
// lets the server grant less; the response's `scope` says what was granted).
import type { Grant, TokenService } from 'tessera-jwt/server';
import { BODY_LIMITS } from './body-limit.js';
import { json, oauthError, parseForm, parseJSONObject, readBody, RequestProblem } from './http.js';
import type { LoginThrottle } from 'tessera-jwt/provider';
import { isAcceptablePassword, type UserStore } from './users.js';

export interface Login {
  /** The `password` grant for createTokenEndpoints: a Grant, or the refusal as a Response. */
  passwordGrant(params: URLSearchParams, request: Request): Promise<Grant | Response | undefined>;
  /** POST /login: `{ username, password, client_id?, scope? }` as JSON or a form → RFC 6749 §5.1 token response. */
  route(request: Request): Promise<Response>;
}

const MAX_BODY = BODY_LIMITS['/login']!;

function narrowScope(requested: string | undefined, allowed: string): string | undefined {
  const allowedSet = new Set(allowed.split(' ').filter(Boolean));
  if (requested === undefined) return allowed;
  const wanted = requested.split(' ').filter(Boolean);
  if (wanted.some((s) => !allowedSet.has(s))) return undefined;
  return wanted.join(' ');
}

export interface LoginOptions {
  users: UserStore;
  service: TokenService;
  clientIds: readonly string[];
  throttle: LoginThrottle;
  /** The client address of a request (for the throttle). */
  addressOf: (request: Request) => string;
}

export function createLogin(options: LoginOptions): Login {
  const { users, service, throttle } = options;
  const clients = new Set(options.clientIds);
  const challenge = { 'www-authenticate': 'Basic realm="tessera"' };
  const invalidClient = (description: string) => oauthError(401, 'invalid_client', description, challenge);

  /** The one login check of both routes: a Grant, the RFC 6749 §5.2 refusal to send, or 'wrong' credentials. */
  const authenticate = async (
    fields: { username: unknown; password: unknown; clientId: string; scope: string | undefined },
    request: Request,
  ): Promise<Grant | Response | 'wrong'> => {
    const { username, password, clientId, scope } = fields;
    if (typeof username !== 'string' || username === '')
      return oauthError(400, 'invalid_request', 'The "username" parameter is required and must be a string');
    if (typeof password !== 'string' || password === '')
      return oauthError(400, 'invalid_request', 'The "password" parameter is required and must be a string');
    if (!isAcceptablePassword(password))
      return oauthError(400, 'invalid_request', 'The password must not contain control characters');
    if (!clients.has(clientId)) return invalidClient('The client_id is not registered');
    const address = options.addressOf(request);
    const wait = throttle.wait(username, address);
    if (wait > 0) {
      const seconds = Math.ceil(wait);
      return oauthError(429, 'slow_down', `Too many failed logins: retry in ${seconds} seconds`, {
        'retry-after': String(seconds),
      });
    }
    const user = await users.verify(username, password);
    if (!user) {
      throttle.failed(username, address);
      return 'wrong';
    }
    throttle.succeeded(username, address);
    const granted = narrowScope(scope, user.scope);
    if (granted === undefined)
      return oauthError(400, 'invalid_scope', 'The requested scope exceeds what the user may be granted');
    return { sub: user.sub, client_id: clientId, scope: granted, claims: { preferred_username: user.username } };
  };

  return {
    async passwordGrant(params, request) {
      // The endpoints authenticated the client (HTTP Basic or client_id) before calling this.
      const clientId = params.get('client_id');
      if (!clientId) return oauthError(400, 'invalid_request', 'The "client_id" parameter is required');
      const result = await authenticate(
        {
          username: params.get('username'),
          password: params.get('password'),
          clientId,
          scope: params.get('scope') ?? undefined,
        },
        request,
      );
      return result === 'wrong' ? undefined : result; // the endpoints' own invalid_grant
    },

    async route(request) {
      try {
        // Clients of this server are public: credentials in an Authorization header cannot be right.
        if (request.headers.has('authorization'))
          return invalidClient('Client authentication failed: public clients send only client_id');
        const body = await readBody(request, {
          types: ['application/json', 'application/x-www-form-urlencoded'],
          maxBytes: MAX_BODY,
        });
        const fields: Record<string, unknown> =
          body.type === 'application/json' ? parseJSONObject(body.text) : parseForm(body.text);
        const text = (name: string): string | undefined => {
          const value = fields[name];
          if (value === undefined) return undefined;
          if (typeof value !== 'string' || value === '')
            throw new RequestProblem(
              oauthError(400, 'invalid_request', `The "${name}" parameter must be a non-empty string`),
            );
          return value;
        };
        const result = await authenticate(
          {
            username: fields.username,
            password: fields.password,
            clientId: text('client_id') ?? options.clientIds[0]!,
            scope: text('scope'),
          },
          request,
        );
        if (result === 'wrong') return oauthError(400, 'invalid_grant', 'The username or password is incorrect');
        return result instanceof Response ? result : json(200, await service.issue(result));
      } catch (err) {
        if (err instanceof RequestProblem) return err.response;
        throw err;
      }
    },
  };
}
