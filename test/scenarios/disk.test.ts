// Disk profiles from scenario files: the shipped ones load as documented, and a file cannot make fio write or run elsewhere.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { ETCD_FIO_PROFILE } from '../../src/probes/disk.js';
import { listDiskProfiles, loadDiskProfile, parseDiskProfile, parseFioSize } from '../../src/scenarios/disk.js';

describe('shipped disk profiles', () => {
  it('lists etcd, openshift and throughput', async () => {
    expect(await listDiskProfiles()).toEqual(expect.arrayContaining(['etcd', 'openshift', 'throughput']));
  });

  it('scenarios/disk-etcd.yaml is the built-in etcd profile that `run` uses', async () => {
    const fromFile = await loadDiskProfile('etcd');
    expect(fromFile.args).toEqual(ETCD_FIO_PROFILE.args);
    expect(fromFile.sizeBytes).toBe(ETCD_FIO_PROFILE.sizeBytes);
    expect(fromFile.source).toMatch(/op-guide\/hardware/);
  });

  it('openshift is time-based: 60 s over 100 MiB of 8000-byte writes with fdatasync', async () => {
    const p = await loadDiskProfile('openshift');
    expect(p.args).toEqual(expect.arrayContaining(['--time_based', '--runtime=60', '--size=100m', '--bs=8000', '--fdatasync=1']));
    expect(p.sizeBytes).toBe(100 * 2 ** 20);
  });

  it('throughput: direct 8k, several jobs, group_reporting; space is size x jobs', async () => {
    const p = await loadDiskProfile('throughput');
    expect(p.args).toEqual(expect.arrayContaining(['--direct=1', '--bs=8k', '--group_reporting', '--numjobs=4']));
    expect(p.args.some((a) => /fsync|fdatasync/.test(a))).toBe(false);
    expect(p.sizeBytes).toBe(4 * 64 * 2 ** 20);
  });
});

describe('profile files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ea3-profiles-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a path', async () => {
    const file = join(dir, 'tiny.yaml');
    await writeFile(file, 'kind: disk-profile\nname: tiny\nfio:\n  rw: write\n  fdatasync: 1\n  bs: 2300\n  size: 1m\n');
    expect(await loadDiskProfile(file)).toEqual({ name: 'tiny', args: ['--rw=write', '--fdatasync=1', '--bs=2300', '--size=1m'], sizeBytes: 2 ** 20 });
  });

  it('an unknown name lists the profiles there are', async () => {
    await expect(loadDiskProfile('nope')).rejects.toThrow(/no such profile \(available: .*etcd.*openshift.*throughput/);
  });

  const refused: [string, string, RegExp][] = [
    ['where fio writes', 'directory: /etc', /"directory" is not allowed/],
    ['a file name', 'filename: /dev/vda', /"filename" is not allowed/],
    ['a command to run', 'exec_prerun: rm -rf /', /"exec_prerun" is not allowed/],
    ['the exec engine', 'ioengine: exec', /ioengine: "exec" is not a valid value/],
    ['a read test', 'rw: read', /rw: "read" is not a valid value/],
    ['a size that is not one', 'size: lots', /size: "lots" is not a valid value/],
    ['a flag given a value', 'time_based: 1', /takes true or false/],
  ];
  for (const [what, line, message] of refused) {
    it(`refuses ${what}`, () => {
      const key = line.split(':')[0]!;
      const base = { rw: 'rw: write', bs: 'bs: 2300', size: 'size: 1m' } as Record<string, string>;
      base[key] = line;
      const text = `kind: disk-profile\nname: bad\nfio:\n${Object.values(base)
        .map((l) => `  ${l}`)
        .join('\n')}\n`;
      expect(() => parseDiskProfile(text, 'bad.yaml')).toThrow(UsageError);
      expect(() => parseDiskProfile(text, 'bad.yaml')).toThrow(message);
    });
  }

  const profile = (lines: string) => `kind: disk-profile\nname: bad\nfio:\n  rw: write\n  bs: 2300\n  size: 1m\n${lines}`;
  it.each([
    // a wrong type
    ['numjobs: many', /^bad\.yaml: fio option numjobs: "many" is not a valid value$/],
    ['direct: yes', /^bad\.yaml: fio option direct: "yes" is not a valid value$/],
    ['group_reporting: [1]', /^bad\.yaml: fio option "group_reporting" takes true or false$/],
    // a non-finite number (YAML's .inf)
    ['runtime: .inf', /^bad\.yaml: fio option runtime: Infinity is not a valid value$/],
    ['iodepth: .nan', /^bad\.yaml: fio option iodepth: NaN is not a valid value$/],
    // out of the range in util/limits.ts
    ['numjobs: 100000', /^bad\.yaml: fio option numjobs: must be from 1 to 256, got 100000$/],
    ['runtime: 90000', /^bad\.yaml: fio option runtime: must be from 1 s to 86400 s, got 90000$/],
  ])('names the option of a bad value: %s', (line, message) => {
    expect(() => parseDiskProfile(profile(`  ${line}\n`), 'bad.yaml')).toThrow(message);
  });

  it('names an unknown key at the top, and a wrong type there', () => {
    expect(() => parseDiskProfile(profile('extra: 1\n'), 'bad.yaml')).toThrow(
      /^bad\.yaml: extra: unknown key \(expected kind, name, description, source, fio\)$/,
    );
    expect(() => parseDiskProfile(profile('source: [a]\n'), 'bad.yaml')).toThrow(/^bad\.yaml: source: must be text, got \["a"\]$/);
    expect(() => parseDiskProfile(profile('').replace('size: 1m', 'size: 100g'), 'bad.yaml')).toThrow(
      /^bad\.yaml: fio option size: must be from 1 B to 64 GiB, got "100g"$/,
    );
  });

  it('says what is missing', () => {
    expect(() => parseDiskProfile('kind: load\nname: x\nfio: {}\n', 'f.yaml')).toThrow(/f\.yaml: expected "kind: disk-profile"/);
    expect(() => parseDiskProfile('kind: disk-profile\nname: x\nfio:\n  rw: write\n  bs: 4k\n', 'f.yaml')).toThrow(/"size" is required/);
    expect(() => parseDiskProfile('kind: disk-profile\nname: x\nfio:\n  rw: write\n  bs: 4k\n  size: 1m\n  time_based: true\n', 'f.yaml')).toThrow(
      /needs "runtime"/,
    );
    expect(() => parseDiskProfile('kind: [', 'f.yaml')).toThrow(/f\.yaml: not valid YAML/);
  });
});

describe('parseFioSize', () => {
  it('reads fio sizes in powers of 1024', () => {
    expect(parseFioSize('22m')).toBe(22 * 2 ** 20);
    expect(parseFioSize('8k')).toBe(8192);
    expect(parseFioSize('1GiB')).toBe(2 ** 30);
    expect(parseFioSize(2300)).toBe(2300);
    expect(parseFioSize('0')).toBeNull();
    expect(parseFioSize('-5m')).toBeNull();
  });
});
