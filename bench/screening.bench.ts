// Screening: in-process decisions over a 1,000,000-identifier hot index beside a plain Map.get loop
// over the same keys, memory per loaded identifier, and POST /v1/screen over HTTP beside a bare
// route of the same server and beside the same server with the screening fast path off (autocannon on
// loopback, each server in its own process).
import autocannon from 'autocannon';
import { loadavg } from 'node:os';
import { startBenchServer } from './support/start-bench-server.js';
import { loadApart } from './support/load-apart.js';
import type { BenchServer } from './support/start-bench-server.js';
import { ReputationIndex, scoreEvidence } from '../src/reputation/index.js';
import { hashIdentifier } from '../src/identity/index.js';
import { screen } from '../src/operations/screening/screen.js';
import { createAreaStates } from '../src/app-context.js';
import { PolicyBook, compilePolicy } from '../src/screening/index.js';
import type { AppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config.js';
import { localise } from '../src/i18n/render.js';

const N = Number(process.env.BENCH_IDENTIFIERS ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const CALLS = 2_000_000;
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

function keyOf(i: number): string {
  return `+86139${String(i).padStart(8, '0')}`;
}

// The in-process measures run in a function of their own: its 1,000,000 identifiers, the plain Map
// beside them and the 100,000 policies are garbage once it returns, and gc() drops them before the
// HTTP part, whose load generator (autocannon) runs in this process. Kept alive, their collection
// slowed the load generator and the servers beside it: POST /v1/screen over minimal Fastify read
// 0.62 with them held, 0.78 with a 1,000-identifier index (BENCHMARKS.md, ninth session).
function inProcess() {
  // --- memory per identifier ---
  // The number shards live in typed arrays, whose memory is outside the JS heap (arrayBuffers).
  const used = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  gc();
  const before = used();
  const index = new ReputationIndex();
  const now = Date.now();
  const reps = [1, 2, 6, 12].map((k) =>
    scoreEvidence(Array.from({ length: k }, (_, i) => ({ source: 'crowd' as const, category: 'fraud' as const, at: now - 1000, reporter: `r${i}` })), now),
  );
  for (let i = 0; i < N; i++) index.set(keyOf(i), reps[i & 3]!);
  gc();
  const perId = (used() - before) / N;

  // --- decisions per second ---
  const config = loadConfig({}, { dbPath: ':memory:' });
  const ctx = { config, index, policies: new PolicyBook(), hash: (c: string) => hashIdentifier('bench', c), now: () => now, area: createAreaStates() } as unknown as AppContext;
  const callees = Array.from({ length: 1000 }, (_, i) => `+86138${String(i).padStart(8, '0')}`);
  // Callers: 90% known (in the index), 10% unknown but valid numbers from a small set.
  const callers = Array.from({ length: 100_000 }, (_, i) => (i % 10 === 9 ? `+86137${String(i).padStart(8, '0')}` : keyOf((i * 7919) % N)));
  for (const c of callees) screen(ctx, { caller: callers[0]!, callee: c, channel: 'pstn' }, 'bench-carrier');
  for (const c of callers) screen(ctx, { caller: c, callee: callees[0]!, channel: 'pstn' }, 'bench-carrier');

  let t = performance.now();
  let sink = 0;
  for (let i = 0; i < CALLS; i++) {
    const d = screen(ctx, { caller: callers[i % callers.length]!, callee: callees[i % callees.length]!, channel: 'pstn' }, 'bench-carrier');
    sink += d.score;
  }
  const screenRate = CALLS / ((performance.now() - t) / 1000);

  // The same decisions rendered in Chinese at the edge (Accept-Language: zh-CN): label, reasons and
  // advice from the per-language caches.
  t = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const d = localise(screen(ctx, { caller: callers[i % callers.length]!, callee: callees[i % callees.length]!, channel: 'pstn' }, 'bench-carrier'), 'zh-CN');
    sink += d.label.length > 0 ? d.score : 0;
  }
  const zhRate = CALLS / ((performance.now() - t) / 1000);

  // The same calls asked by an app that set 100,000 subscriber policies, half the callees among
  // them: its own policy is found with one look-up in the app's map after the keyed hash of the
  // callee (a carrier, which sets none, skips both; the figure above).
  const policyOf = compilePolicy({ contacts: ['+8613911112222'] }, ctx.hash, 'CN');
  for (let i = 0; i < 100_000; i++) ctx.policies.set('bench-app', ctx.hash(`+86136${String(i).padStart(8, '0')}`), policyOf);
  callees.forEach((c, i) => i % 2 === 0 && ctx.policies.set('bench-app', ctx.hash(c), policyOf));
  t = performance.now();
  for (let i = 0; i < CALLS; i++) sink += screen(ctx, { caller: callers[i % callers.length]!, callee: callees[i % callees.length]!, channel: 'pstn' }, 'bench-app').score;
  const appRate = CALLS / ((performance.now() - t) / 1000);

  const plain = new Map<string, number>();
  for (let i = 0; i < N; i++) plain.set(keyOf(i), i & 127);
  t = performance.now();
  for (let i = 0; i < CALLS; i++) sink += plain.get(callers[i % callers.length]!) ?? 0;
  const mapRate = CALLS / ((performance.now() - t) / 1000);
  return { perId, screenRate, zhRate, appRate, mapRate, sink };
}
const { perId, screenRate, zhRate, appRate, mapRate, sink } = inProcess();
gc();

// --- HTTP ---
interface Loaded {
  result: autocannon.Result;
  /** CPU seconds the server used during the run (user, system), when its pid was given. */
  cpu?: { user: number; system: number };
}
// The load generator runs in a fresh process of its own for each run, warmed up on the same target
// first (bench/support/load-generator.ts). BENCH_LOADGEN=inline runs it in this process instead, as
// before the ninth session: its heap and compiled code then carry over from run to run and from
// server to server (BENCHMARKS.md, ninth session, says what that changed).
const inline = process.env.BENCH_LOADGEN === 'inline';
async function load(url: string, key: string, path: string, body: string, extra: Record<string, string> = {}, seconds?: number, server?: BenchServer): Promise<Loaded> {
  const options = {
    url: url + path,
    method: 'POST' as const,
    connections: 10,
    duration: seconds ?? Number(process.env.BENCH_SECONDS ?? 8),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...extra },
    body,
  };
  if (!inline) return loadApart(options, server ? { pid: server.pid } : {});
  const before = server?.cpuTimes();
  const result = await autocannon(options);
  const after = server?.cpuTimes();
  return { result, ...(before && after ? { cpu: { user: after.user - before.user, system: after.system - before.system } } : {}) };
}

