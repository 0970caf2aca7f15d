// Inline SVG charts drawn by our own code, so that report.html needs no script or network; every text from outside is XML-escaped here.

/** Okabe-Ito palette: distinguishable with the common colour-vision deficiencies and in greyscale print. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'] as const;
const LIMIT_COLOUR = '#cf222e';
const GRID_COLOUR = '#e5e9ed';
const AXIS_COLOUR = '#57606a';

const WIDTH = 640;
const HEIGHT = 250;
const MARGIN = { left: 62, right: 30, top: 28, bottom: 42 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

export function escapeXml(text: string | number): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Coordinates with one decimal: enough for a screen and stable across runs, so snapshots compare. */
function c(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/** At most three significant digits, never exponent notation for the ranges a report shows. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : Math.min(6, 2 - Math.floor(Math.log10(abs)));
  return Number(v.toFixed(digits)).toString();
}

interface Scale {
  (v: number): number;
  ticks: number[];
}

/** Tick step of 1, 2 or 5 times a power of ten giving about `count` ticks. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
}

function linearScale(min: number, max: number, from: number, to: number, tickCount = 5): Scale {
  if (!(max > min)) max = min + 1;
  const step = niceStep(max - min, tickCount);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const scale = ((v: number) => from + ((v - lo) / (hi - lo)) * (to - from)) as Scale;
  scale.ticks = [];
  for (let t = lo; t <= hi + step / 2; t += step) scale.ticks.push(Number(t.toPrecision(12)));
  return scale;
}

/** Latencies spread over decades (µs-level completions next to a 10 ms limit): a log axis keeps both readable. */
function logScale(min: number, max: number, from: number, to: number): Scale {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-6)));
  // Headroom above the largest value, so that a limit line equal to it does not sit on the frame.
  let hi = Math.ceil(Math.log10(Math.max(max * 1.5, 1e-6)));
  if (hi <= lo) hi = lo + 1;
  const scale = ((v: number) => from + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (to - from)) as Scale;
  scale.ticks = [];
  const decades = hi - lo;
  for (let e = lo; e <= hi; e++) {
    scale.ticks.push(10 ** e);
    if (decades <= 2 && e < hi) scale.ticks.push(2 * 10 ** e, 5 * 10 ** e);
  }
  scale.ticks.sort((a, b) => a - b);
  return scale;
}

function svgOpen(label: string, height = HEIGHT): string {
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeXml(label)}"><title>${escapeXml(label)}</title>`;
}

function yAxis(y: Scale, unit: string): string {
  const parts: string[] = [];
  for (const t of y.ticks) {
    const py = y(t);
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${c(py)}" y2="${c(py)}" stroke="${GRID_COLOUR}"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${c(py + 4)}" text-anchor="end" font-size="11" fill="${AXIS_COLOUR}">${escapeXml(formatTick(t))}</text>`);
  }
  parts.push(
    `<text x="12" y="${c(MARGIN.top + PLOT_H / 2)}" transform="rotate(-90 12 ${c(MARGIN.top + PLOT_H / 2)})" text-anchor="middle" font-size="11" fill="${AXIS_COLOUR}">${escapeXml(unit)}</text>`,
  );
  return parts.join('');
}

function xAxisLabel(text: string): string {
  return `<text x="${c(MARGIN.left + PLOT_W / 2)}" y="${HEIGHT - 6}" text-anchor="middle" font-size="11" fill="${AXIS_COLOUR}">${escapeXml(text)}</text>`;
}

function frame(): string {
  return `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="${AXIS_COLOUR}" stroke-width="0.6"/>`;
}

/** Legend text is measured by an estimate (no layout engine here): 6.2 px per character at 11 px. */
const CHAR_WIDTH = 6.2;

function legend(items: { label: string; colour: string; dashed?: boolean }[], startX = MARGIN.left): string {
  let x = startX;
  const parts: string[] = [];
  for (const item of items) {
    parts.push(
      `<line x1="${c(x)}" x2="${c(x + 18)}" y1="12" y2="12" stroke="${item.colour}" stroke-width="2.5"${item.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
    );
    parts.push(`<text x="${c(x + 22)}" y="16" font-size="11" fill="#1d2630">${escapeXml(item.label)}</text>`);
    x += 22 + item.label.length * CHAR_WIDTH + 14;
  }
  return parts.join('');
}

