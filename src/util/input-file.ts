// The one reader of files the operator names: a regular file (or "-" for stdin) under a size cap, read with a timeout, so that /dev/zero, a FIFO or a 200 MB file is one line, not a hang or gigabytes.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { UsageError } from '../model/errors.js';
import { printable } from '../etcd/urls.js';
import { formatBytes } from './units.js';

/**
 * Size caps by what a file holds, named in each command's --help. Hand-written files (units, env files, YAML configs,
 * scenarios, disk profiles, PEM files) are a few KiB; tool outputs (ping -c 100000, fio json+ histograms, etcdctl
 * JSON of a big cluster) a few MiB; a report.json carries every RTT sample of a run.
 */
export const INPUT_CAPS = {
  config: 1 * 2 ** 20,
  output: 16 * 2 ** 20,
  report: 64 * 2 ** 20,
} as const;
export type InputKind = keyof typeof INPUT_CAPS;

/** A regular file that has not been read in this time is on a dead mount; stdin must send something this often (a live `ping | net --from=-` prints every interval). */
export const READ_TIMEOUT_MS = 10_000;
export const STDIN_IDLE_TIMEOUT_MS = 120_000;

/** The words --help uses for a cap: "a regular file of at most 1 MiB". */
export function capText(kind: InputKind): string {
  return `a regular file of at most ${formatBytes(INPUT_CAPS[kind])}`;
}

export interface ReadOptions {
  /** The flag that named the file, for errors: "--from", "--env-file"; "" for a positional argument (the path alone). */
  flag: string;
  /** What the file should hold, for errors: "ping output". */
  holding: string;
  kind: InputKind;
  /** "-" (and /dev/stdin) read standard input; default false. */
  allowStdin?: boolean;
  /** Override of the cap's timeout, for tests. */
  timeoutMs?: number;
}

function label(o: ReadOptions, path: string): string {
  return o.flag === '' ? printable(path) : `${o.flag} ${printable(path)}`;
}

function fail(o: ReadOptions, path: string, why: string): never {
  throw new UsageError(`${label(o, path)}: ${why}`);
}

function notRegular(
  o: ReadOptions,
  path: string,
  st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean },
): never {
  if (st.isDirectory())
    throw new UsageError(`${label(o, path)} is a directory: ${o.kind === 'report' ? `give the ${o.holding} inside it` : `give the file holding ${o.holding}`}`);
  const what = st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
  throw new UsageError(`${label(o, path)} is ${what}: give a regular file holding ${o.holding}`);
}

function errnoWhy(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return `cannot read it (${code}: permission denied)`;
  if (code === 'ENOTDIR') return 'no such file (a part of the path is not a directory)';
  if (code === 'ELOOP') return 'too many symbolic links';
  return `cannot read it (${code ?? (err as Error).message})`;
}

function tooBig(o: ReadOptions, path: string, size: number | null): never {
  fail(
    o,
    path,
    `${size === null ? 'is larger than' : `is ${formatBytes(size)}, more than`} the ${formatBytes(INPUT_CAPS[o.kind])} this tool reads for ${o.holding}`,
  );
}

function isStdin(path: string, o: ReadOptions): boolean {
  return o.allowStdin === true && (path === '-' || path === '/dev/stdin');
}

async function readStdin(o: ReadOptions, path: string): Promise<Buffer> {
  const cap = INPUT_CAPS[o.kind];
  const idle = o.timeoutMs ?? STDIN_IDLE_TIMEOUT_MS;
  const stdin = process.stdin;
  return new Promise<Buffer>((resolveRead, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout;
    const finish = (err: Error | null) => {
      clearTimeout(timer);
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.removeListener('error', onError);
      stdin.pause();
      if (err) reject(err);
      else resolveRead(Buffer.concat(chunks));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => finish(new UsageError(`${label(o, path)}: standard input sent nothing for ${idle / 1000} s; pipe ${o.holding} into it, or give a file`)),
        idle,
      );
      timer.unref?.();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        finish(new UsageError(`${label(o, path)}: standard input is larger than the ${formatBytes(cap)} this tool reads for ${o.holding}`));
        stdin.destroy();
        return;
      }
      chunks.push(chunk);
      arm();
    };
    const onEnd = () => finish(null);
    const onError = (err: Error) => finish(new UsageError(`${label(o, path)}: ${errnoWhy(err)}`));
    arm();
    // A timer alone would not keep the process alive while stdin is a TTY waiting: the listener does.
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.on('error', onError);
    stdin.resume();
  });
}

