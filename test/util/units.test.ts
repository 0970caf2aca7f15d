// The one grammar of durations, sizes, rates and counts, and the one size formatter: what operators type, what is refused, and why the kept libraries do not fit where this is hand-written.
import bytes from 'bytes';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { formatBytes, formatDuration, GIVE_A_UNIT, optionName, parseCount, parseDuration, parseRate, parseSize } from '../../src/util/units.js';

function message(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('formatBytes (pretty-bytes, binary units)', () => {
  it('writes bytes in the largest binary unit, with one decimal at most', () => {
    expect(formatBytes(1000)).toBe('1000 B');
    expect(formatBytes(512 * 1024)).toBe('512 KiB');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GiB');
    expect(formatBytes(22 * 2 ** 20 + 123)).toBe('22 MiB');
    expect(formatBytes(2 * 2 ** 30)).toBe('2 GiB');
  });

  it('gives text that parseSize reads back to the same size', () => {
    for (const n of [2 ** 20, 8 * 2 ** 30, 1.5 * 2 ** 30, 1572864]) expect(parseSize('quota', formatBytes(n))).toBe(n);
  });
});

describe('parseSize', () => {
  it.each([
    ['1572864', 1572864],
    ['8GiB', 8 * 2 ** 30],
    ['8 gib', 8 * 2 ** 30],
    ['512MB', 512e6],
    ['1.5 MiB', 1572864],
    ['22m', 22 * 2 ** 20],
    ['1k', 1024],
    ['1KB', 1000],
    ['256B', 256],
    [4096, 4096],
  ])('%j is %d bytes', (text, n) => {
    expect(parseSize('size', text)).toBe(n);
  });

  it.each(['', '-1', '1e3', '1e309', 'Infinity', 'NaN', '8XB', '1.5.5G', '0x10', 1.5, -1, Number.POSITIVE_INFINITY])('refuses %j', (text) => {
    expect(message(() => parseSize('db-size', text))).toMatch(/^--db-size .* is not a size: give bytes or a number with a unit, e.g. 8GiB, 512MB$/);
  });

  it('says the range in its error', () => {
    expect(message(() => parseSize('val-size', '1GiB', { min: 1, max: 10 * 2 ** 20 }))).toBe('--val-size "1GiB": must be from 1 B to 10 MiB');
    expect(message(() => parseSize('memory', '0', { min: 64 * 2 ** 20, max: 2 ** 46 }))).toBe('--memory "0": must be from 64 MiB to 64 TiB');
  });

  it('is written here because the `bytes` package misreads IEC and decimal units', () => {
    // bytes reads "1GiB" as 1 byte and "512MB" as 512 MiB: a quota typed as etcd's docs write it would be wrong by 2^30.
    expect(bytes.parse('1GiB')).toBe(1);
    expect(bytes.parse('512MB')).toBe(512 * 2 ** 20);
    expect(parseSize('x', '1GiB')).toBe(2 ** 30);
  });
});

describe('parseDuration (Go time.ParseDuration, as etcd reads its duration flags)', () => {
  it.each([
    ['150ms', 150],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h30m', 5_400_000],
    ['500us', 0.5],
    ['500µs', 0.5],
    ['500μs', 0.5],
    ['1.s', 1000],
    ['.5s', 500],
    [' 5s ', 5000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration('call-timeout', text)).toBeCloseTo(ms, 9);
  });

  it('refuses a bare number unless the option names its unit', () => {
    expect(message(() => parseDuration('interval', '0.2'))).toBe(`--interval "0.2": ${GIVE_A_UNIT}`);
    expect(message(() => parseDuration('call-timeout', 2))).toBe(`--call-timeout 2: ${GIVE_A_UNIT}`);
    expect(parseDuration('rtt-ms', '150', { bare: 'ms' })).toBe(150);
    expect(parseDuration('rtt-ms', '0.2s', { bare: 'ms' })).toBe(200);
    expect(parseDuration('x', 60, { bare: 's' })).toBe(60_000);
  });

  it.each(['soon', '1 minute', '1d', '-1s', '1s2', '0x10s', '1e3ms', '1e309s', 'Infinity', '', 's', '5 s'])('refuses %j', (text) => {
    expect(message(() => parseDuration('duration', text))).toMatch(/^--duration .* is not a duration: give a unit: 200ms or 0\.2s/);
  });

  it('says the range in its error, in the grammar it reads', () => {
    expect(message(() => parseDuration('call-timeout', '0s', { rangeMs: { min: 1, max: 600_000 } }))).toBe('--call-timeout "0s": must be from 1ms to 10m');
    expect(message(() => parseDuration('interval', '2h', { rangeMs: { min: 10, max: 60_000 } }))).toBe('--interval "2h": must be from 10ms to 1m');
  });

  it('writes durations back so that they parse again', () => {
    for (const ms of [0.5, 1, 250, 1500, 60_000, 90_000, 5_400_000, 86_400_000]) expect(parseDuration('x', formatDuration(ms))).toBeCloseTo(ms, 6);
  });

  it('is written here because `parse-duration` misreads Go durations and `ms` reads none with two units', async () => {
    const { default: ms } = await import('ms');
    expect(ms('1m30s' as never)).toBeUndefined();
    const { default: parse } = await import('parse-duration');
    expect(parse('1s2')).toBe(1002);
    expect(parse('1.s')).toBe(1);
  });
});

describe('parseRate and parseCount', () => {
  it('reads rates with k and /s, and refuses zero, non-finite and out-of-range values', () => {
    expect(parseRate('write-rate', '1k/s')).toBe(1000);
    expect(parseRate('write-rate', '250')).toBe(250);
    expect(message(() => parseRate('write-rate', '0'))).toMatch(/not a rate/);
    expect(message(() => parseRate('write-rate', '1e309'))).toMatch(/not a rate/);
    expect(message(() => parseRate('write-rate', '20000', { min: 1, max: 1000 }))).toBe('--write-rate "20000": must be from 1 to 1000 per second');
  });

  it('bounds every count, with the range in the error', () => {
    expect(parseCount('clients', 500, { min: 1, max: 10_000 })).toBe(500);
    expect(message(() => parseCount('clients', 1e9, { min: 1, max: 10_000 }))).toBe('--clients 1000000000: must be from 1 to 10000');
    expect(message(() => parseCount('members', Number.POSITIVE_INFINITY, { min: 1, max: 15, what: 'members' }))).toBe(
      '--members Infinity: must be a whole number from 1 to 15 members',
    );
    expect(message(() => parseCount('threads', Number.NaN, { min: 1, max: 64 }))).toMatch(/--threads NaN: must be a whole number/);
    expect(message(() => parseCount('count', 1.5, { min: 1, max: 10 }))).toMatch(/whole number/);
    expect(message(() => parseCount('quota-backend-bytes', -1, { min: 0, max: 2 ** 46 }))).toMatch(/must be from 0 to/);
  });

  it('names flags with two dashes exactly once', () => {
    expect(optionName('timeout')).toBe('--timeout');
    expect(optionName('--timeout')).toBe('--timeout');
    expect(optionName('phases[0].duration')).toBe('phases[0].duration');
    expect(message(() => parseDuration('--timeout', 'x'))).not.toMatch(/---/);
  });
});
