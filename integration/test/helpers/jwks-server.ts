// A real JWKS endpoint on 127.0.0.1 whose keys the test rotates, and which can go down.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'tessera-jwt';

export interface JWKSServer {
  url: string;
  /** Requests served so far. */
  readonly hits: number;
  publish(keys: JWK[]): void;
  /** Answer 503 from now on (true) or serve the keys again (false). */
  fail(down: boolean): void;
  close(): Promise<void>;
}

export async function startJWKSServer(keys: JWK[]): Promise<JWKSServer> {
  let published = keys;
  let down = false;
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    if (down) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' })
      .end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get hits() {
      return hits;
    },
    publish: (next) => {
      published = next;
    },
    fail: (value) => {
      down = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
