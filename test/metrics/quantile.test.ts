// histogram_quantile on hand-made cumulative buckets, each answer worked out by hand from Prometheus' rules.
import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../src/metrics/quantile.js';

const b = (pairs: [number, number][]) => pairs.map(([le, count]) => ({ le, count }));

describe('histogramQuantile', () => {
  // etcd's WAL fsync buckets (0.001 * 2^n) as one real 3.4 member served them after 5 fsyncs.
  const fsync = b([
    [0.001, 4],
    [0.002, 4],
    [0.004, 5],
    [0.008, 5],
    [0.016, 5],
    [Infinity, 5],
  ]);

  it('interpolates linearly inside the lowest bucket, which starts at 0', () => {
    // rank 0.5 * 5 = 2.5 lies in (0, 0.001] holding 4: 0.001 * 2.5 / 4.
    expect(histogramQuantile(0.5, fsync)).toBeCloseTo(0.000625, 12);
  });

  it('interpolates inside a higher bucket from its lower bound', () => {
    // rank 0.99 * 5 = 4.95; (0.002, 0.004] holds the 5th: 0.002 + 0.002 * (4.95 - 4) / 1.
    expect(histogramQuantile(0.99, fsync)).toBeCloseTo(0.0039, 12);
  });

  it('answers the highest finite bound when the rank lies in +Inf', () => {
    // 9 of 10 above 0.2: rank 5 is in +Inf, and nothing is known above 0.2.
    expect(
      histogramQuantile(
        0.5,
        b([
          [0.1, 1],
          [0.2, 1],
          [Infinity, 10],
        ]),
      ),
    ).toBe(0.2);
  });

  it('answers the bound of a lowest bucket at or below 0 instead of interpolating from 0', () => {
    expect(
      histogramQuantile(
        0.25,
        b([
          [-1, 2],
          [0, 4],
          [1, 4],
          [Infinity, 4],
        ]),
      ),
    ).toBe(-1);
  });

  it('reaches the top of the last bucket holding observations at q = 1', () => {
    expect(
      histogramQuantile(
        1,
        b([
          [0.1, 3],
          [0.2, 4],
          [Infinity, 4],
        ]),
      ),
    ).toBeCloseTo(0.2, 12);
  });

  it('sorts the buckets and adds up the ones that share a bound', () => {
    // 1:(1+1)=2, 2:2, +Inf:4 -> rank 2 is the top of the first bucket.
    expect(
      histogramQuantile(
        0.5,
        b([
          [2, 2],
          [1, 1],
          [Infinity, 4],
          [1, 1],
        ]),
      ),
    ).toBeCloseTo(1, 12);
  });

  it('takes the running maximum when a scrape caught the counts mid-update', () => {
    // 5, 3, 6 becomes 5, 5, 6: rank 3 of 6 lies in (0, 1] holding 5 -> 0.6.
    expect(
      histogramQuantile(
        0.5,
        b([
          [1, 5],
          [2, 3],
          [Infinity, 6],
        ]),
      ),
    ).toBeCloseTo(0.6, 12);
  });

  it('is NaN without observations, without a +Inf bucket, or with +Inf alone', () => {
    expect(
      histogramQuantile(
        0.99,
        b([
          [0.1, 0],
          [Infinity, 0],
        ]),
      ),
    ).toBeNaN();
    expect(
      histogramQuantile(
        0.99,
        b([
          [0.1, 3],
          [0.2, 4],
        ]),
      ),
    ).toBeNaN();
    expect(histogramQuantile(0.99, b([[Infinity, 4]]))).toBeNaN();
    expect(histogramQuantile(0.99, [])).toBeNaN();
  });

  it('keeps PromQL answers for q outside [0, 1]', () => {
    expect(histogramQuantile(-0.1, fsync)).toBe(-Infinity);
    expect(histogramQuantile(1.1, fsync)).toBe(Infinity);
    expect(histogramQuantile(NaN, fsync)).toBeNaN();
  });

  it('does not change the buckets it is given', () => {
    const input = b([
      [1, 5],
      [2, 3],
      [Infinity, 6],
    ]);
    histogramQuantile(0.5, input);
    expect(input).toEqual(
      b([
        [1, 5],
        [2, 3],
        [Infinity, 6],
      ]),
    );
  });
});
