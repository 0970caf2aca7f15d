// The programs units put in front of etcd (ionice, nice, chrt, taskset, numactl, env, setsid, nohup): where each one's own arguments end and etcd's begin.
import { basename } from 'node:path';

/** One wrapper as ExecStart runs it, with what its arguments mean for etcd. */
export interface Wrapper {
  program: string;
  /** The wrapper's own arguments, as written. */
  args: string[];
  line: number;
  /** ionice's scheduling class (1 realtime, 2 best-effort, 3 idle; 0 none) and level, when it is ionice. */
  ioPriority?: { class: number; level: number | null };
  /** NAME=VALUE words of env: they reach etcd's environment. */
  env?: [string, string][];
}

export interface WrapperIssue {
  program: string;
  line: number;
  /** fail: the wrapper fails before etcd starts; warn: it runs, but not as meant. */
  status: 'fail' | 'warn';
  message: string;
}

interface Spec {
  /** Options that take a value (short "-c" or long "--class"); every other option is a switch. */
  withValue: string[];
  switches: string[];
  /** Positional words before the command (chrt's priority, taskset's mask). */
  positional: number;
  /** Options that make the wrapper act on a running process instead of starting one: no command follows. */
  pidMode?: string[];
}

/** util-linux ionice(1), nice(1), chrt(1), taskset(1), numactl(8), env(1), setsid(1), nohup(1). */
const WRAPPERS: Readonly<Record<string, Spec>> = {
  ionice: {
    withValue: ['-c', '--class', '-n', '--classdata'],
    switches: ['-t', '--ignore'],
    positional: 0,
    pidMode: ['-p', '--pid', '-P', '--pgid', '-u', '--uid'],
  },
  nice: { withValue: ['-n', '--adjustment'], switches: [], positional: 0 },
  chrt: {
    withValue: ['-T', '--sched-runtime', '-P', '--sched-period', '-D', '--sched-deadline'],
    switches: [
      '-b',
      '--batch',
      '-d',
      '--deadline',
      '-f',
      '--fifo',
      '-i',
      '--idle',
      '-o',
      '--other',
      '-r',
      '--rr',
      '-R',
      '--reset-on-fork',
      '-a',
      '--all-tasks',
      '-v',
      '--verbose',
    ],
    positional: 1,
    pidMode: ['-p', '--pid'],
  },
  taskset: { withValue: [], switches: ['-a', '--all-tasks', '-c', '--cpu-list'], positional: 1, pidMode: ['-p', '--pid'] },
  numactl: {
    withValue: ['-i', '--interleave', '-p', '--preferred', '-m', '--membind', '-N', '--cpunodebind', '-C', '--physcpubind', '-b', '--balancing'],
    switches: ['-l', '--localalloc', '-a', '--all', '-t', '--touch', '-S', '--strict'],
    positional: 0,
  },
  env: { withValue: ['-u', '--unset', '-C', '--chdir'], switches: ['-i', '--ignore-environment', '-0', '--null'], positional: 0 },
  setsid: { withValue: [], switches: ['-c', '--ctty', '-f', '--fork', '-w', '--wait'], positional: 0 },
  nohup: { withValue: [], switches: [], positional: 0 },
};

/** ionice -c values: numbers or names (ionice(1)). */
const IONICE_CLASSES: Record<string, number> = { '0': 0, none: 0, '1': 1, realtime: 1, '2': 2, 'best-effort': 2, '3': 3, idle: 3 };

interface Word {
  value: string;
  line: number;
}

/** "-c2" or "--class=2" -> ["-c", "2"]; a bare switch -> [switch, undefined]. */
function splitOption(word: string, spec: Spec): [string, string | undefined] {
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    return eq > 0 ? [word.slice(0, eq), word.slice(eq + 1)] : [word, undefined];
  }
  const short = word.slice(0, 2);
  return spec.withValue.includes(short) && word.length > 2 ? [short, word.slice(2)] : [word, undefined];
}

/**
 * Peels wrappers off the front of ExecStart's words: returns them, the words from etcd on, and what is wrong with the
 * wrappers' own arguments. Stops at the first word that is not a known wrapper (etcd, or an unknown program).
 */
