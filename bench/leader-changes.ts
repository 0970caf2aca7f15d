// The experiment the advisor exists for: three real etcd members whose peer traffic crosses a delaying, stalling proxy; leader changes in 60 s with etcd's defaults vs with the advised flags.
// Run: npx tsc -p tsconfig.json --noEmit false --outDir reports/.bench && node reports/.bench/bench/leader-changes.js [--seconds 60]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advise } from '../src/advisor/advise.js';
import type { Advice } from '../src/model/advice.js';
import { probeError } from '../src/model/probe.js';
import { runNetworkProbe } from '../src/probes/network.js';
import { renderEnvFile, resolveMember, type UnitFileOptions } from '../src/report/unit.js';
import { freePort } from '../src/util/ports.js';
import { startDelayProxy, type DelayProxy } from '../test/support/delay-proxy.js';
import { parseEnvironmentFile, spawnEtcd, waitHealthy, type StartedEtcd } from '../test/report/unit-systemd.js';

/** The network: a little delay on every peer packet and all peer traffic held for 1.5 s every 8 s. */
const DELAY_MS = 5;
const STALL = { everyMs: 8_000, forMs: 1_500 };
const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 60) || 60;

interface Member {
  name: string;
  clientUrl: string;
  peerListenUrl: string;
  proxy: DelayProxy;
}

async function makeMembers(): Promise<Member[]> {
  const members: Member[] = [];
  for (const name of ['lc-1', 'lc-2', 'lc-3']) {
    const peerPort = await freePort();
    // Every peer connection to this member goes through its proxy: the advertised peer URL is the proxy's.
    const proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort: peerPort, delayMs: DELAY_MS, stall: STALL });
    members.push({ name, clientUrl: `http://127.0.0.1:${await freePort()}`, peerListenUrl: `http://127.0.0.1:${peerPort}`, proxy });
  }
  return members;
}

/** Starts the three members from the etcd.conf each would get from `advise`, with the given advice. */
async function startCluster(members: Member[], advice: Advice, dir: string, token: string): Promise<StartedEtcd[]> {
  const initialCluster = members.map((m) => `${m.name}=http://${m.proxy.address}`).join(',');
  const started = members.map((m) => {
    const options: UnitFileOptions = {
      member: resolveMember(
        {
          name: m.name,
          dataDir: join(dir, token, m.name),
          initialCluster,
          initialClusterToken: token,
          listenClientUrls: m.clientUrl,
          listenPeerUrls: m.peerListenUrl,
        },
        m.name,
      ),
      etcdBinary: '/usr/bin/etcd',
      envFilePath: '/etc/etcd/etcd.conf',
      user: 'etcd',
      provenance: 'bench/leader-changes',
    };
    return spawnEtcd(['etcd'], parseEnvironmentFile(renderEnvFile(advice, options)));
  });
  await Promise.all(started.map((e, i) => waitHealthy(e, members[i]!.clientUrl, 60_000)));
  return started;
}

async function leaderChanges(members: Member[]): Promise<number> {
  let sum = 0;
  const seen: string[] = [];
  for (const m of members) {
    const text = await (await fetch(`${m.clientUrl}/metrics`)).text();
    const line = /^etcd_server_leader_changes_seen_total (\S+)$/m.exec(text);
    if (line === null) throw new Error(`${m.name} has no etcd_server_leader_changes_seen_total in /metrics`);
    sum += Number(line[1]);
    seen.push(`${m.name}=${line[1]}`);
  }
  process.stderr.write(`  etcd_server_leader_changes_seen_total: ${seen.join(' ')}\n`);
  return sum;
}

/** Leader changes summed over the members during `seconds`, not counting the first election. */
async function countFor(members: Member[], seconds: number, during?: Promise<unknown>): Promise<number> {
  const before = await leaderChanges(members);
  await Promise.all([new Promise((r) => setTimeout(r, seconds * 1000)), during]);
  return (await leaderChanges(members)) - before;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ea6-bench-'));
  const members = await makeMembers();
  let running: StartedEtcd[] = [];
  try {
    const nothing = { host: probeError<never>('bench: nothing measured on this host') };
    const defaults: Advice = { etcdVersion: '3.4', flags: [], unitSettings: [] };
    running = await startCluster(members, defaults, dir, 'defaults');
    process.stderr.write(`defaults: cluster up; measuring the peer path (http) and counting leader changes for ${seconds} s\n`);
    // `net --method http` on lc-2's peer URL, through its proxy, while the defaults run: the stalls show as gaps.
    const network = runNetworkProbe({
      peers: [`http://${members[1]!.proxy.address}`],
      method: 'http',
      count: Math.floor((seconds * 1000) / 250),
      intervalMs: 200,
      timeoutMs: 5_000,
    });
    const withDefaults = await countFor(members, seconds, network);
    await Promise.all(running.map((e) => e.stop()));

    const measured = await network;
    if (!measured.ok) throw new Error(measured.error);
    const result = advise({ ...nothing, network: measured }, { etcdVersion: '3.4' });
    const peer = measured.data.peers[0]!;
    const hb = result.advice.flags.find((f) => f.flag === 'heartbeat-interval');
    const el = result.advice.flags.find((f) => f.flag === 'election-timeout');
    process.stderr.write(
      `measured: RTT p50 ${peer.rttMs.p50?.toFixed(1)} ms, p99 ${peer.rttMs.p99?.toFixed(1)} ms, longest gap ${peer.longestGapMs.toFixed(0)} ms over ${peer.received} replies\n`,
    );
    for (const input of [result.inputs.rttP99Ms, result.inputs.stallMs]) if ('basis' in input) process.stderr.write(`  advisor input: ${input.basis}\n`);
    process.stderr.write(`advised: --heartbeat-interval=${hb?.value} --election-timeout=${el?.value} (${el?.reason})\n`);

    running = await startCluster(members, result.advice, dir, 'advised');
    process.stderr.write(`advised: cluster up; counting leader changes for ${seconds} s\n`);
    const withAdvice = await countFor(members, seconds);
    process.stdout.write(
      `leader changes in ${seconds} s, summed over 3 members, peer traffic delayed ${DELAY_MS} ms each way and stalled ${STALL.forMs} ms every ${STALL.everyMs} ms:\n` +
        `  etcd defaults (heartbeat 100 ms, election 1000 ms): ${withDefaults}\n` +
        `  advised (heartbeat ${hb?.value} ms, election ${el?.value} ms): ${withAdvice}\n`,
    );
  } finally {
    await Promise.all(running.map((e) => e.stop()));
    await Promise.all(members.map((m) => m.proxy.close()));
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`leader-changes: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 3;
});