function limitLine(y: Scale, value: number, label: string): string {
  const py = c(y(value));
  return (
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py}" y2="${py}" stroke="${LIMIT_COLOUR}" stroke-width="1.5" stroke-dasharray="6 4"/>` +
    `<text x="${WIDTH - MARGIN.right - 4}" y="${c(y(value) + 14)}" text-anchor="end" font-size="11" fill="${LIMIT_COLOUR}">${escapeXml(label)}</text>`
  );
}

function polyline(points: [number, number][], colour: string, dashed = false): string {
  if (points.length === 0) return '';
  const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${c(x)} ${c(y)}`).join(' ');
  return `<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
}

export interface PercentileSeries {
  label: string;
  /** Percentile key ("p50", "p99.9") to value; keys missing from a series are skipped. */
  values: Record<string, number>;
}

export interface PercentileChartOptions {
  title: string;
  /** Percentile keys in axis order. */
  keys: string[];
  series: PercentileSeries[];
  unit: string;
  limit?: { value: number; label: string };
  log?: boolean;
}

/** Latency against percentile, one line per series, with an optional limit line (e.g. etcd's 10 ms fdatasync p99). */
export function percentileChart(o: PercentileChartOptions): string {
  const all = o.series.flatMap((s) => o.keys.map((k) => s.values[k]).filter((v): v is number => v !== undefined && Number.isFinite(v)));
  if (all.length === 0) return '';
  if (o.limit) all.push(o.limit.value);
  const y =
    o.log === false
      ? linearScale(0, Math.max(...all), MARGIN.top + PLOT_H, MARGIN.top)
      : logScale(Math.min(...all), Math.max(...all), MARGIN.top + PLOT_H, MARGIN.top);
  const step = o.keys.length > 1 ? PLOT_W / (o.keys.length - 1) : 0;
  const xOf = (i: number) => MARGIN.left + (o.keys.length > 1 ? i * step : PLOT_W / 2);
  const parts = [svgOpen(o.title), yAxis(y, o.unit), frame()];
  o.keys.forEach((k, i) =>
    parts.push(`<text x="${c(xOf(i))}" y="${MARGIN.top + PLOT_H + 15}" text-anchor="middle" font-size="11" fill="${AXIS_COLOUR}">${escapeXml(k)}</text>`),
  );
  parts.push(xAxisLabel('percentile'));
  if (o.limit) parts.push(limitLine(y, o.limit.value, o.limit.label));
  o.series.forEach((s, si) => {
    const colour = PALETTE[si % PALETTE.length]!;
    const pts: [number, number][] = [];
    o.keys.forEach((k, i) => {
      const v = s.values[k];
      if (v !== undefined && Number.isFinite(v)) pts.push([xOf(i), y(v)]);
    });
    parts.push(polyline(pts, colour));
    for (const [px, py] of pts) parts.push(`<circle cx="${c(px)}" cy="${c(py)}" r="2.5" fill="${colour}"/>`);
  });
  parts.push(
    legend([
      ...o.series.map((s, i) => ({ label: s.label, colour: PALETTE[i % PALETTE.length]! })),
      ...(o.limit ? [{ label: o.limit.label, colour: LIMIT_COLOUR, dashed: true }] : []),
    ]),
  );
  parts.push('</svg>');
  return parts.join('');
}

export interface TimeSeries {
  label: string;
  /** x in seconds; y null marks a missing value (a lost probe), drawn as a red tick on the time axis. */
  points: { x: number; y: number | null }[];
}

export interface TimeChartOptions {
  title: string;
  series: TimeSeries[];
  unit: string;
  xLabel: string;
  /** Labelled stretches of the time axis, e.g. the phases of a load run. */
  bands?: { from: number; to: number; label: string }[];
  /** Label of the missing-value marks in the legend. */
  missingLabel?: string;
  log?: boolean;
}

