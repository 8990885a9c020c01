// The streamed consumer's checkpoint (issue 15): an analyser restored from snapshot() continues
// exactly where the original stood, whatever buffer the store hands the bytes back in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CdrAnalyser, generateCdr } from '../../../src/governance/index.js';

function lines(calls: number, seed: number): string[] {
  return [...generateCdr({ calls, seed })].join('').split('\n').filter(Boolean);
}

describe('CdrAnalyser snapshot and restore', () => {
  it('a restored analyser (from a Buffer at an offset, as SQLite and pg return them) ends with the same counters and flags as one that never stopped', () => {
    const all = lines(60_000, 11);
    const whole = new CdrAnalyser();
    all.forEach((l, i) => whole.addLine(l, i + 1));
    for (const cut of [1, 20_000, 41_234]) {
      const first = new CdrAnalyser();
      all.slice(0, cut).forEach((l, i) => first.addLine(l, i + 1));
      const snap = first.snapshot();
      const pooled = Buffer.concat([Buffer.from('padding!'), Buffer.from(snap)]).subarray(8);
      const resumed = CdrAnalyser.restore(pooled);
      all.slice(cut).forEach((l, i) => resumed.addLine(l, cut + i + 1));
      assert.equal(resumed.rows, whole.rows);
      assert.equal(resumed.callers, whole.callers);
      assert.deepEqual(resumed.flags(), whole.flags());
    }
  });

  it('keeps malformed-line reports and counts across the restore', () => {
    const a = new CdrAnalyser();
    a.addLine('caller,callee,start,duration,answered,attestation', 1);
    a.addLine('+8613800000000,nope,2026-10-01T00:00:00Z,5,1,A', 2);
    const b = CdrAnalyser.restore(a.snapshot());
    assert.equal(b.malformed, 1);
    assert.deepEqual(b.issues, a.issues);
  });

  it('a base snapshot and incremental deltas of the changed callers restore to the analyser that never stopped', () => {
    const all = lines(80_000, 12);
    const whole = new CdrAnalyser();
    all.forEach((l, i) => whole.addLine(l, i + 1));
    const live = new CdrAnalyser();
    live.trackChanges();
    let base: Uint8Array | null = null;
    let deltas: Uint8Array[] = [];
    const cuts = [1, 500, 7_000, 7_001, 30_000, 52_345, 80_000];
    let from = 0;
    for (const cut of cuts) {
      all.slice(from, cut).forEach((l, i) => live.addLine(l, from + i + 1));
      const slots = live.changedSlots();
      assert.ok(slots.length <= cut - from, 'only callers that called since the last checkpoint');
      if (!base || cut === 52_345) {
        base = live.snapshot();
        deltas = [];
      } else {
        // As the store hands them back: Buffers at an offset.
        deltas.push(Buffer.concat([Buffer.from('pad'), Buffer.from(live.delta(slots))]).subarray(3));
      }
      // A node resuming here: the base, then every delta in order.
      const resumed = CdrAnalyser.restore(base);
      for (const d of deltas) resumed.applyDelta(d);
      assert.equal(resumed.rows, live.rows);
      assert.equal(resumed.callers, live.callers);
      assert.deepEqual(resumed.snapshot(), live.snapshot(), `same counters after line ${cut}`);
      // ... and continues to the end of the file like the one that never stopped.
      all.slice(cut).forEach((l, i) => resumed.addLine(l, cut + i + 1));
      assert.deepEqual(resumed.flags(), whole.flags());
      from = cut;
    }
    assert.deepEqual(live.flags(), whole.flags());
  });

  it('a checkpoint that failed gives its changed callers back for the next one', () => {
    const a = new CdrAnalyser();
    a.trackChanges();
    a.record(8613800000001, 8613900000001, Date.UTC(2026, 9, 1), 5, true, false);
    a.record(8613800000002, 8613900000001, Date.UTC(2026, 9, 1), 5, true, false);
    const slots = a.changedSlots();
    assert.deepEqual(slots, [0, 1]);
    assert.deepEqual(a.changedSlots(), []);
    a.record(8613800000002, 8613900000003, Date.UTC(2026, 9, 1), 5, true, false);
    a.markChanged(slots);
    assert.deepEqual(a.changedSlots(), [0, 1]);
  });
});
