// What in an operator's settings breaks or changes when moving 3.4 -> 3.5 -> 3.6, with the exact replacement: data from the flag catalogue.
import { atLeast, catalogueVersion, defaultOf, envNameOf, ETCD_FLAGS, lookupFlag, replacementOf, SUPPORTED_VERSIONS, type EtcdMinor } from './flags.js';

export type UpgradeKind = 'removed' | 'deprecated' | 'value-removed' | 'value-deprecated' | 'default-changed';

/**
 * What the change does to the member at that release: `breaks` etcd refuses to start; `ignored` it starts without the
 * setting (an ETCD_ variable or a YAML key it no longer reads); `deprecated` it still works, with a warning, and goes
 * later; `default` a default the member relies on changes under it.
 */
export type UpgradeImpact = 'breaks' | 'ignored' | 'deprecated' | 'default';

/** One setting as the member has it: where it is written decides what a removal does (ETCD-FACTS.md "Flags, environment, versions"). */
export interface UpgradeSetting {
  flag: string;
  value: string;
  /** flag: the command line; env: an ETCD_ variable; yaml: the --config-file. Absent reads as the command line. */
  origin?: 'flag' | 'env' | 'yaml';
  /** "unit.service:4", for the report. */
  where?: string;
}

export interface UpgradeChange {
  /** The release the member comes from and the one the change comes with. */
  from: EtcdMinor;
  at: EtcdMinor;
  flag: string;
  kind: UpgradeKind;
  impact: UpgradeImpact;
  /** What changes, and, after "Fix:", what to write instead. */
  message: string;
  where?: string;
}

export interface UpgradeStepPlan {
  from: EtcdMinor;
  to: EtcdMinor;
  changes: UpgradeChange[];
}

/** The way from one release to another, release by release (an empty step says that nothing in the settings changes there). */
export interface UpgradePlan {
  from: EtcdMinor;
  to: EtcdMinor;
  steps: UpgradeStepPlan[];
}

/** A flag (or "feature-gates=Gate=true") as the member writes it: on the command line, as an ETCD_ variable, as a YAML key. */
function spelled(flagAndValue: string, origin: UpgradeSetting['origin']): string {
  const [name, ...rest] = flagAndValue.split('=');
  const value = rest.join('=');
  if (origin === 'env') return `${envNameOf(name!)}${value !== '' ? `=${value}` : ''}`;
  if (origin === 'yaml') return value !== '' ? `"${name}: ${value}"` : `"${name}"`;
  return `--${flagAndValue}`;
}

/** What to write instead of a flag a release drops: "replace it with --log-level (use --log-level=debug)", or why none. */
export function insteadOf(flag: string, origin?: UpgradeSetting['origin']): string {
  const f = ETCD_FLAGS.get(flag);
  if (f === undefined) return 'remove it';
  const r = replacementOf(f);
  const why = f.why !== undefined ? ` (${f.why})` : '';
  return r !== undefined ? `replace it with ${spelled(r, origin)}${why}` : `remove it${why}`;
}

/** The releases after `from` up to `to`, oldest first. */
function releasesAfter(from: string, to: EtcdMinor): EtcdMinor[] {
  const start = catalogueVersion(from);
  return SUPPORTED_VERSIONS.filter((v) => v !== start && atLeast(v, start) && atLeast(to, v));
}

/** A flag a release no longer defines: fatal on the command line ("flag provided but not defined"), ignored elsewhere (etcd 3.5.30). */
function removal(at: EtcdMinor, s: UpgradeSetting): Pick<UpgradeChange, 'impact' | 'message'> {
  const fix = `Fix: ${insteadOf(s.flag, s.origin)}.`;
  if (s.origin === 'env')
    return { impact: 'ignored', message: `etcd ${at} ignores ${envNameOf(s.flag)} ("unrecognized environment variable"): the setting is lost. ${fix}` };
  if (s.origin === 'yaml') return { impact: 'ignored', message: `etcd ${at} ignores "${s.flag}" in its config file: the setting is lost. ${fix}` };
  return { impact: 'breaks', message: `etcd ${at} refuses --${s.flag} ("flag provided but not defined"): it will not start. ${fix}` };
}

