// The incremental tally must give exactly what the full recompute gives, at every step, on random
// evidence: many reporters (some reporting on several days, some twice a day), "not spam" votes,
// reporters of every age and credibility, several organisations, partner lists with and without
// expiry, call patterns, complaints, backdated and slightly-future reports, an upheld appeal, and a
// clock that moves on by up to weeks between reports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CallerTally, TallyUnsupported, scoreEvidence } from '../../../src/reputation/index.js';
import type { Category, Clearance, Evidence, EvidenceSource } from '../../../src/reputation/index.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1, 9, 0, 0);
const CATS: Category[] = ['fraud', 'impersonation', 'harassment', 'robocall', 'spam-ad', 'other'];

interface Reporter {
  id: string;
  org: string;
  credibility: number | undefined;
  sinceDays: number | undefined;
}

const reporterArb = fc.record({
  org: fc.constantFrom('app-a', 'app-b', 'app-c'),
  credibility: fc.constantFrom(undefined, 1, 0.5, 1 / 3),
  // First seen long before, just before, or during the run (young reporters come of age mid-run).
  sinceDays: fc.option(fc.integer({ min: -40, max: 30 }), { nil: undefined }),
});

const stepArb = fc.record({
  advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 * 3_600_000 }), fc.integer({ min: 1, max: 20 * DAY })),
  kind: fc.constantFrom('report', 'report', 'report', 'report', 'feedback', 'list', 'pattern', 'anon'),
  reporter: fc.nat(),
  category: fc.constantFrom(...CATS),
  // Mostly now; sometimes backdated by up to 40 days, sometimes a few minutes ahead (clock skew).
  offsetMs: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -40 * DAY, max: 0 }), fc.integer({ min: 1, max: 5 * 60_000 })),
  claimed: fc.constantFrom(undefined, undefined, 'Bank of China', 'bank of china ', 'City Police'),
  listSource: fc.constantFrom<EvidenceSource>('police', 'bank', 'carrier', 'platform', 'regulator'),
  listOrg: fc.constantFrom('app-a', 'bank-1', 'police-1'),
  expiresInDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
});

type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function evidenceOf(step: Step, reporters: Reporter[], clock: number): Evidence {
  const at = clock + step.offsetMs;
  const r = reporters[step.reporter % reporters.length]!;
  const who = {
    reporter: r.id,
    org: r.org,
    ...(r.credibility !== undefined ? { credibility: r.credibility } : {}),
    ...(r.sinceDays !== undefined ? { reporterSince: START + r.sinceDays * DAY } : {}),
  };
  switch (step.kind) {
    case 'feedback':
      return { source: 'crowd', category: 'other', at, negative: true, ...who };
    case 'list':
      return { source: step.listSource, category: step.category, at: clock, org: step.listOrg, listId: `l-${step.listOrg}`, origin: 'list', ...(step.expiresInDays ? { expiresAt: clock + step.expiresInDays * DAY } : {}) };
    case 'pattern':
      return { source: 'pattern', category: 'robocall', at: clock, weight: 2, origin: 'short calls to many numbers' };
    case 'anon':
      // A complaint: a crowd voice with its own reporter reference and no reporter age.
      return { source: 'crowd', category: step.category, at, reporter: `complaint:${step.reporter % 5}`, org: 'carrier-1' };
    default:
      return { source: 'crowd', category: step.category, at, ...who, ...(step.claimed ? { claimedOrganization: step.claimed } : {}) };
  }
}

