// The one bounded file reader: a regular file under its cap, and one line for everything else (missing, directory, FIFO, device, too big, empty, binary).
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { capText, INPUT_CAPS, readInputBytes, readInputBytesSync, readInputFile, readInputFileSync } from '../../src/util/input-file.js';

let dir: string;
const o = { flag: '--from', holding: 'ping output', kind: 'config' } as const;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea-input-'));
  await writeFile(join(dir, 'ok.txt'), '\uFEFFPING 10.0.0.2\n');
  await writeFile(join(dir, 'empty.txt'), '  \n');
  await writeFile(join(dir, 'binary.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
  await writeFile(join(dir, 'esc.txt'), 'ETCD_NAME=\x1b[31mred\n');
  await writeFile(join(dir, 'big.txt'), Buffer.alloc(INPUT_CAPS.config + 1, 0x61));
  await writeFile(join(dir, 'at-cap.txt'), Buffer.alloc(INPUT_CAPS.config, 0x61));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  await symlink('/dev/zero', join(dir, 'zero-link'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(path: string): Promise<string> {
  const err = await readInputFile(path, o).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  const message = (err as Error).message;
  expect(message).not.toMatch(/\n/);
  // The synchronous reader refuses the same files in the same words.
  expect(() => readInputFileSync(path, o)).toThrow(message);
  return message;
}

describe('readInputFile', () => {
  it('reads a regular text file, without its byte-order mark, and one at the cap', async () => {
    expect(await readInputFile(join(dir, 'ok.txt'), o)).toBe('PING 10.0.0.2\n');
    expect((await readInputBytes(join(dir, 'at-cap.txt'), o)).length).toBe(INPUT_CAPS.config);
    expect(readInputBytesSync(join(dir, 'at-cap.txt'), o).length).toBe(INPUT_CAPS.config);
  });

  it.each([
    ['nope.txt', /^--from .*nope\.txt: no such file$/],
    ['.', / is a directory: give the file holding ping output$/],
    ['fifo', / is a FIFO: give a regular file holding ping output$/],
    ['zero-link', / is a device: give a regular file holding ping output$/],
    ['big.txt', /: is 1 MiB, more than the 1 MiB this tool reads for ping output$/],
    ['empty.txt', /: is empty: give the file holding ping output$/],
    ['binary.bin', /: is a binary file, not ping output$/],
    ['esc.txt', /: is a binary file, not ping output$/],
  ])('refuses %s in one line, at once', async (name, why) => {
    const t0 = Date.now();
    expect(await refusal(join(dir, name))).toMatch(why);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('refuses /dev/zero and /dev/stdin when stdin is not allowed', async () => {
    expect(await refusal('/dev/zero')).toBe('--from /dev/zero is a device: give a regular file holding ping output');
    const err = await readInputFile('-', o).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/^--from -: no such file/);
  });

  it('names a positional file by its path alone, and a report directory by what is inside', async () => {
    await expect(readInputFile(dir, { flag: '', holding: 'report.json', kind: 'report' })).rejects.toThrow(
      `${dir} is a directory: give the report.json inside it`,
    );
  });

  it('names the cap as --help prints it', () => {
    expect(capText('config')).toBe('a regular file of at most 1 MiB');
    expect(capText('report')).toBe('a regular file of at most 64 MiB');
  });
});
