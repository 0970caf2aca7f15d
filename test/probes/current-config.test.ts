// What a member runs with today: files through lint's resolvers, and an etcd process's argv and environment from a /proc tree.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCurrentConfigProbe } from '../../src/probes/current-config.js';

let dir: string;
const value = (r: Awaited<ReturnType<typeof runCurrentConfigProbe>>, kind: string, flag: string) =>
  r.ok ? r.data.sources.find((s) => s.kind === kind)?.settings.find((s) => s.flag === flag)?.value : undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea12-current-'));
  // A /proc with this member's etcd (under ionice it execs, so argv[0] is etcd), another member's, and a shell.
  const proc = async (pid: string, argv: string[], env: string[]) => {
    await mkdir(join(dir, 'proc', pid), { recursive: true });
    await writeFile(join(dir, 'proc', pid, 'cmdline'), argv.join('\0') + '\0');
    await writeFile(join(dir, 'proc', pid, 'environ'), env.join('\0') + '\0');
  };
  await proc(
    '100',
    ['/usr/bin/etcd', '--name', 'm1', '--advertise-client-urls', 'https://127.0.0.11:2379', '--snapshot-count=50000'],
    ['ETCD_QUOTA_BACKEND_BYTES=8589934592', 'HOME=/root'],
  );
  await proc('200', ['etcd', '--name', 'other', '--advertise-client-urls', 'http://127.0.0.51:2379'], []);
  await proc('300', ['/bin/sh', '-c', 'sleep 1'], []);
  await writeFile(
    join(dir, 'etcd.service'),
    '[Service]\nEnvironmentFile=/etc/etcd/etcd.conf\nExecStart=/usr/bin/ionice -c2 -n0 /usr/bin/etcd --heartbeat-interval=500\n',
  );
  await writeFile(join(dir, 'etcd.conf'), 'ETCD_ELECTION_TIMEOUT=5000\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runCurrentConfigProbe', () => {
  it('reads the unit with its env file as systemd does, past the ionice wrapper', async () => {
    const r = await runCurrentConfigProbe({ unit: join(dir, 'etcd.service'), envFiles: [join(dir, 'etcd.conf')] });
    expect(value(r, 'files', 'heartbeat-interval')).toBe('500');
    expect(value(r, 'files', 'election-timeout')).toBe('5000');
  });

  it('takes only the etcd process that serves the endpoints: flags and ETCD_* environment', async () => {
    const r = await runCurrentConfigProbe({ processMatch: { endpoints: ['https://127.0.0.11:2379/'] }, procDir: join(dir, 'proc') });
    expect(r.ok && r.data.sources.map((s) => s.label)).toEqual(['etcd process 100']);
    expect(value(r, 'process', 'snapshot-count')).toBe('50000');
    expect(value(r, 'process', 'quota-backend-bytes')).toBe('8589934592');
  });

  it('says so when etcd runs here but is not this member', async () => {
    const r = await runCurrentConfigProbe({ processMatch: { endpoints: ['https://10.0.0.1:2379'] }, procDir: join(dir, 'proc') });
    expect(r.ok && r.data.sources).toEqual([]);
    expect(r.ok && r.data.notes.join()).toMatch(/2 etcd process\(es\) run on this node, but none serves the endpoints/);
  });

  it('an unreadable --unit is bad input naming the flag', async () => {
    await expect(runCurrentConfigProbe({ unit: join(dir, 'missing.service') })).rejects.toThrow(/--unit .*missing\.service: no such file/);
  });
});
