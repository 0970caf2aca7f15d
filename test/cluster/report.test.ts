// The cluster report's renderers on a recorded --validate run: member table, rounds side by side, the RTT matrix with the slowest pair.
import { describe, expect, it } from 'vitest';
import {
  clusterSectionTables,
  etcdRttMatrix,
  MEMBER_COLUMNS,
  memberRows,
  renderClusterCsv,
  renderClusterHtml,
  renderClusterMarkdown,
  roundSummary,
  rttMatrix,
} from '../../src/cluster/report.js';
import { readFileSync } from 'node:fs';
import { parseReport } from '../../src/report/load.js';
import { renderHtml } from '../../src/report/html.js';
import { CLUSTER_REPORT, clone } from './fixture.js';

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

  it("shows etcd's own peer RTT as a member x member matrix, from each member's /metrics over the load", () => {
    const r = clone();
    const round = r.cluster.rounds[0]!;
    const n1 = round.metrics.find((m) => m.member === 'n1' && m.phase === 'load')!;
    const toN2 = Object.entries(n1.peerNames).find(([, name]) => name === 'n2')![0];
    n1.window!.peerRtt = [{ toId: toN2, count: 40, meanMs: 0.5, p50Ms: 0.4, p99Ms: 1.25, p999Ms: 2, p99AtLeast: false }];
    const [head, rows] = etcdRttMatrix(r.cluster, round);
    expect(head).toEqual(['from \\ to', 'n1', 'n2', 'n3']);
    expect(rows[0]).toEqual(['n1', '-', '1.250 ms', '-']);
    expect(renderClusterMarkdown(r)).toContain("## etcd's peer RTT p99 over the load, defaults flags");
  });

  it("puts the cluster section in the node's report.html: member tables, the RTT mesh and etcd's peer RTT", () => {
    const node = parseReport(readFileSync(new URL('../fixtures/cluster/n2-report.json', import.meta.url), 'utf8'), 'n2-report.json');
    const html = renderHtml(node, { unitFile: '', envFile: '' });
    expect(html).toContain('<h2 id="cluster-run">The temporary cluster (run --cluster)</h2>');
    const titles = clusterSectionTables(node.artifacts.clusterRun!.ok ? node.artifacts.clusterRun!.data : CLUSTER_REPORT.cluster).map((t) => t.title);
    expect(titles.some((t) => t.startsWith("etcd's peer RTT p99"))).toBe(true);
    for (const t of titles) expect(html).toContain(`<h3>${t.replace(/'/g, '&#x27;')}</h3>`);
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
