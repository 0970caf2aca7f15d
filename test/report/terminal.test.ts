// The end-of-run terminal summary: verdict, a short table with failing checks first, what to act on, the files written.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { checkValue } from '../../src/report/format.js';
import { renderTerminalSummary } from '../../src/report/terminal.js';
import { loadFixture } from './fixtures.js';

const FILES = ['/r/report.html', '/r/report.csv'];

describe('renderTerminalSummary', () => {
  it('matches its snapshot for a run that could not complete', () => {
    expect(renderTerminalSummary(loadFixture('no-fio'), '/r', FILES, 100)).toMatchSnapshot();
  });

  it('keeps every table line within the terminal width', () => {
    for (const width of [60, 80, 120]) {
      const text = renderTerminalSummary(loadFixture('full'), '/r', FILES, width);
      const table = text.split('\n').filter((l) => /^ {2}(STATUS|PASS|INFO|WARN|FAIL|ERROR) /.test(l));
      expect(table.length).toBe(loadFixture('full').checks.length + 1);
      for (const line of table) expect(line.length, line).toBeLessThanOrEqual(Math.max(width, 80));
    }
  });

  it('puts failing checks first and names what to act on', () => {
    const text = renderTerminalSummary(loadFixture('no-fio'), '/r', FILES);
    const lines = text.split('\n');
    expect(lines[1]).toBe('COULD NOT COMPLETE: some checks could not run');
    expect(lines[4]).toMatch(/^ {2}ERROR/);
    expect(text).toContain('To act on:\n  ERROR  fdatasync p99 latency of the WAL disk: disk fdatasync latency could not be measured: fio is not installed');
    expect(text.endsWith('Report written to /r:\n  /r/report.html\n  /r/report.csv\n')).toBe(true);
  });

  it('shows every value whole in human units and names a peer without cutting it', () => {
    const r = loadFixture('full');
    const peer = 'etcd-member-with-a-very-long-name-03.rack-17.datacenter-frankfurt.example.internal:2380 (http)';
    r.checks.push({
      id: 'advice.quota-backend-bytes',
      section: 'advice',
      title: '--quota-backend-bytes',
      status: 'info',
      message: 'm',
      value: 2 * 2 ** 30,
      unit: 'bytes',
    });
    r.checks.push({
      id: 'network.rtt',
      section: 'network',
      title: `Round-trip time and loss to the peers: ${peer}`,
      status: 'warn',
      message: 'm',
      value: 151.25,
      unit: 'ms',
      threshold: 'p99 <= 150 ms, no loss',
    });
    const text = renderTerminalSummary(r, '/r', FILES, 80);
    expect(text).toMatch(/--quota-backend-bytes +2 GiB/);
    expect(text).not.toContain('…');
    expect(text).toContain(peer.split(' ')[0]);
    expect(text).toContain('151.25 ms');
    expect(text).toContain('p99 <= 150 ms, no loss');
    expect(checkValue(2147483648, 'bytes')).toBe('2 GiB');
    expect(checkValue(3, 'count')).toBe('3');
  });

  it('wraps a long threshold in its column, so that the check names keep room', () => {
    const r = JSON.parse(readFileSync(new URL('../fixtures/reports/thresholds.json', import.meta.url), 'utf8')) as Report;
    const long = r.checks.find((c) => (c.threshold ?? '').length > 40);
    expect(long, 'the fixture has a load phase with several thresholds').toBeDefined();
    const text = renderTerminalSummary(r, '/r', FILES, 100);
    const all = text.split('\n');
    const start = all.findIndex((l) => l.startsWith('  STATUS'));
    const table = all.slice(start, all.indexOf('', start));
    const header = table[0]!;
    // The threshold column starts where the header says, and no row runs past the width.
    expect(header.indexOf('CHECK')).toBe(10);
    expect(header.indexOf('VALUE') - header.indexOf('CHECK')).toBeGreaterThanOrEqual(26);
    for (const line of table) expect(line.length, line).toBeLessThanOrEqual(100);
    const at = header.indexOf('THRESHOLD');
    const thresholdText = table
      .slice(1)
      .map((l) => l.slice(at).trim())
      .join(' ');
    expect(thresholdText.replace(/\s+/g, ' ')).toContain(long!.threshold);
  });
});
