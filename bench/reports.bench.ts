// Report ingestion on one hot caller: POST /v1/reports for the same caller again and again, with the
// caller already holding 0, 10,000 and 100,000 reports, against a minimal Fastify server (its own
// process) that checks the Authorization header and inserts the row with better-sqlite3 in WAL mode.
// Same body, autocannon at 10 connections, interleaved rounds in one run, best round of each.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const HOT_CALLER = '+8613700001234';
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

interface Server {
  name: string;
  url: string;
  appKey: string;
  child: ChildProcess;
  next: number;
}

async function start(name: string, script: string, args: string[]): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
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
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ caller: HOT_CALLER, reporter: `s${s.next++ % POOL}`, category: 'fraud', channel: 'pstn' }) }),
      },
    ],
  });
}

const baseline = await start('minimal', './support/minimal-insert-server.ts', []);
const servers = [
  await start('0', './support/reports-bench-server.ts', ['0', String(POOL)]),
  await start('10,000', './support/reports-bench-server.ts', ['10000', String(POOL)]),
  await start('100,000', './support/reports-bench-server.ts', ['100000', String(POOL)]),
];
const load0 = loadavg().map((x) => x.toFixed(1)).join(', ');
for (const s of [baseline, ...servers]) await load(s, 2); // warm-up (and the tally's first build)
const best = new Map<Server, autocannon.Result>();
for (let round = 0; round < ROUNDS; round++) {
  for (const s of servers) {
    for (const t of [baseline, s]) {
      const r = await load(t);
      const prev = best.get(t);
      if (!prev || r.requests.average > prev.requests.average) best.set(t, r);
    }
  }
}
const base = best.get(baseline)!;
console.log('## Report ingestion on one hot caller\n');
console.log(`POST /v1/reports for the same caller again and again, each from a different known subscriber of one app; autocannon 10 connections, ${SECONDS} s a round, ${ROUNDS} interleaved rounds (best of each), every server in its own process on loopback, SQLite. Baseline: a minimal Fastify server (own process) that checks the Authorization header and inserts the row with better-sqlite3 in WAL mode. Machine: 2 cores shared with other work, load average at the start ${load0}.\n`);
console.log('| server | reports the caller had | requests/s | p50 ms | p99 ms | ratio to minimal | errors + non-2xx |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
console.log(`| minimal insert route | | ${fmt(base.requests.average)} | ${base.latency.p50} | ${base.latency.p99} | 1.00 | ${base.errors + base.non2xx} |`);
for (const s of servers) {
  const r = best.get(s)!;
  console.log(`| callshield | ${s.name} | ${fmt(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${(r.requests.average / base.requests.average).toFixed(2)} | ${r.errors + r.non2xx} |`);
}
console.log('');
for (const s of [baseline, ...servers]) s.child.kill();
