// Artifacts for the disk rules' tests, built from the recorded fio fixtures the way `disk --from` builds them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { advise } from '../../../src/advisor/advise.js';
import type { WhatIf } from '../../../src/advisor/inputs.js';
import type { Artifacts, FilesystemInfo } from '../../../src/model/artifacts.js';
import type { Check } from '../../../src/model/check.js';
import { probeError, probeOk } from '../../../src/model/probe.js';
import { parseFioOutput } from '../../../src/parsers/fio.js';

export function diskArtifacts(fixture: string, filesystem: FilesystemInfo | null = null): Artifacts {
  const fio = parseFioOutput(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'fio', fixture), 'utf8'));
  return { host: probeError('not measured', 'not-measured'), disk: probeOk({ dir: fixture, profile: fixture, command: [], filesystem, fio }) };
}

/** The disk checks the advisor gives for a fixture, by rule id. */
export function diskChecks(artifacts: Artifacts, whatIf: WhatIf = {}): Map<string, Check> {
  return new Map(
    advise(artifacts, whatIf)
      .checks.filter((c) => c.section === 'disk')
      .map((c) => [c.id, c]),
  );
}
