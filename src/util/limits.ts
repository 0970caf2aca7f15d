// The range of every number the operator gives (flags and scenario fields): each bound says why, and each error prints it, so that no value reaches a loop or an allocation unbounded.
import type { Range } from './units.js';

const KIB = 2 ** 10;
const MIB = 2 ** 20;
const GIB = 2 ** 30;
const TIB = 2 ** 40;

export const LIMITS = {
  /** Load clients: the bench's largest run is 2000 (about 200 MB of client memory); ten times etcdctl check perf xl (1000 clients, ETCD-FACTS.md "etcdctl check perf"). */
  clients: { min: 1, max: 10_000 },
  /** HTTP/2 connections: etcd's default --max-concurrent-streams lets one carry thousands of clients. */
  conns: { min: 1, max: 1_000 },
  /** Worker threads: more than the cores of a large client host only adds contention. */
  threads: { min: 1, max: 64 },
  /** Target requests per second: far above what one etcd member takes (tens of thousands of writes per second). */
  rate: { min: 1, max: 1_000_000 },
  /** Requests of one phase: a 10 M put run writes about 12 GiB of 1 KiB values into etcd. */
  total: { min: 1, max: 10_000_000 },
  /** Distinct keys a phase writes. */
  keySpace: { min: 1, max: 10_000_000 },
  /** Key bytes: etcd keys are paths; far above what Kubernetes writes (about 100 B). */
  keySize: { min: 1, max: 64 * KIB },
  /** Value bytes: etcd warns above a 10 MiB request (ETCD-FACTS.md "Space and requests"). */
  valueSize: { min: 1, max: 10 * MIB },
  /** Weight of one op in a mix. */
  opWeight: { min: 0, max: 1_000_000 },
  /** Keys one range reads (a page of a Kubernetes list is 500). */
  rangeLimit: { min: 1, max: 100_000 },
  /** Phase length in ms: 100 ms to a day. */
  phaseMs: { min: 100, max: 86_400_000 },
  /** Deadline of one call in ms: 1 ms to 10 minutes (etcd's own request timeout is 7 s). */
  callTimeoutMs: { min: 1, max: 600_000 },
  /** run --cluster --wait in ms: a second up to an hour for every member of a cluster to start its run. */
  clusterWaitMs: { min: 1_000, max: 3_600_000 },
  /** Database growth a load may cause before it stops: up to etcd's suggested largest quota, 8 GiB. */
  maxDbGrowth: { min: MIB, max: 8 * GIB },
  /** Members of a cluster: etcd suggests at most 7; beyond 15 raft itself is the bottleneck. */
  members: { min: 1, max: 15 },
  /** Memory of a member: etcd needs at least a few hundred MiB; 64 TiB is past any server. */
  memory: { min: 64 * MIB, max: 64 * TIB },
  /** Database, free disk and quota sizes: 0 up to 64 TiB. */
  storage: { min: 0, max: 64 * TIB },
  /** The largest request a client sends: 1 byte up to 2 GiB, past the largest --max-request-bytes etcd takes. */
  request: { min: 1, max: 2 * GIB },
  /** What-if latencies and RTTs in ms: 0 up to an hour (a real network is well below). */
  latencyMs: { min: 0, max: 3_600_000 },
  /** What-if write rate per second. */
  writeRate: { min: 0.001, max: 10_000_000 },
  /** fio numjobs of a disk profile: one job per core of a large host; each job writes its own file. */
  fioJobs: { min: 1, max: 256 },
  /** fio iodepth: far above what an NVMe queue takes (etcd's WAL writes at depth 1). */
  fioDepth: { min: 1, max: 4_096 },
  /** fio runtime and ramp_time in seconds: up to a day. */
  fioSeconds: { min: 1, max: 86_400 },
  /** fio fdatasync/fsync: a sync after every N writes (etcd's profile: 1). */
  fioSyncEvery: { min: 1, max: 1_000_000 },
  /** fio bs: one byte up to 64 MiB per write (etcd's WAL writes about 2300 B). */
  fioBlock: { min: 1, max: 64 * MIB },
  /** fio size, per job: up to 64 GiB, past which a profile fills the disk it is meant to measure. */
  fioFile: { min: 1, max: 64 * GIB },
  /** --quota-backend-bytes as given to status: 0 (etcd's 2 GiB default) up to 64 TiB. */
  quotaBytes: { min: 0, max: 64 * TIB },
} as const satisfies Record<string, Range>;
