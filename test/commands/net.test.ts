// `etcd-advisor net` through yargs in-process: --from a recorded ping output, --json's shape, live peers, and bad usage as UsageError (exit 2).
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { netCommand, parseIntervalMs } from '../../src/commands/net.js';
import { EXIT, UsageError } from '../../src/model/errors.js';
import { runCli } from '../support/cli.js';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', 'ping', name);

async function net(...argv: string[]): Promise<{ stdout: string; exitCode: number | undefined }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await yargs(['net', ...argv])
      .command(netCommand)
      .strict()
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      })
      .parseAsync();
    return { stdout, exitCode: process.exitCode === undefined ? undefined : Number(process.exitCode) };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('net --from', () => {
  it('prints peers with the stable keys, the checks and the verdict as JSON', async () => {
    const { stdout, exitCode } = await net('--from', fixture('iputils-loss.txt'), '--interval', '0.2s', '--json');
    const out = JSON.parse(stdout);
    expect(out.peers).toHaveLength(1);
    const peer = out.peers[0];
    for (const key of ['host', 'method', 'sent', 'received', 'lossPct', 'rttMs', 'samplesMs']) expect(peer).toHaveProperty(key);
    for (const key of ['min', 'p50', 'avg', 'p99', 'max']) expect(peer.rttMs[key]).toBeTypeOf('number');
    expect(peer).toMatchObject({ host: '10.204.4.2', method: 'icmp', sent: 20, received: 12, lossPct: 40 });
    expect(peer.samplesMs).toHaveLength(12);
    const rtt = out.checks.find((c: { id: string }) => c.id === 'network.rtt');
    expect(rtt.status).toBe('warn');
    expect(rtt.message).toMatch(/40\.0% of 20 probes/);
    // 8 probes lost in a row at 200 ms: at least 1.6 s without a reply.
    const stall = out.checks.find((c: { id: string }) => c.id === 'network.stall');
    expect(stall.value).toBeGreaterThanOrEqual(1600);
    expect(out.verdict).toBe('qualified');
    expect(exitCode).toBe(EXIT.ok);
  });

  it('exits 3 when the pasted run measured nothing, and prints a table without --json', async () => {
    const { stdout, exitCode } = await net('--from', fixture('iputils-unknown-host.txt'));
    expect(stdout).toMatch(/ERROR\s+Round-trip time and loss to the peers/);
    expect(stdout).toMatch(/Name or service not known/);
    expect(exitCode).toBe(EXIT.incomplete);
  });
});

describe('net --from: reply times ping never prints', () => {
  it.each([
    ['iputils-edited-time-negative.txt', '-1'],
    ['iputils-edited-time-nan.txt', 'NaN'],
    ['iputils-edited-time-infinite.txt', '1e309'],
  ])('%s is refused in one line naming the file and the line, exit 2 (never read as a lost reply)', async (file, value) => {
    const r = await runCli(['net', '--from', fixture(file)]);
    expect(r.exitCode).toBe(EXIT.usage);
    const lines = String(r.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`--from ${fixture(file)}: line 4: reply time "${value}"`);
    expect(String(r.stdout)).not.toMatch(/packet loss|100(\.0)?%/);
  });
});

describe('net --peers', () => {
  it('measures loopback and reports it as a baseline only', async () => {
    const { stdout, exitCode } = await net('--peers', '127.0.0.1', '--count', '5', '--interval', '20ms', '--json');
    const out = JSON.parse(stdout);
    expect(out.peers[0]).toMatchObject({ host: '127.0.0.1', method: 'icmp', sent: 5, received: 5, loopback: true });
    expect(out.checks.find((c: { id: string }) => c.id === 'network.rtt').status).toBe('info');
    expect(exitCode).toBe(EXIT.ok);
  });
});

describe('bad usage', () => {
  it.each([
    [[], /either --peers/],
    [['--peers', 'a', '--from', 'b'], /either --peers/],
    [['--peers', '10.0.0.1:0'], /port "0"/],
    [['--peers', 'a b'], /expected a host/],
    [['--peers', ','], /--peers is empty/],
    [['--peers', 'a', '--count', '0'], /--count/],
    [['--peers', 'a', '--count', '1.5'], /--count/],
    [['--peers', 'a', '--interval', 'fast'], /--interval/],
    [['--peers', 'a', '--interval', '1ms'], /--interval "1ms": must be from 10ms to 1m/],
    [['--peers', 'a', '--interval', '0.2'], /--interval "0.2": give a unit: 200ms or 0.2s/],
    [['--peers', 'a', '--port', '70000'], /--port/],
    [['--from', join(import.meta.dirname, '..', '..', 'vitest.config.ts')], /not ping output/],
    [['--from', fixture('no-such-file.txt')], /no such file/],
    [['--peers', 'a', '--method', 'udp'], /Invalid values/],
  ])('net %j is a usage error', async (argv, message) => {
    const err = await net(...(argv as string[])).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(err instanceof UsageError ? UsageError : Error);
    expect(String((err as Error).message)).toMatch(message);
    if (err instanceof UsageError) expect(err.exitCode).toBe(EXIT.usage);
  });

  it('reads intervals in ms or s, and refuses a bare number (ping -i 0.2 means seconds, etcd 200 milliseconds)', () => {
    expect(() => parseIntervalMs('200')).toThrow(/give a unit: 200ms or 0\.2s/);
    expect(parseIntervalMs('200ms')).toBe(200);
    expect(parseIntervalMs('1m')).toBe(60_000);
    expect(parseIntervalMs('0.5s')).toBe(500);
  });
});

describe('the built CLI', () => {
  it('prints only JSON on stdout with --json', async () => {
    const { stdout, stderr, exitCode } = await runCli(['net', '--peers', '127.0.0.1', '--count', '3', '--interval', '20ms', '--json']);
    expect(exitCode).toBe(EXIT.ok);
    expect(stderr).toBe('');
    expect(JSON.parse(String(stdout)).peers[0]).toMatchObject({ host: '127.0.0.1', sent: 3, received: 3 });
  });

  it.each([
    [['net', '--peers', 'a b'], /expected a host/],
    [['net', '--peers', 'a', '--method', 'udp'], /Invalid values/],
    [['run', '--peers', '10.0.0.2:http'], /port "http"/],
  ])('exits 2 with one clear line for %j', async (args, message) => {
    const { stderr, exitCode } = await runCli(args);
    expect(exitCode).toBe(EXIT.usage);
    expect(String(stderr)).toMatch(message);
    expect(String(stderr)).not.toMatch(/\n\s+at /);
  });
});