/** Values over time, one line per series, broken where a value is missing. */
export function timeChart(o: TimeChartOptions): string {
  const ys = o.series.flatMap((s) => s.points.flatMap((p) => (p.y === null || !Number.isFinite(p.y) ? [] : [p.y])));
  const xs = o.series.flatMap((s) => s.points.map((p) => p.x));
  if (xs.length === 0) return '';
  const xMax = Math.max(...xs, ...(o.bands ?? []).map((b) => b.to));
  const x = linearScale(0, xMax, MARGIN.left, MARGIN.left + PLOT_W, 8);
  const y =
    ys.length === 0
      ? linearScale(0, 1, MARGIN.top + PLOT_H, MARGIN.top)
      : o.log
        ? logScale(Math.min(...ys), Math.max(...ys), MARGIN.top + PLOT_H, MARGIN.top)
        : linearScale(0, Math.max(...ys), MARGIN.top + PLOT_H, MARGIN.top);
  const parts = [svgOpen(o.title), yAxis(y, o.unit)];
  for (const [i, b] of (o.bands ?? []).entries()) {
    const x0 = x(b.from);
    const x1 = x(b.to);
    if (i % 2 === 1) parts.push(`<rect x="${c(x0)}" y="${MARGIN.top}" width="${c(x1 - x0)}" height="${PLOT_H}" fill="#f4f6f8"/>`);
    parts.push(`<text x="${c((x0 + x1) / 2)}" y="${MARGIN.top + 13}" text-anchor="middle" font-size="11" fill="${AXIS_COLOUR}">${escapeXml(b.label)}</text>`);
  }
  parts.push(frame());
  for (const t of x.ticks)
    parts.push(
      `<text x="${c(x(t))}" y="${MARGIN.top + PLOT_H + 15}" text-anchor="middle" font-size="11" fill="${AXIS_COLOUR}">${escapeXml(formatTick(t))}</text>`,
    );
  parts.push(xAxisLabel(o.xLabel));
  let missing = 0;
  o.series.forEach((s, si) => {
    const colour = PALETTE[si % PALETTE.length]!;
    let run: [number, number][] = [];
    const runs: [number, number][][] = [];
    for (const p of s.points) {
      if (p.y === null || !Number.isFinite(p.y)) {
        if (run.length > 0) runs.push(run);
        run = [];
        missing++;
        parts.push(
          `<line x1="${c(x(p.x))}" x2="${c(x(p.x))}" y1="${MARGIN.top + PLOT_H}" y2="${MARGIN.top + PLOT_H - 8}" stroke="${LIMIT_COLOUR}" stroke-width="1.5"/>`,
        );
      } else run.push([x(p.x), y(p.y)]);
    }
    if (run.length > 0) runs.push(run);
    for (const r of runs) parts.push(r.length === 1 ? `<circle cx="${c(r[0]![0])}" cy="${c(r[0]![1])}" r="2" fill="${colour}"/>` : polyline(r, colour));
  });
  const items: { label: string; colour: string }[] = o.series.map((s, i) => ({ label: s.label, colour: PALETTE[i % PALETTE.length]! }));
  if (missing > 0) items.push({ label: `${o.missingLabel ?? 'missing'} (${missing})`, colour: LIMIT_COLOUR });
  parts.push(legend(items));
  parts.push('</svg>');
  return parts.join('');
}

export interface HistogramOptions {
  title: string;
  values: number[];
  unit: string;
  bins?: number;
  /** Vertical marks at named values, e.g. p50 and p99. */
  marks?: { value: number; label: string }[];
}

