// Says which members answered their scrapes over the window, and when a member went away (and came back): each read on its own.
import type { Check } from '../../model/check.js';
import { checkFields, type Rule } from '../rule.js';
import { observing } from './observe-common.js';

/** "09:41:07Z" from an ISO time: the window is minutes long, the date is in the report header. */
const clock = (iso: string) => `${iso.slice(11, 19)}Z`;

export const observeMembers: Rule = {
  id: 'observe.members',
  section: 'observe',
  title: 'Members answering over the window',
  source: 'issue 14: a member down is a finding, not a crash; the others are judged on their own',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    const checks: Check[] = [];
    for (const m of o.members) {
      const base = { ...checkFields(this), title: `${this.title}: ${names.of(m)}`, value: m.scrapes, threshold: 'every scrape answered' };
      if (m.scrapes === 0) {
        checks.push({
          ...base,
          status: 'fail',
          message: `${names.of(m)} never answered on ${m.metricsUrl}: ${m.outages[0]?.error ?? 'no reply'}. Check that it runs, that the URL is its client (or --listen-metrics-urls) URL, and the TLS files.`,
        });
        continue;
      }
      if (m.outages.length === 0) {
        checks.push({ ...base, status: 'pass', message: `${names.of(m)} answered all ${m.scrapes} scrapes.` });
        continue;
      }
      const spans = m.outages.map((out) => {
        const since =
          out.lastSeenAt === null ? `from the start (${clock(out.from)})` : `after ${clock(out.lastSeenAt)} (first missed scrape ${clock(out.from)})`;
        return `stopped answering ${since}${out.backAt === null ? ' and did not come back before the window ended' : `, back at ${clock(out.backAt)}`}: ${out.error}`;
      });
      const gone = m.outages[m.outages.length - 1]!.backAt === null;
      checks.push({
        ...base,
        status: gone ? 'fail' : 'warn',
        message: `${names.of(m)} ${spans.join('; ')}. Its figures cover only the scrapes it answered (${m.scrapes} of ${m.scrapes + m.failedScrapes}); the other members' are complete.`,
      });
    }
    return { checks };
  },
};
