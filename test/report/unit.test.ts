// Member settings from advise options, and the env file: quoted as systemd reads it, every option once, TLS on both sides.
import { describe, expect, it } from 'vitest';
import type { Advice } from '../../src/model/advice.js';
import { UsageError } from '../../src/model/errors.js';
import { envNameOf } from '../../src/etcd/flags.js';
import { memberIdentity, renderEnvFile, renderUnitFile, resolveMember, type UnitFileOptions } from '../../src/report/unit.js';
import { execStartArgv, parseEnvironmentFile } from './unit-systemd.js';

const advice = (flags: Advice['flags'] = []): Advice => ({ etcdVersion: '3.4', flags, unitSettings: [] });
const options = (member = resolveMember({}, 'n1')): UnitFileOptions => ({
  member,
  etcdBinary: '/usr/bin/etcd',
  envFilePath: '/etc/etcd/etcd.conf',
  user: 'etcd',
  provenance: 'test',
});

describe('resolveMember', () => {
  it('starts as it is on loopback when nothing is given', () => {
    expect(resolveMember({}, 'n1')).toMatchObject({
      name: 'n1',
      listenClientUrls: 'http://127.0.0.1:2379',
      initialCluster: 'n1=http://127.0.0.1:2380',
      initialClusterState: 'new',
    });
  });

  it('takes its own peer URLs from --initial-cluster, and listens where it advertises', () => {
    const m = resolveMember({ name: 'b', initialCluster: 'a=http://10.0.0.1:2380,b=http://10.0.0.2:2380' }, 'x');
    expect(m.initialAdvertisePeerUrls).toBe('http://10.0.0.2:2380');
    expect(m.listenPeerUrls).toBe('http://10.0.0.2:2380');
    expect(m.initialCluster).toBe('a=http://10.0.0.1:2380,b=http://10.0.0.2:2380');
  });

  it('turns on TLS for clients and peers when any TLS file is given, one side standing in for the other', () => {
    const m = resolveMember({ name: 'a', peerCertFile: '/p.pem', peerKeyFile: '/p-key.pem', peerTrustedCaFile: '/ca.pem' }, 'a');
    expect(m.tls).toEqual({
      certFile: '/p.pem',
      keyFile: '/p-key.pem',
      trustedCaFile: '/ca.pem',
      peerCertFile: '/p.pem',
      peerKeyFile: '/p-key.pem',
      peerTrustedCaFile: '/ca.pem',
    });
    expect(m.listenClientUrls).toBe('https://127.0.0.1:2379');
    const env = parseEnvironmentFile(renderEnvFile(advice(), options(m)));
    expect(env).toMatchObject({
      ETCD_CLIENT_CERT_AUTH: 'true',
      ETCD_PEER_CLIENT_CERT_AUTH: 'true',
      ETCD_TRUSTED_CA_FILE: '/ca.pem',
      ETCD_INITIAL_CLUSTER: 'a=https://127.0.0.1:2380',
    });
  });

  it.each([
    [{ name: 'a', initialCluster: 'b=http://10.0.0.2:2380' }, /no member named "a"/],
    [{ name: 'a', initialCluster: 'a=http://10.0.0.1:2380', initialAdvertisePeerUrls: 'http://10.0.0.9:2380' }, /differs from "a"/],
    [{ listenClientUrls: 'http://0.0.0.0:2379' }, /not 0.0.0.0/],
    [{ listenClientUrls: '10.0.0.1:2379' }, /--listen-client-urls: "10.0.0.1:2379" is not a URL/],
    [{ listenClientUrls: 'ftp://10.0.0.1:2379' }, /--listen-client-urls: "ftp:\/\/10.0.0.1:2379": URL scheme must be http, https, unix or unixs/],
    [{ listenClientUrls: 'http://10.0.0.1' }, /URL address does not have the form host:port/],
    [{ initialCluster: 'nourl' }, /not name=URL/],
    [{ listenClientUrls: 'https://10.0.0.1:2379' }, /no TLS files were given/],
    [{ name: 'a b' }, /--name "a b"/],
  ])('refuses %j', (o, message) => {
    expect(() => resolveMember(o, 'a')).toThrow(UsageError);
    expect(() => resolveMember(o, 'a')).toThrow(message);
  });
});

describe('renderEnvFile and renderUnitFile', () => {
  it('quotes values so that systemd reads back exactly what was meant', () => {
    const tricky = 'a "quoted" $value with spaces';
    const env = parseEnvironmentFile(
      renderEnvFile(
        advice([
          { flag: 'auto-compaction-retention', value: tricky, default: '0', unit: '', basis: 'b', rule: 'r', reason: 'why', ifIgnored: 'i', source: 's' },
        ]),
        options(),
      ),
    );
    expect(env.ETCD_AUTO_COMPACTION_RETENTION).toBe(tricky);
  });

  it('sets an option once: a tuned flag that repeats a member setting is an error, not a silent override', () => {
    expect(() =>
      renderEnvFile(
        advice([{ flag: 'name', value: 'x', default: null, unit: '', basis: 'b', rule: 'r', reason: 'why', ifIgnored: 'i', source: 's' }]),
        options(),
      ),
    ).toThrow(/twice/);
  });

  it('keeps every option out of ExecStart, so that none is both a flag and an ETCD_* variable', () => {
    const o = options();
    expect(execStartArgv(renderUnitFile(advice(), o))).toEqual(['/usr/bin/etcd']);
    expect(envNameOf('initial-advertise-peer-urls')).toBe('ETCD_INITIAL_ADVERTISE_PEER_URLS');
  });
});

