// Says that a run was interrupted, which phases it cut short and which never ran: an error check, so the verdict is incomplete and nobody reads a half-run as a verdict on the node.
import type { RunPhase } from '../../model/artifacts.js';
import { checkFields, type Rule } from '../rule.js';

const PHASE_NAMES: Record<RunPhase, string> = {
  disk: 'the disk test',
  network: 'the RTT measurement',
  load: 'the etcd load',
  cluster: 'the cluster status read',
  observation: 'the observation window',
};
const list = (phases: readonly RunPhase[]) => phases.map((p) => PHASE_NAMES[p]).join(', ');

export const runInterrupted: Rule = {
  id: 'run.interrupted',
  section: 'run',
  title: 'Run interrupted',
  source: 'the operator stopped the run (SIGINT is Ctrl-C; SIGTERM comes from kill or systemd): this is not a measurement of etcd or the disk',
  needs: [],
  evaluate({ artifacts }) {
    const i = artifacts.interruption;
    if (i === undefined) return { checks: [] };
    const cut = i.cutShort.length > 0 ? ` It cut short ${list(i.cutShort)}, which is not judged.` : '';
    const skipped = i.notStarted.length > 0 ? ` ${list(i.notStarted).replace(/^./, (c) => c.toUpperCase())} did not run.` : '';
    return {
      checks: [
        {
          ...checkFields(this),
          status: 'error',
          value: i.signal,
          message: `The run was stopped by ${i.signal} ${i.atSec.toFixed(0)} s in.${cut}${skipped} The checks below judge only what finished; run again for a verdict.`,
        },
      ],
    };
  },
};

/** The artifacts the other rules judge: those of phases that finished, never one a signal cut short. */
export function finishedOnly<T extends { interruption?: { cutShort: RunPhase[] } }>(artifacts: T): T {
  const cut = artifacts.interruption?.cutShort ?? [];
  if (cut.length === 0) return artifacts;
  const copy = { ...artifacts } as Record<string, unknown>;
  for (const phase of cut) delete copy[phase];
  return copy as T;
}
