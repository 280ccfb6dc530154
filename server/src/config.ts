// The server's whole configuration comes from environment variables (twelve-factor), read once at
// start and validated all together: a bad deployment gets every mistake in one message, each naming
// the variable and what it accepts, before anything is opened or bound.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JWS_ALGORITHMS } from 'tessera-jwt';

export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'redis'; readonly url: string }
  | { readonly kind: 'postgres'; readonly url: string };

export interface Config {
  readonly host: string;
  /** 0 picks a free port (tests); the issuer then follows the port actually bound. */
  readonly port: number;
  /** undefined: `http://HOST:PORT` once the port is known. */
  readonly issuer: string | undefined;
  /** undefined: the issuer (this server is its own resource server for /userinfo). */
  readonly audience: string | undefined;
  readonly dataDir: string;
  readonly store: StoreConfig;
  /** Seconds. */
  readonly accessTTL: number;
  readonly refreshTTL: number;
  readonly refreshAbsoluteTTL: number;
  /** Seconds a refresh token may be presented again and get the same successor (a retried or duplicated request). */
  readonly refreshGrace: number;
  readonly keyRotation: number;
  readonly keyAlgorithm: string;
  /** base64url of 32 bytes, or undefined: generated once and kept in the data directory. */
  readonly keyEncryptionKey: string | undefined;
  /** undefined: generated once and kept in the data directory. */
  readonly introspectionSecret: string | undefined;
  /** The client id of HTTP Basic on /introspect. */
  readonly introspectionClientId: string;
  /** Password given to the demo user when the user file is first created. */
  readonly demoPassword: string;
  /** Clients allowed the development password grant (and POST /login); each must be a registered client. */
  readonly clientIds: readonly string[];
  /** The clients file seeded into the registry at every start (TESSERA_CLIENTS_FILE). */
  readonly clientsFile: string;
  /** RFC 7591 dynamic registration: off, open, or gated by `registrationToken`. */
  readonly registration: 'off' | 'open' | 'token';
  readonly registrationToken: string | undefined;
  /** The development password grant (POST /token grant_type=password and POST /login). */
  readonly devPasswordGrant: boolean;
  /** Seconds in-flight requests get to finish after SIGTERM/SIGINT. */
  readonly shutdownTimeout: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** Thrown with every problem found, one line each. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_DEMO_PASSWORD = 'demo-password';
/** server/clients.json, next to the package (build/src/config.js → ../../clients.json). */
export const DEFAULT_CLIENTS_FILE = fileURLToPath(new URL('../../clients.json', import.meta.url));

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION = /^(\d+)(s|m|h|d|w)?$/;

/** The same duration format as the library ('30s', '15m', '2h', '7d'; a bare number is seconds). */
function duration(value: string): number | undefined {
  const m = DURATION.exec(value.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2] ?? 's']!;
}

const ASYMMETRIC = JWS_ALGORITHMS.filter((a) => !a.startsWith('HS'));
const CLIENT_ID = /^[\x21-\x7e]{1,64}$/;