/**
 * Each release from `from` (exclusive) to `to`: flags the settings use that it removes or deprecates, values it refuses or
 * deprecates (logger=capnslog, discovery-fallback=proxy), and defaults of flags not set that it changes (snapshot-count, pre-vote).
 */
export function upgradeSteps(
  settings: readonly UpgradeSetting[],
  from: string,
  to: EtcdMinor = SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]!,
): UpgradeChange[] {
  const changes: UpgradeChange[] = [];
  const set = new Set(settings.map((s) => s.flag));
  let previous = catalogueVersion(from);
  for (const at of releasesAfter(from, to)) {
    const add = (s: Pick<UpgradeSetting, 'flag' | 'where'>, kind: UpgradeKind, c: Pick<UpgradeChange, 'impact' | 'message'>) =>
      changes.push({ from: previous, at, flag: s.flag, kind, ...c, ...(s.where !== undefined ? { where: s.where } : {}) });
    for (const s of settings) {
      const before = lookupFlag(s.flag, previous);
      const after = lookupFlag(s.flag, at);
      const written = spelled(s.flag, s.origin);
      if (before.known && !after.known && after.reason === 'removed') add(s, 'removed', removal(at, s));
      else if (before.known && after.known && after.deprecated && !before.deprecated)
        add(s, 'deprecated', {
          impact: 'deprecated',
          message: `etcd ${at} deprecates ${written} (removed in ${after.flag.removedIn ?? 'a later release'}): it still starts, with a warning. Fix: ${insteadOf(s.flag, s.origin)}.`,
        });
      for (const r of ETCD_FLAGS.get(s.flag)?.retiredValues ?? []) {
        if (r.value !== s.value) continue;
        const instead = `Fix: set ${spelled(`${s.flag}=${r.instead}`, s.origin)}.`;
        if (r.removedIn === at)
          add(s, 'value-removed', {
            impact: 'breaks',
            message: `etcd ${at} refuses ${spelled(`${s.flag}=${s.value}`, s.origin)}: it will not start. ${instead}`,
          });
        else if (r.deprecatedIn === at)
          add(s, 'value-deprecated', {
            impact: 'deprecated',
            message: `etcd ${at} deprecates ${spelled(`${s.flag}=${s.value}`, s.origin)} (refused from ${r.removedIn}). ${instead}`,
          });
      }
    }
    for (const f of ETCD_FLAGS.values()) {
      const was = defaultOf(f.name, previous);
      const now = defaultOf(f.name, at);
      if (was === null || now === null || String(was) === String(now)) continue;
      if (set.has(f.name) || (f.renamedFrom !== undefined && set.has(f.renamedFrom))) continue;
      // An old default the new release refuses (discovery-fallback=proxy, v2-deprecation=not-yet in 3.6) cannot be kept.
      const refused = (f.retiredValues ?? []).some((r) => r.value === String(was) && atLeast(at, r.removedIn));
      add({ flag: f.name }, 'default-changed', {
        impact: 'default',
        message: `etcd ${at} changes the default of --${f.name} from ${String(was)} to ${String(now)}, and this member does not set it. Fix: ${
          refused
            ? `accept the new default (etcd ${at} refuses --${f.name}=${String(was)})`
            : `set --${f.name}=${String(was)} to keep ${previous}'s behaviour, or accept the new default`
        }.`,
      });
    }
    previous = at;
  }
  return changes;
}

/** The same changes, release by release from `from` to `to`: what the lint --upgrade-to and the report's upgrade section list. */
export function upgradePlan(settings: readonly UpgradeSetting[], from: string, to: EtcdMinor): UpgradePlan {
  const changes = upgradeSteps(settings, from, to);
  const start = catalogueVersion(from);
  const releases = releasesAfter(from, to);
  return {
    from: start,
    to,
    steps: releases.map((at, i) => ({ from: i === 0 ? start : releases[i - 1]!, to: at, changes: changes.filter((c) => c.at === at) })),
  };
}
