// Proof that the generated etcd.service + etcd.conf start the real etcd they are for (3.4.23, 3.5.30; 3.5.16 with TLS), one member and three, plain and TLS, from the unit's ExecStart and from etcd.conf alone.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { envNameOf } from '../../src/etcd/flags.js';
import { freePorts } from '../../src/util/ports.js';
import { advise, ensureBuilt } from '../commands/advise-cli.js';
import { describeEtcd, ETCD_MATRIX_WIDE, type EtcdUnderTest } from '../support/etcd-versions.js';
import { makeTestCa } from '../support/openssl.js';
import {
  execStartArgv,
  parseEnvironmentFile,
  putGet,
  spawnEtcd,
  spawnEtcdFromShell,
  unitSettings,
  waitHealthy,
  type ClientTls,
  type StartedEtcd,
} from './unit-systemd.js';

// Its own loopback address: a port freePort found free on 127.0.0.1 could be taken by another file's throwaway etcd before these members bind it.
const HOST = '127.0.0.80';
let scratch: string;
const running: StartedEtcd[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ea6-unit-'));
  await ensureBuilt();
}, 300_000);
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

interface Generated {
  name: string;
  clientUrl: string;
  unit: string;
  conf: string;
  confPath: string;
}

/** Runs `advise` for each member of a cluster on free loopback ports, with member settings given as advise options. */
async function generateCluster(size: number, tag: string, whatIf: string[], scheme: 'http' | 'https' = 'http'): Promise<Generated[]> {
  const ports = await freePorts(2 * size, HOST);
  const members = [];
  for (let i = 1; i <= size; i++)
    members.push({ name: `${tag}-m${i}`, client: `${scheme}://${HOST}:${ports[2 * i - 2]}`, peer: `${scheme}://${HOST}:${ports[2 * i - 1]}` });
  const initialCluster = members.map((m) => `${m.name}=${m.peer}`).join(',');
  const out: Generated[] = [];
  for (const m of members) {
    const dir = join(scratch, m.name);
    const r = await advise([
      ...whatIf,
      '--name',
      m.name,
      '--data-dir',
      join(dir, 'data'),
      '--initial-cluster',
      initialCluster,
      '--initial-cluster-token',
      `ea6-${tag}`,
      '--listen-client-urls',
      m.client,
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    out.push({
      name: m.name,
      clientUrl: m.client,
      unit: await readFile(join(dir, 'etcd.service'), 'utf8'),
      conf: await readFile(join(dir, 'etcd.conf'), 'utf8'),
      confPath: join(dir, 'etcd.conf'),
    });
  }
  return out;
}

/** The advise options that make the files for `etcd`: its binary in ExecStart, its release for the flags. */
const forRelease = (etcd: EtcdUnderTest): string[] => ['--etcd-binary', etcd.binary, '--etcd-version', etcd.version];

function startFromUnit(g: Generated, release: EtcdUnderTest): StartedEtcd {
  const argv = execStartArgv(g.unit);
  expect(argv[0]).toBe(release.binary);
  const env = parseEnvironmentFile(g.conf);
  // etcd exits when a flag and its ETCD_* variable are both set: the unit must carry none that etcd.conf has.
  const flagsInUnit = argv
    .slice(1)
    .filter((a) => a.startsWith('--'))
    .map((a) => envNameOf(a.replace(/^--/, '').split('=')[0]!));
  expect(flagsInUnit.filter((f) => f in env)).toEqual([]);
  expect(unitSettings(g.unit).get('EnvironmentFile')).toEqual(['/etc/etcd/etcd.conf']);
  const etcd = spawnEtcd(argv, env);
  running.push(etcd);
  return etcd;
}

function startFromShell(g: Generated, binary: string): StartedEtcd {
  const etcd = spawnEtcdFromShell(g.confPath, binary);
  running.push(etcd);
  return etcd;
}

describeEtcd('generated files', (release) => {
  const tagOf = (via: string, size: number) => `${via}${size}-${release.version.replace(/\./g, '')}`;
  describe.each([
    { via: "the unit's ExecStart with etcd.conf as its environment", start: (g: Generated) => startFromUnit(g, release), tag: 'unit' },
    { via: 'etcd.conf alone, sourced by a shell', start: (g: Generated) => startFromShell(g, release.binary), tag: 'shell' },
  ])('etcd started from $via', ({ start, tag }) => {
    it.each([1, 3])('%i member(s) start and serve put/get', async (size) => {
      // A slow WAN and disk, so that every tuned line (heartbeat, election, snapshot, quota, compaction, logger) is in the file.
      const members = await generateCluster(size, tagOf(tag, size), [
        '--rtt-p99-ms',
        '150',
        '--fsync-p999-ms',
        '900ms',
        '--write-rate',
        '500',
        '--db-size',
        '1GiB',
        '--memory',
        '4GiB',
        ...forRelease(release),
      ]);
      const env = parseEnvironmentFile(members[0]!.conf);
      expect(env.ETCD_HEARTBEAT_INTERVAL).toBe('150');
      expect(env.ETCD_ELECTION_TIMEOUT).toBe('1800');
      // 3.4 needs --logger zap; 3.5 logs with zap by default, so the file leaves it out.
      expect(env.ETCD_LOGGER).toBe(release.minor === '3.4' ? 'zap' : undefined);
      const started = members.map(start);
      await Promise.all(members.map((m, i) => waitHealthy(started[i]!, m.clientUrl)));
      const last = members[members.length - 1]!;
      expect(await putGet(members[0]!.clientUrl, last.clientUrl, `/ea6/${tag}/${size}`, 'served')).toBe('served');
      // The values reached etcd: zap logs its effective configuration.
      expect(started[0]!.log()).toContain('"heartbeat-interval":"150ms"');
      expect(started[0]!.log()).toContain('"election-timeout":"1.8s"');
      expect(started[0]!.log()).toContain(`"etcd-version":"${release.version}"`);
    });
  });
});

describeEtcd(
  'TLS',
  (release) => {
    it('three members with TLS on the client and peer side start from the unit, and serve only clients with a certificate', async () => {
      // One certificate that every member serves and presents to its peers; a peer dials from 127.0.0.1 (the kernel's source
      // address for HOST) and etcd's peer-client-cert-auth checks the dialer's certificate against that address.
      const ca = await makeTestCa('ea6-certs-');
      onTestFinished(() => ca.remove());
      const member = await ca.issue('ea6-member', { sans: [HOST, '127.0.0.1'] });
      const certs = { ca: ca.caCert, cert: member.cert, key: member.key };
      const members = await generateCluster(
        3,
        `tls${release.version.replace(/\./g, '')}`,
        ['--rtt-p99-ms', '1', ...forRelease(release), '--cert-file', certs.cert, '--key-file', certs.key, '--trusted-ca-file', certs.ca],
        'https',
      );
      const env = parseEnvironmentFile(members[0]!.conf);
      expect(env).toMatchObject({ ETCD_CLIENT_CERT_AUTH: 'true', ETCD_PEER_CLIENT_CERT_AUTH: 'true', ETCD_PEER_CERT_FILE: certs.cert });
      expect(env.ETCD_INITIAL_CLUSTER).toMatch(/^tls\d+-m1=https:/);
      const started = members.map((m) => startFromUnit(m, release));
      const tls: ClientTls = { ca: await readFile(certs.ca), cert: await readFile(certs.cert), key: await readFile(certs.key) };
      await Promise.all(members.map((m, i) => waitHealthy(started[i]!, m.clientUrl, 30_000, tls)));
      expect(await putGet(members[0]!.clientUrl, members[2]!.clientUrl, '/ea6/tls', 'secret', tls)).toBe('secret');
      // Without a client certificate the member refuses: client-cert-auth is on.
      const noClientCert: ClientTls = { ca: tls.ca };
      expect(await putGet(members[0]!.clientUrl, members[0]!.clientUrl, '/ea6/tls', 'x', noClientCert)).toBeNull();
      expect(started[0]!.log()).toContain(release.version);
    });
  },
  ETCD_MATRIX_WIDE,
);
