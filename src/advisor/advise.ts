// Runs the rules over a run's artifacts: pure, so that `advise --from report.json` gives the same answer as the run did.
import type { Advice, FlagRecommendation, UnitSetting } from '../model/advice.js';
import type { Artifacts } from '../model/artifacts.js';
import type { Check } from '../model/check.js';
import { deriveInputs, isMeasured, type AdvisorInputs, type Input, type Missing, type WhatIf } from './inputs.js';
import type { Rule } from './rule.js';
import { RULES } from './rules/index.js';

export interface AdvisorResult {
  inputs: AdvisorInputs;
  checks: Check[];
  advice: Advice;
}

export function advise(artifacts: Artifacts, whatIf: WhatIf = {}, rules: readonly Rule[] = RULES): AdvisorResult {
  const inputs = deriveInputs(artifacts, whatIf);
  const checks: Check[] = [];
  const flags = new Map<string, FlagRecommendation>();
  const unitSettings: UnitSetting[] = [];
  for (const rule of rules) {
    const missing = rule.needs.map((n): Input<unknown> => inputs[n]).filter((i): i is Missing => !isMeasured(i));
    if (missing.length > 0) {
      // A failed probe makes its rules say error with the reason; an input nobody asked for skips the rule.
      const failed = missing.find((m) => m.error);
      if (failed !== undefined) checks.push({ id: rule.id, section: rule.section, title: rule.title, status: 'error', message: failed.missing, source: rule.source });
      continue;
    }
    const outcome = rule.evaluate({ inputs, artifacts, flags });
    checks.push(...outcome.checks);
    for (const f of outcome.flags ?? []) flags.set(f.flag, f);
    unitSettings.push(...(outcome.unitSettings ?? []));
  }
  return { inputs, checks, advice: { etcdVersion: inputs.etcdVersion.value, flags: [...flags.values()], unitSettings } };
}
