// Lint rule flagEnvConflict: ETCD-FACTS.md "Flags, environment, versions": a flag and its ETCD_ variable together is fatal.
import type { Check } from '../../model/check.js';
import { settingCheck } from '../check.js';
import { type Setting } from '../settings.js';
import { where } from './common.js';
import type { MemberRule } from './common.js';

/** ETCD-FACTS.md "Flags, environment, versions": a flag and its ETCD_ variable together is fatal. */
export const flagEnvConflict: MemberRule = {
  id: 'etcd.flag-env-conflict',
  source: 'ETCD-FACTS.md Flags, environment, versions: "conflicting environment variable is shadowed by corresponding command-line flag" (fatal)',
  check({ member }) {
    if (member.configFile?.found) return [];
    const out: Check[] = [];
    for (const e of member.env) {
      const f = member.flags.find((s) => s.flag === e.flag);
      if (f)
        out.push(
          settingCheck(
            'fail',
            this.id,
            e,
            `${e.written} is set here and --${e.flag} on the command line (${where(f)}): etcd refuses to start ("conflicting environment variable ${e.written} is shadowed by corresponding command-line flag"). Fix: keep only one of them.`,
          ),
        );
    }
    const seen = new Map<string, Setting>();
    for (const f of member.flags) {
      const first = seen.get(f.flag);
      if (first)
        out.push(
          settingCheck(
            'warn',
            'etcd.duplicate-flag',
            f,
            `--${f.flag} is given twice (first at ${where(first)}): etcd uses the last value, "${f.value}". Fix: keep one.`,
          ),
        );
      else seen.set(f.flag, f);
    }
    return out;
  },
};
