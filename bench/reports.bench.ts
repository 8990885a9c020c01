// Report ingestion on one hot caller: POST /v1/reports for the same caller again and again, with the
// caller already holding 0, 10,000 and 100,000 reports, against a minimal Fastify server (its own
// process) that checks the Authorization header and inserts the row with better-sqlite3 in WAL mode.
// Same body, autocannon at 10 connections, interleaved rounds in one run, best round of each, and
// each server's own CPU time per request (from /proc), which a shared machine's load moves far less.
// BENCH_ENGINE=sqlite (default), postgres, or sqlite,postgres (both in one run, with their ratio);
// two more stores compare like with like on durability: sqlite-full (CALLSHIELD_SQLITE_SYNC=full,
// the WAL synced at every commit, as PostgreSQL's default) and postgres-async (synchronous_commit
// off for the server's sessions: a crash of the database can lose the last commits, never corrupt,
// as SQLite's default NORMAL); the ratios pair sqlite with postgres-async and sqlite-full with postgres.
// BENCH_EXISTING=0,10000,100000 the caller's existing reports; BENCH_SECONDS, BENCH_ROUNDS.
// Beside the hot caller, the distinct-caller case (issue 17, item 6): every report names a caller
// never reported before, so each one starts a tally of its own (BENCH_DISTINCT=0 leaves it out).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { cpuSecondsOf } from './support/start-bench-server.js';
import pg from 'pg';
import { createTestDatabase, postgresAvailable, PG_ADMIN_URL } from '../test/helpers/postgres.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
type Store = 'sqlite' | 'sqlite-full' | 'postgres' | 'postgres-async';
const ENGINES = (process.env.BENCH_ENGINE ?? 'sqlite').split(',').map((e) => e.trim()) as Store[];
const EXISTING = (process.env.BENCH_EXISTING ?? '0,10000,100000').split(',').map(Number);
/** A hot caller holding that many reports, or a new caller for every report. */
type Case = number | 'distinct';
const CASES: Case[] = [...EXISTING, ...(process.env.BENCH_DISTINCT === '0' ? [] : ['distinct' as const])];
const caseName = (c: Case): string => (c === 'distinct' ? 'each report a new caller' : fmt(c));
const HOT_CALLER = '+8613700001234';
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

const onPostgres = (e: Store): boolean => e.startsWith('postgres');
if (ENGINES.some(onPostgres) && !(await postgresAvailable())) {
  console.log('## Report ingestion on one hot caller\n\nskipped: BENCH_ENGINE names postgres and no PostgreSQL answers (set CALLSHIELD_TEST_DATABASE_URL)\n');
  process.exit(0);
}

interface Server {
  name: string;
  engine: Store | 'minimal';
  existing: Case;
  url: string;
  appKey: string;
  child: ChildProcess;
  next: number;
  drop?: () => Promise<void>;
  /** PostgreSQL: the database's name, to find its backends. */
  dbName?: string;
}

interface Measured {
  result: autocannon.Result;
  cpuUs: number;
  /** PostgreSQL: CPU of the server's backends (processes serving its database) per request. */
  dbCpuUs: number;
}

// The backends serving a database (pg_stat_activity), with their CPU seconds so far (/proc).
const admin = ENGINES.some(onPostgres) ? new pg.Client({ connectionString: PG_ADMIN_URL }) : undefined;
await admin?.connect();
async function backendCpu(dbName: string | undefined): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!dbName || !admin) return out;
  const r = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName]);
  for (const { pid } of r.rows) {
    try {
      out.set(pid, cpuSecondsOf(pid));
    } catch {
      // gone between the query and the read
    }
  }
  return out;
}

