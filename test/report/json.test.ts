// report.json: schema version 1, every artifact and result, and nothing lost on the way back in.
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/model/report.js';
import { renderJson } from '../../src/report/json.js';
import { parseReport } from '../../src/report/load.js';
import { FIXTURE_NAMES, loadFixture } from './fixtures.js';

describe.each(FIXTURE_NAMES)('renderJson(%s)', (name) => {
  it('round-trips through parseReport unchanged', () => {
    const report = loadFixture(name);
    const text = renderJson(report);
    expect(JSON.parse(text).schemaVersion).toBe(SCHEMA_VERSION);
    expect(parseReport(text, 'x')).toEqual(report);
    expect(renderJson(parseReport(text, 'x'))).toBe(text);
  });
});
