// The schema of report.json (zod): what every reader of a saved run checks before the advisor or a renderer sees it, so that a crafted or truncated file is one usage error, never a crash or an injected line.
import { z } from 'zod';
import { SUPPORTED_VERSIONS } from '../etcd/flags.js';

/** Measurements, counts and sizes: a report holds no negative or non-finite number (JSON's 1e309 parses as Infinity). */
export const num = z.number().finite().nonnegative();
export const str = z.string();
export const stats = z.record(num);

/** A probe's outcome as the pipeline writes it; the data is checked by the artifact's own schema. */
export function probe<T extends z.ZodTypeAny>(data: T) {
  return z.union([z.object({ ok: z.literal(true), data }).passthrough(), z.object({ ok: z.literal(false), error: str, kind: str.optional() }).passthrough()]);
}

// Objects pass keys they do not know through: a report from a newer build of the same schema version still reads.
const host = z
  .object({
    hostname: str,
    platform: str,
    arch: str,
    kernel: str,
    cpuModel: str,
    cpus: num,
    memoryBytes: num,
    nodeVersion: str,
    etcdVersion: str.nullable(),
    fioVersion: str.nullable(),
  })
  .passthrough();

const filesystem = z.object({ path: str, mountPoint: str, type: str, device: str, options: z.array(str), freeBytes: num, totalBytes: num }).passthrough();

const fio = z
  .object({
    version: str.nullable(),
    jobName: str,
    jobs: num,
    writeIops: num,
    bandwidthBytesPerSec: num,
    totalWriteIos: num,
    runtimeMs: num,
    clatUs: stats,
    syncUs: stats.nullable(),
  })
  .passthrough();

export const disk = z.object({ dir: str, profile: str, command: z.array(str), filesystem: filesystem.nullable(), fio }).passthrough();

const peer = z
  .object({
    host: str,
    address: str.optional(),
    port: num.optional(),
    url: str.optional(),
    method: z.enum(['icmp', 'tcp', 'http']),
    loopback: z.boolean(),
    sent: num,
    received: num,
    lossPct: num.max(100),
    rttMs: stats,
    samplesMs: z.array(num),
    samples: z.array(z.object({ tMs: num, rttMs: num.nullable() }).passthrough()),
    longestGapMs: num,
    intervalMs: num.optional(),
    error: str.optional(),
    errorKind: str.optional(),
    note: str.optional(),
  })
  .passthrough()
  .refine((p) => p.received <= p.sent, { message: 'received is more than sent' });

export const network = z.object({ peers: z.array(peer), quantileMethod: str }).passthrough();

export const phase = z
  .object({
    name: str,
    model: z.enum(['closed', 'open']),
    clients: num,
    conns: num,
    targetRatePerSec: num.nullable(),
    requests: num,
    errors: num,
    errorsByKind: z.record(num),
    durationSec: num,
    ratePerSec: num,
    latencyUs: stats,
    latencyByOpUs: z.record(stats),
    rateSeries: z.array(num),
    clientCpuPct: num,
    threads: num.optional(),
    // As written ("p99 < 25ms"), or as reports before the advisor judged load wrote them.
    thresholds: z.array(z.union([str, z.object({ expr: str, ok: z.boolean().optional(), actual: str.optional() }).passthrough()])),
    clientLimited: z.boolean().optional(),
  })
  .passthrough();

export const load = z
  .object({ endpoints: z.array(str), embedded: z.boolean(), client: str, scenario: str, prefix: str, etcdVersion: str.nullable(), phases: z.array(phase) })
  .passthrough();

const memberStatus = z
  .object({
    memberId: str,
    memberIdHex: str,
    clusterId: str,
    version: str,
    leaderId: str,
    revision: num,
    raftTerm: num,
    raftIndex: num,
    raftAppliedIndex: num.nullable(),
    dbSizeBytes: num,
    dbSizeInUseBytes: num.nullable(),
    quotaBytes: num.nullable(),
    isLearner: z.boolean(),
    errors: z.array(str),
  })
  .passthrough();

