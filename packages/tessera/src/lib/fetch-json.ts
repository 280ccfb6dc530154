// The one place Tessera talks HTTP: fetching a JSON document (a JWK Set, authorization server metadata)
// the way a server-side verifier must. Everything here defends the verifier against the endpoint: a
// deadline over the whole exchange, a byte cap enforced while reading, redirects followed only within
// the same host, and error messages that describe what happened without echoing the response body.
import { JWKSClientError, JWKSConnectionError, JWKSTimeoutError } from '../errors.js';
import type { Duration } from '../types.js';
import { toSeconds } from './duration.js';
import { type JSONObjectProblem, normalizeMaxJSONDepth, parseJSONText } from './json.js';

/** The fetch function Tessera calls: `globalThis.fetch` or anything with its shape (undici, a proxy agent, a mock). */
export type FetchImplementation = (input: string, init: RequestInit) => Promise<Response>;

/** Request headers as `fetch` accepts them. */
export type HeadersOption = Headers | Record<string, string> | Array<[string, string]>;

/** The HTTP options shared by createRemoteJWKSet and discover, as the caller gives them. */
export interface HTTPOptions {
  timeout?: Duration;
  maxResponseBytes?: number;
  allowHttp?: boolean;
  headers?: HeadersOption;
  fetch?: FetchImplementation;
  signal?: AbortSignal;
  maxJSONDepth?: number;
}

/** The HTTP options after validation. */
export interface NormalizedHTTP {
  /** Seconds for the whole exchange: every redirect hop and the body. */
  readonly timeout: number;
  readonly maxResponseBytes: number;
  readonly allowHttp: boolean;
  readonly headers: Headers;
  readonly fetch: FetchImplementation;
  readonly signal: AbortSignal | undefined;
  /** The nesting limit of the response's JSON. */
  readonly maxJSONDepth: number;
}

export const DEFAULT_TIMEOUT = 5;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Enough for a trailing-slash or path-normalizing hop or two; a longer chain is a misconfiguration or a trap. */
export const MAX_REDIRECTS = 3;

/** Validates the shared HTTP options (TypeError quoting the option). */
export function normalizeHTTPOptions(options: HTTPOptions, accept: string): NormalizedHTTP {
  const timeout = toSeconds(options.timeout ?? DEFAULT_TIMEOUT, 'timeout');
  if (timeout === 0) throw new TypeError('"timeout" option must be greater than zero');
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (typeof maxResponseBytes !== 'number' || !Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
    throw new TypeError('"maxResponseBytes" option must be a positive integer');
  }
  if (options.allowHttp !== undefined && typeof options.allowHttp !== 'boolean')
    throw new TypeError('"allowHttp" option must be a boolean');
  const global = globalThis.fetch as FetchImplementation | undefined;
  // Called unbound, browsers and workerd throw "Illegal invocation": the global is called as a global.
  const fetchImpl =
    options.fetch ??
    (typeof global === 'function' ? (input: string, init: RequestInit) => fetch(input, init) : undefined);
  if (typeof fetchImpl !== 'function')
    throw new TypeError('"fetch" option must be a function (globalThis.fetch is not available)');
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new TypeError('"signal" option must be an AbortSignal');
  let headers: Headers;
  try {
    headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
  } catch (err) {
    throw new TypeError(
      '"headers" option must be a Headers object, a record of strings or an array of [name, value] pairs',
      { cause: err },
    );
  }
  if (!headers.has('accept')) headers.set('accept', accept);
  const maxJSONDepth = normalizeMaxJSONDepth(options.maxJSONDepth);
  return {
    timeout,
    maxResponseBytes,
    allowHttp: options.allowHttp === true,
    headers,
    fetch: fetchImpl,
    signal,
    maxJSONDepth,
  };
}

/**
 * Parses and checks an endpoint URL: absolute, http(s), https unless allowHttp, no credentials.
 * `name` is the option quoted in the TypeError.
 */
