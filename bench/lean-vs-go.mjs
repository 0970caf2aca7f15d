// Runs the Go clientv3 put loop and `etcd-advisor load` (lean) in alternating turns against one throwaway etcd at 1, 500 and 2000 clients, and prints the medians: throughput ratio and both processes' peak memory.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startEmbeddedEtcd } from '../dist/etcd/embedded.js';

const [goBinary, secondsArg, roundsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 15);
/** Rounds per client count: the figure is the median of the rounds, each round one Go run then one lean run. */
const rounds = Number(roundsArg ?? 3);
/** The client counts: 1 (latency-bound), 500 (the speed target) and 2000 (the footprint comparison, issue 11). */
const CLIENT_COUNTS = (process.env.CLIENT_COUNTS ?? '1,500,2000').split(',').map(Number);
/** node-http2 and etcd3 beside lean at 500 clients (OTHERS=1): slower, and they double the run's length. */
const OTHERS = process.env.OTHERS === '1';

/** The child's peak resident set (VmHWM in /proc), polled until it exits: the last reading is the peak of its whole run. */
async function withPeakRss(child) {
  let peakKb = 0;
  const poll = setInterval(() => {
    void readFile(`/proc/${child.pid}/status`, 'utf8').then(
      (t) => (peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(t)?.[1] ?? 0))),
      () => undefined,
    );
  }, 100);
  try {
    const result = await child;
    return { result, peakMb: peakKb / 1024 };
  } finally {
    clearInterval(poll);
  }
}

