// Probes return a ProbeResult: tests that expect a measurement unwrap it here, so a failed probe fails the test with its reason.
import type { ProbeResult } from '../../src/model/probe.js';

export async function measured<T>(result: Promise<ProbeResult<T>> | ProbeResult<T>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`the probe failed: ${r.error}`);
  return r.data;
}
