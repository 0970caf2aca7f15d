// Judges active alarms (NOSPACE, CORRUPT) and gives the recovery steps in order, as etcdctl command lines.
import type { Check } from '../../model/check.js';
import { checkFields, type Rule } from '../rule.js';
import type { ClusterArtifact } from '../../model/artifacts.js';
import { answered, clusterOf, defragCommands, etcdctl, type AnsweredReading } from './cluster-common.js';

/** ETCD-FACTS.md Space and requests: over quota only reads and deletes pass; recovery = compact, defrag, alarm disarm (docs op-guide/maintenance). */
export function nospaceSteps(cluster: Pick<ClusterArtifact, 'connection'>, readings: readonly AnsweredReading[]): string[] {
  const revision = Math.max(...readings.map((r) => r.status.revision));
  const all = readings.map((r) => r.endpoint);
  return [
    `Delete keys you no longer need, or raise --quota-backend-bytes (at most 8 GiB) on every member, if the data must stay.`,
    `${etcdctl(cluster, ['compact', String(revision)], all)}   (the revision when read; after deleting keys, run status again for the new one)`,
    ...defragCommands(cluster, readings).map((c) => `${c}   (one at a time, the leader last)`),
    etcdctl(cluster, ['alarm', 'disarm'], all),
    `${etcdctl(cluster, ['endpoint', 'status', '-w', 'table'], all)}   (check db sizes and that ERRORS is empty)`,
  ];
}

export function corruptSteps(cluster: Pick<ClusterArtifact, 'connection'>, memberHex: string): string[] {
  return [
    `Stop etcd on member ${memberHex} and keep its data directory for analysis (move it aside).`,
    `${etcdctl(cluster, ['member', 'remove', memberHex])}, then ${etcdctl(cluster, ['member', 'add', '<name>', '--peer-urls=<its peer URL>'])}.`,
    `Start it again with an empty data directory and --initial-cluster-state existing: it receives a snapshot from the leader.`,
    `${etcdctl(cluster, ['alarm', 'disarm'])} once every member reports the same hash (${etcdctl(cluster, ['endpoint', 'hashkv', '--cluster'])}).`,
  ];
}

export const clusterAlarms: Rule = {
  id: 'cluster.alarms',
  section: 'cluster',
  title: 'Active alarms',
  source: 'ETCD-FACTS.md Space and requests (NOSPACE recovery: compact, defrag, alarm disarm); etcd docs op-guide/maintenance',
  needs: [],
  artifacts: ['cluster'],
  evaluate({ artifacts }) {
    const cluster = clusterOf(artifacts);
    if (cluster === undefined) return { checks: [] };
    const ok = answered(cluster);
    const base = checkFields(this);
    if (cluster.alarms === null)
      return {
        checks: ok.length === 0 ? [] : [{ ...base, status: 'error', message: `The alarms could not be read: ${cluster.alarmsError ?? 'unknown reason'}` }],
      };
    if (cluster.alarms.length === 0) return { checks: [{ ...base, status: 'pass', message: 'No alarm is active.' }] };
    const checks: Check[] = [];
    const nospace = cluster.alarms.filter((a) => a.alarm === 'NOSPACE');
    if (nospace.length > 0) {
      const steps = nospaceSteps(cluster, ok);
      checks.push({
        ...base,
        title: `${this.title}: NOSPACE`,
        status: 'fail',
        flag: 'quota-backend-bytes',
        value: 'NOSPACE',
        message: `NOSPACE is raised (by ${nospace.map((a) => a.memberIdHex).join(', ')}): the cluster accepts only reads and deletes until the space is freed and the alarm disarmed. Steps: ${steps.map((s, i) => `${i + 1}. ${s}`).join(' ')}`,
      });
    }
    for (const a of cluster.alarms.filter((x) => x.alarm === 'CORRUPT')) {
      checks.push({
        ...base,
        title: `${this.title}: CORRUPT`,
        status: 'fail',
        value: 'CORRUPT',
        message: `CORRUPT is raised for member ${a.memberIdHex}: its data differs from the others'. Steps: ${corruptSteps(cluster, a.memberIdHex)
          .map((s, i) => `${i + 1}. ${s}`)
          .join(' ')}`,
      });
    }
    for (const a of cluster.alarms.filter((x) => x.alarm !== 'NOSPACE' && x.alarm !== 'CORRUPT')) {
      checks.push({
        ...base,
        title: `${this.title}: ${a.alarm}`,
        status: 'warn',
        value: a.alarm,
        message: `Alarm ${a.alarm} is raised for member ${a.memberIdHex}; read the member's log, then ${etcdctl(cluster, ['alarm', 'disarm'])}.`,
      });
    }
    return { checks };
  },
};
