// deriveInputs: measured values carry their basis, what-if values override them, stall-held replies are not RTT, and the version comes from the run.
import { describe, expect, it } from 'vitest';
import { advise } from '../../src/advisor/advise.js';
import { deriveInputs, isMeasured, steadyRtt, STALL_REPLY_MIN_EXTRA_MS } from '../../src/advisor/inputs.js';
import type { Artifacts, HostArtifact, RttSample } from '../../src/model/artifacts.js';
import { probeError, probeOk } from '../../src/model/probe.js';
import { peerResult } from '../../src/probes/rtt-stats.js';

const host: HostArtifact = {
  hostname: 'n1',
  platform: 'linux',
  arch: 'x64',
  kernel: '6.1',
  cpuModel: 'cpu',
  cpus: 2,
  memoryBytes: 8 * 2 ** 30,
  nodeVersion: 'v20',
  etcdVersion: '3.4.23',
  fioVersion: '3.33',
};

/** Paced probes as the network probe sends them: one at a time, a slow one delays the next. */
function paced(rtts: number[], intervalMs = 200): RttSample[] {
  const samples: RttSample[] = [];
  let free = 0;
  rtts.forEach((rttMs, i) => {
    const tMs = Math.max(i * intervalMs, free);
    samples.push({ tMs, rttMs });
    free = tMs + rttMs;
  });
  return samples;
}

const withPeer = (rtts: number[]): Artifacts => ({
  host: probeOk(host),
  network: probeOk({ peers: [peerResult({ host: '10.0.0.2', loopback: false }, 'tcp', paced(rtts), 200)], quantileMethod: 'test' }),
});

describe('deriveInputs', () => {
  it('leaves replies held up by a stall out of the RTT p99, and counts the stall as a stall', () => {
    const rtts = Array.from({ length: 100 }, (_, i) => (i % 25 === 10 ? 1500 : 2 + (i % 5) * 0.1));
    const inputs = deriveInputs(withPeer(rtts));
    expect(isMeasured(inputs.rttP99Ms) && inputs.rttP99Ms.value).toBeLessThan(3);
    expect(isMeasured(inputs.rttP99Ms) && inputs.rttP99Ms.basis).toMatch(/4 replies held up by stalls \(up to 1500 ms\)/);
    // The gap between replies less the 200 ms probe interval: nothing got through for about the 1.5 s stall.
    expect(isMeasured(inputs.stallMs) && inputs.stallMs.value).toBeGreaterThanOrEqual(1450);
    expect(isMeasured(inputs.stallMs) && inputs.stallMs.value).toBeLessThan(1600);
  });

  it('does not read a slow probe rate as a stall: ping every 1 s with every reply back is no stall', () => {
    const peer = peerResult(
      { host: '10.0.0.2', loopback: false },
      'icmp',
      paced(
        Array.from({ length: 30 }, () => 0.5),
        1000,
      ),
      1000,
    );
    const inputs = deriveInputs({ host: probeOk(host), network: probeOk({ peers: [peer], quantileMethod: 'test' }) });
    expect(isMeasured(inputs.stallMs) && inputs.stallMs.value).toBeLessThan(50);
  });

  it('says the probe interval of a stall only when the report recorded one (never "a probe every 0 ms")', () => {
    const rtts = Array.from({ length: 40 }, (_, i) => (i === 20 ? 900 : 0.5));
    const recorded = deriveInputs(withPeer(rtts)).stallMs;
    expect(isMeasured(recorded) && recorded.basis).toMatch(/, a probe every 200 ms\)$/);
    // A report.json written before intervalMs was recorded (test/fixtures/reports/full.json) has none.
    const { intervalMs: _dropped, ...old } = peerResult({ host: '10.0.0.2', loopback: false }, 'icmp', paced(rtts), 200);
    const inputs = deriveInputs({ host: probeOk(host), network: probeOk({ peers: [old], quantileMethod: 'test' }) });
    expect(isMeasured(inputs.stallMs) && inputs.stallMs.basis).toMatch(/longest gap between replies \d+ ms\)$/);
    const stall = advise({ host: probeOk(host), network: probeOk({ peers: [old], quantileMethod: 'test' }) }).checks.find((c) => c.id === 'network.stall');
    expect(stall?.message).toMatch(/^The longest gap between replies from 10\.0\.0\.2 was \d+ ms: nothing got through/);
  });

  it('keeps a jittery but steady WAN link whole: its tail is RTT, not stalls', () => {
    const rtts = Array.from({ length: 100 }, (_, i) => 150 + (i % 10) * 15);
    const peer = peerResult({ host: 'far', loopback: false }, 'tcp', paced(rtts), 200);
    expect(steadyRtt(peer).stalled).toEqual([]);
    expect(steadyRtt(peer).stats.p99).toBe(peer.rttMs.p99);
  });

  it('treats a reply as stalled only beyond both 10x the median and the median plus 100 ms', () => {
    const rtts = [...Array.from({ length: 98 }, () => 0.2), 50, 0.2 + STALL_REPLY_MIN_EXTRA_MS + 1];
    const { stalled } = steadyRtt(peerResult({ host: 'lan', loopback: false }, 'tcp', paced(rtts), 200));
    expect(stalled).toEqual([0.2 + STALL_REPLY_MIN_EXTRA_MS + 1]);
  });

  it('lets what-if values override measured ones, saying so', () => {
    const inputs = deriveInputs(withPeer([1, 1, 1]), { rttP99Ms: 80, memoryBytes: 2 ** 30, etcdVersion: '3.6.1' });
    expect(inputs.rttP99Ms).toEqual({ value: 80, basis: '--rtt-p99-ms given by the operator' });
    expect(inputs.memoryBytes).toEqual({ value: 2 ** 30, basis: '--memory given by the operator' });
    expect(inputs.etcdVersion.value).toBe('3.6');
  });

  it('takes the version from the etcd on PATH, and the memory from the host', () => {
    const inputs = deriveInputs({ host: probeOk(host) });
    expect(inputs.etcdVersion).toEqual({ value: '3.4', basis: 'etcd 3.4.23 on PATH' });
    expect(isMeasured(inputs.memoryBytes) && inputs.memoryBytes.value).toBe(8 * 2 ** 30);
  });

  it('marks an input whose probe failed as an error, and one never asked for as just missing', () => {
    const inputs = deriveInputs({ host: probeOk(host), disk: probeError('fio not found', 'missing-tool') });
    expect(inputs.fsyncP99Ms).toMatchObject({ error: true, missing: expect.stringMatching(/fio not found/) });
    expect(inputs.rttP99Ms).toMatchObject({ error: false });
  });
});

describe('sizes in a basis', () => {
  it('go through the one byte formatter (util/units.ts formatBytes), as the terminal table shows them', () => {
    const inputs = deriveInputs({ host: probeOk({ ...host, memoryBytes: 7.5 * 2 ** 30 }) });
    expect(isMeasured(inputs.memoryBytes) && inputs.memoryBytes.basis).toBe('7.5 GiB of memory on n1');
    expect(deriveInputs({ host: probeOk(host) }).memoryBytes).toMatchObject({ basis: '8 GiB of memory on n1' });
  });
});
