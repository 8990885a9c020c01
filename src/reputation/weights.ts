import type { EvidenceSource } from './types.js';

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

/** Credibility of a reporter with n reports on callers later cleared by an upheld appeal. */
export function reporterCredibility(falseReports: number): number {
  return 1 / (1 + Math.max(0, falseReports));
}
