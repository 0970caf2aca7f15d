// Says which members answered their scrapes over the window, and when a member went away (and came back): each read on its own.
import type { Rule } from '../rule.js';
import { judgeEach, observing } from './observe-common.js';

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
    return judgeEach(this, o.members, names.of, (m, name) => {
      const base = { value: m.scrapes, threshold: 'every scrape answered' };
      if (m.scrapes === 0)
        return {
          ...base,
          status: 'fail',
          message: `${name} never answered on ${m.metricsUrl}: ${m.outages[0]?.error ?? 'no reply'}. Check that it runs, that the URL is its client (or --listen-metrics-urls) URL, and the TLS files.`,
        };
      if (m.outages.length === 0) return { ...base, status: 'pass', message: `${name} answered all ${m.scrapes} scrapes.` };
      const spans = m.outages.map((out) => {
        const since =
          out.lastSeenAt === null ? `from the start (${clock(out.from)})` : `after ${clock(out.lastSeenAt)} (first missed scrape ${clock(out.from)})`;
        return `stopped answering ${since}${out.backAt === null ? ' and did not come back before the window ended' : `, back at ${clock(out.backAt)}`}: ${out.error}`;
      });
      const gone = m.outages[m.outages.length - 1]!.backAt === null;
      return {
        ...base,
        status: gone ? 'fail' : 'warn',
        message: `${name} ${spans.join('; ')}. Its figures cover only the scrapes it answered (${m.scrapes} of ${m.scrapes + m.failedScrapes}); the other members' are complete.`,
      };
    });
  },
};
