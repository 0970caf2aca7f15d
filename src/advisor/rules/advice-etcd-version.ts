// Names the etcd release the run measured with and the one the advice is for, and warns when they are not the same release.
import { minorOf } from '../../etcd/flags.js';
import type { Artifacts } from '../../model/artifacts.js';
import { checkFields, type Rule } from '../rule.js';

/** The etcd that answered the run's load (the throwaway member or the operator's endpoints), else the one the run would start. */
export function measuredEtcd(artifacts: Artifacts): { version: string; where: string } | null {
  if (artifacts.load?.ok && artifacts.load.data.etcdVersion) {
    const l = artifacts.load.data;
    return {
      version: l.etcdVersion!,
      where: l.embedded ? 'the throwaway member the load ran against' : `the endpoints the load ran against (${l.endpoints.join(', ')})`,
    };
  }
  const host = artifacts.host.ok ? artifacts.host.data : null;
  if (host?.etcdVersion) return { version: host.etcdVersion, where: host.etcdBinary ? host.etcdBinary : 'etcd on PATH' };
  return null;
}

export const etcdVersion: Rule = {
  id: 'advice.etcd-version',
  section: 'advice',
  title: 'etcd release measured and advised for',
  source: 'ETCD-FACTS.md Versions: defaults and flags differ between 3.4, 3.5 and 3.6 (snapshot-count, logger, v2, --experimental-*)',
  needs: [],
  evaluate({ inputs, artifacts }) {
    const advised = inputs.etcdVersion;
    const ran = measuredEtcd(artifacts);
    if (ran === null)
      return {
        checks: [
          {
            ...checkFields(this),
            status: 'info',
            value: `for ${advised.value}`,
            message: `Advice for etcd ${advised.value} (${advised.basis}); no etcd ran in this run.`,
          },
        ],
      };
    // The terminal table shows the value column only: both releases belong there, not only in the message.
    const value = `${ran.version} -> ${advised.value}`;
    if (minorOf(ran.version) === advised.value) {
      return {
        checks: [
          {
            ...checkFields(this),
            status: 'info',
            value,
            message: `Measured with etcd ${ran.version} (${ran.where}); the advice is for etcd ${advised.value}.`,
          },
        ],
      };
    }
    return {
      checks: [
        {
          ...checkFields(this),
          status: 'warn',
          value,
          message:
            `Measured with etcd ${ran.version} (${ran.where}), but the advice is for etcd ${advised.value} (${advised.basis}): the load figures are ${ran.version}'s, ` +
            `and the flags and defaults are ${advised.value}'s. To measure the release that will run, rerun with --etcd-binary naming an etcd ${advised.value} binary.`,
        },
      ],
    };
  },
};