/** Node's flags from dist/cli.js's "#!/usr/bin/env -S node ... --" line: the load runs as the installed etcd-advisor command does. */
const CLI_NODE_FLAGS = (await readFile('dist/cli.js', 'utf8'))
  .split('\n')[0]
  .replace(/^#!\/usr\/bin\/env -S node\s*/, '')
  .split(/\s+/)
  .filter((a) => a !== '' && a !== '--');

const dir = await mkdtemp(join(tmpdir(), 'etcd-advisor-bench-'));
const etcd = await startEmbeddedEtcd({ parentDir: dir, extraArgs: ['--quota-backend-bytes', String(8 * 2 ** 30)] });
const ours = async (client, round, clients) => {
  const { result: r, peakMb } = await withPeakRss(
    execa(
      'node',
      [
        ...CLI_NODE_FLAGS,
        'dist/cli.js',
        'load',
        '--endpoints',
        etcd.clientUrl,
        '--client',
        client,
        '--prefix',
        `/bench-${client}-${round}/`,
        '--model',
        'closed',
        '--clients',
        String(clients),
        ...(process.env.CONNS ? ['--conns', process.env.CONNS] : []),
        '--duration',
        `${seconds}s`,
        '--op',
        'put',
        '--key-size',
        '256',
        '--val-size',
        '1KiB',
        '--max-db-growth',
        '6GiB',
        '--json',
      ],
      { reject: false },
    ),
  );
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`etcd-advisor load failed: ${r.stderr}`);
  const p = JSON.parse(r.stdout).phases[0];
  return { ratePerSec: p.ratePerSec, latencyUs: p.latencyUs, errors: p.errors, clientCpuPct: p.clientCpuPct, conns: p.conns, peakMb };
};
const go = async (round, clients) => {
  const { result: r, peakMb } = await withPeakRss(
    execa(goBinary, ['-endpoint', etcd.clientUrl, '-clients', String(clients), '-duration', `${seconds}s`, '-prefix', `/bench-go-${round}/`]),
  );
  return { ...JSON.parse(r.stdout), peakMb };
};
const fmt = (r) =>
  `${r.ratePerSec.toFixed(0).padStart(6)} puts/s  p50 ${(r.latencyUs.p50 / 1000).toFixed(1)} ms  p99 ${(r.latencyUs.p99 / 1000).toFixed(1)} ms  max ${(r.latencyUs.max / 1000).toFixed(1)} ms  errors ${r.errors}${r.clientCpuPct !== undefined ? `  client CPU ${r.clientCpuPct.toFixed(0)}% (${r.conns} conns)` : ''}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const loadAverage = async () => (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
try {
  console.log(
    `etcd ${etcd.version} at ${etcd.clientUrl}; clients ${CLIENT_COUNTS.join(', ')}; 256 B keys, 1 KiB values, ${seconds} s per run, ${rounds} round(s), ${(await import('node:os')).cpus().length} CPUs, node ${CLI_NODE_FLAGS.join(' ')}, load average ${await loadAverage()}`,
  );
  const summary = [];
  for (const clients of CLIENT_COUNTS) {
    const runs = { go: [], lean: [], 'node-http2': [], etcd3: [] };
    for (let round = 1; round <= rounds; round++) {
      // Alternating keeps a drift of the shared machine from favouring one side.
      const tag = `${clients}-${round}`;
      runs.go.push(await go(tag, clients));
      console.log(
        `${String(clients).padStart(4)} clients round ${round} go clientv3        ${fmt(runs.go.at(-1))}  peak ${runs.go.at(-1).peakMb.toFixed(0)} MB`,
      );
      runs.lean.push(await ours('lean', tag, clients));
      console.log(
        `${String(clients).padStart(4)} clients round ${round} etcd-advisor lean  ${fmt(runs.lean.at(-1))}  peak ${runs.lean.at(-1).peakMb.toFixed(0)} MB`,
      );
      if (OTHERS && clients === 500)
        for (const client of ['node-http2', 'etcd3']) {
          runs[client].push(await ours(client, tag, clients));
          console.log(`${String(clients).padStart(4)} clients round ${round} etcd-advisor ${client} ${fmt(runs[client].at(-1))}`);
        }
    }
    const rate = (k) => median(runs[k].map((r) => r.ratePerSec));
    const peak = (k) => median(runs[k].map((r) => r.peakMb));
    summary.push({
      clients,
      go: rate('go'),
      lean: rate('lean'),
      goMb: peak('go'),
      leanMb: peak('lean'),
      others: OTHERS && clients === 500 ? { 'node-http2': rate('node-http2'), etcd3: rate('etcd3') } : null,
    });
  }
  console.log(`\nmedians of ${rounds} alternating run(s) of ${seconds} s; load average at the end ${await loadAverage()}`);
  console.log('clients   go puts/s  lean puts/s  lean/go   go peak MB  lean peak MB  lean/go');
  for (const s of summary) {
    console.log(
      `${String(s.clients).padStart(7)}  ${s.go.toFixed(0).padStart(10)}  ${s.lean.toFixed(0).padStart(11)}  ${(s.lean / s.go).toFixed(2).padStart(7)}  ${s.goMb.toFixed(0).padStart(11)}  ${s.leanMb.toFixed(0).padStart(12)}  ${(s.leanMb / s.goMb).toFixed(2).padStart(7)}`,
    );
    if (s.others) console.log(`         node-http2 / go ${(s.others['node-http2'] / s.go).toFixed(2)}, etcd3 / go ${(s.others.etcd3 / s.go).toFixed(2)}`);
  }
  for (const s of summary)
    if (s.clients < 2000)
      console.log(`speed at ${s.clients} clients: lean / go ${(s.lean / s.go).toFixed(2)} (goal >= 1.0: ${s.lean >= s.go ? 'met' : 'NOT met'})`);
  const big = summary.find((s) => s.clients === 2000) ?? summary.at(-1);
  console.log(
    `peak memory at ${big.clients} clients: etcd-advisor load (lean) ${big.leanMb.toFixed(0)} MB, go clientv3 ${big.goMb.toFixed(0)} MB: ${(big.leanMb / big.goMb).toFixed(2)}x (goal <= 1.5x: ${big.leanMb <= 1.5 * big.goMb ? 'met' : 'NOT met'})`,
  );
} finally {
  await etcd.stop();
  await rm(dir, { recursive: true, force: true });
}
