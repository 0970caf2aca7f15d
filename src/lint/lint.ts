// Lints etcd unit, environment and config files: resolve them as systemd and etcd would, gather file facts, run the rules.
import { advise, type AdvisorResult } from '../advisor/advise.js';
import { DEFAULT_ETCD_VERSION, isMeasured } from '../advisor/inputs.js';
import { probeError } from '../model/probe.js';
import { UsageError } from '../model/errors.js';
import { gatherMemberFacts } from './facts.js';
import { byFileAndLine, lintCheck } from './check.js';
import type { Check } from '../model/check.js';
import { atLeast, catalogueVersion, minorOf, parseEtcdVersion, SUPPORTED_VERSIONS, type EtcdMinor } from '../etcd/flags.js';
import { printable } from '../etcd/urls.js';
import { upgradePlan } from '../etcd/upgrade.js';
import { readReport } from '../report/load.js';
import { readInputFile, readInputFileSync } from '../util/input-file.js';
import { etcdVersionOnPath } from '../probes/host.js';
import { resolveMembers, type InputFile } from './resolve.js';
import { CLUSTER_LINT_RULES, MEMBER_RULES } from './rules.js';
import type { MemberContext, RttBasis } from './rules/common.js';
import { effectiveSettings } from './settings.js';

export interface LintOptions {
  files: string[];
  envFiles?: string[];
  /** A report.json whose network measurement the timing is judged against. */
  reportPath?: string;
  /** Measurement flags instead of a report: the RTT p99 (ms) the timing is judged against. */
  rttP99Ms?: number;
  etcdVersion?: string;
  /** --upgrade-to: list, step by step, what in the files breaks or changes on the way from `etcdVersion` to this release. */
  upgradeTo?: string;
  now?: Date;
}

export interface LintResult {
  version: string;
  versionBasis: string;
  /** With --upgrade-to: the way the checks of rule etcd.upgrade (each with its `step`) cover. */
  upgrade?: { from: EtcdMinor; to: EtcdMinor; steps: string[] };
  members: { file: string; kind: string }[];
  /** Every finding, a check as the advisor's (section "lint"), in file and line order: lint --json prints them, the exit code is their verdict. */
  checks: Check[];
}

/** A file given to lint, through the one bounded reader: a regular text file of at most INPUT_CAPS.config. */
async function readInput(path: string, flag: string, holding: string): Promise<InputFile> {
  return { path, text: await readInputFile(path, { flag, holding, kind: 'config' }) };
}

