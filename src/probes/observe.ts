// Watches a live cluster for a window: scrapes every member's /metrics at the start, every interval and at the end, each on its own.
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { TlsMaterial } from '../etcd/client.js';
import { memberGauges, memberIdentity, memberWindowFigures, QUANTILE_METHOD, type TimedExposition } from '../metrics/figures.js';
import { parseExposition, type Exposition } from '../metrics/parse.js';
import { scrapeMetrics, DEFAULT_SCRAPE_TIMEOUT_MS } from '../metrics/scrape.js';
import { errorMessage, UsageError } from '../model/errors.js';
import type { MemberOutage, ObservationArtifact, ObservationPoint, ObservedMember } from '../model/observation.js';
import { takeInterrupt } from '../util/cleanup.js';
import { readInputFile } from '../util/input-file.js';
import type { Progress } from '../util/progress.js';

export interface ObserveTarget {
  /** The client URL as the operator gave it. */
  endpoint: string;
  /** Where its /metrics are read. */
  metricsUrl: string;
}

/** One scrape attempt of one member: what it served (parsed once), or why not. */
export type ScrapeAttempt = { tMs: number; families: Exposition } | { tMs: number; error: string };

/** Everything one member answered over the window, in time order: what the artifact is built from, live or saved. */
export interface MemberTimeline extends ObserveTarget {
  attempts: ScrapeAttempt[];
}

export interface ObserveOptions {
  targets: ObserveTarget[];
  forMs: number;
  everyMs: number;
  tls?: TlsMaterial;
  /** Per scrape; a member slower than this is down for that scrape. Default min(interval, 5 s). */
  timeoutMs?: number;
  progress?: Progress;
  /** Ends the window early (tests); Ctrl-C does the same. */
  signal?: AbortSignal;
  /** Every scrape's text and the timeline index go here, to judge again with --from or to keep as fixtures. */
  saveDir?: string;
}

const PHASE = 'observe';
const INDEX_FILE = 'timelines.json';

