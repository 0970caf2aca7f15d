// A real throwaway etcd for the load tests, in a temporary directory that goes with it; `binary` picks the release of the matrix.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedEtcd, type EmbeddedEtcd } from '../../src/etcd/embedded.js';

export async function startTestEtcd(extraArgs: string[] = [], binary?: string): Promise<EmbeddedEtcd & { cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ea5-'));
  const etcd = await startEmbeddedEtcd({ parentDir: dir, extraArgs, ...(binary !== undefined ? { etcdBinary: binary } : {}) });
  return {
    ...etcd,
    cleanup: async () => {
      await etcd.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
