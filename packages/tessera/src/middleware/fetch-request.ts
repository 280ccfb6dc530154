// The fetch-API view of a request and the ready-made refusal Response, shared by the fetch and Hono
// adapters (both see a standard `Request`).
import { type AuthFailure, failureText } from './core.js';
import type { RequestView } from './extract.js';

/**
 * A refusal from `fetchAuth`, with the ready-made `Response` (status, `WWW-Authenticate`, JSON body).
 * @example
 * ```ts
 * const result = await auth(request);
 * if (!result.ok) return result.response;
 * ```
 */
export interface FetchAuthFailure extends AuthFailure {
  readonly response: Response;
}

export function fetchView(request: Request): RequestView {
  // Headers folds repeated fields into one value joined by ", ", which the Bearer syntax rejects:
  // two Authorization headers still answer 400 invalid_request.
  return {
    header(name) {
      const value = request.headers.get(name);
      return value === null ? [] : [value];
    },
    url: () => request.url,
  };
}

export function respond(failure: AuthFailure): FetchAuthFailure {
  return Object.freeze({
    ...failure,
    response: new Response(failureText(failure), { status: failure.status, headers: failure.headers }),
  });
}
