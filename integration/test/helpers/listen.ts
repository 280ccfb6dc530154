import type { Server as HTTPServer } from 'node:http';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from './contract.js';

/** Listens on 127.0.0.1 (an ephemeral port) and closes every connection on close. */
export async function listen(server: HTTPServer): Promise<Server> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves a fetch handler (Hono's app.fetch, or a plain one) on 127.0.0.1 through @hono/node-server. */
export async function serveFetch(fetch: (request: Request) => Response | Promise<Response>): Promise<Server> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
