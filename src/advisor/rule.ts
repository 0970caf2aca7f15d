// The shape of an advisor rule: data (id, needs, source) plus a pure function from measurements to checks and flags.
import type { FlagRecommendation, UnitSetting } from '../model/advice.js';
import type { Artifacts } from '../model/artifacts.js';
import type { Check, Section, Status } from '../model/check.js';
import type { AdvisorInputs } from './inputs.js';

export type InputName = Exclude<keyof AdvisorInputs, 'rttLoopbackOnly' | 'etcdVersion' | 'current'>;

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
  /** Flags of earlier rules that would be invalid without this rule's (a heartbeat with no valid election timeout). */
  withdraw?: string[];
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

/** The id, section, title and source every check of a rule carries; a check about one peer or phase overrides the title. */
export function checkFields(rule: Pick<Rule, 'id' | 'section' | 'title' | 'source'>): Pick<Check, 'id' | 'section' | 'title' | 'source'> {
  return { id: rule.id, section: rule.section, title: rule.title, source: rule.source };
}

/** A rule's one flag and the info (or warn) check that shows it in the report, from the same reason. */
export function recommend(
  rule: Pick<Rule, 'id' | 'section' | 'title' | 'source'>,
  rec: Omit<FlagRecommendation, 'rule' | 'source'>,
  status: Extract<Status, 'info' | 'warn'> = 'info',
  message: string = rec.reason,
): { flag: FlagRecommendation; check: Check } {
  return {
    flag: { ...rec, rule: rule.id, source: rule.source },
    check: { ...checkFields(rule), status, flag: rec.flag, value: rec.value, ...(rec.unit ? { unit: rec.unit } : {}), message },
  };
}
