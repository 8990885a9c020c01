// The band keys and candidate confirmation of the script index (src/campaigns/lsh.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LSH_BANDS, LSH_ROWS, MINHASH_SIZE, candidateProbability, confirmCandidates, minhash, scriptBandKeys, shareBand, similarity } from '../../../src/campaigns/index.js';

const base = Array.from({ length: MINHASH_SIZE }, (_, i) => 1000 + i * 7919);
/** base with the given rows changed (their values made unique to this variant). */
const changed = (rows: Iterable<number>, tag = 1): number[] => {
  const fp = [...base];
  for (const r of rows) fp[r] = 5_000_000 + tag * 1000 + r;
  return fp;
};
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('script LSH bands', () => {
  it('21 bands of 3 rows: one integer key per band below 2^53, the same for the same fingerprint', () => {
    assert.equal(LSH_BANDS * LSH_ROWS, 63);
    const keys = scriptBandKeys(base);
    assert.equal(keys.length, LSH_BANDS);
    assert.ok(keys.every((k) => Number.isSafeInteger(k) && k >= 0), keys.join(','));
    assert.deepEqual(scriptBandKeys([...base]), keys);
    assert.equal(new Set(keys).size, LSH_BANDS);
  });

  it('the stored keys do not change: script_bands (migration 0028) holds these values for these fingerprints', () => {
    // Pinned from the keys stored since 0028; a different hash or band shape would orphan every stored row.
    const keys = scriptBandKeys(base);
    assert.deepEqual([keys[0], keys[1], keys[2], keys[20]], [4923551103499814, 4869626184510403, 3266749749738041, 6824567293966830]);
    const spoken = scriptBandKeys(minhash('This is the fraud department of Bank X. Your account 1234 is frozen; press 1 to speak to an agent.'));
    assert.deepEqual(spoken.slice(0, 2), [5915083523404095, 825958949138470]);
  });

  it('a key depends on the band it is in: the same three values in another band give another key', () => {
    const moved = [...base];
    [moved[3], moved[4], moved[5]] = [base[0]!, base[1]!, base[2]!];
    assert.notEqual(scriptBandKeys(moved)[1], scriptBandKeys(base)[0]);
  });

  it('no keys for an empty or malformed fingerprint (a text too short to have one)', () => {
    assert.deepEqual(scriptBandKeys([]), []);
    assert.deepEqual(scriptBandKeys(base.slice(1)), []);
    assert.deepEqual(scriptBandKeys(minhash('hey')), []);
  });

  it('fingerprints are candidates exactly when a whole band is equal; the 64th row is not banded', () => {
    // One unequal row in each band: 21 of 64 rows differ, estimate 43/64, and no band is whole.
    const everyBand = changed(range(0, LSH_BANDS).map((b) => b * LSH_ROWS));
    assert.equal(similarity(base, everyBand), 43 / 64);
    assert.equal(shareBand(base, everyBand), false);
    // 20 unequal rows (estimate 44/64 ≥ 0.6) cannot break all 21 bands, wherever they are.
    assert.equal(shareBand(base, changed(range(0, LSH_BANDS - 1).map((b) => b * LSH_ROWS))), true);
    assert.equal(shareBand(base, changed(range(0, 20))), true);
    assert.equal(shareBand(base, changed([63])), true);
  });

  it('the S-curve in the comment: 0.994 at the 0.6 threshold, 0.155 at 0.2', () => {
    assert.equal(candidateProbability(0.6).toFixed(3), '0.994');
    assert.equal(candidateProbability(0.2).toFixed(3), '0.155');
    assert.equal(candidateProbability(0.6, 16, 4).toFixed(3), '0.891');
  });

  it('confirmation keeps candidates at or above 0.6 with one of the scripts and names which one matched', () => {
    const near = changed(range(0, 25), 2); // 39/64 = 0.609
    const far = changed(range(0, 26), 3); // 38/64 = 0.594
    const other = changed(range(10, 64), 4);
    const mine = [{ id: 'mine-a', fingerprint: other }, { id: 'mine-b', fingerprint: base }];
    const out = confirmCandidates(mine, [{ id: 'near', fingerprint: near }, { id: 'far', fingerprint: far }]);
    assert.deepEqual(out.map((m) => [m.candidate.id, m.matched.id, m.similarity]), [['near', 'mine-b', 39 / 64]]);
    assert.deepEqual(confirmCandidates([], [{ fingerprint: base }]), []);
  });

  it('the same script read with other amounts and numbers shares a band with it', () => {
    const a = minhash('This is the fraud department of Bank X. Your account 1234 is frozen; press 1 to speak to an agent.');
    const b = minhash('This is the fraud department of Bank X! Your account 9876 is frozen, press 1 to speak to an agent');
    assert.ok(shareBand(a, b));
    assert.equal(confirmCandidates([{ fingerprint: a }], [{ fingerprint: b }]).length, 1);
  });
});
