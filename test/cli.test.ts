// The command surface: --help teaches every command with an example, and bad usage is one line and exit 2.
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const COMMANDS = ['run', 'disk', 'net', 'load', 'advise', 'report', 'compare', 'lint', 'status'];

describe('etcd-advisor CLI', () => {
  it('lists every command and the exit codes in --help', async () => {
    const { stdout, exitCode } = await runCli(['--help']);
    expect(exitCode).toBe(0);
    for (const c of COMMANDS) expect(stdout).toContain(`etcd-advisor ${c}`);
    expect(stdout).toMatch(/3 +the run could not complete/);
  });

  it('explains run with an example', async () => {
    const { stdout, exitCode } = await runCli(['run', '--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('--data-dir');
    expect(stdout).toContain('Examples:');
  });

  it.each([
    [['frobnicate'], /Unknown argument|Did you mean/],
    [['run', '--no-such-flag'], /Unknown argument/],
    [['run', '--endpoints', 'ftp://x:1'], /must use http/],
    [[], /Give a command/],
  ])('exits 2 with one clear line for %j', async (args, message) => {
    const { stderr, exitCode } = await runCli(args);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('takes durations with units wherever a command asks for one', async () => {
    const { stderr, exitCode } = await runCli(['status', '--endpoints', 'http://127.0.0.1:9', '--timeout', 'soon']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/--timeout "soon" is not a duration/);
  });

  it('refuses an --out that cannot be a directory before measuring anything', async () => {
    const { stderr, exitCode } = await runCli(['run', '--quick', '--out', '/etc/hostname']);
    expect(exitCode).toBe(2);
    expect(stderr).toBe('etcd-advisor: --out /etc/hostname: a file is in the way; give a directory');
  });

  it('refuses a --data-dir that does not exist before writing anything', async () => {
    const { stderr, exitCode } = await runCli(['run', '--quick', '--data-dir', '/nonexistent/etcd-disk']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^etcd-advisor: --data-dir \/nonexistent\/etcd-disk does not exist/);
  });
});