async function start(name: string, script: string, args: string[], env: Record<string, string> = {}): Promise<Omit<Server, 'engine' | 'existing'>> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}`)));
  });
  const { url, appKey } = JSON.parse(line) as { url: string; appKey: string };
  return { name, url, appKey, child, next: 0 };
}

const POOL = 150_000;
function load(s: Server, seconds = SECONDS): Promise<autocannon.Result> {
  return autocannon({
    url: `${s.url}/v1/reports`,
    method: 'POST',
    connections: 10,
    duration: seconds,
    headers: { authorization: `Bearer ${s.appKey}`, 'content-type': 'application/json' },
    requests: [
      {
        // A different known subscriber each time (the pool was first seen 60 days ago).
        setupRequest: (req) => {
          const n = s.next++;
          const caller = s.existing === 'distinct' ? `+86139${String(n).padStart(8, '0')}` : HOT_CALLER;
          return { ...req, body: JSON.stringify({ caller, reporter: `s${n % POOL}`, category: 'fraud', channel: 'pstn' }) };
        },
      },
    ],
  });
}

async function measured(s: Server): Promise<Measured> {
  const dbBefore = await backendCpu(s.dbName);
  const before = cpuSecondsOf(s.child.pid!);
  const result = await load(s);
  const cpu = cpuSecondsOf(s.child.pid!) - before;
  let dbCpu = 0;
  for (const [pid, sec] of await backendCpu(s.dbName)) dbCpu += sec - (dbBefore.get(pid) ?? 0);
  const per = (sec: number): number => (sec * 1e6) / Math.max(1, result.requests.total);
  return { result, cpuUs: per(cpu), dbCpuUs: per(dbCpu) };
}

const baseline: Server = { ...(await start('minimal', './support/minimal-insert-server.ts', [])), engine: 'minimal', existing: 0 };
const servers: Server[] = [];
for (const engine of ENGINES) {
  for (const existing of CASES) {
    const db = onPostgres(engine) ? await createTestDatabase() : undefined;
    const url = db && engine === 'postgres-async' ? `${db.url}?options=${encodeURIComponent('-c synchronous_commit=off')}` : db?.url;
    const env: Record<string, string> = url ? { DATABASE_URL: url } : engine === 'sqlite-full' ? { BENCH_SQLITE_SYNC: 'full' } : {};
    const started = await start(`${engine} ${existing}`, './support/reports-bench-server.ts', [String(existing === 'distinct' ? 0 : existing), String(POOL)], env);
    servers.push({ ...started, engine, existing, ...(db ? { drop: db.drop, dbName: db.name } : {}) });
  }
}
const load0 = loadavg().map((x) => x.toFixed(1)).join(', ');
for (const s of [baseline, ...servers]) await load(s, 2); // warm-up (and the tally's first build)
const best = new Map<Server, Measured>();
const keep = (s: Server, m: Measured): void => {
  const prev = best.get(s);
  if (!prev || m.result.requests.average > prev.result.requests.average) best.set(s, m);
};
for (let round = 0; round < ROUNDS; round++) {
  for (const s of servers) {
    keep(baseline, await measured(baseline));
    keep(s, await measured(s));
  }
}
const load1 = loadavg().map((x) => x.toFixed(1)).join(', ');
const base = best.get(baseline)!;
const engineName: Record<Store | 'minimal', string> = {
  sqlite: 'SQLite',
  'sqlite-full': 'SQLite, synchronous FULL',
  postgres: 'PostgreSQL',
  'postgres-async': 'PostgreSQL, synchronous_commit off',
  minimal: '',
};
console.log('## Report ingestion on one hot caller\n');
console.log(`POST /v1/reports for the same caller again and again, each from a different known subscriber of one app; beside it ("each report a new caller"), the same reports each naming a caller never reported before; autocannon 10 connections, ${SECONDS} s a round, ${ROUNDS} interleaved rounds (best of each), every server in its own process on loopback. Baseline: a minimal Fastify server (own process) that checks the Authorization header and inserts the row with better-sqlite3 in WAL mode. Server CPU µs per request: user + system time of the server's process over the round (/proc), divided by the requests answered; PostgreSQL backend CPU the same for the backends serving the server's database (pg_stat_activity; the WAL writer and checkpointer not counted), SQLite's work being in the server's process. Machine: 2 cores shared with other work, load average at the start ${load0}, at the end ${load1}.\n`);
console.log('| server | store | reports the caller had | requests/s | p50 ms | p99 ms | server CPU µs per request | PostgreSQL backend CPU µs per request | ratio to minimal (req/s) | ratio to minimal (server CPU) | errors + non-2xx |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const row = (name: string, store: string, existing: string, m: Measured): string =>
  `| ${name} | ${store} | ${existing} | ${fmt(m.result.requests.average)} | ${m.result.latency.p50} | ${m.result.latency.p99} | ${m.cpuUs.toFixed(0)} | ${m.dbCpuUs ? m.dbCpuUs.toFixed(0) : ''} | ${(m.result.requests.average / base.result.requests.average).toFixed(2)} | ${(base.cpuUs / m.cpuUs).toFixed(2)} | ${m.result.errors + m.result.non2xx} |`;
console.log(row('minimal insert route', 'SQLite', '', base));
for (const s of servers) console.log(row('callshield', engineName[s.engine], caseName(s.existing), best.get(s)!));
// Like with like on durability: a commit acknowledged before its flush on both, or after it on both.
const pairs: [Store, Store][] = [['sqlite', 'postgres-async'], ['sqlite-full', 'postgres'], ['sqlite', 'postgres']];
for (const [lite, pg] of pairs.filter(([a, b]) => ENGINES.includes(a) && ENGINES.includes(b))) {
  console.log('');
  for (const existing of CASES) {
    const l = best.get(servers.find((s) => s.engine === lite && s.existing === existing)!)!;
    const p = best.get(servers.find((s) => s.engine === pg && s.existing === existing)!)!;
    console.log(`- ${existing === 'distinct' ? 'each report a new caller' : `${fmt(existing)} reports`}: ${engineName[pg]} / ${engineName[lite]} ${(p.result.requests.average / l.result.requests.average).toFixed(2)} (req/s), ${(l.cpuUs / p.cpuUs).toFixed(2)} (server CPU), ${(l.cpuUs / (p.cpuUs + p.dbCpuUs)).toFixed(2)} (server + backend CPU)`);
  }
}
console.log('');
for (const s of [baseline, ...servers]) s.child.kill();
await new Promise((r) => setTimeout(r, 500));
for (const s of servers) await s.drop?.();
await admin?.end();
