// presizeNatsPayloads (src/operations/governance/nats-presized-payloads.ts) changes how the NATS
// client's parser buffers a message that spans several socket reads. Here the client's own parser
// is fed a protocol stream cut into arbitrary reads: every message must come out byte for byte, and
// a message left unfinished by a read must wait in a buffer of its full size (the saving). If the
// client's parser changes so that the presizing no longer applies, the second check fails.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Kind, Parser, State } from '@nats-io/nats-core/internal';
import type { ParserEvent } from '@nats-io/nats-core/internal';
import { presizeNatsPayloads } from '../../../src/operations/governance/nats-presized-payloads.js';
import { seededRandom } from '../../../src/seeded-random.js';

const encoder = new TextEncoder();

/** A MSG frame (or HMSG, with a header block) carrying `payload`. */
function frame(sid: number, payload: Uint8Array, header?: string): Uint8Array {
  const head = header === undefined ? `MSG cdr.calls ${sid} ${payload.length}\r\n` : `HMSG cdr.calls ${sid} ${header.length} ${header.length + payload.length}\r\n${header}`;
  const h = encoder.encode(head);
  const out = new Uint8Array(h.length + payload.length + 2);
  out.set(h);
  out.set(payload, h.length);
  out.set(encoder.encode('\r\n'), h.length + payload.length);
  return out;
}

/** Parses `stream` cut at `cuts`; the payloads delivered, and the buffers a read left a message waiting in. */
function parseInReads(stream: Uint8Array, cuts: number[]): { payloads: Uint8Array[]; waiting: { capacity: number; size: number }[] } {
  const payloads: Uint8Array[] = [];
  const parser = new Parser({ push: (e: ParserEvent) => (e.kind === Kind.MSG ? payloads.push(e.data!.slice()) : undefined) });
  const waiting: { capacity: number; size: number }[] = [];
  const ends = [...new Set(cuts.filter((c) => c > 0 && c < stream.length))].sort((a, b) => a - b);
  let from = 0;
  for (const end of [...ends, stream.length]) {
    // Each read in a buffer of its own, as the socket hands them over.
    parser.parse(stream.slice(from, end));
    from = end;
    if (parser.state === State.MSG_PAYLOAD && parser.msgBuf) waiting.push({ capacity: parser.msgBuf.capacity, size: parser.ma.size });
  }
  return { payloads, waiting };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('presizeNatsPayloads', () => {
  assert.equal(presizeNatsPayloads(), true, 'the NATS client parser is not the one this was written for');

  it('keeps 256 kB call-record messages whole across 64 kB reads, each waiting in a buffer of its own size', () => {
    const random = seededRandom(3);
    const payloads = Array.from({ length: 4 }, (_, i) => Uint8Array.from({ length: 256 * 1024 - i * 999 }, () => Math.floor(random() * 256)));
    const stream = concat(payloads.map((p, i) => frame(i + 1, p)));
    const cuts = Array.from({ length: Math.floor(stream.length / 65_536) }, (_, i) => (i + 1) * 65_536);
    const { payloads: out, waiting } = parseInReads(stream, cuts);
    assert.equal(out.length, payloads.length);
    out.forEach((p, i) => assert.ok(Buffer.from(p).equals(Buffer.from(payloads[i]!)), `message ${i} changed`));
    assert.ok(waiting.length >= payloads.length, 'some message must span reads');
    // Without the presizing the first read's tail is the buffer (capacity below the size) and it grows.
    for (const w of waiting) assert.equal(w.capacity, w.size);
  });

  it('delivers every message byte for byte whatever the reads (MSG and HMSG, empty and small ones)', () => {
    const message = fc.record({
      payload: fc.uint8Array({ minLength: 0, maxLength: 3000 }),
      header: fc.option(fc.constantFrom('NATS/1.0\r\nNats-Msg-Id: a1\r\n\r\n', 'NATS/1.0\r\n\r\n'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 40 }), (messages, rawCuts) => {
        const stream = concat(messages.map((m, i) => frame(i + 1, m.payload, m.header)));
        const { payloads, waiting } = parseInReads(stream, rawCuts.map((c) => c % (stream.length + 1)));
        assert.equal(payloads.length, messages.length);
        payloads.forEach((p, i) => {
          const m = messages[i]!;
          const expected = m.header === undefined ? m.payload : concat([encoder.encode(m.header), m.payload]);
          assert.ok(Buffer.from(p).equals(Buffer.from(expected)), `message ${i} changed`);
        });
        for (const w of waiting) assert.ok(w.capacity >= w.size);
      }),
      { numRuns: 300, seed: 15 },
    );
  });
});
