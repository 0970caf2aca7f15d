// grpc-js's error text in the tool's own words: what an unreachable or slow etcd reads as, in every command.
import { describe, expect, it } from 'vitest';
import { errorMessage, grpcInOwnWords } from '../../src/model/errors.js';

describe('grpcInOwnWords', () => {
  it('says a refused connection, a deadline and an auth failure without grpc-js wording', () => {
    // The texts grpc-js 1.x gives (etcd3's client) against a closed port, a frozen member and a bad token.
    expect(errorMessage(new Error('14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: '))).toBe(
      'unavailable: connection refused by 127.0.0.1:1 (is etcd running there?)',
    );
    expect(grpcInOwnWords('4 DEADLINE_EXCEEDED: Deadline exceeded after 5.001s,LB pick: 0.001s,remote_addr=127.0.0.1:2379')).toBe(
      'timed out: no answer within 5.001s',
    );
    expect(grpcInOwnWords('16 UNAUTHENTICATED: etcdserver: invalid auth token')).toBe('not authenticated: etcdserver: invalid auth token');
  });

  it('leaves other text alone', () => {
    expect(grpcInOwnWords('--cacert ca.pem: no such file')).toBe('--cacert ca.pem: no such file');
    expect(grpcInOwnWords('99 NOT_A_CODE: x')).toBe('99 NOT_A_CODE: x');
  });
});
