// report.csv: RFC 4180, the same header for every node so that files concatenate, and spreadsheet-safe text.
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvRows, renderCsv, spreadsheetSafe } from '../../src/report/csv.js';
import { FIXTURE_NAMES, HOSTILE, hostileReport, loadFixture } from './fixtures.js';

/** A strict RFC 4180 reader: CRLF records, fields quoted when they hold a comma, quote or line break. */
function parseRfc4180(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (ch === '\n' || ch === '\r' || ch === '"') throw new Error(`bare ${JSON.stringify(ch)} at ${i}: not RFC 4180`);
    else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('last record not terminated by CRLF');
  return records;
}

describe.each(FIXTURE_NAMES)('renderCsv(%s)', (name) => {
  const text = renderCsv(loadFixture(name));
  const records = parseRfc4180(text);

  it('is RFC 4180 with the shared header and one record per row', () => {
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    expect(records).toHaveLength(csvRows(loadFixture(name)).length + 1);
    for (const r of records) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  it('has a row per check, per measurement and per recommendation', () => {
    const report = loadFixture(name);
    const body = records.slice(1).map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]!])));
    const perPhase = report.artifacts.load?.ok ? report.artifacts.load.data.phases.length : 0;
    expect(body.filter((r) => r.section === 'load' && r.name === 'rate')).toHaveLength(perPhase);
    for (const c of report.checks) expect(body.some((r) => r.name === c.id && r.subject === c.title && r.status === c.status)).toBe(true);
    for (const f of report.advice.flags)
      expect(body.some((r) => r.section === 'recommendation' && r.name === `--${f.flag}` && r.value === String(f.value))).toBe(true);
    expect(new Set(body.map((r) => r.host))).toEqual(new Set([report.artifacts.host.ok ? report.artifacts.host.data.hostname : 'unknown']));
    if (report.artifacts.disk?.ok) {
      const p99 = body.find((r) => r.name === 'fdatasync.p99')!;
      expect(Number(p99.value)).toBeCloseTo(report.artifacts.disk.data.fio.syncUs!.p99! / 1000, 6);
      expect(p99.unit).toBe('ms');
    } else {
      expect(body.find((r) => r.section === 'disk' && r.name === 'disk')).toMatchObject({
        status: 'error',
        message: expect.stringContaining('fio is not installed'),
      });
    }
  });
});

describe('concatenation', () => {
  it('gives one sheet from many nodes when the repeated headers are dropped', () => {
    const [first, ...rest] = FIXTURE_NAMES.map((n) => renderCsv(loadFixture(n)));
    const sheet = first + rest.map((t) => t.slice(t.indexOf('\r\n') + 2)).join('');
    const records = parseRfc4180(sheet);
    expect(records.filter((r) => r[0] === 'host')).toHaveLength(1);
    expect(new Set(records.slice(1).map((r) => r[1])).size).toBe(3);
  });
});

describe('spreadsheetSafe', () => {
  it('defuses formulas but keeps flags and negative numbers', () => {
    expect(spreadsheetSafe(HOSTILE.errorKind)).toBe(`'${HOSTILE.errorKind}`);
    expect(spreadsheetSafe('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(spreadsheetSafe('-cmd')).toBe("'-cmd");
    expect(spreadsheetSafe('--heartbeat-interval')).toBe('--heartbeat-interval');
    expect(spreadsheetSafe('-0.5')).toBe('-0.5');
    expect(spreadsheetSafe(-3)).toBe(-3);
  });

  it('applies to what the hostile report carries', () => {
    const records = parseRfc4180(renderCsv(hostileReport()));
    expect(records.some((r) => r.includes(HOSTILE.hostname))).toBe(true);
    expect(records.flat().filter((f) => f.startsWith('='))).toEqual([]);
  });
});
