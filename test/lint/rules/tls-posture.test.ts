// The TLS posture table: one test per row, each linting a unit or config file of test/fixtures/lint/tls-posture through lint itself.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintFiles } from '../../../src/lint/lint.js';
import { POSTURE_ROWS, tlsPostureOf } from '../../../src/lint/rules/tls-posture.js';
import { resolveMembers } from '../../../src/lint/resolve.js';
import { effectiveSettings } from '../../../src/lint/settings.js';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'lint', 'tls-posture');

/** Per row (id flag): the file that makes it speak, the line it points at (null: the flag is unset, the check names the file), and the URL list it quotes. */
const CASES: Record<string, { file: string; line: number | null; quotes?: string }> = {
  'tls.one-side peer-cert-file': { file: 'client-tls-only.conf', line: 9 },
  'tls.one-side cert-file': { file: 'peer-tls-only.conf', line: 3 },
  'tls.plain-http listen-client-urls': { file: 'plain-http.conf', line: 3, quotes: 'http://10.0.0.1:2379' },
  // No listen-peer-urls in the file: the check points at the advertised URL it quotes.
  'tls.plain-http listen-peer-urls': { file: 'plain-http.conf', line: 5, quotes: 'http://10.0.0.1:2380' },
  'tls.client-cert-auth client-cert-auth': { file: 'no-client-cert-auth.conf', line: null },
  'tls.client-cert-auth peer-client-cert-auth': { file: 'no-client-cert-auth.conf', line: 13 },
  'tls.auto-tls auto-tls': { file: 'auto-tls.conf', line: 5 },
  'tls.auto-tls peer-auto-tls': { file: 'auto-tls.conf', line: 10 },
};

const key = (c: { id: string; flag?: string }) => `${c.id} ${c.flag}`;

async function tlsChecks(file: string) {
  const result = await lintFiles({ files: [join(DIR, file)], etcdVersion: '3.4' });
  return result.checks.filter((c) => c.id.startsWith('tls.'));
}

describe('TLS posture table', () => {
  it('has one case per row, and mutual TLS with client certificates on both sides passes every row', async () => {
    expect(Object.keys(CASES).sort()).toEqual(POSTURE_ROWS.map(key).sort());
    expect(await tlsChecks('mutual-tls.service')).toEqual([]);
  });

  for (const row of POSTURE_ROWS) {
    const c = CASES[key(row)]!;
    it(`${key(row)}: ${c.file}`, async () => {
      const checks = await tlsChecks(c.file);
      const found = checks.filter((x) => key(x) === key(row));
      expect(found).toHaveLength(1);
      const check = found[0]!;
      expect(check).toMatchObject({ status: row.status, section: 'lint', file: join(DIR, c.file), source: row.source });
      expect(check.line ?? null).toBe(c.line);
      expect(check.message.endsWith(` Fix: ${row.fix}`)).toBe(true);
      if (typeof row.message === 'string') expect(check.message).toBe(`${row.message} Fix: ${row.fix}`);
      if (c.quotes !== undefined) expect(check.message).toContain(` on ${c.quotes}, off loopback`);
      // The file makes exactly the rows listed for it speak, no other.
      const listed = Object.entries(CASES)
        .filter(([, x]) => x.file === c.file)
        .map(([k]) => k);
      expect(checks.map(key).sort()).toEqual(listed.sort());
    });
  }

  it('evaluates each condition over the parsed settings: TLS on a side from https://, a certificate, or auto-TLS', async () => {
    const sides = async (file: string) => {
      const text = await readFile(join(DIR, file), 'utf8');
      const [member] = resolveMembers({ files: [{ path: join(DIR, file), text }], envFiles: [], readFile: () => null }).members;
      const p = tlsPostureOf({ member: member!, settings: effectiveSettings(member!), version: '3.4' });
      return [p.clientTls, p.peerTls];
    };
    expect(await sides('client-tls-only.conf')).toEqual([true, false]);
    expect(await sides('peer-tls-only.conf')).toEqual([false, true]);
    expect(await sides('plain-http.conf')).toEqual([false, false]);
    expect(await sides('auto-tls.conf')).toEqual([true, true]);
  });
});
