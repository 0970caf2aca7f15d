// Lint rule initialCluster: ETCD-FACTS.md: --name must appear in --initial-cluster with state new; its URLs must be the advertised peer URLs.
import { lintCheck, settingCheck } from '../check.js';
import { anchor, valueOr } from '../settings.js';
import { parseInitialCluster } from '../values.js';
import type { MemberRule } from './common.js';

/** ETCD-FACTS.md: --name must appear in --initial-cluster with state new; its URLs must be the advertised peer URLs. */
export const initialCluster: MemberRule = {
  id: 'etcd.initial-cluster',
  source: 'ETCD-FACTS.md Flags, environment, versions: --name must appear in --initial-cluster when --initial-cluster-state=new',
  check({ member, settings, version }) {
    const ic = settings.get('initial-cluster');
    if (!ic || settings.get('discovery')?.value || settings.get('discovery-srv')?.value) return [];
    const name = valueOr(settings, 'name', version) ?? 'default';
    const state = valueOr(settings, 'initial-cluster-state', version) ?? 'new';
    const { members, problems } = parseInitialCluster(ic.value);
    if (problems.length > 0) return [];
    if (!members.has(name)) {
      if (state !== 'new') return [];
      return [
        settingCheck(
          'fail',
          this.id,
          ic,
          `--name "${name}" is not in --initial-cluster (${[...members.keys()].join(', ')}): with --initial-cluster-state=new etcd refuses to start ("couldn't find local name in the initial cluster configuration"). Fix: add ${name}=<this member's peer URL> to --initial-cluster, or set --name to one of its names.`,
        ),
      ];
    }
    const adv = valueOr(settings, 'initial-advertise-peer-urls', version) ?? '';
    const listed = [...(members.get(name) ?? [])].map((u) => u.replace(/\/$/, '')).sort();
    const advertised = adv
      .split(',')
      .map((u) => u.trim().replace(/\/$/, ''))
      .filter((u) => u !== '')
      .sort();
    if (listed.join(',') !== advertised.join(',')) {
      const a = anchor(member, settings, 'initial-advertise-peer-urls');
      return [
        lintCheck(
          'fail',
          this.id,
          a.file,
          a.line,
          'initial-advertise-peer-urls',
          `--initial-cluster gives ${name}=${listed.join(',')} but --initial-advertise-peer-urls is ${advertised.join(',') || '(default http://localhost:2380)'}: etcd refuses to start ("--initial-cluster has ... but missing from --initial-advertise-peer-urls"). Fix: make them the same URLs.`,
        ),
      ];
    }
    return [];
  },
};
