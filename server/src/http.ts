// Small HTTP helpers for the server's own routes (the library's token endpoints have theirs): JSON
// answers that are never cached, RFC 6749 §5.2 error bodies, and a body reader that checks the
// method and content type first and never buffers more than the route's limit.
import { parseJSON } from 'tessera-jwt/server';
import { DRAIN_LIMIT } from './body-limit.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...NO_STORE, ...headers },
  });
}

/** An RFC 6749 §5.2-shaped error: `{ error, error_description }`. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return json(status, { error, error_description: description }, headers);
}

/** Thrown by the helpers below; the route answers with `response`. */
export class RequestProblem extends Error {
  readonly response: Response;
  constructor(response: Response) {
    super('request problem');
    this.response = response;
  }
}

export function allowMethods(request: Request, ...methods: string[]): void {
  if (!methods.includes(request.method)) {
    throw new RequestProblem(
      oauthError(405, 'invalid_request', `Use ${methods.join(' or ')}`, { allow: methods.join(', ') }),
    );
  }
}

export type BodyType = 'application/json' | 'application/x-www-form-urlencoded';

export interface Body {
  readonly type: BodyType;
  readonly text: string;
}

/**
 * Reads a POST body of one of `types`, at most `maxBytes` of it whatever Content-Length says.
 * Wrong type: 415 when `unsupportedStatus` is 415 (plain HTTP APIs), otherwise 400 `invalid_request`
 * as RFC 6749 endpoints answer.
 */
export async function readBody(
  request: Request,
  options: { types: BodyType[]; maxBytes: number; unsupportedStatus?: 400 | 415 },
): Promise<Body> {
  allowMethods(request, 'POST');
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(options.types as string[]).includes(type)) {
    throw new RequestProblem(
      oauthError(
        options.unsupportedStatus ?? 400,
        'invalid_request',
        `The body must be ${options.types.join(' or ')}`,
        options.unsupportedStatus === 415 ? { accept: options.types.join(', ') } : {},
      ),
    );
  }
  const tooLarge = () =>
    new RequestProblem(oauthError(413, 'invalid_request', `The request body is larger than ${options.maxBytes} bytes`));
  if (Number(request.headers.get('content-length') ?? 0) > options.maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        if (size > options.maxBytes) throw tooLarge();
        break;
      }
      size += value.byteLength;
      if (size > options.maxBytes) {
        // Read the rest and drop it, so the client can read the 413 (see body-limit.ts); past
        // DRAIN_LIMIT, cancel, which destroys the connection.
        chunks.length = 0;
        if (size > DRAIN_LIMIT) {
          await reader.cancel().catch(() => {});
          throw tooLarge();
        }
        continue;
      }
      chunks.push(value);
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new RequestProblem(oauthError(400, 'invalid_request', 'The body is not valid UTF-8'));
  }
  return { type: type as BodyType, text };
}

const JSON_PROBLEMS = {
  syntax: 'The body is not valid JSON',
  duplicate: 'The body repeats a JSON member name',
  depth: 'The body nests JSON too deeply',
} as const;

/** Parses a JSON object body; anything else is a 400 that says what was wrong. */
export function parseJSONObject(text: string): Record<string, unknown> {
  // Tessera's parser: nesting is limited while reading (a deep body costs the bytes up to the limit).
  const parsed = parseJSON(text);
  if (!parsed.ok) throw new RequestProblem(oauthError(400, 'invalid_request', JSON_PROBLEMS[parsed.problem]));
  const { value } = parsed;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new RequestProblem(oauthError(400, 'invalid_request', 'The body must be a JSON object'));
  return value as Record<string, unknown>;
}

/** A form body as a plain object; repeated parameters are refused (RFC 6749 §3.2). */
export function parseForm(text: string): Record<string, string> {
  const params = new URLSearchParams(text);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of params) {
    if (name in out)
      throw new RequestProblem(oauthError(400, 'invalid_request', `The parameter "${name.slice(0, 40)}" is repeated`));
    out[name] = value;
  }
  return out;
}
