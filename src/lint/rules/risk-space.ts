// Lint rule spaceLimits: ETCD-FACTS.md "Space and requests": quota above 8 GiB, requests above 10 MiB.
import { WARN_MAX_REQUEST_BYTES } from '../../advisor/rules/advice-max-request-bytes.js';
import { MAX_SUGGESTED_QUOTA_BYTES } from '../../advisor/rules/advice-quota-backend-bytes.js';
import type { Check } from '../../model/check.js';
import { settingCheck } from '../check.js';
import { DEFAULT_MAX_REQUEST_BYTES } from '../../etcd/flags.js';
import { parseGoUint } from '../values.js';
import type { MemberRule } from './common.js';
import { formatBytes } from '../../util/units.js';

/** ETCD-FACTS.md "Space and requests": quota above 8 GiB, requests above 10 MiB. */
export const spaceLimits: MemberRule = {
  id: 'risk.space',
  source: 'ETCD-FACTS.md Space and requests: quota suggested maximum 8 GiB; max-request-bytes above 10 MiB warned by etcd',
  check({ settings }) {
    const out: Check[] = [];
    const quota = settings.get('quota-backend-bytes');
    const q = quota ? parseGoUint(quota.value) : null;
    if (quota && q !== null && q > MAX_SUGGESTED_QUOTA_BYTES)
      out.push(
        settingCheck(
          'warn',
          'risk.quota',
          quota,
          `--quota-backend-bytes=${quota.value} (${formatBytes(q)}) is above the suggested maximum of 8 GiB: etcd logs "quota exceeds the maximum value", and a bigger db makes snapshots, defrags and member recovery slow. Fix: --quota-backend-bytes=${MAX_SUGGESTED_QUOTA_BYTES}, and compact more often.`,
        ),
      );
    const req = settings.get('max-request-bytes');
    const r = req ? parseGoUint(req.value) : null;
    if (req && r !== null && r > WARN_MAX_REQUEST_BYTES)
      out.push(
        settingCheck(
          'warn',
          'risk.max-request-bytes',
          req,
          `--max-request-bytes=${req.value} (${formatBytes(r)}) is above 10 MiB: etcd warns "exceeded recommended request limit"; large requests block the raft log for everyone. Fix: --max-request-bytes=${WARN_MAX_REQUEST_BYTES} at most (default ${DEFAULT_MAX_REQUEST_BYTES}).`,
        ),
      );
    return out;
  },
};
