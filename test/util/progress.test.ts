// The terminal display: a live line for the running phases and a line per finished phase on a terminal, nothing at all otherwise.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { attachTerminalDisplay, Progress, type DisplayStream } from '../../src/util/progress.js';
import { CLI } from '../support/cli.js';

/** A terminal-shaped sink that keeps what was written. */
function sink(isTTY: boolean, columns = 80): DisplayStream & { text: string } {
  const s = { text: '', isTTY, columns, write: (t: string) => ((s.text += t), true) };
  return s;
}

/** What a terminal would show: each \r\x1b[K clears the line being drawn. */
function screen(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const parts = raw.split('\r\x1b[K');
    lines.push(parts[parts.length - 1]!);
  }
  return lines;
}

describe('attachTerminalDisplay', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const progress = new Progress();
    const out = sink(false);
    const display = attachTerminalDisplay(progress, out);
    progress.phase('disk', 'fio');
    progress.tick('disk', 'fio running');
    progress.done('disk', 'fdatasync p99 0.15 ms');
    display.close();
    expect(out.text).toBe('');
  });

  it('writes nothing when disabled on a terminal (--json)', () => {
    const progress = new Progress();
    const out = sink(true);
    attachTerminalDisplay(progress, out, false);
    progress.phase('load', 'x');
    progress.done('load');
    expect(out.text).toBe('');
  });

  it('shows every running phase with its elapsed time and live detail, then a line per finished phase', () => {
    let t = 1_000_000;
    const progress = new Progress();
    const out = sink(true, 200);
    const display = attachTerminalDisplay(progress, out, true, () => t);
    progress.phase('disk', 'fio etcd profile');
    progress.phase('network', 'icmp to 127.0.0.1');
    t += 2000;
    progress.tick('disk', 'fio running');
    expect(screen(out.text).at(-1)).toBe('disk 2.0s fio running  |  network 2.0s icmp to 127.0.0.1');
    progress.done('disk', 'fdatasync p99 0.15 ms');
    progress.phase('load', 'writes: 50 clients for 20s');
    t += 12_000;
    progress.tick('load', 'writes: 6978 req/s, p99 29.6 ms');
    expect(screen(out.text).at(-1)).toBe('network 14s icmp to 127.0.0.1  |  load 12s writes: 6978 req/s, p99 29.6 ms');
    display.close();
    const shown = screen(out.text);
    expect(shown[0]).toMatch(/^disk done in \d+(\.\d)?s: fdatasync p99 0\.15 ms$/);
    expect(shown.slice(1, 3)).toEqual(['network stopped after 14s (icmp to 127.0.0.1)', 'load stopped after 12s (writes: 6978 req/s, p99 29.6 ms)']);
    expect(shown.at(-1)).toBe('');
  });

  it('cuts the live line to the terminal width so that \\r redraws it in place', () => {
    const progress = new Progress();
    const out = sink(true, 40);
    attachTerminalDisplay(progress, out, true, () => 0);
    progress.phase('disk', 'fio etcd profile in /a/very/long/directory/name/that/does/not/fit');
    expect(screen(out.text).at(-1)!.length).toBeLessThanOrEqual(39);
  });

  it('stops listening when closed', () => {
    const progress = new Progress();
    const out = sink(true);
    attachTerminalDisplay(progress, out, true).close();
    progress.phase('disk');
    expect(out.text).toBe('');
    expect(progress.listenerCount('phase')).toBe(0);
  });
});

describe('etcd-advisor run on a terminal', () => {
  it('draws the phases with the live load rate and p99, then the table of checks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ea7-tty-'));
    try {
      // script(1) gives the run a pseudo-terminal, as an operator's shell would; it records what the terminal received.
      const typescript = join(dir, 'typescript');
      const command = `node ${CLI} run --quick --out ${join(dir, 'out')}`;
      await execa('script', ['-qec', command, typescript], { reject: false, stdin: 'ignore' });
      const shown = await readFile(typescript, 'utf8');
      expect(shown).toMatch(/\r\x1b\[Kload \d+(\.\d)?s quick: \d+ req\/s, p99 [\d.]+ ms/);
      for (const phase of ['disk', 'network', 'etcd', 'load']) expect(shown).toMatch(new RegExp(`${phase} done in [\\d.]+s`));
      expect(shown).toMatch(/STATUS +CHECK +VALUE +THRESHOLD/);
      expect(shown).toContain(`Report written to ${join(dir, 'out')}:`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
