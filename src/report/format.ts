// Number and size formatting shared by the human-readable renderers.

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toFixed(1))} ${units[i]}`;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '-';
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(3)} ms`;
}

export function usToMs(us: number | undefined): number | undefined {
  return us === undefined ? undefined : us / 1000;
}

export const VERDICT_TEXT = {
  qualified: 'QUALIFIED: this node can run etcd',
  'not-qualified': 'NOT QUALIFIED: at least one check fails',
  incomplete: 'COULD NOT COMPLETE: some checks could not run',
} as const;
