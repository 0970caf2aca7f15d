// Paces one probe at a time at a fixed interval for the tcp and http methods, so that a stalled probe delays the next as it would delay raft traffic.
import type { PeerErrorKind, RttSample } from '../model/artifacts.js';
import { onInterrupt } from '../util/cleanup.js';
import { micro, type PeerProblem } from './rtt-stats.js';

export interface SampleOutcome {
  /** Round trip in ms, or null when the probe got no answer. */
  rttMs: number | null;
  /** When the probe's bytes left (performance.now()), if later than when the probe started (e.g. after a TCP/TLS handshake). */
  sentAt?: number;
  /** Why, when rttMs is null; the first one explains a peer that never answered. */
  failure?: { message: string; kind: PeerErrorKind };
}

export interface PacedRun {
  samples: RttSample[];
  failures: { message: string; kind: PeerErrorKind }[];
}

/**
 * Sends `count` probes, probe i at i*intervalMs or as soon as probe i-1 is done, whichever is later.
 * Stops early on Ctrl-C, or when the whole run would outlast count*interval plus one probe timeout (a peer that
 * times out every probe must not hold the others for minutes); the probes not sent then are not counted.
 */
export async function pacedSamples(count: number, intervalMs: number, timeoutMs: number, probe: () => Promise<SampleOutcome>): Promise<PacedRun> {
  const samples: RttSample[] = [];
  const failures: PacedRun['failures'] = [];
  const t0 = performance.now();
  const deadline = t0 + count * intervalMs + timeoutMs;
  let interrupted = false;
  const stop = onInterrupt(() => (interrupted = true));
  try {
    for (let i = 0; i < count && !interrupted; i++) {
      const wait = t0 + i * intervalMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (performance.now() > deadline) break;
      const startedAt = performance.now();
      const outcome = await probe();
      samples.push({ tMs: micro((outcome.sentAt ?? startedAt) - t0), rttMs: outcome.rttMs === null ? null : micro(outcome.rttMs) });
      if (outcome.rttMs === null && outcome.failure !== undefined) failures.push(outcome.failure);
    }
  } finally {
    stop();
  }
  return { samples, failures };
}

/** What a paced run says about its peer: no answer at all is an error that the first failure explains; some failures, a note. */
export function pacedProblem(run: PacedRun, wording: { noAnswer: string; allFailed: string; someFailed: string }): PeerProblem {
  const first = run.failures[0];
  if (!run.samples.some((s) => s.rttMs !== null))
    return { error: first ? `${first.message} (${wording.allFailed})` : wording.noAnswer, errorKind: first?.kind ?? 'no-reply' };
  return first ? { note: `${wording.someFailed}: ${first.message}` } : {};
}
