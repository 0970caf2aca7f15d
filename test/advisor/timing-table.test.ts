// Heartbeat and election over the RTT table and slow disks; every pair the advisor emits is started by a real etcd 3.4.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../../src/advisor/advise.js';
import type { WhatIf } from '../../src/advisor/inputs.js';
import { DEFAULT_HEARTBEAT_MS } from '../../src/etcd/flags.js';
import { ELECTION_PER_HEARTBEAT, ELECTION_PER_RTT, MAX_ELECTION_MS } from '../../src/advisor/rules/advice-election-timeout.js';
import { flagMap, type Advice } from '../../src/model/advice.js';
import type { Artifacts } from '../../src/model/artifacts.js';
import { probeError } from '../../src/model/probe.js';
import { renderEnvFile, renderUnitFile, resolveMember, type UnitFileOptions } from '../../src/report/unit.js';
import { freePorts } from '../../src/util/ports.js';
import { execStartArgv, parseEnvironmentFile, spawnEtcd, waitFor, type StartedEtcd } from '../report/unit-systemd.js';

/** What-if planning: nothing measured on this host, so only the table's values count. */
// Its own loopback address: a port freePort found free on 127.0.0.1 could be taken by another file's throwaway etcd before this one binds it.
const HOST = '127.0.0.83';
const NOTHING_MEASURED: Artifacts = { host: probeError('not measured in this test') };

interface Row {
  name: string;
  whatIf: WhatIf;
  heartbeat: number | null;
  election: number | null;
}

const ROWS: Row[] = [
  // A sub-millisecond LAN keeps the defaults: 500 ms for a 0.5 ms ping is the classic mistake.
  { name: 'LAN 0.5 ms', whatIf: { rttP99Ms: 0.5 }, heartbeat: 100, election: 1000 },
  { name: 'metro 5 ms', whatIf: { rttP99Ms: 5 }, heartbeat: 100, election: 1000 },
  { name: 'region 50 ms', whatIf: { rttP99Ms: 50 }, heartbeat: 100, election: 1000 },
  { name: 'continent 150 ms', whatIf: { rttP99Ms: 150 }, heartbeat: 150, election: 1500 },
  { name: 'global 400 ms', whatIf: { rttP99Ms: 400 }, heartbeat: 400, election: 4000 },
  { name: 'satellite 2000 ms', whatIf: { rttP99Ms: 2000 }, heartbeat: 2000, election: 20000 },
  { name: 'unsupported 6000 ms', whatIf: { rttP99Ms: 6000 }, heartbeat: null, election: null },
  { name: 'LAN, slow disk p99.9 900 ms', whatIf: { rttP99Ms: 0.5, fsyncP999Ms: 900 }, heartbeat: 100, election: 1800 },
  { name: 'LAN, very slow disk p99.9 3 s', whatIf: { rttP99Ms: 0.5, fsyncP999Ms: 3000 }, heartbeat: 100, election: 6000 },
  { name: 'LAN, only a p99 of 700 ms', whatIf: { rttP99Ms: 0.5, fsyncP99Ms: 700 }, heartbeat: 100, election: 1400 },
  { name: '150 ms WAN, slow disk 2 s', whatIf: { rttP99Ms: 150, fsyncP999Ms: 2000 }, heartbeat: 150, election: 4050 },
  { name: 'LAN with 1.5 s network stalls', whatIf: { rttP99Ms: 2, stallMs: 1500 }, heartbeat: 100, election: 3000 },
  { name: 'disk stalls of 30 s', whatIf: { rttP99Ms: 0.5, fsyncP999Ms: 30000 }, heartbeat: null, election: null },
];

describe('heartbeat and election over the RTT table', () => {
  it.each(ROWS)('$name -> heartbeat $heartbeat, election $election', ({ whatIf, heartbeat, election }) => {
    const result = advise(NOTHING_MEASURED, whatIf);
    const flags = flagMap(result.advice);
    expect(flags['heartbeat-interval'] ?? null).toBe(heartbeat);
    expect(flags['election-timeout'] ?? null).toBe(election);
    const check = result.checks.find((c) => c.id === 'advice.election-timeout')!;
    if (election === null) {
      expect(check.status).toBe('fail');
      expect(check.message).toMatch(/Topology unsupported/);
      return;
    }
    const hb = heartbeat!;
    expect(hb).toBeGreaterThanOrEqual(DEFAULT_HEARTBEAT_MS);
    expect(election).toBeGreaterThanOrEqual(ELECTION_PER_RTT * whatIf.rttP99Ms!);
    expect(election).toBeGreaterThanOrEqual(ELECTION_PER_HEARTBEAT * hb);
    expect(election).toBeLessThanOrEqual(MAX_ELECTION_MS);
    expect(election % hb).toBe(0);
    expect(check.status).toBe('info');
    const rec = result.advice.flags.find((f) => f.flag === 'election-timeout')!;
    expect(rec.basis).toMatch(/given by the operator/);
    expect(rec.ifIgnored.length).toBeGreaterThan(20);
  });
});