const cluster = z
  .object({
    source: str,
    readAt: str,
    endpoints: z.array(z.object({ endpoint: str, status: memberStatus.nullable(), error: str.optional() }).passthrough()),
    members: z
      .array(z.object({ id: str, idHex: str, name: str, peerUrls: z.array(str), clientUrls: z.array(str), isLearner: z.boolean() }).passthrough())
      .nullable(),
    alarms: z.array(z.object({ memberId: str, memberIdHex: str, alarm: str }).passthrough()).nullable(),
  })
  .passthrough();

/** A histogram over a window (model/observation.ts); its quantiles are null without observations; p999Ms came later. */
const histogram = z
  .object({ count: num, meanMs: num.nullable(), p50Ms: num.nullable(), p99Ms: num.nullable(), p999Ms: num.nullable().optional(), p99AtLeast: z.boolean() })
  .passthrough();
const nullableCount = num.nullable();

/** A member's figures over a window (MemberWindowFigures): the cluster run's per-phase deltas and observe's window alike. */
const windowFigures = z
  .object({
    seconds: num,
    walFsync: histogram.nullable(),
    backendCommit: histogram.nullable(),
    apply: histogram.nullable(),
    requests: histogram.nullable(),
    peerRtt: z.array(histogram.extend({ toId: str })),
    leaderChanges: nullableCount,
    heartbeatSendFailures: nullableCount,
    // Added with observe: the cluster run's deltas recorded before it have neither.
    proposalsCommitted: nullableCount.optional(),
    proposalsFailed: nullableCount,
    slowApplies: nullableCount,
    slowReadIndexes: nullableCount,
    peerSentFailures: nullableCount,
    peerSentFailuresTo: z.record(num).optional(),
  })
  .passthrough();

/** One member's /metrics over one phase (MemberMetricsDelta): run's etcdMetrics artifact and every round of a cluster run. */
export const metricsDelta = z
  .object({ member: str, phase: str, window: windowFigures.nullable(), peerNames: z.record(str).optional(), error: str.optional() })
  .passthrough();

const gauges = z
  .object({
    proposalsPending: nullableCount,
    dbSizeBytes: nullableCount,
    dbSizeInUseBytes: nullableCount,
    quotaBytes: nullableCount,
    residentMemoryBytes: nullableCount,
    openFds: nullableCount,
    maxFds: nullableCount,
    isLeader: z.boolean().nullable(),
    hasLeader: z.boolean().nullable(),
  })
  .passthrough();

const observedMember = z
  .object({
    endpoint: str,
    metricsUrl: str,
    memberId: str.nullable(),
    version: str.nullable(),
    scrapes: num,
    failedScrapes: num,
    // observe's rules read both: a window of its own always has them.
    figures: windowFigures.required({ proposalsCommitted: true, peerSentFailuresTo: true }).nullable(),
    first: gauges.nullable(),
    last: gauges.nullable(),
    firstAt: str.nullable(),
    lastAt: str.nullable(),
    series: z.array(
      z
        .object({
          tSec: num,
          walFsyncP99Ms: num.nullable(),
          backendCommitP99Ms: num.nullable(),
          peerRttP99Ms: z.record(num),
          leaderChanges: nullableCount,
          heartbeatSendFailures: nullableCount,
          dbSizeBytes: nullableCount,
        })
        .passthrough(),
    ),
    outages: z.array(z.object({ lastSeenAt: str.nullable(), from: str, backAt: str.nullable(), error: str }).passthrough()),
  })
  .passthrough();

/** What `observe` saw (model/observation.ts): `advise --from` and `report --from` judge and draw it again. */
export const observation = z
  .object({
    startedAt: str,
    endedAt: str,
    requestedSec: num,
    durationSec: num,
    intervalSec: num,
    endedEarly: str.optional(),
    members: z.array(observedMember),
    quantileMethod: str,
  })
  .passthrough();

export const check = z
  .object({
    id: str,
    section: str,
    title: str,
    status: z.enum(['pass', 'warn', 'fail', 'info', 'error']),
    message: str,
    value: z.union([num, str]).optional(),
    unit: str.optional(),
    threshold: str.optional(),
    source: str.optional(),
    flag: str.optional(),
  })
  .passthrough();

