// Progress events from long steps; the terminal display only listens, writes to stderr, and stays quiet when stderr is not a terminal.
import { EventEmitter } from 'node:events';

export interface ProgressEvents {
  phase: [{ name: string; detail?: string }];
  tick: [{ name: string; elapsedSec: number; detail?: string }];
  done: [{ name: string; elapsedSec: number; summary?: string }];
  /** Something the operator must read even off a terminal (another run on the same disk). */
  warning: [string];
}

export class Progress extends EventEmitter<ProgressEvents> {
  private started = new Map<string, number>();

  phase(name: string, detail?: string): void {
    this.started.set(name, Date.now());
    this.emit('phase', detail === undefined ? { name } : { name, detail });
  }

  tick(name: string, detail?: string): void {
    const elapsedSec = this.elapsed(name);
    this.emit('tick', detail === undefined ? { name, elapsedSec } : { name, elapsedSec, detail });
  }

  done(name: string, summary?: string): void {
    const elapsedSec = this.elapsed(name);
    this.emit('done', summary === undefined ? { name, elapsedSec } : { name, elapsedSec, summary });
  }

  warn(message: string): void {
    this.emit('warning', message);
  }

  private elapsed(name: string): number {
    const t0 = this.started.get(name);
    return t0 === undefined ? 0 : (Date.now() - t0) / 1000;
  }
}

export interface TerminalDisplay {
  /** Clears the live line and says which phases never finished; the display listens no more. */
  close(): void;
}

/** What the display needs of a stream: process.stderr satisfies it. */
export interface DisplayStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const CLEAR_LINE = '\r\x1b[K';

function seconds(s: number): string {
  return s < 10 ? `${s.toFixed(1)}s` : `${s.toFixed(0)}s`;
}

/**
 * On a terminal: one live line at the bottom showing every running phase (disk and network run together) with its
 * elapsed time and latest detail (the load probe's is its live rate and p99), and one permanent line per finished
 * phase above it. Not a terminal, or --json: nothing at all, so that scripts and logs read clean output.
 */
export function attachTerminalDisplay(
  progress: Progress,
  stream: DisplayStream = process.stderr,
  enabled = stream.isTTY === true,
  now: () => number = Date.now,
): TerminalDisplay {
  if (!enabled) return { close: () => undefined };
  const running = new Map<string, { since: number; detail: string }>();
  let live = false;

  const redraw = () => {
    if (running.size === 0) {
      if (live) stream.write(CLEAR_LINE);
      live = false;
      return;
    }
    const t = now();
    const line = [...running].map(([name, r]) => `${name} ${seconds((t - r.since) / 1000)}${r.detail ? ` ${r.detail}` : ''}`).join('  |  ');
    // A line longer than the terminal wraps, and \r then only returns to the start of the last row: cut it.
    const width = Math.max(20, (stream.columns || 100) - 1);
    stream.write(CLEAR_LINE + (line.length > width ? `${line.slice(0, width - 1)}…` : line));
    live = true;
  };
  const onPhase = ({ name, detail }: { name: string; detail?: string }) => {
    running.set(name, { since: now(), detail: detail ?? '' });
    redraw();
  };
  const onTick = ({ name, detail }: { name: string; detail?: string }) => {
    const r = running.get(name);
    if (r === undefined) running.set(name, { since: now(), detail: detail ?? '' });
    else if (detail !== undefined) r.detail = detail;
    redraw();
  };
  const onDone = ({ name, elapsedSec, summary }: { name: string; elapsedSec: number; summary?: string }) => {
    running.delete(name);
    stream.write(`${CLEAR_LINE}${name} done in ${seconds(elapsedSec)}${summary ? `: ${summary}` : ''}\n`);
    live = false;
    redraw();
  };
  progress.on('phase', onPhase);
  progress.on('tick', onTick);
  progress.on('done', onDone);
  return {
    close() {
      progress.off('phase', onPhase);
      progress.off('tick', onTick);
      progress.off('done', onDone);
      const t = now();
      if (live) stream.write(CLEAR_LINE);
      for (const [name, r] of running) stream.write(`${name} stopped after ${seconds((t - r.since) / 1000)}${r.detail ? ` (${r.detail})` : ''}\n`);
      running.clear();
      live = false;
    },
  };
}
