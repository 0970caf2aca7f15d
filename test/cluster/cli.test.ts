// run --cluster's options: --wait is a duration like every other duration flag, and a bare number is refused with the one grammar's words.
import { describe, expect, it } from 'vitest';
import { clusterArgsOf } from '../../src/cluster/cli.js';

const base = { cluster: 'n1=127.0.0.70,n2=127.0.0.71', name: 'n1' } as Parameters<typeof clusterArgsOf>[0];

describe('run --cluster --wait', () => {
  it('takes a duration', () => {
    expect(clusterArgsOf({ ...base, wait: '90s' }).waitMs).toBe(90_000);
    expect(clusterArgsOf({ ...base, wait: '1m30s' }).waitMs).toBe(90_000);
    expect(clusterArgsOf({ ...base, wait: '2m' }).waitMs).toBe(120_000);
  });

  it('refuses a bare number, and a wait outside a second to an hour', () => {
    expect(() => clusterArgsOf({ ...base, wait: '120' })).toThrow(/^--wait "120": give a unit: 200ms or 0\.2s$/);
    expect(() => clusterArgsOf({ ...base, wait: '500ms' })).toThrow(/^--wait "500ms": must be from 1s to 1h/);
    expect(() => clusterArgsOf({ ...base, wait: '2h' })).toThrow(/^--wait "2h": must be from 1s to 1h/);
  });
});
