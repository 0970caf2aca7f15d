// A peer as the operator writes it: host, host:port, [v6]:port, or a peer URL read by etcd's own URL rules (etcd/urls.ts).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { isLoopback, parsePeerList, parsePeerSpec } from '../../src/probes/peer-spec.js';

describe('parsePeerSpec', () => {
  it('reads hosts, ports, bracketed IPv6 and peer URLs', () => {
    expect(parsePeerSpec('10.0.0.2')).toEqual({ raw: '10.0.0.2', host: '10.0.0.2' });
    expect(parsePeerSpec('n2.example:2380')).toEqual({ raw: 'n2.example:2380', host: 'n2.example', port: 2380 });
    expect(parsePeerSpec('[fd00::2]:2380')).toEqual({ raw: '[fd00::2]:2380', host: 'fd00::2', port: 2380 });
    expect(parsePeerSpec('https://10.0.0.2:2380')).toEqual({ raw: 'https://10.0.0.2:2380', host: '10.0.0.2', scheme: 'https', port: 2380 });
    expect(parsePeerSpec('HTTP://[fd00::2]:2380')).toMatchObject({ host: 'fd00::2', scheme: 'http', port: 2380 });
  });

  it('refuses a peer URL in the words lint and --initial-cluster use', () => {
    const refused: [string, RegExp][] = [
      ['http://10.0.0.2:2380/x', /^peer "http:\/\/10\.0\.0\.2:2380\/x": URL must not contain a path$/],
      ['http://10.0.0.2:2380/', /^peer "http:\/\/10\.0\.0\.2:2380\/": URL must not contain a path$/],
      ['https://10.0.0.2', /^peer "https:\/\/10\.0\.0\.2": URL address does not have the form host:port$/],
      ['ftp://10.0.0.2:21', /URL scheme must be http, https, unix or unixs$/],
      ['unix://etcd.sock:1', /only http:\/\/ and https:\/\/ peer URLs can be probed$/],
      ['http://10.0.0.2:99999', /port 99999 is above 65535$/],
    ];
    for (const [text, message] of refused) {
      expect(() => parsePeerSpec(text)).toThrow(UsageError);
      expect(() => parsePeerSpec(text)).toThrow(message);
    }
  });

  it('refuses a malformed host or port, and an empty list', () => {
    expect(() => parsePeerSpec('10.0.0.2:x')).toThrow(/port "x" is not a number from 1 to 65535/);
    expect(() => parsePeerSpec('fd00::2:2380x')).toThrow(/write an IPv6 address with a port as \[address\]:port/);
    expect(() => parsePeerList(' , ')).toThrow(/--peers is empty/);
    expect(parsePeerList(['a,b', 'c']).map((p) => p.host)).toEqual(['a', 'b', 'c']);
  });

  it('knows a loopback peer before any lookup', () => {
    expect(isLoopback('127.0.0.70:2380')).toBe(true);
    expect(isLoopback('http://127.0.0.71:2380')).toBe(true);
    expect(isLoopback('10.0.0.2')).toBe(false);
    expect(isLoopback('http://127.0.0.1:2380/x')).toBe(false);
  });
});
