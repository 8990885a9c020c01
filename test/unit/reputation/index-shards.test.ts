// The hot index beyond one V8 Map's 2^24 entries (issue 17): shards with an injectable limit, so a
// few hundred entries cross a shard's limit here the way 20 M identifiers cross 2^24 in production
// (bench/support/index-20m.ts loads those once). Also the NumberTable under it, against a Map model.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReputationIndex, scoreEvidence } from '../../../src/reputation/index.js';
import { NumberTable, e164Number, numberHash } from '../../../src/reputation/number-table.js';
import { seededRandom } from '../../../src/seeded-random.js';

const now = Date.UTC(2026, 11, 4);
const rep = scoreEvidence(Array.from({ length: 6 }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - 1000, reporter: `r${i}` })), now);
const phone = (i: number): string => `+86139${String(i).padStart(8, '0')}`;

describe('ReputationIndex shards', () => {
  it('holds more identifiers than one shard may, numbers and e-mail addresses alike', () => {
    const index = new ReputationIndex({ shards: 8, shardLimit: 100 });
    const ids = [...Array.from({ length: 400 }, (_, i) => phone(i)), ...Array.from({ length: 400 }, (_, i) => `user${i}@example.com`)];
    for (const id of ids) index.set(id, rep);
    assert.equal(index.size, 800, 'eight shards of 100 hold 800 > 100');
    for (const id of ids) assert.equal(index.get(id)?.score, rep.score, id);
    assert.deepEqual(new Set(index.keys()), new Set(ids));
    assert.equal([...index.packedEntries()].length, 800);
  });

  it('refuses an identifier whose shard is full with a clear error, and changes nothing', () => {
    const index = new ReputationIndex({ shards: 1, shardLimit: 10 });
    const seen: string[] = [];
    index.watch((id) => seen.push(id));
    for (let i = 0; i < 10; i++) index.set(phone(i), rep);
    index.set('a@example.com', rep); // e-mail addresses have their own maps, with the same limit
    assert.throws(() => index.set(phone(10), rep), /shard is full \(10 entries\)/);
    assert.equal(index.size, 11);
    assert.equal(index.has(phone(10)), false);
    assert.equal(seen.length, 11, 'the range buckets never hear of the refused identifier');
    index.set(phone(3), { ...rep, score: rep.score - 1 }); // an update of a present one still works
    assert.equal(index.get(phone(3))?.score, rep.score - 1);
    index.delete(phone(0));
    index.set(phone(10), rep); // and a freed place takes a new one
    assert.equal(index.has(phone(10)), true);
  });

  it('rejects a shape it cannot use', () => {
    assert.throws(() => new ReputationIndex({ shards: 0 }), RangeError);
    assert.throws(() => new ReputationIndex({ shardLimit: 0 }), RangeError);
  });

  it('spreads numbers over the shards evenly enough that 100 M fit in 64 shards of 16 M', () => {
    const counts = new Array<number>(64).fill(0);
    for (let i = 0; i < 640_000; i++) counts[((numberHash(e164Number(phone(i * 7))) >>> 16) * 64) >>> 16]!++;
    assert.ok(Math.max(...counts) < 1.1 * 10_000, `fullest shard ${Math.max(...counts)} of a mean 10,000`);
  });
});

describe('NumberTable', () => {
  it('agrees with a Map under random sets, updates and deletes (growth and back-shifted runs included)', () => {
    const rnd = seededRandom(17);
    const table = new NumberTable(1_000_000);
    const model = new Map<number, number>();
    // A narrow key space so that sets, deletes and long probe runs keep meeting the same keys.
    for (let step = 0; step < 200_000; step++) {
      const n = 86_139_0000_0000 + Math.floor(rnd() * 5_000);
      const h = numberHash(n);
      if (rnd() < 0.4) assert.equal(table.delete(n, h), model.delete(n), `delete ${n}`);
      else {
        const v = Math.floor(rnd() * 0x7fffffff);
        assert.equal(table.set(n, h, v), !model.has(n), `set ${n}`);
        model.set(n, v);
      }
      if (step % 1000 === 0) assert.equal(table.size, model.size);
    }
    for (let n = 86_139_0000_0000; n < 86_139_0000_0000 + 5_000; n++) assert.equal(table.get(n, numberHash(n)), model.get(n) ?? -1, `get ${n}`);
    assert.deepEqual(new Map(table.entries()), model);
  });

  it('iterates a copy, so entries deleted or added during the walk never hide one that stayed', () => {
    const table = new NumberTable(100_000);
    for (let i = 0; i < 5_000; i++) table.set(1e10 + i, numberHash(1e10 + i), i);
    const seen = new Set<number>();
    let k = 0;
    for (const [n] of table.entries()) {
      seen.add(n);
      // Delete some others (moving later entries back) and add more (growing the table).
      if (k++ % 3 === 0) table.delete(n + 1, numberHash(n + 1));
      table.set(2e10 + k, numberHash(2e10 + k), 0);
    }
    for (let i = 0; i < 5_000; i++) assert.ok(seen.has(1e10 + i), `${1e10 + i} was walked`);
  });

  it('reads exactly the E.164 strings that round-trip through a number', () => {
    for (const s of ['+8613912345678', '+1234567', '+123456789012345']) assert.equal(`+${e164Number(s)}`, s);
    for (const s of ['+0123456789', '+123456', '+1234567890123456', '8613912345678', '+86139a2345678', '+86 1391234567', 'a@b.c', '']) assert.equal(e164Number(s), -1, s);
  });
});
