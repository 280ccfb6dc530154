// Logging in with a username and password, two ways over one check: the RFC 6749 §4.3 `password`
// grant on POST /token (form body, for OAuth clients and curl), and POST /login, which also takes
// JSON (for the debugger page and scripts). Both issue the same token pair through the token service.
// The scope granted is what the client asked for, narrowed to what the user may have (RFC 6749 §3.3
// lets the server grant less; the response's `scope` says what was granted).
import type { Grant, TokenService } from 'tessera-jwt/server';
import { BODY_LIMITS } from './body-limit.js';
import { json, oauthError, parseForm, parseJSONObject, readBody, RequestProblem } from './http.js';
import type { UserStore } from './users.js';

export interface Login {
  /** The `password` grant for createTokenEndpoints: a Grant, or undefined for `invalid_grant`. */
  passwordGrant(params: URLSearchParams): Promise<Grant | undefined>;
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

export function createLogin(options: { users: UserStore; service: TokenService; clientIds: readonly string[] }): Login {
  const { users, service } = options;
  const clients = new Set(options.clientIds);

  const authenticate = async (username: string, password: string, clientId: string, scope: string | undefined) => {
    if (!clients.has(clientId)) return { error: 'invalid_client' as const };
    const user = await users.verify(username, password);
    if (!user) return { error: 'invalid_grant' as const };
    const granted = narrowScope(scope, user.scope);
    if (granted === undefined) return { error: 'invalid_scope' as const };
    const grant: Grant = {
      sub: user.sub,
      client_id: clientId,
      scope: granted,
      claims: { preferred_username: user.username },
    };
    return { grant };
  };

  return {
    async passwordGrant(params) {
      const username = params.get('username');
      const password = params.get('password');
      const clientId = params.get('client_id');
      // The library's grant hook can only refuse with invalid_grant: a missing parameter or an unknown
      // client lands there too (see the report on createTokenEndpoints).
      if (!username || password === null || !clientId) return undefined;
      const result = await authenticate(username, password, clientId, params.get('scope') ?? undefined);
      return result.grant;
    },

    async route(request) {
      try {
        const body = await readBody(request, {
          types: ['application/json', 'application/x-www-form-urlencoded'],
          maxBytes: MAX_BODY,
        });
        const fields: Record<string, unknown> =
          body.type === 'application/json' ? parseJSONObject(body.text) : parseForm(body.text);
        const text = (name: string, required: boolean): string | undefined => {
          const value = fields[name];
          if (value === undefined && !required) return undefined;
          if (typeof value !== 'string' || value === '')
            throw new RequestProblem(
              oauthError(400, 'invalid_request', `The "${name}" parameter is required and must be a string`),
            );
          return value;
        };
        const username = text('username', true)!;
        const password = text('password', true)!;
        const clientId = text('client_id', false) ?? options.clientIds[0]!;
        const scope = text('scope', false);
        const result = await authenticate(username, password, clientId, scope);
        if (result.grant) return json(200, await service.issue(result.grant));
        switch (result.error) {
          case 'invalid_client':
            return oauthError(401, 'invalid_client', 'The client_id is not registered', {
              'www-authenticate': 'Basic realm="tessera"',
            });
          case 'invalid_scope':
            return oauthError(400, 'invalid_scope', 'The requested scope exceeds what the user may be granted');
          default:
            return oauthError(400, 'invalid_grant', 'The username or password is incorrect');
        }
      } catch (err) {
        if (err instanceof RequestProblem) return err.response;
        throw err;
      }
    },
  };
}
