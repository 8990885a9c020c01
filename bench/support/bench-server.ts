// A callshield server in its own process for HTTP benchmarks (so the load generator does not share
// its event loop). With DATABASE_URL it runs on PostgreSQL. Loads N synthetic reputations, adds a bare route of the same framework as the
// baseline, prints one JSON line {url, key} and serves until killed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import { buildServer } from '../../src/api/server.js';
import { extraRoutes } from '../../src/api/extra-routes.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { scoreEvidence } from '../../src/reputation/index.js';

const n = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'callshield-bench-'));
// The rate limit runs (its cost is part of what is measured) but at a rate the load never reaches,
// unless CALLSHIELD_RATE_LIMIT says otherwise; CALLSHIELD_REDIS_URL counts in Redis.
const config = loadConfig({}, {
  dbPath: process.env.BENCH_DB ?? join(dir, 'bench.db'),
  logLevel: 'silent',
  rateLimit: Number(process.env.CALLSHIELD_RATE_LIMIT ?? 1_000_000_000),
  // CALLSHIELD_SCREEN_FAST_PATH=0: POST /v1/screen through fastify's pipeline only (the comparison in BENCHMARKS.md).
  screenFastPath: process.env.CALLSHIELD_SCREEN_FAST_PATH !== '0',
  ...(process.env.CALLSHIELD_REDIS_URL ? { redisUrl: process.env.CALLSHIELD_REDIS_URL } : {}),
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, secretFile: process.env.CALLSHIELD_SECRET_FILE ?? join(dir, 'callshield.secret') } : {}),
});
const ctx = await openApp(config, { logger: pino({ level: 'silent' }) });
const now = Date.now();
const rep = scoreEvidence(
  Array.from({ length: 5 }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - 1000, reporter: `r${i}` })),
  now,
);
for (let i = 0; i < n; i++) ctx.index.set(`+86139${String(i).padStart(8, '0')}`, rep);
// The caller the HTTP benchmarks screen: 42 reports from 42 subscribers over a fortnight (issue 17).
ctx.index.set(
  '+8613900004242',
  scoreEvidence(Array.from({ length: 42 }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - (i % 14) * 86_400_000 - 1000, reporter: `s${i}` })), now),
);
const { key } = await createApiKey(ctx, { org: `bench-${process.pid}`, role: 'carrier' }, CLI_OPERATOR);
const { key: appKey } = await createApiKey(ctx, { org: `bench-app-${process.pid}`, role: 'app' }, CLI_OPERATOR);
const extra = [
  ...extraRoutes,
  // The baseline: a route of the same framework, behind the same auth, with the same body size,
  // that does no work.
  async (app: import('fastify').FastifyInstance) => {
    app.post('/v1/bare', { config: { permission: 'screen' } }, async () => ({ ok: true }));
  },
];
const { app } = await buildServer(ctx, extra);
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, key, appKey })}\n`);
// Exit normally on SIGINT so that --cpu-prof (bench/support/profile-http.ts) writes its profile.
process.once('SIGINT', () => process.exit(0));
