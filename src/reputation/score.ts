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

function dayOf(ms: number): number {
  return Math.floor(ms / DAY);
}

/** How a reporter's reports (or "not spam" feedback) on one caller add up. */
interface Tally {
  readonly org: string;
  w: number;
  readonly cats: Map<Category, number>;
}

const LIST_SOURCE_TEXT: Readonly<Record<string, string>> = { police: 'police', regulator: 'a regulator', carrier: 'a carrier', bank: 'a bank', platform: 'a platform' };

/**
 * Combines every piece of evidence about one identifier into a reputation (docs/scoring.md, which
 * names the attack each rule answers). Crowd reports count once per reporter per day, at most
 * PER_REPORTER_CAP per reporter and ORG_CROWD_CAP per organisation, less for reporters first seen
 * recently; "not spam" feedback counts against crowd and machine evidence but never against a
 * partner listing; partner lists count until they expire (or are lifted, which the store applies);
 * an upheld appeal clears the crowd evidence from before it.
 */
export function scoreEvidence(evidence: readonly Evidence[], now: number, clearance?: Clearance): Reputation {
  const live = evidence.filter(
    (e) => e.at <= now && (e.expiresAt === undefined || e.expiresAt > now) && !(clearance && e.source === 'crowd' && e.at <= clearance.clearedAt),
  );
  if (live.length === 0) {
    if (!clearance) return EMPTY_REPUTATION;
    return {
      ...EMPTY_REPUTATION,
      reasons: [{ code: 'APPEAL_UPHELD', text: `An appeal was upheld on ${new Date(clearance.clearedAt).toISOString().slice(0, 10)}; earlier reports no longer count` }],
    };
  }

  // One report per reporter per day: keep the latest of each (reporter, day).
  const perReporterDay = new Map<string, Evidence>();
  const machine: Evidence[] = [];
  for (const e of live) {
    if (e.source === 'crowd' && e.reporter) {
      const key = `${e.negative ? '-' : '+'}${e.reporter}|${dayOf(e.at)}`;
      const prev = perReporterDay.get(key);
      if (!prev || prev.at < e.at) perReporterDay.set(key, e);
    } else {
      machine.push(e);
    }
  }

  const byCategory = new Map<Category, number>();
  const add = (c: Category, w: number): void => void byCategory.set(c, (byCategory.get(c) ?? 0) + w);

  // Partner lists and machine evidence first: an organisation's own listing bounds what its crowd adds.
  const reasons: Reason[] = [];
  let listWeight = 0;
  let confirmed = false;
  let machineWeight = 0;
  let machineNegative = 0;
  const listByOrg = new Map<string, number>();
  const listSources = new Map<string, number>();
  for (const e of machine) {
    const w = (e.weight ?? SOURCE_WEIGHT[e.source]) * decayFactor(e.source, now - e.at) * (e.credibility ?? 1);
    if (e.negative) {
      machineNegative += w;
      continue;
    }
    add(e.category, w);
    if (LIST_SOURCES.has(e.source)) {
      listWeight += w;
      const org = e.org ?? '';
      listByOrg.set(org, (listByOrg.get(org) ?? 0) + w);
      const isConfirming = (e.source === 'police' || e.source === 'regulator') && (e.category === 'fraud' || e.category === 'impersonation');
      if (isConfirming) confirmed = true;
      else listSources.set(e.source, (listSources.get(e.source) ?? 0) + 1);
    } else {
      machineWeight += w;
      if (e.origin) reasons.push({ code: e.source === 'pattern' ? 'CALL_PATTERN' : 'CALLER_ID_HISTORY', text: e.origin });
    }
  }

  // Each reporter's reports and feedback, weighed by credibility, age of the evidence and age of the reporter.
  const pos = new Map<string, Tally>();
  const neg = new Map<string, Tally>();
  const claimed = new Map<string, { name: string; n: number }>();
  let reportDays = 0;
  for (const e of perReporterDay.values()) {
    const w = (e.credibility ?? 1) * decayFactor('crowd', now - e.at) * (e.reporterSince === undefined ? 1 : reporterAgeFactor(now - e.reporterSince));
    const reporter = e.reporter as string;
    const tallies = e.negative ? neg : pos;
    let t = tallies.get(reporter);
    if (!t) tallies.set(reporter, (t = { org: e.org ?? '', w: 0, cats: new Map() }));
    t.w += w;
    if (e.negative) continue;
    reportDays++;
    t.cats.set(e.category, (t.cats.get(e.category) ?? 0) + w);
    if (e.claimedOrganization) {
      const k = e.claimedOrganization.trim().toLowerCase();
      const c = claimed.get(k) ?? { name: e.claimedOrganization.trim(), n: 0 };
      c.n++;
      claimed.set(k, c);
    }
  }

  // Cap each reporter's total, then each organisation's, scaling the category weights down in
  // proportion (one reporter who repeats a report on many days, or one app with many reporters,
  // must not decide the category for everyone).
  const crowdByOrg = new Map<string, { total: number; members: [Tally, number][] }>();
  for (const t of pos.values()) {
    const capped = Math.min(t.w, PER_REPORTER_CAP);
    let g = crowdByOrg.get(t.org);
    if (!g) crowdByOrg.set(t.org, (g = { total: 0, members: [] }));
    g.total += capped;
    g.members.push([t, capped]);
  }
  let crowd = 0;
  let cappedOrgs = 0;
  for (const [org, g] of crowdByOrg) {
    const own = listByOrg.get(org) ?? 0;
    const room = Math.max(ORG_CROWD_CAP, own) - own;
    const counted = Math.min(g.total, room);
    if (counted < g.total - 1e-9) cappedOrgs++;
    crowd += counted;
    const f = g.total > 0 ? counted / g.total : 0;
    for (const [t, capped] of g.members) {
      const rf = t.w > 0 ? (capped / t.w) * f : 0;
      for (const [c, cw] of t.cats) add(c, cw * rf);
    }
  }
  const negByOrg = new Map<string, number>();
  for (const t of neg.values()) negByOrg.set(t.org, (negByOrg.get(t.org) ?? 0) + Math.min(t.w, PER_REPORTER_CAP));
  let negative = machineNegative;
  for (const w of negByOrg.values()) negative += Math.min(w, ORG_CROWD_CAP);

  // "Not spam" offsets reports and machine evidence; a partner listing stands until it expires or is lifted.
  const positive = crowd + listWeight + machineWeight;
  const total = listWeight + Math.max(0, crowd + machineWeight - negative);
  const score = Math.round(100 * (1 - Math.exp(-total / SCORE_SCALE)));

  let category: Category | null = null;
  let best = 0;
  for (const c of SEVERITY) {
    const w = byCategory.get(c) ?? 0;
    if (w > best + 1e-9) {
      best = w;
      category = c;
    }
  }
  const agreement = positive > 0 ? best / positive : 0;
  let confidence = (1 - Math.exp(-(positive + negative) / 3)) * agreement;
  if (confirmed) confidence = Math.max(confidence, 0.95);
  confidence = Math.round(confidence * 100) / 100;

  let claimedOrganization: string | null = null;
  let claimedN = 0;
  for (const c of claimed.values()) {
    if (c.n > claimedN) {
      claimedN = c.n;
      claimedOrganization = c.name;
    }
  }

  // List names stay out of the reasons (everyone sees them); who may see them reads the timeline.
  if (confirmed) reasons.unshift({ code: 'CONFIRMED_LIST', text: 'On a police or regulator confirmed fraud list' });
  for (const [source, n] of listSources) {
    reasons.push({ code: 'PARTNER_LIST', text: n === 1 ? `Listed by ${LIST_SOURCE_TEXT[source]}` : `On ${n} ${source} lists` });
  }
  const reporters = pos.size;
  if (reporters > 0) {
    const top = category && (byCategory.get(category) ?? 0) > 0 ? `, mostly ${category}` : '';
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
  if (neg.size > 0) reasons.push({ code: 'NOT_SPAM_FEEDBACK', text: `${neg.size} subscriber${neg.size === 1 ? '' : 's'} marked it as not spam` });
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
