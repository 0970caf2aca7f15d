// Whether etcd parses a flag's value, by the flag's type: Go's strconv and time parsers, and etcd's URL checks.
import type { EtcdFlag } from '../etcd/flags.js';
import { parseInitialCluster, parseUrlList } from '../etcd/urls.js';

/** strconv.ParseBool: what reads as true, and everything it accepts. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_BOOL = new Set([...GO_TRUE, '0', 'f', 'F', 'FALSE', 'false', 'False']);
/** strconv.ParseUint(s, 0, 64): decimal, 0x hex, 0o/0 octal, 0b binary, "_" between digits. */
const GO_UINT = /^(0[xX](_?[0-9a-fA-F])+|0[oO]?(_?[0-7])+|0[bB](_?[01])+|[1-9](_?\d)*|0)$/;
/** time.ParseDuration. */
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;

export function isGoBool(value: string): boolean {
  return GO_BOOL.has(value);
}

export function goBoolValue(value: string): boolean {
  return GO_TRUE.has(value);
}

export function parseGoUint(value: string): number | null {
  if (!GO_UINT.test(value)) return null;
  const clean = value.replace(/_/g, '');
  const n = /^0[0-7]+$/.test(clean) ? parseInt(clean.slice(1), 8) : /^0[oO]/.test(clean) ? parseInt(clean.slice(2), 8) : Number(clean);
  return Number.isFinite(n) ? n : null;
}

// URLs and --initial-cluster are read by the one etcd-semantics parser that commands and the unit renderer use too.
export { parseEtcdUrl, parseInitialCluster, parseUrlList, type ParsedUrl } from '../etcd/urls.js';

/** Why etcd would refuse the value, or null when it parses. */
export function valueProblem(flag: EtcdFlag, value: string): string | null {
  switch (flag.type) {
    case 'bool':
      return isGoBool(value) ? null : `"${value}" is not a boolean etcd reads (true or false)`;
    case 'uint':
      return parseGoUint(value) !== null
        ? null
        : `"${value}" is not an unsigned integer${/^\d+\s*[a-zA-Z]+$/.test(value) ? ' (etcd takes no units here: give the bare number)' : ''}`;
    case 'int':
      return parseGoUint(value.replace(/^[-+]/, '')) !== null
        ? null
        : `"${value}" is not an integer${/^\d+\s*[a-zA-Z]+$/.test(value) ? ' (etcd takes no units here: give the bare number)' : ''}`;
    case 'duration':
      return GO_DURATION.test(value) ? null : `"${value}" is not a Go duration (e.g. 5s, 100ms, 2h)`;
    case 'enum':
      return flag.values === undefined || flag.values.includes(value) ? null : `"${value}" is not one of ${flag.values.join(', ')}`;
    case 'urls': {
      const { problems } = parseUrlList(value);
      return problems.length ? problems.join('; ') : null;
    }
    case 'initial-cluster': {
      const { problems } = parseInitialCluster(value);
      return problems.length ? problems.join('; ') : null;
    }
    default:
      return null;
  }
}
