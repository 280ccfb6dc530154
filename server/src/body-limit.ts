// Oversized bodies, refused at the node:http level before any route sees them. Answering 413 and
// closing at once makes the client's pending write fail with ECONNRESET, so it never reads the 413;
// instead the rest of the body is read and thrown away (up to DRAIN_LIMIT: beyond that the client is
// not worth the bandwidth and the connection is destroyed), then the 413 is sent on a healthy
// connection. Routes still count the bytes they read (chunked bodies have no Content-Length).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Per-path limits in bytes; the token endpoints' equal the library's default maxBodyBytes. */
export const BODY_LIMITS: Readonly<Record<string, number>> = {
  '/token': 16 * 1024,
  '/revoke': 16 * 1024,
  '/introspect': 16 * 1024,
  '/login': 8 * 1024,
  '/interaction': 8 * 1024,
  '/register': 64 * 1024,
  '/debugger/verify': 96 * 1024,
};
const DEFAULT_LIMIT = 16 * 1024;
export const DRAIN_LIMIT = 8 * 1024 * 1024;

export function limitOf(path: string): number {
  return Object.hasOwn(BODY_LIMITS, path) ? BODY_LIMITS[path]! : DEFAULT_LIMIT;
}

/**
 * True when the request was answered here (declared body too large). Drains, then sends the 413 as
 * an RFC 6749 §5.2 error body.
 */
export function refuseOversized(
  req: IncomingMessage,
  res: ServerResponse,
  onRefused: (path: string, limit: number) => void,
): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  const path = (req.url ?? '/').split('?')[0]!;
  const limit = limitOf(path);
  if (!(declared > limit)) return false;
  const body = JSON.stringify({
    error: 'invalid_request',
    error_description: `The request body is larger than ${limit} bytes`,
  });
  const answer = () => {
    if (res.headersSent) return;
    res.writeHead(413, {
      'content-type': 'application/json;charset=UTF-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
    onRefused(path, limit);
  };
  if (declared > DRAIN_LIMIT) {
    res.setHeader('connection', 'close');
    answer();
    req.destroy();
    return true;
  }
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DRAIN_LIMIT) req.destroy();
  });
  req.once('end', answer);
  req.once('error', () => {});
  return true;
}
