// observe's section of report.html over a recorded window (etcd 3.4.23): how each member is named in its row.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ObservationArtifact } from '../../src/model/observation.js';
import { probeOk } from '../../src/model/probe.js';
import { observeView } from '../../src/report/observe-view.js';
import { loadFixture } from './fixtures.js';

const WINDOW = resolve(import.meta.dirname, '..', 'fixtures', 'metrics', 'window-3.4.23', 'observation.json');
const observation = JSON.parse(readFileSync(WINDOW, 'utf8')) as ObservationArtifact;

function reportWith(names: Record<string, string> = {}) {
  const report = loadFixture('full');
  report.artifacts.observation = probeOk(observation);
  const members = Object.entries(names).map(([idHex, name]) => ({ idHex, name }));
  report.artifacts.cluster = probeOk({ members } as never);
  return report;
}

describe('observeView member rows', () => {
  it('names a member known by its address alone once, without its endpoint again', () => {
    const rows = observeView(reportWith())!.members;
    expect(rows.map((r) => [r.member, r.endpoint])).toEqual([
      ['127.0.0.30:2379', ''],
      ['127.0.0.31:2379', ''],
      ['127.0.0.32:2379', ''],
    ]);
  });

  it('names a member by its name from the member list, with its endpoint beside it', () => {
    const rows = observeView(reportWith({ bf57a380c5b9fb12: 'm1' }))!.members;
    expect(rows[0]).toMatchObject({ member: 'm1', endpoint: 'http://127.0.0.30:2379' });
    expect(rows[1]).toMatchObject({ member: '127.0.0.31:2379', endpoint: '' });
  });
});
