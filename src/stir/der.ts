import { CallshieldError } from '../errors.js';

// Just enough DER (X.690 §8, §10) to read what node:crypto does not expose: the certificate version,
// the serial's raw bytes, algorithm OIDs and the TNAuthList extension. Every read is bounds-checked
// because certificates arrive from any x5u URL.

export interface DerNode {
  tag: number;
  /** Offset of the tag byte (start of the whole TLV). */
  offset: number;
  /** Offset of the contents. */
  start: number;
  /** Offset just past the contents. */
  end: number;
}

function fail(what: string): never {
  throw new CallshieldError('STIR_INVALID_CERTIFICATE', `Malformed DER: ${what}`, { field: 'certificate' });
}

export function readDerNode(buf: Uint8Array, offset: number, limit: number = buf.length): DerNode {
  if (offset + 2 > limit) fail('truncated header');
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) fail('multi-byte tags are not used here');
  let length = buf[offset + 1] as number;
  let start = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) fail('bad length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[start + i] as number);
    start += n;
  }
  const end = start + length;
  if (end > limit) fail('length past the end');
  return { tag, offset, start, end };
}

export function readDerChildren(buf: Uint8Array, node: DerNode): DerNode[] {
  const children: DerNode[] = [];
  let at = node.start;
  while (at < node.end) {
    const child = readDerNode(buf, at, node.end);
    children.push(child);
    at = child.end;
  }
  return children;
}

export function readDerOid(buf: Uint8Array, node: DerNode): string {
  if (node.tag !== 0x06 || node.end <= node.start) fail('expected an OBJECT IDENTIFIER');
  const first = buf[node.start] as number;
  const arcs: number[] = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (let i = node.start + 1; i < node.end; i++) {
    const b = buf[i] as number;
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

export function readDerString(buf: Uint8Array, node: DerNode): string {
  return Buffer.from(buf.subarray(node.start, node.end)).toString('latin1');
}

export function readChild(children: readonly DerNode[], index: number, what: string): DerNode {
  const node = children[index];
  if (node === undefined) fail(`missing ${what}`);
  return node;
}
