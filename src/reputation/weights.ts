import type { EvidenceSource } from './types.js';

const DAY = 86_400_000;

// How much one piece of evidence from each source counts, in "independent crowd reports". Police
// confirmation alone blocks (score 86); a carrier or bank list alone warns; a single subscriber
// can never flag a number (see score.ts).
export const SOURCE_WEIGHT: Readonly<Record<EvidenceSource, number>> = {
  crowd: 1,
  police: 8,
  regulator: 6,
  carrier: 4,
  bank: 4,
  platform: 3,
  pattern: 2,
  attestation: 1,
};

/** Score = 100 · (1 − e^(−W / SCALE)). With SCALE 4: one report 22, two 39, four 63, six 78, eight 86. */
export const SCORE_SCALE = 4;

/** A reporter's reports on one caller together never count for more than this. */
export const PER_REPORTER_CAP = 1;

/**
 * One organisation's crowd evidence on one caller (all its reporters together, and separately all
 * its "not spam" feedback) never counts for more than this: score 78, which warns but never blocks
 * (85). An app that invents fifty reporter references gets no further than six honest ones would.
 * An organisation that also lists the caller gets no more from its crowd than brings the two
 * together to this cap (or to its list's own weight, if that is higher).
 */
export const ORG_CROWD_CAP = 6;

/** Credibility of a reporter with n reports on callers later cleared by an upheld appeal. */
export function reporterCredibility(falseReports: number): number {
  return 1 / (1 + Math.max(0, falseReports));
}

/** What a reporter first seen just now weighs; the weight grows to 1 over REPORTER_MATURE_DAYS. */
export const NEW_REPORTER_WEIGHT = 0.75;
export const REPORTER_MATURE_DAYS = 14;

/**
 * Reporters first seen recently weigh less: 0.75 when first seen today, rising in a straight line
 * to 1 after 14 days. Six fresh subscribers still warn (6 × 0.75 = 4.5, score 68); references
 * invented today weigh a quarter less than subscribers who have been around.
 */
export function reporterAgeFactor(ageMs: number): number {
  if (!(ageMs > 0)) return NEW_REPORTER_WEIGHT;
  return NEW_REPORTER_WEIGHT + (1 - NEW_REPORTER_WEIGHT) * Math.min(1, ageMs / (REPORTER_MATURE_DAYS * DAY));
}
