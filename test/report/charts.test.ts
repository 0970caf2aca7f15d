// The SVG charts: escaped text, readable ticks, the limit line where it belongs, gaps for lost probes.
import { describe, expect, it } from 'vitest';
import { escapeXml, formatTick, histogramChart, percentileChart, stripChart, timeChart } from '../../src/report/charts.js';

/** The y coordinate of a horizontal dashed line in the chart, by its stroke colour. */
function dashedLineYs(svg: string, colour: string): number[] {
  return [...svg.matchAll(new RegExp(`<line x1="[\\d.]+" x2="[\\d.]+" y1="([\\d.]+)" y2="\\1" stroke="${colour}"[^>]*stroke-dasharray`, 'g'))].map((m) =>
    Number(m[1]),
  );
}

describe('escapeXml', () => {
  it('escapes everything that could open markup or close an attribute', () => {
    expect(escapeXml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('formatTick', () => {
  it('prints decades and small values without exponent notation', () => {
    expect([0, 0.001, 0.05, 0.2, 1, 2.5, 10, 15000].map(formatTick)).toEqual(['0', '0.001', '0.05', '0.2', '1', '2.5', '10', '15000']);
  });
});

describe('percentileChart', () => {
  const series = [{ label: 'fdatasync <b>', values: { p50: 0.1, p99: 0.2, 'p99.9': 3 } }];

  it('draws the limit line above every point on a log axis and escapes labels', () => {
    const svg = percentileChart({ title: 'a "title"', keys: ['p50', 'p99', 'p99.9'], series, unit: 'ms', limit: { value: 10, label: 'limit <10 ms>' } });
    expect(svg).toContain('fdatasync &lt;b&gt;');
    expect(svg).toContain('limit &lt;10 ms&gt;');
    expect(svg).toContain('aria-label="a &quot;title&quot;"');
    expect(svg).not.toContain('<b>');
    const [limitY] = dashedLineYs(svg, '#cf222e');
    const pointYs = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(pointYs).toHaveLength(3);
    // SVG y grows downwards: every point (all under 10 ms) lies below the limit line.
    for (const y of pointYs) expect(y).toBeGreaterThan(limitY!);
    // Log axis: one decade per tick from the smallest value up past the limit, with headroom.
    for (const tick of ['0.1', '1', '10', '100']) expect(svg).toContain(`>${tick}</text>`);
  });

  it('draws nothing when there is no value', () => {
    expect(percentileChart({ title: 't', keys: ['p99'], series: [{ label: 'x', values: {} }], unit: 'ms' })).toBe('');
  });
});

describe('timeChart', () => {
  it('breaks the line at a lost probe and marks it on the time axis', () => {
    const svg = timeChart({
      title: 'rtt',
      series: [
        {
          label: 'peer',
          points: [
            { x: 0, y: 1 },
            { x: 1, y: 2 },
            { x: 2, y: null },
            { x: 3, y: 1.5 },
            { x: 4, y: 1 },
          ],
        },
      ],
      unit: 'ms',
      xLabel: 's',
      missingLabel: 'lost',
    });
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('lost (1)');
  });
});

describe('histogramChart', () => {
  it('counts every sample into a bin', () => {
    const values = [1, 1, 1, 2, 2, 3, 10];
    const svg = histogramChart({ title: 'h', values, unit: 'ms', bins: 9 });
    expect(svg).toContain('7 samples');
    expect(svg.match(/<rect [^>]*fill="#0072B2"/g)).toHaveLength(4);
  });
});

describe('stripChart', () => {
  it('draws flagged nodes in red with their escaped names as tooltips', () => {
    const svg = stripChart({
      title: 't',
      heading: 'fdatasync p99',
      points: [
        { value: 1, flagged: false, label: 'a' },
        { value: 9, flagged: true, label: '<node>' },
      ],
      unit: 'ms',
      median: 1,
      cutoff: { value: 2, label: 'cut' },
    });
    expect(svg).toContain('fill="#cf222e" fill-opacity="0.7"><title>&lt;node&gt;</title>');
  });
});
