// The relying party's requests to the provider's endpoints (token, userinfo, revocation): a deadline over
// the whole exchange, a byte cap enforced while reading, no redirects (a token request is never
// re-sent elsewhere), the JSON depth limit, and messages that never quote a body, a token or a secret.
import { OIDCEndpointError } from '../errors.js';
import { describeURL, type NormalizedHTTP, parseJSONObject } from '../internal.js';

/** What an endpoint answered. */
export interface EndpointAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The JSON object of the body; undefined for an empty body. */
  readonly json: Record<string, unknown> | undefined;
  /** The raw body text (for a userinfo response that is a JWT). */
  readonly text: string;
}

async function readLimited(response: Response, limit: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    response.body?.cancel().catch(() => {});
    throw new Error(`the response is larger than maxResponseBytes (${limit} bytes)`);
  }
  if (response.body === null) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      reader.cancel().catch(() => {});
      throw new Error(`the response is larger than maxResponseBytes (${limit} bytes)`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** Sends one request and reads the answer; an OAuth error body becomes an OIDCEndpointError. */
export async function callEndpoint(
  url: URL,
  init: { method: 'GET' | 'POST'; headers: Headers; body?: string },
  http: NormalizedHTTP,
  what: string,
): Promise<EndpointAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.min(http.timeout * 1000, 2 ** 31 - 1));
  const onAbort = () => controller.abort();
  http.signal?.addEventListener('abort', onAbort, { once: true });
  const where = `${what} at ${describeURL(url)}`;
  let status = 0;
  try {
    const headers = new Headers(http.headers);
    for (const [name, value] of init.headers) headers.set(name, value);
    const response = await http.fetch(url.href, {
      method: init.method,
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      redirect: 'manual',
      signal: controller.signal,
    });
    status = response.status;
    const bytes = await readLimited(response, http.maxResponseBytes);
    const text = bytes.toString('utf8');
    let json: Record<string, unknown> | undefined;
    const type = response.headers.get('content-type') ?? '';
    if (bytes.length > 0 && /json/i.test(type)) {
      const parsed = parseJSONObject(bytes, http.maxJSONDepth);
      if (typeof parsed === 'string') throw new Error(`the response is not a usable JSON object (${parsed})`);
      json = parsed;
    }
    if (status < 200 || status >= 300) {
      const error = typeof json?.error === 'string' ? json.error : undefined;
      const description = typeof json?.error_description === 'string' ? json.error_description : undefined;
      throw new OIDCEndpointError(
        `${where} answered HTTP ${status}${error !== undefined ? ` with error "${error}"` : ''}`,
        status,
        error,
        description,
      );
    }
    return { status, headers: response.headers, json, text };
  } catch (err) {
    if (err instanceof OIDCEndpointError) throw err;
    if (controller.signal.aborted)
      throw new OIDCEndpointError(`${where} timed out or was aborted after ${http.timeout} seconds`, status);
    const reason = err instanceof Error && err.message.startsWith('the response') ? `: ${err.message}` : '';
    throw new OIDCEndpointError(`${where} failed${reason}`, status, undefined, undefined, { cause: err });
  } finally {
    clearTimeout(timer);
    http.signal?.removeEventListener('abort', onAbort);
  }
}
