// Lint rule flagNames: flags etcd does not know in the target release; renamed ones; ETCD_ variables it ignores.
import { insteadOf } from '../../etcd/upgrade.js';
import type { Check } from '../../model/check.js';
import { settingCheck } from '../check.js';
import { envNameOf, lookupFlag, NON_FLAG_ENV, replacementOf } from '../../etcd/flags.js';
import { closestFlag } from './common.js';
import type { MemberRule } from './common.js';

/** Flags etcd does not know in the target release; renamed ones; ETCD_ variables it ignores. */
export const flagNames: MemberRule = {
  id: 'etcd.flag-unknown',
  source: 'etcd --help of each release; ETCD-FACTS.md "Flags, environment, versions" (3.6 removals and renames)',
  check({ member, version }) {
    const out: Check[] = [];
    const usesConfigFile = member.configFile?.found === true;
    for (const s of member.flags) {
      const l = lookupFlag(s.flag, version);
      if (!l.known) {
        const hint =
          l.reason === 'removed'
            ? ` (removed in ${l.flag!.removedIn}${replacementOf(l.flag!) ? `; use --${replacementOf(l.flag!)}` : ''})`
            : l.reason === 'not-yet'
              ? ` (added in ${l.flag!.since})`
              : closestFlag(s.flag)
                ? ` (did you mean --${closestFlag(s.flag)}?)`
                : '';
        out.push(
          settingCheck(
            'fail',
            'etcd.flag-unknown',
            s,
            `etcd ${version} has no --${s.flag}${hint}: it refuses to start ("flag provided but not defined"). Fix: ${l.reason === 'removed' && replacementOf(l.flag!) ? `replace it with --${replacementOf(l.flag!)}` : 'remove it'}.`,
          ),
        );
      } else if (l.deprecated) {
        out.push(
          settingCheck(
            'warn',
            'etcd.flag-deprecated',
            s,
            `--${s.flag} is deprecated in etcd ${l.flag.deprecatedIn} and goes away in ${l.flag.removedIn ?? 'a later release'}. Fix: ${insteadOf(s.flag)}.`,
          ),
        );
      }
    }
    for (const s of member.env) {
      if (NON_FLAG_ENV.has(s.written)) continue;
      const l = lookupFlag(s.flag, version);
      if (!l.known) {
        const hint =
          l.reason === 'removed'
            ? ` (--${s.flag} was removed in ${l.flag!.removedIn})`
            : l.reason === 'not-yet'
              ? ` (--${s.flag} was added in ${l.flag!.since})`
              : closestFlag(s.flag)
                ? ` (did you mean ${envNameOf(closestFlag(s.flag)!)}?)`
                : '';
        out.push(
          settingCheck(
            'warn',
            'etcd.env-unknown',
            s,
            `${s.written} is not a flag of etcd ${version}${hint}: etcd logs "unrecognized environment variable" and ignores it. Fix: remove it or fix its name.`,
          ),
        );
      } else if (l.deprecated) {
        out.push(
          settingCheck(
            'warn',
            'etcd.flag-deprecated',
            s,
            `${s.written} (--${s.flag}) is deprecated in etcd ${l.flag.deprecatedIn} and goes away in ${l.flag.removedIn ?? 'a later release'}. Fix: ${replacementOf(l.flag) !== undefined ? `use ${envNameOf(replacementOf(l.flag)!.split('=')[0]!)}${replacementOf(l.flag)!.includes('=') ? `=${replacementOf(l.flag)!.split('=').slice(1).join('=')}` : ''} instead` : insteadOf(s.flag)}.`,
          ),
        );
      }
    }
    for (const s of member.yaml) {
      const l = lookupFlag(s.flag, version);
      if (!l.known && l.reason !== 'unknown')
        out.push(
          settingCheck(
            'warn',
            'etcd.flag-unknown',
            s,
            `"${s.written}" is not read by etcd ${version} (${l.reason === 'removed' ? `removed in ${l.flag!.removedIn}` : `added in ${l.flag!.since}`}): etcd ignores it. Fix: remove it${l.flag && replacementOf(l.flag) ? ` or use "${replacementOf(l.flag)}"` : ''}.`,
          ),
        );
    }
    if (usesConfigFile) {
      const ignored = [...member.flags, ...member.env].filter((s) => s.flag !== 'config-file');
      if (ignored.length > 0)
        out.push(
          settingCheck(
            'warn',
            'etcd.config-file-shadows',
            member.configFile!.setting,
            `With --config-file etcd reads only ${member.configFile!.path} and ignores ${ignored.map((s) => s.written).join(', ')}. Fix: move these settings into the config file.`,
          ),
        );
    }
    return out;
  },
};
