// A bridge from fetch-style handlers to node:http, Express and Fastify (raw request/response): the
// token endpoints are written once against Request/Response and mounted anywhere.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { bodySource, withBodySource } from './body-source.js';
import { nodeRouteOf } from './node-route.js';

/**
 * What the node:http bridge knows about a request beyond the Request itself.
 * @example
 * ```ts
 * const handler = (request: Request, connection: NodeConnectionInfo) => new Response(connection.remoteAddress ?? 'unknown');
 * ```
 */
export interface NodeConnectionInfo {
  /** The peer's IP address (the socket's: a proxy in front makes this the proxy's). */
  readonly remoteAddress: string | undefined;
}

// Methods the fetch API refuses to construct a Request with: no fetch-style handler can serve them.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * Wraps a fetch-style handler as a node:http listener / Express middleware. A handler result of
 * `undefined` calls `next()` (Express) or answers 404 (node:http). The handler gets the peer's address
 * as a second argument, and `request.signal` aborts when the client goes away before the request was
 * read whole. CONNECT, TRACE and TRACK, which a fetch Request cannot carry, answer 501. Given
 * `provider.handle` (or `createProviderTokenEndpoints(…).handle`) itself, not a function around it, the
 * token endpoint answers a POST whose body came with its headers without building a fetch Request.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { toNodeHandler } from 'tessera-jwt/server';
 * createServer(toNodeHandler(endpoints.handle)).listen(8080);
 * app.use(toNodeHandler(endpoints.handle)); // Express
 * ```
 */
export function toNodeHandler(
  handle: (request: Request, connection: NodeConnectionInfo) => Response | undefined | Promise<Response | undefined>,
): (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void {
  if (typeof handle !== 'function') throw new TypeError('toNodeHandler needs a function (request) => Response');
  const route = nodeRouteOf(handle);
  return (req, res, next) => {
    void (async () => {
      if (FORBIDDEN_METHODS.has((req.method ?? '').toUpperCase())) {
        res.writeHead(501, { 'content-type': 'application/json' }).end('{"error":"not_implemented"}');
        return;
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      // Routing uses the request target alone: a Host header with "/" or "?" in it must not change the
      // path the handler sees (that would bypass path-based middleware mounted before it).
      const target = req.url ?? '/';
      if (!target.startsWith('/')) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}');
        return;
      }
      const requestHeaders = () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value === undefined) continue;
          for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
        }
        return headers;
      };
      const url = () => new URL(target, 'http://localhost');
      let response: Response | undefined;
      // A small body usually comes in the read that brought the headers: by the check phase of this loop
      // turn node's parser has taken it whole. Then the Request gets those bytes (no web stream over the
      // socket, no abort signal: ~60 µs less per request on node 20); otherwise it streams as it arrives.
      if (hasBody) await new Promise(setImmediate);
      if (!hasBody || req.complete) {
        let body: Buffer | undefined;
        if (hasBody) {
          const chunks: Buffer[] = [];
          for (let chunk = req.read() as Buffer | null; chunk !== null; chunk = req.read() as Buffer | null)
            chunks.push(chunk);
          body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        }
        let request: Request | undefined;
        const requestOf = () => {
          if (request === undefined) {
            request = new Request(url(), { method: req.method, headers: requestHeaders(), ...(body ? { body } : {}) });
            if (body) withBodySource(request, body);
          }
          return request;
        };
        // Tessera's own handlers may answer from the bytes, without a Request (server/node-route.ts).
        const routed =
          body !== undefined && route !== undefined
            ? route({ method: req.method!, target, headers: req.headers, body, request: requestOf })
            : undefined;
        response =
          routed !== undefined ? await routed : await handle(requestOf(), { remoteAddress: req.socket.remoteAddress });
      } else {
        // A client that disconnects before its request was read whole aborts the signal, so a handler
        // (and its logs) can tell a client abort from a server failure.
        const aborted = new AbortController();
        const onClose = () => {
          if (!req.complete)
            aborted.abort(new Error('the client closed the connection before the request was complete'));
        };
        req.once('close', onClose);
        res.once('finish', () => req.off('close', onClose));
        const request = new Request(url(), {
          method: req.method,
          headers: requestHeaders(),
          signal: aborted.signal,
          body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
          duplex: 'half',
        } as RequestInit);
        response = await handle(request, { remoteAddress: req.socket.remoteAddress });
      }
      if (response === undefined) {
        if (next) return next();
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
        return;
      }
      const outHeaders: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        outHeaders[name] = value;
      });
      // Several Set-Cookie headers stay several (forEach yields each, and a plain object kept only the last).
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
      // The recorded text first: an answer built for this bridge alone has it and no body stream.
      const source = bodySource(response);
      if (req.method === 'HEAD' || (source === undefined && response.body === null)) {
        res.writeHead(response.status, outHeaders).end();
        return;
      }
      const body = source ?? Buffer.from(await response.arrayBuffer());
      // The whole body is in hand, so it goes out with its length: writeHead fixes the headers before
      // end() sees the body, and without a Content-Length node would frame this one chunk as chunked.
      if (outHeaders['content-length'] === undefined && outHeaders['transfer-encoding'] === undefined)
        outHeaders['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
      res.writeHead(response.status, outHeaders).end(body);
    })().catch((err) => {
      if (next) return next(err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"server_error"}');
    });
  };
}
