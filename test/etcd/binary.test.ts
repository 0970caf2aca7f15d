// resolveEtcdBinary against real binaries: the flag wins over the variable, which wins over PATH; bad choices are usage errors.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ETCD_BINARY_ENV, etcdVersionOf, resolveEtcdBinary } from '../../src/etcd/binary.js';
import { IncompleteError, UsageError } from '../../src/model/errors.js';
import { ETCD_3_4, ETCD_3_5, ETCD_MATRIX_WIDE, requireEtcd } from '../support/etcd-versions.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea-binary-'));
  for (const etcd of ETCD_MATRIX_WIDE) await requireEtcd(etcd);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('etcdVersionOf', () => {
  it.each(ETCD_MATRIX_WIDE.map((e) => [e.version, e.binary]))('reads %s from %s --version', async (version, binary) => {
    expect(await etcdVersionOf(binary)).toBe(version);
  });

  it('is null for a program that is not etcd, and for no program', async () => {
    expect(await etcdVersionOf('/bin/true')).toBeNull();
    expect(await etcdVersionOf(join(dir, 'nothing-here'))).toBeNull();
  });
});

describe('resolveEtcdBinary', () => {
  it('takes --etcd-binary first, then the variable, then etcd on PATH', async () => {
    const env = { [ETCD_BINARY_ENV]: ETCD_3_4.binary, PATH: process.env.PATH };
    expect(await resolveEtcdBinary(ETCD_3_5.binary, env)).toEqual({ binary: ETCD_3_5.binary, version: ETCD_3_5.version, source: '--etcd-binary' });
    expect(await resolveEtcdBinary(undefined, env)).toEqual({ binary: ETCD_3_4.binary, version: '3.4.23', source: `$${ETCD_BINARY_ENV}` });
    expect(await resolveEtcdBinary(undefined, { PATH: process.env.PATH })).toEqual({ binary: 'etcd', version: '3.4.23', source: 'PATH' });
  });

  it('refuses a named binary that is missing, not executable or not etcd, naming where it came from', async () => {
    const script = join(dir, 'not-etcd');
    await writeFile(script, '#!/bin/sh\necho hello\n');
    await chmod(script, 0o644);
    await expect(resolveEtcdBinary(join(dir, 'missing'))).rejects.toThrow(new UsageError(`--etcd-binary ${join(dir, 'missing')}: no such file`));
    await expect(resolveEtcdBinary(dir)).rejects.toThrow(/--etcd-binary .*: not a file/);
    await expect(resolveEtcdBinary(script)).rejects.toThrow(/--etcd-binary .*not-etcd: not executable/);
    await chmod(script, 0o755);
    await expect(resolveEtcdBinary(undefined, { [ETCD_BINARY_ENV]: script })).rejects.toThrow(
      new UsageError(`$${ETCD_BINARY_ENV} ${script}: not an etcd binary (\`${script} --version\` printed no "etcd Version:")`),
    );
  });

  it('says etcd is missing (exit 3) when PATH has none', async () => {
    await expect(resolveEtcdBinary(undefined, { PATH: dir })).rejects.toThrow(IncompleteError);
  });
});
