// A real throwaway etcd for the load tests, in a temporary directory that goes with it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedEtcd, type EmbeddedEtcd } from '../../src/etcd/embedded.js';

export async function startTestEtcd(extraArgs: string[] = []): Promise<EmbeddedEtcd & { cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ea5-'));
  const etcd = await startEmbeddedEtcd({ parentDir: dir, extraArgs });
  return {
    ...etcd,
    cleanup: async () => {
      await etcd.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
