import { decayFactor } from './decay.js';
import { buildLabel } from './label.js';
import { ORG_CROWD_CAP, PER_REPORTER_CAP, SCORE_SCALE, SOURCE_WEIGHT, reporterAgeFactor } from './weights.js';
import { CATEGORIES } from './types.js';
import type { Category, Clearance, Evidence, Reason, Reputation } from './types.js';

const DAY = 86_400_000;
// Ties between categories go to the more harmful one.
const SEVERITY: readonly Category[] = ['fraud', 'impersonation', 'robocall', 'harassment', 'spam-ad', 'other'];
const LIST_SOURCES: ReadonlySet<string> = new Set(['police', 'regulator', 'carrier', 'bank', 'platform']);

export const EMPTY_REPUTATION: Reputation = Object.freeze({
  score: 0,
  category: null,
  confidence: 0,
  label: 'No reports',
  reasons: Object.freeze([{ code: 'NO_EVIDENCE', text: 'Nothing is known against this caller' }]),
  reports: 0,
  confirmed: false,
  claimedOrganization: null,
});

export function dayOf(ms: number): number {
  return Math.floor(ms / DAY);
}

/** How a reporter's reports (or "not spam" feedback) on one caller add up. */
interface Tally {
  readonly org: string;
  w: number;
  readonly cats: number[];
}

const LIST_SOURCE_TEXT: Readonly<Record<string, string>> = { police: 'police', regulator: 'a regulator', carrier: 'a carrier', bank: 'a bank', platform: 'a platform' };

/** What the machine evidence and partner lists of one identifier add up to (live evidence only). */
export interface MachineSummary {
  byCategory: number[];
  reasons: Reason[];
  listWeight: number;
  confirmed: boolean;
  machineWeight: number;
  machineNegative: number;
  listByOrg: Map<string, number>;
  listSources: Map<string, number>;
}

/**
 * What the crowd of one identifier adds up to, after the one-per-reporter-per-day rule and the
 * per-reporter cap: per organisation the capped total and its split by category (indexed as
 * CATEGORIES), per organisation the capped "not spam" weight, and the counts the reasons name.
 * Both the full score below and the incremental tally (tally.ts) produce this, then finishScore.
 */
export interface CrowdSummary {
  orgs: Map<string, { total: number; cats: number[] }>;
  negByOrg: Map<string, number>;
  reportDays: number;
  reporters: number;
  negReporters: number;
  /** Claims by lower-cased name: how many report-days, and the spellings used (the name shown is the first in sort order). */
  claimed: Map<string, { n: number; spellings: Map<string, number> }>;
}

export const CATEGORY_INDEX: ReadonlyMap<Category, number> = new Map(CATEGORIES.map((c, i) => [c, i]));

export function isListSource(source: string): boolean {
  return LIST_SOURCES.has(source);
}

/** Is a piece of evidence counted at `now` (not in the future, not expired, not cleared by an appeal)? */
export function isLive(e: Evidence, now: number, clearance?: Clearance): boolean {
  return e.at <= now && (e.expiresAt === undefined || e.expiresAt > now) && !(clearance && e.source === 'crowd' && e.at <= clearance.clearedAt);
}

/** A crowd report's weight: credibility, age of the report, age of the reporter. */
export function crowdWeight(e: Evidence, now: number): number {
  return (e.credibility ?? 1) * decayFactor('crowd', now - e.at) * (e.reporterSince === undefined ? 1 : reporterAgeFactor(now - e.reporterSince));
}

/** Partner lists and machine evidence (live only); an organisation's own listing bounds what its crowd adds. */
export function summariseMachine(machine: readonly Evidence[], now: number): MachineSummary {
  const m: MachineSummary = {
    byCategory: [0, 0, 0, 0, 0, 0],
    reasons: [],
    listWeight: 0,
    confirmed: false,
    machineWeight: 0,
    machineNegative: 0,
    listByOrg: new Map(),
    listSources: new Map(),
  };
  for (const e of machine) {
    const w = (e.weight ?? SOURCE_WEIGHT[e.source]) * decayFactor(e.source, now - e.at) * (e.credibility ?? 1);
    if (e.negative) {
      m.machineNegative += w;
      continue;
    }
    m.byCategory[CATEGORY_INDEX.get(e.category)!]! += w;
    if (LIST_SOURCES.has(e.source)) {
      m.listWeight += w;
      const org = e.org ?? '';
      m.listByOrg.set(org, (m.listByOrg.get(org) ?? 0) + w);
      const isConfirming = (e.source === 'police' || e.source === 'regulator') && (e.category === 'fraud' || e.category === 'impersonation');
      if (isConfirming) m.confirmed = true;
      else m.listSources.set(e.source, (m.listSources.get(e.source) ?? 0) + 1);
    } else {
      m.machineWeight += w;
      if (e.origin) m.reasons.push({ code: e.reason ?? (e.source === 'pattern' ? 'CALL_PATTERN' : 'CALLER_ID_HISTORY'), text: e.origin });
    }
  }
  return m;
}

