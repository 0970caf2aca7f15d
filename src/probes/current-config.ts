// Reads what this member runs with today: the unit, env file or YAML config the operator names, and the etcd process on this node (/proc); it records, never judges.
import { existsSync } from 'node:fs';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CurrentConfigArtifact, CurrentSettingSource } from '../model/artifacts.js';
import { probeOk, type ProbeResult } from '../model/probe.js';
import { resolveMembers, type InputFile } from '../lint/resolve.js';
import { effectiveSettings } from '../lint/settings.js';
import { etcdVersionOf } from '../etcd/binary.js';
import { readInputFile, readInputFileSync } from '../util/input-file.js';

export interface CurrentConfigOptions {
  /** --unit, --env-file, --config-file: the files this member is started from. */
  unit?: string | undefined;
  envFiles?: readonly string[] | undefined;
  configFile?: string | undefined;
  /** Look for an etcd process on this node; the one serving one of these client URLs (or named `name`) is this member. */
  processMatch?: { endpoints: readonly string[]; name?: string | undefined } | undefined;
  /** /proc, for tests. */
  procDir?: string;
}

async function readGiven(flag: string, path: string): Promise<InputFile> {
  return { path, text: await readInputFile(path, { flag, holding: 'a systemd unit or etcd configuration', kind: 'config', allowEmpty: true }) };
}

/** A file the unit names (EnvironmentFile=): absent is normal, but a FIFO, a device or a huge file is refused, not read. */
function readIfPresent(path: string): string | null {
  if (!existsSync(path)) return null;
  return readInputFileSync(path, { flag: '', holding: 'a file the unit names', kind: 'config', allowEmpty: true });
}

/** Settings of the resolved members as etcd would take them (the config file alone when there is one), and the binary the unit starts. */
function settingsOf(input: { files: InputFile[]; envFiles: InputFile[] }): { settings: CurrentSettingSource['settings']; binary: string | null } {
  const { members } = resolveMembers({ ...input, readFile: readIfPresent });
  const member = members[0];
  if (member === undefined) return { settings: [], binary: null };
  return {
    settings: [...effectiveSettings(member).values()].map((s) => ({
      flag: s.flag,
      value: s.value,
      where: s.line === null ? s.file : `${s.file}:${s.line}`,
      origin: s.origin,
    })),
    binary: member.unit?.binary ?? null,
  };
}

/**
 * `etcd --version` of the binary a unit or process runs, when it is on this machine: the release the member runs today (what
 * an upgrade starts from). Only a file named etcd is run: a unit copied from elsewhere names whatever its ExecStart names.
 */
async function versionOfBinary(binary: string | null): Promise<{ etcdBinary: string; etcdVersion: string | null } | Record<string, never>> {
  if (binary === null || !binary.startsWith('/') || basename(binary) !== 'etcd') return {};
  const info = await stat(binary).catch(() => null);
  if (info === null || !info.isFile()) return {};
  return { etcdBinary: binary, etcdVersion: await etcdVersionOf(binary) };
}

/** A word as systemd reads it back from ExecStart/Environment: double-quoted, with "\", '"', "$" and "%" escaped. */
function systemdWord(word: string): string {
  return `"${word.replace(/[\\"]/g, '\\$&').replace(/\$/g, '$$$$').replace(/%/g, '%%')}"`;
}

/** A process's command line and ETCD_* environment as a unit, so that the same resolver reads it as it reads files. */
export function processAsUnit(pid: string, argv: readonly string[], environ: ReadonlyMap<string, string>): InputFile {
  const lines = ['[Service]'];
  for (const [k, v] of environ) if (k.startsWith('ETCD_')) lines.push(`Environment=${systemdWord(`${k}=${v}`)}`);
  lines.push(`ExecStart=${argv.map(systemdWord).join(' ')}`);
  return { path: `/proc/${pid}`, text: lines.join('\n') + '\n' };
}

const urlsOf = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter((u) => u !== '');

/** etcd processes on this node: their pid, argv and environment (the environment needs the same user or root). */
async function etcdProcesses(procDir: string): Promise<{ pid: string; argv: string[]; environ: Map<string, string> | null }[]> {
  const out: { pid: string; argv: string[]; environ: Map<string, string> | null }[] = [];
  for (const pid of await readdir(procDir).catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const argv = await readFile(`${procDir}/${pid}/cmdline`, 'utf8').then(
      (t) => t.split('\0').filter((w, i, all) => w !== '' || i < all.length - 1),
      () => null,
    );
    if (argv === null || argv.length === 0 || basename(argv[0]!) !== 'etcd') continue;
    const environ = await readFile(`${procDir}/${pid}/environ`, 'utf8').then(
      (t) =>
        new Map(
          t
            .split('\0')
            .filter((e) => e.includes('='))
            .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as [string, string]),
        ),
      () => null,
    );
    out.push({ pid, argv, environ });
  }
  return out;
}

export async function runCurrentConfigProbe(options: CurrentConfigOptions): Promise<ProbeResult<CurrentConfigArtifact>> {
  const sources: CurrentSettingSource[] = [];
  const notes: string[] = [];
  if (options.unit !== undefined || options.configFile !== undefined || (options.envFiles?.length ?? 0) > 0) {
    const files: InputFile[] = [];
    if (options.unit !== undefined) files.push(await readGiven('--unit', options.unit));
    if (options.configFile !== undefined) files.push(await readGiven('--config-file', options.configFile));
    const envFiles = await Promise.all((options.envFiles ?? []).map((f) => readGiven('--env-file', f)));
    // A lone env file is a member of its own; with a unit it stands in for the unit's EnvironmentFile=.
    const input = files.length === 0 ? { files: envFiles, envFiles: [] } : { files, envFiles };
    const { settings, binary } = settingsOf(input);
    sources.push({ kind: 'files', label: [...files, ...envFiles].map((f) => f.path).join(', '), settings, ...(await versionOfBinary(binary)) });
  }
  if (options.processMatch !== undefined) {
    const wanted = new Set(options.processMatch.endpoints.map((e) => e.replace(/\/+$/, '')));
    const found = await etcdProcesses(options.procDir ?? '/proc');
    let matched = 0;
    for (const p of found) {
      const { settings } = settingsOf({ files: [processAsUnit(p.pid, p.argv, p.environ ?? new Map())], envFiles: [] });
      const get = (flag: string) => settings.find((s) => s.flag === flag)?.value;
      const serves = [...urlsOf(get('advertise-client-urls')), ...urlsOf(get('listen-client-urls'))].some((u) => wanted.has(u));
      const named = options.processMatch.name !== undefined && get('name') === options.processMatch.name;
      if (!serves && !named) continue;
      matched++;
      const exe = await readlink(`${options.procDir ?? '/proc'}/${p.pid}/exe`).catch(() => null);
      sources.push({
        kind: 'process',
        label: `etcd process ${p.pid}${p.environ === null ? ' (its environment could not be read)' : ''}`,
        settings,
        ...(await versionOfBinary(exe)),
      });
    }
    if (matched === 0 && found.length > 0)
      notes.push(
        `${found.length} etcd process(es) run on this node, but none serves the endpoints given or is named as this member: none was read as this member's configuration.`,
      );
  }
  return probeOk({ sources, notes });
}
