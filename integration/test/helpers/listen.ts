import type { Server as HTTPServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from './contract.js';

/** Listens on 127.0.0.1 (an ephemeral port) and closes every connection on close. */
export async function listen(server: HTTPServer): Promise<Server> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