describe('memberIdentity', () => {
  const cluster = [
    { name: 'm1', peerUrls: ['https://127.0.0.11:2380'], clientUrls: ['https://127.0.0.11:2379'] },
    { name: 'm2', peerUrls: ['https://127.0.0.12:2380'], clientUrls: ['https://127.0.0.12:2379'] },
    { name: '', peerUrls: ['https://127.0.0.13:2380'], clientUrls: [] },
  ];
  const tls = { certFile: '/pki/m3.pem', keyFile: '/pki/m3-key.pem', trustedCaFile: '/pki/ca.pem' };

  it('joins a running cluster as the added, unstarted member on this node: full initial cluster, state existing', () => {
    const id = memberIdentity({
      members: cluster,
      running: true,
      name: 'm3',
      localAddresses: ['127.0.0.1'],
      fallbackName: 'host',
      qualifiedDataDir: '/srv/etcd',
      ...tls,
    });
    expect(id.matchedBy).toMatch(/127\.0\.0\.13/);
    expect(id.needsMemberAdd).toBe(false);
    expect(id.member).toMatchObject({
      name: 'm3',
      dataDir: '/srv/etcd',
      initialAdvertisePeerUrls: 'https://127.0.0.13:2380',
      listenPeerUrls: 'https://127.0.0.13:2380',
      initialCluster: 'm1=https://127.0.0.11:2380,m2=https://127.0.0.12:2380,m3=https://127.0.0.13:2380',
      initialClusterState: 'existing',
      tls: { certFile: '/pki/m3.pem', peerCertFile: '/pki/m3.pem', trustedCaFile: '/pki/ca.pem' },
    });
    // The unstarted member has no client URL yet: assumed on the peer's host, and the flag that fixes it is named.
    expect(id.member.advertiseClientUrls).toBe('https://127.0.0.13:2379');
    expect(id.assumptions.map((a) => a.fix)).toEqual(['--advertise-client-urls']);
  });

  it('a member already in the list by name keeps its own URLs and assumes nothing but what is unknown', () => {
    const id = memberIdentity({ members: cluster, running: true, name: 'm2', fallbackName: 'host', dataDir: '/var/lib/etcd/m2', ...tls });
    expect(id.member).toMatchObject({ name: 'm2', advertiseClientUrls: 'https://127.0.0.12:2379', initialClusterState: 'existing' });
    expect(id.member.initialCluster).toBe('m1=https://127.0.0.11:2380,m2=https://127.0.0.12:2380');
    expect(id.assumptions.map((a) => a.setting)).toEqual(['initial-cluster']);
  });

  it('a node not in the running cluster must be added first; TLS files it lacks are assumed and named', () => {
    const id = memberIdentity({
      members: cluster.slice(0, 2),
      running: true,
      name: 'm4',
      initialAdvertisePeerUrls: 'https://10.0.0.4:2380',
      fallbackName: 'host',
    });
    expect(id.needsMemberAdd).toBe(true);
    expect(id.member.initialCluster).toBe('m1=https://127.0.0.11:2380,m2=https://127.0.0.12:2380,m4=https://10.0.0.4:2380');
    expect(id.assumptions.map((a) => a.fix)).toEqual([
      '--advertise-client-urls',
      '--target-data-dir (or run with --data-dir on the disk etcd will use)',
      '--cert-file',
      '--key-file',
      '--trusted-ca-file',
    ]);
  });

  it('each member of a planned cluster gets its own files from the same list (state new)', () => {
    const planned = cluster.map((m, i) => ({ ...m, name: `m${i + 1}`, clientUrls: [m.peerUrls[0]!.replace('2380', '2379')] }));
    const ids = planned.map((m) => memberIdentity({ members: planned, name: m.name, fallbackName: 'x', dataDir: `/d/${m.name}`, ...tls }));
    expect(new Set(ids.map((i) => i.member.initialCluster)).size).toBe(1);
    expect(ids[0]!.member.initialCluster).toBe('m1=https://127.0.0.11:2380,m2=https://127.0.0.12:2380,m3=https://127.0.0.13:2380');
    expect(ids.map((i) => [i.member.name, i.member.initialClusterState, i.member.advertiseClientUrls])).toEqual([
      ['m1', 'new', 'https://127.0.0.11:2379'],
      ['m2', 'new', 'https://127.0.0.12:2379'],
      ['m3', 'new', 'https://127.0.0.13:2379'],
    ]);
    expect(ids.every((i) => i.assumptions.length === 0)).toBe(true);
  });

  it('writes what it assumed in both headers, each with the flag that fixes it', () => {
    const id = memberIdentity({ fallbackName: 'host' });
    const o = { ...options(id.member), assumptions: id.assumptions };
    for (const text of [renderEnvFile(advice(), o), renderUnitFile(advice(), o)]) {
      expect(text).toMatch(/^# ASSUMED/m);
      expect(text).toMatch(/^# {3}name=host: .* Give --name to set it\./m);
      expect(text).toMatch(/Give --target-data-dir/);
    }
  });
});
