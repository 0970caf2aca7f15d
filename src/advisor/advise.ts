// Runs the rules over a run's artifacts: pure, so that `advise --from report.json` gives the same answer as the run did.
import { flagForVersion } from '../etcd/flags.js';
import type { Advice, FlagRecommendation, UnitSetting } from '../model/advice.js';
import type { Artifacts } from '../model/artifacts.js';
import type { Check } from '../model/check.js';
import { deriveInputs, isMeasured, type AdvisorInputs, type Input, type Missing, type WhatIf } from './inputs.js';
import { checkFields, type Rule } from './rule.js';
import { RULES } from './rules/index.js';
import { finishedOnly } from './rules/run-interrupted.js';

export interface AdvisorResult {
  inputs: AdvisorInputs;
  checks: Check[];
  advice: Advice;
}

export function advise(measured: Artifacts, whatIf: WhatIf = {}, rules: readonly Rule[] = RULES): AdvisorResult {
  // A phase a signal cut short is not judged by any rule: run.interrupted says so instead.
  const artifacts = finishedOnly(measured);
  const inputs = deriveInputs(artifacts, whatIf);
  const checks: Check[] = [];
  const flags = new Map<string, FlagRecommendation>();
  const unitSettings: UnitSetting[] = [];
  for (const rule of rules) {
    const missing = rule.needs.map((n): Input<unknown> => inputs[n]).filter((i): i is Missing => !isMeasured(i));
    if (missing.length > 0) {
      // A failed probe makes its rules say error with the reason; an input nobody asked for skips the rule.
      const failed = missing.find((m) => m.error);
      if (failed !== undefined) checks.push({ ...checkFields(rule), status: 'error', message: failed.missing });
      continue;
    }
    const outcome = rule.evaluate({ inputs, artifacts, flags });
    checks.push(...outcome.checks);
    for (const f of outcome.flags ?? []) flags.set(f.flag, f);
    for (const f of outcome.withdraw ?? []) flags.delete(f);
    unitSettings.push(...(outcome.unitSettings ?? []));
  }
  // Rules speak in current flag names; the advice uses the names the target version knows, and drops what it does not.
  const version = inputs.etcdVersion.value;
  const versioned: FlagRecommendation[] = [];
  for (const f of flags.values()) {
    const { name, note } = flagForVersion(f.flag, version);
    if (name === null) checks.push({ id: f.rule, section: 'advice', title: `--${f.flag}`, status: 'warn', flag: f.flag, message: `Not set: ${note}`, source: 'ETCD-FACTS.md Flags' });
    else versioned.push(name === f.flag ? f : { ...f, flag: name });
  }
  return { inputs, checks, advice: { etcdVersion: version, flags: versioned, unitSettings } };
}
