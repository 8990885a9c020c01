export { hashEntry, verifyChain, GENESIS_HASH } from './chain.js';
export type { AuditEntry, ChainCheck, ChainPosition } from './chain.js';
