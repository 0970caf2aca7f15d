// Parses the reply lines and summary of iputils ping output into RTT samples; an interrupted ping has no summary, so replies are what count.
import { UsageError } from '../model/errors.js';

export interface ParsedPing {
  host: string | null;
  /** Sequence number -> RTT in ms (the first reply of a sequence; duplicates are counted apart). */
  replies: Map<number, number>;
  duplicates: number;
  /** Packets transmitted, from the summary or the highest sequence seen. */
  sent: number;
  errors: string[];
}

const REPLY = /icmp_seq=(\d+)\s.*?time[=<]\s*([\d.]+)\s*ms(.*)$/;
const HEADER = /^PING\s+(\S+)/;
const TRANSMITTED = /(\d+)\s+packets transmitted/;

export function parsePing(text: string): ParsedPing {
  const replies = new Map<number, number>();
  let host: string | null = null;
  let sent = 0;
  let duplicates = 0;
  let maxSeq = 0;
  const errors: string[] = [];
  let sawPingOutput = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = HEADER.exec(line);
    if (header) {
      host = header[1] ?? null;
      sawPingOutput = true;
      continue;
    }
    const reply = REPLY.exec(line);
    if (reply) {
      sawPingOutput = true;
      const seq = Number(reply[1]);
      maxSeq = Math.max(maxSeq, seq);
      if (/\(DUP!\)/.test(reply[3] ?? '') || replies.has(seq)) duplicates++;
      else replies.set(seq, Number(reply[2]));
      continue;
    }
    const transmitted = TRANSMITTED.exec(line);
    if (transmitted) {
      sawPingOutput = true;
      sent = Number(transmitted[1]);
      continue;
    }
    if (/unreachable|not permitted|unknown host|Name or service not known|Temporary failure in name resolution/i.test(line)) errors.push(line);
  }
  if (!sawPingOutput && errors.length === 0) throw new UsageError('not ping output: expected lines like "64 bytes from HOST: icmp_seq=1 ttl=64 time=0.05 ms"');
  return { host, replies, duplicates, sent: Math.max(sent, maxSeq), errors };
}
