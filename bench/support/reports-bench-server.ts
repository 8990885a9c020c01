// A callshield server in its own process for the hot-caller report benchmark: one caller already
// has N reports (from N distinct subscribers of one app, spread over the last 30 days) and a pool
// of subscribers the load reports from; all of them first seen 60 days ago (known subscribers, not
// a burst of new ones). Prints one JSON line {url, appKey} and serves until killed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import { buildServer } from '../../src/api/server.js';
import { extraRoutes } from '../../src/api/extra-routes.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { insertReports } from '../../src/store/reputation/reports.js';
import { reputationAfterReport } from '../../src/operations/reputation/tally.js';
import { startChangeFeed } from '../../src/change-feed.js';
import { printPgTrace, resetPgTrace, tracePg } from './trace-pg.js';

export const HOT_CALLER = '+8613700001234';
const existing = Number(process.argv[2] ?? 0);
const pool = Number(process.argv[3] ?? 200_000);
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'callshield-bench-'));
const config = loadConfig({}, {
  dbPath: join(dir, 'bench.db'),
  logLevel: 'silent',
  rateLimit: 1_000_000_000,
  ...(process.env.BENCH_SQLITE_SYNC === 'full' ? { sqliteSync: 'full' as const } : {}),
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, secretFile: join(dir, 'callshield.secret') } : {}),
});
// BENCH_PG_TRACE=1: every PostgreSQL statement counted and timed (trace-pg.ts), printed when stopped.
if (process.env.BENCH_PG_TRACE) tracePg();
const ctx = await openApp(config, { logger: pino({ level: 'silent' }) });
const { key: appKey, org } = await createApiKey(ctx, { org: `bench-app-${process.pid}`, role: 'app' }, CLI_OPERATOR);
const now = Date.now();
const seen = new Date(now - 60 * DAY).toISOString();
const hashes = Array.from({ length: existing + pool }, (_, i) => ctx.hash(`${org.id}:s${i}`));
for (let i = 0; i < hashes.length; i += 5000) {
  await ctx.db.insertInto('reporters').values(hashes.slice(i, i + 5000).map((h) => ({ org_id: org.id, reporter_hash: h, first_seen_at: seen }))).execute();
}
const cats = ['fraud', 'fraud', 'impersonation', 'robocall'];
const rows = Array.from({ length: existing }, (_, i) => {
  const at = new Date(now - 30 * DAY + Math.floor((i / Math.max(1, existing)) * 30 * DAY)).toISOString();
  return { id: randomUUID(), caller: HOT_CALLER, caller_kind: 'e164', reporter_hash: hashes[pool + i]!, org_id: org.id, category: cats[i % 4]!, comment: null, channel: 'pstn', claimed_org: i % 3 === 0 ? 'Bank of China' : null, occurred_at: at, created_at: at, import_source: null, burst_id: null };
});
await ctx.db.transaction().execute(async (trx) => insertReports(trx, rows));
await ctx.refreshReputation([HOT_CALLER], { publish: false });
// The caller's tally is built here, as the first report after a start would build it: the load
// measures ingestion in the steady state, not this one read of the caller's whole evidence.
await reputationAfterReport(ctx, HOT_CALLER, null);
const { app } = await buildServer(ctx, extraRoutes);
// As `serve` does: the change feed (LISTEN on PostgreSQL, and the poll) runs beside the API, so the
// writes' NOTIFYs and the passes they wake are in the measurement.
if (!process.env.BENCH_NO_FEED) startChangeFeed(ctx);
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, appKey })}\n`);
let served = 0;
app.server.on('request', () => void served++);
if (process.env.BENCH_PG_TRACE) {
  process.on('SIGUSR2', () => {
    resetPgTrace();
    served = 0;
  });
  process.on('SIGTERM', () => printPgTrace(served));
}
// BENCH_PROFILE=file: a CPU profile of the serving only (not the set-up), written when stopped.
if (process.env.BENCH_PROFILE) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  // SIGUSR2: start again, dropping what was profiled so far (e.g. after a warm-up).
  process.on('SIGUSR2', () => void session.post('Profiler.stop').then(() => session.post('Profiler.start')));
  process.on('SIGTERM', () => {
    void session.post('Profiler.stop').then(({ profile }) => {
      writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
      process.exit(0);
    });
  });
} else {
  // BENCH_CPU=1: the CPU time spent serving, printed when stopped.
  const c0 = process.cpuUsage();
  process.on('SIGTERM', () => {
    const c = process.cpuUsage(c0);
    if (process.env.BENCH_CPU) process.stderr.write(`server CPU ms while serving: ${((c.user + c.system) / 1000).toFixed(0)}\n`);
    process.exit(0);
  });
}
