// The client registry: registered clients as 'Client' records in the RecordStore (any Tessera store),
// seeded from a configuration object, registered and managed through RFC 7591/7592 (see registration.ts),
// with secrets and registration access tokens stored hashed (secrets.ts).
import { checkOptionNames, optionNames } from '../internal.js';
import type { RecordStore, StoredRecord } from '../server/record-store.js';
import { type ClientMetadata, validateClientMetadata } from './client-metadata.js';
import { InvalidClientMetadataError } from './errors.js';
import { RECORD_KINDS } from './record-kinds.js';
import {
  checkSecret,
  checkSecretAsync,
  createSecretCache,
  generateSecret,
  hashConfigured,
  type SecretHash,
} from './secrets.js';

/**
 * A registered client as the provider reads it: its metadata, id and issue time (no secret: only its hash is stored).
 * @example
 * ```ts
 * const client: RegisteredClient | undefined = await clients.find('web');
 * if (client?.token_endpoint_auth_method === 'none') requirePKCE();
 * ```
 */
export interface RegisteredClient
  extends Required<Pick<ClientMetadata, 'grant_types' | 'response_types' | 'token_endpoint_auth_method'>>,
    Omit<ClientMetadata, 'grant_types' | 'response_types' | 'token_endpoint_auth_method'> {
  client_id: string;
  /** NumericDate seconds (RFC 7591 §3.2.1). */
  client_id_issued_at: number;
}

/**
 * A client of the configuration file: its metadata, its `client_id`, and for confidential clients the
 * `client_secret` (hashed with scrypt when stored).
 * @example
 * ```ts
 * const seed: ClientConfig = { client_id: 'web', client_secret: process.env.WEB_SECRET, redirect_uris: ['https://app.example/cb'] };
 * ```
 */
export interface ClientConfig extends ClientMetadata {
  client_id: string;
  client_secret?: string;
}

/**
 * Options of {@link createClientRegistry}.
 * @example
 * ```ts
 * const options: ClientRegistryOptions = { store, clients: JSON.parse(readFileSync('clients.json', 'utf8')) };
 * ```
 */
export interface ClientRegistryOptions {
  /** Where the clients live (the memory, SQLite, Redis or PostgreSQL store). */
  store: RecordStore;
  /** Grant types clients may register (default authorization_code, refresh_token, client_credentials). */
  grantTypes?: readonly string[];
  /** The clock, in NumericDate seconds (default: now). */
  now?: () => number;
}

/**
 * The client registry {@link createClientRegistry} returns.
 * @example
 * ```ts
 * const { client, client_secret } = await clients.register({ redirect_uris: ['https://app.example/cb'] });
 * ```
 */
export interface ClientRegistry {
  /** The registered client, or undefined. */
  find(clientId: string): Promise<RegisteredClient | undefined>;
  /**
   * Registers a new client with a random id; confidential clients (secret methods) get a random secret,
   * returned once. Also returns a registration access token when `withRegistrationToken` (RFC 7592).
   */
  register(
    metadata: unknown,
    options?: { withRegistrationToken?: boolean },
  ): Promise<{ client: RegisteredClient; client_secret?: string; registration_access_token?: string }>;
  /** Creates or replaces the configured clients (validated like registrations; secrets hashed). */
  seed(clients: readonly ClientConfig[]): Promise<void>;
  /** Replaces a client's metadata (RFC 7592 §2.2); the id, secret and registration token stay. */
  update(clientId: string, metadata: unknown): Promise<RegisteredClient | undefined>;
  /** Deletes a client. */
  delete(clientId: string): Promise<void>;
  /** Constant-time check of a client secret (false for an unknown client or a client without a secret). */
  checkSecret(clientId: string, secret: string): Promise<{ client: RegisteredClient | undefined; ok: boolean }>;
  /** Constant-time check of a registration access token (RFC 7592 §1). */
  checkRegistrationToken(clientId: string, token: string): Promise<RegisteredClient | undefined>;
  /** The grant types clients may use. */
  readonly grantTypes: ReadonlySet<string>;
}

const OPTIONS = optionNames(['store', 'grantTypes', 'now']);
const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post']);
const CLIENT_ID = /^[\x21-\x7e]{1,128}$/;

interface ClientRecord extends StoredRecord {
  metadata: RegisteredClient;
  secret?: SecretHash;
  registrationToken?: SecretHash;
}

/**
 * Creates a client registry on a RecordStore.
 * @example
 * ```ts
 * import { createClientRegistry } from 'tessera-jwt/provider';
 * const clients = createClientRegistry({ store });
 * await clients.seed([{ client_id: 'web', client_secret: process.env.WEB_SECRET!, redirect_uris: ['https://app.example/cb'] }]);
 * ```
 */
