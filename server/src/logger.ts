// Structured logs: one JSON object per line on stdout, ready for any log shipper. Callers pass
// named fields, never free text built from request data, and the fields a request log may carry are
// fixed in access-log.ts: no Authorization header, body, query string or token ever reaches a line.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, string | number | boolean | undefined | null>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

const RANK: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(
  level: LogLevel | 'silent',
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const threshold = RANK[level];
  const log =
    (lvl: LogLevel) =>
    (msg: string, fields: Fields = {}) => {
      if (RANK[lvl] < threshold) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A loggable description of an unexpected error: its class, code and message, never a stack of request data. */
export function errorFields(err: unknown): Fields {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const cause = err.cause instanceof Error ? `${err.cause.name}: ${err.cause.message}` : undefined;
    return { error: err.name, code: typeof code === 'string' ? code : undefined, message: err.message, cause };
  }
  return { error: typeof err };
}
