// Real ICMP, TCP and HTTP probes to an etcd member in a network namespace this test creates (veth pair, 10.204.4.16/30), with loss made by removing its address.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNetworkProbe } from '../../src/probes/network.js';
import { measured } from '../support/probes.js';

// Names and addresses unique to issue 4's tests; nothing is routed beyond the veth pair.
const tag = String(process.pid % 100000);
const NS = `ea4-t${tag}`;
const HOST_IF = `ea4h${tag}`;
const NS_IF = `ea4n${tag}`;
const HOST_ADDR = '10.204.4.17';
const PEER_ADDR = '10.204.4.18';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

let skipReason: string | null = null;
try {
  ip('netns', 'add', NS);
} catch (err) {
  skipReason = `ip netns is not permitted here: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
}

let etcd: ResultPromise | null = null;
let scratch = '';

async function waitForPeerPort(deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    try {
      const res = await fetch(`http://${PEER_ADDR}:2380/version`, { signal: AbortSignal.timeout(500) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`etcd in ${NS} did not answer on ${PEER_ADDR}:2380`);
}

describe.skipIf(skipReason !== null)(`probes to a peer in network namespace ${NS}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
    ip('link', 'set', NS_IF, 'netns', NS);
    ip('addr', 'add', `${HOST_ADDR}/30`, 'dev', HOST_IF);
    ip('link', 'set', HOST_IF, 'up');
    ip('-n', NS, 'addr', 'add', `${PEER_ADDR}/30`, 'dev', NS_IF);
    ip('-n', NS, 'link', 'set', NS_IF, 'up');
    ip('-n', NS, 'link', 'set', 'lo', 'up');
    scratch = await mkdtemp(join(tmpdir(), 'ea4-netns-'));
    const peerUrl = `http://${PEER_ADDR}:2380`;
    etcd = execa(
      'ip',
      [
        'netns',
        'exec',
        NS,
        'etcd',
        '--name',
        'ea4-ns',
        '--data-dir',
        join(scratch, 'data'),
        '--listen-client-urls',
        'http://127.0.0.1:2379',
        '--advertise-client-urls',
        'http://127.0.0.1:2379',
        '--listen-peer-urls',
        peerUrl,
        '--initial-advertise-peer-urls',
        peerUrl,
        '--initial-cluster',
        `ea4-ns=${peerUrl}`,
      ],
      { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', cleanup: true },
    );
    await waitForPeerPort(20_000);
  });

  afterAll(async () => {
    if (etcd !== null) {
      etcd.kill('SIGTERM');
      await etcd;
    }
    // Deleting the namespace removes both ends of the veth pair.
    try {
      ip('netns', 'del', NS);
    } catch {
      // already gone
    }
    try {
      ip('link', 'del', HOST_IF);
    } catch {
      // went with the namespace
    }
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('measures the peer by ICMP, TCP connect to :2380 and GET /version on its peer URL, all at once', async () => {
    const t0 = Date.now();
    const [icmp, tcp, http] = await Promise.all([
      measured(runNetworkProbe({ peers: [PEER_ADDR], method: 'icmp', count: 10, intervalMs: 50 })),
      measured(runNetworkProbe({ peers: [PEER_ADDR], method: 'tcp', count: 10, intervalMs: 50 })),
      measured(runNetworkProbe({ peers: [`http://${PEER_ADDR}:2380`], method: 'http', count: 10, intervalMs: 50 })),
    ]);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(icmp.peers[0]).toMatchObject({ host: PEER_ADDR, address: PEER_ADDR, method: 'icmp', loopback: false, sent: 10, received: 10, lossPct: 0 });
    expect(tcp.peers[0]).toMatchObject({ method: 'tcp', port: 2380, loopback: false, sent: 10, received: 10 });
    expect(http.peers[0]).toMatchObject({ method: 'http', url: `http://${PEER_ADDR}:2380/version`, sent: 10, received: 10 });
    for (const r of [icmp, tcp, http]) {
      expect(r.peers[0]!.error).toBeUndefined();
      expect(r.peers[0]!.rttMs.p50!).toBeLessThan(50);
    }
  });

  it('counts the probes lost while the peer lost its address, and still reports the rest', async () => {
    const run = measured(runNetworkProbe({ peers: [PEER_ADDR], method: 'icmp', count: 15, intervalMs: 100 }));
    await new Promise((r) => setTimeout(r, 400));
    ip('-n', NS, 'addr', 'del', `${PEER_ADDR}/30`, 'dev', NS_IF);
    await new Promise((r) => setTimeout(r, 600));
    ip('-n', NS, 'addr', 'add', `${PEER_ADDR}/30`, 'dev', NS_IF);
    const peer = (await run).peers[0]!;
    expect(peer.error).toBeUndefined();
    expect(peer.sent).toBe(15);
    expect(peer.lossPct).toBeGreaterThan(0);
    expect(peer.lossPct).toBeLessThan(100);
    // The hole in the replies is the stall: about the 600 ms without an address, plus an interval.
    expect(peer.longestGapMs).toBeGreaterThan(400);
  });

  it('makes a silent peer a per-peer error while loopback is still measured', async () => {
    ip('-n', NS, 'addr', 'del', `${PEER_ADDR}/30`, 'dev', NS_IF);
    try {
      const net = await measured(runNetworkProbe({ peers: [PEER_ADDR, '127.0.0.1'], method: 'icmp', count: 4, intervalMs: 100 }));
      const [silent, loopback] = net.peers;
      expect(silent).toMatchObject({ received: 0, lossPct: 100 });
      expect(['no-reply', 'unreachable']).toContain(silent!.errorKind);
      expect(silent!.error).toMatch(/no reply|Unreachable/i);
      expect(loopback).toMatchObject({ received: 4, loopback: true });
    } finally {
      ip('-n', NS, 'addr', 'add', `${PEER_ADDR}/30`, 'dev', NS_IF);
    }
  });
});
