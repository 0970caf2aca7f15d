// Recommends --quota-backend-bytes from the data size, bounded by memory (the database is memory-mapped) and by free disk (defrag writes a copy).
import { DEFAULT_QUOTA_BYTES } from '../../etcd/flags.js';
import type { Check } from '../../model/check.js';
import { formatBytes } from '../../util/units.js';
import { currentNumber, isMeasured } from '../inputs.js';
import { recommend, type Rule } from '../rule.js';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** ETCD-FACTS.md "Space and requests": etcd logs "quota exceeds the maximum value" above 8 GiB. */
export const MAX_SUGGESTED_QUOTA_BYTES = 8 * GIB;
/** The quota is this many times the data: room for growth and for the free pages bbolt keeps until a defrag. */
export const DATA_HEADROOM = 2;
/**
 * The database is memory-mapped: once it no longer fits in the page cache every read may hit the disk.
 * The advisor keeps the quota to this share of memory, leaving the rest to etcd's heap and the OS.
 */
export const QUOTA_MEMORY_SHARE = 0.5;
/** ETCD-FACTS.md "Space and requests": recovery from NOSPACE is compact + defrag, and defrag writes a new copy of the database beside the old one. */
export const QUOTA_DISK_SHARE = 0.5;

const roundDown = (bytes: number) => (bytes >= GIB ? Math.floor(bytes / GIB) * GIB : Math.max(64 * MIB, Math.floor(bytes / (64 * MIB)) * 64 * MIB));

export interface QuotaBasis {
  dbSizeBytes?: number;
  memoryBytes?: number;
  diskFreeBytes?: number;
}

export function quotaFor(b: QuotaBasis): { value: number; wanted: number; allowed: number; limitedBy: string | null } {
  const wanted = Math.max(DEFAULT_QUOTA_BYTES, b.dbSizeBytes === undefined ? 0 : Math.ceil((b.dbSizeBytes * DATA_HEADROOM) / GIB) * GIB);
  const caps: [number, string][] = [];
  if (b.memoryBytes !== undefined) caps.push([roundDown(b.memoryBytes * QUOTA_MEMORY_SHARE), `${QUOTA_MEMORY_SHARE * 100}% of memory`]);
  if (b.diskFreeBytes !== undefined) caps.push([roundDown(b.diskFreeBytes * QUOTA_DISK_SHARE), `${QUOTA_DISK_SHARE * 100}% of the free disk`]);
  const tightest = caps.reduce<[number, string] | null>((a, c) => (a === null || c[0] < a[0] ? c : a), null);
  if (tightest === null || tightest[0] >= wanted) return { value: wanted, wanted, allowed: tightest?.[0] ?? Infinity, limitedBy: null };
  return { value: tightest[0], wanted, allowed: tightest[0], limitedBy: tightest[1] };
}

export const quotaBackendBytes: Rule = {
  id: 'advice.quota-backend-bytes',
  section: 'advice',
  title: '--quota-backend-bytes',
  source: 'ETCD-FACTS.md Space and requests: 0 means 2 GiB, suggested maximum 8 GiB, NOSPACE alarm over quota; the database is memory-mapped',
  needs: [],
  uses: ['dbSizeBytes', 'memoryBytes'],
  evaluate({ inputs }) {
    const db = isMeasured(inputs.dbSizeBytes) ? inputs.dbSizeBytes : undefined;
    const memory = isMeasured(inputs.memoryBytes) ? inputs.memoryBytes : undefined;
    const disk = isMeasured(inputs.diskFreeBytes) ? inputs.diskFreeBytes : undefined;
    const basis: QuotaBasis = {};
    if (db) basis.dbSizeBytes = db.value;
    if (memory) basis.memoryBytes = memory.value;
    if (disk) basis.diskFreeBytes = disk.value;
    const sized = quotaFor(basis);
    const { wanted, limitedBy } = sized;
    const warnings: string[] = [];
    // Never below what the members enforce today, nor below the data with its headroom: lowering either invites NOSPACE.
    const current = currentNumber(inputs, 'quota-backend-bytes');
    const currentQuota = current === null ? null : current.value === 0 ? DEFAULT_QUOTA_BYTES : current.value;
    const live = isMeasured(inputs.currentDbSizeBytes) ? inputs.currentDbSizeBytes : undefined;
    const floor = Math.max(currentQuota ?? 0, live ? Math.ceil((live.value * DATA_HEADROOM) / GIB) * GIB : 0);
    const value = Math.max(sized.value, Math.ceil(floor));
    let reason: string;
    if (value > sized.value) {
      const keeps = currentQuota !== null && value === currentQuota;
      reason = keeps
        ? `Kept at the ${formatBytes(currentQuota)} the cluster runs with (${current!.basis}): a lower quota on one member raises NOSPACE for the whole cluster once the data passes it.`
        : `${DATA_HEADROOM}x the ${formatBytes(live!.value)} of data already in the cluster (${live!.basis}), so that it can grow before NOSPACE.`;
      if (limitedBy !== null)
        warnings.push(
          `${limitedBy} would allow only ${formatBytes(sized.value)}: add memory or disk to this node rather than lower the quota below what the cluster holds.`,
        );
    } else if (limitedBy !== null) {
      reason = `The data${db ? ` (${formatBytes(db.value)})` : ''} wants ${formatBytes(wanted)}, but ${limitedBy} allows only ${formatBytes(value)}: the database must fit in the page cache and a defrag needs room for a copy.`;
      if (db && db.value * DATA_HEADROOM > value)
        warnings.push(`${formatBytes(db.value)} of data leaves too little room under a ${formatBytes(value)} quota: add memory or disk, or keep less in etcd.`);
    } else if (currentQuota !== null && value === currentQuota) {
      reason = `The ${formatBytes(currentQuota)} the cluster runs with (${current!.basis}) fits${db ? ` ${formatBytes(db.value)} of data with room to grow` : ''}: no change.`;
    } else if (value === DEFAULT_QUOTA_BYTES) {
      reason = `The ${formatBytes(DEFAULT_QUOTA_BYTES)} default fits${db ? ` ${formatBytes(db.value)} of data with room to grow` : ''}${memory ? ` and ${formatBytes(memory.value)} of memory` : ''}; set explicitly so that the limit is visible.`;
    } else {
      reason = `${DATA_HEADROOM}x the ${formatBytes(db!.value)} of data, rounded up to whole GiB, leaves room to grow before the NOSPACE alarm.`;
    }
    if (value > MAX_SUGGESTED_QUOTA_BYTES)
      warnings.push(
        `${formatBytes(value)} is above the ${formatBytes(MAX_SUGGESTED_QUOTA_BYTES)} etcd suggests: startup, snapshots to new members and defrag all slow down with the size of the database.`,
      );
    const { flag, check } = recommend(
      this,
      {
        flag: 'quota-backend-bytes',
        value,
        default: DEFAULT_QUOTA_BYTES,
        unit: 'bytes',
        basis: [current?.basis, db?.basis, memory?.basis, disk?.basis].filter(Boolean).join('; ') || 'no size measured: the default',
        reason,
        ifIgnored:
          'Over the quota etcd raises a cluster-wide NOSPACE alarm and accepts only reads and deletes until compact, defrag and alarm disarm; a quota above memory makes reads hit the disk.',
      },
      warnings.length > 0 ? 'warn' : 'info',
      [reason, ...warnings].join(' '),
    );
    const checks: Check[] = [check];
    return { flags: [flag], checks };
  },
};
