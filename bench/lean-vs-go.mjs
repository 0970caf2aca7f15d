// Runs the Go clientv3 put loop and `etcd-advisor load` (lean, node-http2, etcd3) in turns against one throwaway etcd and prints the throughput ratio, then both processes' peak memory at 2000 clients.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startEmbeddedEtcd } from '../dist/etcd/embedded.js';

const [goBinary, secondsArg, roundsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 15);
const rounds = Number(roundsArg ?? 2);
const CLIENTS = 500;
/** The footprint comparison: a load generator's memory grows with its clients (issue 11: 201 MB against Go's 72 MB before). */
const MEMORY_CLIENTS = Number(process.env.MEMORY_CLIENTS ?? 2000);

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

const dir = await mkdtemp(join(tmpdir(), 'etcd-advisor-bench-'));
const etcd = await startEmbeddedEtcd({ parentDir: dir, extraArgs: ['--quota-backend-bytes', String(8 * 2 ** 30)] });
const ours = async (client, round, clients = CLIENTS) => {
  const { result: r, peakMb } = await withPeakRss(
    execa(
      'node',
      [
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
const go = async (round, clients = CLIENTS) => {
  const { result: r, peakMb } = await withPeakRss(
    execa(goBinary, ['-endpoint', etcd.clientUrl, '-clients', String(clients), '-duration', `${seconds}s`, '-prefix', `/bench-go-${round}/`]),
  );
  return { ...JSON.parse(r.stdout), peakMb };
};
const fmt = (r) =>
  `${r.ratePerSec.toFixed(0).padStart(6)} puts/s  p50 ${(r.latencyUs.p50 / 1000).toFixed(1)} ms  p99 ${(r.latencyUs.p99 / 1000).toFixed(1)} ms  max ${(r.latencyUs.max / 1000).toFixed(1)} ms  errors ${r.errors}${r.clientCpuPct !== undefined ? `  client CPU ${r.clientCpuPct.toFixed(0)}% (${r.conns} conns)` : ''}`;
const sums = { go: 0, lean: 0, 'node-http2': 0, etcd3: 0 };
try {
  console.log(
    `etcd ${etcd.version} at ${etcd.clientUrl}; ${CLIENTS} clients, 256 B keys, 1 KiB values, ${seconds} s per run, ${rounds} round(s), ${(await import('node:os')).cpus().length} CPUs`,
  );
  for (let round = 1; round <= rounds; round++) {
    // Alternating keeps a drift of the shared machine from favouring one side.
    const g = await go(round);
    console.log(`round ${round} go clientv3      ${fmt(g)}`);
    const l = await ours('lean', round);
    console.log(`round ${round} etcd-advisor lean ${fmt(l)}`);
    const n = await ours('node-http2', round);
    console.log(`round ${round} etcd-advisor node-http2 ${fmt(n)}`);
    const e = await ours('etcd3', round);
    console.log(`round ${round} etcd-advisor etcd3 ${fmt(e)}`);
    sums['node-http2'] += n.ratePerSec;
    sums.go += g.ratePerSec;
    sums.lean += l.ratePerSec;
    sums.etcd3 += e.ratePerSec;
  }
  const ratio = sums.lean / sums.go;
  console.log(
    `\nlean / go = ${ratio.toFixed(2)} (target >= 0.8: ${ratio >= 0.8 ? 'met' : 'NOT met'}); node-http2 / go = ${(sums['node-http2'] / sums.go).toFixed(2)}; etcd3 / go = ${(sums.etcd3 / sums.go).toFixed(2)}`,
  );
  // Footprint: the whole load process (node, the lean client, HDR histograms) against the whole Go loop, at many clients.
  const gm = await go('mem', MEMORY_CLIENTS);
  const lm = await ours('lean', 'mem', MEMORY_CLIENTS);
  console.log(
    `\npeak memory at ${MEMORY_CLIENTS} clients: etcd-advisor load (lean) ${lm.peakMb.toFixed(0)} MB at ${lm.ratePerSec.toFixed(0)} puts/s, go clientv3 ${gm.peakMb.toFixed(0)} MB at ${gm.ratePerSec.toFixed(0)} puts/s: ${(lm.peakMb / gm.peakMb).toFixed(2)}x (goal <= 1.5x: ${lm.peakMb <= 1.5 * gm.peakMb ? 'met' : 'NOT met'})`,
  );
} finally {
  await etcd.stop();
  await rm(dir, { recursive: true, force: true });
}
