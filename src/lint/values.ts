// Whether etcd parses a flag's value, by the flag's type: Go's strconv and time parsers, and etcd's URL checks.
import type { EtcdFlag } from '../etcd/flags.js';

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

export interface ParsedUrl {
  scheme: string;
  host: string;
  port: string;
}

/**
 * etcd's types.NewURLs: scheme http, https, unix or unixs; host:port; no path. Node's URL parser is more lenient
 * (it adds "/" and accepts no port), so the form is checked on the text.
 */
export function parseEtcdUrl(text: string): ParsedUrl | string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(text.trim());
  if (!m) return `"${text}" is not a URL (expected scheme://host:port)`;
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!;
  if (!['http', 'https', 'unix', 'unixs'].includes(scheme)) return `"${text}": URL scheme must be http, https, unix or unixs`;
  if (m[3] !== '' && m[3] !== '/') return `"${text}": URL must not contain a path`;
  const hp = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d+)$/.exec(authority);
  if (!hp) return `"${text}": URL address does not have the form host:port`;
  return { scheme, host: hp[1]!.replace(/^\[|\]$/g, ''), port: hp[2]! };
}

export function parseUrlList(text: string): { urls: ParsedUrl[]; problems: string[] } {
  const urls: ParsedUrl[] = [];
  const problems: string[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') {
      problems.push('an empty URL in the list');
      continue;
    }
    const u = parseEtcdUrl(part);
    if (typeof u === 'string') problems.push(u);
    else urls.push(u);
  }
  return { urls, problems };
}

/** --initial-cluster "m1=https://10.0.0.1:2380,m2=..." -> name -> URLs (a name may have several). */
export function parseInitialCluster(text: string): { members: Map<string, string[]>; problems: string[] } {
  const members = new Map<string, string[]>();
  const problems: string[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      problems.push(`"${part}" is not name=URL`);
      continue;
    }
    const name = part.slice(0, eq);
    const url = part.slice(eq + 1);
    const parsed = parseEtcdUrl(url);
    if (typeof parsed === 'string') problems.push(parsed);
    members.set(name, [...(members.get(name) ?? []), url.trim()]);
  }
  return { members, problems };
}

/** Why etcd would refuse the value, or null when it parses. */
export function valueProblem(flag: EtcdFlag, value: string): string | null {
  switch (flag.type) {
    case 'bool':
      return isGoBool(value) ? null : `"${value}" is not a boolean etcd reads (true or false)`;
    case 'uint':
      return parseGoUint(value) !== null ? null : `"${value}" is not an unsigned integer${/^\d+\s*[a-zA-Z]+$/.test(value) ? ' (etcd takes no units here: give the bare number)' : ''}`;
    case 'int':
      return parseGoUint(value.replace(/^[-+]/, '')) !== null ? null : `"${value}" is not an integer${/^\d+\s*[a-zA-Z]+$/.test(value) ? ' (etcd takes no units here: give the bare number)' : ''}`;
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
