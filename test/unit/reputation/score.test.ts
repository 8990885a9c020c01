import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scoreEvidence, decayFactor, reporterCredibility, reporterAgeFactor, buildLabel, EMPTY_REPUTATION, SCORE_SCALE, ORG_CROWD_CAP } from '../../../src/reputation/index.js';
import type { Category, Evidence, Reputation } from '../../../src/reputation/index.js';

const DAY = 86_400_000;
// A fixed "now" at 18:00 UTC, so "earlier today" offsets of a few hours stay on the same UTC day.
const NOW = Date.UTC(2026, 10, 26, 18, 0, 0);

function crowd(reporter: string, ageMs = 0, extra: Partial<Evidence> = {}): Evidence {
  return { source: 'crowd', category: 'fraud', at: NOW - ageMs, reporter, ...extra };
}

const scoreOf = (weight: number): number => Math.round(100 * (1 - Math.exp(-weight / SCORE_SCALE)));
const codes = (r: Reputation): string[] => r.reasons.map((x) => x.code);

describe('scoreEvidence', () => {
  it('no evidence is the empty reputation', () => {
    assert.deepEqual(scoreEvidence([], NOW), EMPTY_REPUTATION);
    assert.equal(EMPTY_REPUTATION.score, 0);
    assert.equal(EMPTY_REPUTATION.label, 'No reports');
  });

  it('follows the documented curve: one report 22, two 39, four 63, six 78, eight 86', () => {
    const expected: Record<number, number> = { 1: 22, 2: 39, 4: 63, 6: 78, 8: 86 };
    for (const [n, score] of Object.entries(expected)) {
      // Reporters of two organisations, so that the per-organisation cap (6) does not bite.
      const r = scoreEvidence(Array.from({ length: Number(n) }, (_, i) => crowd(`r${i}`, 0, { org: `app-${i % 2}` })), NOW);
      assert.equal(r.score, score, `${n} reports`);
      assert.equal(r.reports, Number(n));
    }
  });

  it('six fraud reports from different subscribers within a day reach the warn threshold (60)', () => {
    const r = scoreEvidence(Array.from({ length: 6 }, (_, i) => crowd(`r${i}`, i * 3_600_000)), NOW);
    assert.ok(r.score >= 60, `score ${r.score}`);
    assert.equal(r.category, 'fraud');
  });

  describe('time decay', () => {
    it('a crowd report counts half after 30 days', () => {
      assert.equal(decayFactor('crowd', 30 * DAY), 0.5);
      assert.equal(decayFactor('crowd', 60 * DAY), 0.25);
      assert.equal(decayFactor('crowd', 0), 1);
      assert.equal(decayFactor('crowd', -DAY), 1, 'future evidence is not boosted');
      // Two 30-day-old reports weigh what one fresh report weighs.
      const old = scoreEvidence([crowd('a', 30 * DAY), crowd('b', 30 * DAY)], NOW);
      const fresh = scoreEvidence([crowd('c')], NOW);
      assert.equal(old.score, fresh.score);
      assert.equal(scoreEvidence([crowd('a', 30 * DAY)], NOW).score, scoreOf(0.5));
    });

    it('partner lists do not decay', () => {
      assert.equal(decayFactor('police', 3650 * DAY), 1);
      const r = scoreEvidence([{ source: 'carrier', category: 'robocall', at: NOW - 300 * DAY }], NOW);
      assert.equal(r.score, scoreOf(4));
    });

    it('evidence from the future does not count yet', () => {
      assert.deepEqual(scoreEvidence([crowd('a', -DAY)], NOW), EMPTY_REPUTATION);
    });
  });

  describe('one reporter cannot flag a caller alone', () => {
    it('ten reports by one reporter on ten days count as at most one report\'s weight', () => {
      const r = scoreEvidence(Array.from({ length: 10 }, (_, i) => crowd('same', i * DAY)), NOW);
      assert.equal(r.score, scoreOf(1));
      assert.ok(r.score < 30, 'below the label threshold');
      assert.equal(r.reports, 1, 'the count is of distinct reporters: one reporter\'s repeats count once');
      assert.equal(r.label, 'Suspected fraud · 1 report');
      assert.ok(r.reasons.some((x) => x.code === 'CROWD_REPORTS' && x.text.startsWith('10 reports from 1 subscriber')));
      assert.ok(codes(r).includes('SINGLE_REPORTER'));
    });

    it('the cap scales the category weights, so the category stays that reporter\'s', () => {
      const r = scoreEvidence([...Array.from({ length: 5 }, (_, i) => crowd('loud', i * DAY, { category: 'harassment' })), crowd('quiet', 0, { category: 'robocall' })], NOW);
      assert.equal(r.score, scoreOf(2));
      // Both weigh 1 after the cap: a tie, which goes to the more severe category.
      assert.equal(r.category, 'robocall');
    });

    it('one reporter repeating "fraud" every day does not outvote three subscribers who say "harassment"', () => {
      const r = scoreEvidence([...Array.from({ length: 10 }, (_, i) => crowd('grudge', i * DAY)), ...['a', 'b', 'c'].map((n) => crowd(n, 0, { category: 'harassment' }))], NOW);
      assert.equal(r.score, scoreOf(4));
      assert.equal(r.category, 'harassment');
      assert.match(r.label, /^Nuisance marketing/);
    });
  });

  describe('one report per reporter per day', () => {
    it('repeats by the same reporter on one day count once', () => {
      const r = scoreEvidence([crowd('same', 0), crowd('same', 3_600_000), crowd('same', 7_200_000)], NOW);
      assert.equal(r.reports, 1);
      assert.equal(r.score, scoreOf(1));
    });

    it('the same reporter on two different days is one reporter (and still capped)', () => {
      const r = scoreEvidence([crowd('same', 0), crowd('same', DAY)], NOW);
      assert.equal(r.reports, 1);
      assert.equal(r.score, scoreOf(1));
    });

    it('different reporters on one day each count', () => {
      const r = scoreEvidence([crowd('a'), crowd('b'), crowd('b')], NOW);
      assert.equal(r.reports, 2);
      assert.equal(r.score, scoreOf(2));
    });
  });

  describe('partner lists', () => {
    it('a police fraud list alone confirms and blocks (>= 85)', () => {
      const r = scoreEvidence([{ source: 'police', category: 'fraud', at: NOW - DAY, origin: 'Case 2026-117' }], NOW);
      assert.equal(r.confirmed, true);
      assert.ok(r.score >= 85, `score ${r.score}`);
      assert.ok(r.confidence >= 0.95);
      assert.equal(r.label, 'Confirmed fraud · police list');
      assert.equal(r.reasons[0]!.code, 'CONFIRMED_LIST');
    });

    it('a regulator impersonation list confirms; a police robocall list does not', () => {
      assert.equal(scoreEvidence([{ source: 'regulator', category: 'impersonation', at: NOW }], NOW).confirmed, true);
      assert.equal(scoreEvidence([{ source: 'police', category: 'robocall', at: NOW }], NOW).confirmed, false);
    });

    it('a carrier or bank list warns but does not confirm', () => {
      for (const source of ['carrier', 'bank'] as const) {
        const r = scoreEvidence([{ source, category: 'fraud', at: NOW, origin: 'Their list' }], NOW);
        assert.equal(r.confirmed, false);
        assert.ok(r.score >= 60 && r.score < 85, `${source} score ${r.score}`);
        assert.ok(r.reasons.some((x) => x.code === 'PARTNER_LIST' && x.text === `Listed by a ${source}`), JSON.stringify(r.reasons));
        assert.ok(!JSON.stringify(r).includes('Their list'), 'list names stay out of the reputation everyone sees');
      }
    });

    it('an expired list entry is ignored', () => {
      const expired = scoreEvidence([{ source: 'police', category: 'fraud', at: NOW - 10 * DAY, expiresAt: NOW - DAY }], NOW);
      assert.deepEqual(expired, EMPTY_REPUTATION);
      const live = scoreEvidence([{ source: 'police', category: 'fraud', at: NOW - 10 * DAY, expiresAt: NOW + DAY }], NOW);
      assert.equal(live.confirmed, true);
      assert.equal(scoreEvidence([{ source: 'police', category: 'fraud', at: NOW - DAY, expiresAt: NOW }], NOW).score, 0, 'expiry is exclusive');
    });
  });

  describe('an upheld appeal clears earlier evidence', () => {
    it('evidence before the clearance no longer counts, and says why', () => {
      const evidence = Array.from({ length: 6 }, (_, i) => crowd(`r${i}`, 2 * DAY));
      const r = scoreEvidence(evidence, NOW, { clearedAt: NOW - DAY });
      assert.equal(r.score, 0);
      assert.equal(r.category, null);
      assert.deepEqual(codes(r), ['APPEAL_UPHELD']);
    });

    it('evidence after the clearance still counts', () => {
      const evidence = [crowd('old-1', 2 * DAY), crowd('old-2', 2 * DAY), crowd('new-1', 3_600_000), crowd('new-2', 3_600_000)];
      const r = scoreEvidence(evidence, NOW, { clearedAt: NOW - DAY });
      assert.equal(r.reports, 2);
      assert.equal(r.score, scoreOf(2));
      assert.ok(codes(r).includes('APPEAL_UPHELD'));
    });

    it('clears crowd evidence only: a police or carrier listing stays (it is lifted only by its owner or an appeal naming it)', () => {
      const police = scoreEvidence([{ source: 'police', category: 'fraud', at: NOW - 2 * DAY }, crowd('a', 2 * DAY)], NOW, { clearedAt: NOW - DAY });
      assert.equal(police.confirmed, true);
      assert.equal(police.score, scoreOf(8));
      assert.equal(police.reports, 0);
      const carrier = scoreEvidence([{ source: 'carrier', category: 'robocall', at: NOW - 2 * DAY }, ...['a', 'b', 'c'].map((n) => crowd(n, 2 * DAY, { category: 'robocall' }))], NOW, { clearedAt: NOW - DAY });
      assert.equal(carrier.score, scoreOf(4));
      assert.equal(carrier.label, 'Robocall');
    });
  });

  describe('reporter credibility', () => {
    it('a reporter with false reports weighs less', () => {
      assert.equal(reporterCredibility(0), 1);
      assert.equal(reporterCredibility(1), 0.5);
      assert.equal(reporterCredibility(3), 0.25);
      assert.equal(reporterCredibility(-2), 1);
      const charged = scoreEvidence(['a', 'b', 'c'].map((r) => crowd(r, 0, { credibility: reporterCredibility(1) })), NOW);
      const fresh = scoreEvidence(['a', 'b', 'c'].map((r) => crowd(r)), NOW);
      assert.ok(charged.score < fresh.score);
      assert.equal(charged.score, scoreOf(1.5));
    });
  });

  describe('"not spam" feedback', () => {
    it('lowers the score and is named in the reasons', () => {
      const reports = ['a', 'b', 'c', 'd'].map((r) => crowd(r, 0, { category: 'spam-ad' }));
      const before = scoreEvidence(reports, NOW);
      const after = scoreEvidence([...reports, crowd('happy', 0, { negative: true, category: 'other' })], NOW);
      assert.ok(after.score < before.score, `${after.score} < ${before.score}`);
      assert.equal(after.score, scoreOf(3));
      assert.equal(after.reports, 4, 'feedback is not a report');
      assert.ok(after.reasons.some((x) => x.code === 'NOT_SPAM_FEEDBACK' && x.text.startsWith('1 subscriber')));
    });

    it('one subscriber\'s repeated "not spam" is capped like a report', () => {
      const reports = ['a', 'b', 'c', 'd'].map((r) => crowd(r));
      const spam = Array.from({ length: 10 }, (_, i) => crowd('fan', i * DAY, { negative: true }));
      assert.equal(scoreEvidence([...reports, ...spam], NOW).score, scoreOf(3));
    });

    it('never drives the score below 0', () => {
      const r = scoreEvidence([crowd('a'), ...['x', 'y', 'z'].map((n) => crowd(n, 0, { negative: true }))], NOW);
      assert.equal(r.score, 0);
      assert.equal(r.category, null);
    });
  });

  describe('category', () => {
    it('the category with the most weight wins', () => {
      const r = scoreEvidence([crowd('a', 0, { category: 'harassment' }), crowd('b', 0, { category: 'harassment' }), crowd('c', 0, { category: 'fraud' })], NOW);
      assert.equal(r.category, 'harassment');
    });

    it('a tie goes to the more severe category', () => {
      const pairs: [Category, Category, Category][] = [
        ['harassment', 'fraud', 'fraud'],
        ['spam-ad', 'impersonation', 'impersonation'],
        ['harassment', 'robocall', 'robocall'],
        ['other', 'spam-ad', 'spam-ad'],
        ['impersonation', 'fraud', 'fraud'],
      ];
      for (const [a, b, winner] of pairs) {
        for (const order of [[a, b], [b, a]] as const) {
          const r = scoreEvidence([crowd('r1', 0, { category: order[0] }), crowd('r2', 0, { category: order[1] })], NOW);
          assert.equal(r.category, winner, `${order.join(' vs ')}`);
        }
      }
    });

    it('confidence grows with agreement', () => {
      const agree = scoreEvidence(['a', 'b', 'c', 'd'].map((r) => crowd(r)), NOW);
      const split = scoreEvidence((['fraud', 'harassment', 'robocall', 'other'] as const).map((c, i) => crowd(`r${i}`, 0, { category: c })), NOW);
      assert.ok(agree.confidence > split.confidence);
      assert.ok(agree.confidence > 0 && agree.confidence <= 1);
    });
  });

  describe('label', () => {
    it('has the shape "Suspected fraud · poses as X · N reports"', () => {
      const r = scoreEvidence(
        Array.from({ length: 6 }, (_, i) => crowd(`r${i}`, i * 60_000, i < 4 ? { claimedOrganization: 'bank customer service' } : { claimedOrganization: 'police' })),
        NOW,
      );
      assert.equal(r.label, 'Suspected fraud · poses as bank customer service · 6 reports');
      assert.equal(r.claimedOrganization, 'bank customer service');
      assert.ok(r.reasons.some((x) => x.code === 'CLAIMED_ORGANIZATION' && x.text === 'Callers claimed to be bank customer service'));
      assert.ok(r.reasons.some((x) => x.code === 'CROWD_REPORTS' && x.text === '6 reports from 6 subscribers, mostly fraud'));
    });

    it('singular, without a claimed organisation, and per category', () => {
      assert.equal(scoreEvidence([crowd('a')], NOW).label, 'Suspected fraud · 1 report');
      assert.equal(scoreEvidence([crowd('a', 0, { category: 'harassment' }), crowd('b', 0, { category: 'harassment' })], NOW).label, 'Nuisance marketing · 2 reports');
      assert.equal(buildLabel({ category: 'robocall', confirmed: false, claimedOrganization: null, reports: 0, score: 63 }), 'Robocall');
      assert.equal(buildLabel({ category: 'fraud', confirmed: true, claimedOrganization: 'IRS', reports: 3, score: 95 }), 'Confirmed fraud · poses as IRS · 3 reports');
      assert.equal(buildLabel({ category: null, confirmed: false, claimedOrganization: null, reports: 0, score: 0 }), 'No reports');
    });

    it('claimed organisations are matched case-insensitively', () => {
      const r = scoreEvidence([crowd('a', 0, { claimedOrganization: 'ICBC' }), crowd('b', 0, { claimedOrganization: 'icbc ' }), crowd('c', 0, { claimedOrganization: 'Alipay' })], NOW);
      assert.equal(r.claimedOrganization, 'ICBC');
    });
  });

  describe('no single organisation controls the outcome', () => {
    it('fifty reporters of one organisation count as at most six reports: warn (78), never block', () => {
      const r = scoreEvidence(Array.from({ length: 50 }, (_, i) => crowd(`invented-${i}`, 0, { org: 'rogue-app' })), NOW);
      assert.equal(r.score, scoreOf(ORG_CROWD_CAP));
      assert.ok(r.score < 85);
      assert.ok(codes(r).includes('CROWD_CAPPED'));
      assert.equal(r.reports, 50, 'the count still says how many subscribers reported');
    });

    it('two organisations together may block', () => {
      const r = scoreEvidence(Array.from({ length: 14 }, (_, i) => crowd(`r${i}`, 0, { org: `app-${i % 2}` })), NOW);
      assert.equal(r.score, scoreOf(12));
      assert.ok(r.score >= 85);
    });

    it('an organisation\'s own list and its own crowd together stay at the cap (or the list\'s weight)', () => {
      const platformList = { source: 'platform' as const, category: 'fraud' as const, at: NOW, org: 'platform-1' };
      const own = scoreEvidence([platformList, ...Array.from({ length: 20 }, (_, i) => crowd(`p${i}`, 0, { org: 'platform-1' }))], NOW);
      assert.equal(own.score, scoreOf(ORG_CROWD_CAP));
      const other = scoreEvidence([platformList, ...Array.from({ length: 20 }, (_, i) => crowd(`p${i}`, 0, { org: 'app-1' }))], NOW);
      assert.equal(other.score, scoreOf(3 + ORG_CROWD_CAP), 'another organisation\'s crowd adds to it');
    });

    it('fifty "not spam" from one organisation do not lower a carrier listing', () => {
      const listing = { source: 'carrier' as const, category: 'robocall' as const, at: NOW - DAY, org: 'carrier-1' };
      const fans = Array.from({ length: 50 }, (_, i) => crowd(`fan-${i}`, 0, { negative: true, category: 'other', org: 'rogue-app' }));
      const r = scoreEvidence([listing, ...fans], NOW);
      assert.equal(r.score, scoreOf(4));
      assert.equal(r.category, 'robocall');
      assert.ok(codes(r).includes('NOT_SPAM_FEEDBACK'));
    });

    it('a police listing is not lowered by "not spam" from any number of organisations', () => {
      const listing = { source: 'police' as const, category: 'fraud' as const, at: NOW - DAY, org: 'police-1' };
      const fans = Array.from({ length: 40 }, (_, i) => crowd(`fan-${i}`, 0, { negative: true, category: 'other', org: `app-${i % 4}` }));
      const r = scoreEvidence([listing, ...fans], NOW);
      assert.equal(r.confirmed, true);
      assert.equal(r.score, scoreOf(8));
    });

    it('one organisation\'s "not spam" offsets at most six reports', () => {
      const reports = Array.from({ length: 10 }, (_, i) => crowd(`r${i}`, 0, { org: `app-${i % 2}` }));
      const fans = Array.from({ length: 50 }, (_, i) => crowd(`fan-${i}`, 0, { negative: true, category: 'other', org: 'rogue-app' }));
      assert.equal(scoreEvidence([...reports, ...fans], NOW).score, scoreOf(10 - ORG_CROWD_CAP));
    });
  });

  describe('reporter age', () => {
    it('a reporter first seen today weighs 0.75, rising to 1 after 14 days', () => {
      assert.equal(reporterAgeFactor(0), 0.75);
      assert.equal(reporterAgeFactor(-DAY), 0.75);
      assert.equal(reporterAgeFactor(7 * DAY), 0.875);
      assert.equal(reporterAgeFactor(14 * DAY), 1);
      assert.equal(reporterAgeFactor(400 * DAY), 1);
      const fresh = scoreEvidence(['a', 'b'].map((n) => crowd(n, 0, { reporterSince: NOW })), NOW);
      assert.equal(fresh.score, scoreOf(1.5));
      const old = scoreEvidence(['a', 'b'].map((n) => crowd(n, 0, { reporterSince: NOW - 30 * DAY })), NOW);
      assert.equal(old.score, scoreOf(2));
    });

    it('six new subscribers of two apps still warn within the day (>= 60)', () => {
      const r = scoreEvidence(Array.from({ length: 6 }, (_, i) => crowd(`new-${i}`, i * 3_600_000, { org: `app-${i % 2}`, reporterSince: NOW - i * 3_600_000 })), NOW);
      assert.equal(r.score, scoreOf(4.5));
      assert.ok(r.score >= 60, `score ${r.score}`);
    });
  });

  it('is pure: the same evidence in another order gives the same reputation', () => {
    const evidence = [crowd('a', 0), crowd('b', DAY, { category: 'robocall' }), crowd('a', 2 * DAY), { source: 'bank', category: 'fraud', at: NOW - DAY } as Evidence, crowd('z', 0, { negative: true })];
    const forward = scoreEvidence(evidence, NOW);
    const backward = scoreEvidence([...evidence].reverse(), NOW);
    assert.deepEqual(backward, forward);
  });
});