/** An --env-file holds KEY=value lines: a JSON file given by mistake is refused, not read as no settings. */
async function readEnvFile(path: string): Promise<InputFile> {
  const file = await readInput(path, '--env-file', 'KEY=value lines (an etcd.conf)');
  if (/^\s*[[{]/.test(file.text)) throw new UsageError(`--env-file ${printable(path)}: is JSON, not an environment file of KEY=value lines`);
  if (!/^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/m.test(file.text))
    throw new UsageError(`--env-file ${printable(path)}: holds no KEY=value line, so it is not an environment file`);
  return file;
}

/** A file a unit names (EnvironmentFile=, a config file): read when it is on this machine, bounded the same way; absent is null. */
function readIfPresent(path: string): string | null {
  try {
    return readInputFileSync(path, { flag: '', holding: 'etcd settings', kind: 'config', allowEmpty: true });
  } catch (err) {
    if (/: no such file/.test((err as Error).message)) return null;
    throw err;
  }
}

/** The heartbeat and election the advisor's own rules recommend for the RTT it was given; null where it recommends none. */
function advisedTiming(result: AdvisorResult): Pick<RttBasis, 'heartbeatMs' | 'electionMs'> {
  const ms = (name: string) => {
    const f = result.advice.flags.find((x) => x.flag === name);
    return typeof f?.value === 'number' ? f.value : null;
  };
  return { heartbeatMs: ms('heartbeat-interval'), electionMs: ms('election-timeout') };
}

/** The RTT an operator gives (lint --rtt-p99-ms), through the same advisor rules a report goes through. */
function rttFromWhatIf(rttP99Ms: number): RttBasis {
  const result = advise({ host: probeError('not read by lint') }, { rttP99Ms });
  return { rttP99Ms, basis: `RTT p99 ${rttP99Ms} ms given by --rtt-p99-ms`, ...advisedTiming(result) };
}

/** The RTT a saved run measured, and what the advisor recommends for it. */
async function rttFromReport(path: string): Promise<{ rtt: RttBasis; etcdVersion: string; loopbackOnly: boolean }> {
  const report = await readReport(path, { flag: '--report' });
  const result = advise(report.artifacts);
  const rtt = result.inputs.rttP99Ms;
  if (!isMeasured(rtt)) throw new UsageError(`--report ${path} has no RTT measurement to judge timing against (${rtt.missing})`);
  return {
    rtt: { rttP99Ms: rtt.value, basis: rtt.basis, ...advisedTiming(result) },
    etcdVersion: result.inputs.etcdVersion.value,
    loopbackOnly: result.inputs.rttLoopbackOnly,
  };
}

/** The release --upgrade-to names: 3.5 or 3.6, and later than the one the files are for. */
function upgradeTarget(text: string, version: string, versionBasis: string): EtcdMinor {
  const later = SUPPORTED_VERSIONS.filter((v) => atLeast(v, '3.5'));
  const to = catalogueVersion(parseEtcdVersion('--upgrade-to', text, later));
  if (!atLeast(to, version) || to === catalogueVersion(version))
    throw new UsageError(
      `--upgrade-to ${printable(text)}: the files are for etcd ${version} already (${versionBasis}); give a later release, or --etcd-version for the one they run today`,
    );
  return to;
}

export async function lintFiles(options: LintOptions): Promise<LintResult> {
  if (options.files.length === 0) throw new UsageError('give at least one file to lint (etcd.service, etcd.conf or etcd.yaml)');
  if (options.etcdVersion !== undefined) parseEtcdVersion('--etcd-version', options.etcdVersion);
  const files = await Promise.all(options.files.map((f) => readInput(f, '', 'etcd settings (a unit, an environment file or a YAML config)')));
  const envFiles = await Promise.all((options.envFiles ?? []).map(readEnvFile));
  if (options.reportPath !== undefined && options.rttP99Ms !== undefined) throw new UsageError('give either --report or --rtt-p99-ms, not both');
  if (options.rttP99Ms !== undefined && !(options.rttP99Ms > 0)) throw new UsageError('--rtt-p99-ms must be a positive number of milliseconds');
  const fromReport =
    options.reportPath !== undefined
      ? await rttFromReport(options.reportPath)
      : options.rttP99Ms !== undefined
        ? { rtt: rttFromWhatIf(options.rttP99Ms), etcdVersion: DEFAULT_ETCD_VERSION, loopbackOnly: false }
        : null;

  let version: string;
  let versionBasis: string;
  if (options.etcdVersion !== undefined) [version, versionBasis] = [options.etcdVersion, '--etcd-version'];
  else {
    const onPath = await etcdVersionOnPath();
    if (onPath !== null) [version, versionBasis] = [onPath, 'etcd on PATH'];
    else if (fromReport && options.reportPath !== undefined) [version, versionBasis] = [fromReport.etcdVersion, '--report'];
    else [version, versionBasis] = [DEFAULT_ETCD_VERSION, 'default (no etcd on PATH)'];
  }
  version = minorOf(version)!;
  const upgradeTo = options.upgradeTo !== undefined ? upgradeTarget(options.upgradeTo, version, versionBasis) : undefined;

  const { members, checks } = resolveMembers({ files, envFiles, readFile: readIfPresent });
  const now = options.now ?? new Date();
  const contexts: MemberContext[] = members.map((member) => ({
    member,
    settings: effectiveSettings(member),
    facts: gatherMemberFacts(member),
    version,
    ...(upgradeTo !== undefined ? { upgradeTo } : {}),
    now,
    rtt: fromReport?.rtt ?? null,
  }));
  // Each check carries the source of the rule that said it, as the advisor's do; a table row (tls-posture) names its own item.
  const sourced = (source: string, found: Check[]) => found.map((c) => ({ ...c, source: c.source ?? source }));
  for (const ctx of contexts) for (const rule of MEMBER_RULES) checks.push(...sourced(rule.source, rule.check(ctx)));
  for (const rule of CLUSTER_LINT_RULES) checks.push(...sourced(rule.source, rule.check(contexts)));
  if (fromReport?.loopbackOnly)
    checks.push(
      lintCheck(
        'info',
        'risk.timing-rtt',
        options.reportPath!,
        null,
        null,
        `The RTT in ${options.reportPath} was measured to loopback only: timing was judged against a baseline of that host, not the network between members. Fix: run etcd-advisor run --peers <the other members> and lint against that report.`,
      ),
    );
  return {
    version,
    versionBasis,
    ...(upgradeTo !== undefined
      ? { upgrade: { from: catalogueVersion(version), to: upgradeTo, steps: upgradePlan([], version, upgradeTo).steps.map((st) => `${st.from} -> ${st.to}`) } }
      : {}),
    members: members.map((x) => ({ file: x.file, kind: x.kind })),
    checks: checks.sort(byFileAndLine),
  };
}
