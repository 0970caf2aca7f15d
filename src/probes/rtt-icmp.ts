// ICMP RTT through the system ping (iputils, busybox or BSD), run by execa; its output becomes samples, loss and per-peer errors.
import { execa } from 'execa';
import type { PeerErrorKind, PeerRtt, RttSample } from '../model/artifacts.js';
import { parsePing, type ParsedPing, type PingErrorKind } from '../parsers/ping.js';
import { onInterrupt } from '../util/cleanup.js';
import { dyingWithTool } from '../util/child.js';
import { notOnPath } from '../util/tools.js';
import { isLoopbackAddress } from './peer-spec.js';
import { micro, peerResult, type PeerIdentity, type PeerProblem } from './rtt-stats.js';

/** Seconds ping waits for the last reply (-W); iputils still counts later replies to earlier probes. */
export const PING_WAIT_SEC = 2;

/** ping's own default interval, assumed for pasted output that does not say. */
export const PING_DEFAULT_INTERVAL_MS = 1000;

const ERROR_KIND: Record<PingErrorKind, PeerErrorKind> = {
  unresolvable: 'unresolvable',
  'not-permitted': 'not-permitted',
  unreachable: 'unreachable',
  'network-unreachable': 'unreachable',
  'bad-option': 'other',
  other: 'other',
};

const ADVICE: Partial<Record<PeerErrorKind, string>> = {
  'not-permitted': 'ICMP is not permitted here (ping needs CAP_NET_RAW or net.ipv4.ping_group_range): use --method tcp or auto',
  unresolvable: 'the host name does not resolve',
  unreachable: 'no route to the peer, or it does not answer ARP',
};

/**
 * Samples from ping's replies: probe i was sent at about i*interval; with iputils -D timestamps the send time is
 * taken from the reply itself (arrival minus RTT), which shows when a stall really happened.
 */
export function samplesFromPing(parsed: ParsedPing, intervalMs: number): RttSample[] {
  const stamped = parsed.replyLines.find((r) => r.atUnixMs !== null && !r.duplicate);
  const base = stamped ? stamped.atUnixMs! - stamped.rttMs - (stamped.seq - parsed.firstSeq) * intervalMs : null;
  const sentAt = new Map<number, number>();
  if (base !== null)
    for (const r of parsed.replyLines) if (!r.duplicate && r.atUnixMs !== null) sentAt.set(r.seq, micro(Math.max(0, r.atUnixMs - r.rttMs - base)));
  const samples: RttSample[] = [];
  for (let i = 0; i < parsed.sent; i++) {
    const seq = parsed.firstSeq + i;
    samples.push({ tMs: sentAt.get(seq) ?? i * intervalMs, rttMs: parsed.replies.get(seq) ?? null });
  }
  return samples;
}

/** The problem to report for a ping that measured nothing or hit errors on the way. */
export function pingProblem(parsed: ParsedPing, host: string): PeerProblem {
  const first = parsed.errors[0];
  if (parsed.replies.size > 0) return first ? { note: `ping also reported: ${first.line}` } : {};
  if (first) {
    const kind = ERROR_KIND[first.kind];
    const advice = ADVICE[kind];
    return { error: `${first.line}${advice ? ` (${advice})` : ''}`, errorKind: kind };
  }
  return { error: `no reply from ${host}: ${parsed.sent} ICMP echo requests, none answered (100% loss)`, errorKind: 'no-reply' };
}

/**
 * Where ping printed its summary line, min/avg/max and mdev (stddev on BSD) are ping's own figures, at ping's precision:
 * recomputing them from the rounded per-reply times would drift (avg 0.0608 where ping said 0.060). Percentiles, which
 * ping never prints, stay from the samples.
 */
export function withPingSummary(peer: PeerRtt, parsed: ParsedPing): PeerRtt {
  const rtt = parsed.summary?.rttMs;
  if (rtt === null || rtt === undefined || peer.received === 0) return peer;
  peer.rttMs = { ...peer.rttMs, min: rtt.min, avg: rtt.avg, max: rtt.max, ...(rtt.spread !== undefined ? { stdev: rtt.spread } : {}) };
  peer.rttFromPingSummary = true;
  return peer;
}

/** A peer's result from pasted ping output (`net --from`). */
export function peerFromPing(parsed: ParsedPing, intervalMs: number, hostOverride?: string): PeerRtt {
  const host = hostOverride ?? parsed.host ?? parsed.address ?? 'unknown';
  const address = parsed.address ?? undefined;
  const id: PeerIdentity = { host, loopback: isLoopbackAddress(address ?? host), ...(address !== undefined ? { address } : {}) };
  const peer = withPingSummary(peerResult(id, 'icmp', samplesFromPing(parsed, intervalMs), intervalMs, pingProblem(parsed, host)), parsed);
  if (parsed.replyLines.length === 0 && parsed.summary !== null && parsed.summary.received > 0 && parsed.summary.rttMs !== null) {
    // ping -q prints only the summary: min/avg/max are all there is, and no percentile can be had.
    const s = parsed.summary;
    peer.sent = s.transmitted;
    peer.received = s.received;
    peer.lossPct = s.lossPct;
    peer.rttMs = { min: s.rttMs!.min, avg: s.rttMs!.avg, max: s.rttMs!.max, ...(s.rttMs!.spread !== undefined ? { stdev: s.rttMs!.spread } : {}) };
    peer.rttFromPingSummary = true;
    peer.samples = [];
    delete peer.error;
    delete peer.errorKind;
    peer.note = 'only the summary block was given (ping -q): min/avg/max without percentiles or stalls';
  }
  return peer;
}

export interface IcmpOptions {
  count: number;
  intervalMs: number;
  /** The ping command, e.g. ["ping"] or ["busybox", "ping"]. */
  pingCommand?: readonly string[];
}

function runPing(command: readonly string[], args: string[]) {
  // Its own process group: a terminal's Ctrl-C reaches the tool, which stops ping itself (util/child.ts: dies with the tool).
  const child = execa(...dyingWithTool([...command, ...args]), { reject: false, stdin: 'ignore', cleanup: true, all: true, detached: true });
  const stop = onInterrupt(() => child.kill('SIGINT'));
  return child.finally(stop);
}

export async function icmpPeer(id: PeerIdentity & { address: string }, options: IcmpOptions): Promise<PeerRtt> {
  const command = options.pingCommand ?? ['ping'];
  const base = ['-n', '-c', String(options.count), '-i', (options.intervalMs / 1000).toFixed(3), '-W', String(PING_WAIT_SEC)];
  // -D (iputils) stamps each reply with its arrival time; busybox and BSD ping refuse it, so they are asked again without.
  let result = await runPing(command, ['-D', ...base, id.address]);
  if (notOnPath(result))
    return peerResult(id, 'icmp', [], options.intervalMs, {
      error: `${command[0]} is not installed: install iputils-ping (or use --method tcp)`,
      errorKind: 'missing-tool',
    });
  let output = String(result.all ?? '');
  if (/invalid option|unrecognized option|illegal option/i.test(output)) {
    result = await runPing(command, [...base, id.address]);
    output = String(result.all ?? '');
  }
  let parsed: ParsedPing;
  try {
    parsed = parsePing(output);
  } catch {
    const firstLine = output.trim().split('\n')[0];
    return peerResult(id, 'icmp', [], options.intervalMs, { error: firstLine || `ping exited with ${result.exitCode ?? result.signal}`, errorKind: 'other' });
  }
  return withPingSummary(peerResult(id, 'icmp', samplesFromPing(parsed, options.intervalMs), options.intervalMs, pingProblem(parsed, id.host)), parsed);
}
