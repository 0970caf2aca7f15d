// Turns the files given to lint into members: a unit with its EnvironmentFiles and config file, or a lone env/YAML file.
import { basename, dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import type { Check } from '../model/check.js';
import { UsageError } from '../model/errors.js';
import { printable } from '../etcd/urls.js';
import { lintCheck } from './check.js';
import { ETCD_FLAGS, flagOfEnv } from '../etcd/flags.js';
import type { MemberConfig, Setting, UnitFacts } from './settings.js';
import { expandWords, parseEnvFile, parseUnit, shellSyntaxIn, splitWords, type SyntaxIssue, type UnitEntry } from './systemd.js';
import { parseEtcdYaml } from './yaml-config.js';
import { peelWrappers } from './wrappers.js';

export interface InputFile {
  path: string;
  text: string;
}

export interface ResolveInput {
  files: InputFile[];
  /** --env-file: used instead of the EnvironmentFile= paths of the unit, in order. */
  envFiles: InputFile[];
  /** Reads a path named inside a file (EnvironmentFile=, --config-file) on this machine; null when absent. */
  readFile: (path: string) => string | null;
}

export type FileKind = 'unit' | 'env' | 'yaml';

/** A file lint can read nothing from is the wrong file (a report, a log), not a clean one: saying "no findings" would mislead. */
function notEtcdFile(path: string): string {
  return `${printable(path)}: not a systemd unit ([Service] with ExecStart=), an environment file (ETCD_NAME=...) or an etcd YAML config (name: ...): it holds no setting lint reads`;
}

export function classify(file: InputFile): FileKind {
  if (/\.(service|unit)$/.test(file.path) || /^\s*\[(Unit|Service|Install)\]\s*$/m.test(file.text)) return 'unit';
  // JSON is YAML, and a JSON document (a report.json given by mistake) is no environment file.
  if (/\.ya?ml$/.test(file.path) || /^\s*[{[]/.test(file.text)) return 'yaml';
  if (/^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/m.test(file.text)) return 'env';
  return /^[\w-]+\s*:/m.test(file.text) ? 'yaml' : 'env';
}

const SYNTAX_MESSAGES: Record<SyntaxIssue['kind'], (text: string) => { status: 'fail' | 'warn'; rule: string; message: string }> = {
  'broken-continuation': (t) => ({
    status: 'fail',
    rule: 'systemd.continuation',
    message: `"${t}": text or spaces after the backslash end the line here, so systemd does not join the next line: the flags below are not passed to etcd. Fix: make "\\" the very last character of the line and move the comment to a line of its own.`,
  }),
  'orphan-flag': (t) => ({
    status: 'fail',
    rule: 'systemd.orphan-line',
    message: `"${t}" is not part of ExecStart (a continuation above is broken), so systemd ignores it and etcd never sees it. Fix: end the line above with "\\" as its very last character.`,
  }),
  'missing-equals': (t) => ({
    status: 'warn',
    rule: 'systemd.syntax',
    message: `"${t}" has no "=": systemd ignores this line. Fix: write it as Key=value, or join it to the line above with a trailing "\\".`,
  }),
  'outside-section': (t) => ({
    status: 'warn',
    rule: 'systemd.syntax',
    message: `"${t}" comes before any [Section]: systemd ignores it. Fix: move it under [Service].`,
  }),
  'export-prefix': (t) => ({
    status: 'fail',
    rule: 'envfile.syntax',
    message: `"${t}=...": systemd's EnvironmentFile has no "export": it reads the key as "${t}", which is not a valid name, and drops the line. Fix: remove "export ".`,
  }),
  'invalid-key': (t) => ({
    status: 'warn',
    rule: 'envfile.syntax',
    message: `"${t}" is not a valid variable name: systemd drops the line. Fix: use letters, digits and "_" only.`,
  }),
  'unterminated-quote': (t) => ({
    status: 'fail',
    rule: 'envfile.syntax',
    message: `${t} opens a quote that is never closed: the value runs to the end of the file. Fix: close the quote.`,
  }),
};

function syntaxChecks(file: string, issues: SyntaxIssue[]): Check[] {
  return issues.map((i) => {
    const m = SYNTAX_MESSAGES[i.kind](i.text);
    return lintCheck(m.status, m.rule, file, i.line, null, m.message);
  });
}

interface EnvVar {
  value: string;
  file: string;
  line: number;
  written: string;
}

/** An EnvironmentFile's variables over those set before it (systemd.exec: later assignments win), with its syntax checks. */
function mergeEnvFile(source: InputFile, env: Map<string, EnvVar>, checks: Check[]): void {
  const parsed = parseEnvFile(source.text);
  checks.push(...syntaxChecks(source.path, parsed.issues));
  for (const a of parsed.assignments) env.set(a.key, { value: a.value, file: source.path, line: a.line, written: a.key });
}

/** Environment= values: words of KEY=VALUE, quoted like command lines (systemd.exec). */
function environmentAssignments(entry: UnitEntry): [string, string][] {
  return splitWords(entry.value).flatMap((w) => {
    const eq = w.value.indexOf('=');
    return eq > 0 ? [[w.value.slice(0, eq), w.value.slice(eq + 1)] as [string, string]] : [];
  });
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash']);

interface ArgWord {
  value: string;
  line: number;
  fromVariable?: string;
}

/** Go's flag package as etcd uses it: -flag or --flag, =value or the next word (not for booleans); stops at the first non-flag. */
function parseArgv(args: ArgWord[], file: string, checks: Check[]): Setting[] {
  const flags: Setting[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w.value === '--') break;
    if (w.value.startsWith('#')) {
      checks.push(
        lintCheck(
          'fail',
          'systemd.inline-comment',
          file,
          w.line,
          null,
          `"${w.value}" and the words after it reach etcd as arguments: systemd has no comments inside ExecStart, and etcd refuses to start ("'${w.value}' is not a valid flag"). Fix: put the comment on a line of its own, starting with "#".`,
        ),
      );
      return flags;
    }
    if (!w.value.startsWith('-') || w.value === '-') {
      checks.push(
        lintCheck(
          'fail',
          'etcd.positional-arg',
          file,
          w.line,
          null,
          `"${w.value}" is not a flag: etcd stops reading flags here and refuses to start ("'${w.value}' is not a valid flag")${i > 0 && ETCD_FLAGS.get(flags[flags.length - 1]?.flag ?? '')?.type === 'bool' ? `. A boolean flag takes its value after "=": --${flags[flags.length - 1]!.flag}=${w.value}` : ''}. Fix: remove it or give it as --flag=value.`,
        ),
      );
      return flags;
    }
    const body = w.value.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (ETCD_FLAGS.get(name)?.type === 'bool') value = 'true';
    else if (i + 1 < args.length && (ETCD_FLAGS.has(name) || !args[i + 1]!.value.startsWith('-'))) value = args[++i]!.value;
    else if (ETCD_FLAGS.has(name)) {
      checks.push(
        lintCheck(
          'fail',
          'etcd.value',
          file,
          w.line,
          name,
          `--${name} needs a value and none follows: etcd refuses to start ("flag needs an argument"). Fix: --${name}=<value>.`,
        ),
      );
      continue;
    } else value = '';
    flags.push({ flag: name, value, origin: 'flag', file, line: w.line, written: `--${name}` });
  }
  return flags;
}

/** A file named inside another: the one given to lint for it, else the one on this machine, else null. */
function locate(path: string, given: InputFile | undefined, input: ResolveInput, consumed: Set<InputFile>): InputFile | null {
  if (given) {
    consumed.add(given);
    return given;
  }
  const text = input.readFile(path);
  return text === null ? null : { path, text };
}

type FileEntry = UnitEntry & { file: string };

function isDropIn(f: InputFile): boolean {
  return /\.d\/[^/]+\.conf$/.test(f.path);
}

/** The drop-ins of a unit: in its own <unit>.d directory, or every drop-in when only one unit is given. */
function dropInsOf(unit: InputFile, mains: InputFile[], dropIns: InputFile[]): InputFile[] {
  const own = dropIns.filter((d) => basename(dirname(d.path)) === `${basename(unit.path)}.d`);
  const unclaimed = dropIns.filter((d) => !mains.some((m) => basename(dirname(d.path)) === `${basename(m.path)}.d`));
  return [...own, ...(mains.length === 1 ? unclaimed : [])].sort((a, b) => basename(a.path).localeCompare(basename(b.path)));
}

function findGiven(path: string, given: InputFile[]): InputFile | undefined {
  return given.find((g) => resolvePath(g.path) === resolvePath(path)) ?? given.find((g) => basename(g.path) === basename(path));
}

export function resolveMembers(input: ResolveInput): { members: MemberConfig[]; checks: Check[] } {
  const checks: Check[] = [];
  const members: MemberConfig[] = [];
  const kinds = input.files.map((f) => ({ file: f, kind: classify(f) }));
  const consumed = new Set<InputFile>();
  const loose = kinds.filter((k) => k.kind !== 'unit').map((k) => k.file);

  const unitFiles = kinds.filter((k) => k.kind === 'unit').map((k) => k.file);
  const dropIns = unitFiles.filter(isDropIn);
  const mains = unitFiles.filter((f) => !isDropIn(f));
  for (const file of mains.length > 0 ? mains : dropIns) {
    // systemd reads the unit, then its drop-ins (etcd.service.d/*.conf) in name order; later assignments win.
    const parts = mains.length === 0 ? [file] : [file, ...dropInsOf(file, mains, dropIns)];
    const service: FileEntry[] = [];
    for (const part of parts) {
      const parsed = parseUnit(part.text);
      checks.push(...syntaxChecks(part.path, parsed.issues));
      service.push(...parsed.entries.filter((e) => e.section === 'Service').map((e) => ({ ...e, file: part.path })));
    }
    const serviceKeys = new Map<string, { value: string; line: number; file: string }>();
    for (const e of service) serviceKeys.set(e.key, { value: e.value, line: e.line, file: e.file });

    // systemd.exec: Environment= in order, then each EnvironmentFile= in order, later ones overriding earlier ones.
    const env = new Map<string, EnvVar>();
    for (const e of service.filter((x) => x.key === 'Environment')) {
      if (e.value === '') env.clear();
      for (const [k, v] of environmentAssignments(e)) env.set(k, { value: v, file: e.file, line: e.line, written: k });
    }
    const envFileEntries = service.filter((x) => x.key === 'EnvironmentFile' && x.value !== '');
    envFileEntries.forEach((e, index) => {
      const optional = e.value.startsWith('-');
      const path = e.value.replace(/^-/, '');
      const replacement = input.envFiles[index];
      const source = locate(path, replacement ?? findGiven(path, loose), input, consumed);
      if (source === null) {
        checks.push(
          lintCheck(
            optional ? 'info' : 'warn',
            'systemd.env-file-missing',
            e.file,
            e.line,
            null,
            `EnvironmentFile ${path} is not on this machine, so the variables it sets were not checked${optional ? ' (the "-" prefix lets systemd start without it)' : ' (without the "-" prefix systemd refuses to start the unit when it is missing)'}. Fix: give its content with --env-file FILE.`,
          ),
        );
        return;
      }
      mergeEnvFile(source, env, checks);
    });
    for (const extra of input.envFiles.slice(envFileEntries.length)) {
      consumed.add(extra);
      mergeEnvFile(extra, env, checks);
    }
    for (const [k, v] of env) {
      const shell = shellSyntaxIn(v.value);
      if (shell && k.startsWith('ETCD_'))
        checks.push(
          lintCheck(
            'fail',
            'systemd.shell-syntax',
            v.file,
            v.line,
            flagOfEnv(k),
            `${k}="${v.value}" uses ${shell}, which systemd does not expand: etcd receives the text as it is. Fix: write the computed value itself.`,
          ),
        );
    }

    const execs = service.filter((x) => x.key === 'ExecStart');
    const exec = execs[execs.length - 1];
    const unit: UnitFacts = {
      file: file.path,
      execFile: exec?.file ?? file.path,
      binary: null,
      binaryLine: null,
      argv: [],
      wrappers: [],
      workingDirectory: serviceKeys.get('WorkingDirectory')?.value ?? null,
      service: serviceKeys,
    };
    let flags: Setting[] = [];
    if (exec === undefined || exec.value === '') {
      checks.push(
        lintCheck(
          'fail',
          'systemd.no-exec-start',
          file.path,
          null,
          null,
          'The unit has no ExecStart= in [Service]: systemd cannot start etcd. Fix: ExecStart=/usr/bin/etcd --name ... (one flag per line, each line ending with "\\").',
        ),
      );
    } else {
      const command = exec.value.replace(/^[-@:+!]+/, '');
      const offsetShift = exec.value.length - command.length;
      const envValues = new Map([...env].map(([k, v]) => [k, v.value]));
      const undefinedVars = new Set<string>();
      let words = expandWords(splitWords(command), envValues, undefinedVars).map((w) => ({
        value: w.value,
        line: exec.lineAt(w.offset + offsetShift),
        ...(w.fromVariable ? { fromVariable: w.fromVariable } : {}),
      }));
      const program = basename(words[0]?.value ?? '');
      const wrapped = SHELLS.has(program) && words[1]?.value === '-c' && words[2] !== undefined;
      if (wrapped) {
        // A shell does expand: lint the command it runs, as it would split it.
        const line = words[2]!.line;
        words = expandWords(splitWords(words[2]!.value), envValues, undefinedVars, true).map((w) => ({ value: w.value, line }));
        if (words[0]?.value === 'exec') words = words.slice(1);
        checks.push(
          lintCheck(
            'info',
            'systemd.shell-wrapper',
            exec.file,
            line,
            null,
            `ExecStart runs etcd through ${program} -c: ${words[0]?.value ?? 'etcd'} only gets systemd's signals directly when the shell execs it. Fix: call etcd directly in ExecStart and use Environment=/EnvironmentFile= for values.`,
          ),
        );
      } else {
        for (let offset = 0; offset < command.length;) {
          const rest = command.slice(offset);
          const shell = shellSyntaxIn(rest);
          if (!shell) break;
          // Point at the first word that carries it.
          const w = splitWords(command).find((x) => x.offset >= offset && shellSyntaxIn(x.raw) !== null) ?? splitWords(command).find((x) => x.offset >= offset);
          checks.push(
            lintCheck(
              'fail',
              'systemd.shell-syntax',
              exec.file,
              exec.lineAt((w?.offset ?? offset) + offsetShift),
              null,
              `"${w?.raw ?? rest.trim()}": ExecStart is not run by a shell, so ${shell} is passed to etcd literally and etcd cannot parse it. Fix: write the computed value itself (e.g. --quota-backend-bytes=8589934592 rather than $((8*1024*1024*1024))).`,
            ),
          );
          offset = w ? w.offset + w.raw.length : command.length;
        }
      }
      // ionice, nice, taskset ... before etcd: their arguments are theirs, checked apart; etcd's flags start after them.
      const peeled = peelWrappers(words);
      for (const issue of peeled.issues) checks.push(lintCheck(issue.status, 'systemd.wrapper', exec.file, issue.line, null, issue.message));
      unit.wrappers = peeled.wrappers;
      for (const w of peeled.wrappers) for (const [k, v] of w.env ?? []) env.set(k, { value: v, file: exec.file, line: w.line, written: `${w.program} ${k}` });
      words = peeled.rest;
      for (const name of undefinedVars)
        checks.push(
          lintCheck(
            name.startsWith('ETCD_') ? 'warn' : 'fail',
            'systemd.undefined-variable',
            exec.file,
            exec.line,
            null,
            `ExecStart uses $${name}, which no Environment= or EnvironmentFile= sets: systemd replaces it with nothing${name.startsWith('ETCD_') ? '' : ' and the flag it was meant to fill is left without its value'}. Fix: define ${name} in the unit or its EnvironmentFile, or write the value in place.`,
          ),
        );
      unit.argv = words.map((w) => w.value);
      unit.binary = words[0]?.value ?? null;
      unit.binaryLine = words[0]?.line ?? exec.line;
      flags = parseArgv(words.slice(1), exec.file, checks);
    }
    const envSettings: Setting[] = [...env].flatMap(([k, v]) => {
      const flag = flagOfEnv(k);
      return flag === null ? [] : [{ flag, value: v.value, origin: 'env' as const, file: v.file, line: v.line, written: k }];
    });
    members.push(withConfigFile({ file: file.path, kind: 'unit', unit, flags, env: envSettings, yaml: [], configFile: null }, input, loose, consumed, checks));
  }

  for (const file of loose.filter((f) => !consumed.has(f))) {
    const kind = classify(file);
    if (kind === 'yaml') {
      const parsed = parseEtcdYaml(file.text, file.path);
      if (parsed.settings.length === 0 && parsed.checks.every((c) => c.id === 'yaml.unknown-key')) throw new UsageError(notEtcdFile(file.path));
      checks.push(...parsed.checks);
      members.push({ file: file.path, kind: 'yaml', unit: null, flags: [], env: [], yaml: parsed.settings, configFile: null });
      continue;
    }
    const parsed = parseEnvFile(file.text);
    if (parsed.assignments.length === 0 && parsed.issues.every((i) => i.kind === 'missing-equals') && /^\s*[^#;\s]/m.test(file.text))
      throw new UsageError(notEtcdFile(file.path));
    checks.push(...syntaxChecks(file.path, parsed.issues));
    const env: Setting[] = parsed.assignments.flatMap((a) => {
      const flag = flagOfEnv(a.key);
      if (flag === null) return [];
      const shell = shellSyntaxIn(a.value);
      if (shell)
        checks.push(
          lintCheck(
            'fail',
            'systemd.shell-syntax',
            file.path,
            a.line,
            flag,
            `${a.key}="${a.value}" uses ${shell}, which systemd does not expand in an EnvironmentFile: etcd receives the text as it is. Fix: write the computed value itself.`,
          ),
        );
      return [{ flag, value: a.value, origin: 'env' as const, file: file.path, line: a.line, written: a.key }];
    });
    members.push(withConfigFile({ file: file.path, kind: 'env', unit: null, flags: [], env, yaml: [], configFile: null }, input, loose, consumed, checks));
  }
  return { members, checks };
}

/** --config-file / ETCD_CONFIG_FILE: etcd then reads only the YAML file (ETCD-FACTS.md "Flags, environment, versions"). */
function withConfigFile(member: MemberConfig, input: ResolveInput, loose: InputFile[], consumed: Set<InputFile>, checks: Check[]): MemberConfig {
  const setting = [...member.flags].reverse().find((s) => s.flag === 'config-file') ?? member.env.find((s) => s.flag === 'config-file');
  if (setting === undefined) return member;
  const wd = member.unit?.workingDirectory ?? null;
  const path = isAbsolute(setting.value) || wd === null ? setting.value : resolvePath(wd, setting.value);
  const source = locate(path, findGiven(path, loose), input, consumed);
  if (source === null) {
    checks.push(
      lintCheck(
        'info',
        'etcd.config-file-missing',
        setting.file,
        setting.line,
        'config-file',
        `--config-file ${path} is not on this machine: etcd takes every setting from it, so they were not checked. Fix: give the YAML file to lint as well.`,
      ),
    );
    return { ...member, configFile: { path, found: false, setting } };
  }
  const parsed = parseEtcdYaml(source.text, source.path);
  checks.push(...parsed.checks);
  return { ...member, yaml: parsed.settings, configFile: { path: source.path, found: true, setting } };
}
