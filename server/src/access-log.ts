// The request log and the headers every response carries. A log line has a fixed set of fields:
// method, path (never the query string: RFC 6750 §2.3 puts access tokens there), status, duration,
// request id. No header value, body or token is ever logged, whatever the route does.
import { randomUUID } from 'node:crypto';
import { errorFields, type Logger } from './logger.js';
import { oauthError } from './http.js';

type Handler = (request: Request) => Promise<Response>;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

const COMMON_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function withAccessLog(handle: Handler, log: Logger): Handler {
  return async (request) => {
    const started = performance.now();
    const incoming = request.headers.get('x-request-id');
    const requestId = incoming !== null && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    let path = '?';
    try {
      path = new URL(request.url).pathname.slice(0, 200);
    } catch {
      // keep '?'
    }
    let response: Response;
    try {
      response = await handle(request);
    } catch (err) {
      if (request.signal.aborted) {
        // The client went away before its request was read whole: its doing, not a server failure.
        // 499 (nginx's "client closed request") marks the line; nobody is left to receive the answer.
        log.info('request', {
          requestId,
          method: request.method.slice(0, 16),
          path,
          status: 499,
          clientAborted: true,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        });
        return new Response(null, { status: 499 });
      }
      log.error('unhandled error', { requestId, method: request.method, path, ...errorFields(err) });
      response = oauthError(500, 'server_error', 'The server could not complete the request');
    }
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(COMMON_HEADERS)) if (!headers.has(name)) headers.set(name, value);
    headers.set('x-request-id', requestId);
    const status = response.status;
    const fields = {
      requestId,
      method: request.method.slice(0, 16),
      path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) log.error('request', fields);
    else log.info('request', fields);
    return new Response(response.body, { status, statusText: response.statusText, headers });
  };
}