export function parseEndpointURL(input: unknown, name: string, allowHttp: boolean): URL {
  if (typeof input !== 'string' && !(input instanceof URL)) throw new TypeError(`"${name}" must be a string or a URL`);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new TypeError(`"${name}" must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`"${name}" must be an https: URL`);
  // Keys fetched over plain HTTP can be swapped by anyone on the path, and then they sign anything.
  if (url.protocol === 'http:' && !allowHttp) {
    throw new TypeError(`"${name}" must be an https: URL; pass allowHttp: true only for local development and tests`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError(`"${name}" must not contain credentials; send them with the "headers" option`);
  }
  url.hash = '';
  return url;
}

/** The URL as it may appear in a message: no query string (which sometimes carries an API key). */
export function describeURL(url: URL): string {
  return url.origin + url.pathname;
}

/** What fetchJSON returns: the JSON object, and what the caller needs from the response. */
export interface FetchedJSON {
  readonly value: Record<string, unknown>;
  readonly status: number;
  readonly headers: Headers;
  /** The URL that finally answered (after same-host redirects). */
  readonly url: URL;
}

/** Thrown inside fetchJSON to make the caller's error message; `fetchJSON` turns it into a JWKSClientError. */
class Failure {
  readonly reason: string;
  readonly cause: unknown;
  /** The connection failed (refused, reset, DNS, TLS): a JWKSConnectionError rather than a bad answer. */
  readonly connection: boolean;
  constructor(reason: string, cause?: unknown, connection = false) {
    this.reason = reason;
    this.cause = cause;
    this.connection = connection;
  }
}

/** The system error code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET …) that fetch wraps in its TypeError. */
function networkCode(err: unknown): string {
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}

// Races `promise` against the signal, because a custom fetch may ignore the signal it was given;
// the deadline must hold whatever the fetch implementation does.
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function discard(response: Response): void {
  // Frees the connection; a body that cannot be cancelled is not our problem any more.
  response.body?.cancel().catch(() => {});
}

async function readLimited(response: Response, limit: number, signal: AbortSignal): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    discard(response);
    throw new Failure(`the response is larger than maxResponseBytes (${limit} bytes)`);
  }
  const body = response.body;
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await raceAbort(reader.read(), signal);
      if (done) break;
      total += value.byteLength;
      // Counted while reading, because Content-Length may be absent or lie (chunked, compressed).
      if (total > limit) throw new Failure(`the response is larger than maxResponseBytes (${limit} bytes)`);
      chunks.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    // A reset mid-body is a connection failure like one before the status line.
    if (err instanceof Failure || signal.aborted) throw err;
    throw new Failure(`network error while reading the response${networkCode(err)}`, err, true);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

// No node: import in this file: the web entry's createRemoteJWKSet fetches through it too.
const strictUTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function parseObject(bytes: Uint8Array, maxDepth: number): Record<string, unknown> | JSONObjectProblem {
  let text: string;
  try {
    text = strictUTF8.decode(bytes);
  } catch {
    return 'utf8';
  }
  const parsed = parseJSONText(text, maxDepth);
  if (typeof parsed === 'string') return parsed;
  const { value } = parsed;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not_object';
  return value as Record<string, unknown>;
}

const PROBLEMS = {
  utf8: 'the response is not valid UTF-8',
  syntax: 'the response is not valid JSON',
  not_object: 'the response is not a JSON object',
  duplicate: 'the response repeats a JSON member name',
  depth: 'the response nests JSON deeper than maxJSONDepth allows',
} as const;

async function exchange(
  start: URL,
  http: NormalizedHTTP,
  signal: AbortSignal,
  skip: SkipStatus | undefined,
): Promise<FetchedJSON | undefined> {
  let url = start;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      // redirect: 'manual' so that every hop is checked here; fetch's own following would go anywhere.
      response = await raceAbort(
        http.fetch(url.href, { method: 'GET', headers: http.headers, redirect: 'manual', signal }),
        signal,
      );
    } catch (err) {
      if (signal.aborted) throw err;
      throw new Failure(`network error${networkCode(err)}`, err, true);
    }
    const { status } = response;
    if ((status >= 300 && status < 400) || response.type === 'opaqueredirect') {
      discard(response);
      const location = response.headers.get('location');
      if (location === null) throw new Failure(`HTTP ${status} redirect without a usable Location`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new Failure(`HTTP ${status} redirect to an invalid URL`);
      }
      // Same host only: a redirect elsewhere would let whoever controls a path on this host (or an
      // open redirect) choose the keys we trust. A downgrade to http is refused unless allowHttp.
      if (next.host !== start.host || (next.protocol !== 'https:' && !(next.protocol === 'http:' && http.allowHttp))) {
        throw new Failure(
          `HTTP ${status} redirect to another host or scheme (${next.protocol}//${next.host}) was refused`,
        );
      }
      if (hop === MAX_REDIRECTS) throw new Failure(`more than ${MAX_REDIRECTS} redirects`);
      next.hash = '';
      url = next;
      continue;
    }
    if (status < 200 || status >= 300) {
      discard(response);
      if (skip?.(status)) return undefined;
      throw new Failure(`HTTP ${status}`);
    }
    const bytes = await readLimited(response, http.maxResponseBytes, signal);
    const value = parseObject(bytes, http.maxJSONDepth);
    if (typeof value === 'string') throw new Failure(PROBLEMS[value]);
    return { value, status, headers: response.headers, url };
  }
}

