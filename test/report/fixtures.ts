// The recorded report.json fixtures, with the generation time pinned so that every rendered file is reproducible.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/model/report.js';

export const PINNED_GENERATED_AT = '2026-01-01T00:00:00.000Z';
export const FIXTURE_NAMES = ['quick', 'full', 'no-fio'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

export function fixturePath(name: FixtureName): string {
  return fileURLToPath(new URL(`../fixtures/reports/${name}.json`, import.meta.url));
}

export function loadFixture(name: FixtureName, generatedAt = PINNED_GENERATED_AT): Report {
  const report = JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Report;
  return { ...report, generatedAt };
}

export const HOSTILE = {
  hostname: '<script>alert(1)</script>',
  peer: '"><img src=x onerror=alert(2)>',
  jobName: '</script><script>alert(3)</script>',
  phase: '<svg onload=alert(4)>',
  note: '</pre><iframe src="https://example.com/"></iframe>',
  errorKind: "=cmd|' /C calc'!A0",
} as const;

/** The quick fixture with every value that comes from outside replaced by markup that must stay text. */
export function hostileReport(): Report {
  const r = loadFixture('quick');
  if (r.artifacts.host.ok) r.artifacts.host.data.hostname = HOSTILE.hostname;
  if (r.artifacts.network?.ok) for (const p of r.artifacts.network.data.peers) p.host = HOSTILE.peer;
  if (r.artifacts.disk?.ok) {
    r.artifacts.disk.data.fio.jobName = HOSTILE.jobName;
    r.artifacts.disk.data.dir = `/data/${HOSTILE.jobName}`;
  }
  if (r.artifacts.load?.ok) {
    for (const p of r.artifacts.load.data.phases) {
      p.name = HOSTILE.phase;
      p.errors = 1;
      p.errorsByKind = { [HOSTILE.errorKind]: 1 };
    }
  }
  r.run.notes.push(HOSTILE.note);
  r.run.argv.push('--peers', HOSTILE.peer);
  r.checks[0]!.message = `${HOSTILE.hostname} ${HOSTILE.peer}`;
  return r;
}
