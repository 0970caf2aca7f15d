// Scrapes a real etcd's /metrics on its https client URL (CA, client certificate) and on its http --listen-metrics-urls.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsUrl, scrapeMetrics, ScrapeError } from '../../src/metrics/scrape.js';
import { freePort } from '../../src/util/ports.js';
import { makeTestCa, type TestCa } from '../support/openssl.js';

const HOST = '127.0.0.33';
let ca: TestCa;
let dir = '';
let etcd: ResultPromise | null = null;
let clientUrl = '';
let metricsListen = '';
let files: { ca: Buffer; cert: Buffer; key: Buffer };

beforeAll(async () => {
  ca = await makeTestCa('obs-scrape-');
  dir = await mkdtemp(join(tmpdir(), 'obs-scrape-'));
  const server = await ca.issue('server', { sans: [HOST] });
  const client = await ca.issue('client', { sans: [HOST] });
  files = { ca: await readFile(ca.caCert), cert: await readFile(client.cert), key: await readFile(client.key) };
  const [clientPort, peerPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  clientUrl = `https://${HOST}:${clientPort}`;
  metricsListen = `http://${HOST}:${metricsPort}`;
  const peerUrl = `http://${HOST}:${peerPort}`;
  etcd = execa(
    'etcd',
    [
      '--name',
      'obs-scrape',
      '--data-dir',
      join(dir, 'data'),
      '--listen-client-urls',
      clientUrl,
      '--advertise-client-urls',
      clientUrl,
      '--listen-peer-urls',
      peerUrl,
      '--initial-advertise-peer-urls',
      peerUrl,
      '--initial-cluster',
      `obs-scrape=${peerUrl}`,
      '--listen-metrics-urls',
      metricsListen,
      '--cert-file',
      server.cert,
      '--key-file',
      server.key,
      '--trusted-ca-file',
      ca.caCert,
      '--client-cert-auth',
    ],
    { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', cleanup: true },
  );
  const end = Date.now() + 20_000;
  while (
    !(await fetch(`${metricsListen}/health`, { signal: AbortSignal.timeout(500) }).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > end) throw new Error('etcd did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  if (etcd !== null) {
    etcd.kill('SIGTERM');
    await etcd;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
  await ca?.remove();
});

describe('scrapeMetrics', () => {
  it('reads /metrics over https with the CA, client certificate and key', async () => {
    const s = await scrapeMetrics(metricsUrl(clientUrl), { tls: files });
    expect(s.url).toBe(`${clientUrl}/metrics`);
    expect(s.families.get('etcd_server_has_leader')!.samples[0]!.value).toBe(1);
    expect(Math.abs(s.tMs - Date.now())).toBeLessThan(5000);
    expect(new Date(s.at).getTime()).toBe(s.tMs);
    expect(s.text).toContain('# TYPE etcd_disk_wal_fsync_duration_seconds histogram');
  });

  it('reads the plain http metrics listener without TLS', async () => {
    const s = await scrapeMetrics(metricsUrl(metricsListen));
    expect(s.families.has('etcd_disk_wal_fsync_duration_seconds')).toBe(true);
  });

  it('says why a scrape failed: no client certificate, no CA, refused, not /metrics', async () => {
    await expect(scrapeMetrics(metricsUrl(clientUrl), { tls: { ca: files.ca } })).rejects.toThrow(ScrapeError);
    await expect(scrapeMetrics(metricsUrl(clientUrl))).rejects.toThrow(/TLS|certificate/i);
    const closed = await freePort();
    await expect(scrapeMetrics(`http://${HOST}:${closed}/metrics`)).rejects.toThrow(/connection refused/);
    await expect(scrapeMetrics(`${metricsListen}/health`)).rejects.toThrow(/not Prometheus text format/);
    await expect(scrapeMetrics(`${metricsListen}/nothing-here`)).rejects.toThrow(/HTTP 404/);
  });
});

describe('metricsUrl', () => {
  it('adds /metrics to a bare client URL and keeps a given path', () => {
    expect(metricsUrl('http://10.0.0.1:2379')).toBe('http://10.0.0.1:2379/metrics');
    expect(metricsUrl('https://10.0.0.1:2381/')).toBe('https://10.0.0.1:2381/metrics');
    expect(metricsUrl('http://10.0.0.1:2381/custom')).toBe('http://10.0.0.1:2381/custom');
  });
});
