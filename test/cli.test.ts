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
    [['run', '--frob-level', '3'], /^etcd-advisor: Unknown argument: --frob-level \(--help shows the options and an example\)$/],
    [['disk', '--from', 'a.json', '--profile', 'b.yaml'], /^etcd-advisor: --from and --profile cannot be given together/],
    [['run', '--endpoints', 'ftp://x:1'], /URL scheme must be http, https, unix or unixs/],
    [['lint', 'etcd.service', '--rtt-p99-ms'], /^etcd-advisor: Not enough arguments following: --rtt-p99-ms \(--help shows the options and an example\)$/],
    [[], /Give a command/],
  ])('exits 2 with one clear line for %j', async (args, message) => {
    const { stderr, exitCode } = await runCli(args);
    expect(exitCode).toBe(2);
    expect(String(stderr).trim().split('\n')).toHaveLength(1);
    expect(String(stderr).trim()).toMatch(message);
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

describe('the real bin, as an operator starts it', () => {
  it('answers lint --env-file itself (Node 20 would read --env-file off its own command line)', async () => {
    const { execa } = await import('execa');
    const { chmod } = await import('node:fs/promises');
    const { CLI } = await import('./support/cli.js');
    await chmod(CLI, 0o755);
    const r = await execa(CLI, ['lint', 'test/fixtures/lint/risks/etcd.conf', '--env-file', '/nonexistent'], { reject: false, stdin: 'ignore' });
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toBe('etcd-advisor: --env-file /nonexistent: no such file');
  });

  it('ends quietly when the reader closes the pipe (EPIPE), with no stack trace', async () => {
    const { execa } = await import('execa');
    const { CLI } = await import('./support/cli.js');
    const r = await execa(
      'bash',
      ['-c', `node -- ${CLI} status --from-status test/fixtures/etcdctl/endpoint-status-healthy.json --json | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`],
      { reject: false, stdin: 'ignore' },
    );
    expect(String(r.stderr)).toBe('');
    // The verdict's exit code (saved etcdctl output without a member list cannot complete), never a crash's.
    expect(['0', '1', '3']).toContain(String(r.stdout).trim());
  });
});
