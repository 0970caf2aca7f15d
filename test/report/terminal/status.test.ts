// `status`'s terminal text, rendered from recorded `etcdctl -w json` output (a healthy cluster, one member down, NOSPACE).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeCluster } from '../../../src/status.js';
import type { ClusterArtifact } from '../../../src/model/artifacts.js';
import { probeOk } from '../../../src/model/probe.js';
import { clusterFromEtcdctl, parseEndpointStatusJson, parseMemberListJson } from '../../../src/parsers/etcdctl.js';
import { renderStatusText } from '../../../src/report/terminal/status.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'etcdctl');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');

function cluster(status: string, members: string | null, quotaBytes?: number): ClusterArtifact {
  return clusterFromEtcdctl(parseEndpointStatusJson(read(status)), members === null ? null : parseMemberListJson(read(members)), quotaBytes);
}

function render(c: ClusterArtifact): string {
  const result = probeOk(c);
  return renderStatusText(result, judgeCluster(result));
}

describe('renderStatusText', () => {
  it('prints each member by name with its id, version, role, raft indexes and sizes in human units', () => {
    const text = render(cluster('endpoint-status-healthy.json', 'member-list.json'));
    const rows = text.split('\n').filter((l) => /^ {2}https?:\/\//.test(l));
    expect(rows).toHaveLength(3);
    expect(text).toMatch(
      /^ {2}http:\/\/127\.0\.0\.1:23820 {2}m3 {2}d563af5697f73084 {2}v3\.4\.23 {2}LEADER {2}term 2 {2}index 9\/9 {2}db 20 KiB \(in use 16 KiB\) {2}quota \?$/m,
    );
    expect(text).not.toMatch(/\d{5,} ?b/);
  });

  it('shows a big quota and a long member name whole, the rows still in line', () => {
    const c = cluster('endpoint-status-healthy.json', 'member-list.json', 64 * 2 ** 30);
    const long = 'etcd-member-with-a-very-long-name-03.rack-17.datacenter-frankfurt.example.internal';
    c.members![0]!.name = long;
    const text = render(c);
    const rows = text.split('\n').filter((l) => /^ {2}https?:\/\//.test(l));
    expect(rows.some((r) => r.includes(`  ${long}  `))).toBe(true);
    for (const r of rows) expect(r).toMatch(/ {2}quota 64 GiB$/);
    // The id column starts at the same place on every row, whatever the names' lengths.
    const idAt = rows.map((r) => r.search(/ [0-9a-f]{15,16} +v3/));
    expect(new Set(idAt).size).toBe(1);
    expect(text).not.toContain('…');
  });

  it('prints a member that did not answer with its error, and the quota as unknown when nothing gave it', () => {
    const c = cluster('endpoint-status-one-down.json', null);
    // The third member of that recording was stopped: etcdctl's own words for it.
    const error = read('endpoint-status-one-down.stderr.txt').split('\n')[0]!;
    c.endpoints.push({ endpoint: 'http://127.0.0.1:23820', status: null, error });
    const text = render(c);
    expect(text).toContain(`  http://127.0.0.1:23820  ERROR ${error.trim()}\n`);
    expect(text).toMatch(/ {2}quota \? {2}errors: /);
  });

  it("marks a NOSPACE member with etcd's own alarm words", () => {
    const text = render(cluster('endpoint-status-nospace.json', null, 16 * 2 ** 20));
    expect(text).toMatch(/quota 16 MiB {2}errors: .*NOSPACE/);
    expect(text).toMatch(/^ {2}FAIL /m);
  });
});
