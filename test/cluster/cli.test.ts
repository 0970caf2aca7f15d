// run --cluster's options: what only `run` without --cluster reads is refused in one line naming the flag (exit 2), never silently ignored.
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

describe('etcd-advisor run --cluster', () => {
  it('refuses --unit in one line, exit 2, before starting anything', async () => {
    const r = await runCli(['run', '--cluster', BASE.cluster, '--name', 'a', '--unit', '/etc/systemd/system/etcd.service', '--quick']);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).trim()).toBe("etcd-advisor: --cluster does not read this member's current settings (run without --cluster does): leave out --unit");
  });
});
