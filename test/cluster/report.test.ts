// The cluster report's renderers on a recorded --validate run: member table, rounds side by side, the RTT matrix with the slowest pair.
import { describe, expect, it } from 'vitest';
import { MEMBER_COLUMNS, memberRows, renderClusterCsv, renderClusterHtml, renderClusterMarkdown, roundSummary, rttMatrix } from '../../src/cluster/report.js';
import { CLUSTER_REPORT } from './fixture.js';

describe('cluster report', () => {
  it('marks the slowest pair in the RTT matrix, the pair the flags came from', () => {
    const m = rttMatrix(CLUSTER_REPORT.cluster);
    const slow = CLUSTER_REPORT.cluster.slowestPair!;
    const cell = m.cell(slow.from, slow.to);
    expect(cell.slowest).toBe(true);
    expect(cell.p99Ms).toBe(slow.p99Ms);
    for (const from of m.names) for (const to of m.names) if (from !== to) expect(m.cell(from, to).p99Ms!).toBeLessThanOrEqual(slow.p99Ms);
    expect(renderClusterMarkdown(CLUSTER_REPORT)).toContain(`**${slow.p99Ms.toFixed(3)} ms** (slowest)`);
  });

  it('shows the same member columns in Markdown, HTML and CSV, from one list', () => {
    const heads = ['member', ...MEMBER_COLUMNS.map((c) => c.head)];
    expect(renderClusterMarkdown(CLUSTER_REPORT)).toContain(`| ${heads.join(' | ')} |`);
    expect(renderClusterHtml(CLUSTER_REPORT)).toContain(`<tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr>`);
    const csv = renderClusterCsv(CLUSTER_REPORT);
    for (const c of MEMBER_COLUMNS) expect(csv).toContain(`member,defaults,n1,,${c.metric},`);
  });

  it("puts fio's prediction beside etcd's own fsync figure for every member", () => {
    const rows = memberRows(CLUSTER_REPORT.cluster, CLUSTER_REPORT.cluster.rounds[0]!);
    expect(rows.map((r) => r.member)).toEqual(['n1', 'n2', 'n3']);
    for (const r of rows) {
      expect(r.fioFdatasyncP99Ms).toBeGreaterThan(0);
      expect(r.walFsyncP99Ms).toBeGreaterThan(0);
      expect(r.writesViaP99Ms).toBeGreaterThan(0);
    }
  });

  it('shows both rounds side by side with their flags', () => {
    const [d, r] = CLUSTER_REPORT.cluster.rounds.map(roundSummary);
    expect(d!.electionMs).toBe(1000);
    expect(r!.electionMs).toBe(CLUSTER_REPORT.advice.flags.find((f) => f.flag === 'election-timeout')!.value);
    const md = renderClusterMarkdown(CLUSTER_REPORT);
    expect(md).toContain('## Defaults against the recommended flags');
    expect(md).toMatch(/\| defaults \| 100 ms \| 1000 ms \| \d+ \| \d+ \|/);
    const csv = renderClusterCsv(CLUSTER_REPORT);
    expect(csv).toMatch(/^round,recommended,,,election_timeout,\d+,ms$/m);
    const html = renderClusterHtml(CLUSTER_REPORT, { n1: { 'etcd.conf': 'ETCD_NAME=n1 <&>' } });
    expect(html).toContain('class="slowest"');
    expect(html).toContain('ETCD_NAME=n1 &#60;&#38;&#62;');
  });

  it('says the temporary cluster was not authenticated', () => {
    expect(CLUSTER_REPORT.cluster.security).toBe('auto-tls');
    expect(renderClusterMarkdown(CLUSTER_REPORT)).toContain('no member was authenticated');
  });
});
