// The only judge: runs the rules over a run's artifacts, pure, so that `advise --from report.json` gives the answer today's rules give; a missing or failed artifact is dealt with here, never inside a rule.
import { flagForVersion } from '../etcd/flags.js';
import type { Advice, FlagRecommendation, UnitSetting, UpgradeAdvice } from '../model/advice.js';
import type { Artifacts } from '../model/artifacts.js';
import { verdictOf, type Check, type Section, type Verdict } from '../model/check.js';
import { deriveInputs, isMeasured, noMemberAnswered, type AdvisorInputs, type Input, type Missing, type WhatIf } from './inputs.js';
import { checkFields, type ArtifactName, type MeasuredArtifacts, type Rule } from './rule.js';
import { RULES } from './rules/index.js';
import { probeError } from '../model/probe.js';
import { finishedOnly } from './rules/run-interrupted.js';

export interface AdvisorResult {
  inputs: AdvisorInputs;
  checks: Check[];
  advice: Advice;
}

/** Flags whose value must agree on every member, and why (ETCD-FACTS.md "Heartbeat and election", "Space and requests"). */
export const SAME_ON_EVERY_MEMBER: Readonly<Record<string, string>> = {
  'heartbeat-interval': 'Set the same value on every member: etcd requires the same heartbeat and election timeout cluster-wide.',
  'election-timeout': 'Set the same value on every member: etcd requires the same heartbeat and election timeout cluster-wide.',
  'quota-backend-bytes': 'Set the same value on every member: NOSPACE is a cluster-wide alarm, raised by the first member over its own quota.',
  'max-request-bytes': 'Set the same value on every member: a request the leader accepts must fit every member that may lead next.',
};

/** How a failed probe reads in its one error check. */
const COULD_NOT: Record<ArtifactName, (error: string) => string> = {
  host: (e) => `The host could not be read: ${e}`,
  disk: (e) => `The disk could not be measured: ${e}`,
  network: (e) => `RTT could not be measured: ${e}`,
  // The load probe's errors already say what could not run against which endpoints.
  load: (e) => e,
  cluster: (e) => `The cluster could not be read: ${e}`,
  current: (e) => `The member's current settings could not be read: ${e}`,
  observation: (e) => `The cluster could not be observed: ${e}`,
  clusterRun: (e) => `The cluster run has no result: ${e}`,
  etcdMetrics: (e) => `etcd's /metrics could not be read: ${e}`,
};

function measuredArtifacts(artifacts: Artifacts): MeasuredArtifacts {
  const measured: Record<string, unknown> = {};
  for (const [name, result] of Object.entries(artifacts)) if (result?.ok) measured[name] = result.data;
  return measured as MeasuredArtifacts;
}

export function advise(given: Artifacts, whatIf: WhatIf = {}, rules: readonly Rule[] = RULES): AdvisorResult {
  // A phase a signal cut short is not judged by any rule: run.interrupted says so instead.
  const artifacts = unansweredAsFailed(finishedOnly(given));
  const inputs = deriveInputs(artifacts, whatIf);
  let withheldSaid = false;
  const measured = measuredArtifacts(artifacts);
  const checks: Check[] = [];
  const flags = new Map<string, FlagRecommendation>();
  const unitSettings: UnitSetting[] = [];
  let upgrade: UpgradeAdvice | undefined;
  // A failed artifact is said once, by the first rule that needs it; the others that need it are skipped.
  const failureSaid = new Set<ArtifactName>();
  for (const rule of rules) {
    const needed = (rule.artifacts ?? []).map((name) => ({ name, result: artifacts[name] }));
    if (needed.some((n) => n.result === undefined)) continue;
    const failed = needed.find((n) => n.result !== undefined && !n.result.ok);
    if (failed !== undefined) {
      if (!failureSaid.has(failed.name) && failed.result !== undefined && !failed.result.ok)
        checks.push({ ...checkFields(rule), status: 'error', message: COULD_NOT[failed.name](failed.result.error) });
      failureSaid.add(failed.name);
      continue;
    }
    // A failed probe makes its rules say error with the reason, for what they need and what they would size from;
    // an input nobody asked for skips a rule that needs it, and leaves a rule that only uses it to its default.
    const failedInput = [...rule.needs, ...(rule.uses ?? [])].map((n): Input<unknown> => inputs[n]).find((i): i is Missing => !isMeasured(i) && i.error);
    if (inputs.withheld !== undefined && rule.section === 'advice') {
      // Nothing of the members was measured: the advice says so once, and no flag comes from defaults alone.
      if (failedInput !== undefined && !withheldSaid)
        checks.push({ ...checkFields(rule), title: 'Flags for the members', status: 'error', message: failedInput.missing });
      withheldSaid ||= failedInput !== undefined;
      continue;
    }
    if (failedInput !== undefined) {
      checks.push({ ...checkFields(rule), status: 'error', message: failedInput.missing });
      continue;
    }
    if (rule.needs.some((n) => !isMeasured<unknown>(inputs[n]))) continue;
    const outcome = rule.evaluate({ inputs, artifacts, measured, flags });
    checks.push(...outcome.checks);
    for (const f of outcome.flags ?? []) flags.set(f.flag, f);
    for (const f of outcome.withdraw ?? []) flags.delete(f);
    unitSettings.push(...(outcome.unitSettings ?? []));
    upgrade = outcome.upgrade ?? upgrade;
  }
  // Every recommendation shows what the member runs with now, and says when the value must agree across members.
  for (const [name, f] of flags) {
    const current = inputs.current[name];
    const same = SAME_ON_EVERY_MEMBER[name];
    if (current !== undefined || same !== undefined)
      flags.set(name, { ...f, ...(current ? { current: { value: current.value, basis: current.basis } } : {}), ...(same ? { sameOnEveryMember: same } : {}) });
  }
  // Rules speak in current flag names; the advice uses the names the target version knows, and drops what it does not.
  const version = inputs.etcdVersion.value;
  const versioned: FlagRecommendation[] = [];
  for (const f of flags.values()) {
    const { name, note } = flagForVersion(f.flag, version);
    if (name === null)
      checks.push({
        id: f.rule,
        section: 'advice',
        title: `--${f.flag}`,
        status: 'warn',
        flag: f.flag,
        message: `Not set: ${note}`,
        source: 'ETCD-FACTS.md Flags',
      });
    else versioned.push(name === f.flag ? f : { ...f, flag: name });
  }
  return {
    inputs,
    checks,
    advice: {
      etcdVersion: version,
      flags: versioned,
      unitSettings,
      ...(inputs.withheld !== undefined ? { withheld: inputs.withheld } : {}),
      ...(upgrade !== undefined ? { upgrade } : {}),
    },
  };
}

/** An observation in which no member answered is a failed one: its rules say error once, none judges a member it never reached. */
function unansweredAsFailed(artifacts: Artifacts): Artifacts {
  const o = artifacts.observation;
  const none = o?.ok ? noMemberAnswered(o.data) : null;
  return none === null ? artifacts : { ...artifacts, observation: probeError(none) };
}

/** A command's part of the advisor's answer (disk, net, load): every rule runs, the checks of these sections are kept. */
export function judgeSections(artifacts: Artifacts, sections: readonly Section[], whatIf: WhatIf = {}): { checks: Check[]; verdict: Verdict } {
  const checks = advise(artifacts, whatIf).checks.filter((c) => sections.includes(c.section));
  return { checks, verdict: verdictOf(checks) };
}
