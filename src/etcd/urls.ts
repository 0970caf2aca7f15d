// The one reader of URLs and --initial-cluster by etcd's own rules (types.NewURLs, NewURLsMap): commands, the unit renderer and lint all judge a URL here, in the same words.
import { UsageError } from '../model/errors.js';

export interface ParsedUrl {
  scheme: string;
  host: string;
  port: string;
  /** scheme://host:port as etcd writes it back (IPv6 in brackets). */
  text: string;
}

/** What goes into etcd.conf or a command line verbatim: no byte that would end a line or be expanded by systemd. */
const UNSAFE = /[\s\0$%`"'\\]/;

/**
 * etcd's types.NewURLs: scheme http, https, unix or unixs; host:port; no path, query or fragment. Node's URL parser is
 * more lenient (it adds "/" and accepts no port), so the form is checked on the text.
 */
export function parseEtcdUrl(text: string): ParsedUrl | string {
  const trimmed = text.trim();
  if (UNSAFE.test(trimmed)) return `"${printable(text)}" holds a space, quote, "$", "%" or control character, which no URL etcd reads does`;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(trimmed);
  if (!m) return `"${text}" is not a URL (expected scheme://host:port)`;
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!;
  if (!['http', 'https', 'unix', 'unixs'].includes(scheme)) return `"${text}": URL scheme must be http, https, unix or unixs`;
  // url.Parse gives "http://h:2380/" the path "/", which etcd refuses like any other.
  if (m[3] !== '') return `"${text}": URL must not contain a path`;
  if (scheme === 'unix' || scheme === 'unixs') return { scheme, host: authority, port: '', text: `${scheme}://${authority}` };
  const hp = /^(\[[0-9a-fA-F:.]+\]|[^:[\]@]*):(\d+)$/.exec(authority);
  if (!hp || hp[1] === '') return `"${text}": URL address does not have the form host:port`;
  if (Number(hp[2]) > 65535) return `"${text}": port ${hp[2]} is above 65535`;
  const host = hp[1]!.replace(/^\[|\]$/g, '');
  return { scheme, host, port: hp[2]!, text: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${hp[2]}` };
}

/** A comma-separated URL list as etcd's --listen-*-urls and --*-advertise-*-urls read it. */
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

/** A member name etcd and systemd both take as it is (etcd allows more, but nothing a unit file would have to quote). */
export const MEMBER_NAME = /^[A-Za-z0-9._-]+$/;

/** --initial-cluster "m1=https://10.0.0.1:2380,m2=..." -> name -> URLs (a name may have several), and what etcd would refuse. */
export function parseInitialCluster(text: string): { members: Map<string, string[]>; problems: string[] } {
  const members = new Map<string, string[]>();
  const problems: string[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      problems.push(`"${printable(part)}" is not name=URL`);
      continue;
    }
    const name = part.slice(0, eq);
    const url = part.slice(eq + 1);
    if (!MEMBER_NAME.test(name)) problems.push(`member name "${printable(name)}": use letters, digits, ".", "_" and "-" only`);
    const parsed = parseEtcdUrl(url);
    if (typeof parsed === 'string') problems.push(parsed);
    members.set(name, [...(members.get(name) ?? []), url.trim()]);
  }
  if (members.size === 0 && problems.length === 0) problems.push('no member in the list (expected name=URL,...)');
  return { members, problems };
}

/** Control characters shown as \xNN, so that an error never writes ESC or a newline to the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export interface UrlRules {
  /** Schemes the option takes (default http and https: what the tool itself can dial or write for a member). */
  schemes?: readonly string[];
}

/** The URLs of one option, or a UsageError naming it with lint's words. */
export function etcdUrls(option: string, text: string, rules: UrlRules = {}): ParsedUrl[] {
  const { urls, problems } = parseUrlList(text);
  if (problems.length > 0) throw new UsageError(`${option}: ${problems[0]}`);
  if (urls.length === 0) throw new UsageError(`${option} is empty: give URLs like http://10.0.0.1:2379`);
  const schemes = rules.schemes ?? ['http', 'https'];
  const bad = urls.find((u) => !schemes.includes(u.scheme));
  if (bad) throw new UsageError(`${option}: "${bad.text}" must use ${schemes.map((s) => `${s}://`).join(' or ')}`);
  return urls;
}

/** --initial-cluster as a command takes it: name -> its URLs, or a UsageError naming the option with lint's words. */
export function initialCluster(option: string, text: string, rules: UrlRules = {}): Map<string, ParsedUrl[]> {
  const { members, problems } = parseInitialCluster(text);
  if (problems.length > 0) throw new UsageError(`${option}: ${problems[0]}`);
  const out = new Map<string, ParsedUrl[]>();
  for (const [name, urls] of members) out.set(name, etcdUrls(option, urls.join(','), rules));
  return out;
}
