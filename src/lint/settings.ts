// One member's etcd configuration as resolved from its files: every setting with where it was written, and which wins.
import { defaultText } from '../etcd/flags.js';
import type { Wrapper } from './wrappers.js';

export type Origin = 'flag' | 'env' | 'yaml';

export interface Setting {
  flag: string;
  value: string;
  origin: Origin;
  file: string;
  line: number | null;
  /** As written: "--name", "ETCD_NAME", "client-transport-security.cert-file". */
  written: string;
}

export interface UnitFacts {
  file: string;
  /** Where the ExecStart= in force is written: the unit or one of its drop-ins. */
  execFile: string;
  /** The program ExecStart runs (after a shell wrapper, if any). */
  binary: string | null;
  binaryLine: number | null;
  /** The words etcd receives after systemd's expansion (binary first), wrappers (ionice, nice, ...) taken off. */
  argv: string[];
  /** ionice, nice, chrt, taskset, numactl, env ... that ExecStart runs etcd through, outermost first. */
  wrappers: Wrapper[];
  workingDirectory: string | null;
  /** Service-section keys as written, last one wins: User, ReadWritePaths, ProtectSystem... */
  service: Map<string, { value: string; line: number; file: string }>;
}

export interface MemberConfig {
  /** The file this member is named after: its unit, env file or YAML file. */
  file: string;
  kind: 'unit' | 'env' | 'yaml';
  unit: UnitFacts | null;
  /** Command-line flags in order, repeats included. */
  flags: Setting[];
  /** ETCD_* variables after systemd's precedence (one per variable). */
  env: Setting[];
  yaml: Setting[];
  /** The YAML file named by --config-file, when etcd reads one (it then ignores flags and environment). */
  configFile: { path: string; found: boolean; setting: Setting } | null;
}

/** The value etcd uses for each flag: the config file alone when there is one, else the flag over its ETCD_ variable. */
export function effectiveSettings(member: MemberConfig): Map<string, Setting> {
  const out = new Map<string, Setting>();
  if (member.configFile?.found || member.kind === 'yaml') {
    for (const s of member.yaml) out.set(s.flag, s);
    return out;
  }
  for (const s of member.env) if (s.flag !== 'config-file') out.set(s.flag, s);
  for (const s of member.flags) if (s.flag !== 'config-file') out.set(s.flag, s);
  return out;
}

/** A setting's value, or the default etcd `version` has for it. */
export function valueOr(settings: ReadonlyMap<string, Setting>, flag: string, version: string): string | undefined {
  return settings.get(flag)?.value ?? defaultText(flag, version);
}

/** Where to point a finding about a flag: the setting, or the member's file when the flag is at its default. */
export function anchor(member: MemberConfig, settings: ReadonlyMap<string, Setting>, flag: string): { file: string; line: number | null } {
  const s = settings.get(flag);
  if (s) return { file: s.file, line: s.line };
  return { file: member.unit?.execFile ?? member.file, line: member.unit?.binaryLine ?? null };
}