// The independent baseline first (issue 17): a minimal Fastify server in its own process that only
// checks the Authorization header; then callshield's own bare route and POST /v1/screen.
const minimal = await startBenchServer(0, {}, './minimal-auth-server.ts');
const srv = await startBenchServer(100_000);
// The same server with the screening fast path off (CALLSHIELD_SCREEN_FAST_PATH=0): fastify's pipeline only.
const slow = await startBenchServer(100_000, { CALLSHIELD_SCREEN_FAST_PATH: '0' });
const body = JSON.stringify({ caller: keyOf(4242), callee: '+8613800138000', channel: 'pstn' });
// A second minimal server answering callshield's own reply to this request (its 400-odd bytes
// against the minimal's 28): what the bigger reply costs a server that does nothing else.
const decisionText = await (await fetch(`${srv.url}/v1/screen`, { method: 'POST', headers: { authorization: `Bearer ${srv.key}`, 'content-type': 'application/json' }, body })).text();
const minimalSame = await startBenchServer(0, { MINIMAL_REPLY: decisionText }, './minimal-auth-server.ts');
// The floor: Node's http module alone (no framework), reading the body, checking the key, answering the same reply.
const nodeOnly = await startBenchServer(0, { MINIMAL_REPLY: decisionText }, './minimal-node-server.ts');
await load(minimal.url, minimal.key, '/v1/screen', body); // warm-up (JIT, caches)
await load(minimalSame.url, minimalSame.key, '/v1/screen', body);
await load(nodeOnly.url, nodeOnly.key, '/v1/screen', body);
await load(srv.url, srv.key, '/v1/screen', body);
await load(slow.url, slow.key, '/v1/screen', body);
// Beside requests per second (which a shared machine's load moves), the server's own CPU time per
// request: user + system seconds of its process over the run, divided by the requests answered.
// The four are measured in alternating rounds (BENCH_ROUNDS, default 4, of BENCH_SECONDS / 2 each)
// so that a load that changes during the run falls on all alike; each figure is the median round.
interface Measured {
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
  /** The same, user and system (kernel) time apart. */
  userUs: number;
  systemUs: number;
  errors: number;
}
async function measured(server: BenchServer, path: string, seconds: number): Promise<Measured> {
  const { result: r, cpu } = await load(server.url, server.key, path, body, {}, seconds, server);
  const per = (sec: number): number => (sec * 1e6) / Math.max(1, r.requests.total);
  const userUs = per(cpu!.user);
  const systemUs = per(cpu!.system);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUs: userUs + systemUs, userUs, systemUs, errors: r.errors + r.non2xx };
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const roundSeconds = Math.max(1, Math.round(Number(process.env.BENCH_SECONDS ?? 8) / 2));
const targets = [
  { server: minimal, path: '/v1/screen', runs: [] as Measured[] },
  { server: minimalSame, path: '/v1/screen', runs: [] as Measured[] },
  { server: nodeOnly, path: '/v1/screen', runs: [] as Measured[] },
  { server: srv, path: '/v1/bare', runs: [] as Measured[] },
  { server: srv, path: '/v1/screen', runs: [] as Measured[] },
  { server: slow, path: '/v1/screen', runs: [] as Measured[] },
];
for (let r = 0; r < ROUNDS; r++) for (const t of targets) t.runs.push(await measured(t.server, t.path, roundSeconds));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (runs: Measured[]): Measured => ({
  rps: median(runs.map((x) => x.rps)),
  p50: median(runs.map((x) => x.p50)),
  p99: median(runs.map((x) => x.p99)),
  cpuUs: median(runs.map((x) => x.cpuUs)),
  userUs: median(runs.map((x) => x.userUs)),
  systemUs: median(runs.map((x) => x.systemUs)),
  errors: runs.reduce((n, x) => n + x.errors, 0),
});
const [min, same, node, bare, scr, off] = targets.map((t) => summary(t.runs)) as [Measured, Measured, Measured, Measured, Measured, Measured];
minimal.stop();
minimalSame.stop();
nodeOnly.stop();
slow.stop();
// The same decision rendered in Chinese (Accept-Language: label, reasons and advice from the
// per-language caches of src/i18n/render.ts), in alternating rounds with the English one so that a
// changing machine load falls on both alike.
const rounds = { en: [] as number[], zh: [] as number[] };
let zh: autocannon.Result | undefined;
for (let r = 0; r < 3; r++) {
  rounds.en.push((await load(srv.url, srv.key, '/v1/screen', body, {}, 3)).result.requests.average);
  zh = (await load(srv.url, srv.key, '/v1/screen', body, { 'accept-language': 'zh-CN' }, 3)).result;
  rounds.zh.push(zh.requests.average);
}
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const row = (name: string, m: Measured): string => `| ${name} | ${fmt(m.rps)} | ${m.p50} | ${m.p99} | ${m.cpuUs.toFixed(1)} | ${m.userUs.toFixed(1)} | ${m.systemUs.toFixed(1)} |`;
srv.stop();

