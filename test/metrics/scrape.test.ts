// Scrapes a real etcd's /metrics on its https client URL (CA, client certificate) and on its http --listen-metrics-urls.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsUrl, scrapeMetrics, ScrapeError } from '../../src/metrics/scrape.js';
import { freePort } from '../../src/util/ports.js';
import { startTlsEtcd, type TlsEtcd } from '../support/tls-etcd.js';

const HOST = '127.0.0.33';
let etcd: TlsEtcd | null = null;
let clientUrl = '';
let metricsListen = '';
let files: { ca: Buffer; cert: Buffer; key: Buffer };

beforeAll(async () => {
  metricsListen = `http://${HOST}:${await freePort(HOST)}`;
  etcd = await startTlsEtcd(HOST, { name: 'obs-scrape', extraArgs: ['--listen-metrics-urls', metricsListen] });
  clientUrl = etcd.endpoint;
  files = { ca: await readFile(etcd.cacert), cert: await readFile(etcd.cert), key: await readFile(etcd.key) };
});

afterAll(async () => {
  await etcd?.stop();
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
