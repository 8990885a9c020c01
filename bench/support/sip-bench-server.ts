// Two SIP servers in one process for bench/sip.bench.ts: callshield's screening server (the real
// decision: Identity verification, the hot index, policies, attestation history) and, on the same
// stack (same SipHandler, parser, transaction cache and sockets), a responder that answers 302
// without screening. argv[2] is the STI-CA file; argv[3] the caller with many reports. Prints one
// JSON line {screenPort, barePort} and serves until killed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import { buildServer } from '../../src/api/server.js';
import { extraRoutes } from '../../src/api/extra-routes.js';
import { scoreEvidence } from '../../src/reputation/index.js';
import { startSipServer } from '../../src/sip/server.js';
import type { SipAnswer } from '../../src/sip/screen-invite.js';

const [caFile, heavyCaller] = process.argv.slice(2);
if (!caFile || !heavyCaller) throw new Error('usage: sip-bench-server.ts CA_FILE CALLER');
const dir = mkdtempSync(join(tmpdir(), 'callshield-sip-bench-'));
const config = loadConfig(process.env.CALLSHIELD_STIR_VERIFY ? { CALLSHIELD_STIR_VERIFY: process.env.CALLSHIELD_STIR_VERIFY } : {}, { dbPath: join(dir, 'bench.db'), logLevel: 'silent', stirCaFile: caFile, stirAllowHttpX5u: true, rateLimit: 1_000_000_000, allowPrivateFetch: true });
const ctx = await openApp(config, { logger: pino({ level: 'silent' }) });
const now = Date.now();
// A realistic index: 100,000 reported numbers, and the benchmark's caller with 2,000 reports from
// 400 reporters over 30 days (the worst case: many reasons, a label, a category).
const rep = scoreEvidence(Array.from({ length: 5 }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - 1000, reporter: `r${i}` })), now);
for (let i = 0; i < 100_000; i++) ctx.index.set(`+1202${String(i).padStart(7, '0')}`, rep);
const categories = ['fraud', 'spam-ad', 'harassment', 'robocall'] as const;
ctx.index.set(
  heavyCaller,
  scoreEvidence(
    Array.from({ length: 2000 }, (_, i) => ({ source: 'crowd' as const, category: categories[i % 4]!, at: now - (i % 30) * 86_400_000 - 1000, reporter: `reporter-${i % 400}` })),
    now,
  ),
);
// The HTTP server loads the STIR runtime (trust anchors, attestation history) and the registries.
const { app } = await buildServer(ctx, extraRoutes);
await app.listen({ port: 0, host: '127.0.0.1' });
const actor = { orgId: 'sip-bench', orgName: 'SIP bench carrier', role: 'carrier' as const, person: 'sip' };
const common = { host: '127.0.0.1', port: 0, actor, redressUrl: 'https://redress.example.org/appeals' };
const screening = await startSipServer(ctx, common);
const bare = await startSipServer(ctx, {
  ...common,
  decide: async (_ctx, req): Promise<SipAnswer> => ({ status: 302, reason: 'Moved Temporarily', headers: [['Contact', `<${req.uri}>`]] }),
});
process.stdout.write(`${JSON.stringify({ screenPort: screening.port, barePort: bare.port })}\n`);
// Exit normally on SIGINT so that --cpu-prof (BENCH_CPU_PROF=dir) writes its profile.
process.once('SIGINT', () => process.exit(0));
