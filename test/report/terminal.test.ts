// The end-of-run terminal summary: verdict, a short table with failing checks first, what to act on, the files written.
import { describe, expect, it } from 'vitest';
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
});
