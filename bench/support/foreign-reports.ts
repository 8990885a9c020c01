// Two nodes on one store, one caller with N reports: node A takes reports for the caller (batches of
// 10), node B applies each batch from the change log. Prints node B's milliseconds per batch applied
// (median and mean over the batches). Measures what issue 17's "flat as its evidence grows" means
// behind a load balancer: the node that did not write the reports.
//   node --import tsx bench/support/foreign-reports.ts 100000 [batches]     (DATABASE_URL=... for PostgreSQL)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { fileReport } from '../../src/operations/reputation/reports.js';
import { insertReports } from '../../src/store/reputation/reports.js';

const existing = Number(process.argv[2] ?? 100_000);
const batches = Number(process.argv[3] ?? 30);
const CALLER = '+8613700001234';
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'callshield-foreign-bench-'));
const store = process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, secretFile: join(dir, 'callshield.secret') } : { dbPath: join(dir, 'bench.db') };
const open = () => openApp(loadConfig({}, { ...store, logLevel: 'silent' }), { logger: pino({ level: 'silent' }) });
const a = await open();
const { org } = await createApiKey(a, { org: 'bench-app', role: 'app' }, CLI_OPERATOR);
const now = Date.now();
const seen = new Date(now - 60 * DAY).toISOString();
const pool = batches * 10;
const hashes = Array.from({ length: existing + pool }, (_, i) => a.hash(`${org.id}:s${i}`));
for (let i = 0; i < hashes.length; i += 5000) {
  await a.db.insertInto('reporters').values(hashes.slice(i, i + 5000).map((h) => ({ org_id: org.id, reporter_hash: h, first_seen_at: seen }))).execute();
}
const rows = Array.from({ length: existing }, (_, i) => {
  const at = new Date(now - 30 * DAY + Math.floor((i / Math.max(1, existing)) * 30 * DAY)).toISOString();
  return { id: randomUUID(), caller: CALLER, caller_kind: 'e164', reporter_hash: hashes[pool + i]!, org_id: org.id, category: 'fraud', comment: null, channel: 'pstn', claimed_org: null, occurred_at: at, created_at: at, import_source: null, burst_id: null };
});
for (let i = 0; i < rows.length; i += 5000) await a.db.transaction().execute(async (trx) => insertReports(trx, rows.slice(i, i + 5000)));
const b = await open(); // loads the index with the caller's reputation
await b.applyChanges();
const app = { orgId: org.id, orgName: 'bench-app', role: 'app' as const, person: 'app' };
const times: number[] = [];
let next = 0;
for (let k = 0; k < batches; k++) {
  await Promise.all(Array.from({ length: 10 }, () => fileReport(a, { caller: CALLER, reporter: `s${next++}`, category: 'fraud' }, app)));
  const t = performance.now();
  await b.applyChanges();
  times.push(performance.now() - t);
}
times.sort((x, y) => x - y);
const mean = times.reduce((s, x) => s + x, 0) / times.length;
console.log(JSON.stringify({ engine: store.databaseUrl ? 'postgres' : 'sqlite', existing, batches, medianMs: +times[times.length >> 1]!.toFixed(2), meanMs: +mean.toFixed(2), agree: a.index.get(CALLER)?.score === b.index.get(CALLER)?.score }));
await a.close();
await b.close();
rmSync(dir, { recursive: true, force: true });
