// The clients file (server/clients.json, or TESSERA_CLIENTS_FILE): the registered clients of this
// server, seeded into the provider's client registry at every start (created or replaced; clients
// registered at /register are kept). The format:
//
//   { "clients": [ { "client_id": "web", "client_secret_env": "WEB_CLIENT_SECRET",
//                    "redirect_uris": ["https://app.example/cb"], "grant_types": ["authorization_code", "refresh_token"] },
//                  { "client_id": "spa", "token_endpoint_auth_method": "none", "redirect_uris": ["http://127.0.0.1:5173/cb"] } ] }
//
// Every member is RFC 7591 client metadata, validated strictly; a confidential client's secret comes from
// the environment variable named by `client_secret_env` (a secret does not belong in a file under version
// control), or from `client_secret` for local experiments. Secrets are stored hashed. A client taken out of
// the file is deleted at the next start (the file is the truth for configured clients).
import { readFile } from 'node:fs/promises';
import type { ClientConfig, ClientRegistry } from 'tessera-jwt/provider';
import type { RecordStore } from 'tessera-jwt/server';

/** The record that remembers which clients the last start seeded (this server's own kind of record). */
const SEEDED = { kind: 'ServerSeededClients', id: 'clients-file' } as const;

/** Reads and resolves the clients file; throws an Error naming the file and the problem. */
export async function readClientsFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<ClientConfig[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the clients file ${file}: ${(err as Error).message}`);
  }
  const list = (parsed as { clients?: unknown } | null)?.clients;
  if (!Array.isArray(list)) throw new Error(`the clients file ${file} must be { "clients": [ … ] }`);
  return list.map((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      throw new Error(`the clients file ${file}: entry ${index} must be an object`);
    const { client_secret_env: name, ...config } = entry as Record<string, unknown>;
    if (name !== undefined) {
      if (typeof name !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(name))
        throw new Error(
          `the clients file ${file}: entry ${index}: "client_secret_env" must name an environment variable`,
        );
      if (config.client_secret !== undefined)
        throw new Error(
          `the clients file ${file}: entry ${index}: use "client_secret_env" or "client_secret", not both`,
        );
      const secret = env[name];
      if (secret === undefined || secret === '')
        throw new Error(`the clients file ${file}: entry ${index} needs the environment variable ${name} (its secret)`);
      config.client_secret = secret;
    }
    return config as unknown as ClientConfig;
  });
}

/**
 * Seeds the configured clients, and deletes the ones an earlier start seeded that are no longer configured
 * (clients registered at /register are never touched). Returns the ids deleted.
 */
export async function seedClients(
  registry: ClientRegistry,
  store: RecordStore,
  configs: readonly ClientConfig[],
): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const previous = await store.findRecord(SEEDED.kind, SEEDED.id, now);
  await registry.seed(configs);
  const ids = configs.map((c) => c.client_id);
  const removed = (Array.isArray(previous?.ids) ? (previous.ids as unknown[]) : []).filter(
    (id): id is string => typeof id === 'string' && !ids.includes(id),
  );
  for (const id of removed) await registry.delete(id);
  await store.putRecord(SEEDED.kind, SEEDED.id, { ids }, undefined);
  return removed;
}
