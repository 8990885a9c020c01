// The reputation of one caller kept up to date report by report, without re-reading its evidence.
// It gives what scoreEvidence gives for the same evidence at the same time (test/unit/reputation/
// tally.test.ts checks this on random evidence); the full recompute stays the check (app-context's
// re-score compares the two and logs any difference).
//
// Why it can be incremental although evidence decays and every reporter is capped: a crowd report's
// weight is credibility × 2^(−age/half-life) × reporter-age factor. The decay is one exponential for
// every report, so it factors out of any sum (keep Σ 2^((at − epoch)/half-life), multiply by
// 2^(−(now − epoch)/half-life) when scoring). A reporter with a single report-day and credibility
// ≤ 1 never reaches the per-reporter cap, so such reporters add up linearly per organisation; the
// reporter-age factor is linear in time until the reporter is REPORTER_MATURE_DAYS old, so their
// sum is a + b·now, and a heap moves each reporter to the "mature" sum when it comes of age. Only
// reporters with several report-days (or odd weights) are kept apart and weighed one by one, as
// the full score does; they are few (one subscriber seldom reports one caller on many days).
import { HALF_LIFE_DAYS } from './decay.js';
import { NEW_REPORTER_WEIGHT, REPORTER_MATURE_DAYS } from './weights.js';
import { CATEGORY_INDEX, addNegativeReporter, addReporter, countClaim, crowdWeight, dayOf, emptyReputation, finishScore, isLive, replacesDaysReport, summariseMachine } from './score.js';
import type { CrowdSummary } from './score.js';
import type { Clearance, Evidence, Reputation } from './types.js';

const DAY = 86_400_000;
const HALF_LIFE = HALF_LIFE_DAYS.crowd * DAY;
const MATURE = REPORTER_MATURE_DAYS * DAY;
const SLOPE = (1 - NEW_REPORTER_WEIGHT) / MATURE;

interface ReporterState {
  readonly negative: boolean;
  readonly org: string;
  /** Set while the reporter is "simple" (one report-day, weight within the cap): it is in its organisation's sums. */
  entry: Evidence | undefined;
  /** Set once it has several report-days (or cannot be summed): weighed one by one. */
  days: Map<number, Evidence> | undefined;
  day: number;
  young: boolean;
  /** Bumped whenever the sums entry changes, so a stale heap entry is skipped. */
  gen: number;
  cx: number;
  alpha: number;
  cat: number;
}

/** One organisation's simple reporters of one polarity: [total, per category…] for mature (m) and young (a + b·t) reporters. */
interface Sums {
  n: number;
  readonly m: Float64Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
}

interface Coming {
  t: number;
  st: ReporterState;
  gen: number;
}

/** Thrown when the tally cannot follow (the clock went back, or evidence it does not model): score in full instead. */
export class TallyUnsupported extends Error {}

export class CallerTally {
  private readonly machine: Evidence[] = [];
  private readonly pending: Evidence[] = [];
  private readonly reporters = new Map<string, ReporterState>();
  private readonly complex = new Set<ReporterState>();
  private readonly pos = new Map<string, Sums>();
  private readonly neg = new Map<string, Sums>();
  private readonly claimed: CrowdSummary['claimed'] = new Map();
  private readonly heap: Coming[] = [];
  private reportDays = 0;
  private posReporters = 0;
  private lastNow: number;

  constructor(
    private readonly clearance: Clearance | undefined,
    private readonly epoch: number,
  ) {
    this.lastNow = epoch;
  }

  /** How many reporters and other pieces of evidence it holds (for the cache's memory bound). */
  get size(): number {
    return this.reporters.size + this.machine.length + this.pending.length;
  }

  /**
   * Adds one piece of evidence known at `now` (not before the last call's `now`). Adding the same
   * report or feedback twice changes nothing (the latest of a reporter's day counts, once).
   */
  add(e: Evidence, now: number): void {
    this.advance(now);
    if (!(e.source === 'crowd' && e.reporter)) {
      this.machine.push(e);
      return;
    }
    if (e.expiresAt !== undefined) throw new TallyUnsupported('crowd evidence with an expiry');
    if (this.clearance && e.at <= this.clearance.clearedAt) return;
    if (e.at > now) this.pending.push(e);
    else this.place(e, now);
  }

