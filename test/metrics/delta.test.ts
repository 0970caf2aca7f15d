// Counter rises, histogram bucket deltas and gauges between two expositions, restarts and new series included.
import { describe, expect, it } from 'vitest';
import { counterDelta, counterIncrease, gaugeValue, histogramDelta, histogramDeltas, sumHistograms } from '../../src/metrics/delta.js';
import { parseExposition } from '../../src/metrics/parse.js';

const exp = (text: string) => parseExposition(text);

const before = exp(`# TYPE etcd_server_leader_changes_seen_total counter
etcd_server_leader_changes_seen_total 3
# TYPE etcd_network_peer_sent_failures_total counter
etcd_network_peer_sent_failures_total{To="a"} 10
# TYPE rtt histogram
rtt_bucket{To="a",le="0.001"} 2
rtt_bucket{To="a",le="0.002"} 5
rtt_bucket{To="a",le="+Inf"} 6
rtt_sum{To="a"} 0.01
rtt_count{To="a"} 6
`);
const after = exp(`# TYPE etcd_server_leader_changes_seen_total counter
etcd_server_leader_changes_seen_total 5
# TYPE etcd_network_peer_sent_failures_total counter
etcd_network_peer_sent_failures_total{To="a"} 12
etcd_network_peer_sent_failures_total{To="b"} 4
# TYPE rtt histogram
rtt_bucket{To="a",le="0.001"} 3
rtt_bucket{To="a",le="0.002"} 9
rtt_bucket{To="a",le="+Inf"} 12
rtt_sum{To="a"} 0.03
rtt_count{To="a"} 12
rtt_bucket{To="b",le="0.001"} 1
rtt_bucket{To="b",le="0.002"} 1
rtt_bucket{To="b",le="+Inf"} 1
rtt_sum{To="b"} 0.0005
rtt_count{To="b"} 1
# TYPE etcd_server_proposals_pending gauge
etcd_server_proposals_pending 7
`);

describe('counters', () => {
  it('rise by the difference, or by the whole value after a restart', () => {
    expect(counterIncrease(3, 5)).toBe(2);
    expect(counterIncrease(5, 2)).toBe(2);
    expect(counterIncrease(undefined, 4)).toBe(4);
  });

  it('sum over matching series, a series new since counting from 0', () => {
    expect(counterDelta(before, after, 'etcd_server_leader_changes_seen_total')).toBe(2);
    expect(counterDelta(before, after, 'etcd_network_peer_sent_failures_total')).toBe(2 + 4);
    expect(counterDelta(before, after, 'etcd_network_peer_sent_failures_total', { To: 'b' })).toBe(4);
  });

  it('are null when the member does not expose them', () => {
    expect(counterDelta(before, after, 'etcd_server_slow_apply_total')).toBeNull();
  });
});

describe('histograms', () => {
  it('subtract bucket by bucket, per series', () => {
    const [a, bSeries] = histogramDeltas(before, after, 'rtt');
    expect(a).toEqual({
      labels: { To: 'a' },
      buckets: [
        { le: 0.001, count: 1 },
        { le: 0.002, count: 4 },
        { le: Infinity, count: 6 },
      ],
      count: 6,
      sum: expect.closeTo(0.02, 12),
    });
    expect(bSeries!.count).toBe(1);
    expect(histogramDeltas(before, after, 'rtt', { To: 'b' })).toHaveLength(1);
  });

  it('take everything at the end as new after a restart', () => {
    const restarted = {
      labels: {},
      buckets: [
        { le: 1, count: 1 },
        { le: Infinity, count: 2 },
      ],
      count: 2,
      sum: 1.5,
    };
    const old = {
      labels: {},
      buckets: [
        { le: 1, count: 10 },
        { le: Infinity, count: 20 },
      ],
      count: 20,
      sum: 30,
    };
    expect(histogramDelta(old, restarted)).toBe(restarted);
  });

  it('add up series bucket by bucket', () => {
    const sum = sumHistograms(histogramDeltas(before, after, 'rtt'));
    expect(sum!.buckets).toEqual([
      { le: 0.001, count: 2 },
      { le: 0.002, count: 5 },
      { le: Infinity, count: 7 },
    ]);
    expect(sum!.count).toBe(7);
    expect(sumHistograms([])).toBeNull();
  });
});

describe('gauges', () => {
  it('read the value, null when absent', () => {
    expect(gaugeValue(after, 'etcd_server_proposals_pending')).toBe(7);
    expect(gaugeValue(before, 'etcd_server_proposals_pending')).toBeNull();
  });
});
