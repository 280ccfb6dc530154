// RFC 7591 dynamic client registration and RFC 7592 client management. POST /register creates a client
// (open, or gated by an initial access token), answering 201 with its id, its secret (confidential
// clients, returned this once: only a hash is stored) and a registration access token (also stored
// hashed) for GET / PUT / DELETE on its registration_client_uri, /register/{client_id}. Metadata is
// validated by client-metadata.ts; refusals are RFC 7591 §3.2.2 JSON errors, a missing or wrong bearer
// token is RFC 6750 §3's 401 invalid_token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { checkOptionNames, optionNames } from '../internal.js';
import type { ClientRegistry, RegisteredClient } from './clients.js';
import { InvalidClientMetadataError } from './errors.js';

/**
 * Dynamic client registration settings ({@link ProviderOptions.registration}). Off unless `enabled`.
 * Without `initialAccessToken` registration is open (anyone may register a client, as with
 * node-oidc-provider's `features.registration`); with it, POST /register needs that Bearer token.
 * @example
 * ```ts
 * const registration: RegistrationOptions = { enabled: true, initialAccessToken: process.env.IAT! };
 * ```
 */
export interface RegistrationOptions {
  /** Serve /register and RFC 7592 management (default false). */
  enabled?: boolean;
  /**
   * The initial access token POST /register requires (RFC 7591 §3): a string compared in constant time, or
   * a function deciding; absent: open registration.
   */
  initialAccessToken?: string | ((token: string, request: Request) => boolean | Promise<boolean>);
  /** Largest accepted request body in bytes (default 64 KiB). */
  maxBodyBytes?: number;
}

export const REGISTRATION_PATH = '/register';
const REGISTRATION_OPTIONS = optionNames(['enabled', 'initialAccessToken', 'maxBodyBytes']);
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
// RFC 7592 §2.2: fields of the response a client may echo back, ignored in a PUT.
const SERVER_FIELDS = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
];

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...NO_STORE, ...headers },
  });
const error = (status: number, code: string, description: string, headers: Record<string, string> = {}) =>
  json(status, { error: code, error_description: description }, headers);

/** Checks the registration options (TypeError for a wrong shape or an unknown name). */
export function checkRegistrationOptions(value: unknown): RegistrationOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TypeError('"registration" option must be an object');
  checkOptionNames(value, REGISTRATION_OPTIONS, 'createProvider registration');
  const options = value as RegistrationOptions;
  if (options.enabled !== undefined && typeof options.enabled !== 'boolean')
    throw new TypeError('"registration.enabled" must be a boolean');
  const iat = options.initialAccessToken;
  if (iat !== undefined && typeof iat !== 'function' && (typeof iat !== 'string' || iat.length < 16))
    throw new TypeError('"registration.initialAccessToken" must be a string of at least 16 characters or a function');
  if (
    options.maxBodyBytes !== undefined &&
    (!Number.isInteger(options.maxBodyBytes) || options.maxBodyBytes < 1024 || options.maxBodyBytes > 1 << 20)
  )
    throw new TypeError('"registration.maxBodyBytes" must be an integer from 1024 to 1048576');
  return options;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The registration endpoints. `handle` answers `/register` and `/register/{client_id}` (undefined for
 * other paths); `onChange` is called after every create, update and delete (the CORS origin cache).
 */
