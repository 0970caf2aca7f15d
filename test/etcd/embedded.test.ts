// The throwaway etcd: starts healthy on free loopback ports, serves, and leaves nothing behind when stopped.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcd3Client } from '../../src/etcd/client.js';
import { startEmbeddedEtcd } from '../../src/etcd/embedded.js';
import { IncompleteError } from '../../src/model/errors.js';
import { freePort } from '../../src/util/ports.js';
import { describeEtcd } from '../support/etcd-versions.js';
import { processesMentioning } from '../support/processes.js';

const parents: string[] = [];
async function parentDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ea-embedded-'));
  parents.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of parents) await rm(d, { recursive: true, force: true });
});

describeEtcd('startEmbeddedEtcd', (release) => {
  it('starts a member that serves puts and gets, then stops it and removes its data', async () => {
    const etcd = await startEmbeddedEtcd({ parentDir: await parentDir(), etcdBinary: release.binary });
    expect(etcd.clientUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(etcd.version).toBe(release.version);
    const client = await createEtcd3Client({ endpoints: [etcd.clientUrl] });
    await client.put('/embedded-test/k').value('v');
    expect(await client.get('/embedded-test/k').string()).toBe('v');
    client.close();
    expect(existsSync(etcd.dataDir)).toBe(true);
    await etcd.stop();
    expect(existsSync(etcd.dataDir)).toBe(false);
    expect(await processesMentioning(etcd.dataDir)).toEqual([]);
  });

  it("starts although the caller's environment sets ETCD_* variables that would clash with its flags", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { ETCD_DATA_DIR: '/nonexistent/etcd', ETCD_NAME: 'clash' });
    try {
      const etcd = await startEmbeddedEtcd({ parentDir: await parentDir(), etcdBinary: release.binary });
      expect(etcd.version).toBe(release.version);
      await etcd.stop();
    } finally {
      delete process.env.ETCD_DATA_DIR;
      delete process.env.ETCD_NAME;
      Object.assign(process.env, saved);
    }
  });

  it("reports etcd's own reason when it refuses to start", async () => {
    // etcd validates timing at start-up (server/embed/config.go Validate): 5x heartbeat must not exceed the election timeout.
    await expect(
      startEmbeddedEtcd({ parentDir: await parentDir(), etcdBinary: release.binary, extraArgs: ['--heartbeat-interval', '500', '--election-timeout', '1000'] }),
    ).rejects.toThrow(/election-timeout/);
  });
});

describe('startEmbeddedEtcd when a port it picked is taken before etcd binds it', () => {
  let taken: Server;
  let takenPort: number;
  beforeAll(async () => {
    // Held by someone else, who hangs up on every caller (the tool asks the port it picked for /health).
    taken = createServer((socket) => socket.destroy());
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => taken.close(r));
  });

  it('starts again on new ports: the member serves, and not on the taken port', async () => {
    let picks = 0;
    const etcd = await startEmbeddedEtcd({ parentDir: await parentDir(), pickPort: () => (picks++ === 0 ? Promise.resolve(takenPort) : freePort()) });
    try {
      expect(picks).toBe(4);
      expect(etcd.clientUrl).not.toContain(`:${takenPort}`);
      expect(await etcd.answers()).toBe(true);
    } finally {
      await etcd.stop();
    }
  });

  it('gives up after its retries, naming the port etcd could not bind', async () => {
    const error = await startEmbeddedEtcd({ parentDir: await parentDir(), pickPort: () => Promise.resolve(takenPort) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteError);
    expect((error as Error).message).toMatch(new RegExp(`could not start the throwaway etcd: etcd exited .*:${takenPort}: bind: address already in use`));
  });
});

describe('startEmbeddedEtcd without etcd', () => {
  it('says plainly when the etcd binary is missing', async () => {
    const parent = await parentDir();
    await expect(startEmbeddedEtcd({ parentDir: parent, etcdBinary: 'etcd-that-does-not-exist' })).rejects.toThrow(IncompleteError);
    await expect(startEmbeddedEtcd({ parentDir: parent, etcdBinary: 'etcd-that-does-not-exist' })).rejects.toThrow(/not found on PATH/);
  });
});
