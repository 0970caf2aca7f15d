// systemd's own reading of unit and environment files: continuations, comments, quoting, variable expansion.
import { describe, expect, it } from 'vitest';
import { expandWords, parseEnvFile, parseUnit, shellSyntaxIn, splitWords } from '../../src/lint/systemd.js';

describe('parseUnit', () => {
  it('joins continued lines, skips comment lines inside them, and knows which line each part came from', () => {
    const unit = parseUnit(
      ['[Service]', 'ExecStart=/usr/bin/etcd \\', '  # skipped', '  --name m1 \\', '; also skipped', '  --data-dir /d', 'Restart=always'].join('\n'),
    );
    const exec = unit.entries.find((e) => e.key === 'ExecStart')!;
    expect(exec.value.split(/\s+/)).toEqual(['/usr/bin/etcd', '--name', 'm1', '--data-dir', '/d']);
    expect(exec.line).toBe(2);
    expect(exec.lineAt(exec.value.indexOf('--name'))).toBe(4);
    expect(exec.lineAt(exec.value.indexOf('--data-dir'))).toBe(6);
    expect(unit.entries.map((e) => e.key)).toEqual(['ExecStart', 'Restart']);
    expect(unit.issues).toEqual([]);
  });

  it('ends the assignment at a backslash followed by anything, even a space', () => {
    const unit = parseUnit(['[Service]', 'ExecStart=/usr/bin/etcd --name m1 \\ ', '  --data-dir /d'].join('\n'));
    expect(unit.entries[0]!.value).toBe('/usr/bin/etcd --name m1 \\');
    expect(unit.issues.map((i) => [i.kind, i.line])).toEqual([
      ['broken-continuation', 2],
      ['orphan-flag', 3],
    ]);
  });

  it('treats an escaped backslash at the end as text, not a continuation', () => {
    const unit = parseUnit('[Service]\nEnvironment=A=x\\\\\nUser=etcd\n');
    expect(unit.entries.map((e) => [e.key, e.value])).toEqual([
      ['Environment', 'A=x\\\\'],
      ['User', 'etcd'],
    ]);
  });
});

describe('parseEnvFile', () => {
  it('reads quotes, escapes, continuations and comments as systemd does', () => {
    const env = parseEnvFile(
      ['# comment', '; comment', 'A="x \\"y\\" $z"', "B='a\\b'", 'C = spaced  ', 'D=one\\', 'two', 'E=a # b', 'F="multi', 'line"', 'export G=1'].join('\n'),
    );
    expect(Object.fromEntries(env.assignments.map((a) => [a.key, a.value]))).toEqual({
      A: 'x "y" $z',
      B: 'a\\b',
      C: 'spaced',
      D: 'onetwo',
      E: 'a # b',
      F: 'multi\nline',
    });
    expect(env.assignments.find((a) => a.key === 'F')!.line).toBe(9);
    expect(env.issues).toEqual([{ kind: 'export-prefix', line: 11, text: 'export G' }]);
  });
});

describe('command lines', () => {
  it('splits words with quotes and escapes, and expands $VAR into words but ${VAR} into one', () => {
    const words = splitWords(`/usr/bin/etcd "--name=a b" '--x=\\n' --y=\\"q\\" $OPTS --z=\${ONE}`);
    expect(words.map((w) => w.value)).toEqual(['/usr/bin/etcd', '--name=a b', '--x=\\n', '--y="q"', '$OPTS', '--z=${ONE}']);
    const undef = new Set<string>();
    const env = new Map([
      ['OPTS', '--a=1  --b=2'],
      ['ONE', 'x y'],
    ]);
    expect(expandWords(words, env, undef).map((w) => w.value)).toEqual(['/usr/bin/etcd', '--name=a b', '--x=\\n', '--y="q"', '--a=1', '--b=2', '--z=x y']);
    expect(expandWords(splitWords('$MISSING --k=${GONE} $$HOME'), env, undef).map((w) => w.value)).toEqual(['--k=', '$HOME']);
    expect([...undef].sort()).toEqual(['GONE', 'MISSING']);
  });

  it('recognises shell syntax systemd does not run', () => {
    expect(shellSyntaxIn('--q=$((8*1024))')).toMatch(/arithmetic/);
    expect(shellSyntaxIn('--n=$(hostname)')).toMatch(/command substitution/);
    expect(shellSyntaxIn('--n=`hostname`')).toMatch(/backticks/);
    expect(shellSyntaxIn('--d=${DIR:-/var/lib/etcd}')).toMatch(/parameter expansion/);
    expect(shellSyntaxIn('etcd 2>&1 | logger')).toMatch(/pipes/);
    expect(shellSyntaxIn('--name=${NAME} --x=a$b')).toBeNull();
  });
});