export function createRegistration(options: {
  clients: ClientRegistry;
  issuer: string;
  /** The scopes the provider knows: a registered `scope` may name only these. */
  scopes: ReadonlySet<string>;
  settings: RegistrationOptions;
  onChange?: () => void;
  onError?: (error: unknown, request: Request) => void;
}) {
  const { clients, settings } = options;
  const base = options.issuer.replace(/\/+$/, '');
  const maxBody = settings.maxBodyBytes ?? 64 * 1024;
  const realm = 'Bearer realm="registration"';
  const iat = settings.initialAccessToken;
  const expectedIAT = typeof iat === 'string' ? digest(iat) : undefined;

  const unauthorized = (sent: boolean, description: string) =>
    error(401, 'invalid_token', description, {
      'www-authenticate': sent ? `${realm}, error="invalid_token"` : realm,
    });
  const bearerOf = (request: Request): string | undefined | null => {
    const header = request.headers.get('authorization');
    if (header === null) return undefined;
    return BEARER.exec(header)?.[1] ?? null;
  };

  /** Reads a JSON object body, or the error response. */
  const readJSON = async (request: Request): Promise<Record<string, unknown> | Response> => {
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json')
      return error(400, 'invalid_client_metadata', 'The body must be application/json (RFC 7591 §3.1)');
    if (Number(request.headers.get('content-length') ?? 0) > maxBody)
      return error(413, 'invalid_client_metadata', 'The request body is too large');
    const text = await request.text();
    if (Buffer.byteLength(text) > maxBody)
      return error(413, 'invalid_client_metadata', 'The request body is too large');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return error(400, 'invalid_client_metadata', 'The body is not valid JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return error(400, 'invalid_client_metadata', 'The body must be a JSON object of client metadata');
    return body as Record<string, unknown>;
  };

  /** The client information response (RFC 7591 §3.2.1, RFC 7592 §3). */
  const information = (
    client: RegisteredClient,
    registrationToken: string,
    secret: { value?: string; confidential: boolean },
  ) => ({
    ...client,
    ...(secret.value !== undefined ? { client_secret: secret.value } : {}),
    ...(secret.confidential ? { client_secret_expires_at: 0 } : {}),
    registration_access_token: registrationToken,
    registration_client_uri: `${base}${REGISTRATION_PATH}/${encodeURIComponent(client.client_id)}`,
  });
  const isConfidential = (client: RegisteredClient) =>
    client.token_endpoint_auth_method === 'client_secret_basic' ||
    client.token_endpoint_auth_method === 'client_secret_post';
  /**
   * What only a dynamic registration is refused (beyond the metadata rules): a scope the provider does not
   * know, and under open registration the client_credentials grant (anyone could mint tokens for itself).
   */
  const policy = (body: Record<string, unknown>): Response | undefined => {
    if (typeof body.scope === 'string' && !body.scope.split(' ').every((s) => options.scopes.has(s)))
      return error(400, 'invalid_client_metadata', '"scope" names a scope this provider does not know');
    if (iat === undefined && Array.isArray(body.grant_types) && body.grant_types.includes('client_credentials'))
      return error(
        400,
        'invalid_client_metadata',
        'Open registration does not register client_credentials clients: the provider must gate registration with an initial access token',
      );
    return undefined;
  };
  const refused = (err: unknown, request: Request): Response => {
    if (err instanceof InvalidClientMetadataError) return error(400, err.oauthError, err.message);
    options.onError?.(err, request);
    return error(500, 'server_error', 'The server could not complete the request');
  };

  const register = async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') return error(405, 'invalid_request', 'Use POST', { allow: 'POST' });
    if (iat !== undefined) {
      const token = bearerOf(request);
      if (typeof token !== 'string')
        return unauthorized(token === null, 'An initial access token is required to register a client');
      const ok =
        expectedIAT !== undefined
          ? timingSafeEqual(digest(token), expectedIAT)
          : await (iat as (token: string, request: Request) => boolean | Promise<boolean>)(token, request);
      if (ok !== true) return unauthorized(true, 'The initial access token is invalid');
    }
    const body = await readJSON(request);
    if (body instanceof Response) return body;
    // The provider chooses the identifiers and the secret (RFC 7591 §3.2.1), never the client.
    for (const name of ['client_id', 'client_secret', ...SERVER_FIELDS]) delete body[name];
    const refusal = policy(body);
    if (refusal) return refusal;
    try {
      const created = await clients.register(body, { withRegistrationToken: true });
      options.onChange?.();
      return json(
        201,
        information(created.client, created.registration_access_token!, {
          ...(created.client_secret !== undefined ? { value: created.client_secret } : {}),
          confidential: isConfidential(created.client),
        }),
      );
    } catch (err) {
      return refused(err, request);
    }
  };

  const manage = async (request: Request, clientId: string): Promise<Response> => {
    if (!['GET', 'HEAD', 'PUT', 'DELETE'].includes(request.method))
      return error(405, 'invalid_request', 'Use GET, PUT or DELETE', { allow: 'GET, PUT, DELETE' });
    const token = bearerOf(request);
    if (typeof token !== 'string') return unauthorized(token === null, 'The registration access token is required');
    // RFC 7592 §2.1: an unknown client and a wrong token look alike (401).
    const client = await clients.checkRegistrationToken(clientId, token);
    if (!client) return unauthorized(true, 'The registration access token is invalid');
    const confidential = isConfidential(client);
    if (request.method === 'GET' || request.method === 'HEAD')
      return json(200, information(client, token, { confidential }));
    if (request.method === 'DELETE') {
      await clients.delete(clientId);
      options.onChange?.();
      return new Response(null, { status: 204, headers: NO_STORE });
    }
    const body = await readJSON(request);
    if (body instanceof Response) return body;
    // RFC 7592 §2.2: client_id must be the client's; a client_secret, if sent, must be the current one.
    if (body.client_id !== clientId)
      return error(400, 'invalid_client_metadata', '"client_id" must be sent and be this client\'s id');
    if (body.client_secret !== undefined) {
      const checked =
        typeof body.client_secret === 'string' ? await clients.checkSecret(clientId, body.client_secret) : undefined;
      if (!checked?.ok)
        return error(400, 'invalid_client_metadata', '"client_secret" does not match the current secret');
    }
    for (const name of ['client_id', 'client_secret', ...SERVER_FIELDS]) delete body[name];
    const refusal = policy(body);
    if (refusal) return refusal;
    try {
      const updated = await clients.update(clientId, body);
      if (!updated) return unauthorized(true, 'The registration access token is invalid');
      options.onChange?.();
      return json(200, information(updated, token, { confidential: isConfidential(updated) }));
    } catch (err) {
      return refused(err, request);
    }
  };

  return {
    async handle(request: Request): Promise<Response | undefined> {
      if (settings.enabled !== true) return undefined;
      const { pathname } = new URL(request.url);
      if (pathname === REGISTRATION_PATH) return register(request);
      if (!pathname.startsWith(`${REGISTRATION_PATH}/`)) return undefined;
      let clientId: string;
      try {
        clientId = decodeURIComponent(pathname.slice(REGISTRATION_PATH.length + 1));
      } catch {
        return unauthorized(bearerOf(request) !== undefined, 'The registration access token is invalid');
      }
      return manage(request, clientId);
    },
    /** The metadata members registration adds (RFC 8414 §2 registration_endpoint). */
    metadata(): Record<string, unknown> {
      return settings.enabled === true ? { registration_endpoint: `${base}${REGISTRATION_PATH}` } : {};
    },
  };
}
