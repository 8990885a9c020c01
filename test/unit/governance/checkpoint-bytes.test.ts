// The streamed consumer's checkpoints as stored (src/store/governance/checkpoint-bytes.ts): packed
// blobs give back the very bytes, blobs an older version wrote raw are read as they are, and no raw
// snapshot, delta or traces blob can be taken for a packed one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CdrAnalyser, generateCdr } from '../../../src/governance/index.js';
import { StreamTraceCollector } from '../../../src/campaigns/index.js';
import { packCheckpointBytes, unpackCheckpointBytes } from '../../../src/store/governance/checkpoint-bytes.js';

function analysed(calls: number): { a: CdrAnalyser; traces: StreamTraceCollector } {
  let traces!: StreamTraceCollector;
  const a = new CdrAnalyser({ onRecord: (caller, callee, at) => traces.record(caller, callee, at, a.callers) });
  traces = StreamTraceCollector.startingAt(0);
  a.trackChanges();
  [...generateCdr({ calls, seed: 21 })].join('').split('\n').filter(Boolean).forEach((l, i) => a.addLine(l, i + 1));
  return { a, traces };
}

describe('checkpoint bytes as stored', () => {
  const { a, traces } = analysed(50_000);
  const blobs = { snapshot: a.snapshot(), delta: a.delta(a.changedSlots()), traces: traces.snapshot() };

  for (const [name, raw] of Object.entries(blobs)) {
    it(`a packed ${name} unpacks to the same bytes, smaller than it was (also from a Buffer at an offset)`, async () => {
      const packed = await packCheckpointBytes(raw);
      assert.ok(packed.byteLength < raw.byteLength / 2, `${name}: ${packed.byteLength} of ${raw.byteLength} bytes`);
      const pooled = Buffer.concat([Buffer.from('pad'), Buffer.from(packed)]).subarray(3);
      assert.deepEqual(Buffer.from(unpackCheckpointBytes(pooled)), Buffer.from(raw));
    });

    it(`a raw ${name} (written before packing) is read as it is`, () => {
      assert.equal(unpackCheckpointBytes(raw), raw);
    });
  }

  it('an analyser restored from the unpacked snapshot is the one that was packed', async () => {
    const restored = CdrAnalyser.restore(unpackCheckpointBytes(await packCheckpointBytes(blobs.snapshot)));
    assert.deepEqual(restored.snapshot(), blobs.snapshot);
    assert.deepEqual(restored.flags(), a.flags());
  });

  it('empty and tiny blobs round-trip', async () => {
    for (const raw of [new Uint8Array(0), new Uint8Array([1]), new Uint8Array([0xff, 0x43, 0x53])]) {
      assert.deepEqual(Buffer.from(unpackCheckpointBytes(await packCheckpointBytes(raw))), Buffer.from(raw));
      assert.equal(unpackCheckpointBytes(raw), raw);
    }
  });
});
