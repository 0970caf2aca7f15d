// Judges the member count: an even count tolerates no more failures than one member fewer, and more than seven slows every write.
import { isMeasured } from '../inputs.js';
import { checkFields, type Rule } from '../rule.js';

/** etcd docs faq (3.4, /usr/share/doc/etcd-server/faq.md.gz): "probably should have no more than seven nodes". */
export const MAX_SUGGESTED_MEMBERS = 7;

/** Members that may fail without losing quorum: n - (floor(n/2) + 1) (etcd docs faq, "Why an odd number of cluster members?"). */
export const failureTolerance = (members: number): number => members - (Math.floor(members / 2) + 1);

export const memberCount: Rule = {
  id: 'advice.members',
  section: 'advice',
  title: 'Number of members',
  source: 'etcd docs faq: quorum is (n/2)+1; odd sizes; no more than seven members',
  needs: ['members'],
  evaluate({ inputs }) {
    if (!isMeasured(inputs.members)) return { checks: [] };
    const n = inputs.members.value;
    const base = { ...checkFields(this), value: n, threshold: `odd, <= ${MAX_SUGGESTED_MEMBERS}` };
    const tolerance = `${n} members tolerate ${failureTolerance(n)} failed member${failureTolerance(n) === 1 ? '' : 's'}`;
    if (n > MAX_SUGGESTED_MEMBERS)
      return {
        checks: [
          {
            ...base,
            status: 'warn',
            message: `${tolerance}, but every write waits for a majority of ${n}: etcd suggests no more than ${MAX_SUGGESTED_MEMBERS} (5 tolerate 2 failures). (${inputs.members.basis})`,
          },
        ],
      };
    if (n % 2 === 0)
      return {
        checks: [
          {
            ...base,
            status: 'warn',
            message: `${tolerance}, no more than ${n - 1} would: the extra member adds a machine that can fail and a vote to wait for, not fault tolerance. Use ${n - 1} or ${n + 1}. (${inputs.members.basis})`,
          },
        ],
      };
    return {
      checks: [
        {
          ...base,
          status: n === 1 ? 'warn' : 'pass',
          message: n === 1 ? 'One member tolerates no failure: use 3 or 5 for production.' : `${tolerance}. (${inputs.members.basis})`,
        },
      ],
    };
  },
};
