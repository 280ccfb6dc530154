// The JSON answers of the token endpoints (RFC 6749 §5.1: never cached), built one of two ways. A fetch
// Response gets its text as a body stream; an answer that only the node:http bridge will send needs no
// stream at all (on Node 20 the stream is nearly all of a Response's cost: ~17 of ~18 µs), since the bridge
// sends the recorded text (body-source.ts). Code that may answer either way takes a JSONResponder.
import { withBodySource } from './body-source.js';

/** Builds a no-store JSON response: `headers` are added to (or replace) the content type and no-store pair. */
export type JSONResponder = (status: number, body: unknown, headers?: Record<string, string>) => Response;

const NO_STORE_JSON = {
  'content-type': 'application/json;charset=UTF-8',
  'cache-control': 'no-store',
  pragma: 'no-cache',
};

/** A fetch Response, usable anywhere; its text is recorded so that the node:http bridge need not read it. */
export const jsonResponse: JSONResponder = (status, body, headers) => {
  const text = JSON.stringify(body);
  return withBodySource(new Response(text, { status, headers: { ...NO_STORE_JSON, ...headers } }), text);
};

/**
 * The same answer for the node:http bridge alone: a Response without a body, its text recorded. Only
 * toNodeHandler sends it whole; a fetch server would send it empty, so it never leaves a NodeRoute.
 */
export const bridgeJSONResponse: JSONResponder = (status, body, headers) =>
  withBodySource(new Response(null, { status, headers: { ...NO_STORE_JSON, ...headers } }), JSON.stringify(body));