/** Counts one more (or, with delta -1, one fewer) report-day claiming an organisation. */
export function countClaim(claimed: CrowdSummary['claimed'], spelling: string, delta: number): void {
  const name = spelling.trim();
  const key = name.toLowerCase();
  let c = claimed.get(key);
  if (!c) claimed.set(key, (c = { n: 0, spellings: new Map() }));
  c.n += delta;
  const s = (c.spellings.get(name) ?? 0) + delta;
  if (s > 0) c.spellings.set(name, s);
  else c.spellings.delete(name);
  if (c.n <= 0) claimed.delete(key);
}

/**
 * Each reporter's report-days (the latest report of each reporter and day), weighed by
 * credibility, age of the evidence and age of the reporter, capped per reporter.
 */
function summariseCrowd(days: Iterable<Evidence>, now: number): CrowdSummary {
  const pos = new Map<string, Tally>();
  const neg = new Map<string, Tally>();
  const out: CrowdSummary = { orgs: new Map(), negByOrg: new Map(), reportDays: 0, reporters: 0, negReporters: 0, claimed: new Map() };
  for (const e of days) {
    const w = crowdWeight(e, now);
    const reporter = e.reporter as string;
    const tallies = e.negative ? neg : pos;
    let t = tallies.get(reporter);
    if (!t) tallies.set(reporter, (t = { org: e.org ?? '', w: 0, cats: [0, 0, 0, 0, 0, 0] }));
    t.w += w;
    if (e.negative) continue;
    out.reportDays++;
    t.cats[CATEGORY_INDEX.get(e.category)!]! += w;
    if (e.claimedOrganization) countClaim(out.claimed, e.claimedOrganization, 1);
  }
  for (const t of pos.values()) addReporter(out, t.org, t.w, t.cats);
  for (const t of neg.values()) addNegativeReporter(out, t.org, t.w);
  out.reporters = pos.size;
  out.negReporters = neg.size;
  return out;
}

/** One reporter's reports on the caller (total weight w, split by category): capped, then added to its organisation. */
export function addReporter(out: CrowdSummary, org: string, w: number, cats: readonly number[]): void {
  const capped = Math.min(w, PER_REPORTER_CAP);
  let g = out.orgs.get(org);
  if (!g) out.orgs.set(org, (g = { total: 0, cats: [0, 0, 0, 0, 0, 0] }));
  g.total += capped;
  const rf = w > 0 ? capped / w : 0;
  for (let i = 0; i < 6; i++) g.cats[i]! += cats[i]! * rf;
}

export function addNegativeReporter(out: CrowdSummary, org: string, w: number): void {
  out.negByOrg.set(org, (out.negByOrg.get(org) ?? 0) + Math.min(w, PER_REPORTER_CAP));
}

/**
 * Whether `e` takes `prev`'s place as its reporter's report of the day: the later one, and at the
 * same millisecond the one with the greater tie key. The choice must not depend on the order the
 * evidence comes in: the store reads it in no set order, and CallerTally places a slightly-future
 * report only once it falls due, after reports that came later (fast-check found two reports of one
 * reporter in the same millisecond scored as fraud in full and as robocall incrementally).
 */
export function replacesDaysReport(prev: Evidence, e: Evidence): boolean {
  return prev.at < e.at || (prev.at === e.at && tieKey(e) > tieKey(prev));
}

// Every field a crowd report is scored by (crowdWeight, the caps, the claim), besides its reporter, day and time.
const tieKey = (e: Evidence): string => `${e.category}\u0001${e.claimedOrganization ?? ''}\u0001${e.org ?? ''}\u0001${e.credibility ?? ''}\u0001${e.reporterSince ?? ''}`;

/**
 * Combines every piece of evidence about one identifier into a reputation (docs/scoring.md, which
 * names the attack each rule answers). Crowd reports count once per reporter per day, at most
 * PER_REPORTER_CAP per reporter and ORG_CROWD_CAP per organisation, less for reporters first seen
 * recently; "not spam" feedback counts against crowd and machine evidence but never against a
 * partner listing; partner lists count until they expire (or are lifted, which the store applies);
 * an upheld appeal clears the crowd evidence from before it.
 *
 * This is the full recompute (start-up, the hourly re-score, any change other than a report); new
 * reports update a CallerTally instead, which gives the same result without re-reading every report.
 */
export function scoreEvidence(evidence: readonly Evidence[], now: number, clearance?: Clearance): Reputation {
  const live = evidence.filter((e) => isLive(e, now, clearance));
  if (live.length === 0) return emptyReputation(clearance);

  // One report per reporter per day: keep the latest of each (reporter, day).
  const perReporterDay = new Map<string, Evidence>();
  const machine: Evidence[] = [];
  for (const e of live) {
    if (e.source === 'crowd' && e.reporter) {
      const key = `${e.negative ? '-' : '+'}${e.reporter}|${dayOf(e.at)}`;
      const prev = perReporterDay.get(key);
      if (!prev || replacesDaysReport(prev, e)) perReporterDay.set(key, e);
    } else {
      machine.push(e);
    }
  }
  return finishScore(summariseMachine(machine, now), summariseCrowd(perReporterDay.values(), now), clearance);
}

