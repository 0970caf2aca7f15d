// `disk`'s terminal text, rendered from recorded fio outputs and the recorded run's disk artifact through the advisor's disk checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advise } from '../../../src/advisor/advise.js';
import type { Artifacts } from '../../../src/model/artifacts.js';
import { verdictOf } from '../../../src/model/check.js';
import { probeError, probeOk } from '../../../src/model/probe.js';
import { parseFioOutput } from '../../../src/parsers/fio.js';
import { DISK_VERDICT_TEXT, renderDiskText, type DiskJson } from '../../../src/report/terminal/disk.js';
import { loadFixture } from '../fixtures.js';

const FIO = join(import.meta.dirname, '..', '..', 'fixtures', 'fio');

/** The disk json as `disk` builds it: the artifact and the advisor's disk checks. */
function diskJson(artifacts: Artifacts): DiskJson {
  const checks = advise(artifacts).checks.filter((c) => c.section === 'disk');
  const d = artifacts.disk!;
  if (!d.ok) return { fio: null, disk: null, error: d.error, checks, verdict: verdictOf(checks) };
  const { fio, ...disk } = d.data;
  return { fio, disk, checks, verdict: verdictOf(checks) };
}

function pasted(file: string): DiskJson {
  const fio = parseFioOutput(readFileSync(join(FIO, file), 'utf8'));
  return diskJson({ host: probeError('pasted', 'not-measured'), disk: probeOk({ dir: file, profile: 'pasted output', command: [], filesystem: null, fio }) });
}

describe('renderDiskText', () => {
  it('shows what fio ran, its figures, the checks and the verdict for the recorded run', () => {
    const text = renderDiskText(diskJson(loadFixture('full').artifacts));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^fio-3\.33, profile etcd: fio .*--fdatasync=1/);
    expect(text).toMatch(/^Filesystem: ext4 .* free$/m);
    // Bandwidth and free space in human units, never raw byte counts.
    expect(text).toMatch(/^Writes: \d+ IOPS, [\d.]+ (KiB|MiB|GiB)\/s, \d+ writes in [\d.]+ s/m);
    expect(text).toMatch(/^fdatasync: min [\d.]+ ms, p50 .*p99 [\d.]+ ms/m);
    expect(text).toMatch(/^ {2}PASS {3}fdatasync p99 latency of the WAL disk: /m);
    expect(text.endsWith(`\n${DISK_VERDICT_TEXT.qualified}\n`)).toBe(true);
  });

  it('says a pasted run without fdatasync is not judged, and names a slow disk not qualified', () => {
    expect(renderDiskText(pasted('buffered-4k.json'))).toMatch(/fdatasync: not measured by this run\n[\s\S]*\nNOT JUDGED: /);
    const slow = renderDiskText(pasted('slow-disk.json'));
    expect(slow).toMatch(/^ {2}FAIL /m);
    expect(slow.endsWith(`\n${DISK_VERDICT_TEXT['not-qualified']}\n`)).toBe(true);
  });

  it('says why the disk could not be measured (the recorded run without fio)', () => {
    const text = renderDiskText(diskJson(loadFixture('no-fio').artifacts));
    expect(text).toMatch(/^The disk could not be measured: .*fio is not installed/);
    expect(text.endsWith(`\n${DISK_VERDICT_TEXT.incomplete}\n`)).toBe(true);
  });
});
