// Terminal text of `net`: one row per peer (replies, loss, RTT figures, the longest gap), then the advisor's network checks.
import type { NetworkArtifact, PeerRtt } from '../../model/artifacts.js';
import type { Check } from '../../model/check.js';
import type { ProbeResult } from '../../model/probe.js';
import { checkLines } from '../terminal.js';

/** The peer column is at least this wide, so that short names line up as before; a longer name widens it, never cut. */
const MIN_PEER_WIDTH = 24;

function fmt(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

const peerName = (p: PeerRtt) => `${p.host}${p.port !== undefined ? `:${p.port}` : ''}`;

function peerLine(p: PeerRtt, width: number): string {
  const who = peerName(p).padEnd(width);
  if (p.received === 0) return `  ${who} ${p.method.padEnd(5)} ${p.error ?? 'no reply'}`;
  const r = p.rttMs;
  return `  ${who} ${p.method.padEnd(5)} ${`${p.received}/${p.sent}`.padStart(9)} ${`${p.lossPct.toFixed(1)}%`.padStart(6)} ${fmt(r.min).padStart(8)} ${fmt(r.p50).padStart(8)} ${fmt(r.avg).padStart(8)} ${fmt(r.p99).padStart(8)} ${fmt(r.max).padStart(8)} ${fmt(p.longestGapMs).padStart(8)}`;
}

export function renderNetText(network: ProbeResult<NetworkArtifact>, checks: readonly Check[]): string {
  const lines: string[] = [];
  if (network.ok) {
    const width = Math.max(MIN_PEER_WIDTH, ...network.data.peers.map((p) => peerName(p).length));
    lines.push(
      `  ${'peer'.padEnd(width)} ${'via'.padEnd(5)} ${'replies'.padStart(9)} ${'loss'.padStart(6)} ${'min'.padStart(8)} ${'p50'.padStart(8)} ${'avg'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} ${'gap'.padStart(8)}   (ms)`,
    );
    for (const p of network.data.peers) lines.push(peerLine(p, width));
  }
  lines.push('', ...checkLines(checks));
  return `${lines.join('\n')}\n`;
}
