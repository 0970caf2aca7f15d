// Runs the Go clientv3 put loop and `etcd-advisor load` (lean, node-http2, etcd3) in turns against one throwaway etcd and prints the throughput ratio.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startEmbeddedEtcd } from '../dist/etcd/embedded.js';

const [goBinary, secondsArg, roundsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 15);
const rounds = Number(roundsArg ?? 2);
const CLIENTS = 500;

const dir = await mkdtemp(join(tmpdir(), 'etcd-advisor-bench-'));
const etcd = await startEmbeddedEtcd({ parentDir: dir, extraArgs: ['--quota-backend-bytes', String(8 * 2 ** 30)] });
const ours = async (client, round) => {
  const r = await execa('node', ['dist/cli.js', 'load', '--endpoints', etcd.clientUrl, '--client', client, '--prefix', `/bench-${client}-${round}/`,
    '--model', 'closed', '--clients', String(CLIENTS), ...(process.env.CONNS ? ['--conns', process.env.CONNS] : []), '--duration', `${seconds}s`, '--op', 'put', '--key-size', '256', '--val-size', '1KiB', '--max-db-growth', '6GiB', '--json'], { reject: false });
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`etcd-advisor load failed: ${r.stderr}`);
  const p = JSON.parse(r.stdout).phases[0];
  return { ratePerSec: p.ratePerSec, latencyUs: p.latencyUs, errors: p.errors, clientCpuPct: p.clientCpuPct, conns: p.conns };
};
const go = async (round) => {
  const r = await execa(goBinary, ['-endpoint', etcd.clientUrl, '-clients', String(CLIENTS), '-duration', `${seconds}s`, '-prefix', `/bench-go-${round}/`]);
  return JSON.parse(r.stdout);
};
const fmt = (r) => `${r.ratePerSec.toFixed(0).padStart(6)} puts/s  p50 ${(r.latencyUs.p50 / 1000).toFixed(1)} ms  p99 ${(r.latencyUs.p99 / 1000).toFixed(1)} ms  max ${(r.latencyUs.max / 1000).toFixed(1)} ms  errors ${r.errors}${r.clientCpuPct !== undefined ? `  client CPU ${r.clientCpuPct.toFixed(0)}% (${r.conns} conns)` : ''}`;
const sums = { go: 0, lean: 0, 'node-http2': 0, etcd3: 0 };
try {
  console.log(`etcd ${etcd.version} at ${etcd.clientUrl}; ${CLIENTS} clients, 256 B keys, 1 KiB values, ${seconds} s per run, ${rounds} round(s), ${(await import('node:os')).cpus().length} CPUs`);
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
  console.log(`\nlean / go = ${ratio.toFixed(2)} (target >= 0.8: ${ratio >= 0.8 ? 'met' : 'NOT met'}); node-http2 / go = ${(sums['node-http2'] / sums.go).toFixed(2)}; etcd3 / go = ${(sums.etcd3 / sums.go).toFixed(2)}`);
} finally {
  await etcd.stop();
  await rm(dir, { recursive: true, force: true });
}