export function createClientRegistry(options: ClientRegistryOptions): ClientRegistry {
  if (options === null || typeof options !== 'object')
    throw new TypeError('createClientRegistry options must be an object');
  checkOptionNames(options, OPTIONS, 'createClientRegistry');
  const store = options.store;
  if (store === null || typeof store !== 'object' || typeof store.putRecord !== 'function')
    throw new TypeError('createClientRegistry needs a RecordStore ("store")');
  const grantTypes: ReadonlySet<string> = new Set(
    options.grantTypes ?? ['authorization_code', 'refresh_token', 'client_credentials'],
  );
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const verified = createSecretCache();

  const load = async (clientId: string): Promise<ClientRecord | undefined> => {
    if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) return undefined;
    return (await store.findRecord(RECORD_KINDS.client, clientId, now())) as ClientRecord | undefined;
  };
  const withId = (clientId: string, metadata: ClientMetadata, issuedAt: number): RegisteredClient =>
    ({ ...metadata, client_id: clientId, client_id_issued_at: issuedAt }) as RegisteredClient;

  return {
    grantTypes,
    async find(clientId) {
      return (await load(clientId))?.metadata;
    },
    async register(metadata, opts = {}) {
      const valid = validateClientMetadata(metadata, grantTypes);
      const clientId = generateSecret().secret.slice(0, 22);
      const client = withId(clientId, valid, now());
      const record: ClientRecord = { metadata: client };
      const result: { client: RegisteredClient; client_secret?: string; registration_access_token?: string } = {
        client,
      };
      if (SECRET_METHODS.has(client.token_endpoint_auth_method)) {
        const { secret, hash } = generateSecret();
        record.secret = hash;
        result.client_secret = secret;
      }
      if (opts.withRegistrationToken) {
        const { secret, hash } = generateSecret();
        record.registrationToken = hash;
        result.registration_access_token = secret;
      }
      await store.putRecord(RECORD_KINDS.client, clientId, record, undefined);
      return result;
    },
    async seed(clients) {
      if (!Array.isArray(clients)) throw new TypeError('seed needs an array of client configurations');
      const seen = new Set<string>();
      for (const config of clients) {
        if (config === null || typeof config !== 'object')
          throw new TypeError('A client configuration must be an object');
        const { client_id: clientId, client_secret: secret, ...rest } = config;
        if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId))
          throw new InvalidClientMetadataError(
            'invalid_client_metadata',
            '"client_id" must be 1 to 128 visible ASCII characters',
          );
        if (seen.has(clientId))
          throw new InvalidClientMetadataError('invalid_client_metadata', 'A client_id is configured twice');
        seen.add(clientId);
        const valid = validateClientMetadata(rest, grantTypes);
        const confidential = SECRET_METHODS.has(valid.token_endpoint_auth_method!);
        if (confidential && (typeof secret !== 'string' || secret.length < 16))
          throw new InvalidClientMetadataError(
            'invalid_client_metadata',
            `Client "${clientId}" needs a "client_secret" of at least 16 characters`,
          );
        if (!confidential && secret !== undefined)
          throw new InvalidClientMetadataError(
            'invalid_client_metadata',
            `Client "${clientId}" does not authenticate with a secret: remove "client_secret"`,
          );
        const existing = await load(clientId);
        const record: ClientRecord = {
          metadata: withId(clientId, valid, existing?.metadata.client_id_issued_at ?? now()),
        };
        if (confidential) {
          // Keep the stored hash when the secret has not changed (scrypt salts differ on every hash).
          record.secret =
            existing?.secret && checkSecret(secret!, existing.secret) ? existing.secret : hashConfigured(secret!);
        }
        if (existing?.registrationToken) record.registrationToken = existing.registrationToken;
        await store.putRecord(RECORD_KINDS.client, clientId, record, undefined);
      }
    },
    async update(clientId, metadata) {
      const existing = await load(clientId);
      if (!existing) return undefined;
      const valid = validateClientMetadata(metadata, grantTypes);
      const client = withId(clientId, valid, existing.metadata.client_id_issued_at);
      const record: ClientRecord = { metadata: client };
      const confidential = SECRET_METHODS.has(client.token_endpoint_auth_method);
      if (confidential && !existing.secret)
        throw new InvalidClientMetadataError(
          'invalid_client_metadata',
          'The client has no secret: it cannot switch to a secret method',
        );
      if (confidential) record.secret = existing.secret!;
      if (existing.registrationToken) record.registrationToken = existing.registrationToken;
      await store.putRecord(RECORD_KINDS.client, clientId, record, undefined);
      return client;
    },
    async delete(clientId) {
      if (typeof clientId === 'string' && CLIENT_ID.test(clientId))
        await store.deleteRecord(RECORD_KINDS.client, clientId);
    },
    async checkSecret(clientId, secret) {
      const record = await load(clientId);
      const presented = typeof secret === 'string' ? secret : '';
      const stored = record?.secret;
      // Configured secrets are scrypt hashes: checked off the event loop, and a success remembered briefly.
      if (stored?.alg === 'scrypt' && verified.has(clientId, presented, stored))
        return { client: record?.metadata, ok: true };
      const ok = await checkSecretAsync(presented, stored);
      if (ok && stored?.alg === 'scrypt') verified.add(clientId, presented, stored);
      return { client: record?.metadata, ok };
    },
    async checkRegistrationToken(clientId, token) {
      const record = await load(clientId);
      return checkSecret(typeof token === 'string' ? token : '', record?.registrationToken)
        ? record?.metadata
        : undefined;
    },
  };
}
