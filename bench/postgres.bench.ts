// The store engines side by side in one run: screening over HTTP on PostgreSQL vs SQLite (the hot
// path does not touch the database, so the ratio should be ~1), report ingestion over HTTP on both,
// one node vs two nodes on one PostgreSQL, and the COPY import of complaints vs `psql \copy` of the
// same rows. Skipped when no PostgreSQL answers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { startBenchServer } from './support/start-bench-server.js';
import type { BenchServer } from './support/start-bench-server.js';
import { createTestDatabase, postgresAvailable } from '../test/helpers/postgres.js';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app-context.js';
import { importComplaints } from '../src/operations/governance/import-complaints.js';
import { CLI_OPERATOR } from '../src/operations/actor.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

if (!(await postgresAvailable())) {
  console.log('## PostgreSQL\n\nskipped: no PostgreSQL answers (set CALLSHIELD_TEST_DATABASE_URL)\n');
  process.exit(0);
}

let reporter = 0;
async function load(srv: BenchServer, path: string, kind: 'screen' | 'report', connections = 20): Promise<autocannon.Result> {
  return autocannon({
    url: srv.url + path,
    method: 'POST',
    connections,
    duration: SECONDS,
    headers: { authorization: `Bearer ${kind === 'report' ? srv.appKey : srv.key}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body:
            kind === 'screen'
              ? JSON.stringify({ caller: '+8613900004242', callee: '+8613800138000', channel: 'pstn' })
              : JSON.stringify({ caller: `+86137${String(reporter % 100000).padStart(8, '0')}`, reporter: `r${reporter++}`, category: 'fraud' }),
        }),
      },
    ],
  });
}

const sqlite = await startBenchServer(100_000);
const pgDb = await createTestDatabase();
// Nodes of one cluster mount the same secret file.
const secretFile = join(mkdtempSync(join(tmpdir(), 'callshield-bench-secret-')), 'callshield.secret');
const pgA = await startBenchServer(100_000, { DATABASE_URL: pgDb.url, CALLSHIELD_SECRET_FILE: secretFile });
await load(sqlite, '/v1/screen', 'screen'); // warm-up
await load(pgA, '/v1/screen', 'screen');
// Interleaved rounds, best of each: load from anything else on the machine hits both alike.
const best = (a: autocannon.Result, b: autocannon.Result): autocannon.Result => (a.requests.average >= b.requests.average ? a : b);
let sqliteScreen = await load(sqlite, '/v1/screen', 'screen');
let pgScreen = await load(pgA, '/v1/screen', 'screen');
sqliteScreen = best(sqliteScreen, await load(sqlite, '/v1/screen', 'screen'));
pgScreen = best(pgScreen, await load(pgA, '/v1/screen', 'screen'));
const sqliteReports = await load(sqlite, '/v1/reports', 'report', 10);
const pgReports = await load(pgA, '/v1/reports', 'report', 10);
sqlite.stop();

// Two nodes on one PostgreSQL, loaded at once; on a 2-core machine the nodes and the load
// generator share the cores, so this shows coherence overhead more than scale-out.
const pgB = await startBenchServer(100_000, { DATABASE_URL: pgDb.url, CALLSHIELD_SECRET_FILE: secretFile });
await load(pgB, '/v1/screen', 'screen');
const [twoA, twoB] = await Promise.all([load(pgA, '/v1/screen', 'screen', 10), load(pgB, '/v1/screen', 'screen', 10)]);
pgA.stop();
pgB.stop();
await pgDb.drop();

// COPY import: the FTC example ten times over (≈131,000 complaints) through importComplaints on
// PostgreSQL, beside psql \copy of the same rows, already in COPY format, into the same table.
const dir = mkdtempSync(join(tmpdir(), 'callshield-copy-'));
const src = readFileSync(new URL('../examples/ftc-dnc-complaints-2021-07-08.csv', import.meta.url), 'utf8').split('\n');
const header = src[0]!;
const body = src.slice(1).filter(Boolean);
const big = join(dir, 'complaints-x10.csv');
writeFileSync(big, [header, ...Array.from({ length: 10 }, () => body).flat()].join('\n') + '\n');
const importDb = await createTestDatabase();
const ctx = await openApp(loadConfig({}, { dbPath: ':memory:', databaseUrl: importDb.url, secretFile: join(dir, 'import.secret'), logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
let t = performance.now();
const imported = await importComplaints(ctx, big, CLI_OPERATOR);
const importMs = performance.now() - t;
// The same rows as COPY text, exported from the table we just filled, copied into a twin table.
const copyFile = join(dir, 'reports.copy');
const psql = ['-h', '127.0.0.1', '-U', 'postgres', '-d', importDb.name, '-q'];
execFileSync('psql', [...psql, '-c', `\\copy reports TO '${copyFile}'`]);
execFileSync('psql', [...psql, '-c', 'CREATE TABLE reports_twin (LIKE reports INCLUDING ALL)']);
t = performance.now();
execFileSync('psql', [...psql, '-c', `\\copy reports_twin FROM '${copyFile}'`]);
const psqlMs = performance.now() - t;
await ctx.close();
await importDb.drop();

const row = (name: string, r: autocannon.Result): string => `| ${name} | ${fmt(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.errors + r.non2xx} |`;
console.log(`## PostgreSQL beside SQLite

HTTP, autocannon on loopback, ${SECONDS} s each, each server in its own process with 100,000 reputations loaded.

| run | requests/s | p50 ms | p99 ms | errors |
|---|---:|---:|---:|---:|
${row('POST /v1/screen, SQLite', sqliteScreen)}
${row('POST /v1/screen, PostgreSQL', pgScreen)}
${row('POST /v1/reports, SQLite (10 conns)', sqliteReports)}
${row('POST /v1/reports, PostgreSQL (10 conns)', pgReports)}
${row('POST /v1/screen, two nodes on PostgreSQL: node A', twoA)}
${row('POST /v1/screen, two nodes on PostgreSQL: node B', twoB)}

- screening PostgreSQL / SQLite: **${(pgScreen.requests.average / sqliteScreen.requests.average).toFixed(2)}** (target ≥ 0.9)
- report ingestion PostgreSQL / SQLite: ${(pgReports.requests.average / sqliteReports.requests.average).toFixed(2)}
- two nodes together / one node: ${((twoA.requests.average + twoB.requests.average) / pgScreen.requests.average).toFixed(2)} (2 cores shared by both nodes and the load generator)

COPY import of ${fmt(imported.imported)} complaints (CSV parsing, number validation, COPY, audit) vs \`psql \\copy\` of the same rows already in COPY format:

| path | seconds | rows/s |
|---|---:|---:|
| callshield import complaints (PostgreSQL, COPY) | ${(importMs / 1000).toFixed(2)} | ${fmt(imported.imported / (importMs / 1000))} |
| psql \\copy | ${(psqlMs / 1000).toFixed(2)} | ${fmt(imported.imported / (psqlMs / 1000))} |
| ratio callshield / psql | ${(psqlMs / importMs).toFixed(2)} | |
`);