describe('CallerTally', () => {
  it('gives the full recompute\'s reputation after every piece of evidence, on random evidence', () => {
    fc.assert(
      fc.property(
        fc.array(reporterArb, { minLength: 1, maxLength: 12 }),
        fc.array(stepArb, { minLength: 1, maxLength: 120 }),
        fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
        (rs, steps, clearedDay) => {
          const reporters = rs.map((r, i) => ({ ...r, id: `rep-${i}` }));
          const clearance: Clearance | undefined = clearedDay === undefined ? undefined : { clearedAt: START + clearedDay * DAY };
          const tally = new CallerTally(clearance, START);
          const all: Evidence[] = [];
          let clock = START;
          for (const step of steps) {
            clock += step.advanceMs;
            const e = evidenceOf(step, reporters, clock);
            all.push(e);
            tally.add(e, clock);
            assert.deepEqual(tally.score(clock), scoreEvidence(all, clock, clearance));
          }
          // And long after: everything has decayed, young reporters have come of age, lists expired.
          for (const later of [clock + 3 * DAY, clock + 45 * DAY, clock + 400 * DAY]) {
            assert.deepEqual(tally.score(later), scoreEvidence(all, later, clearance));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a hot caller: 20,000 reports from 5,000 reporters over two months equal the full recompute', () => {
    const tally = new CallerTally(undefined, START);
    const all: Evidence[] = [];
    let clock = START;
    for (let i = 0; i < 20_000; i++) {
      clock += 250_000 + (i % 7) * 1000;
      const r = (i * 7919) % 5000;
      const e: Evidence = {
        source: 'crowd',
        category: CATS[(i * 31) % 4]!,
        at: clock,
        reporter: `r${r}`,
        org: `app-${r % 3}`,
        reporterSince: START - 30 * DAY + (r % 60) * DAY,
        ...(r % 11 === 0 ? { credibility: 0.5 } : {}),
        ...(i % 13 === 0 ? { negative: true, category: 'other' as const } : {}),
      };
      all.push(e);
      tally.add(e, clock);
    }
    const full = scoreEvidence(all, clock, undefined);
    assert.deepEqual(tally.score(clock), full);
    assert.ok(full.reports > 3000, 'the case is a hot caller');
  });

  it('one reporter alone cannot move the incremental score past what it can in full', () => {
    // The same attack the full score resists: one reporter reporting every few hours for a month.
    const tally = new CallerTally(undefined, START);
    const all: Evidence[] = [];
    let clock = START;
    for (let i = 0; i < 200; i++) {
      clock += 4 * 3_600_000;
      const e: Evidence = { source: 'crowd', category: 'fraud', at: clock, reporter: 'only-one', org: 'app-a' };
      all.push(e);
      tally.add(e, clock);
    }
    const r = tally.score(clock);
    assert.deepEqual(r, scoreEvidence(all, clock));
    assert.ok(r.score <= 22, `one reporter stays at or below one report's score (got ${r.score})`);
    assert.ok(r.reasons.some((x) => x.code === 'SINGLE_REPORTER'));
  });

  it('two reports of one reporter in the same millisecond: the same one counts, whatever the order (fast-check seed 850235595)', () => {
    // The first is a few ms ahead of the clock, so the tally holds it until it falls due and places
    // it after the second; the full recompute sees them in the order given, and the store reads
    // them in no set order. Before, the tally kept robocall and the recompute fraud.
    const fraud: Evidence = { source: 'crowd', category: 'fraud', at: START + 1, reporter: 'rep-0', org: 'app-a' };
    const robocall: Evidence = { source: 'crowd', category: 'robocall', at: START + 1, reporter: 'rep-0', org: 'app-a' };
    const tally = new CallerTally(undefined, START);
    tally.add(fraud, START);
    tally.add(robocall, START + 1);
    const full = scoreEvidence([fraud, robocall], START + 1);
    assert.deepEqual(tally.score(START + 1), full);
    assert.deepEqual(scoreEvidence([robocall, fraud], START + 1), full);
  });

  it('the full recompute of crowd reports and "not spam" votes does not depend on their order', () => {
    const crowdStep = stepArb.filter((s) => s.kind === 'report' || s.kind === 'feedback' || s.kind === 'anon');
    fc.assert(
      fc.property(
        fc.array(reporterArb, { minLength: 1, maxLength: 4 }),
        // Few reporters, few distinct times: many reports of one reporter in the same millisecond.
        fc.array(fc.record({ step: crowdStep, at: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 40 }),
        fc.integer(),
        (rs, items, seed) => {
          const reporters = rs.map((r, i) => ({ ...r, id: `rep-${i}` }));
          const now = START + DAY;
          const all = items.map(({ step, at }) => evidenceOf({ ...step, offsetMs: 0 }, reporters, START + at));
          const shuffled = all.map((e, i) => ({ e, k: Math.imul(i + 1, seed | 1) >>> 0 })).sort((a, b) => a.k - b.k).map((x) => x.e);
          assert.deepEqual(scoreEvidence(shuffled, now), scoreEvidence(all, now));
          assert.deepEqual(scoreEvidence([...all].reverse(), now), scoreEvidence(all, now));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('adding the same report twice changes nothing (a build and a queued report may both hold it)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 40 }), fc.array(reporterArb, { minLength: 1, maxLength: 5 }), (steps, rs) => {
        const reporters = rs.map((r, i) => ({ ...r, id: `rep-${i}` }));
        const once = new CallerTally(undefined, START);
        const twice = new CallerTally(undefined, START);
        let clock = START;
        for (const step of steps) {
          clock += step.advanceMs;
          const e = evidenceOf({ ...step, kind: step.kind === 'feedback' ? 'feedback' : 'report' }, reporters, clock);
          once.add(e, clock);
          twice.add(e, clock);
          twice.add({ ...e }, clock);
        }
        assert.deepEqual(twice.score(clock + DAY), once.score(clock + DAY));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a clock that goes back, so the caller scores in full', () => {
    const tally = new CallerTally(undefined, START);
    tally.add({ source: 'crowd', category: 'fraud', at: START, reporter: 'a', org: 'x' }, START + DAY);
    assert.throws(() => tally.score(START), TallyUnsupported);
  });
});