/** The distribution of a small sample (RTTs), as counts in equal-width bins between its min and max. */
export function histogramChart(o: HistogramOptions): string {
  const values = o.values.filter((v) => Number.isFinite(v));
  if (values.length === 0) return '';
  const bins = o.bins ?? 24;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const width = max > min ? (max - min) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - min) / width))]!++;
  const x = linearScale(min, max > min ? max : min + 1, MARGIN.left, MARGIN.left + PLOT_W, 6);
  const y = linearScale(0, Math.max(...counts), MARGIN.top + PLOT_H, MARGIN.top, 4);
  const parts = [svgOpen(o.title), yAxis(y, 'samples'), frame()];
  counts.forEach((n, i) => {
    if (n === 0) return;
    const x0 = x(min + i * width);
    const x1 = x(min + (i + 1) * width);
    parts.push(`<rect x="${c(x0 + 0.5)}" y="${c(y(n))}" width="${c(Math.max(1, x1 - x0 - 1))}" height="${c(y(0) - y(n))}" fill="${PALETTE[0]}"/>`);
  });
  for (const t of x.ticks)
    parts.push(
      `<text x="${c(x(t))}" y="${MARGIN.top + PLOT_H + 15}" text-anchor="middle" font-size="11" fill="${AXIS_COLOUR}">${escapeXml(formatTick(t))}</text>`,
    );
  parts.push(xAxisLabel(o.unit));
  for (const [i, m] of (o.marks ?? []).entries()) {
    const px = c(x(m.value));
    const colour: string = i === 0 ? PALETTE[2] : LIMIT_COLOUR;
    parts.push(`<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
  }
  parts.push(
    legend([
      { label: `${values.length} samples`, colour: PALETTE[0] as string },
      ...(o.marks ?? []).map((m, i) => ({ label: m.label, colour: i === 0 ? (PALETTE[2] as string) : LIMIT_COLOUR, dashed: true })),
    ]),
  );
  parts.push('</svg>');
  return parts.join('');
}

export interface StripChartOptions {
  title: string;
  /** Short name drawn above the strip, e.g. "fdatasync p99". */
  heading: string;
  /** One dot per node, in any order; flagged ones are drawn in red. */
  points: { value: number; flagged: boolean; label: string }[];
  unit: string;
  median: number;
  /** The value beyond which a node counts as an outlier, drawn as a line. */
  cutoff?: { value: number; label: string };
  log?: boolean;
}

/** A fleet at a glance: every node as a dot along one axis, the median and the outlier cut-off as lines. */
export function stripChart(o: StripChartOptions): string {
  const values = o.points.map((p) => p.value).filter((v) => Number.isFinite(v));
  if (values.length === 0) return '';
  const height = 120;
  const top = 26;
  const plotH = 56;
  const lo = Math.min(...values, o.median, o.cutoff?.value ?? Infinity);
  const hi = Math.max(...values, o.median, o.cutoff?.value ?? -Infinity);
  const x = o.log && lo > 0 ? logScale(lo, hi, MARGIN.left, MARGIN.left + PLOT_W) : linearScale(Math.min(0, lo), hi, MARGIN.left, MARGIN.left + PLOT_W, 6);
  const parts = [svgOpen(o.title, height)];
  parts.push(`<rect x="${MARGIN.left}" y="${top}" width="${PLOT_W}" height="${plotH}" fill="none" stroke="${AXIS_COLOUR}" stroke-width="0.6"/>`);
  for (const t of x.ticks)
    parts.push(`<text x="${c(x(t))}" y="${top + plotH + 15}" text-anchor="middle" font-size="11" fill="${AXIS_COLOUR}">${escapeXml(formatTick(t))}</text>`);
  parts.push(`<text x="${MARGIN.left - 6}" y="${top + plotH / 2 + 4}" text-anchor="end" font-size="11" fill="${AXIS_COLOUR}">${escapeXml(o.unit)}</text>`);
  // Jitter by index (golden-ratio steps, not at random) so that the same fleet draws the same picture every time.
  o.points.forEach((p, i) => {
    if (!Number.isFinite(p.value)) return;
    const jitter = (i * 0.6180339887) % 1;
    parts.push(
      `<circle cx="${c(x(p.value))}" cy="${c(top + 8 + jitter * (plotH - 16))}" r="3" fill="${p.flagged ? LIMIT_COLOUR : PALETTE[0]}" fill-opacity="0.7"><title>${escapeXml(p.label)}</title></circle>`,
    );
  });
  const mx = c(x(o.median));
  parts.push(`<line x1="${mx}" x2="${mx}" y1="${top}" y2="${top + plotH}" stroke="${PALETTE[2]}" stroke-width="2"/>`);
  const items: { label: string; colour: string; dashed?: boolean }[] = [{ label: `median ${formatTick(o.median)} ${o.unit}`, colour: PALETTE[2] }];
  if (o.cutoff && Number.isFinite(o.cutoff.value)) {
    const cx = c(x(o.cutoff.value));
    parts.push(`<line x1="${cx}" x2="${cx}" y1="${top}" y2="${top + plotH}" stroke="${LIMIT_COLOUR}" stroke-width="1.5" stroke-dasharray="5 3"/>`);
    items.push({ label: o.cutoff.label, colour: LIMIT_COLOUR, dashed: true });
  }
  parts.push(`<text x="${MARGIN.left}" y="16" font-size="12" font-weight="600" fill="#1d2630">${escapeXml(o.heading)}</text>`);
  parts.push(legend(items, MARGIN.left + o.heading.length * 6.8 + 16));
  parts.push('</svg>');
  return parts.join('');
}