/**
 * The bytes of a file the operator named, or a UsageError naming the flag: not found, a directory, a FIFO, a device,
 * over the cap, or not read within the timeout. The file is checked before it is opened (opening a FIFO blocks), and
 * opened non-blocking and checked again, so that a file swapped in between is caught too.
 */
export async function readInputBytes(path: string, o: ReadOptions): Promise<Buffer> {
  if (isStdin(path, o)) return readStdin(o, path);
  const cap = INPUT_CAPS[o.kind];
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    fail(o, path, errnoWhy(err));
  }
  if (!st.isFile()) notRegular(o, path, st);
  if (st.size > cap) tooBig(o, path, st.size);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    fail(o, path, errnoWhy(err));
  }
  const timeoutMs = o.timeoutMs ?? READ_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    const st2 = await handle.stat();
    if (!st2.isFile()) notRegular(o, path, st2);
    const read = (async () => {
      // Chunks until the end, so that a file that grew since the stat is still capped, never truncated.
      const chunks: Buffer[] = [];
      let len = 0;
      for (;;) {
        const chunk = Buffer.alloc(Math.min(Math.max(st2.size - len, 0) + 1, 1024 * 1024));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        len += bytesRead;
        if (len > cap) tooBig(o, path, null);
        chunks.push(chunk.subarray(0, bytesRead));
      }
      return Buffer.concat(chunks, len);
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UsageError(`${label(o, path)}: not read within ${timeoutMs / 1000} s (a hung mount?)`)), timeoutMs);
    });
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
    await handle.close().catch(() => undefined);
  }
}

/** Bytes that are no text a person wrote: NUL, ESC (terminal escapes, never echoed back) and control characters other than tab, newline, CR and form feed. */
// eslint-disable-next-line no-control-regex
const BINARY = /[\x00-\x08\x0e-\x1f\x7f]/;

/** The text of a file the operator named (UTF-8), refused when it is empty or binary; a UTF-8 byte-order mark is dropped. */
export async function readInputFile(path: string, o: ReadOptions & { allowEmpty?: boolean }): Promise<string> {
  return asText(await readInputBytes(path, o), path, o);
}

function asText(bytes: Buffer, path: string, o: ReadOptions & { allowEmpty?: boolean }): string {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '' && o.allowEmpty !== true) fail(o, path, `is empty: give the file holding ${o.holding}`);
  if (BINARY.test(text)) fail(o, path, `is a binary file, not ${o.holding}`);
  return text;
}

/**
 * The same checks, synchronously, for readers that run inside synchronous code (lint's file facts): no timeout, since
 * a regular file under the cap is read in one go; a FIFO or device is never opened.
 */
export function readInputBytesSync(path: string, o: ReadOptions): Buffer {
  const cap = INPUT_CAPS[o.kind];
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    fail(o, path, errnoWhy(err));
  }
  if (!st.isFile()) notRegular(o, path, st);
  if (st.size > cap) tooBig(o, path, st.size);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    fail(o, path, errnoWhy(err));
  }
  try {
    const st2 = fstatSync(fd);
    if (!st2.isFile()) notRegular(o, path, st2);
    const buf = Buffer.alloc(Math.min(cap + 1, st2.size + 1));
    let len = 0;
    while (len < buf.length) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    if (len > cap) tooBig(o, path, null);
    return buf.subarray(0, len);
  } finally {
    closeSync(fd);
  }
}

export function readInputFileSync(path: string, o: ReadOptions & { allowEmpty?: boolean }): string {
  return asText(readInputBytesSync(path, o), path, o);
}