/**
 * What goes into etcd.conf and etcd.service from a report: an etcd flag name, and a value that is a number or one
 * word (a URL list, a path, a duration, an enum). A newline, NUL, quote, "$" or "%" is refused here, so that
 * `report --from` re-validates what it renders instead of trusting the JSON (issue 16 item 2).
 */
export const FLAG_NAME = /^[a-z][a-z0-9-]*$/;
export const SAFE_WORD = /^[A-Za-z0-9_.,:/=@+-]+$/;
/** A unit setting's key ([Service] section names) and value (best-effort, 0, 40000). */
export const UNIT_KEY = /^[A-Z][A-Za-z]+$/;

/** etcd.conf quotes what it must, but nothing can quote a line break: a flag value holds no control character. */
// eslint-disable-next-line no-control-regex
const flagValue = z.union([num, z.string().regex(/^[^\x00-\x1f\x7f]*$/, 'must not hold a newline or other control character')]);

const flag = z
  .object({
    flag: z.string().regex(FLAG_NAME, 'must be an etcd flag name (lower-case letters, digits and "-")'),
    value: flagValue,
    default: z.union([num, str]).nullable(),
    unit: str,
    basis: str,
    rule: str,
    reason: str,
    ifIgnored: str,
    source: str,
  })
  .passthrough();

/** The upgrade section (advice.upgrade): renderers show its text, so it is checked like every other text of the report. */
const release = z.enum(SUPPORTED_VERSIONS);
const upgrade = z
  .object({
    from: release,
    to: release,
    running: str,
    target: str,
    steps: z.array(
      z
        .object({
          from: release,
          to: release,
          changes: z.array(
            z
              .object({
                from: release,
                at: release,
                flag: z.string().regex(FLAG_NAME, 'must be an etcd flag name (lower-case letters, digits and "-")'),
                kind: z.enum(['removed', 'deprecated', 'value-removed', 'value-deprecated', 'default-changed']),
                impact: z.enum(['breaks', 'ignored', 'deprecated', 'default']),
                message: str,
                where: str.optional(),
              })
              .passthrough(),
          ),
        })
        .passthrough(),
    ),
  })
  .passthrough();

const unitSetting = z
  .object({
    key: z.string().regex(UNIT_KEY, 'must be a systemd [Service] setting name'),
    value: z.string().regex(SAFE_WORD, 'must be one word of letters, digits and .,:/=@+-_ (no space, newline, quote, "$" or "%")'),
    reason: str,
    source: str,
  })
  .passthrough();

/** The run of a node report and of a cluster report (model/cluster-report-schema.ts). */
export const runInfo = z
  .object({
    id: z.string().regex(/^[\w.-]+$/, 'must be a run id'),
    argv: z.array(str),
    startedAt: str,
    finishedAt: str,
    durationSec: num,
    quick: z.boolean(),
    embeddedEtcd: z.boolean(),
    scenario: str,
    notes: z.array(str),
  })
  .passthrough();

export const advice = z
  .object({
    etcdVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'must be an etcd version like 3.5'),
    flags: z.array(flag),
    unitSettings: z.array(unitSetting),
    upgrade: upgrade.optional(),
  })
  .passthrough();

export const REPORT_SCHEMA = z
  .object({
    schemaVersion: z.literal(1),
    tool: z.object({ name: z.literal('etcd-advisor'), version: str }).passthrough(),
    generatedAt: str,
    run: runInfo,
    artifacts: z
      .object({
        host: probe(host),
        disk: probe(disk).optional(),
        network: probe(network).optional(),
        load: probe(load).optional(),
        cluster: probe(cluster).optional(),
        observation: probe(observation).optional(),
        etcdMetrics: probe(z.array(metricsDelta)).optional(),
      })
      .passthrough(),
    checks: z.array(check),
    advice,
    verdict: z.enum(['qualified', 'not-qualified', 'incomplete']),
  })
  .passthrough();