console.log(`## Screening

In-process: ${N.toLocaleString('en-US')} identifiers in the hot index, ${CALLS.toLocaleString('en-US')} decisions through \`screen()\` (parse, index look-up, policy, decision; 90% known callers), one core.

| measure | callshield | baseline | ratio |
|---|---:|---:|---:|
| decisions per second vs plain \`Map.get\` over the same keys | ${fmt(screenRate)} | ${fmt(mapRate)} | ${(screenRate / mapRate).toFixed(2)} |
| the same rendered in zh-CN (\`localise\`) vs the English decisions above | ${fmt(zhRate)} | ${fmt(screenRate)} | ${(zhRate / screenRate).toFixed(2)} |
| the same, asked by an app with 100,000 subscriber policies (half the callees) | ${fmt(appRate)} | ${fmt(mapRate)} | ${(appRate / mapRate).toFixed(2)} |
| bytes per loaded identifier (heap + typed arrays) | ${perId.toFixed(0)} | target 100 | ${(perId / 100).toFixed(2)} |

HTTP: \`POST /v1/screen\` (a caller with 42 reports in an index of 100,000) beside a minimal Fastify server in its own process that only checks the Authorization header (bench/support/minimal-auth-server.ts), and beside a bare route of callshield's own server (its hooks, same auth); beside the same server with the fast path off (CALLSHIELD_SCREEN_FAST_PATH=0); beside a second minimal server answering callshield's own reply (MINIMAL_REPLY), and Node's http module alone answering it (bench/support/minimal-node-server.ts, the floor under any framework); CPU from /proc, user and system (kernel) time apart; autocannon 10 connections (${inline ? 'in the bench process, BENCH_LOADGEN=inline' : 'each run in a fresh process of its own, warmed up 1 s on the same target'}), ${ROUNDS} alternating rounds of ${roundSeconds} s each (median round), on loopback; load average at the end ${loadavg().map((x) => x.toFixed(1)).join(', ')} on 2 cores.

| server / route | requests/s | p50 ms | p99 ms | server CPU µs per request | of it user | of it system |
|---|---:|---:|---:|---:|---:|---:|
${row('minimal Fastify, auth check only (own process)', min)}
${row(`minimal Fastify answering callshield's reply (${Buffer.byteLength(decisionText)} B against 28)`, same)}
${row("Node's http module alone answering callshield's reply (no framework: the floor)", node)}
${row('callshield bare route (hooks, auth)', bare)}
${row('POST /v1/screen (fast path, the default)', scr)}
${row('POST /v1/screen, fast path off (CALLSHIELD_SCREEN_FAST_PATH=0)', off)}
| **ratio screen / minimal** (goal ≥ 0.8, p99 ≤ 5 ms) | ${(scr.rps / min.rps).toFixed(2)} | | | ${(min.cpuUs / scr.cpuUs).toFixed(2)} (CPU) | | |
| ratio screen / minimal answering the same reply | ${(scr.rps / same.rps).toFixed(2)} | | | ${(same.cpuUs / scr.cpuUs).toFixed(2)} (CPU) | | |
| ratio screen / Node's http module alone | ${(scr.rps / node.rps).toFixed(2)} | | | ${(node.cpuUs / scr.cpuUs).toFixed(2)} (CPU) | | |
| ratio minimal Fastify / Node's http module alone | ${(min.rps / node.rps).toFixed(2)} | | | ${(node.cpuUs / min.cpuUs).toFixed(2)} (CPU) | | |
| ratio screen / bare route | ${(scr.rps / bare.rps).toFixed(2)} | | | ${(bare.cpuUs / scr.cpuUs).toFixed(2)} (CPU) | | |
| ratio fast path off / minimal | ${(off.rps / min.rps).toFixed(2)} | | | ${(min.cpuUs / off.cpuUs).toFixed(2)} (CPU) | | |

Accept-Language: \`POST /v1/screen\` in English and in zh-CN, three alternating rounds of 3 s each:
English ${rounds.en.map(fmt).join(', ')} req/s; zh-CN ${rounds.zh.map(fmt).join(', ')} req/s;
**ratio zh-CN / English ${(sum(rounds.zh) / sum(rounds.en)).toFixed(2)}** (last zh-CN round p50 ${zh!.latency.p50} ms, p99 ${zh!.latency.p99} ms).

errors: minimal ${min.errors}, minimal with the same reply ${same.errors}, Node alone ${node.errors}, bare ${bare.errors}, screen ${scr.errors}, screen fast path off ${off.errors}, screen zh-CN ${zh!.errors + zh!.non2xx} (checksum ${sink % 10})
`);
