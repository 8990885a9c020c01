export * from './honeypot.js';
export * from './minhash.js';
