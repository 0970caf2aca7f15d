// The plan of a cluster run from --cluster/--name: members, driver, URLs, refusals in one line, and a token that only the same run shares.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MEMBER_CLIENT_PORT,
  DEFAULT_MEMBER_PEER_PORT,
  clientUrlOf,
  clusterRunId,
  initialClusterOf,
  peerUrlOf,
  planCluster,
} from '../../src/cluster/plan.js';
import { runInfo } from '../../src/model/report-schema.js';
import { UsageError } from '../../src/model/errors.js';

const LIST = 'n1=10.0.0.1,n2=10.0.0.2,n3=10.0.0.3';

describe('clusterRunId', () => {
  it('is the same on every node of one run, another for another run, and a valid run id', () => {
    const ids = ['n1', 'n2', 'n3'].map((name) => clusterRunId(planCluster({ cluster: LIST, name, scheme: 'https' })));
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^cluster-[0-9a-f]{16}$/);
    expect(clusterRunId(planCluster({ cluster: LIST, name: 'n1', scheme: 'https', label: 'second' }))).not.toBe(ids[0]);
    expect(clusterRunId(planCluster({ cluster: LIST, name: 'n1', scheme: 'https', token: 'my-run.7' }))).toBe('cluster-my-run.7');
    expect(runInfo.shape.id.safeParse(ids[0]).success).toBe(true);
  });
});

describe('planCluster', () => {
  it('names the first member the driver and builds the URLs on the throwaway ports', () => {
    const plan = planCluster({ cluster: LIST, name: 'n2', scheme: 'https' });
    expect(plan.driver.name).toBe('n1');
    expect(plan.isDriver).toBe(false);
    expect(plan.self.host).toBe('10.0.0.2');
    expect(clientUrlOf(plan, plan.self)).toBe(`https://10.0.0.2:${DEFAULT_MEMBER_CLIENT_PORT}`);
    expect(peerUrlOf(plan, plan.self)).toBe(`https://10.0.0.2:${DEFAULT_MEMBER_PEER_PORT}`);
    expect(initialClusterOf(plan)).toBe(
      `n1=https://10.0.0.1:${DEFAULT_MEMBER_PEER_PORT},n2=https://10.0.0.2:${DEFAULT_MEMBER_PEER_PORT},n3=https://10.0.0.3:${DEFAULT_MEMBER_PEER_PORT}`,
    );
    expect(plan.prefix).toBe(`/etcd-advisor/cluster/${plan.token}/`);
  });

  it('keeps a peer port given in --cluster as the one the others dial, listening on --member-peer-port', () => {
    const plan = planCluster({ cluster: 'a=127.0.0.21:30001,b=127.0.0.22:30002', name: 'a', scheme: 'https', peerPort: 24000 });
    expect(plan.listenPeerPort).toBe(24000);
    expect(peerUrlOf(plan, plan.members[1]!)).toBe('https://127.0.0.22:30002');
    expect(planCluster({ cluster: 'a=[fd00::1]:30001,b=[fd00::2]', name: 'a', scheme: 'https' }).members.map((m) => peerUrlOf({ scheme: 'https' }, m))).toEqual(
      ['https://[fd00::1]:30001', `https://[fd00::2]:${DEFAULT_MEMBER_PEER_PORT}`],
    );
  });

  it('gives every node of a run the same token, and another run another one', () => {
    const tokens = ['n1', 'n2', 'n3'].map((name) => planCluster({ cluster: LIST, name, scheme: 'https', label: 'q1' }).token);
    expect(new Set(tokens).size).toBe(1);
    expect(planCluster({ cluster: LIST, name: 'n1', scheme: 'https', label: 'q2' }).token).not.toBe(tokens[0]);
    expect(planCluster({ cluster: 'n1=10.0.0.1,n2=10.0.0.2,n3=10.0.0.4', name: 'n1', scheme: 'https', label: 'q1' }).token).not.toBe(tokens[0]);
    expect(planCluster({ cluster: LIST, name: 'n1', scheme: 'https', token: 'mine' }).token).toBe('mine');
  });

  it.each([
    ['', 'n1', /--cluster is empty/],
    ['n1=10.0.0.1', 'n1', /at least two members/],
    ['n1=10.0.0.1,n2=10.0.0.2', 'n9', /--name n9 is not in --cluster \(n1, n2\)/],
    ['n1=10.0.0.1,n1=10.0.0.2', 'n1', /names "n1" twice/],
    ['n1=10.0.0.1,n2=10.0.0.1', 'n1', /same address 10\.0\.0\.1/],
    ['n1=10.0.0.1,10.0.0.2', 'n1', /"10\.0\.0\.2" is not name=ADDRESS/],
    ['n1=10.0.0.1:99999,n2=10.0.0.2', 'n1', /port 99999, not 1-65535/],
    ['n 1=10.0.0.1,n2=10.0.0.2', 'n2', /member name "n 1"/],
  ])('refuses --cluster %j --name %s in one line', (cluster, name, message) => {
    let err: unknown;
    try {
      planCluster({ cluster, name, scheme: 'https' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});
