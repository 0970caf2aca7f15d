// HPACK (RFC 7541) for a gRPC client: requests are encoded without the dynamic table; responses are decoded in full, since the server indexes.
import { HUFFMAN_CODES, HUFFMAN_LENGTHS, STATIC_TABLE } from './hpack-tables.js';

/** Bytes an entry takes in the dynamic table: name, value and 32 (RFC 7541 4.1). */
const ENTRY_OVERHEAD = 32;
/** SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 7540 6.5.2). */
export const DEFAULT_TABLE_SIZE = 4096;

/** A binary trie of the Huffman code: node i has children at [2i] and [2i+1]; leaves hold -(symbol + 1). */
const HUFFMAN_TRIE: Int32Array = (() => {
  const trie: number[] = [0, 0];
  let nodes = 1;
  HUFFMAN_CODES.forEach((code, sym) => {
    const len = HUFFMAN_LENGTHS[sym]!;
    let node = 0;
    for (let bit = len - 1; bit >= 0; bit--) {
      const slot = 2 * node + ((code >>> bit) & 1);
      if (bit === 0) trie[slot] = -(sym + 1);
      else {
        if (trie[slot] === 0 || trie[slot] === undefined) {
          trie[slot] = nodes;
          trie.push(0, 0);
          nodes++;
        }
        node = trie[slot]!;
      }
    }
  });
  return Int32Array.from(trie);
})();

export function huffmanDecode(buf: Buffer, start: number, end: number): string {
  const out: number[] = [];
  let node = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    for (let bit = 7; bit >= 0; bit--) {
      const next = HUFFMAN_TRIE[2 * node + ((byte >> bit) & 1)]!;
      if (next < 0) {
        out.push(-next - 1);
        node = 0;
      } else node = next;
    }
  }
  // What is left is the padding: the high bits of EOS, all ones and shorter than a byte.
  return Buffer.from(out).toString('latin1');
}

/** Integer with an N-bit prefix (RFC 7541 5.1); returns [value, next offset]. */
function readInt(buf: Buffer, pos: number, prefixBits: number): [number, number] {
  const max = (1 << prefixBits) - 1;
  let value = buf[pos]! & max;
  pos++;
  if (value < max) return [value, pos];
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('hpack: truncated integer');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, pos];
  }
}

function readString(buf: Buffer, pos: number): [string, number] {
  const huffman = (buf[pos]! & 0x80) !== 0;
  const [len, start] = readInt(buf, pos, 7);
  const end = start + len;
  if (end > buf.length) throw new Error('hpack: truncated string');
  return [huffman ? huffmanDecode(buf, start, end) : buf.toString('latin1', start, end), end];
}

export class HpackDecoder {
  /** Newest first, as HPACK numbers them. */
  private readonly dynamic: [string, string][] = [];
  private size = 0;
  private maxSize = DEFAULT_TABLE_SIZE;

  private entry(index: number): readonly [string, string] {
    const e = index <= STATIC_TABLE.length ? STATIC_TABLE[index - 1] : this.dynamic[index - STATIC_TABLE.length - 1];
    if (index === 0 || e === undefined) throw new Error(`hpack: no table entry ${index}`);
    return e;
  }

  private add(name: string, value: string): void {
    this.dynamic.unshift([name, value]);
    this.size += name.length + value.length + ENTRY_OVERHEAD;
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize && this.dynamic.length > 0) {
      const [n, v] = this.dynamic.pop()!;
      this.size -= n.length + v.length + ENTRY_OVERHEAD;
    }
  }

  /** Decodes one complete header block; every block must go through here, in order, to keep the table in step. */
  decode(block: Buffer): Map<string, string> {
    const headers = new Map<string, string>();
    let pos = 0;
    while (pos < block.length) {
      const b = block[pos]!;
      let name: string;
      let value: string;
      if (b & 0x80) {
        let index: number;
        [index, pos] = readInt(block, pos, 7);
        [name, value] = this.entry(index);
      } else if ((b & 0xe0) === 0x20) {
        let size: number;
        [size, pos] = readInt(block, pos, 5);
        this.maxSize = size;
        this.evict();
        continue;
      } else {
        const indexing = (b & 0xc0) === 0x40;
        let index: number;
        [index, pos] = readInt(block, pos, indexing ? 6 : 4);
        if (index === 0) [name, pos] = readString(block, pos);
        else name = this.entry(index)[0];
        [value, pos] = readString(block, pos);
        if (indexing) this.add(name, value);
      }
      headers.set(name, value);
    }
    return headers;
  }
}

function writeInt(out: number[], value: number, prefixBits: number, firstByteFlags: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(firstByteFlags | value);
    return;
  }
  out.push(firstByteFlags | max);
  value -= max;
  while (value >= 0x80) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

function writeString(out: number[], s: string): void {
  const bytes = Buffer.from(s, 'latin1');
  writeInt(out, bytes.length, 7, 0);
  for (const b of bytes) out.push(b);
}

/** Static-table indexes the request uses (RFC 7541 appendix A). */
const INDEX = { authority: 1, methodPost: 3, path: 4, schemeHttp: 6, schemeHttps: 7, contentType: 31 } as const;

/**
 * The header block of a unary gRPC request, without the dynamic table so that every block stands alone and can be built once
 * per method: :method POST, :scheme, :path, :authority, content-type application/grpc, te trailers, and any metadata.
 */
export function encodeRequestHeaders(scheme: 'http' | 'https', authority: string, path: string, metadata: [string, string][] = []): Buffer {
  const out: number[] = [];
  out.push(0x80 | INDEX.methodPost, 0x80 | (scheme === 'https' ? INDEX.schemeHttps : INDEX.schemeHttp));
  // Literal header field without indexing, name from the static table (RFC 7541 6.2.2): 0000 + 4-bit index.
  writeInt(out, INDEX.path, 4, 0);
  writeString(out, path);
  writeInt(out, INDEX.authority, 4, 0);
  writeString(out, authority);
  writeInt(out, INDEX.contentType, 4, 0);
  writeString(out, 'application/grpc');
  for (const [name, value] of [['te', 'trailers'], ...metadata] as [string, string][]) {
    out.push(0);
    writeString(out, name);
    writeString(out, value);
  }
  return Buffer.from(out);
}
