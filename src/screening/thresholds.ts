export interface Thresholds {
  readonly label: number;
  readonly warn: number;
  readonly block: number;
}

// Above `label` a phone shows the label; above `warn` it shows a warning screen before the user can
// answer; above `block` the call is rejected. The default label threshold (30) sits above what one
// subscriber's reports can reach (22), so one person cannot flag a caller alone; six fresh fraud
// reports (68 from reporters first seen today, 78 from known ones) warn; one organisation's crowd
// alone stops at 78, below `block` (docs/scoring.md).
export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({ label: 30, warn: 60, block: 85 });

// Guardian mode is for elderly or vulnerable subscribers, who are the scammers' first targets and
// the least likely to hang up on a confident "bank officer": every step comes twice as early.
export const GUARDIAN_THRESHOLDS: Thresholds = Object.freeze({ label: 15, warn: 30, block: 60 });

// Caller-ID authentication outcomes, in score points added to the caller's reputation score.
export const ATTESTATION_C_PENALTY = 5;
export const VERIFICATION_FAILED_PENALTY = 25;
