export * from './types.js';
export { screenCall } from './decide.js';
export { compilePolicy, serialisePolicy, deserialisePolicy, describePolicy, MAX_CONTACTS } from './compile-policy.js';
export { PolicyBook } from './policy-book.js';
export { DEFAULT_THRESHOLDS, GUARDIAN_THRESHOLDS } from './thresholds.js';
export { adviceFor } from './advice.js';
export { checkClaim } from './check-claim.js';
export type { ClaimCheck } from './check-claim.js';
