// Terminal text of `status`: one line per endpoint (member name, id, version, role, raft indexes, db size against the quota), then the advisor's cluster checks.
import type { ClusterArtifact, EndpointReading } from '../../model/artifacts.js';
import type { Check } from '../../model/check.js';
import type { ProbeResult } from '../../model/probe.js';
import { formatBytes } from '../../util/units.js';
import { checkLines } from '../terminal.js';

/**
 * The member's name from the member list, whole: an endpoint alone does not say which member answered, and the checks
 * name members. A member added but never started has no name yet; without a member list there is none to give.
 */
function memberName(cluster: ClusterArtifact, memberId: string): string | null {
  const m = cluster.members?.find((x) => x.id === memberId);
  if (m === undefined) return null;
  return m.name === '' ? '(unstarted)' : m.name;
}

interface Widths {
  endpoint: number;
  /** 0 when no member has a name to show (no member list). */
  name: number;
  id: number;
}

function endpointLine(cluster: ClusterArtifact, r: EndpointReading, w: Widths): string {
  const s = r.status;
  if (s === null) return `  ${r.endpoint.padEnd(w.endpoint)}  ERROR ${r.error ?? ''}`.trimEnd();
  const name = w.name > 0 ? `${(memberName(cluster, s.memberId) ?? '?').padEnd(w.name)}  ` : '';
  const quota = s.quotaBytes === null ? 'quota ?' : `quota ${formatBytes(s.quotaBytes)}`;
  const inUse = s.dbSizeInUseBytes === null ? '' : ` (in use ${formatBytes(s.dbSizeInUseBytes)})`;
  return `  ${r.endpoint.padEnd(w.endpoint)}  ${name}${s.memberIdHex.padEnd(w.id)}  v${s.version}${s.memberId === s.leaderId ? '  LEADER' : ''}${s.isLearner ? '  learner' : ''}  term ${s.raftTerm}  index ${s.raftIndex}/${s.raftAppliedIndex ?? '?'}  db ${formatBytes(s.dbSizeBytes)}${inUse}  ${quota}${s.errors.length ? `  errors: ${s.errors.join('; ')}` : ''}`;
}

export function renderStatusText(cluster: ProbeResult<ClusterArtifact>, checks: readonly Check[]): string {
  const lines: string[] = [];
  if (cluster.ok) {
    const c = cluster.data;
    // Columns as wide as their longest value (ids are hex without leading zeros), so that rows line up and nothing is cut.
    const answered = c.endpoints.flatMap((r) => (r.status === null ? [] : [r.status]));
    const names = answered.map((s) => memberName(c, s.memberId));
    const widths: Widths = {
      endpoint: Math.max(0, ...c.endpoints.map((r) => r.endpoint.length)),
      name: names.some((n) => n !== null) ? Math.max(1, ...names.map((n) => (n ?? '?').length)) : 0,
      id: Math.max(0, ...answered.map((s) => s.memberIdHex.length)),
    };
    for (const r of c.endpoints) lines.push(endpointLine(c, r, widths));
    lines.push('');
  }
  lines.push(...checkLines(checks));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
