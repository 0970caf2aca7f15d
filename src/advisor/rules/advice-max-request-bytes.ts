// Recommends --max-request-bytes: the default unless the clients send larger requests; warns above 10 MiB or near the quota.
import { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_QUOTA_BYTES, defaultOf } from '../../etcd/flags.js';
import { formatBytes } from '../../util/units.js';
import { currentNumber, isMeasured } from '../inputs.js';
import { recommend, type Rule } from '../rule.js';

const MIB = 2 ** 20;

/** ETCD-FACTS.md "Space and requests": above 10 MiB etcd warns "exceeded recommended request limit". */
export const WARN_MAX_REQUEST_BYTES = 10 * MIB;
/** A request above this share of the quota means a handful of writes fill the database. */
export const NEAR_QUOTA_SHARE = 0.1;
/** Room for the key, the gRPC framing and the raft entry around the largest value. */
export const REQUEST_OVERHEAD_BYTES = 64 * 1024;

export function maxRequestFor(largestRequestBytes: number | undefined): number {
  if (largestRequestBytes === undefined || largestRequestBytes + REQUEST_OVERHEAD_BYTES <= DEFAULT_MAX_REQUEST_BYTES) return DEFAULT_MAX_REQUEST_BYTES;
  return Math.ceil((largestRequestBytes + REQUEST_OVERHEAD_BYTES) / MIB) * MIB;
}

export const maxRequestBytes: Rule = {
  id: 'advice.max-request-bytes',
  section: 'advice',
  title: '--max-request-bytes',
  source: 'ETCD-FACTS.md Space and requests: default 1.5 MiB; etcd warns above 10 MiB',
  needs: [],
  uses: ['largestRequestBytes'],
  evaluate({ inputs, flags }) {
    const largest = isMeasured(inputs.largestRequestBytes) ? inputs.largestRequestBytes : undefined;
    const sized = maxRequestFor(largest?.value);
    const current = currentNumber(inputs, 'max-request-bytes');
    // The clients may already send what the cluster accepts today: lowering the limit makes those requests fail.
    const value = current !== null && current.value > sized ? current.value : sized;
    const quota = Number(flags.get('quota-backend-bytes')?.value ?? DEFAULT_QUOTA_BYTES);
    const warnings: string[] = [];
    if (value > WARN_MAX_REQUEST_BYTES)
      warnings.push(
        `${formatBytes(value)} is above the ${formatBytes(WARN_MAX_REQUEST_BYTES)} etcd recommends: large requests block the raft log and slow every other request; split the values or keep them outside etcd.`,
      );
    if (value > quota * NEAR_QUOTA_SHARE)
      warnings.push(`${formatBytes(value)} is more than ${NEAR_QUOTA_SHARE * 100}% of the ${formatBytes(quota)} quota: a few such writes fill the database.`);
    const reason =
      value !== sized
        ? `Kept at the ${formatBytes(value)} the cluster accepts today (${current!.basis}): lowering it to ${formatBytes(sized)} would make every put or txn between ${formatBytes(sized)} and ${formatBytes(value)} fail with "etcdserver: request is too large". Lower it only once no client sends requests that large.`
        : largest
          ? value === DEFAULT_MAX_REQUEST_BYTES
            ? `The largest request (${formatBytes(largest.value)}) fits under the ${formatBytes(DEFAULT_MAX_REQUEST_BYTES)} default.`
            : `Raised to take the largest request (${formatBytes(largest.value)}) plus ${formatBytes(REQUEST_OVERHEAD_BYTES)} of key and framing, rounded up to whole MiB.`
          : `The ${formatBytes(DEFAULT_MAX_REQUEST_BYTES)} default: raise it only for clients known to send larger requests (--largest-request).`;
    const { flag, check } = recommend(
      this,
      {
        flag: 'max-request-bytes',
        value,
        default: defaultOf('max-request-bytes', inputs.etcdVersion.value) as number,
        unit: 'bytes',
        basis: [current?.basis, largest?.basis].filter(Boolean).join('; ') || 'no request size given',
        reason,
        ifIgnored:
          'Too low: larger puts fail with "request is too large"; too high: one large request delays every heartbeat and write behind it in the raft log.',
      },
      warnings.length > 0 ? 'warn' : 'info',
      [reason, ...warnings].join(' '),
    );
    return { flags: [flag], checks: [check] };
  },
};
