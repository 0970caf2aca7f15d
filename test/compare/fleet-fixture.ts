// A fleet made from one recorded report: each node's disk, network and load figures scaled by a chosen factor.
import type { Report } from '../../src/model/report.js';
import { loadFixture } from '../report/fixtures.js';

export function scaledNode(host: string, factors: { disk?: number; rtt?: number; load?: number }): Report {
  const r = loadFixture('full');
  if (r.artifacts.host.ok) r.artifacts.host.data.hostname = host;
  r.run.id = `run-${host}`;
  const d = factors.disk ?? 1;
  if (r.artifacts.disk?.ok) {
    const fio = r.artifacts.disk.data.fio;
    for (const k of Object.keys(fio.syncUs!)) fio.syncUs![k]! *= d;
    fio.writeIops /= d;
  }
  if (r.artifacts.network?.ok) for (const p of r.artifacts.network.data.peers) for (const k of Object.keys(p.rttMs)) p.rttMs[k]! *= factors.rtt ?? 1;
  if (r.artifacts.load?.ok) {
    for (const p of r.artifacts.load.data.phases) {
      p.requests = Math.round(p.requests / (factors.load ?? 1));
      p.latencyUs.p99! *= factors.load ?? 1;
    }
  }
  return r;
}

/** Ten nodes within ±8% of each other on every figure, and one whose fdatasync is `slowDisk` times slower. */
export function fleetWithSlowDisk(slowDisk: number): Report[] {
  const spread = [0.92, 0.95, 0.97, 0.99, 1, 1.01, 1.02, 1.04, 1.06, 1.08];
  return [...spread.map((f, i) => scaledNode(`node-${i}`, { disk: f, rtt: f, load: f })), scaledNode('slow-disk', { disk: slowDisk })];
}
