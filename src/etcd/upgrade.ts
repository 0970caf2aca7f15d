// What in an operator's settings breaks or changes when moving 3.4 -> 3.5 -> 3.6, with the exact replacement: data from the flag catalogue.
import { atLeast, catalogueVersion, defaultOf, ETCD_FLAGS, lookupFlag, replacementOf, SUPPORTED_VERSIONS, type EtcdMinor } from './flags.js';

export type UpgradeKind = 'removed' | 'deprecated' | 'value-removed' | 'value-deprecated' | 'default-changed';

export interface UpgradeStep {
  /** The release the change comes with. */
  at: EtcdMinor;
  flag: string;
  kind: UpgradeKind;
  /** What changes, and what to write instead, in one sentence. */
  message: string;
}

/** What to write instead of a flag a release drops: "--log-level", "--feature-gates=InitialCorruptCheck=true", or why none. */
export function insteadOf(flag: string): string {
  const f = ETCD_FLAGS.get(flag);
  if (f === undefined) return 'remove it';
  const r = replacementOf(f);
  return r !== undefined ? `replace it with --${r}${f.why !== undefined ? ` (${f.why})` : ''}` : `remove it${f.why !== undefined ? ` (${f.why})` : ''}`;
}

/** The releases after `from` up to `to`, oldest first. */
function releasesAfter(from: string, to: EtcdMinor): EtcdMinor[] {
  const start = catalogueVersion(from);
  return SUPPORTED_VERSIONS.filter((v) => v !== start && atLeast(v, start) && atLeast(to, v));
}

/**
 * Each release from `from` (exclusive) to `to`: flags the settings use that it removes or deprecates, values it refuses or
 * deprecates (logger=capnslog, discovery-fallback=proxy), and defaults of flags not set that it changes (snapshot-count, pre-vote).
 */
export function upgradeSteps(
  settings: ReadonlyMap<string, string>,
  from: string,
  to: EtcdMinor = SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]!,
): UpgradeStep[] {
  const steps: UpgradeStep[] = [];
  let previous = catalogueVersion(from);
  for (const at of releasesAfter(from, to)) {
    for (const [flag, value] of settings) {
      const before = lookupFlag(flag, previous);
      const after = lookupFlag(flag, at);
      if (before.known && !after.known && after.reason === 'removed')
        steps.push({ at, flag, kind: 'removed', message: `etcd ${at} refuses --${flag} ("flag provided but not defined"): ${insteadOf(flag)}.` });
      else if (before.known && after.known && after.deprecated && !before.deprecated)
        steps.push({
          at,
          flag,
          kind: 'deprecated',
          message: `etcd ${at} deprecates --${flag} (removed in ${after.flag.removedIn ?? 'a later release'}): ${insteadOf(flag)}.`,
        });
      for (const r of ETCD_FLAGS.get(flag)?.retiredValues ?? []) {
        if (r.value !== value) continue;
        if (r.removedIn === at)
          steps.push({ at, flag, kind: 'value-removed', message: `etcd ${at} no longer takes --${flag}=${value}: set --${flag}=${r.instead}.` });
        else if (r.deprecatedIn === at)
          steps.push({
            at,
            flag,
            kind: 'value-deprecated',
            message: `etcd ${at} deprecates --${flag}=${value} (gone in ${r.removedIn}): set --${flag}=${r.instead}.`,
          });
      }
    }
    for (const f of ETCD_FLAGS.values()) {
      const was = defaultOf(f.name, previous);
      const now = defaultOf(f.name, at);
      if (was === null || now === null || String(was) === String(now)) continue;
      if (settings.has(f.name) || (f.renamedFrom !== undefined && settings.has(f.renamedFrom))) continue;
      steps.push({
        at,
        flag: f.name,
        kind: 'default-changed',
        message: `etcd ${at} changes the default of --${f.name} from ${String(was)} to ${String(now)}, and this member does not set it: set --${f.name}=${String(was)} to keep ${previous}'s behaviour, or accept the new default.`,
      });
    }
    previous = at;
  }
  return steps;
}
