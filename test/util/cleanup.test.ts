// Clean-up steps run once each, newest first, and one failure does not stop the rest.
import { describe, expect, it } from 'vitest';
import { onCleanup, runCleanup } from '../../src/util/cleanup.js';

describe('cleanup registry', () => {
  it('runs every step newest first and reports failures without stopping', async () => {
    const order: string[] = [];
    onCleanup('first', () => void order.push('first'));
    onCleanup('broken', () => {
      throw new Error('disk gone');
    });
    onCleanup('last', () => void order.push('last'));
    expect(await runCleanup()).toEqual(['broken: disk gone']);
    expect(order).toEqual(['last', 'first']);
    expect(await runCleanup()).toEqual([]);
  });

  it('a step run early is not run again at the end', async () => {
    let runs = 0;
    const runNow = onCleanup('once', () => void runs++);
    await runNow();
    await runNow();
    await runCleanup();
    expect(runs).toBe(1);
  });
});
