// A callshield server in its own process for the STIR HTTP benchmark: trust anchors from the CA file
// given as argv[2], x5u over loopback http allowed, one carrier key. Prints one JSON line {url, key}
// and serves until killed.
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

const caFile = process.argv[2];
if (!caFile) throw new Error('usage: stir-bench-server.ts CA_FILE');
const dir = mkdtempSync(join(tmpdir(), 'callshield-stir-bench-'));
// The rate limit runs at a rate the load never reaches (bench/support/bench-server.ts).
const config = loadConfig({}, { dbPath: join(dir, 'bench.db'), logLevel: 'silent', stirCaFile: caFile, stirAllowHttpX5u: true, rateLimit: 1_000_000_000, allowPrivateFetch: true });
const ctx = await openApp(config, { logger: pino({ level: 'silent' }) });
const { key } = await createApiKey(ctx, { org: `stir-bench-${process.pid}`, role: 'carrier' }, CLI_OPERATOR);
const { app } = await buildServer(ctx, extraRoutes);
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, key })}\n`);
