// A shortcut from the node:http bridge into Tessera's own handlers: a handler that can answer a request from
// its method, target, headers and body carries a NodeRoute under NODE_ROUTE, and toNodeHandler offers each
// request with a body already in hand to it before building a fetch Request. On Node 20 building that Request
// (undici's Headers, AbortSignal and body stream) is about a fifth of a token request's CPU. A route that
// declines (undefined) leaves the request to the handler, as if the route did not exist.
import type { IncomingHttpHeaders } from 'node:http';

/** A request as the node:http bridge received it, whole. */
export interface NodeExchange {
  readonly method: string;
  /** The request target as sent (path and query, starting with "/"). */
  readonly target: string;
  /** node's parsed headers (names lower-cased; a repeated singleton header keeps its first value). */
  readonly headers: IncomingHttpHeaders;
  /** The whole body. */
  readonly body: Uint8Array;
  /** The fetch Request of this exchange, built on first call, for a callback that takes one. */
  request(): Request;
}

/** Answers an exchange, or returns undefined to leave it to the fetch-style handler. */
export type NodeRoute = (exchange: NodeExchange) => Promise<Response> | undefined;

const NODE_ROUTE = Symbol('tessera.nodeRoute');

/** Attaches `route` to the fetch-style `handle` it shortcuts; returns `handle`. */
export function withNodeRoute<H extends object>(handle: H, route: NodeRoute): H {
  Object.defineProperty(handle, NODE_ROUTE, { value: route });
  return handle;
}

/** The route attached to `handle`, if any. */
export function nodeRouteOf(handle: object): NodeRoute | undefined {
  return (handle as { [NODE_ROUTE]?: NodeRoute })[NODE_ROUTE];
}

/** A header's value as `Headers.get` gives it: repeated values joined with ", ", null when absent. */
export function headerOf(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
