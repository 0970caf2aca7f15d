// Sizes written back for an operator: binary units, one decimal at most, and parseSize reads them again.
import { describe, expect, it } from 'vitest';
import { formatBytes, parseSize } from '../../src/util/units.js';

describe('formatBytes', () => {
  it('writes bytes in the largest binary unit, with one decimal at most', () => {
    expect(formatBytes(1000)).toBe('1000 B');
    expect(formatBytes(512 * 1024)).toBe('512 KiB');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GiB');
    expect(formatBytes(22 * 2 ** 20 + 123)).toBe('22 MiB');
  });

  it('gives text that parseSize reads back to the same size', () => {
    for (const bytes of [2 ** 20, 8 * 2 ** 30, 1.5 * 2 ** 30]) expect(parseSize('quota', formatBytes(bytes).replace(' ', ''))).toBe(bytes);
  });
});
