import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReputationIndex, labelOf, buildLabel, CATEGORIES, EMPTY_REPUTATION } from '../../../src/reputation/index.js';
import type { Category, Reputation } from '../../../src/reputation/index.js';
import { seededRandom } from '../../../src/seeded-random.js';

const mulberry32 = seededRandom;

const ORGS = ['bank customer service', 'police', 'ICBC', '支付宝客服', 'loan platform customer service'];

function randomReputation(rnd: () => number): Reputation {
  const score = Math.floor(rnd() * 101);
  const confirmed = rnd() < 0.1;
  const category: Category | null = score === 0 ? null : CATEGORIES[Math.floor(rnd() * CATEGORIES.length)]!;
  const r = rnd();
  const reports = r < 0.3 ? 0 : r < 0.9 ? Math.floor(rnd() * 200) : Math.floor(rnd() * 16_383);
  const claimedOrganization = rnd() < 0.3 ? ORGS[Math.floor(rnd() * ORGS.length)]! : null;
  const confidence = Math.round(rnd() * 100) / 100;
  return { score, category, confidence, reports, confirmed, claimedOrganization, label: '', reasons: [] };
}

describe('ReputationIndex (packed hot index)', () => {
  it('round-trips 20,000 random reputations', () => {
    const rnd = mulberry32(20261126);
    const index = new ReputationIndex();
    const expected = new Map<string, Reputation>();
    for (let i = 0; i < 20_000; i++) {
      const id = `+86138${String(i).padStart(8, '0')}`;
      const r = randomReputation(rnd);
      index.set(id, r);
      expected.set(id, r);
    }
    let stored = 0;
    for (const [id, r] of expected) {
      const got = index.get(id);
      if (r.score === 0 && !r.confirmed) {
        assert.equal(got, undefined, `${id}: nothing against it is not stored`);
        assert.equal(index.has(id), false);
        continue;
      }
      stored++;
      assert.ok(got, id);
      assert.equal(got.score, r.score, `${id} score`);
      assert.equal(got.category, r.category, `${id} category`);
      assert.equal(got.confirmed, r.confirmed, `${id} confirmed`);
      assert.equal(got.reports, r.reports, `${id} reports`);
      assert.equal(got.claimedOrganization, r.claimedOrganization, `${id} claimed organisation`);
      assert.ok(Math.abs(got.confidence - r.confidence) <= 1 / 30 + 1e-9, `${id} confidence ${got.confidence} vs ${r.confidence}`);
      assert.ok(got.confidence >= 0 && got.confidence <= 1);
    }
    assert.equal(index.size, stored);
    assert.equal([...index.keys()].length, stored);
  });

  it('keeps every category and the extremes of each field apart', () => {
    const index = new ReputationIndex();
    const cases: Reputation[] = [];
    for (const category of CATEGORIES) {
      for (const score of [1, 50, 100]) {
        for (const confirmed of [false, true]) {
          for (const reports of [0, 1, 16_383]) {
            for (const confidence of [0, 0.5, 1]) cases.push({ score, category, confidence, reports, confirmed, claimedOrganization: null, label: '', reasons: [] });
          }
        }
      }
    }
    cases.push({ ...EMPTY_REPUTATION, confirmed: true });
    cases.forEach((r, i) => index.set(`id-${i}`, r));
    cases.forEach((r, i) => {
      const got = index.get(`id-${i}`)!;
      assert.deepEqual(
        { score: got.score, category: got.category, reports: got.reports, confirmed: got.confirmed },
        { score: r.score, category: r.category, reports: r.reports, confirmed: r.confirmed },
        `case ${i}`,
      );
      // Confidence is kept in fifteenths: 0 and 1 exactly, the rest within half a step.
      if (r.confidence === 0 || r.confidence === 1) assert.equal(got.confidence, r.confidence, `case ${i}`);
      else assert.ok(Math.abs(got.confidence - r.confidence) <= 1 / 30 + 1e-9, `case ${i}`);
    });
  });

  it('caps the report count at 16,383 instead of overflowing into other fields', () => {
    const index = new ReputationIndex();
    index.set('big', { score: 42, category: 'robocall', confidence: 0.8, reports: 1_000_000, confirmed: false, claimedOrganization: null, label: '', reasons: [] });
    const got = index.get('big')!;
    assert.equal(got.reports, 16_383);
    assert.equal(got.score, 42);
    assert.equal(got.category, 'robocall');
    assert.equal(got.confirmed, false);
  });

  it('an update replaces the entry, and a cleared reputation removes it', () => {
    const index = new ReputationIndex();
    const base: Reputation = { score: 78, category: 'fraud', confidence: 0.86, reports: 6, confirmed: false, claimedOrganization: 'bank customer service', label: '', reasons: [] };
    index.set('x', base);
    assert.equal(index.get('x')!.claimedOrganization, 'bank customer service');
    index.set('x', { ...base, score: 80, reports: 7, claimedOrganization: null });
    assert.equal(index.get('x')!.score, 80);
    assert.equal(index.get('x')!.claimedOrganization, null, 'the old claimed organisation is dropped');
    index.set('x', EMPTY_REPUTATION);
    assert.equal(index.get('x'), undefined);
    assert.equal(index.size, 0);
    index.set('y', base);
    index.delete('y');
    assert.equal(index.has('y'), false);
  });

  it('labelOf gives the same label as buildLabel for every unpacked reputation (label cache included)', () => {
    const rnd = mulberry32(7);
    const index = new ReputationIndex();
    for (let i = 0; i < 5_000; i++) {
      const r = randomReputation(rnd);
      index.set(`k${i}`, r);
      const got = index.get(`k${i}`);
      if (!got) continue;
      assert.equal(labelOf(got), buildLabel(got), JSON.stringify(got));
      // Twice: the second call may come from a cache and must not differ.
      assert.equal(labelOf(got), buildLabel(got));
    }
    // Two reputations that differ only in the claimed organisation get different labels.
    const a = { score: 70, category: 'fraud' as const, confidence: 0.8, reports: 5, confirmed: false, claimedOrganization: 'ICBC' };
    assert.notEqual(labelOf(a), labelOf({ ...a, claimedOrganization: null }));
    assert.notEqual(labelOf(a), labelOf({ ...a, claimedOrganization: 'police' }));
  });
});
