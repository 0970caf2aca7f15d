// Prometheus text exposition (format 0.0.4, what etcd serves) to typed metric families, histograms grouped per series.
// Hand-written: parse-prometheus-text-format 1.1.1 folds every labelled histogram series into one (peer RTT per `To`
// would be lost) and prom2javascript 0.2.0 rejects NaN values, which a fresh etcd's Go summaries serve.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
export type Labels = Record<string, string>;

/** One cumulative bucket: `count` observations were <= `le` (Infinity for "+Inf"). */
export interface Bucket {
  le: number;
  count: number;
}

export interface Sample {
  labels: Labels;
  value: number;
}

export interface HistogramSeries {
  /** The series' labels without `le`. */
  labels: Labels;
  /** Sorted by bound; the last is +Inf on a well-formed histogram. */
  buckets: Bucket[];
  count: number;
  sum: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  /** Counter, gauge and untyped values; for a summary, its _count per series (its quantiles are not ours to combine). */
  samples: Sample[];
  /** Histogram series, empty for other types. */
  histograms: HistogramSeries[];
}

/** Every family of one exposition by name. */
export type Exposition = ReadonlyMap<string, MetricFamily>;

export class ExpositionError extends Error {}

const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Go's strconv.FormatFloat spellings: "+Inf", "-Inf", "NaN", "1e+06", "2.147483648e+09". */
export function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const n = Number(text);
  if (text === '' || Number.isNaN(n) || /^0x/i.test(text)) throw new ExpositionError(`"${text}" is not a number`);
  return n;
}

/** \\, \" and \n are the escapes of a label value (and \\ and \n of a HELP text); anything else stays as written. */
function unescape(text: string, quotes: boolean): string {
  return text.replace(/\\(.)/g, (whole, c: string) => (c === 'n' ? '\n' : c === '\\' ? '\\' : quotes && c === '"' ? '"' : whole));
}

interface SampleLine {
  name: string;
  labels: Labels;
  value: number;
}

function parseSampleLine(line: string): SampleLine {
  const name = NAME.exec(line)?.[0];
  if (name === undefined) throw new ExpositionError('no metric name');
  let i = name.length;
  const labels: Labels = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const label = LABEL_NAME.exec(line.slice(i))?.[0];
      if (label === undefined) throw new ExpositionError('bad label name');
      i += label.length;
      while (line[i] === ' ') i++;
      if (line[i] !== '=') throw new ExpositionError(`no "=" after label ${label}`);
      i++;
      while (line[i] === ' ') i++;
      if (line[i] !== '"') throw new ExpositionError(`label ${label} has no quoted value`);
      i++;
      let raw = '';
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\') raw += line[i++];
        raw += line[i++] ?? '';
      }
      if (line[i] !== '"') throw new ExpositionError(`label ${label}: unterminated value`);
      i++;
      labels[label] = unescape(raw, true);
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new ExpositionError('expected "," or "}" in the labels');
    }
  }
  // The value, then an optional timestamp (ignored: the scrape time is ours).
  const rest = line
    .slice(i)
    .trim()
    .split(/[ \t]+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '' || (line[i] !== ' ' && line[i] !== '\t'))
    throw new ExpositionError('expected a value after the name');
  return { name, labels, value: parseValue(rest[0]!) };
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Accumulates one histogram family's lines into series (keyed by the labels without `le`). */
class HistogramBuilder {
  readonly series = new Map<string, HistogramSeries>();

  add(suffix: string, labels: Labels, value: number): void {
    const { le, ...rest } = labels;
    const key = labelKey(rest);
    let s = this.series.get(key);
    if (s === undefined) {
      s = { labels: rest, buckets: [], count: 0, sum: 0 };
      this.series.set(key, s);
    }
    if (suffix === '_bucket') {
      if (le === undefined) throw new ExpositionError('a histogram bucket without le');
      s.buckets.push({ le: parseValue(le), count: value });
    } else if (suffix === '_count') s.count = value;
    else s.sum = value;
  }
}

/** Which family a sample name belongs to: the family typed with it, or the histogram/summary it is a suffix of. */
function familyOf(name: string, types: Map<string, MetricType>): { family: string; suffix: string } {
  if (types.has(name)) return { family: name, suffix: '' };
  for (const suffix of ['_bucket', '_count', '_sum']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const type = types.get(base);
    if (type === 'histogram' || (type === 'summary' && suffix !== '_bucket')) return { family: base, suffix };
  }
  return { family: name, suffix: '' };
}

/**
 * Parses the text a /metrics endpoint serves. Text that is not an exposition (an HTML page, a JSON error) throws,
 * naming the line, so that a wrong --metrics-urls says so instead of reading as "every figure absent".
 */
export function parseExposition(text: string): Exposition {
  const families = new Map<string, MetricFamily>();
  const types = new Map<string, MetricType>();
  const histograms = new Map<string, HistogramBuilder>();
  const family = (name: string): MetricFamily => {
    let f = families.get(name);
    if (f === undefined) {
      f = { name, help: '', type: types.get(name) ?? 'untyped', samples: [], histograms: [] };
      families.set(name, f);
    }
    return f;
  };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '').trim();
    if (line === '') continue;
    try {
      if (line.startsWith('#')) {
        const meta = /^#\s*(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
        if (meta === null) continue; // a plain comment
        const [, kind, name, rest = ''] = meta;
        if (!NAME.test(name!) || NAME.exec(name!)![0] !== name) throw new ExpositionError(`bad metric name "${name}"`);
        if (kind === 'TYPE') {
          const type = rest.trim() as MetricType;
          if (!TYPES.has(type)) throw new ExpositionError(`unknown type "${rest}"`);
          types.set(name!, type);
          family(name!).type = type;
        } else family(name!).help = unescape(rest, false);
        continue;
      }
      const sample = parseSampleLine(line);
      const { family: name, suffix } = familyOf(sample.name, types);
      const f = family(name);
      if (f.type === 'histogram') {
        let h = histograms.get(name);
        if (h === undefined) histograms.set(name, (h = new HistogramBuilder()));
        h.add(suffix, sample.labels, sample.value);
      } else if (f.type === 'summary') {
        // A summary's quantile lines and _sum are the exporter's own statistics; its _count is what can be compared.
        if (suffix === '_count') f.samples.push({ labels: sample.labels, value: sample.value });
      } else f.samples.push({ labels: sample.labels, value: sample.value });
    } catch (err) {
      const why = err instanceof ExpositionError ? err.message : String(err);
      throw new ExpositionError(`not Prometheus text format: line ${n + 1} (${why}): ${line.slice(0, 80)}`);
    }
  }
  for (const [name, h] of histograms) {
    const f = families.get(name)!;
    f.histograms = [...h.series.values()].map((s) => ({ ...s, buckets: s.buckets.sort((a, b) => a.le - b.le) }));
  }
  if (![...families.values()].some((f) => f.samples.length > 0 || f.histograms.length > 0))
    throw new ExpositionError('not Prometheus text format: no sample in it');
  return families;
}

/** True when every label of `match` is on `labels` with the same value. */
export function labelsMatch(labels: Labels, match: Labels): boolean {
  return Object.entries(match).every(([k, v]) => labels[k] === v);
}
