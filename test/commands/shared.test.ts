// Endpoint parsing: what an operator types becomes a client URL or one clear usage error.
import { describe, expect, it } from 'vitest';
import { parseEndpoints } from '../../src/commands/shared.js';
import { UsageError } from '../../src/model/errors.js';

describe('parseEndpoints', () => {
  it('accepts URLs and bare host:port', () => {
    expect(parseEndpoints('http://10.0.0.1:2379, 10.0.0.2:2379,https://[::1]:2379')).toEqual([
      'http://10.0.0.1:2379',
      'http://10.0.0.2:2379',
      'https://[::1]:2379',
    ]);
  });

  it.each([
    ['', /empty/],
    ['ftp://a:2379', /URL scheme must be http/],
    ['unix://a:2379', /must use http:\/\/ or https:\/\//],
    ['http://a', /--endpoints: "http:\/\/a": URL address does not have the form host:port/],
    ['http://10.0.0.1:2379/x', /URL must not contain a path/],
    ['http://a b:2379', /holds a space/],
  ])('rejects %j', (input, message) => {
    expect(() => parseEndpoints(input)).toThrow(UsageError);
    expect(() => parseEndpoints(input)).toThrow(message);
  });
});
