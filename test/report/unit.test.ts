// Member settings from advise options, and the env file: quoted as systemd reads it, every option once, TLS on both sides.
import { describe, expect, it } from 'vitest';
import type { Advice } from '../../src/model/advice.js';
import { UsageError } from '../../src/model/errors.js';
import { envNameOf } from '../../src/etcd/flags.js';
import { renderEnvFile, renderUnitFile, resolveMember, type UnitFileOptions } from '../../src/report/unit.js';
import { execStartArgv, parseEnvironmentFile } from './unit-systemd.js';

const advice = (flags: Advice['flags'] = []): Advice => ({ etcdVersion: '3.4', flags, unitSettings: [] });
const options = (member = resolveMember({}, 'n1')): UnitFileOptions => ({ member, etcdBinary: '/usr/bin/etcd', envFilePath: '/etc/etcd/etcd.conf', user: 'etcd', provenance: 'test' });

describe('resolveMember', () => {
  it('starts as it is on loopback when nothing is given', () => {
    expect(resolveMember({}, 'n1')).toMatchObject({ name: 'n1', listenClientUrls: 'http://127.0.0.1:2379', initialCluster: 'n1=http://127.0.0.1:2380', initialClusterState: 'new' });
  });

  it('takes its own peer URLs from --initial-cluster, and listens where it advertises', () => {
    const m = resolveMember({ name: 'b', initialCluster: 'a=http://10.0.0.1:2380,b=http://10.0.0.2:2380' }, 'x');
    expect(m.initialAdvertisePeerUrls).toBe('http://10.0.0.2:2380');
    expect(m.listenPeerUrls).toBe('http://10.0.0.2:2380');
    expect(m.initialCluster).toBe('a=http://10.0.0.1:2380,b=http://10.0.0.2:2380');
  });

  it('turns on TLS for clients and peers when any TLS file is given, one side standing in for the other', () => {
    const m = resolveMember({ name: 'a', peerCertFile: '/p.pem', peerKeyFile: '/p-key.pem', peerTrustedCaFile: '/ca.pem' }, 'a');
    expect(m.tls).toEqual({ certFile: '/p.pem', keyFile: '/p-key.pem', trustedCaFile: '/ca.pem', peerCertFile: '/p.pem', peerKeyFile: '/p-key.pem', peerTrustedCaFile: '/ca.pem' });
    expect(m.listenClientUrls).toBe('https://127.0.0.1:2379');
    const env = parseEnvironmentFile(renderEnvFile(advice(), options(m)));
    expect(env).toMatchObject({ ETCD_CLIENT_CERT_AUTH: 'true', ETCD_PEER_CLIENT_CERT_AUTH: 'true', ETCD_TRUSTED_CA_FILE: '/ca.pem', ETCD_INITIAL_CLUSTER: 'a=https://127.0.0.1:2380' });
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
    const env = parseEnvironmentFile(renderEnvFile(advice([{ flag: 'auto-compaction-retention', value: tricky, default: '0', unit: '', basis: 'b', rule: 'r', reason: 'why', ifIgnored: 'i', source: 's' }]), options()));
    expect(env.ETCD_AUTO_COMPACTION_RETENTION).toBe(tricky);
  });

  it('sets an option once: a tuned flag that repeats a member setting is an error, not a silent override', () => {
    expect(() => renderEnvFile(advice([{ flag: 'name', value: 'x', default: null, unit: '', basis: 'b', rule: 'r', reason: 'why', ifIgnored: 'i', source: 's' }]), options())).toThrow(/twice/);
  });

  it('keeps every option out of ExecStart, so that none is both a flag and an ETCD_* variable', () => {
    const o = options();
    expect(execStartArgv(renderUnitFile(advice(), o))).toEqual(['/usr/bin/etcd']);
    expect(envNameOf('initial-advertise-peer-urls')).toBe('ETCD_INITIAL_ADVERTISE_PEER_URLS');
  });
});
