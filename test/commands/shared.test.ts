// Endpoint parsing: what an operator types becomes a client URL or one clear usage error.
import { describe, expect, it } from 'vitest';
import { parseEndpoints } from '../../src/commands/shared.js';
import { UsageError } from '../../src/model/errors.js';

describe('parseEndpoints', () => {
  it('accepts URLs and bare host:port', () => {
    expect(parseEndpoints('http://10.0.0.1:2379, 10.0.0.2:2379,https://[::1]:2379')).toEqual(['http://10.0.0.1:2379', 'http://10.0.0.2:2379', 'https://[::1]:2379']);
  });

  it.each([
    ['', /empty/],
    ['ftp://a:2379', /http/],
    ['http://a', /no port/],
    ['http://a b:2379', /not a URL/],
  ])('rejects %j', (input, message) => {
    expect(() => parseEndpoints(input)).toThrow(UsageError);
    expect(() => parseEndpoints(input)).toThrow(message);
  });
});
