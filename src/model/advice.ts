// What the advisor recommends: each flag with the measurement and the rule it came from.
import type { UpgradePlan } from '../etcd/upgrade.js';

export interface FlagRecommendation {
  /** etcd's own flag name, without dashes: "heartbeat-interval". */
  flag: string;
  /** Milliseconds, bytes or counts as etcd takes them, or a string where etcd takes one. */
  value: number | string;
  /** etcd's default for the target version, for comparison. */
  default: number | string | null;
  unit: 'ms' | 'bytes' | 'count' | 'hours' | '';
  /** The measurement behind the value, e.g. "network p99 RTT 0.21 ms (icmp to 127.0.0.1)". */
  basis: string;
  /** Id of the rule that produced the value. */
  rule: string;
  /** Why this value. */
  reason: string;
  /** What goes wrong when it is ignored. */
  ifIgnored: string;
  source: string;
  /** What the member runs with today and where that was read; absent when nothing was read. */
  current?: { value: string; basis: string };
  /** Set when etcd needs the same value on every member: the sentence that says so. */
  sameOnEveryMember?: string;
}

/** A setting of the systemd unit rather than an etcd flag (LimitNOFILE, IOSchedulingClass). */
export interface UnitSetting {
  key: string;
  value: string;
  reason: string;
  source: string;
}

/** What in the member's current settings breaks or changes at each release between the one it runs and the one advised for. */
export interface UpgradeAdvice extends UpgradePlan {
  /** "etcd 3.4.23 (/usr/bin/etcd of the unit (etcd.service))": the release the member runs and how it was found. */
  running: string;
  /** "etcd 3.6 (--etcd-version given by the operator)". */
  target: string;
}

export interface Advice {
  etcdVersion: string;
  flags: FlagRecommendation[];
  unitSettings: UnitSetting[];
  /** Present when the member's current settings are known and the advice is for a later release than it runs. */
  upgrade?: UpgradeAdvice;
  /** Set when the run measured nothing of the members: no flag is advised, and etcd.service and etcd.conf are not written. */
  withheld?: string;
}

/** The advise --json shape: { "heartbeat-interval": 100, ... }. */
export function flagMap(advice: Advice): Record<string, number | string> {
  return Object.fromEntries(advice.flags.map((f) => [f.flag, f.value]));
}
