// run --cluster's options: what only `run` without --cluster reads is refused in one line naming the flag (exit 2), never silently ignored; --wait is a duration.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterArgsOf, NOT_WITH_CLUSTER } from '../../src/cluster/cli.js';
import { UsageError } from '../../src/model/errors.js';
import { runCli } from '../support/cli.js';

const BASE = { cluster: 'a=127.0.0.21,b=127.0.0.22', name: 'a', quick: true };

describe('clusterArgsOf', () => {
  it('refuses every member-only option, naming it', () => {
    for (const flag of ['unit', 'env-file', 'config-file', 'etcd-version', 'target-data-dir', 'initial-cluster', 'cert-file', 'endpoints', 'peers', 'user']) {
      expect(Object.keys(NOT_WITH_CLUSTER)).toContain(flag);
      const given = { ...BASE, [flag]: flag === 'env-file' ? ['etcd.conf'] : 'x' };
      expect(() => clusterArgsOf(given), flag).toThrow(UsageError);
      expect(() => clusterArgsOf(given), flag).toThrow(new RegExp(`^--cluster .*: leave out --${flag}$`));
    }
  });

  it("takes --method's default, and the options a cluster run uses", () => {
    expect(clusterArgsOf({ ...BASE, method: 'icmp', 'data-dir': '/tmp/x', out: '/tmp/o' })).toMatchObject({ name: 'a', dataDir: '/tmp/x', out: '/tmp/o' });
    expect(() => clusterArgsOf({ ...BASE, method: 'tcp' })).toThrow(
      '--cluster measures RTT to every member by ICMP and HTTP on the peer URL itself: leave out --method',
    );
  });
});

describe('run --cluster --wait', () => {
  it('takes a duration, like every other duration flag', () => {
    expect(clusterArgsOf({ ...BASE, wait: '90s' }).waitMs).toBe(90_000);
    expect(clusterArgsOf({ ...BASE, wait: '1m30s' }).waitMs).toBe(90_000);
    expect(clusterArgsOf({ ...BASE, wait: '2m' }).waitMs).toBe(120_000);
  });

  it("refuses a bare number with the one grammar's words, and a wait outside a second to an hour", () => {
    expect(() => clusterArgsOf({ ...BASE, wait: '120' })).toThrow(/^--wait "120": give a unit: 200ms or 0\.2s$/);
    expect(() => clusterArgsOf({ ...BASE, wait: '500ms' })).toThrow(/^--wait "500ms": must be from 1s to 1h/);
    expect(() => clusterArgsOf({ ...BASE, wait: '2h' })).toThrow(/^--wait "2h": must be from 1s to 1h/);
  });
});

describe('etcd-advisor run --cluster', () => {
  it('refuses --unit in one line, exit 2, before starting anything', async () => {
    const r = await runCli(['run', '--cluster', BASE.cluster, '--name', 'a', '--unit', '/etc/systemd/system/etcd.service', '--quick']);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).trim()).toBe("etcd-advisor: --cluster does not read this member's current settings (run without --cluster does): leave out --unit");
  });

  it('refuses a --data-dir that does not exist before making any report directory', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'ea-cluster-cli-'));
    try {
      const r = await runCli(['run', '--cluster', 'a=127.0.0.20,b=127.0.0.21', '--name', 'a', '--quick', '--data-dir', './missing'], { cwd });
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr).trim()).toMatch(/^etcd-advisor: --data-dir \.\/missing does not exist/);
      expect(await readdir(cwd)).toEqual([]);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
