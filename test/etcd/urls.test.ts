// The one etcd-semantics URL and --initial-cluster parser: the words lint prints are the words every command refuses with.
import { describe, expect, it } from 'vitest';
import { etcdUrls, initialCluster, parseEtcdUrl, parseInitialCluster, parseUrlList, printable } from '../../src/etcd/urls.js';
import { UsageError } from '../../src/model/errors.js';

describe('parseEtcdUrl (types.NewURLs)', () => {
  it('reads host:port URLs of every scheme etcd takes, IPv6 in brackets', () => {
    expect(parseEtcdUrl('http://10.0.0.1:2380')).toMatchObject({ scheme: 'http', host: '10.0.0.1', port: '2380', text: 'http://10.0.0.1:2380' });
    expect(parseEtcdUrl('HTTPS://[fd00::1]:2379')).toMatchObject({ scheme: 'https', host: 'fd00::1', text: 'https://[fd00::1]:2379' });
    expect(parseEtcdUrl('unix://localhost:2379')).toMatchObject({ scheme: 'unix' });
  });

  it.each([
    ['http://10.0.0.1:2380/x', /URL must not contain a path/],
    // url.Parse gives a trailing "/" the path "/", which etcd refuses too.
    ['http://10.0.0.1:2380/', /URL must not contain a path/],
    ['http://10.0.0.1:2380?a=b', /URL must not contain a path/],
    ['http://10.0.0.1', /does not have the form host:port/],
    ['http://:2380', /does not have the form host:port/],
    ['http://10.0.0.1:99999', /port 99999 is above 65535/],
    ['ftp://10.0.0.1:21', /URL scheme must be http, https, unix or unixs/],
    ['10.0.0.1:2380', /is not a URL/],
    ['http://10.0.0.1:2380\nExecStartPre=/bin/sh', /holds a space, quote, "\$", "%" or control character/],
    ['http://$HOST:2380', /holds a space/],
  ])('refuses %j', (text, why) => {
    const r = parseEtcdUrl(text);
    expect(typeof r).toBe('string');
    expect(r).toMatch(why);
    expect(r as string).not.toMatch(/\n/);
  });

  it('reads lists, naming each problem', () => {
    expect(parseUrlList('http://a:1, http://b:2').urls.map((u) => u.host)).toEqual(['a', 'b']);
    expect(parseUrlList('http://a:1,,http://b').problems).toEqual(['an empty URL in the list', '"http://b": URL address does not have the form host:port']);
  });
});

describe('parseInitialCluster (NewURLsMap)', () => {
  it('maps names to their URLs, a name may repeat', () => {
    const { members, problems } = parseInitialCluster('a=http://10.0.0.1:2380,b=http://10.0.0.2:2380,a=http://10.0.1.1:2380');
    expect(problems).toEqual([]);
    expect(members.get('a')).toEqual(['http://10.0.0.1:2380', 'http://10.0.1.1:2380']);
  });

  it('names what etcd would refuse', () => {
    expect(parseInitialCluster('a=http://10.0.0.1:2380/x').problems).toEqual(['"http://10.0.0.1:2380/x": URL must not contain a path']);
    expect(parseInitialCluster('http://10.0.0.1:2380').problems[0]).toMatch(/is not name=URL/);
    expect(parseInitialCluster('a b=http://10.0.0.1:2380').problems[0]).toMatch(/member name "a b"/);
    expect(parseInitialCluster('').problems).toEqual(['no member in the list (expected name=URL,...)']);
  });
});

describe('etcdUrls and initialCluster: the command-side forms', () => {
  it("throw a UsageError that names the option, in lint's words", () => {
    expect(() => initialCluster('--initial-cluster', 'a=http://10.0.0.1:2380/x')).toThrow(
      new UsageError('--initial-cluster: "http://10.0.0.1:2380/x": URL must not contain a path'),
    );
    expect(() => etcdUrls('--endpoints', 'unix://a:1')).toThrow(/--endpoints: "unix:\/\/a:1" must use http:\/\/ or https:\/\//);
    expect(() => etcdUrls('--endpoints', ' , ')).toThrow(/an empty URL/);
    expect(initialCluster('--initial-cluster', 'n1=https://10.0.0.1:2380').get('n1')![0]!.text).toBe('https://10.0.0.1:2380');
  });

  it('never prints a control character back', () => {
    expect(printable('a\x1b[31mb\n')).toBe('a\\x1b[31mb\\x0a');
  });
});
