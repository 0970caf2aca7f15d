// The one reader of a saved report.json (report --from, advise --from, compare, lint --report): bounded, schema-checked with its version, and every bad file one usage error naming it.
import { CLUSTER_REPORT_KIND } from '../cluster/report.js';
import { errorMessage, UsageError } from '../model/errors.js';
import { SCHEMA_VERSION, type Report } from '../model/report.js';
import { REPORT_SCHEMA } from '../model/report-schema.js';
import { firstIssue, pathText } from '../util/schema.js';
import { readInputFile } from '../util/input-file.js';

/** Deeper than anything etcd-advisor writes (about 8 levels): a crafted file cannot make a reader recurse without end. */
export const MAX_REPORT_DEPTH = 32;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON path of a key, as errors name it: artifacts.disk.data.fio.syncUs.p99, checks[3].status. */
/**
 * Walks the parsed value without recursion: nesting beyond MAX_REPORT_DEPTH, and any number that is not finite or is
 * negative, anywhere (also in keys the schema does not know), is named by its path.
 */
function checkValues(value: unknown): string | null {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `${pathText(path)} is not a finite number`;
      if (v < 0) return `${pathText(path)} is ${v}: a report holds no negative figure`;
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (path.length >= MAX_REPORT_DEPTH) return `${pathText(path.slice(0, 4))}... is nested deeper than ${MAX_REPORT_DEPTH} levels`;
    if (Array.isArray(v)) v.forEach((item, i) => stack.push({ v: item, path: [...path, i] }));
    else for (const [k, item] of Object.entries(v)) stack.push({ v: item, path: [...path, k] });
  }
  return null;
}

/** Checks a report's text against the schema, version first; `source` names the file in every error. */
export function parseReport(text: string, source: string): Report {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the text it stopped at, newlines and all: the error stays one line.
    throw new UsageError(`${source} is not JSON: ${errorMessage(err).replace(/\s*\n\s*/g, ' ')}`);
  }
  if (!isObject(value)) throw new UsageError(`${source} is not an etcd-advisor report.json (expected a JSON object)`);
  if (value.schemaVersion !== SCHEMA_VERSION) {
    throw new UsageError(
      `${source}: schemaVersion ${JSON.stringify(value.schemaVersion) ?? 'missing'} is not one this etcd-advisor reads (it reads ${SCHEMA_VERSION}); is this an etcd-advisor report.json?`,
    );
  }
  if (value.kind === CLUSTER_REPORT_KIND) {
    throw new UsageError(
      `${source} is a cluster report (cluster-report.json), not a node's report.json: run --cluster rendered its files; compare reads it, report and advise read a member's report.json`,
    );
  }
  const top = ['tool', 'run', 'artifacts', 'checks', 'advice', 'verdict'].filter((k) => value[k] === undefined);
  if (top.length > 0) throw new UsageError(`${source}: not a complete etcd-advisor report (missing or malformed: ${top.join(', ')})`);
  const bad = checkValues(value);
  if (bad !== null) throw new UsageError(`${source}: ${bad}`);
  const parsed = REPORT_SCHEMA.safeParse(value);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    throw new UsageError(`${source}: ${pathText(issue.path)}: ${issue.message}`);
  }
  return value as unknown as Report;
}

export interface ReadReportOptions {
  /** The flag that named the file ("--from", "--report"); none for compare's positional paths. */
  flag?: string;
}

/** A report.json from disk: a regular file of at most INPUT_CAPS.report, then parseReport. */
export async function readReport(path: string, options: ReadReportOptions = {}): Promise<Report> {
  const flag = options.flag ?? '';
  const text = await readInputFile(path, { flag, holding: 'report.json', kind: 'report' });
  return parseReport(text, flag === '' ? path : `${flag} ${path}`);
}
