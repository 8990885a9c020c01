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
});
