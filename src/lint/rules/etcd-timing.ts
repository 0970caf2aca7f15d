// Lint rule timing: ETCD-FACTS.md "Heartbeat and election" validation.
import { ELECTION_PER_HEARTBEAT, MAX_ELECTION_MS } from '../../advisor/rules/advice-election-timeout.js';
import { lintCheck, type LintStatus } from '../check.js';
import { DEFAULT_ELECTION_MS, DEFAULT_HEARTBEAT_MS } from '../../etcd/flags.js';
import { anchor } from '../settings.js';
import { advisedPair, uintSetting } from './common.js';
import type { MemberRule } from './common.js';

/** ETCD-FACTS.md "Heartbeat and election" validation. */
export const timing: MemberRule = {
  id: 'etcd.timing',
  source: 'ETCD-FACTS.md Heartbeat and election: etcd refuses 5*heartbeat > election, election > 50000, zero values',
  check({ member, settings, version, rtt }) {
    const hb = uintSetting(settings, 'heartbeat-interval', version);
    const el = uintSetting(settings, 'election-timeout', version);
    if (hb === null || el === null) return [];
    // One finding, the first that holds, at the election timeout (or the heartbeat when only it is set).
    const a = anchor(member, settings, settings.has('election-timeout') ? 'election-timeout' : 'heartbeat-interval');
    const finding = (status: LintStatus, flag: string, message: string) => [lintCheck(status, this.id, a.file, a.line, flag, message)];
    if (hb === 0 || el === 0)
      return finding(
        'fail',
        hb === 0 ? 'heartbeat-interval' : 'election-timeout',
        `--heartbeat-interval=${hb} --election-timeout=${el}: etcd refuses zero values. Fix: --heartbeat-interval=${DEFAULT_HEARTBEAT_MS} --election-timeout=${DEFAULT_ELECTION_MS} (the defaults), or values sized from the measured RTT.`,
      );
    if (ELECTION_PER_HEARTBEAT * hb > el)
      return finding(
        'fail',
        'election-timeout',
        `--election-timeout=${el} is below ${ELECTION_PER_HEARTBEAT} x --heartbeat-interval=${hb}: etcd refuses to start ("--election-timeout[${el}ms] should be at least as 5 times as --heartbeat-interval[${hb}ms]"). Fix: ${advisedPair(rtt)}.`,
      );
    if (el > MAX_ELECTION_MS)
      return finding(
        'fail',
        'election-timeout',
        `--election-timeout=${el} is above ${MAX_ELECTION_MS} ms: etcd refuses to start ("--election-timeout[${el}ms] is too long"). Fix: --election-timeout=${MAX_ELECTION_MS} at most.`,
      );
    if (el % hb !== 0)
      return finding(
        'info',
        'election-timeout',
        `--election-timeout=${el} is not a multiple of --heartbeat-interval=${hb}: etcd counts whole heartbeats (${Math.floor(el / hb)} ticks, ${Math.floor(el / hb) * hb} ms). Fix: --election-timeout=${Math.floor(el / hb) * hb} or ${Math.ceil(el / hb) * hb}.`,
      );
    return [];
  },
};
