// Runs etcdctl check perf and `etcd-advisor load --scenario check-perf-<load>` one after the other on one throwaway etcd and prints both verdicts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { judgeLoadPhase } from '../dist/advisor/load-phase.js';
import { startEmbeddedEtcd } from '../dist/etcd/embedded.js';

const load = process.argv[2] ?? 's';
const dir = await mkdtemp(join(tmpdir(), 'etcd-advisor-checkperf-'));
const etcd = await startEmbeddedEtcd({ parentDir: dir });
try {
  console.log(`etcd ${etcd.version} at ${etcd.clientUrl}, load ${load}\n`);
  const ctl = await execa('etcdctl', ['--endpoints', etcd.clientUrl, 'check', 'perf', '--load', load, '--prefix', '/etcdctl-check-perf/'], {
    env: { ETCDCTL_API: '3' },
    reject: false,
    all: true,
  });
  // The verdict lines may follow the progress bar on the same line: keep what starts at PASS or FAIL.
  const ctlLines = ctl.all
    .split(/\r|\n/)
    .map((l) => /\b(PASS|FAIL)\b.*/.exec(l)?.[0])
    .filter((l) => l !== undefined);
  const ours = await execa('node', ['dist/cli.js', 'load', '--endpoints', etcd.clientUrl, '--scenario', `check-perf-${load}`, '--json'], { reject: false });
  const out = JSON.parse(ours.stdout);
  const p = out.phases[0];
  // The advisor's judgement of the phase: the same one `load` exits by.
  const judged = judgeLoadPhase(p);
  const ms = (us) => (us / 1000).toFixed(1);
  const ourLines = [
    `throughput ${p.ratePerSec.toFixed(0)} writes/s (target ${p.targetRatePerSec})`,
    `slowest ${ms(p.latencyUs.max)} ms, stddev ${ms(p.latencyUs.stdev)} ms, p50 ${ms(p.latencyUs.p50)} ms, p99 ${ms(p.latencyUs.p99)} ms, p99.9 ${ms(p.latencyUs['p99.9'])} ms`,
    `errors ${p.errors}, client CPU ${p.clientCpuPct.toFixed(0)}%${judged.clientLimitedReason !== null ? ' (limited by the load generator)' : ''}`,
    ...judged.thresholds.map((t) => `${t.ok ? 'PASS' : 'FAIL'}: ${t.expr} (${t.actual})`),
    out.verdict === 'qualified' ? 'PASS' : 'FAIL',
  ];
  const width = Math.max(...ctlLines.map((l) => l.length), 40);
  console.log(`${'etcdctl check perf --load ' + load}`.padEnd(width + 3) + `etcd-advisor load --scenario check-perf-${load}`);
  for (let i = 0; i < Math.max(ctlLines.length, ourLines.length); i++) console.log(`${(ctlLines[i] ?? '').padEnd(width)}   ${ourLines[i] ?? ''}`);
} finally {
  await etcd.stop();
  await rm(dir, { recursive: true, force: true });
}
