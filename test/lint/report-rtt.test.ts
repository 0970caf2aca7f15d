// Timing judged against a measured RTT: a real report.json (ping to loopback) through --report, and the rule on other RTTs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../../src/advisor/advise.js';
import { gatherMemberFacts } from '../../src/lint/facts.js';
import { lintFiles } from '../../src/lint/lint.js';
import { resolveMembers } from '../../src/lint/resolve.js';
import { timingVsRtt } from '../../src/lint/rules/risk-timing-rtt.js';
import { effectiveSettings } from '../../src/lint/settings.js';
import type { Artifacts } from '../../src/model/artifacts.js';
import { gatherHost } from '../../src/probes/host.js';
import { runNetworkProbe } from '../../src/probes/network.js';
import { assembleReport } from '../../src/run.js';

let dir: string;
let reportPath: string;

/** A report of these artifacts as `run` writes it, judged by the advisor. */
function reportOf(artifacts: Artifacts) {
  const now = new Date().toISOString();
  return assembleReport(artifacts, advise(artifacts), {
    id: 'ea8',
    argv: [],
    startedAt: now,
    finishedAt: now,
    durationSec: 0,
    quick: true,
    embeddedEtcd: false,
    scenario: 'none',
    notes: [],
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea8-rtt-'));
  const artifacts: Artifacts = {
    host: await gatherHost(),
    network: await runNetworkProbe({ peers: ['127.0.0.1'], method: 'icmp', count: 10, intervalMs: 20 }),
  };
  const report = reportOf(artifacts);
  reportPath = join(dir, 'report.json');
  await writeFile(reportPath, JSON.stringify(report));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lintConf(name: string, text: string) {
  const path = join(dir, name);
  await writeFile(path, text);
  return lintFiles({ files: [path], reportPath, etcdVersion: '3.4' });
}

describe('lint --report', () => {
  it('flags timing far above what the measured RTT calls for, and says the RTT is only loopback', async () => {
    const result = await lintConf('slow.conf', 'ETCD_NAME=m1\nETCD_DATA_DIR=/var/lib/etcd\nETCD_HEARTBEAT_INTERVAL=1000\nETCD_ELECTION_TIMEOUT=10000\n');
    expect(result.checks.map((c) => [c.status, c.id, c.flag, c.line])).toEqual([
      ['info', 'risk.timing-rtt', undefined, undefined],
      ['warn', 'risk.timing-rtt', 'heartbeat-interval', 3],
      ['warn', 'risk.timing-rtt', 'election-timeout', 4],
    ]);
    expect(result.checks[1]!.message).toMatch(/recommends --heartbeat-interval=100 --election-timeout=1000 for RTT p99 \d/);
  });

  it('accepts the defaults on a fast network', async () => {
    const result = await lintConf('default.conf', 'ETCD_NAME=m1\nETCD_DATA_DIR=/var/lib/etcd\n');
    expect(result.checks.map((c) => c.id)).toEqual(['risk.timing-rtt']);
    expect(result.checks[0]!.status).toBe('info');
  });

  it('rejects a report without an RTT measurement as bad input', async () => {
    const bad = join(dir, 'no-network.json');
    const artifacts: Artifacts = { host: await gatherHost() };
    await writeFile(bad, JSON.stringify(reportOf(artifacts)));
    await expect(lintFiles({ files: [reportPath], reportPath: bad, etcdVersion: '3.4' })).rejects.toThrow(/no RTT measurement/);
    // Every reader of a report checks its schema: a report without its version is refused the same way as by `report`.
    await writeFile(bad, JSON.stringify({ artifacts }));
    await expect(lintFiles({ files: [reportPath], reportPath: bad, etcdVersion: '3.4' })).rejects.toThrow(
      /--report .*no-network\.json: schemaVersion missing is not one this etcd-advisor reads/,
    );
  });
});

describe('risk.timing-rtt on a slow network', () => {
  const member = (hb: number, el: number) => {
    const { members } = resolveMembers({
      files: [{ path: 'wan.conf', text: `ETCD_HEARTBEAT_INTERVAL=${hb}\nETCD_ELECTION_TIMEOUT=${el}\n` }],
      envFiles: [],
      readFile: () => null,
    });
    const m = members[0]!;
    return { member: m, settings: effectiveSettings(m), facts: gatherMemberFacts(m), version: '3.4', now: new Date() };
  };
  // A 300 ms WAN: the advisor's heartbeat rule rounds the RTT up to 300, and election is 10x.
  const wan = { rttP99Ms: 300, basis: 'RTT p99 300 ms', heartbeatMs: 300, electionMs: 3000 };

  it('warns when the defaults are kept on a 300 ms network', () => {
    expect(timingVsRtt.check({ ...member(100, 1000), rtt: wan }).map((f) => f.flag)).toEqual(['heartbeat-interval', 'election-timeout']);
  });

  it('accepts timing sized for that network', () => {
    expect(timingVsRtt.check({ ...member(300, 3000), rtt: wan })).toEqual([]);
  });
});

describe("issue 12 case 3: the recipe's ms/us mistake against a measured RTT", () => {
  it("500/5000 on a loopback-fast RTT is a warning that names the likely unit mistake and gives the advisor's pair", async () => {
    const result = await lintConf('recipe.conf', 'ETCD_NAME=m1\nETCD_DATA_DIR=/var/lib/etcd\nETCD_HEARTBEAT_INTERVAL=500\nETCD_ELECTION_TIMEOUT=5000\n');
    const warning = result.checks.find((c) => c.status === 'warn' && c.flag === 'heartbeat-interval')!;
    expect(warning.message).toMatch(/microseconds/);
    expect(warning.message).toMatch(/Fix: the advisor recommends --heartbeat-interval=100 --election-timeout=1000/);
    expect(result.checks.some((c) => c.status === 'warn')).toBe(true);
  });

  it("500/1000 (refused by etcd) gets the advisor's pair as its fix, not the smallest election timeout that passes", async () => {
    const result = await lintConf('short.conf', 'ETCD_NAME=m1\nETCD_DATA_DIR=/var/lib/etcd\nETCD_HEARTBEAT_INTERVAL=500\nETCD_ELECTION_TIMEOUT=1000\n');
    const error = result.checks.find((c) => c.id === 'etcd.timing')!;
    expect(error.status).toBe('fail');
    expect(error.message).toMatch(/Fix: --heartbeat-interval=100 --election-timeout=1000 \(the advisor's pair for RTT p99/);
    expect(error.message).not.toMatch(/--election-timeout=5000/);
  });

  it('--rtt-p99-ms judges the same way without a report', async () => {
    const path = join(dir, 'flags.conf');
    await writeFile(path, 'ETCD_NAME=m1\nETCD_DATA_DIR=/var/lib/etcd\nETCD_HEARTBEAT_INTERVAL=500\nETCD_ELECTION_TIMEOUT=5000\n');
    const result = await lintFiles({ files: [path], rttP99Ms: 0.07, etcdVersion: '3.4' });
    expect(result.checks.map((c) => [c.status, c.id, c.flag])).toEqual([['warn', 'risk.timing-rtt', 'heartbeat-interval']]);
    expect(result.checks[0]!.message).toMatch(/7,143x the measured RTT p99 \(0\.070 ms\)/);
  });
});
