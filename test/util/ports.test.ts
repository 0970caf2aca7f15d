// Free loopback ports: a batch from freePorts is all different, and each port is free again once it is returned.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePorts } from '../../src/util/ports.js';

const bindable = (port: number, host: string) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });

describe('freePorts', () => {
  it('gives as many different ports as asked, each free once returned', async () => {
    const ports = await freePorts(50, '127.0.0.86');
    expect(ports).toHaveLength(50);
    expect(new Set(ports).size).toBe(50);
    for (const port of ports) expect(await bindable(port, '127.0.0.86')).toBe(true);
  });
});