function fmtLeft(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A short name for a member in progress lines: its host:port. */
function shortName(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/** Sleeps until `ms` passed or the window is ended. */
function pause(ms: number, ended: { promise: Promise<void> }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    void ended.promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The progress line: time left, members answering, and what the window has shown so far. */
function progressDetail(timelines: readonly MemberTimeline[], leftMs: number): string {
  const answering = timelines.filter((t) => {
    const last = t.attempts[t.attempts.length - 1];
    return last !== undefined && 'families' in last;
  }).length;
  // First and last good scrape only: the line is redrawn every interval and must not cost more as the window grows.
  const soFar = timelines.map((t) => {
    const good = t.attempts.filter((a): a is { tMs: number; families: Exposition } => 'families' in a);
    return { endpoint: t.endpoint, f: good.length >= 2 ? memberWindowFigures([good[0]!, good[good.length - 1]!]) : null };
  });
  const leaderChanges = Math.max(0, ...soFar.map((m) => m.f?.leaderChanges ?? 0));
  let fsync = '';
  let worst = -1;
  for (const m of soFar) {
    const p99 = m.f?.walFsync?.p99Ms;
    if (p99 != null && p99 > worst) {
      worst = p99;
      fsync = `, fsync p99 ${p99.toFixed(1)} ms (${shortName(m.endpoint)})`;
    }
  }
  return `${fmtLeft(leftMs)} left: ${answering}/${timelines.length} answering, ${leaderChanges} leader change${leaderChanges === 1 ? '' : 's'}${fsync}`;
}

async function saveScrape(dir: string, index: number, tMs: number, text: string): Promise<string> {
  const file = join(`m${index + 1}`, `${tMs}.txt`);
  await mkdir(join(dir, `m${index + 1}`), { recursive: true });
  await writeFile(join(dir, file), text);
  return file;
}

/** Saved timelines: the index names each scrape's file, so that a saved window is read back exactly as it was seen. */
interface SavedIndex {
  startMs: number;
  endMs: number;
  requestedSec: number;
  intervalSec: number;
  endedEarly?: string;
  members: (ObserveTarget & { attempts: ({ tMs: number; file: string } | { tMs: number; error: string })[] })[];
}

/**
 * Runs the window: a round of scrapes (all members at once, each on its own) at the start, every `everyMs`, and at
 * the end or when Ctrl-C (or `signal`) ends it early. A member that does not answer is recorded with the error and
 * the time; the others go on.
 */
export async function observeCluster(options: ObserveOptions): Promise<{ artifact: ObservationArtifact; timelines: MemberTimeline[] }> {
  const timelines: MemberTimeline[] = options.targets.map((t) => ({ ...t, attempts: [] }));
  const saved: SavedIndex['members'] = options.targets.map((t) => ({ ...t, attempts: [] }));
  const timeoutMs = options.timeoutMs ?? Math.min(options.everyMs, DEFAULT_SCRAPE_TIMEOUT_MS);
  let endedEarly: string | undefined;
  let resolveEnded!: () => void;
  const ended = { promise: new Promise<void>((r) => (resolveEnded = r)) };
  const end = (why: string) => {
    endedEarly ??= why;
    resolveEnded();
  };
  const untake = takeInterrupt(() => end('interrupted'));
  options.signal?.addEventListener('abort', () => end('interrupted'), { once: true });
  if (options.signal?.aborted) end('interrupted');

  const round = async () => {
    await Promise.all(
      timelines.map(async (t, i) => {
        try {
          const s = await scrapeMetrics(t.metricsUrl, { ...(options.tls ? { tls: options.tls } : {}), timeoutMs });
          t.attempts.push({ tMs: s.tMs, families: s.families });
          if (options.saveDir !== undefined) saved[i]!.attempts.push({ tMs: s.tMs, file: await saveScrape(options.saveDir, i, s.tMs, s.text) });
        } catch (err) {
          const attempt = { tMs: Date.now(), error: errorMessage(err) };
          t.attempts.push(attempt);
          saved[i]!.attempts.push(attempt);
        }
      }),
    );
  };

  const startMs = Date.now();
  const deadline = startMs + options.forMs;
  options.progress?.phase(PHASE, `${fmtLeft(options.forMs)} left: first scrape of ${timelines.length} member(s)`);
  try {
    await round();
    for (let k = 1; endedEarly === undefined; k++) {
      const next = Math.min(startMs + k * options.everyMs, deadline);
      options.progress?.tick(PHASE, progressDetail(timelines, deadline - Date.now()));
      await pause(next - Date.now(), ended);
      await round();
      if (next >= deadline) break;
    }
  } finally {
    untake();
  }
  const endMs = Date.now();
  const artifact = buildObservation(timelines, {
    startMs,
    endMs,
    requestedSec: options.forMs / 1000,
    intervalSec: options.everyMs / 1000,
    ...(endedEarly !== undefined ? { endedEarly } : {}),
  });
  if (options.saveDir !== undefined) {
    const index: SavedIndex = {
      startMs,
      endMs,
      requestedSec: artifact.requestedSec,
      intervalSec: artifact.intervalSec,
      ...(endedEarly ? { endedEarly } : {}),
      members: saved,
    };
    await writeFile(join(options.saveDir, INDEX_FILE), JSON.stringify(index, null, 2) + '\n');
  }
  options.progress?.done(
    PHASE,
    `${artifact.members.filter((m) => m.figures !== null).length} of ${artifact.members.length} members observed over ${artifact.durationSec.toFixed(0)} s`,
  );
  return { artifact, timelines };
}

/** A window saved with --save-scrapes, read back into the same timelines (and so the same figures) the live run had. */
export async function readSavedObservation(dir: string): Promise<ObservationArtifact> {
  // Through the input layer: a missing, huge or crafted index is one usage error, not a crash.
  const indexPath = join(dir, INDEX_FILE);
  let index: SavedIndex;
  try {
    index = JSON.parse(await readInputFile(indexPath, { flag: '--from', holding: 'a window saved with --save-scrapes', kind: 'report' })) as SavedIndex;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--from ${indexPath}: not JSON (${errorMessage(err)})`);
  }
  const numbers = [index?.startMs, index?.endMs, index?.requestedSec, index?.intervalSec];
  if (!Array.isArray(index?.members) || !index.members.every((m) => Array.isArray(m?.attempts)) || !numbers.every((n) => Number.isFinite(n)))
    throw new UsageError(`--from ${indexPath}: not a window saved with --save-scrapes (startMs, endMs, requestedSec, intervalSec, members[].attempts)`);
  const timelines: MemberTimeline[] = await Promise.all(
    index.members.map(async (m) => ({
      endpoint: m.endpoint,
      metricsUrl: m.metricsUrl,
      attempts: await Promise.all(m.attempts.map((a) => ('file' in a ? readSavedScrape(dir, a.tMs, a.file) : a))),
    })),
  );
  return buildObservation(timelines, {
    startMs: index.startMs,
    endMs: index.endMs,
    requestedSec: index.requestedSec,
    intervalSec: index.intervalSec,
    ...(index.endedEarly !== undefined ? { endedEarly: index.endedEarly } : {}),
  });
}

/** A saved scrape that does not parse is a failed scrape, as it would have been live. */
async function readSavedScrape(dir: string, tMs: number, file: string): Promise<ScrapeAttempt> {
  try {
    // The index names files under the saved directory, nothing else: a crafted name cannot read outside the saved window.
    if (typeof file !== 'string' || isAbsolute(file) || file.split(/[\\/]/).includes('..')) throw new Error('not a file of the saved window');
    return { tMs, families: parseExposition(await readInputFile(join(dir, file), { flag: '--from', holding: 'a saved scrape', kind: 'output' })) };
  } catch (err) {
    return { tMs, error: `${file}: ${errorMessage(err)}` };
  }
}

interface WindowMeta {
  startMs: number;
  endMs: number;
  requestedSec: number;
  intervalSec: number;
  endedEarly?: string;
}

/** The artifact from the timelines: pure, so that a saved window gives what the live one gave. */
export function buildObservation(timelines: readonly MemberTimeline[], meta: WindowMeta): ObservationArtifact {
  return {
    startedAt: new Date(meta.startMs).toISOString(),
    endedAt: new Date(meta.endMs).toISOString(),
    requestedSec: meta.requestedSec,
    durationSec: (meta.endMs - meta.startMs) / 1000,
    intervalSec: meta.intervalSec,
    ...(meta.endedEarly !== undefined ? { endedEarly: meta.endedEarly } : {}),
    members: buildMembers(timelines, meta.startMs),
    quantileMethod: QUANTILE_METHOD,
  };
}

function buildMembers(timelines: readonly MemberTimeline[], startMs: number): ObservedMember[] {
  return timelines.map((t) => buildMember(t, startMs));
}

function buildMember(t: MemberTimeline, startMs: number): ObservedMember {
  const good: (TimedExposition & { at: string })[] = [];
  const outages: MemberOutage[] = [];
  let open: MemberOutage | null = null;
  let lastGood: number | null = null;
  for (const a of t.attempts) {
    if ('families' in a) {
      good.push({ tMs: a.tMs, families: a.families, at: new Date(a.tMs).toISOString() });
      if (open !== null) {
        open.backAt = new Date(a.tMs).toISOString();
        open = null;
      }
      lastGood = a.tMs;
    } else if (open === null) {
      outages.push(
        (open = { lastSeenAt: lastGood === null ? null : new Date(lastGood).toISOString(), from: new Date(a.tMs).toISOString(), backAt: null, error: a.error }),
      );
    }
  }
  const first = good[0];
  const last = good[good.length - 1];
  const identity = last === undefined ? { memberId: null, version: null } : memberIdentity(last.families);
  const series: ObservationPoint[] = [];
  let leaderChanges = 0;
  let heartbeatSendFailures = 0;
  for (let i = 1; i < good.length; i++) {
    const f = memberWindowFigures([good[i - 1]!, good[i]!]);
    leaderChanges += f.leaderChanges ?? 0;
    heartbeatSendFailures += f.heartbeatSendFailures ?? 0;
    const rtt: Record<string, number> = {};
    for (const p of f.peerRtt) if (p.p99Ms !== null) rtt[p.toId] = p.p99Ms;
    series.push({
      tSec: (good[i]!.tMs - startMs) / 1000,
      walFsyncP99Ms: f.walFsync?.p99Ms ?? null,
      backendCommitP99Ms: f.backendCommit?.p99Ms ?? null,
      peerRttP99Ms: rtt,
      leaderChanges: f.leaderChanges === null ? null : leaderChanges,
      heartbeatSendFailures: f.heartbeatSendFailures === null ? null : heartbeatSendFailures,
      dbSizeBytes: memberGauges(good[i]!.families).dbSizeBytes,
    });
  }
  return {
    endpoint: t.endpoint,
    metricsUrl: t.metricsUrl,
    memberId: identity.memberId,
    version: identity.version,
    scrapes: good.length,
    failedScrapes: t.attempts.length - good.length,
    figures: good.length >= 2 ? memberWindowFigures(good) : null,
    first: first === undefined ? null : memberGauges(first.families),
    last: last === undefined ? null : memberGauges(last.families),
    firstAt: first?.at ?? null,
    lastAt: last?.at ?? null,
    series,
    outages,
  };
}
