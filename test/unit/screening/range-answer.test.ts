import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RangeBuckets, ReputationIndex, bucketOf, paddedSize, rangeHash, scoreEvidence } from '../../../src/reputation/index.js';
import { listedAction, rangeAnswer } from '../../../src/screening/index.js';

const now = Date.UTC(2026, 0, 10);
const fraud = (n: number) => scoreEvidence(Array.from({ length: n }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - 1000, reporter: `r${i}`, org: `o${i}` })), now);
const police = scoreEvidence([{ source: 'police', category: 'fraud', at: now - 1000 }], now);

describe('range answer', () => {
  it('pads to at least 32 and otherwise to the next power of two', () => {
    assert.deepEqual([0, 1, 31, 32, 33, 64, 65, 1000].map(paddedSize), [32, 32, 32, 32, 64, 64, 128, 1024]);
  });

  it('keeps every real non-allow entry, drops allow, pads with decoys of the same shape, sorted', () => {
    const index = new ReputationIndex();
    // A one-character prefix so that many identifiers share it (the padding past 32 is reachable).
    const ids: string[] = [];
    for (let i = 0; ids.length < 40; i++) {
      const id = `+8613${String(i).padStart(9, '0')}`;
      if (rangeHash(id).startsWith('a')) ids.push(id);
    }
    ids.forEach((id, i) => index.set(id, i === 0 ? fraud(1) : police));
    assert.equal(listedAction(index.get(ids[0]!)!), 'allow');
    const answer = rangeAnswer('a', ids.map((id) => [id, index.get(id)!] as const), 'seed');
    assert.equal(answer.entries.length, 64, '39 real entries pad to 64');
    const suffixes = answer.entries.map((e) => e.suffix);
    assert.deepEqual([...suffixes].sort(), suffixes, 'sorted by suffix');
    for (const id of ids.slice(1)) assert.ok(suffixes.includes(rangeHash(id).slice(1)), id);
    assert.ok(!suffixes.includes(rangeHash(ids[0]!).slice(1)), 'allow is not listed');
    for (const e of answer.entries) {
      assert.deepEqual(Object.keys(e).sort(), ['action', 'category', 'label', 'score', 'suffix']);
      assert.ok(['label', 'warn', 'block'].includes(e.action));
      assert.equal(e.action, listedAction({ score: e.score, confirmed: e.action === 'block' && e.score < 85 }));
    }
  });

  it('the same prefix and seed give the same decoys; another seed other ones', () => {
    const a = rangeAnswer('0a1b2', [], 'k1');
    assert.equal(a.entries.length, 32);
    assert.deepEqual(rangeAnswer('0a1b2', [], 'k1'), a);
    assert.notDeepEqual(rangeAnswer('0a1b2', [], 'k2').entries, a.entries);
    for (const e of a.entries) assert.match(e.suffix, /^[0-9a-f]{59}$/);
  });
});

describe('range buckets follow the index', () => {
  it('adds on entry and removes on leaving, not on a mere change', () => {
    const index = new ReputationIndex();
    const buckets = new RangeBuckets();
    index.watch((id, present) => (present ? buckets.add(id) : buckets.remove(id)));
    index.set('+8613800000001', police);
    index.set('+8613800000001', fraud(3));
    const b = bucketOf(rangeHash('+8613800000001'));
    assert.deepEqual(buckets.get(b), ['+8613800000001']);
    assert.equal(buckets.size, 1);
    index.set('+8613800000001', scoreEvidence([], now));
    assert.deepEqual(buckets.get(b), []);
    assert.equal(buckets.size, 0);
  });
});
