// The shape of an advisor rule: data (id, needs, source) plus a pure function from measurements to checks and flags.
import type { FlagRecommendation, UnitSetting } from '../model/advice.js';
import type { Artifacts } from '../model/artifacts.js';
import type { Check, Section } from '../model/check.js';
import type { AdvisorInputs } from './inputs.js';

export type InputName = Exclude<keyof AdvisorInputs, 'rttLoopbackOnly' | 'etcdVersion'>;

export interface RuleContext {
  inputs: AdvisorInputs;
  artifacts: Artifacts;
  /** Flags recommended by rules that ran earlier (heartbeat before election). */
  flags: ReadonlyMap<string, FlagRecommendation>;
}

export interface RuleOutcome {
  checks: Check[];
  flags?: FlagRecommendation[];
  unitSettings?: UnitSetting[];
}

export interface Rule {
  id: string;
  section: Section;
  title: string;
  /** Where the rule's thresholds come from. */
  source: string;
  /** Inputs without which the rule cannot say anything: missing ones skip it, failed ones make it an error. */
  needs: InputName[];
  evaluate(ctx: RuleContext): RuleOutcome;
}
