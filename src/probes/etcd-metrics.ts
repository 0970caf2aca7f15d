// A member's own /metrics around a step (the load), as window figures: what etcd itself saw of its WAL fsyncs, commits and leaders; it records, never judges.
import type { TlsMaterial } from '../etcd/client.js';
import { memberWindowFigures } from '../metrics/figures.js';
import { metricsUrl, scrapeMetrics, type Scrape } from '../metrics/scrape.js';
import type { MemberMetricsDelta } from '../model/cluster-run.js';
import { errorMessage } from '../model/errors.js';

async function read(clientUrl: string, tls: TlsMaterial | undefined): Promise<Scrape | string> {
  try {
    return await scrapeMetrics(metricsUrl(clientUrl), tls ? { tls } : {});
  } catch (err) {
    return errorMessage(err);
  }
}

/** Runs `work` between two scrapes of the member at clientUrl; the figures cover exactly the step. */
export async function withMemberMetrics<T>(
  member: string,
  phase: string,
  clientUrl: string,
  work: () => Promise<T>,
  tls?: TlsMaterial,
  peerNames: Record<string, string> = {},
): Promise<{ result: T; delta: MemberMetricsDelta }> {
  const before = await read(clientUrl, tls);
  const result = await work();
  const after = await read(clientUrl, tls);
  if (typeof before === 'string' || typeof after === 'string')
    return { result, delta: { member, phase, window: null, peerNames, error: typeof before === 'string' ? before : (after as string) } };
  return { result, delta: { member, phase, window: memberWindowFigures([before, after]), peerNames } };
}