describe('real etcd 3.4 accepts every emitted pair', () => {
  let scratch: string;
  const running: StartedEtcd[] = [];
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ea6-pairs-'));
  });
  afterAll(async () => {
    await Promise.all(running.map((e) => e.stop()));
    await rm(scratch, { recursive: true, force: true });
  });

  async function startWith(advice: Advice, name: string): Promise<{ etcd: StartedEtcd; clientUrl: string }> {
    const [clientPort, peerPort] = await freePorts(2, HOST);
    const clientUrl = `http://${HOST}:${clientPort}`;
    const peerUrl = `http://${HOST}:${peerPort}`;
    const options: UnitFileOptions = {
      member: resolveMember({ name, dataDir: join(scratch, name), listenClientUrls: clientUrl, initialAdvertisePeerUrls: peerUrl }, name),
      etcdBinary: '/usr/bin/etcd',
      envFilePath: '/etc/etcd/etcd.conf',
      user: 'etcd',
      provenance: 'timing-table test',
    };
    const etcd = spawnEtcd(execStartArgv(renderUnitFile(advice, options)), parseEnvironmentFile(renderEnvFile(advice, options)));
    running.push(etcd);
    return { etcd, clientUrl };
  }

  it('starts one etcd per distinct pair, all at once: each passes validation and runs with its values', async () => {
    const pairs = new Map<string, Advice>();
    for (const row of ROWS) {
      const advice = advise(NOTHING_MEASURED, { ...row.whatIf, etcdVersion: '3.4' }).advice;
      const f = flagMap(advice);
      if (f['election-timeout'] !== undefined) pairs.set(`${f['heartbeat-interval']}-${f['election-timeout']}`, advice);
    }
    expect(pairs.size).toBeGreaterThanOrEqual(8);
    const started = await Promise.all([...pairs].map(async ([key, advice]) => ({ key, ...(await startWith(advice, `pair-${key}`)) })));
    // /version answers once the configuration passed etcd's validation and the server is up; a leader may take up to 2x the election timeout.
    await Promise.all(
      started.map(({ etcd, clientUrl }) => waitFor(etcd, `${clientUrl}/version`, (b) => typeof (b as { etcdserver?: string } | null)?.etcdserver === 'string')),
    );
    for (const { key, etcd } of started) {
      const [hb, el] = key.split('-').map(Number);
      const fmt = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : ms > 1000 ? `${ms / 1000}s` : `${ms}ms`);
      expect(etcd.log()).toContain(`"heartbeat-interval":"${fmt(hb!)}"`);
      expect(etcd.log()).toContain(`"election-timeout":"${fmt(el!)}"`);
      expect(etcd.child.exitCode).toBeNull();
    }
  });

  it('etcd itself refuses what the advisor never emits: an election timeout above 50 s, or 5x heartbeat above it', async () => {
    const base = advise(NOTHING_MEASURED, { rttP99Ms: 0.5, etcdVersion: '3.4' }).advice;
    const withFlags = (hb: number, el: number): Advice => ({
      ...base,
      flags: base.flags.map((f) => (f.flag === 'heartbeat-interval' ? { ...f, value: hb } : f.flag === 'election-timeout' ? { ...f, value: el } : f)),
    });
    const tooLong = await startWith(withFlags(6000, 60000), 'too-long');
    const tooShort = await startWith(withFlags(6000, 1000), 'too-short');
    expect(await tooLong.etcd.exited).not.toBe(0);
    expect(await tooShort.etcd.exited).not.toBe(0);
    expect(tooLong.etcd.log()).toMatch(/too long, and should be set less than 50000ms/);
    expect(tooShort.etcd.log()).toMatch(/should be at least as 5 times as --heartbeat-interval/);
  });
});
