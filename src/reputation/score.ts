import { decayFactor } from './decay.js';
import { buildLabel } from './label.js';
import { PER_REPORTER_CAP, SCORE_SCALE, SOURCE_WEIGHT } from './weights.js';
import { CATEGORIES } from './types.js';
import type { Category, Clearance, Evidence, Reason, Reputation } from './types.js';

const DAY = 86_400_000;
// Ties between categories go to the more harmful one.
const SEVERITY: readonly Category[] = ['fraud', 'impersonation', 'robocall', 'harassment', 'spam-ad', 'other'];
const LIST_SOURCES = new Set(['police', 'regulator', 'carrier', 'bank', 'platform']);

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

/**
 * Combines every piece of evidence about one identifier into a reputation (docs/scoring.md).
 * Crowd reports count once per reporter per day and at most PER_REPORTER_CAP per reporter in all,
 * so one subscriber cannot flag a caller alone; "not spam" feedback counts against them; partner
 * lists count until they expire; everything before an upheld appeal is cleared.
 */
export function scoreEvidence(evidence: readonly Evidence[], now: number, clearance?: Clearance): Reputation {
  const live = evidence.filter(
    (e) => e.at <= now && (e.expiresAt === undefined || e.expiresAt > now) && (!clearance || e.at > clearance.clearedAt),
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
  const perReporter = new Map<string, number>();
  const perReporterCategory = new Map<string, Map<Category, number>>();
  const negPerReporter = new Map<string, number>();
  const reporters = new Set<string>();
  const claimed = new Map<string, { name: string; n: number }>();
  let reports = 0;
  let notSpam = 0;
  for (const e of perReporterDay.values()) {
    const w = (e.credibility ?? 1) * decayFactor('crowd', now - e.at);
    const reporter = e.reporter as string;
    if (e.negative) {
      notSpam++;
      negPerReporter.set(reporter, (negPerReporter.get(reporter) ?? 0) + w);
      continue;
    }
    reports++;
    reporters.add(reporter);
    perReporter.set(reporter, (perReporter.get(reporter) ?? 0) + w);
    let mine = perReporterCategory.get(reporter);
    if (!mine) perReporterCategory.set(reporter, (mine = new Map()));
    mine.set(e.category, (mine.get(e.category) ?? 0) + w);
    if (e.claimedOrganization) {
      const k = e.claimedOrganization.trim().toLowerCase();
      const c = claimed.get(k) ?? { name: e.claimedOrganization.trim(), n: 0 };
      c.n++;
      claimed.set(k, c);
    }
  }

  // Cap each reporter's total, scaling their category weights down in proportion (their own only:
  // one reporter who repeats a report on many days must not decide the category for everyone).
  let crowd = 0;
  for (const [reporter, w] of perReporter) {
    const capped = Math.min(w, PER_REPORTER_CAP);
    crowd += capped;
    const f = w > 0 ? capped / w : 0;
    for (const [c, cw] of perReporterCategory.get(reporter) ?? []) byCategory.set(c, (byCategory.get(c) ?? 0) + cw * f);
  }
  let negative = 0;
  for (const w of negPerReporter.values()) negative += Math.min(w, PER_REPORTER_CAP);

  const reasons: Reason[] = [];
  let listWeight = 0;
  let confirmed = false;
  let machineWeight = 0;
  const listNames = new Map<string, string>();
  for (const e of machine) {
    const w = (e.weight ?? SOURCE_WEIGHT[e.source]) * decayFactor(e.source, now - e.at) * (e.credibility ?? 1);
    if (e.negative) {
      negative += w;
      continue;
    }
    byCategory.set(e.category, (byCategory.get(e.category) ?? 0) + w);
    if (LIST_SOURCES.has(e.source)) {
      listWeight += w;
      if ((e.source === 'police' || e.source === 'regulator') && (e.category === 'fraud' || e.category === 'impersonation')) {
        confirmed = true;
      }
      listNames.set(`${e.source}:${e.origin ?? ''}`, `${e.source}${e.origin ? ` (${e.origin})` : ''}`);
    } else {
      machineWeight += w;
      if (e.origin) reasons.push({ code: e.source === 'pattern' ? 'CALL_PATTERN' : 'CALLER_ID_HISTORY', text: e.origin });
    }
  }

  const positive = crowd + listWeight + machineWeight;
  const total = Math.max(0, positive - negative);
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

  if (confirmed) reasons.unshift({ code: 'CONFIRMED_LIST', text: 'On a police or regulator confirmed fraud list' });
  for (const name of listNames.values()) {
    if (!name.startsWith('police') && !name.startsWith('regulator')) reasons.push({ code: 'PARTNER_LIST', text: `Listed by ${name}` });
  }
  if (reports > 0) {
    const top = category && (byCategory.get(category) ?? 0) > 0 ? `, mostly ${category}` : '';
    reasons.push({
      code: 'CROWD_REPORTS',
      text: `${reports} report${reports === 1 ? '' : 's'} from ${reporters.size} subscriber${reporters.size === 1 ? '' : 's'}${top}`,
    });
    if (reporters.size === 1 && listWeight === 0 && machineWeight === 0) {
      reasons.push({ code: 'SINGLE_REPORTER', text: 'Only one subscriber has reported it; one report alone does not flag a caller' });
    }
  }
  if (claimedOrganization) reasons.push({ code: 'CLAIMED_ORGANIZATION', text: `Callers claimed to be ${claimedOrganization}` });
  if (notSpam > 0) reasons.push({ code: 'NOT_SPAM_FEEDBACK', text: `${notSpam} subscriber${notSpam === 1 ? '' : 's'} marked it as not spam` });
  if (clearance) {
    reasons.push({ code: 'APPEAL_UPHELD', text: `An appeal was upheld on ${new Date(clearance.clearedAt).toISOString().slice(0, 10)}; earlier reports no longer count` });
  }

  if (score === 0) category = null;
  return {
    score,
    category,
    confidence,
    label: buildLabel({ category, confirmed, claimedOrganization, reports, score }),
    reasons,
    reports,
    confirmed,
    claimedOrganization,
  };
}

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