  /** The reputation at `now`, as scoreEvidence would compute it from all the evidence added. */
  score(now: number): Reputation {
    this.advance(now);
    if (this.pending.length) {
      const due = this.pending.filter((e) => e.at <= now);
      if (due.length) {
        this.pending.splice(0, this.pending.length, ...this.pending.filter((e) => e.at > now));
        for (const e of due) this.place(e, now);
      }
    }
    this.comeOfAge(now);
    const machine = this.machine.filter((e) => isLive(e, now, this.clearance));
    if (machine.length === 0 && this.reporters.size === 0) return emptyReputation(this.clearance);

    const decay = Math.pow(2, -(now - this.epoch) / HALF_LIFE);
    const slope = SLOPE * (now - this.epoch);
    const crowd: CrowdSummary = { orgs: new Map(), negByOrg: new Map(), reportDays: this.reportDays, reporters: this.posReporters, negReporters: this.reporters.size - this.posReporters, claimed: this.claimed };
    for (const [org, s] of this.pos) {
      if (s.n === 0) continue;
      const cats = [0, 0, 0, 0, 0, 0];
      for (let i = 0; i < 6; i++) cats[i] = decay * (s.m[i + 1]! + s.a[i + 1]! + s.b[i + 1]! * slope);
      crowd.orgs.set(org, { total: decay * (s.m[0]! + s.a[0]! + s.b[0]! * slope), cats });
    }
    for (const [org, s] of this.neg) {
      if (s.n > 0) crowd.negByOrg.set(org, decay * (s.m[0]! + s.a[0]! + s.b[0]! * slope));
    }
    for (const st of this.complex) {
      let w = 0;
      const cats = [0, 0, 0, 0, 0, 0];
      for (const e of st.days!.values()) {
        const ew = crowdWeight(e, now);
        w += ew;
        cats[CATEGORY_INDEX.get(e.category)!]! += ew;
      }
      if (st.negative) addNegativeReporter(crowd, st.org, w);
      else addReporter(crowd, st.org, w, cats);
    }
    return finishScore(summariseMachine(machine, now), crowd, this.clearance);
  }

  private advance(now: number): void {
    if (now < this.lastNow) throw new TallyUnsupported('the clock went back');
    this.lastNow = now;
  }

  /** One live crowd report or feedback: the latest of each reporter and day counts. */
  private place(e: Evidence, now: number): void {
    const negative = e.negative === true;
    const key = `${negative ? '-' : '+'}${e.reporter}`;
    const day = dayOf(e.at);
    let st = this.reporters.get(key);
    if (!st) {
      st = { negative, org: e.org ?? '', entry: undefined, days: undefined, day, young: false, gen: 0, cx: 0, alpha: 0, cat: 0 };
      this.reporters.set(key, st);
      if (!negative) this.posReporters++;
      this.countDay(st, e, 1);
      this.setEntry(st, e, day, now);
      return;
    }
    if (st.entry) {
      if (st.day === day) {
        if (!replacesDaysReport(st.entry, e)) return;
        this.countDay(st, st.entry, -1);
        this.removeEntry(st);
        this.countDay(st, e, 1);
        this.setEntry(st, e, day, now);
        return;
      }
      const first = st.entry;
      this.removeEntry(st);
      st.days = new Map([[st.day, first]]);
      this.complex.add(st);
    }
    const prev = st.days!.get(day);
    if (prev && !replacesDaysReport(prev, e)) return;
    if (prev) this.countDay(st, prev, -1);
    this.countDay(st, e, 1);
    st.days!.set(day, e);
  }

  private countDay(st: ReporterState, e: Evidence, delta: number): void {
    if (st.negative) return;
    this.reportDays += delta;
    if (e.claimedOrganization) countClaim(this.claimed, e.claimedOrganization, delta);
  }

  private setEntry(st: ReporterState, e: Evidence, day: number, now: number): void {
    const credibility = e.credibility ?? 1;
    if (!(credibility >= 0 && credibility <= 1) || (e.reporterSince !== undefined && e.reporterSince > now)) {
      st.days = new Map([[day, e]]);
      this.complex.add(st);
      return;
    }
    st.entry = e;
    st.day = day;
    st.cx = credibility * Math.pow(2, (e.at - this.epoch) / HALF_LIFE);
    st.cat = CATEGORY_INDEX.get(e.category)! + 1;
    st.young = e.reporterSince !== undefined && now - e.reporterSince < MATURE;
    st.alpha = st.young ? NEW_REPORTER_WEIGHT + SLOPE * (this.epoch - e.reporterSince!) : 1;
    st.gen++;
    this.apply(st, 1);
    if (st.young) this.push({ t: e.reporterSince! + MATURE, st, gen: st.gen });
  }

  private removeEntry(st: ReporterState): void {
    this.apply(st, -1);
    st.entry = undefined;
    st.gen++;
  }

  private apply(st: ReporterState, sign: 1 | -1): void {
    const book = st.negative ? this.neg : this.pos;
    let s = book.get(st.org);
    if (!s) book.set(st.org, (s = { n: 0, m: new Float64Array(7), a: new Float64Array(7), b: new Float64Array(7) }));
    s.n += sign;
    if (s.n === 0) {
      // Nothing left: start again from zero rather than from rounding residue.
      s.m.fill(0);
      s.a.fill(0);
      s.b.fill(0);
      return;
    }
    const v = sign * st.cx;
    if (st.young) {
      s.a[0]! += v * st.alpha;
      s.a[st.cat]! += v * st.alpha;
      s.b[0]! += v;
      s.b[st.cat]! += v;
    } else {
      s.m[0]! += v;
      s.m[st.cat]! += v;
    }
  }

  /** Reporters that have become REPORTER_MATURE_DAYS old move from the young sums to the mature ones. */
  private comeOfAge(now: number): void {
    while (this.heap.length && this.heap[0]!.t <= now) {
      const c = this.pop();
      if (c.gen !== c.st.gen || !c.st.entry || !c.st.young) continue;
      this.apply(c.st, -1);
      c.st.young = false;
      this.apply(c.st, 1);
    }
  }

  private push(c: Coming): void {
    const h = this.heap;
    h.push(c);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.t <= h[i]!.t) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): Coming {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.t < h[m]!.t) m = l;
        if (r < h.length && h[r]!.t < h[m]!.t) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}
