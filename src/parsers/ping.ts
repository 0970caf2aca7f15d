// Parses ping output of iputils, busybox and BSD/macOS into replies, losses and errors; without a summary block the reply lines are what count.
import { UsageError } from '../model/errors.js';

export type PingFlavour = 'iputils' | 'busybox' | 'bsd' | 'unknown';

/** Why a ping could not measure: each becomes a per-peer error with a sentence an operator can act on. */
export type PingErrorKind = 'unresolvable' | 'not-permitted' | 'unreachable' | 'network-unreachable' | 'bad-option' | 'other';

export interface PingError {
  kind: PingErrorKind;
  line: string;
}

export interface PingReply {
  seq: number;
  rttMs: number;
  from: string;
  /** Unix time in ms when ping printed the line (iputils -D), else null. */
  atUnixMs: number | null;
  duplicate: boolean;
}

export interface PingSummary {
  transmitted: number;
  received: number;
  duplicates: number;
  /** ICMP errors counted by iputils ("+6 errors"). */
  errors: number;
  lossPct: number;
  /** min/avg/max and mdev (iputils) or stddev (BSD); busybox prints no spread. */
  rttMs: { min: number; avg: number; max: number; spread?: number } | null;
}

export interface ParsedPing {
  flavour: PingFlavour;
  host: string | null;
  address: string | null;
  /** iputils numbers from 1, busybox and BSD from 0. */
  firstSeq: 0 | 1;
  /** Every reply line in the order printed, duplicates included. */
  replyLines: PingReply[];
  /** Sequence number -> RTT of its first reply. */
  replies: Map<number, number>;
  duplicates: number;
  /** Sequence numbers ping itself reported as lost ("Request timeout", "Destination Host Unreachable"). */
  reportedLost: number[];
  /** Packets sent: from the summary, else from the highest sequence number seen. */
  sent: number;
  received: number;
  lossPct: number;
  summary: PingSummary | null;
  errors: PingError[];
}

// "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.040 ms" (iputils, BSD), "... seq=0 ttl=64 time=0.040 ms" (busybox),
// optionally "[1795499484.987516] " first (iputils -D) and " (DUP!)" last.
const REPLY = /^(?:\[(\d+(?:\.\d+)?)\]\s+)?\d+\s+bytes\s+from\s+(.+?):\s+(icmp_seq|seq)=(\d+)\b.*?\btime\s*[=<]\s*(\S+?)\s*ms(.*)$/;
/** A reply time as ping prints it (%.3f, or "<1" on Windows-like builds): digits and one point, nothing else. */
const REPLY_TIME = /^\d+(?:\.\d+)?$/;
const HEADER = /^PING\s+(\S+?)\s*\(([^)]+)\)(:)?/;
const TRANSMITTED =
  /(\d+)\s+packets transmitted,\s+(\d+)\s+(?:packets\s+)?received(?:,\s+\+?(\d+)\s+duplicates)?(?:,\s+\+(\d+)\s+errors)?,\s+([\d.]+)%\s+packet loss/;
const RTT_SUMMARY = /^(rtt|round-trip)\s+min\/avg\/max(\/mdev|\/stddev)?\s*=\s*([\d.]+)\/([\d.]+)\/([\d.]+)(?:\/([\d.]+))?\s*ms/;
const BSD_TIMEOUT = /^Request timeout for icmp_seq[= ](\d+)/;
const IPUTILS_ERROR_REPLY = /^From\s+(\S+)\s+icmp_seq=(\d+)\s+(.*)$/;
const IPUTILS_NO_ANSWER = /^no answer yet for icmp_seq=(\d+)/;

const ERROR_PATTERNS: [RegExp, PingErrorKind][] = [
  [
    /Name or service not known|Temporary failure in name resolution|cannot resolve|Unknown host|bad address|No address associated|nodename nor servname/i,
    'unresolvable',
  ],
  [/Operation not permitted|permission denied|missing cap_net_raw|are you root/i, 'not-permitted'],
  [/Network is unreachable|No route to host/i, 'network-unreachable'],
  [/Destination (Host|Net|Network|Port|Protocol) Unreachable|Communication prohibited|Dest Unreachable/i, 'unreachable'],
  [/invalid option|unrecognized option|illegal option|usage:/i, 'bad-option'],
];

function classify(line: string): PingErrorKind | null {
  for (const [re, kind] of ERROR_PATTERNS) if (re.test(line)) return kind;
  return null;
}

