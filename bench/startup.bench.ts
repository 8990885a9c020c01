// Start-up with a large hot index (issue 17 item 5: 10,000,000 identifiers in at most 30 s).
// `npm run bench -- startup` (BENCH_STARTUP_IDENTIFIERS, default 10,000,000).
// A migrated SQLite file gets one report per identifier (raw better-sqlite3 inserts), then:
//  - baseline: a separate process reads the same identifiers with raw better-sqlite3
//    (`select caller from reports`), the least any start-up from this database can cost;
//  - callshield from its snapshot (CALLSHIELD_INDEX_SNAPSHOT): `callshield serve` from spawn to
//    "listening", the compiled build as users run it;
//  - callshield without a snapshot (re-scoring every identifier from its evidence) on a tenth of
//    the identifiers (BENCH_STARTUP_COLD, default 200,000), to show what the snapshot saves.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { seedNumber } from './support/startup-numbers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.env.BENCH_STARTUP_IDENTIFIERS ?? 10_000_000);
const COLD = Number(process.env.BENCH_STARTUP_COLD ?? 200_000);
const fmt = (x: number): string => x.toLocaleString('en-US');

spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensure-built.mjs')], { stdio: 'inherit' });

function cli(args: string[], env: Record<string, string>): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'callshield.js'), ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`callshield ${args.join(' ')}: ${r.stderr}`);
}

function seed(dbPath: string, n: number): number {
  const started = performance.now();
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const insert = db.prepare(`insert into reports (id, caller, caller_kind, reporter_hash, org_id, category, occurred_at, created_at) values (?, ?, 'phone', ?, 'seed', 'fraud', ?, ?)`);
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(`seed-${String(i).padStart(9, '0')}`, seedNumber(i), `h${i % 1000}`, at, at);
  });
  for (let i = 0; i < n; i += 100_000) batch(i, Math.min(n, i + 100_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return performance.now() - started;
}

/** Spawn to "listening"; the node's own log line says how long the index took. */
async function serve(env: Record<string, string>): Promise<{ ms: number; indexMs: number; identifiers: number; fromSnapshot: boolean }> {
  const started = performance.now();
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'callshield.js'), 'serve', '--port', '0'], {
    env: { ...process.env, LOG_LEVEL: 'info', CALLSHIELD_RESCORE_MINUTES: '10080', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let index: { ms: number; identifiers: number; fromSnapshot: boolean } | undefined;
  const ms = await new Promise<number>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line.includes('hot index loaded')) {
        const j = JSON.parse(line) as { ms: number; identifiers: number; msg: string };
        index = { ms: j.ms, identifiers: j.identifiers, fromSnapshot: j.msg.includes('snapshot') };
      }
      if (line.startsWith('callshield listening')) resolve(performance.now() - started);
    });
    proc.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  // SIGKILL: a graceful stop would write a fresh snapshot, which is not what is measured.
  proc.kill('SIGKILL');
  await new Promise((r) => proc.once('exit', r));
  if (!index) throw new Error('no "hot index loaded" line');
  return { ms, indexMs: index.ms, identifiers: index.identifiers, fromSnapshot: index.fromSnapshot };
}

function rawRead(dbPath: string): { ms: number; rows: number } {
  const code = `const D=require(${JSON.stringify(join(ROOT, 'node_modules', 'better-sqlite3'))});const t=performance.now();const db=new D(process.argv[1],{readonly:true});const m=new Map();for(const r of db.prepare('select caller from reports').pluck().iterate())m.set(r,1);console.log(JSON.stringify({ms:performance.now()-t,rows:m.size}));`;
  const r = spawnSync(process.execPath, ['-e', code, dbPath], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { ms: number; rows: number };
}

const dir = mkdtempSync(join(tmpdir(), 'callshield-startup-'));
try {
  const env = (name: string): Record<string, string> => ({ CALLSHIELD_DB: join(dir, `${name}.db`), CALLSHIELD_SECRET_FILE: join(dir, 'secret'), CALLSHIELD_INDEX_SNAPSHOT: join(dir, `${name}.snapshot`) });
  // Cold start, no snapshot: every identifier re-scored from its evidence.
  cli(['migrate'], env('cold'));
  seed(join(dir, 'cold.db'), COLD);
  const cold = await serve({ ...env('cold'), CALLSHIELD_INDEX_SNAPSHOT: 'off' });

  cli(['migrate'], env('big'));
  const seedMs = seed(join(dir, 'big.db'), N);
  const write = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'support', 'startup-snapshot.ts'), join(dir, 'big.db'), join(dir, 'secret'), join(dir, 'big.snapshot'), String(N)], { encoding: 'utf8' });
  if (write.status !== 0) throw new Error(write.stderr);
  const written = JSON.parse(write.stdout) as { ms: number; identifiers: number };
  const raw = rawRead(join(dir, 'big.db'));
  const warm = await serve(env('big'));
  if (!warm.fromSnapshot || warm.identifiers !== N) throw new Error(`start-up did not use the snapshot: ${JSON.stringify(warm)}`);

  console.log('## Start-up with a large hot index\n');
  console.log(`Command: \`npm run bench -- startup\` (bench/startup.bench.ts). SQLite, compiled build (\`bin/callshield.js serve\`), load average at the end ${loadavg().map((x) => x.toFixed(1)).join(', ')} on 2 cores.`);
  console.log(`Seeded ${fmt(N)} identifiers, one report each, with raw inserts in ${(seedMs / 1000).toFixed(1)} s; the snapshot (${(statSync(join(dir, 'big.snapshot')).size / 1e6).toFixed(0)} MB) written by the service's writer in ${(written.ms / 1000).toFixed(1)} s.\n`);
  console.log('| start | identifiers | spawn → listening | of which the index | per identifier |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| baseline: raw better-sqlite3 \`select caller\` into a Map, own process | ${fmt(raw.rows)} | — | ${(raw.ms / 1000).toFixed(1)} s | ${((raw.ms * 1000) / raw.rows).toFixed(2)} µs |`);
  console.log(`| callshield from its snapshot | ${fmt(warm.identifiers)} | ${(warm.ms / 1000).toFixed(1)} s | ${(warm.indexMs / 1000).toFixed(1)} s | ${((warm.indexMs * 1000) / warm.identifiers).toFixed(2)} µs |`);
  console.log(`| callshield without a snapshot (re-score every identifier) | ${fmt(cold.identifiers)} | ${(cold.ms / 1000).toFixed(1)} s | ${(cold.indexMs / 1000).toFixed(1)} s | ${((cold.indexMs * 1000) / cold.identifiers).toFixed(2)} µs |`);
  console.log(`\nratio snapshot index load / raw read: ${(raw.ms / warm.indexMs).toFixed(2)}; start-up ≤ 30 s at ${fmt(N)}: ${warm.ms <= 30_000 ? 'yes' : 'no'}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
