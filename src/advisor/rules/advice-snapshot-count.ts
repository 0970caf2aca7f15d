// Recommends --snapshot-count from the version's default, bounded above by memory (raft entries live in memory) and below by the write rate.
import { defaultOf } from '../../etcd/flags.js';
import { formatBytes, formatRate } from '../../util/units.js';
import { currentNumber, isMeasured } from '../inputs.js';
import { recommend, type Rule } from '../rule.js';

/** The size of one raft entry the advisor assumes: etcdctl check perf's 256 B key + 1 KiB value (ETCD-FACTS.md "etcdctl check perf"). */
export const ASSUMED_ENTRY_BYTES = 256 + 1024;
/** etcd keeps this many entries after each snapshot so that slow followers catch up from the log (etcd server.go DefaultSnapshotCatchUpEntries). */
export const SNAPSHOT_CATCHUP_ENTRIES = 5_000;
/**
 * ETCD-FACTS.md "Space and requests": raft log entries between snapshots are kept in memory; lower the count to save memory.
 * The advisor's own budget: the retained entries take at most this share of the node's memory.
 */
export const RAFT_LOG_MEMORY_SHARE = 0.05;
/**
 * A follower that falls further behind than snapshot-count entries needs a whole database snapshot sent to it; the advisor
 * wants the log to cover at least this many seconds of writes so that a short stall is caught up from the log.
 */
export const FOLLOWER_CATCHUP_WINDOW_S = 10;
/** ETCD-FACTS.md "Space and requests": above 100000 may hurt write throughput. */
export const MAX_SNAPSHOT_COUNT = 100_000;
/** Below this a snapshot would follow every few writes; the floor the advisor never goes under. */
export const MIN_SNAPSHOT_COUNT = 1_000;
/** Recommendations are rounded to this step so that they read as choices. */
export const SNAPSHOT_COUNT_STEP = 1_000;

export interface SnapshotCountBasis {
  versionDefault: number;
  memoryBytes?: number;
  writeRatePerSec?: number;
}

/** The version default when it fits both bounds, else the nearest bound; `conflict` when memory cannot hold the window the write rate needs. */
export function snapshotCountFor(b: SnapshotCountBasis): { value: number; lower: number; upper: number; conflict: boolean } {
  const lower = b.writeRatePerSec === undefined ? 0 : Math.ceil((b.writeRatePerSec * FOLLOWER_CATCHUP_WINDOW_S) / SNAPSHOT_COUNT_STEP) * SNAPSHOT_COUNT_STEP;
  const byMemory =
    b.memoryBytes === undefined ? Infinity : Math.floor((b.memoryBytes * RAFT_LOG_MEMORY_SHARE) / ASSUMED_ENTRY_BYTES) - SNAPSHOT_CATCHUP_ENTRIES;
  const memoryBound = Math.max(MIN_SNAPSHOT_COUNT, Math.floor(byMemory / SNAPSHOT_COUNT_STEP) * SNAPSHOT_COUNT_STEP);
  const upper = Math.min(MAX_SNAPSHOT_COUNT, memoryBound);
  // Only memory makes a conflict worth a warning; the 100000 ceiling just caps the window.
  const conflict = lower > memoryBound && memoryBound <= MAX_SNAPSHOT_COUNT;
  // Memory wins a conflict: running out of memory stops the member, a snapshot sent to a follower only costs bandwidth.
  const value = Math.min(upper, Math.max(lower, b.versionDefault));
  return { value, lower, upper, conflict };
}

