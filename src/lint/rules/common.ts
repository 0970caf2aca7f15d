// What the lint rules share: the member context, the rule shapes, the constants they judge by and small setting readers.
import { isIP } from 'node:net';
import type { Check } from '../../model/check.js';
import type { MemberFacts } from '../facts.js';
import { DEFAULT_ELECTION_MS, DEFAULT_HEARTBEAT_MS, ETCD_FLAGS, type EtcdMinor } from '../../etcd/flags.js';
import { valueOr, type MemberConfig, type Setting } from '../settings.js';
import { goBoolValue, isGoBool, parseGoUint } from '../values.js';

/** ETCD-FACTS.md "Heartbeat and election": heartbeat "normally 0.5-1.5x the RTT": below half the RTT it is too short. */
export const HEARTBEAT_MIN_RTT_RATIO = 0.5;
/** Advisor's judgment: more than 5x the advised value only slows failure detection. */
export const FAR_ABOVE_ADVICE_FACTOR = 5;
/**
 * A heartbeat above the 100 ms default and this many times the measured RTT is no tuning choice: etcd reads
 * milliseconds, and a figure written in microseconds (or copied from a WAN recipe) lands here (issue 12: 500 ms on 0.07 ms).
 */
export const MS_US_SUSPECT_FACTOR = 1000;
/** Advisor's margin: a certificate that expires within 30 days needs renewing now. */
export const CERT_EXPIRY_WARN_DAYS = 30;

/** What --report says about the network, through the advisor's own heartbeat and election rules. */
export interface RttBasis {
  rttP99Ms: number;
  basis: string;
  heartbeatMs: number | null;
  electionMs: number | null;
}

export interface MemberContext {
  member: MemberConfig;
  settings: Map<string, Setting>;
  facts: MemberFacts;
  version: string;
  /** lint --upgrade-to: the later release the member is to move to (its settings are for `version`). */
  upgradeTo?: EtcdMinor;
  now: Date;
  rtt: RttBasis | null;
}

export interface MemberRule {
  id: string;
  source: string;
  check(ctx: MemberContext): Check[];
}

export interface ClusterRule {
  id: string;
  source: string;
  check(members: readonly MemberContext[]): Check[];
}

export const where = (s: Setting) => `${s.file}${s.line !== null ? `:${s.line}` : ''}`;
export const isLoopbackHost = (h: string) => h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));

export function closestFlag(name: string): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const known of ETCD_FLAGS.keys()) {
    const d = editDistance(name, known);
    if (d < bestD) {
      best = known;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function uintSetting(settings: ReadonlyMap<string, Setting>, flag: string, version: string): number | null {
  const v = valueOr(settings, flag, version);
  return v === undefined ? null : parseGoUint(v);
}

export function boolSetting(settings: ReadonlyMap<string, Setting>, flag: string): boolean {
  const v = settings.get(flag)?.value;
  return v !== undefined && isGoBool(v) && goBoolValue(v);
}

/** The pair to write in a fix: the advisor's for the measured RTT, else etcd's defaults (the advisor's pair on a LAN). */
export function advisedPair(rtt: RttBasis | null): string {
  if (rtt !== null && rtt.heartbeatMs !== null && rtt.electionMs !== null)
    return `--heartbeat-interval=${rtt.heartbeatMs} --election-timeout=${rtt.electionMs} (the advisor's pair for ${rtt.basis})`;
  return `--heartbeat-interval=${DEFAULT_HEARTBEAT_MS} --election-timeout=${DEFAULT_ELECTION_MS} (the advisor's pair on a LAN; lint --report report.json or --rtt-p99-ms sizes it from a measured RTT)`;
}
