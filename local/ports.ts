import { createServer, type AddressInfo } from 'node:net';

/** Asks the kernel for a free loopback port (bind to 127.0.0.1:0, read the port, close). */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const { port } = server.address() as AddressInfo;
      server.close((err) => (err ? reject(err) : resolvePort(port)));
    });
  });
}
