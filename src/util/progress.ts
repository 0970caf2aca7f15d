// Progress events from long steps; the terminal display only listens, writes to stderr, and stays quiet when stderr is not a terminal.
import { EventEmitter } from 'node:events';

export interface ProgressEvents {
  phase: [{ name: string; detail?: string }];
  tick: [{ name: string; elapsedSec: number; detail?: string }];
  done: [{ name: string; elapsedSec: number; summary?: string }];
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

  private elapsed(name: string): number {
    const t0 = this.started.get(name);
    return t0 === undefined ? 0 : (Date.now() - t0) / 1000;
  }
}

/** A silent emitter for library callers and tests. */
export function quietProgress(): Progress {
  return new Progress();
}

/**
 * Draws one live line per phase on a terminal and a plain line per finished phase otherwise quiet.
 * Not a terminal or --json: nothing at all, so that scripts read clean output.
 */
export function attachTerminalDisplay(progress: Progress, stream: NodeJS.WriteStream = process.stderr, enabled = stream.isTTY === true): void {
  if (!enabled) return;
  progress.on('phase', ({ name, detail }) => {
    stream.write(`\r\x1b[K${name}: ${detail ?? 'starting'}`);
  });
  progress.on('tick', ({ name, elapsedSec, detail }) => {
    stream.write(`\r\x1b[K${name} ${elapsedSec.toFixed(0)}s${detail ? `  ${detail}` : ''}`);
  });
  progress.on('done', ({ name, elapsedSec, summary }) => {
    stream.write(`\r\x1b[K${name} done in ${elapsedSec.toFixed(1)}s${summary ? `: ${summary}` : ''}\n`);
  });
}