/**
 * Reads the configuration from `env` (process.env by default). Relative paths are resolved against
 * `cwd`. Throws a {@link ConfigError} listing every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const durationOf = (name: string, fallback: string, min: number): number => {
    const raw = read(name) ?? fallback;
    const seconds = duration(raw);
    if (seconds === undefined)
      problems.push(
        `${name} must be a duration such as 900, '30s', '15m', '2h', '7d' or '4w' (got '${raw.slice(0, 40)}')`,
      );
    else if (seconds < min) problems.push(`${name} must be at least ${min} seconds (got '${raw}')`);
    return seconds ?? 0;
  };
  const url = (name: string, value: string, schemes: string[]): boolean => {
    try {
      const parsed = new URL(value);
      if (!schemes.includes(parsed.protocol)) throw new Error('scheme');
      return true;
    } catch {
      problems.push(`${name} must be an absolute ${schemes.map((s) => `${s}//`).join(' or ')} URL`);
      return false;
    }
  };

  const host = read('TESSERA_HOST') ?? '127.0.0.1';
  const portText = read('TESSERA_PORT') ?? String(DEFAULT_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535))
    problems.push(
      `TESSERA_PORT must be a port number from 0 to 65535, 0 meaning any free port (got '${portText.slice(0, 20)}')`,
    );

  const issuer = read('TESSERA_ISSUER');
  if (issuer !== undefined && url('TESSERA_ISSUER', issuer, ['https:', 'http:']) && /[?#]/.test(issuer)) {
    problems.push('TESSERA_ISSUER must not have a query or fragment (RFC 8414 §2)');
  }
  const audience = read('TESSERA_AUDIENCE');

  const dataDirRaw = read('TESSERA_DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const storeRaw = read('TESSERA_STORE') ?? 'sqlite';
  let store: StoreConfig = { kind: 'sqlite', file: resolve(dataDir, 'tessera.db') };
  if (storeRaw === 'sqlite') {
    // the default above
  } else if (storeRaw.startsWith('sqlite:')) {
    const file = storeRaw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === '')
      problems.push("TESSERA_STORE=sqlite:PATH needs a file path (or use plain 'sqlite' for DATA_DIR/tessera.db)");
    store = { kind: 'sqlite', file: isAbsolute(file) ? file : resolve(cwd, file) };
  } else if (/^rediss?:\/\//.test(storeRaw)) {
    if (url('TESSERA_STORE', storeRaw, ['redis:', 'rediss:'])) store = { kind: 'redis', url: storeRaw };
  } else if (/^postgres(ql)?:\/\//.test(storeRaw)) {
    if (url('TESSERA_STORE', storeRaw, ['postgres:', 'postgresql:'])) store = { kind: 'postgres', url: storeRaw };
  } else {
    problems.push(
      "TESSERA_STORE must be 'sqlite' (default), 'sqlite:PATH', 'redis://…', 'rediss://…' or 'postgres://…'",
    );
  }

  const accessTTL = durationOf('TESSERA_ACCESS_TTL', '15m', 10);
  const refreshTTL = durationOf('TESSERA_REFRESH_TTL', '14d', 60);
  const refreshAbsoluteTTL = durationOf('TESSERA_REFRESH_ABSOLUTE_TTL', '90d', 60);
  if (refreshAbsoluteTTL && refreshTTL > refreshAbsoluteTTL)
    problems.push('TESSERA_REFRESH_TTL must not be longer than TESSERA_REFRESH_ABSOLUTE_TTL');
  // A few seconds cover a retried or duplicated refresh; much more would let a stolen, already used
  // token be exchanged without tripping reuse detection.
  const refreshGrace = durationOf('TESSERA_REFRESH_GRACE', '5s', 0);
  if (refreshGrace > 60)
    problems.push(
      `TESSERA_REFRESH_GRACE must be at most 60 seconds (got '${read('TESSERA_REFRESH_GRACE')}'); 0 turns it off`,
    );
  const keyRotation = durationOf('TESSERA_KEY_ROTATION', '30d', 60);
  if (keyRotation && accessTTL > keyRotation)
    problems.push('TESSERA_KEY_ROTATION must be at least TESSERA_ACCESS_TTL (a key signs for one rotation interval)');

  const keyAlgorithm = read('TESSERA_KEY_ALGORITHM') ?? 'ES256';
  if (!ASYMMETRIC.includes(keyAlgorithm))
    problems.push(
      `TESSERA_KEY_ALGORITHM must be one of ${ASYMMETRIC.join(', ')} (access tokens are verified by others through the JWKS, so no HMAC)`,
    );

  const keyEncryptionKey = read('TESSERA_KEY_ENCRYPTION_KEY');
  if (
    keyEncryptionKey !== undefined &&
    (!/^[A-Za-z0-9_-]{43}$/.test(keyEncryptionKey) || Buffer.from(keyEncryptionKey, 'base64url').length !== 32)
  ) {
    problems.push(
      'TESSERA_KEY_ENCRYPTION_KEY must be 32 random bytes in base64url (43 characters), e.g. from: node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))"',
    );
  }
  const introspectionSecret = read('TESSERA_INTROSPECTION_SECRET');
  if (introspectionSecret !== undefined && introspectionSecret.length < 32)
    problems.push('TESSERA_INTROSPECTION_SECRET must be at least 32 characters');
  const introspectionClientId = read('TESSERA_INTROSPECTION_CLIENT_ID') ?? 'resource-server';
  if (!CLIENT_ID.test(introspectionClientId) || introspectionClientId.includes(':'))
    problems.push('TESSERA_INTROSPECTION_CLIENT_ID must be printable ASCII without spaces or ":", up to 64 characters');

  const demoPassword = read('TESSERA_DEMO_PASSWORD') ?? DEFAULT_DEMO_PASSWORD;
  if (demoPassword.length < 8) problems.push('TESSERA_DEMO_PASSWORD must be at least 8 characters');
  if (/[\u0000-\u001f\u007f-\u009f]/.test(demoPassword))
    problems.push('TESSERA_DEMO_PASSWORD must not contain control characters');

  const clientIds = (read('TESSERA_CLIENT_IDS') ?? 'tessera-debugger')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (clientIds.length === 0 || !clientIds.every((c) => CLIENT_ID.test(c)))
    problems.push(
      'TESSERA_CLIENT_IDS must be a comma-separated list of client ids (printable ASCII, no spaces, up to 64 characters each)',
    );

  // The demo (listening on this machine only) has the development conveniences on; a server reachable
  // from elsewhere has them off unless they are asked for by name.
  const local = isLoopback(host);
  const clientsRaw = read('TESSERA_CLIENTS_FILE');
  const clientsFile =
    clientsRaw === undefined ? DEFAULT_CLIENTS_FILE : isAbsolute(clientsRaw) ? clientsRaw : resolve(cwd, clientsRaw);
  const registrationToken = read('TESSERA_REGISTRATION_TOKEN');
  if (registrationToken !== undefined && registrationToken.length < 32)
    problems.push('TESSERA_REGISTRATION_TOKEN must be at least 32 characters');
  const registrationRaw =
    read('TESSERA_REGISTRATION') ?? (registrationToken !== undefined ? 'token' : local ? 'open' : 'off');
  const registration = registrationRaw as Config['registration'];
  if (!['off', 'open', 'token'].includes(registration))
    problems.push("TESSERA_REGISTRATION must be 'off', 'open' or 'token' (with TESSERA_REGISTRATION_TOKEN)");
  if (registration === 'token' && registrationToken === undefined)
    problems.push('TESSERA_REGISTRATION=token needs TESSERA_REGISTRATION_TOKEN (at least 32 characters)');
  const devRaw = read('TESSERA_DEV_PASSWORD_GRANT');
  let devPasswordGrant = local;
  if (devRaw !== undefined) {
    if (/^(1|true|on|yes)$/i.test(devRaw)) devPasswordGrant = true;
    else if (/^(0|false|off|no)$/i.test(devRaw)) devPasswordGrant = false;
    else problems.push("TESSERA_DEV_PASSWORD_GRANT must be 'on' or 'off'");
  }

  const shutdownTimeout = durationOf('TESSERA_SHUTDOWN_TIMEOUT', '10s', 0);
  const logLevel = (read('TESSERA_LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel))
    problems.push('TESSERA_LOG_LEVEL must be one of debug, info, warn, error, silent');

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host,
    port,
    issuer,
    audience,
    dataDir,
    store,
    accessTTL,
    refreshTTL,
    refreshAbsoluteTTL,
    refreshGrace,
    keyRotation,
    keyAlgorithm,
    keyEncryptionKey,
    introspectionSecret,
    introspectionClientId,
    demoPassword,
    clientIds,
    clientsFile,
    registration,
    registrationToken,
    devPasswordGrant,
    shutdownTimeout,
    logLevel,
  };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
