// `callshield export blocklist` at 10,000,000 entries: a SQLite file with that many block-list
// entries (written directly, one version), exported in each format through the same code the CLI
// runs, beside a plain better-sqlite3 .iterate() over the same rows written to a file (the
// baseline), with the resident set size sampled during the run (flat memory: no list in memory).
import { mkdtempSync, rmSync, statSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app-context.js';
import { blocklistBody } from '../src/operations/blocklist/blocklist.js';
import { latestBlocklistVersion } from '../src/store/blocklist/entries.js';

const N = Number(process.env.BENCH_BLOCKLIST ?? 10_000_000);
const dir = mkdtempSync(join(tmpdir(), 'callshield-blocklist-'));
const dbPath = join(dir, 'bench.db');
const mb = (b: number): string => (b / 1048576).toFixed(0);

// Build: migrate through the app, then fill with raw inserts (not measured).
{
  const ctx = await openApp(loadConfig({}, { dbPath, logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
  await ctx.close();
  const db = new SQLite(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = off');
  const ins = db.prepare("insert into blocklist_entries (list, identifier, number_key, category, label, added_version, removed_version) values ('block', ?, ?, 'fraud', 'Confirmed fraud · police list', 1, null)");
  const t = performance.now();
  for (let start = 0; start < N; start += 500_000) {
    db.transaction(() => {
      for (let i = start; i < Math.min(N, start + 500_000); i++) {
        const digits = `1${String(2_000_000_000 + i * 7).padStart(10, '0')}`;
        ins.run(`+${digits}`, digits.padStart(15, '0'));
      }
    })();
  }
  db.prepare("insert into blocklist_versions values (1, ?, ?, 0, '', '')").run(new Date().toISOString(), N);
  db.close();
  process.stderr.write(`built ${N.toLocaleString('en-US')} entries in ${((performance.now() - t) / 1000).toFixed(0)} s (${mb(statSync(dbPath).size)} MB)\n`);
}

async function measure(what: string, run: () => Promise<void>): Promise<{ what: string; s: number; peak: number; start: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const t = performance.now();
  await run();
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { what, s: (performance.now() - t) / 1000, peak, start };
}

const ctx = await openApp(loadConfig({}, { dbPath, logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
const version = (await latestBlocklistVersion(ctx.db))!;
const rows: Awaited<ReturnType<typeof measure>>[] = [];
const baseline = await measure('baseline: better-sqlite3 .iterate() → file (ios lines)', async () => {
  const db = new SQLite(dbPath, { readonly: true });
  const it = db.prepare("select identifier from blocklist_entries where list = 'block' order by number_key").iterate() as IterableIterator<{ identifier: string }>;
  const out = createWriteStream(join(dir, 'baseline.txt'));
  await pipeline(Readable.from((function* () {
    let buf = '';
    let n = 0;
    for (const r of it) {
      buf += `${r.identifier.slice(1)}\n`;
      if (++n % 20_000 === 0) {
        yield buf;
        buf = '';
      }
    }
    yield buf;
  })()), out);
  db.close();
});
for (const format of ['ios', 'csv', 'json'] as const) {
  rows.push(await measure(`export blocklist --format ${format}`, async () => {
    const body = await blocklistBody(ctx, { format }, version);
    await pipeline(Readable.from(body.chunks), createWriteStream(join(dir, `out.${format}`)));
  }));
}
await ctx.close();
const sizes = Object.fromEntries(['ios', 'csv', 'json'].map((f) => [f, statSync(join(dir, `out.${f}`)).size]));
rmSync(dir, { recursive: true, force: true });

console.log(`## Block-list export

${N.toLocaleString('en-US')} entries on the block list of a SQLite file, exported by the code behind \`callshield export blocklist\` (keyset pages of 50,000 rows through kysely, streamed to a file), beside better-sqlite3's \`.iterate()\` of the same rows to a file. RSS sampled every 100 ms.

| run | seconds | RSS at start MB | peak RSS MB | output MB |
|---|---:|---:|---:|---:|
| ${baseline.what} | ${baseline.s.toFixed(1)} | ${mb(baseline.start)} | ${mb(baseline.peak)} | |
${rows.map((r) => `| ${r.what} | ${r.s.toFixed(1)} | ${mb(r.start)} | ${mb(r.peak)} | ${mb(sizes[r.what.split(' ').pop()!]!)} |`).join('\n')}

ratio ios export / baseline: ${(rows[0]!.s / baseline.s).toFixed(2)}
`);