export function emptyReputation(clearance?: Clearance): Reputation {
  if (!clearance) return EMPTY_REPUTATION;
  return {
    ...EMPTY_REPUTATION,
    reasons: [{ code: 'APPEAL_UPHELD', text: `An appeal was upheld on ${new Date(clearance.clearedAt).toISOString().slice(0, 10)}; earlier reports no longer count` }],
  };
}

/** The organisation caps, the score, the category, the confidence, the label and the reasons. */
export function finishScore(m: MachineSummary, c: CrowdSummary, clearance?: Clearance): Reputation {
  const byCategory = m.byCategory.slice();
  const reasons = m.reasons.slice();
  const { listWeight, machineWeight, confirmed } = m;

  // Cap each organisation's crowd, scaling its category weights down in proportion (one app with
  // many reporters must not decide the category for everyone).
  let crowd = 0;
  let cappedOrgs = 0;
  for (const [org, g] of c.orgs) {
    const own = m.listByOrg.get(org) ?? 0;
    const room = Math.max(ORG_CROWD_CAP, own) - own;
    const counted = Math.min(g.total, room);
    if (counted < g.total - 1e-9) cappedOrgs++;
    crowd += counted;
    const f = g.total > 0 ? counted / g.total : 0;
    for (let i = 0; i < 6; i++) byCategory[i]! += g.cats[i]! * f;
  }
  let negative = m.machineNegative;
  for (const w of c.negByOrg.values()) negative += Math.min(w, ORG_CROWD_CAP);

  // "Not spam" offsets reports and machine evidence; a partner listing stands until it expires or is lifted.
  const positive = crowd + listWeight + machineWeight;
  const total = listWeight + Math.max(0, crowd + machineWeight - negative);
  const score = Math.round(100 * (1 - Math.exp(-total / SCORE_SCALE)));

  let category: Category | null = null;
  let best = 0;
  for (const cat of SEVERITY) {
    const w = byCategory[CATEGORY_INDEX.get(cat)!]!;
    if (w > best + 1e-9) {
      best = w;
      category = cat;
    }
  }
  const agreement = positive > 0 ? best / positive : 0;
  let confidence = (1 - Math.exp(-(positive + negative) / 3)) * agreement;
  if (confirmed) confidence = Math.max(confidence, 0.95);
  confidence = Math.round(confidence * 100) / 100;

  // The most claimed organisation; ties go to the first name in sort order, and it is shown in
  // the first of its spellings in sort order (so the result does not depend on the order rows are read).
  let claimedOrganization: string | null = null;
  let claimedN = 0;
  let claimedKey = '';
  for (const [key, cl] of c.claimed) {
    if (cl.n > claimedN || (cl.n === claimedN && key < claimedKey)) {
      claimedN = cl.n;
      claimedKey = key;
      claimedOrganization = [...cl.spellings.keys()].sort()[0] ?? null;
    }
  }

  // List names stay out of the reasons (everyone sees them); who may see them reads the timeline.
  if (confirmed) reasons.unshift({ code: 'CONFIRMED_LIST', text: 'On a police or regulator confirmed fraud list' });
  for (const [source, n] of m.listSources) {
    reasons.push({ code: 'PARTNER_LIST', text: n === 1 ? `Listed by ${LIST_SOURCE_TEXT[source]}` : `On ${n} ${source} lists` });
  }
  const reporters = c.reporters;
  const reportDays = c.reportDays;
  if (reporters > 0) {
    const top = category && byCategory[CATEGORY_INDEX.get(category)!]! > 0 ? `, mostly ${category}` : '';
    reasons.push({
      code: 'CROWD_REPORTS',
      text: `${reportDays} report${reportDays === 1 ? '' : 's'} from ${reporters} subscriber${reporters === 1 ? '' : 's'}${top}`,
    });
    if (reporters === 1 && listWeight === 0 && machineWeight === 0) {
      reasons.push({ code: 'SINGLE_REPORTER', text: 'Only one subscriber has reported it; one report alone does not flag a caller' });
    }
    if (cappedOrgs > 0) {
      reasons.push({ code: 'CROWD_CAPPED', text: 'Reports through one organisation count at most as six independent reports: one organisation alone can warn, never block' });
    }
  }
  if (claimedOrganization) reasons.push({ code: 'CLAIMED_ORGANIZATION', text: `Callers claimed to be ${claimedOrganization}` });
  if (c.negReporters > 0) reasons.push({ code: 'NOT_SPAM_FEEDBACK', text: `${c.negReporters} subscriber${c.negReporters === 1 ? '' : 's'} marked it as not spam` });
  if (clearance) {
    reasons.push({ code: 'APPEAL_UPHELD', text: `An appeal was upheld on ${new Date(clearance.clearedAt).toISOString().slice(0, 10)}; earlier reports no longer count` });
  }

  if (score === 0) category = null;
  return {
    score,
    category,
    confidence,
    label: buildLabel({ category, confirmed, claimedOrganization, reports: reporters, score }),
    reasons,
    reports: reporters,
    confirmed,
    claimedOrganization,
  };
}

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
