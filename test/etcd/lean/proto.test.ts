// Protobuf details the etcd round trips do not show on their own: negative int64, skipping unknown length-delimited fields, 64-bit member ids.
import { describe, expect, it } from 'vitest';
import { decodeRange, decodeStatus, encodePut, encodeRange, messageBuffer, putMessage, Writer } from '../../../src/etcd/lean/proto.js';

describe('lean protobuf', () => {
  it("encodes a negative int64 as ten bytes of two's complement", () => {
    expect(new Writer().int64(4, -1).finish().toString('hex')).toBe('20ffffffffffffffffff01');
  });

  it('skips fields it does not know, whatever their length', () => {
    // A RangeResponse as etcd 3.4 sent it (recorded): header{cluster_id, member_id, revision=2, raft_term=2}, one kv, count=1.
    const recorded = Buffer.from('0a1808a0f4c4d997f9f9944d10eeb59cf7a3ebaec35c18022002120f0a042f612f31100218022001' + '2a01782001', 'hex');
    const r = decodeRange(recorded);
    expect(r.count).toBe(1);
    expect(r.kvs.map((kv) => [kv.key.toString(), kv.value.toString(), kv.modRevision, kv.version])).toEqual([['/a/1', 'x', 2, 1]]);
  });

  it('reads a member id that overflows a double exactly', () => {
    const header = new Writer().tag(2, 0).finish();
    const id = Buffer.from('ffffffffffffffffff01', 'hex');
    const msg = Buffer.concat([Buffer.from([0x0a, header.length + id.length]), header, id]);
    expect(decodeStatus(msg).memberId).toBe('ffffffffffffffff');
  });

  it('leaves out default fields, as protobuf does', () => {
    expect(encodeRange(Buffer.from('k')).toString('hex')).toBe('0a016b');
    expect(encodeRange(Buffer.from('k'), { serializable: true, limit: 500 }).toString('hex')).toBe('0a016b18f4033801');
  });
});

describe('putMessage', () => {
  it('writes in place the bytes encodePut builds, at an offset of the frame, for short and long varint lengths', () => {
    for (const [k, v] of [
      [3, 0],
      [256, 1024],
      [127, 128],
      [20, 3 * 2 ** 20],
    ] as const) {
      const key = Buffer.alloc(k, 'k');
      const value = Buffer.alloc(v, 'v');
      const m = putMessage(key, value);
      const frame = Buffer.alloc(m.length + 7, 0xee);
      m.writeTo(frame, 5);
      expect(m.length).toBe(encodePut(key, value).length);
      expect(frame.subarray(5, 5 + m.length).equals(encodePut(key, value))).toBe(true);
      expect([frame[4], frame[5 + m.length]]).toEqual([0xee, 0xee]);
      expect(messageBuffer(m).equals(encodePut(key, value))).toBe(true);
    }
  });
});
