// `lint`'s terminal text, rendered from lint's answer over the recorded lint corpus (test/fixtures/lint).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintFiles } from '../../../src/lint/lint.js';
import { renderLintText } from '../../../src/report/terminal/lint.js';

const ROOT = join(import.meta.dirname, '..', '..', 'fixtures', 'lint');

describe('renderLintText', () => {
  it('names the files and the etcd release, one line per check with file:line, status, rule id and flag, and the count', async () => {
    const file = join(ROOT, 'risks', 'etcd.conf');
    const result = await lintFiles({ files: [file], etcdVersion: '3.4' });
    const text = renderLintText(result);
    expect(text.startsWith(`Linted ${file} (env) for etcd 3.4 (`)).toBe(true);
    expect(text).toContain(`${file}:9: WARN [risk.quota] --quota-backend-bytes: `);
    expect(text).toContain(`${file}: WARN [tls.client-cert-auth] --peer-client-cert-auth: `);
    expect(text.endsWith('\n\n0 errors, 6 warnings.\n')).toBe(true);
  });

  it('counts errors across the units of one cluster', async () => {
    const files = ['etcd-1.service', 'etcd-2.service', 'etcd-3.service'].map((f) => join(ROOT, 'cluster-trio', f));
    const text = renderLintText(await lintFiles({ files, etcdVersion: '3.4' }));
    expect(text).toMatch(/etcd-2\.service:6: FAIL \[cluster\.initial-cluster-differs\] --initial-cluster: /);
    expect(text.endsWith('\n\n3 errors, 3 warnings.\n')).toBe(true);
  });
});
