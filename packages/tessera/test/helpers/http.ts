// Real HTTP servers on 127.0.0.1 for the remote JWKS and discovery suites, closed when the file ends.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

const open: Array<() => Promise<void>> = [];
after(async () => {
  await Promise.all(open.map((close) => close()));
});

/** Listens on an ephemeral port; returns the origin and a close() that also drops kept-alive sockets. */
export async function listen(
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  open.push(close);
  return { origin: `http://127.0.0.1:${port}`, close };
}
