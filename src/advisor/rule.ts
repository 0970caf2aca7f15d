// The shape of an advisor rule: data (id, needs, source) plus a pure function from measurements to checks and flags.
import type { FlagRecommendation, UnitSetting, UpgradeAdvice } from '../model/advice.js';
import type { Artifacts } from '../model/artifacts.js';
import type { Check, Section, Status } from '../model/check.js';
import type { ProbeResult } from '../model/probe.js';
import type { AdvisorInputs } from './inputs.js';

export type InputName = Exclude<keyof AdvisorInputs, 'rttLoopbackOnly' | 'etcdVersion' | 'current' | 'withheld'>;

/** An artifact a rule reads whole (a peer list, the load phases, the member readings). */
/** The probes' artifacts; `interruption` is the run's own record, judged by run.interrupted alone. */
export type ArtifactName = Exclude<keyof Artifacts, 'interruption'>;

/** The data of the artifacts a rule declared: advise() runs the rule only when each was gathered. */
export type MeasuredArtifacts = { [K in ArtifactName]?: NonNullable<Artifacts[K]> extends ProbeResult<infer T> ? T : never };

export interface RuleContext {
  inputs: AdvisorInputs;
  artifacts: Artifacts;
  /** The data of every artifact that was gathered; the ones in the rule's `artifacts` are always there. */
  measured: MeasuredArtifacts;
  /** Flags recommended by rules that ran earlier (heartbeat before election). */
  flags: ReadonlyMap<string, FlagRecommendation>;
}

export interface RuleOutcome {
  checks: Check[];
  flags?: FlagRecommendation[];
  unitSettings?: UnitSetting[];
  /** Flags of earlier rules that would be invalid without this rule's (a heartbeat with no valid election timeout). */
  withdraw?: string[];
  /** The upgrade section (rule advice.upgrade): the way from the release the member runs to the one advised for. */
  upgrade?: UpgradeAdvice;
}

export interface Rule {
  id: string;
  section: Section;
  title: string;
  /** Where the rule's thresholds come from. */
  source: string;
  /** Inputs without which the rule cannot say anything: missing ones skip it, failed ones make it an error. */
  needs: InputName[];
  /**
   * Inputs the rule sizes from when they were measured and does without when nobody asked (a default then stands):
   * one whose probe failed makes the rule an error, never advice from the default alone.
   */
  uses?: InputName[];
  /**
   * Artifacts the rule reads whole. advise() alone deals with their absence: one not asked for skips the rule; one whose
   * probe failed becomes a single error check (from the first rule that needs it), so rules never check `ok` themselves.
   */
  artifacts?: ArtifactName[];
  evaluate(ctx: RuleContext): RuleOutcome;
}

/** The data of an artifact the rule declared in `artifacts` (advise() guarantees it); a rule that did not declare it gets an error. */
export function measuredOf<K extends ArtifactName>(ctx: Pick<RuleContext, 'measured'>, name: K): NonNullable<MeasuredArtifacts[K]> {
  const data = ctx.measured[name];
  if (data === undefined) throw new Error(`a rule read the ${name} artifact without declaring it in its artifacts`);
  return data as NonNullable<MeasuredArtifacts[K]>;
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
