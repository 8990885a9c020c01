export * from './types.js';
export { scoreEvidence, isCategory, EMPTY_REPUTATION } from './score.js';
export { decayFactor, HALF_LIFE_DAYS } from './decay.js';
export { SOURCE_WEIGHT, SCORE_SCALE, PER_REPORTER_CAP, reporterCredibility } from './weights.js';
export { buildLabel, categoryLabel } from './label.js';
export { ReputationIndex, labelOf, reputationReason } from './hot-index.js';
export type { HotReputation } from './hot-index.js';
