// Payments: POST /v1/transfers/check over HTTP beside a minimal Fastify server in its own process
// that only checks the Authorization header (bench/support/minimal-auth-server.ts, the baseline of
// issue 17, as for screening), and beside a bare route of callshield's own server (same auth hooks,
// same body); autocannon on loopback with each server in its own process, and each server's CPU
// time per request (from /proc). The check reads flags, enrolment, the risky-call mark and the
// payer's history from memory and makes one small write (the check record, the payer's history,
// the known payee), grouped with the checks that arrive at the same moment into one transaction.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { decideTransfer } from '../src/payments/index.js';
import { cpuSecondsOf, startBenchServer } from './support/start-bench-server.js';

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

// --- in-process: the pure decision ---
const now = Date.now();
const N = 1_000_000;
let sink = 0;
let t = performance.now();
for (let i = 0; i < N; i++) {
  const d = decideTransfer({
    amount: 100 + (i & 1023),
    now,
    riskyCall: i % 10 === 0 ? { caller: 'x@icloud.com', stage: 'remote-access', stages: ['remote-access'], risk: 0.8, at: now, screenSharing: false, active: true } : undefined,
    riskyWindowMs: 1_800_000,
    payeeFlags: [],
    knownPayee: (i & 3) !== 0,
    history: { count: 10, mean: 500, recent: [400, 500, 600] },
    guardianMode: false,
    language: 'en',
  });
  sink += d.score;
}
const decideRate = N / ((performance.now() - t) / 1000);

async function startServer(): Promise<{ url: string; key: string; cpuSeconds: () => number; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/payments-bench-server.ts', import.meta.url)), '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited ${code}`)));
  });
  const { url, key } = JSON.parse(line) as { url: string; key: string };
  return { url, key, cpuSeconds: () => cpuSecondsOf(child.pid!), stop: () => child.kill() };
}

async function load(url: string, key: string, path: string, body: string, seconds = SECONDS): Promise<autocannon.Result> {
  return autocannon({ url: url + path, method: 'POST', connections: 10, duration: seconds, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
}

// Beside requests per second (which a shared machine's load moves), the server's own CPU time per
// request: user + system seconds of its process over the run, divided by the requests answered.
type Measured = autocannon.Result & { cpuUs: number };
async function measured(server: { url: string; key: string; cpuSeconds(): number }, path: string, body: string): Promise<Measured> {
  const before = server.cpuSeconds();
  const r = await load(server.url, server.key, path, body);
  return Object.assign(r, { cpuUs: ((server.cpuSeconds() - before) * 1e6) / Math.max(1, r.requests.total) });
}

const minimal = await startBenchServer(0, {}, './minimal-auth-server.ts');
// The check is recorded, so the write path's baseline is the same minimal server inserting one row
// (issue 17: "and, for the write path, insert the row with better-sqlite3 in WAL mode").
const minimalInsert = await startBenchServer(0, {}, './minimal-insert-server.ts');
const srv = await startServer();
const allow = JSON.stringify({ payer: 'cust-1', payeeAccount: '4111 1111 1111 1111', amount: 200, currency: 'CNY', channel: 'mobile' });
const risky = JSON.stringify({ payer: 'cust-10', payeeAccount: 'alipay:shop-1', amount: 200, currency: 'CNY', channel: 'mobile' });
const load0 = loadavg().map((x) => x.toFixed(1)).join(', ');
await load(minimal.url, minimal.key, '/v1/transfers/check', allow, 2); // warm-up (JIT, caches)
await load(srv.url, srv.key, '/v1/transfers/check', allow, 2);
await load(minimalInsert.url, minimalInsert.key, '/v1/transfers/check', allow, 2);
const min = await measured(minimal, '/v1/transfers/check', allow);
const minIns = await measured(minimalInsert, '/v1/transfers/check', allow);
const bare = await measured(srv, '/v1/bare', allow);
const chk = await measured(srv, '/v1/transfers/check', allow);
const conf = await measured(srv, '/v1/transfers/check', risky);
minimal.stop();
minimalInsert.stop();
srv.stop();
const load1 = loadavg().map((x) => x.toFixed(1)).join(', ');
const row = (name: string, r: Measured): string => `| ${name} | ${fmt(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.cpuUs.toFixed(0)} |`;

console.log(`## Payments

In-process: \`decideTransfer()\` (the pure decision: flags, risky call, first-time payee, amount history, guardian mode), ${N.toLocaleString('en-US')} decisions, one core: ${fmt(decideRate)} per second.

HTTP: \`POST /v1/transfers/check\` beside a minimal Fastify server in its own process that only checks the Authorization header (bench/support/minimal-auth-server.ts, the baseline screening uses), the same with one row inserted by better-sqlite3 in WAL mode (bench/support/minimal-insert-server.ts, the write path's baseline, as reports use), and beside a bare POST route of callshield's own server (its hooks, same auth, same body); autocannon 10 connections, ${SECONDS} s each, each server in its own process on loopback, SQLite. Every check is recorded (the check, and for an allowed payment the payer's history and known payee; checks that arrive together share one transaction). Server CPU µs per request: user + system time of the server's process over the run (/proc) divided by the requests answered. Machine: ${cpus().length} cores, load average at the start ${load0}, at the end ${load1}. Target: p99 under 10 ms.

| server / route | requests/s | p50 ms | p99 ms | server CPU µs per request |
|---|---:|---:|---:|---:|
${row('minimal Fastify, auth check only (own process)', min)}
${row('minimal Fastify, auth check + one row inserted with better-sqlite3, WAL (own process)', minIns)}
${row('callshield bare route (hooks, auth)', bare)}
${row('POST /v1/transfers/check (allow: known payee, usual amount)', chk)}
${row('POST /v1/transfers/check (confirm: payer in a risky call)', conf)}
| **ratio check / minimal insert** (the write path's baseline; goal ≥ 0.6) | ${(chk.requests.average / minIns.requests.average).toFixed(2)} | | | ${(minIns.cpuUs / chk.cpuUs).toFixed(2)} (CPU) |
| ratio check / minimal auth check only | ${(chk.requests.average / min.requests.average).toFixed(2)} | | | ${(min.cpuUs / chk.cpuUs).toFixed(2)} (CPU) |
| ratio check / bare route | ${(chk.requests.average / bare.requests.average).toFixed(2)} | | | ${(bare.cpuUs / chk.cpuUs).toFixed(2)} (CPU) |

p99 under 10 ms: ${chk.latency.p99 < 10 && conf.latency.p99 < 10 ? 'yes' : 'no'}. errors: minimal ${min.errors + min.non2xx}, minimal insert ${minIns.errors + minIns.non2xx}, bare ${bare.errors + bare.non2xx}, check ${chk.errors + chk.non2xx}, confirm ${conf.errors + conf.non2xx} (checksum ${sink % 10})
`);
