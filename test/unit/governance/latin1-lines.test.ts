// forEachLatin1Line (src/governance/latin1-lines.ts) must give exactly the lines of decoding the
// whole buffer at once and splitting on '\n', whatever the pieces it decodes in: lines across a
// piece's end, lines longer than a piece, empty lines, '\r', bytes above 0x7f, no final '\n'.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forEachLatin1Line } from '../../../src/governance/latin1-lines.js';
import { seededRandom } from '../../../src/seeded-random.js';

/** The reference: one string, split on '\n'; an empty line after the final '\n' is none. */
function reference(bytes: Uint8Array): string[] {
  const parts = Buffer.from(bytes).toString('latin1').split('\n');
  return parts.at(-1) === '' ? parts.slice(0, -1) : parts;
}

function actual(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  forEachLatin1Line(bytes, (line) => lines.push(line));
  return lines;
}

describe('forEachLatin1Line', () => {
  it('gives the lines of a buffer of many pieces, a line longer than a piece among them', () => {
    const random = seededRandom(7);
    const lines: string[] = [];
    for (let size = 0; size < 600_000; ) {
      const n = lines.length === 900 ? 150_000 : Math.floor(random() * 200);
      const line = Array.from({ length: n }, () => String.fromCharCode(random() < 0.02 ? 0xe9 : 0x20 + Math.floor(random() * 90))).join('');
      lines.push(random() < 0.05 ? `${line}\r` : line);
      size += n + 1;
    }
    const text = `${lines.join('\n')}\nno newline at the end`;
    const bytes = Buffer.from(text, 'latin1');
    assert.ok(bytes.length > 8 * 64 * 1024 && lines.some((l) => l.length > 64 * 1024));
    assert.deepEqual(actual(bytes), [...lines, 'no newline at the end']);
    // A plain Uint8Array over part of a larger buffer (a NATS message's data) reads the same.
    const inner = new Uint8Array(bytes.length + 10);
    inner.set(bytes, 5);
    assert.deepEqual(actual(inner.subarray(5, 5 + bytes.length)), [...lines, 'no newline at the end']);
  });

  it('cuts at a line that ends exactly at a piece end, and at one that starts there', () => {
    for (const at of [64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1]) {
      const bytes = Buffer.alloc(3 * 64 * 1024, 'a');
      bytes[at] = 0x0a;
      bytes[bytes.length - 1] = 0x0a;
      assert.deepEqual(actual(bytes), reference(bytes), `newline at ${at}`);
    }
  });

  it('agrees with splitting the whole text on any bytes', () => {
    const byte = fc.oneof(fc.constant(0x0a), fc.constant(0x0d), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }).chain((head) => fc.array(byte, { maxLength: 200 }).map((tail) => Uint8Array.from([...head, ...tail]))), (bytes) => {
        assert.deepEqual(actual(bytes), reference(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('visits nothing in an empty buffer, and a buffer without a newline as one line', () => {
    assert.deepEqual(actual(new Uint8Array(0)), []);
    assert.deepEqual(actual(Buffer.alloc(200_000, 'x')), ['x'.repeat(200_000)]);
    assert.deepEqual(actual(Buffer.from('a\n\n', 'latin1')), ['a', '']);
  });
});
