// The saved record of a run (report.json): every artifact and result, from which every other output is rendered.
import { randomBytes } from 'node:crypto';
import type { Advice } from './advice.js';
import type { Artifacts } from './artifacts.js';
import type { Check, Verdict } from './check.js';
import type { MemberIdentity } from './member.js';

export const SCHEMA_VERSION = 1;

/** A run's id: its UTC start to the second and 4 random hex digits, e.g. 20260101T120000Z-1a2b (report directories, load key prefixes). */
export function newRunId(now = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

export interface RunInfo {
  id: string;
  /** The command line as the operator typed it. */
  argv: string[];
  startedAt: string;
  finishedAt: string;
  durationSec: number;
  quick: boolean;
  /** The throwaway etcd was started by the tool (no --endpoints). */
  embeddedEtcd: boolean;
  scenario: string;
  /** Notes on how the run was made that a reader must know (e.g. loopback RTT is only a baseline). */
  notes: string[];
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'etcd-advisor'; version: string };
  generatedAt: string;
  run: RunInfo;
  artifacts: Artifacts;
  checks: Check[];
  advice: Advice;
  verdict: Verdict;
  /** The member the generated etcd.service/etcd.conf are for (absent: a single loopback member, its identity assumed). */
  member?: MemberIdentity;
}
