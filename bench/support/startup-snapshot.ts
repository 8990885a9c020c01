// For bench/startup.bench.ts: fills the hot index of a migrated database with `n` identifiers of
// one report each, scored as the full load would score them, and writes the node's snapshot through
// the service's own writer (same format, change-log position and MAC as `serve` writes). Re-scoring
// 10 M identifiers through `serve` first would take the benchmark the better part of an hour.
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import { scoreEvidence } from '../../src/reputation/index.js';
import { seedNumber } from './startup-numbers.js';

const [dbPath, secretFile, snapshot, nText] = process.argv.slice(2);
const n = Number(nText);
const config = loadConfig({}, { dbPath: dbPath!, secretFile: secretFile!, indexSnapshot: snapshot!, logLevel: 'silent' });
const ctx = await openApp(config, { logger: pino({ level: 'silent' }), skipIndex: true });
const now = Date.now();
const rep = scoreEvidence([{ source: 'crowd', category: 'fraud', at: now - 86_400_000, reporter: 'h1' }], now);
for (let i = 0; i < n; i++) ctx.index.set(seedNumber(i), rep);
const written = await ctx.writeIndexSnapshot();
await ctx.close();
process.stdout.write(`${JSON.stringify(written)}\n`);
