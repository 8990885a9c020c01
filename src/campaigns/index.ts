export * from './honeypot.js';
export * from './minhash.js';
export * from './group.js';
export * from './lsh.js';
export * from './lsh-group.js';
export * from './stream-traces.js';
export * from './script-links.js';
export * from './union-find.js';
