// report.json: the whole record of a run, from which `report --from` renders every other file again.
import type { Report } from '../model/report.js';

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
