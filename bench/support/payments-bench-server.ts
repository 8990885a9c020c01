// A callshield server in its own process for the payments benchmark: a bank key, enrolled payers
// with a payment history, flagged accounts, risky-call marks for some payers, and a bare route of
// the same framework behind the same auth as the baseline. Prints one JSON line {url, key}.
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
import { enrolPayer, checkTransfer } from '../../src/operations/payments/transfers.js';
import { addFlag } from '../../src/operations/payments/flags.js';

const payers = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'callshield-bench-pay-'));
// The rate limit runs at a rate the load never reaches (bench/support/bench-server.ts).
const config = loadConfig({}, { dbPath: process.env.BENCH_DB ?? join(dir, 'bench.db'), logLevel: 'silent', rateLimit: 1_000_000_000, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, secretFile: process.env.CALLSHIELD_SECRET_FILE ?? join(dir, 'callshield.secret') } : {}) });
const ctx = await openApp(config, { logger: pino({ level: 'silent' }) });
const bank = await createApiKey(ctx, { org: `bench-bank-${process.pid}`, role: 'bank', person: 'bench-teller-1' }, CLI_OPERATOR);
const police = await createApiKey(ctx, { org: `bench-police-${process.pid}`, role: 'police', person: 'bench-officer-1' }, CLI_OPERATOR);
const bankActor = { orgId: bank.org.id, orgName: bank.org.name, role: 'bank' as const, keyId: bank.keyId, person: bank.person };
const policeActor = { orgId: police.org.id, orgName: police.org.name, role: 'police' as const, keyId: police.keyId, person: police.person };
for (let i = 0; i < 200; i++) await addFlag(ctx, { account: `alipay:mule-${i}`, evidence: 'bench mule account' }, policeActor);
for (let i = 0; i < payers; i++) {
  const subscriber = `+86139${String(i).padStart(8, '0')}`;
  await enrolPayer(ctx, { payer: `cust-${i}`, subscriber }, bankActor);
  if (i % 10 === 0) ctx.riskyCalls.set(ctx.hash(subscriber), { callId: `c${i}`, caller: 'x@icloud.com', stage: 'impersonation', stages: ['impersonation'], risk: 0.6, at: Date.now(), screenSharing: false, active: true });
}
// A history for the payer the load uses, so its payment is "usual".
for (const amount of [200, 210, 190, 205]) await checkTransfer(ctx, { payer: 'cust-1', payeeAccount: '4111111111111111', amount, currency: 'CNY', channel: 'mobile' }, bankActor);
const extra = [
  ...extraRoutes,
  async (app: import('fastify').FastifyInstance) => {
    app.post('/v1/bare', { config: { permission: 'transfers.check' } }, async () => ({ ok: true }));
  },
];
const { app } = await buildServer(ctx, extra);
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, key: bank.key })}\n`);
// SIGINT ends the process normally, so that --cpu-prof writes its profile.
process.on('SIGINT', () => process.exit(0));
