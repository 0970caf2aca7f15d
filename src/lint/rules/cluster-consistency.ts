// Lint rule clusterConsistency: members given together must agree: same timing, same initial cluster and token, different names.
import type { Check } from '../../model/check.js';
import { lintCheck, settingCheck } from '../check.js';
import { anchor, valueOr } from '../settings.js';
import type { MemberContext, ClusterRule } from './common.js';

/** Members given together must agree: same timing, same initial cluster and token, different names. */
export const clusterConsistency: ClusterRule = {
  id: 'cluster.consistency',
  source:
    'ETCD-FACTS.md Heartbeat and election: all members must use the same heartbeat and election values; etcd docs op-guide/clustering (same --initial-cluster and token on every member)',
  check(members) {
    if (members.length < 2) return [];
    const out: Check[] = [];
    for (const flag of ['heartbeat-interval', 'election-timeout']) {
      const byValue = new Map<string, MemberContext[]>();
      for (const m of members) {
        const v = valueOr(m.settings, flag, m.version) ?? '';
        byValue.set(v, [...(byValue.get(v) ?? []), m]);
      }
      if (byValue.size < 2) continue;
      const summary = [...byValue].map(([v, ms]) => `${v} in ${ms.map((m) => m.member.file).join(', ')}`).join('; ');
      for (const m of members) {
        const a = anchor(m.member, m.settings, flag);
        out.push(
          lintCheck(
            'warn',
            'cluster.timing-differs',
            a.file,
            a.line,
            flag,
            `The members disagree on --${flag} (${summary}): members with different timing elect badly (a short-timeout member keeps calling elections). Fix: the same --${flag} on every member.`,
          ),
        );
      }
    }
    const norm = (v: string | undefined) =>
      (v ?? '')
        .split(',')
        .map((p) => p.trim().replace(/\/$/, ''))
        .filter((p) => p !== '')
        .sort()
        .join(',');
    const newMembers = members.filter((m) => (valueOr(m.settings, 'initial-cluster-state', m.version) ?? 'new') === 'new' && m.settings.has('initial-cluster'));
    if (new Set(newMembers.map((m) => norm(m.settings.get('initial-cluster')?.value))).size > 1) {
      for (const m of newMembers) {
        const s = m.settings.get('initial-cluster')!;
        out.push(
          settingCheck(
            'fail',
            'cluster.initial-cluster-differs',
            s,
            `--initial-cluster differs between the members given (${newMembers.map((x) => `${x.member.file}: ${norm(x.settings.get('initial-cluster')?.value)}`).join(' | ')}): bootstrapping members must list the same cluster, or they refuse each other ("member count is unequal" / "has already been bootstrapped"). Fix: copy one --initial-cluster to every member.`,
          ),
        );
      }
    }
    const tokens = members.map((m) => valueOr(m.settings, 'initial-cluster-token', m.version) ?? '');
    if (new Set(tokens).size > 1) {
      for (const m of members) {
        const a = anchor(m.member, m.settings, 'initial-cluster-token');
        out.push(
          lintCheck(
            'fail',
            'cluster.token-differs',
            a.file,
            a.line,
            'initial-cluster-token',
            `--initial-cluster-token is "${valueOr(m.settings, 'initial-cluster-token', m.version)}" here but differs on other members (${[...new Set(tokens)].join(', ')}): members with different tokens form different clusters. Fix: one token for the whole cluster.`,
          ),
        );
      }
    }
    const byName = new Map<string, MemberContext[]>();
    for (const m of members) {
      const n = valueOr(m.settings, 'name', m.version) ?? 'default';
      byName.set(n, [...(byName.get(n) ?? []), m]);
    }
    for (const [n, ms] of byName) {
      if (ms.length < 2) continue;
      for (const m of ms) {
        const a = anchor(m.member, m.settings, 'name');
        out.push(
          lintCheck(
            'fail',
            'cluster.duplicate-name',
            a.file,
            a.line,
            'name',
            `--name "${n}" is used by ${ms.map((x) => x.member.file).join(' and ')}: each member needs its own name, as listed in --initial-cluster. Fix: give each member a distinct --name.`,
          ),
        );
      }
    }
    return out;
  },
};