export const snapshotCount: Rule = {
  id: 'advice.snapshot-count',
  section: 'advice',
  title: '--snapshot-count',
  source: 'ETCD-FACTS.md Space and requests: default 100000 in 3.4/3.5, 10000 in 3.6; entries kept in memory; above 100000 may hurt throughput',
  needs: [],
  uses: ['memoryBytes', 'writeRate'],
  evaluate({ inputs }) {
    const version = inputs.etcdVersion.value;
    const versionDefault = Number(defaultOf('snapshot-count', version));
    const memory = isMeasured(inputs.memoryBytes) ? inputs.memoryBytes : undefined;
    const rate = isMeasured(inputs.writeRate) ? inputs.writeRate : undefined;
    const basis: SnapshotCountBasis = { versionDefault };
    if (memory) basis.memoryBytes = memory.value;
    if (rate) basis.writeRatePerSec = rate.value;
    const sized = snapshotCountFor(basis);
    const { lower, upper, conflict } = sized;
    // A current value inside both bounds stays: moving it to the default gains nothing worth a restart of every member.
    const current = currentNumber(inputs, 'snapshot-count');
    const keep = current !== null && !conflict && current.value >= Math.max(lower, MIN_SNAPSHOT_COUNT) && current.value <= upper;
    const value = keep ? current.value : sized.value;
    const entryMemory = formatBytes((value + SNAPSHOT_CATCHUP_ENTRIES) * ASSUMED_ENTRY_BYTES);
    let reason: string;
    if (keep && current.value !== versionDefault) {
      reason = `The ${current.value} it runs with (${current.basis}) is within the bounds (at least ${Math.max(lower, MIN_SNAPSHOT_COUNT)}${rate ? ` for ${FOLLOWER_CATCHUP_WINDOW_S} s of writes at ${formatRate(rate.value)}/s` : ''}, at most ${upper}${memory ? ` for ${formatBytes(memory.value)} of memory` : ''}): keep it. etcd ${version}'s default ${versionDefault} would not be better enough to change; the retained entries take about ${entryMemory}.`;
    } else if (conflict) {
      reason = `At ${formatRate(rate!.value)} writes/s the log should hold ${lower} entries (${FOLLOWER_CATCHUP_WINDOW_S} s of writes), but ${formatBytes(memory!.value)} of memory allows ${upper}: followers that lag more than ${(value / rate!.value).toFixed(1)} s will need a whole snapshot. Add memory or spread the writes.`;
    } else if (value < lower) {
      reason = `At ${formatRate(rate!.value)} writes/s the log would need ${lower} entries to cover ${FOLLOWER_CATCHUP_WINDOW_S} s; capped at ${MAX_SNAPSHOT_COUNT}, above which write throughput suffers (${(value / rate!.value).toFixed(1)} s of writes).`;
    } else if (value === versionDefault) {
      reason = `etcd ${version}'s default of ${versionDefault} fits: the retained entries take about ${entryMemory}${memory ? ` of ${formatBytes(memory.value)}` : ''}${rate === undefined ? '' : rate.value > 0 ? ` and cover ${(value / rate.value).toFixed(0)} s of writes at ${formatRate(rate.value)}/s` : ', with no writes seen to cover'}.`;
    } else if (value < versionDefault) {
      reason = `Lowered from etcd ${version}'s default ${versionDefault} so that the raft entries kept in memory (about ${entryMemory}) stay under ${RAFT_LOG_MEMORY_SHARE * 100}% of ${formatBytes(memory!.value)}.`;
    } else {
      reason = `Raised from etcd ${version}'s default ${versionDefault} so that the log covers ${FOLLOWER_CATCHUP_WINDOW_S} s of writes at ${formatRate(rate!.value)}/s and a briefly lagging follower catches up without a whole snapshot.`;
    }
    const { flag, check } = recommend(
      this,
      {
        flag: 'snapshot-count',
        value,
        default: versionDefault,
        unit: 'count',
        basis: [current?.basis, memory?.basis, rate?.basis, `etcd ${version} (${inputs.etcdVersion.basis})`].filter(Boolean).join('; '),
        reason,
        ifIgnored:
          'Too high: etcd holds more raft entries in memory and can run out of it; too low: followers that lag need whole snapshots, which cost disk and network.',
      },
      conflict ? 'warn' : 'info',
    );
    return { flags: [flag], checks: [check] };
  },
};