/** Final HTTP statuses for which the caller wants `undefined` rather than an error (discovery's fallback). */
export type SkipStatus = (status: number) => boolean;

/**
 * GETs `url` and returns its JSON object. Every failure is a JWKSClientError (JWKSTimeoutError past the
 * deadline, JWKSConnectionError when the connection fails) whose message starts with `fetching <what> from <url> failed: ` and never quotes the body.
 * With `skip`, a final status it accepts returns `undefined` instead.
 */
export function fetchJSON(url: URL, http: NormalizedHTTP, what: string): Promise<FetchedJSON>;
export function fetchJSON(
  url: URL,
  http: NormalizedHTTP,
  what: string,
  skip: SkipStatus,
): Promise<FetchedJSON | undefined>;
export async function fetchJSON(
  url: URL,
  http: NormalizedHTTP,
  what: string,
  skip?: SkipStatus,
): Promise<FetchedJSON | undefined> {
  const controller = new AbortController();
  const timedOut = new JWKSTimeoutError(
    `fetching ${what} from ${describeURL(url)} timed out after ${http.timeout} seconds`,
  );
  // setTimeout fires at once for delays past 2^31 - 1 ms (~24.8 days); such a timeout means "no deadline".
  const timer = setTimeout(() => controller.abort(timedOut), Math.min(http.timeout * 1000, 2 ** 31 - 1));
  const onAbort = () => controller.abort(http.signal!.reason);
  if (http.signal?.aborted) onAbort();
  else http.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await exchange(url, http, controller.signal, skip);
  } catch (err) {
    if (controller.signal.aborted && controller.signal.reason === timedOut) throw timedOut;
    if (controller.signal.aborted)
      throw new JWKSClientError(`fetching ${what} from ${describeURL(url)} was aborted`, {
        cause: controller.signal.reason,
      });
    if (err instanceof Failure) {
      const Class = err.connection ? JWKSConnectionError : JWKSClientError;
      throw new Class(`fetching ${what} from ${describeURL(url)} failed: ${err.reason}`, { cause: err.cause });
    }
    throw new JWKSClientError(`fetching ${what} from ${describeURL(url)} failed`, { cause: err });
  } finally {
    clearTimeout(timer);
    http.signal?.removeEventListener('abort', onAbort);
  }
}
