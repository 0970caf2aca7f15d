// report.html as text: escaped values from outside, one allowed script by hash, nothing fetched, and a clear section for what could not run.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COPY_SCRIPT, inlineJson, renderHtml } from '../../src/report/html.js';
import { renderAll } from '../../src/report/write.js';
import { HOSTILE, hostileReport, loadFixture } from './fixtures.js';

const FILES = { unitFile: '[Service]\n', envFile: 'ETCD_NAME=x\n' };

describe('renderHtml', () => {
  it('escapes every value from outside, in the page and in the SVG charts', () => {
    const html = renderAll(hostileReport())['report.html'];
    for (const raw of Object.values(HOSTILE)) {
      if (/[<>"]/.test(raw)) expect(html, raw).not.toContain(raw);
    }
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Only the page's own two script elements (the data island and the copy buttons).
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toMatch(/<(img|iframe|svg onload)/);
  });

  it('allows exactly its own script by hash and loads nothing', () => {
    const html = renderHtml(loadFixture('full'), FILES);
    const hash = createHash('sha256').update(COPY_SCRIPT).digest('base64').replace(/=/g, '&#x3D;');
    expect(html).toContain(`script-src &#x27;sha256-${hash}&#x27;`);
    expect(html).toContain(`<script>${COPY_SCRIPT}</script>`);
    expect(html).toContain('default-src &#x27;none&#x27;');
    // No attribute or stylesheet that would fetch: no src=, no href to another document, no url() or @import.
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).not.toMatch(/href="(?!#)/);
    expect(html).not.toMatch(/url\(|@import/);
  });

  it('prints a check value as the terminal does: bytes in human units, a count bare', () => {
    const report = loadFixture('full');
    report.checks.push(
      { id: 'advice.quota', section: 'advice', title: 'quota', status: 'info', value: 2147483648, unit: 'bytes', message: 'q' },
      { id: 'advice.snapshot', section: 'advice', title: 'snapshots', status: 'info', value: 100000, unit: 'count', message: 's' },
    );
    const html = renderHtml(report, FILES);
    expect(html).toContain('<td>quota</td><td class="num">2 GiB</td>');
    expect(html).toContain('<td>snapshots</td><td class="num">100,000</td>');
    expect(html).not.toContain('2,147,483,648');
  });

  it('names the threshold of a check that needs attention without an empty value before it', () => {
    const report = loadFixture('full');
    report.checks.push({ id: 'x.slow', section: 'advice', title: 'slow applies', status: 'warn', threshold: 'no slow apply', message: 'm' });
    const html = renderHtml(report, FILES);
    expect(html).toContain('<strong>slow applies</strong> <span class="meta">(threshold no slow apply)</span>');
    expect(html).not.toContain('(; threshold');
    // Only the sections present are in the navigation.
    expect(html).not.toContain('href="#observe"');
  });

  it('puts the verdict first and the failing checks on top', () => {
    const html = renderHtml(loadFixture('no-fio'), FILES);
    const verdict = html.indexOf('COULD NOT COMPLETE');
    const attention = html.indexOf('id="attention"');
    const host = html.indexOf('id="host"');
    expect(verdict).toBeGreaterThan(0);
    expect(verdict).toBeLessThan(attention);
    expect(attention).toBeLessThan(host);
    const checksTable = html.slice(html.indexOf('id="checks"'), host);
    expect(checksTable.indexOf('badge error')).toBeLessThan(checksTable.indexOf('badge pass'));
  });

  it('says why the disk section could not run instead of drawing it', () => {
    const html = renderHtml(loadFixture('no-fio'), FILES);
    const disk = html.slice(html.indexOf('id="disk"'), html.indexOf('id="network"'));
    expect(disk).toContain('<strong>Could not run:</strong> fio is not installed (not found on PATH as &quot;fio&quot;)');
    expect(disk).not.toContain('<svg');
  });

  it('renders a report with an artifact not asked for, a failed host probe, a failed peer and lost probes', () => {
    const r = loadFixture('full');
    delete r.artifacts.load;
    r.artifacts.host = { ok: false, error: 'os.cpus() failed' };
    const net = r.artifacts.network!;
    if (!net.ok) throw new Error('fixture changed');
    const peer = net.data.peers[0]!;
    net.data.peers.push({ ...peer, host: '10.0.0.9', error: 'ping: connect: Network is unreachable', received: 0, samples: [], samplesMs: [] });
    peer.samples[5] = { tMs: peer.samples[5]!.tMs, rttMs: null };
    const html = renderHtml(r, FILES);
    expect(html.slice(html.indexOf('id="load"'), html.indexOf('id="recommendations"'))).toContain('Not measured in this run.');
    expect(html).toContain('<strong>Could not run:</strong> os.cpus() failed');
    expect(html).toContain('<strong>Could not measure 10.0.0.9:</strong> ping: connect: Network is unreachable');
    expect(html).toContain('lost probe (1)');
  });

  it('names the client as the limit when it was', () => {
    const r = loadFixture('quick');
    if (!r.artifacts.load?.ok) throw new Error('fixture changed');
    expect(renderHtml(r, FILES)).not.toContain('The client limited the result:');
    // The advisor decides from the raw figure: a load generator that used a whole core set the pace.
    r.artifacts.load.data.phases[0]!.clientCpuPct = 99;
    expect(renderHtml(r, FILES)).toContain('The client limited the result:');
  });
});

describe('inlineJson', () => {
  it('cannot close the script element it sits in', () => {
    const text = inlineJson({ a: '</script><!-- & \u2028' });
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual({ a: '</script><!-- & \u2028' });
  });
});
