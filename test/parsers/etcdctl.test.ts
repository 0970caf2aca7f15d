// Saved etcdctl 3.4 JSON (recorded from a real three-member cluster by test/fixtures/etcdctl/record.sh) parses exactly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alarmsFromStatus,
  clusterFromEtcdctl,
  parseEndpointStatusJson,
  parseExactJson,
  parseMemberListJson,
  quoteUnsafeIntegers,
} from '../../src/parsers/etcdctl.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'etcdctl', name), 'utf8');

describe('quoteUnsafeIntegers', () => {
  it('quotes integers above 2^53 and leaves strings, floats and safe integers alone', () => {
    const text = '{"a":15376326339224612996,"b":"x 15376326339224612996","c":1.5e+300,"d":9,"e":-9007199254740993,"f":"q\\"1"}';
    expect(quoteUnsafeIntegers(text)).toBe('{"a":"15376326339224612996","b":"x 15376326339224612996","c":1.5e+300,"d":9,"e":"-9007199254740993","f":"q\\"1"}');
    expect(parseExactJson(text)).toMatchObject({ a: '15376326339224612996', d: 9 });
  });
});

describe('parseEndpointStatusJson', () => {
  it('keeps uint64 member, leader and cluster ids exact (JSON.parse would round them)', () => {
    const raw = fixture('endpoint-status-healthy.json');
    const readings = parseEndpointStatusJson(raw);
    expect(readings.map((r) => r.endpoint)).toEqual(['http://127.0.0.1:23800', 'http://127.0.0.1:23810', 'http://127.0.0.1:23820']);
    const third = readings[2]!.status!;
    expect(third.memberId).toBe('15376326339224612996');
    // etcdctl's table view of the same cluster prints this id in hex.
    expect(third.memberIdHex).toBe('d563af5697f73084');
    expect(fixture('endpoint-status-healthy.table.txt')).toContain(third.memberIdHex);
    expect(String((JSON.parse(raw) as { Status: { header: { member_id: number } } }[])[2]!.Status.header.member_id)).not.toBe('15376326339224612996');
    // The table view marks m3 (d563af5697f73084) as the leader.
    expect(new Set(readings.map((r) => r.status!.leaderId))).toEqual(new Set(['15376326339224612996']));
    expect(new Set(readings.map((r) => r.status!.clusterId))).toEqual(new Set(['246618979820476422']));
    expect(third).toMatchObject({
      version: '3.4.23',
      raftTerm: 2,
      raftIndex: 9,
      raftAppliedIndex: 9,
      dbSizeBytes: 20480,
      dbSizeInUseBytes: 16384,
      isLearner: false,
      errors: [],
      quotaBytes: null,
    });
  });

  it('reads the NOSPACE alarm from the status errors', () => {
    const readings = parseEndpointStatusJson(fixture('endpoint-status-nospace.json'));
    expect(readings[0]!.status!.errors[0]).toContain('alarm:NOSPACE');
    expect(alarmsFromStatus(readings)).toEqual([{ memberId: '15376326339224612996', memberIdHex: 'd563af5697f73084', alarm: 'NOSPACE' }]);
    expect(fixture('alarm-list-nospace.txt')).toContain('memberID:15376326339224612996 alarm:NOSPACE');
  });

  it('lists only the endpoints etcdctl reached when a member is down', () => {
    expect(parseEndpointStatusJson(fixture('endpoint-status-one-down.json'))).toHaveLength(2);
    expect(fixture('endpoint-status-one-down.stderr.txt')).toContain('Failed to get the status of endpoint http://127.0.0.1:23820');
  });

  it('rejects what is not etcdctl endpoint status output', () => {
    expect(() => parseEndpointStatusJson('{"members":[]}')).toThrow(/array/);
    expect(() => parseEndpointStatusJson('[{"Status":{}}]')).toThrow(/Endpoint/);
  });
});

describe('parseMemberListJson', () => {
  it('reads members with exact ids, names and URLs', () => {
    const members = parseMemberListJson(fixture('member-list.json'));
    expect(members.map((m) => m.name)).toEqual(['m2', 'm1', 'm3']);
    expect(members[2]).toEqual({
      id: '15376326339224612996',
      idHex: 'd563af5697f73084',
      name: 'm3',
      peerUrls: ['http://127.0.0.1:23821'],
      clientUrls: ['http://127.0.0.1:23820'],
      isLearner: false,
    });
  });

  it('marks a learner that was added but never started (no name, no client URLs)', () => {
    const learner = parseMemberListJson(fixture('member-list-learner.json')).find((m) => m.isLearner);
    expect(learner).toEqual({
      id: '2507405300970035040',
      idHex: '22cc17d620401760',
      name: '',
      peerUrls: ['http://127.0.0.1:23831'],
      clientUrls: [],
      isLearner: true,
    });
  });
});

describe('clusterFromEtcdctl', () => {
  it("builds the artifact a live read gives, with the operator's quota where etcdctl 3.4 prints none", () => {
    const cluster = clusterFromEtcdctl(
      parseEndpointStatusJson(fixture('endpoint-status-nospace.json')),
      parseMemberListJson(fixture('member-list.json')),
      16 * 2 ** 20,
    );
    expect(cluster.source).toBe('etcdctl-json');
    expect(cluster.members).toHaveLength(3);
    for (const e of cluster.endpoints) expect(e.status).toMatchObject({ quotaBytes: 16 * 2 ** 20, quotaSource: 'operator' });
    expect(cluster.alarms?.map((a) => a.alarm)).toContain('NOSPACE');
    expect(cluster.membersError).toBeUndefined();
  });

  it('says the member list is missing when no file gave it', () => {
    const cluster = clusterFromEtcdctl(parseEndpointStatusJson(fixture('endpoint-status-healthy.json')), null);
    expect(cluster.members).toBeNull();
    expect(cluster.membersError).toMatch(/no --from-members/);
    expect(cluster.endpoints.every((e) => e.status?.quotaSource !== 'operator')).toBe(true);
  });
});
