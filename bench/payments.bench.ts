// Payments: POST /v1/transfers/check over HTTP beside a bare route of the same server (same auth
// hook, same body), autocannon on loopback with the server in its own process. The check reads
// flags, enrolment, the risky-call mark and the payer's history from memory and makes one small
// write (the check record, the payer's history, the known payee), grouped with the checks that
// arrive at the same moment into one transaction.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { decideTransfer } from '../src/payments/index.js';

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

async function startServer(): Promise<{ url: string; key: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/payments-bench-server.ts', import.meta.url)), '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited ${code}`)));
  });
  const { url, key } = JSON.parse(line) as { url: string; key: string };
  return { url, key, stop: () => child.kill() };
}

async function load(url: string, key: string, path: string, body: string, seconds = SECONDS): Promise<autocannon.Result> {
  return autocannon({ url: url + path, method: 'POST', connections: 10, duration: seconds, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
}

const srv = await startServer();
const allow = JSON.stringify({ payer: 'cust-1', payeeAccount: '4111 1111 1111 1111', amount: 200, currency: 'CNY', channel: 'mobile' });
const risky = JSON.stringify({ payer: 'cust-10', payeeAccount: 'alipay:shop-1', amount: 200, currency: 'CNY', channel: 'mobile' });
await load(srv.url, srv.key, '/v1/transfers/check', allow, 2); // warm-up (JIT, caches)
const bare = await load(srv.url, srv.key, '/v1/bare', allow);
const chk = await load(srv.url, srv.key, '/v1/transfers/check', allow);
const conf = await load(srv.url, srv.key, '/v1/transfers/check', risky);
srv.stop();

console.log(`## Payments

In-process: \`decideTransfer()\` (the pure decision: flags, risky call, first-time payee, amount history, guardian mode), ${N.toLocaleString('en-US')} decisions, one core: ${fmt(decideRate)} per second.

HTTP: \`POST /v1/transfers/check\` beside a bare POST route of the same fastify server (same auth hook, same body), autocannon 10 connections, ${SECONDS} s each, server in its own process on loopback over SQLite. Every check is recorded (the check, and for an allowed payment the payer's history and known payee; checks that arrive together share one transaction). Machine load average at the start: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores. Target: p99 under 10 ms.

| route | requests/s | p50 ms | p99 ms |
|---|---:|---:|---:|
| bare route | ${fmt(bare.requests.average)} | ${bare.latency.p50} | ${bare.latency.p99} |
| POST /v1/transfers/check (allow: known payee, usual amount) | ${fmt(chk.requests.average)} | ${chk.latency.p50} | ${chk.latency.p99} |
| POST /v1/transfers/check (confirm: payer in a risky call) | ${fmt(conf.requests.average)} | ${conf.latency.p50} | ${conf.latency.p99} |
| ratio check / bare | ${(chk.requests.average / bare.requests.average).toFixed(2)} | | |

p99 under 10 ms: ${chk.latency.p99 < 10 && conf.latency.p99 < 10 ? 'yes' : 'no'}. errors: bare ${bare.errors + bare.non2xx}, check ${chk.errors + chk.non2xx}, confirm ${conf.errors + conf.non2xx} (checksum ${sink % 10})
`);
