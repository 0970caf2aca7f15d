// `net`'s terminal text, rendered from recorded ping outputs and the recorded run's network artifact.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advise } from '../../../src/advisor/advise.js';
import type { NetworkArtifact } from '../../../src/model/artifacts.js';
import { probeError, probeOk } from '../../../src/model/probe.js';
import { parsePing } from '../../../src/parsers/ping.js';
import { peerFromPing } from '../../../src/probes/rtt-icmp.js';
import { RTT_QUANTILE_METHOD } from '../../../src/probes/rtt-stats.js';
import { renderNetText } from '../../../src/report/terminal/net.js';
import { loadFixture } from '../fixtures.js';

const PING = join(import.meta.dirname, '..', '..', 'fixtures', 'ping');

function fromPing(file: string): NetworkArtifact {
  return { peers: [peerFromPing(parsePing(readFileSync(join(PING, file), 'utf8')), 200)], quantileMethod: RTT_QUANTILE_METHOD };
}

function render(network: NetworkArtifact): string {
  return renderNetText(probeOk(network), advise({ host: probeError('not read', 'not-asked'), network: probeOk(network) }).checks);
}

describe('renderNetText', () => {
  it('prints one row per peer under the header, then the checks', () => {
    const text = render(fromPing('iputils-loss.txt'));
    const [header, row] = text.split('\n');
    expect(header).toMatch(/^ {2}peer +via +replies +loss +min +p50 +avg +p99 +max +gap +\(ms\)$/);
    expect(row).toMatch(/^ {2}10\.204\.4\.2 +icmp +12\/20 +40\.0% /);
    expect(text).toMatch(/\n\n {2}WARN {3}Round-trip time and loss to the peers/);
  });

  it('names a long peer whole and keeps the columns under the header', () => {
    const network = loadFixture('full').artifacts.network;
    if (!network?.ok) throw new Error('the full fixture has a network artifact');
    const long = 'etcd-member-with-a-very-long-name-03.rack-17.datacenter-frankfurt.example.internal';
    network.data.peers.push({ ...network.data.peers[0]!, host: long, port: 2380 });
    const [header, ...rows] = render(network.data).split('\n');
    const peers = rows.slice(0, network.data.peers.length);
    expect(peers.at(-1)).toContain(`${long}:2380 `);
    // Each figure ends where its header does, for the short peer as for the long one.
    for (const row of peers) expect(row.length).toBe(header!.length - '   (ms)'.length);
    expect(header!.indexOf('via')).toBe(peers[0]!.indexOf('icmp'));
  });

  it('prints a peer without replies with its error, and only the checks when nothing was measured', () => {
    expect(render(fromPing('iputils-unknown-host.txt'))).toMatch(/^ {2}\S+ +icmp +.*Name or service not known/m);
    const failed = renderNetText(probeError('ping is not installed'), advise({ host: probeError('x'), network: probeError('ping is not installed') }).checks);
    expect(failed).toMatch(/^\n {2}ERROR {2}Round-trip time and loss to the peers: .*ping is not installed/);
  });
});
