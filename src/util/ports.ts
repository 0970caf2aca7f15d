// Free loopback TCP ports for the throwaway etcd and for tests.
import { createServer, type Server } from 'node:net';

function listenOnFreePort(host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a loopback listener'));
        return;
      }
      resolve({ server, port: address.port });
    });
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const { server, port } = await listenOnFreePort(host);
  await close(server);
  return port;
}

/**
 * `count` free ports, all different: each is held until all are found, since the kernel may hand a port just closed
 * out again (two freePort calls in a row can return the same port, and etcd then cannot bind both its listeners).
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const held: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const { server, port } = await listenOnFreePort(host);
      held.push(server);
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(held.map(close));
  }
}
