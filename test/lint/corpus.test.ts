// The lint corpus: each directory under test/fixtures/lint holds files written for the test and, in case.json, the findings expected.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintFiles } from '../../src/lint/lint.js';

interface ExpectedCheck {
  status: string;
  id: string;
  file: string;
  line?: number | null;
  flag?: string | null;
}

interface Case {
  description: string;
  files: string[];
  envFiles?: string[];
  etcdVersion: string;
  /** lint --upgrade-to */
  upgradeTo?: string;
  expected: ExpectedCheck[];
}

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'lint');
const cases = readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'case.json')));
const key = (c: ExpectedCheck) => `${c.status} ${c.id} ${c.file}:${c.line ?? '-'} ${c.flag ?? '-'}`;

describe('lint corpus', () => {
  it('has broken and correct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases).toContain('good-unit-envfile');
  });

  for (const name of cases) {
    const spec = JSON.parse(readFileSync(join(ROOT, name, 'case.json'), 'utf8')) as Case;
    it(`${name}: ${spec.description}`, async () => {
      const result = await lintFiles({
        files: spec.files.map((f) => join(ROOT, name, f)),
        envFiles: (spec.envFiles ?? []).map((f) => join(ROOT, name, f)),
        etcdVersion: spec.etcdVersion,
        ...(spec.upgradeTo !== undefined ? { upgradeTo: spec.upgradeTo } : {}),
      });
      const actual = result.checks.map((c) => key({ ...c, file: basename(c.file!) })).sort();
      expect(actual).toEqual(spec.expected.map(key).sort());
      // Every finding says what to do, not only what is wrong.
      for (const c of result.checks) expect(c.message).toMatch(/Fix: \S/);
    });
  }
});
