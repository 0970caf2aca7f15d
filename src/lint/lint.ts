// Lints etcd unit, environment and config files: resolve them as systemd and etcd would, gather file facts, run the rules.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { advise } from '../advisor/advise.js';
import { DEFAULT_ETCD_VERSION, isMeasured } from '../advisor/inputs.js';
import type { Artifacts } from '../model/artifacts.js';
import { UsageError } from '../model/errors.js';
import { gatherMemberFacts } from './facts.js';
import { asCheck, byFileAndLine, finding, type Finding } from './findings.js';
import type { Check } from '../model/check.js';
import { minorOf } from '../etcd/flags.js';
import { etcdVersionOnPath } from '../probes/host.js';
import { resolveMembers, type InputFile } from './resolve.js';
import { CLUSTER_LINT_RULES, MEMBER_RULES, type MemberContext, type RttBasis } from './rules.js';
import { effectiveSettings } from './settings.js';

export interface LintOptions {
  files: string[];
  envFiles?: string[];
  /** A report.json whose network measurement the timing is judged against. */
  reportPath?: string;
  etcdVersion?: string;
  now?: Date;
}

export interface LintResult {
  version: string;
  versionBasis: string;
  members: { file: string; kind: string }[];
  findings: Finding[];
  /** The findings as checks: the lint command's exit code is their verdict. */
  checks: Check[];
}

async function readInput(path: string, what: string): Promise<InputFile> {
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch {
    throw new UsageError(`cannot read ${what} ${path}`);
  }
}

function readIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The RTT a saved run measured, and what the advisor recommends for it. */
export async function rttFromReport(path: string): Promise<{ rtt: RttBasis; etcdVersion: string; loopbackOnly: boolean }> {
  const { text } = await readInput(path, '--report');
  let report: { artifacts?: Artifacts };
  try {
    report = JSON.parse(text) as { artifacts?: Artifacts };
  } catch {
    throw new UsageError(`--report ${path} is not JSON (give the report.json a run wrote)`);
  }
  if (report.artifacts?.host === undefined) throw new UsageError(`--report ${path} has no artifacts: give the report.json a run wrote`);
  const result = advise(report.artifacts);
  const rtt = result.inputs.rttP99Ms;
  if (!isMeasured(rtt)) throw new UsageError(`--report ${path} has no RTT measurement to judge timing against (${rtt.missing})`);
  const flag = (name: string) => {
    const f = result.advice.flags.find((x) => x.flag === name);
    return typeof f?.value === 'number' ? f.value : null;
  };
  return { rtt: { rttP99Ms: rtt.value, basis: rtt.basis, heartbeatMs: flag('heartbeat-interval'), electionMs: flag('election-timeout') }, etcdVersion: result.inputs.etcdVersion.value, loopbackOnly: result.inputs.rttLoopbackOnly };
}

export async function lintFiles(options: LintOptions): Promise<LintResult> {
  if (options.files.length === 0) throw new UsageError('give at least one file to lint (etcd.service, etcd.conf or etcd.yaml)');
  if (options.etcdVersion !== undefined && minorOf(options.etcdVersion) === null) throw new UsageError(`--etcd-version "${options.etcdVersion}" is not a version like 3.4 or 3.5.17`);
  const files = await Promise.all(options.files.map((f) => readInput(f, 'file')));
  const envFiles = await Promise.all((options.envFiles ?? []).map((f) => readInput(f, '--env-file')));
  const fromReport = options.reportPath !== undefined ? await rttFromReport(options.reportPath) : null;

  let version: string;
  let versionBasis: string;
  if (options.etcdVersion !== undefined) [version, versionBasis] = [options.etcdVersion, '--etcd-version'];
  else {
    const onPath = await etcdVersionOnPath();
    if (onPath !== null) [version, versionBasis] = [onPath, 'etcd on PATH'];
    else if (fromReport) [version, versionBasis] = [fromReport.etcdVersion, '--report'];
    else [version, versionBasis] = [DEFAULT_ETCD_VERSION, 'default (no etcd on PATH)'];
  }
  version = minorOf(version)!;

  const { members, findings } = resolveMembers({ files, envFiles, readFile: readIfPresent });
  const now = options.now ?? new Date();
  const contexts: MemberContext[] = members.map((member) => ({ member, settings: effectiveSettings(member), facts: gatherMemberFacts(member), version, now, rtt: fromReport?.rtt ?? null }));
  for (const ctx of contexts) for (const rule of MEMBER_RULES) findings.push(...rule.check(ctx));
  for (const rule of CLUSTER_LINT_RULES) findings.push(...rule.check(contexts));
  if (fromReport?.loopbackOnly) findings.push(finding('info', 'risk.timing-rtt', options.reportPath!, null, null, `The RTT in ${options.reportPath} was measured to loopback only: timing was judged against a baseline of that host, not the network between members. Fix: run etcd-advisor run --peers <the other members> and lint against that report.`));
  const sorted = findings.sort(byFileAndLine);
  return { version, versionBasis, members: members.map((x) => ({ file: x.file, kind: x.kind })), findings: sorted, checks: sorted.map(asCheck) };
}
