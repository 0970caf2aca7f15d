// Lint rule timingVsRtt: with --report: heartbeat and election against the RTT measured there, through the advisor's own rules.
import { ELECTION_PER_RTT } from '../../advisor/rules/advice-election-timeout.js';
import type { Check } from '../../model/check.js';
import { lintCheck } from '../check.js';
import { anchor } from '../settings.js';
import { DEFAULT_HEARTBEAT_MS } from '../../etcd/flags.js';
import { HEARTBEAT_MIN_RTT_RATIO, FAR_ABOVE_ADVICE_FACTOR, MS_US_SUSPECT_FACTOR, uintSetting } from './common.js';
import type { MemberRule } from './common.js';

/** With --report: heartbeat and election against the RTT measured there, through the advisor's own rules. */
export const timingVsRtt: MemberRule = {
  id: 'risk.timing-rtt',
  source: 'ETCD-FACTS.md Heartbeat and election: heartbeat 0.5-1.5x RTT, election at least 10x RTT (etcd docs tuning)',
  check({ member, settings, rtt, version }) {
    if (rtt === null) return [];
    const hb = uintSetting(settings, 'heartbeat-interval', version);
    const el = uintSetting(settings, 'election-timeout', version);
    if (hb === null || el === null || hb === 0 || el === 0) return [];
    const advice = `the advisor recommends --heartbeat-interval=${rtt.heartbeatMs ?? '?'} --election-timeout=${rtt.electionMs ?? '?'} for ${rtt.basis}`;
    const times = hb / rtt.rttP99Ms;
    // At most one finding per flag: the first that holds, the worst first.
    const heartbeat =
      hb > DEFAULT_HEARTBEAT_MS && times >= MS_US_SUSPECT_FACTOR
        ? `--heartbeat-interval=${hb} --election-timeout=${el} is ${Math.round(times).toLocaleString('en-US')}x the measured RTT p99 (${rtt.rttP99Ms.toFixed(3)} ms) and above the ${DEFAULT_HEARTBEAT_MS} ms default: etcd reads both in milliseconds, so this looks like a figure meant in microseconds (or one copied from a WAN recipe): a dead leader goes unnoticed for ${el} ms. Fix: ${advice}.`
        : hb < HEARTBEAT_MIN_RTT_RATIO * rtt.rttP99Ms
          ? `--heartbeat-interval=${hb} ms is below half the measured RTT p99 (${rtt.rttP99Ms.toFixed(1)} ms): heartbeats arrive late, followers start elections. Fix: ${advice}.`
          : rtt.heartbeatMs !== null && hb > FAR_ABOVE_ADVICE_FACTOR * rtt.heartbeatMs
            ? `--heartbeat-interval=${hb} ms is more than ${FAR_ABOVE_ADVICE_FACTOR}x what the measured RTT calls for: a dead leader is noticed late. Fix: ${advice}.`
            : null;
    const election =
      el < ELECTION_PER_RTT * rtt.rttP99Ms
        ? `--election-timeout=${el} ms is below ${ELECTION_PER_RTT}x the measured RTT p99 (${rtt.rttP99Ms.toFixed(1)} ms): a slow round trip triggers an election. Fix: ${advice}.`
        : rtt.electionMs !== null && el > FAR_ABOVE_ADVICE_FACTOR * rtt.electionMs
          ? `--election-timeout=${el} ms is more than ${FAR_ABOVE_ADVICE_FACTOR}x what the measured RTT calls for: the cluster stays without a leader that long after a crash. Fix: ${advice}.`
          : null;
    const out: Check[] = [];
    for (const [flag, message] of [
      ['heartbeat-interval', heartbeat],
      ['election-timeout', election],
    ] as const) {
      if (message === null) continue;
      const at = anchor(member, settings, flag);
      out.push(lintCheck('warn', this.id, at.file, at.line, flag, message));
    }
    return out;
  },
};
