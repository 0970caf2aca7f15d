// Judges the members' etcd releases: one release everywhere passes; a rolling upgrade left half done, or releases too far apart, does not.
import { minorOf } from '../../etcd/flags.js';
import { checkFields, type Rule } from '../rule.js';
import { readable, type AnsweredReading } from './cluster-common.js';

/**
 * docs upgrades/upgrade_3_5 and upgrade_3_6: a cluster upgrades one minor release at a time, member by member, and runs the
 * lowest member's protocol until every member is upgraded; ETCD-FACTS.md "Versions": 3.5 members must be on 3.5.32+ before 3.6.
 */
export const MAX_MINOR_SPREAD = 1;

const minorNumber = (version: string): number => Number((minorOf(version) ?? '0.0').split('.')[1]);

function byVersion(ok: readonly AnsweredReading[]): Map<string, AnsweredReading[]> {
  const groups = new Map<string, AnsweredReading[]>();
  for (const r of ok) groups.set(r.status.version, [...(groups.get(r.status.version) ?? []), r]);
  return groups;
}

export const clusterVersions: Rule = {
  id: 'cluster.versions',
  section: 'cluster',
  title: 'Members run the same etcd release',
  source: "etcd docs upgrades/upgrade_3_5, upgrade_3_6 (mixed versions run the lowest version's protocol; one minor at a time); ETCD-FACTS.md Versions",
  needs: [],
  evaluate({ artifacts }) {
    const read = readable(artifacts);
    if (read === null) return { checks: [] };
    const base = checkFields(this);
    const groups = byVersion(read.ok);
    const versions = [...groups.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const where = versions
      .map(
        (v) =>
          `${v} on ${groups
            .get(v)!
            .map((r) => r.endpoint)
            .join(', ')}`,
      )
      .join('; ');
    if (versions.length === 1)
      return {
        checks: [
          {
            ...base,
            status: 'pass',
            message: `${read.ok.length === 1 ? 'The member runs' : `All ${read.ok.length} answering members run`} etcd ${versions[0]}.`,
          },
        ],
      };
    const minors = [...new Set(versions.map((v) => minorOf(v) ?? v))];
    const lowest = versions[0]!;
    if (minors.length === 1) {
      return {
        checks: [
          {
            ...base,
            status: 'warn',
            message: `Members run different ${minors[0]} patch releases (${where}). Patch releases interoperate, but finish the rolling upgrade to ${versions[versions.length - 1]} one member at a time, so that every member has the same fixes.`,
          },
        ],
      };
    }
    const spread = minorNumber(versions[versions.length - 1]!) - minorNumber(lowest);
    if (spread > MAX_MINOR_SPREAD) {
      return {
        checks: [
          {
            ...base,
            status: 'fail',
            message: `Members run etcd releases more than one minor apart (${where}). etcd upgrades one minor release at a time: bring every member to ${minors[0]}'s successor first, then go on.`,
          },
        ],
      };
    }
    return {
      checks: [
        {
          ...base,
          status: 'warn',
          message: `The cluster is mid-upgrade: ${where}. Until every member runs ${minors[minors.length - 1]}, the cluster speaks ${minorOf(lowest)}'s protocol and ${minors[minors.length - 1]}'s features stay off; a mixed cluster is meant for the length of a rolling upgrade, not to stay. Upgrade the remaining members one at a time (the leader last), checking health between each.`,
        },
      ],
    };
  },
};