export function peelWrappers(words: readonly Word[]): { wrappers: Wrapper[]; rest: Word[]; issues: WrapperIssue[] } {
  const wrappers: Wrapper[] = [];
  const issues: WrapperIssue[] = [];
  let i = 0;
  for (;;) {
    const head = words[i];
    const program = head === undefined ? '' : basename(head.value);
    const spec = WRAPPERS[program];
    if (head === undefined || spec === undefined) break;
    const w: Wrapper = { program, args: [], line: head.line };
    i++;
    let positional = spec.positional;
    let ioClass: number | null = null;
    let ioClassBad = false;
    let ioLevel: number | null = null;
    for (; i < words.length; i++) {
      const word = words[i]!.value;
      if (program === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
        (w.env ??= []).push([word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]);
        w.args.push(word);
        continue;
      }
      if (word === '--') {
        w.args.push(word);
        i++;
        break;
      }
      // nice's historical "-5" / "-n5" forms: an adjustment, not an option name.
      if (program === 'nice' && /^-\d+$/.test(word)) {
        w.args.push(word);
        continue;
      }
      if (word.startsWith('-') && word !== '-') {
        const [name, inline] = splitOption(word, spec);
        w.args.push(word);
        if (spec.pidMode?.includes(name)) {
          issues.push({
            program,
            line: words[i]!.line,
            status: 'fail',
            message: `${program} ${name} acts on a running process and starts nothing: etcd never runs. Fix: remove ${name} and give the command after ${program}'s options.`,
          });
          continue;
        }
        if (spec.withValue.includes(name)) {
          const value = inline ?? words[++i]?.value;
          if (inline === undefined && value !== undefined) w.args.push(value);
          if (value === undefined) {
            issues.push({
              program,
              line: head.line,
              status: 'fail',
              message: `${program} ${name} needs a value and none follows: ${program} fails and etcd never starts. Fix: ${program} ${name} <value> before the etcd binary.`,
            });
            break;
          }
          if (program === 'ionice' && (name === '-c' || name === '--class')) {
            ioClass = IONICE_CLASSES[value] ?? null;
            ioClassBad = ioClass === null;
            if (ioClass === null)
              issues.push({
                program,
                line: words[i]!.line,
                status: 'fail',
                message: `ionice -c ${value}: not a scheduling class (0 none, 1 realtime, 2 best-effort, 3 idle): ionice fails and etcd never starts. Fix: ionice -c2 -n0 (best-effort, highest level: ETCD-FACTS.md "Disk").`,
              });
          }
          if (program === 'ionice' && (name === '-n' || name === '--classdata')) {
            ioLevel = /^[0-7]$/.test(value) ? Number(value) : null;
            if (ioLevel === null)
              issues.push({
                program,
                line: words[i]!.line,
                status: 'warn',
                message: `ionice -n ${value}: the level is 0 (highest) to 7; ionice ignores or refuses it. Fix: -n0.`,
              });
          }
          if (program === 'nice' && (name === '-n' || name === '--adjustment') && !/^[+-]?\d+$/.test(value))
            issues.push({
              program,
              line: words[i]!.line,
              status: 'fail',
              message: `nice -n ${value}: not a number: nice fails and etcd never starts. Fix: nice -n -5 (a number from -20 to 19).`,
            });
          continue;
        }
        if (!spec.switches.includes(name))
          issues.push({
            program,
            line: words[i]!.line,
            status: 'fail',
            message: `"${word}" is not an option of ${program}: ${program} fails before etcd starts (these are ${program}'s arguments, not etcd's). Fix: remove it, or see man ${program} for the option meant.`,
          });
        continue;
      }
      if (positional > 0) {
        positional--;
        w.args.push(word);
        continue;
      }
      break;
    }
    if (program === 'ionice' && !ioClassBad) {
      w.ioPriority = { class: ioClass ?? 2, level: ioLevel };
      if (ioClass === 1)
        issues.push({
          program,
          line: head.line,
          status: 'warn',
          message:
            "ionice -c1 (realtime) lets etcd starve every other process of disk time, and needs CAP_SYS_ADMIN. Fix: ionice -c2 -n0 (best-effort, highest level), as etcd's tuning guide recommends.",
        });
      if (ioClass === 3)
        issues.push({
          program,
          line: head.line,
          status: 'warn',
          message: 'ionice -c3 (idle): etcd gets the disk only when nothing else wants it, and its WAL fsyncs stall. Fix: ionice -c2 -n0.',
        });
    }
    wrappers.push(w);
    if (i >= words.length) {
      issues.push({
        program,
        line: head.line,
        status: 'fail',
        message: `${program} is given no command to run: etcd never starts. Fix: put the etcd binary and its flags after ${program}'s options.`,
      });
      break;
    }
  }
  return { wrappers, rest: words.slice(i), issues };
}
