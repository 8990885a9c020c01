// What PostgreSQL spends on the hot caller's one statement (KNOWN_REPORTS_SQL, writeKnownReports),
// alone on one connection: no HTTP, no load generator, so the backend's own CPU is read without
// the 2-core machine's contention. Not part of `npm run bench`; BENCHMARKS.md ("Thirteenth
// session") gives its figures.
//   DATABASE_URL='postgres://…/EMPTY_DB?options=-c%20synchronous_commit%3Doff' \
//     node --import tsx bench/support/statement-cost.ts [--batch 1,5,10] [--statements 1500] [--rounds 2] [--variants shipped,no-first-sighting,no-change-log]
// It seeds 200,000 subscribers of one app first seen 60 days ago (as reports-bench-server.ts does),
// then, round after round, runs each variant on batches of distinct known subscribers' reports of
// one caller, and prints the backend's CPU (/proc/PID/stat, 10 ms ticks) and the wall time a
// statement, with the median over the rounds. The variants are edits of the shipped text, to
// measure what one part costs: no-first-sighting drops the reporters' and their credibility's
// look-ups, no-change-log drops the change log's entries (the lock stays). They are not correct
// writes; only `shipped` is.
import { readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { timeOrderedId } from '../../src/operations/ids.js';
import { KNOWN_REPORTS_SQL, knownReportsParameters } from '../../src/store/reputation/report-writes.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '1,5,10' },
    statements: { type: 'string', default: '1500' },
    rounds: { type: 'string', default: '2' },
    variants: { type: 'string', default: 'shipped,no-first-sighting,no-change-log' },
  },
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must name an empty PostgreSQL database');

function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`KNOWN_REPORTS_SQL changed: ${String(from)} is not in it; update this edit`);
  return out;
}
const VARIANTS: Record<string, string> = {
  shipped: KNOWN_REPORTS_SQL,
  'no-first-sighting': edit(KNOWN_REPORTS_SQL, /known as materialized \([\s\S]*?\n  \),/, 'known as materialized (select i.*, i.known_before as first_seen_at, null::int as false_reports from input i),'),
  'no-change-log': edit(KNOWN_REPORTS_SQL, /logged as \([\s\S]*?\n  \)/, 'logged as (select $2::text)'),
};
const variants = (values.variants as string).split(',');
for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant ${v} (${Object.keys(VARIANTS).join(', ')})`);
const batches = (values.batch as string).split(',').map(Number);
const statements = Number(values.statements);

const dir = `/tmp/callshield-statement-cost-${process.pid}`;
const ctx = await openApp(loadConfig({}, { dbPath: `${dir}/unused.db`, logLevel: 'silent', databaseUrl: url, secretFile: `${dir}/callshield.secret` }), { logger: pino({ level: 'silent' }) });
const { org } = await createApiKey(ctx, { org: `statement-cost-${process.pid}`, role: 'app' }, CLI_OPERATOR);
const SUBSCRIBERS = 200_000;
const seen = new Date(Date.now() - 60 * 86_400_000).toISOString();
const hashes = Array.from({ length: SUBSCRIBERS }, (_, i) => ctx.hash(`${org.id}:s${i}`));
for (let i = 0; i < SUBSCRIBERS; i += 5000) {
  await ctx.db.insertInto('reporters').values(hashes.slice(i, i + 5000).map((h) => ({ org_id: org.id, reporter_hash: h, first_seen_at: seen }))).execute();
}

const client = new pg.Client({ connectionString: url });
await client.connect();
const pid = Number((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
const backendCpu = (): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

const CALLER = '+8613700001234';
let next = 0;
function parameters(size: number): unknown[] {
  const at = new Date().toISOString();
  const reports = Array.from({ length: size }, () => ({
    row: { id: timeOrderedId(), caller: CALLER, caller_kind: 'e164', reporter_hash: hashes[next++ % SUBSCRIBERS]!, org_id: org.id, category: 'fraud', comment: null, channel: 'pstn', claimed_org: null, occurred_at: at, created_at: at, import_source: null, burst_id: null },
    knownBefore: at,
  }));
  return knownReportsParameters(reports, null);
}

const results = new Map<string, { cpu: number[]; wall: number[] }>();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const size of batches) {
    for (const name of variants) {
      const run = () => client.query({ name: `${name}-${size}`, text: VARIANTS[name]!, values: parameters(size) });
      for (let w = 0; w < 200; w++) await run();
      const cpu0 = backendCpu();
      const t0 = process.hrtime.bigint();
      for (let s = 0; s < statements; s++) {
        const r = await run();
        if (r.rows.length !== size) throw new Error(`${name}: wrote ${r.rows.length} of ${size} reports`);
      }
      const wall = Number(process.hrtime.bigint() - t0) / 1e3 / statements;
      const cpu = ((backendCpu() - cpu0) * 1e6) / statements;
      const key = `${size} ${name}`;
      const r = results.get(key) ?? results.set(key, { cpu: [], wall: [] }).get(key)!;
      r.cpu.push(cpu);
      r.wall.push(wall);
      console.log(`round ${round}, ${size} report(s), ${name.padEnd(17)}: backend ${cpu.toFixed(0)} µs, wall ${wall.toFixed(0)} µs a statement`);
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log('\nmedian over the rounds (backend CPU / wall, µs a statement):');
for (const [key, r] of results) console.log(`${key.padEnd(22)} ${median(r.cpu).toFixed(0).padStart(5)} / ${median(r.wall).toFixed(0)}`);
await client.end();
await ctx.close();
rmSync(dir, { recursive: true, force: true });
