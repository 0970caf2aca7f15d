// Lint rule retiredValues: values the target release refuses or takes with a warning (logger=capnslog, discovery-fallback=proxy).
import { atLeast, ETCD_FLAGS } from '../../etcd/flags.js';
import type { Check } from '../../model/check.js';
import { settingCheck } from '../check.js';
import type { MemberRule } from './common.js';

/** A value the target release refuses (error: etcd will not start) or takes with a warning: logger=capnslog, discovery-fallback=proxy. */
export const retiredValues: MemberRule = {
  id: 'etcd.value-retired',
  source:
    'ETCD-FACTS.md Versions; etcd 3.5.16 and 3.5.30 ("--logger=capnslog is removed in v3.5"); server/etcdmain/config.go of 3.6 (--discovery-fallback proxy refused)',
  check({ settings, version }) {
    const out: Check[] = [];
    for (const s of settings.values()) {
      for (const r of ETCD_FLAGS.get(s.flag)?.retiredValues ?? []) {
        if (r.value !== s.value) continue;
        if (atLeast(version, r.removedIn)) {
          out.push(
            settingCheck(
              'fail',
              'etcd.value-retired',
              s,
              `etcd ${version} no longer takes ${s.written}=${s.value} (removed in ${r.removedIn}): it refuses to start. Fix: set ${s.written}=${r.instead}.`,
            ),
          );
        } else if (r.deprecatedIn !== undefined && atLeast(version, r.deprecatedIn)) {
          out.push(
            settingCheck(
              'warn',
              'etcd.value-retired',
              s,
              `${s.written}=${s.value} is deprecated in etcd ${r.deprecatedIn} and goes away in ${r.removedIn}. Fix: set ${s.written}=${r.instead}.`,
            ),
          );
        }
      }
    }
    return out;
  },
};