/** Reads ping output; throws UsageError when the text is not ping output at all (for `net --from`). */
export function parsePing(text: string): ParsedPing {
  let flavour: PingFlavour = 'unknown';
  let host: string | null = null;
  let address: string | null = null;
  let colonHeader = false;
  let sawSeqZero = false;
  let maxSeq = -1;
  const replyLines: PingReply[] = [];
  const replies = new Map<number, number>();
  const lost = new Set<number>();
  let duplicates = 0;
  let summary: PingSummary | null = null;
  const errors: PingError[] = [];
  let recognised = false;

  const seen = (seq: number) => {
    recognised = true;
    maxSeq = Math.max(maxSeq, seq);
    if (seq === 0) sawSeqZero = true;
  };
  const lostAt = (seq: number) => {
    seen(seq);
    if (!replies.has(seq)) lost.add(seq);
  };

  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const header = HEADER.exec(line);
    if (header) {
      host = header[1] ?? null;
      address = header[2] ?? null;
      colonHeader = header[3] === ':';
      if (/bytes of data/.test(line) || /^PING\s+\S+\(/.test(line)) flavour = 'iputils';
      recognised = true;
      continue;
    }
    const reply = REPLY.exec(line);
    if (reply) {
      const seq = Number(reply[4]);
      seen(seq);
      if (reply[3] === 'seq') flavour = 'busybox';
      else if (flavour === 'unknown' && colonHeader) flavour = 'bsd';
      // iputils does not mark duplicates of broadcast pings without -v, so a repeated sequence number counts too.
      const duplicate = /\(DUP!\)/.test(reply[6] ?? '') || replies.has(seq);
      // ping never prints a negative, NaN or infinite time: such a line was edited or corrupted, and silently
      // dropping it would count its packet as lost (issue 16: "10 received" judged as 100% loss).
      const rttMs = REPLY_TIME.test(reply[5]!) ? Number(reply[5]) : NaN;
      if (!Number.isFinite(rttMs))
        throw new UsageError(`line ${index + 1}: reply time "${reply[5]!.slice(0, 40)}" is not a number of milliseconds ping prints (finite, not negative)`);
      replyLines.push({ seq, rttMs, from: reply[2]!, atUnixMs: reply[1] !== undefined ? Number(reply[1]) * 1000 : null, duplicate });
      if (duplicate) duplicates++;
      else {
        replies.set(seq, rttMs);
        lost.delete(seq);
      }
      continue;
    }
    const transmitted = TRANSMITTED.exec(line);
    if (transmitted) {
      recognised = true;
      summary = {
        transmitted: Number(transmitted[1]),
        received: Number(transmitted[2]),
        duplicates: Number(transmitted[3] ?? 0),
        errors: Number(transmitted[4] ?? 0),
        lossPct: Number(transmitted[5]),
        rttMs: null,
      };
      if (/packets received/.test(line) && flavour === 'unknown') flavour = colonHeader ? 'bsd' : 'busybox';
      if (/\d+ received/.test(line) && !/packets received/.test(line)) flavour = 'iputils';
      continue;
    }
    const rtt = RTT_SUMMARY.exec(line);
    if (rtt) {
      recognised = true;
      if (summary !== null) {
        summary.rttMs = { min: Number(rtt[3]), avg: Number(rtt[4]), max: Number(rtt[5]) };
        if (rtt[6] !== undefined) summary.rttMs.spread = Number(rtt[6]);
      }
      if (rtt[1] === 'rtt') flavour = 'iputils';
      else if (rtt[2] === '/stddev') flavour = 'bsd';
      else if (rtt[2] === undefined && flavour === 'unknown') flavour = 'busybox';
      continue;
    }
    const timeout = BSD_TIMEOUT.exec(line) ?? IPUTILS_NO_ANSWER.exec(line);
    if (timeout) {
      lostAt(Number(timeout[1]));
      continue;
    }
    const errorReply = IPUTILS_ERROR_REPLY.exec(line);
    if (errorReply) {
      lostAt(Number(errorReply[2]));
      const kind = classify(errorReply[3] ?? '') ?? 'unreachable';
      if (!errors.some((e) => e.kind === kind)) errors.push({ kind, line });
      continue;
    }
    const kind = classify(line);
    if (kind !== null) {
      // BSD prints the returned IP header under an unreachable line; one error line per kind is enough.
      if (!errors.some((e) => e.kind === kind)) errors.push({ kind, line });
      // Alone, only ping's own complaint ("ping: ...") makes the text ping output; any text can say "permission denied".
      if (/\bping:/.test(line)) recognised = true;
    }
  }
  if (!recognised) throw new UsageError('not ping output: expected lines like "64 bytes from HOST: icmp_seq=1 ttl=64 time=0.05 ms"');

  const firstSeq: 0 | 1 = flavour === 'busybox' || flavour === 'bsd' || sawSeqZero ? 0 : 1;
  const sent = summary?.transmitted ?? (maxSeq < firstSeq ? 0 : maxSeq - firstSeq + 1);
  // With reply lines, count them (a summary may disagree when output was cut); a quiet (-q) run has only the summary.
  const received = replyLines.length > 0 || summary === null ? replies.size : summary.received;
  const lossPct = sent === 0 ? 100 : (100 * Math.max(0, sent - received)) / sent;
  return {
    flavour,
    host,
    address,
    firstSeq,
    replyLines,
    replies,
    duplicates,
    reportedLost: [...lost].sort((a, b) => a - b),
    sent,
    received,
    lossPct,
    summary,
    errors,
  };
}
