// Reads a saved report.json back for `report --from` and `compare`: bad files become one clear usage error naming the file, never a stack trace.
import { readFile } from 'node:fs/promises';
import { errorMessage, UsageError } from '../model/errors.js';
import { SCHEMA_VERSION, type Report } from '../model/report.js';

const VERDICTS = new Set(['qualified', 'not-qualified', 'incomplete']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the shape the renderers rely on; the artifacts inside are trusted as etcd-advisor wrote them. */
export function parseReport(text: string, source: string): Report {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source} is not JSON: ${errorMessage(err)}`);
  }
  if (!isObject(value)) throw new UsageError(`${source} is not an etcd-advisor report.json (expected a JSON object)`);
  if (value.schemaVersion !== SCHEMA_VERSION) {
    throw new UsageError(`${source}: schemaVersion ${JSON.stringify(value.schemaVersion) ?? 'missing'} is not one this etcd-advisor reads (it reads ${SCHEMA_VERSION}); is this an etcd-advisor report.json?`);
  }
  const missing: string[] = [];
  if (!isObject(value.tool)) missing.push('tool');
  if (!isObject(value.run) || !Array.isArray(value.run.argv) || !Array.isArray(value.run.notes)) missing.push('run');
  if (!isObject(value.artifacts) || !isObject(value.artifacts.host)) missing.push('artifacts.host');
  if (!Array.isArray(value.checks)) missing.push('checks');
  if (!isObject(value.advice) || !Array.isArray(value.advice.flags) || !Array.isArray(value.advice.unitSettings)) missing.push('advice');
  if (typeof value.verdict !== 'string' || !VERDICTS.has(value.verdict)) missing.push('verdict');
  if (missing.length > 0) throw new UsageError(`${source}: not a complete etcd-advisor report (missing or malformed: ${missing.join(', ')})`);
  return value as unknown as Report;
}

export async function readReport(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${path}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${path} is a directory: give the report.json inside it`);
    throw new UsageError(`cannot read ${path}: ${errorMessage(err)}`);
  }
  return parseReport(text, path);
}
