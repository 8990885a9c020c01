export * from './types.js';
export { scoreEvidence, isCategory, EMPTY_REPUTATION } from './score.js';
export { decayFactor, HALF_LIFE_DAYS } from './decay.js';
export { SOURCE_WEIGHT, SCORE_SCALE, PER_REPORTER_CAP, ORG_CROWD_CAP, NEW_REPORTER_WEIGHT, REPORTER_MATURE_DAYS, reporterCredibility, reporterAgeFactor } from './weights.js';
export { BURST_AT, BURST_NEW_REPORTER_MS, BURST_WINDOW_MS, isNewReporter, startsBurst } from './burst.js';
export { buildLabel, categoryLabel } from './label.js';
export { ReputationIndex, labelOf, reputationReason } from './hot-index.js';
export type { HotReputation } from './hot-index.js';
export { CallerTally, TallyUnsupported } from './tally.js';
