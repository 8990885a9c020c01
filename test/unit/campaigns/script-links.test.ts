// Script links of batch grouping (src/campaigns/script-links.ts, used by groupCampaigns): the band
// keys are the stored index's 21 × 3 (pairs the former 16 × 4 bands missed are found), and one
// script read thousands of times groups in near-linear time into one campaign.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LSH_ROWS, MINHASH_SIZE, SCRIPT_SIMILARITY, groupCampaigns, minhash, scriptLinks, similarity } from '../../../src/campaigns/index.js';
import type { ScriptSample } from '../../../src/campaigns/index.js';

const base = Array.from({ length: MINHASH_SIZE }, (_, i) => 1000 + i * 7919);
/** base with the given rows changed (values unique to this variant). */
const changed = (rows: Iterable<number>, tag: number): number[] => {
  const fp = [...base];
  for (const r of rows) fp[r] = 7_000_000 + tag * 1000 + r;
  return fp;
};
/** Whether two fingerprints share a whole band of `rows` rows (the candidate rule for that band shape). */
const shareBandOf = (rows: number, a: readonly number[], b: readonly number[]): boolean => {
  for (let from = 0; from + rows <= MINHASH_SIZE; from += rows) if (a.slice(from, from + rows).every((v, i) => v === b[from + i])) return true;
  return false;
};

describe('script links (batch grouping)', () => {
  it('groups callers whose scripts 16 bands of 4 rows would never have compared (one unequal row in every band of 4)', () => {
    const everyFourth = Array.from({ length: 16 }, (_, i) => i * 4);
    const fps = [base, changed(everyFourth, 1), changed(everyFourth, 2)];
    for (const [a, b] of [[0, 1], [0, 2], [1, 2]] as const) {
      assert.equal(similarity(fps[a]!, fps[b]!), 48 / 64);
      assert.equal(shareBandOf(4, fps[a]!, fps[b]!), false, '16 × 4 bands: not a candidate');
      assert.equal(shareBandOf(LSH_ROWS, fps[a]!, fps[b]!), true, '21 × 3 bands: rows 9-11 are equal');
    }
    const scripts: ScriptSample[] = fps.map((fingerprint, i) => ({ caller: `+1555000000${i}`, fingerprint, at: i }));
    const groups = groupCampaigns([], scripts);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0]!.members, ['+15550000000', '+15550000001', '+15550000002']);
  });

  it('links only callers that a chain of similar scripts sharing a band ties, once per caller joined', () => {
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    const a = base;
    const b = changed(range(0, 20), 1); // 44/64 with a
    const c = [...b];
    for (const r of range(40, 60)) c[r] = 8_000_000 + r; // 44/64 with b, 24/64 with a
    const far = Array.from({ length: MINHASH_SIZE }, (_, i) => 9_000_000 + i);
    assert.ok(similarity(a, c) < SCRIPT_SIMILARITY);
    const links = scriptLinks([{ caller: 'A', fingerprint: a }, { caller: 'B', fingerprint: b }, { caller: 'A', fingerprint: b }, { caller: 'C', fingerprint: c }, { caller: 'Z', fingerprint: far }]);
    assert.equal(links.length, 2, JSON.stringify(links));
    const tied = new Set(links.flat());
    assert.deepEqual([...tied].sort(), ['A', 'B', 'C']);
  });

  it('a script similar only to a later member of a band key\'s group is still tied (every member is checked, not one per group)', () => {
    // A, B and C are equal in band 0 only (rows 0-2); B changes one row of every other band, C one more row of each.
    const b = changed(Array.from({ length: 20 }, (_, i) => 3 + i * 3), 1);
    const c = [...b];
    for (let i = 0; i < 20; i++) c[4 + i * 3] = 6_000_000 + i;
    assert.equal(similarity(base, b), 44 / 64);
    assert.equal(similarity(b, c), 44 / 64);
    assert.equal(similarity(base, c), 24 / 64);
    const links = scriptLinks([{ caller: 'B', fingerprint: b }, { caller: 'A', fingerprint: base }, { caller: 'C', fingerprint: c }]);
    assert.deepEqual(links, [['A', 'B'], ['C', 'B']]);
  });

  it('5,000 readings of one script by 40 rotating numbers, among unrelated calls, make one campaign of those 40 (no pair set to overflow)', () => {
    let seed = 7;
    const rand = (): number => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words = Array.from({ length: 2_000 }, () => Array.from({ length: 4 + Math.floor(rand() * 5) }, () => letters[Math.floor(rand() * 26)]).join(''));
    const pick = (): string => words[Math.floor(rand() * words.length)]!;
    const template = Array.from({ length: 50 }, pick);
    const pool = Array.from({ length: 40 }, (_, i) => `+8617200000${String(i).padStart(3, '0')}`);
    const scripts: ScriptSample[] = [];
    for (let i = 0; i < 5_000; i++) {
      const text = `${template.map((w) => (rand() < 0.04 ? pick() : w)).join(' ')} pay ${Math.floor(rand() * 90_000)} yuan`;
      scripts.push({ caller: pool[i % pool.length]!, fingerprint: minhash(text), at: i });
    }
    for (let i = 0; i < 50; i++) scripts.push({ caller: `+8618100000${String(i).padStart(3, '0')}`, fingerprint: minhash(Array.from({ length: 50 }, pick).join(' ')), at: i });
    const groups = groupCampaigns([], scripts);
    assert.equal(groups.length, 1, groups.map((g) => g.members.length).join(','));
    assert.deepEqual(groups[0]!.members, [...pool].sort());
    // One link per caller joined to the first, not one per similar pair (about 12 million here).
    assert.deepEqual(groups[0]!.evidence, [{ kind: 'script', count: 39 }]);
    assert.equal(groups[0]!.lastSeen, 4_999);
  });
});
