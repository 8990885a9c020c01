// SIP screening server beside a 302-only responder on the same stack (issue 13): sipp as UAC
// (INVITE → 100 → 302/603 → ACK over UDP) at rising call rates; for each server the highest rate at
// which sipp sees no failed call and no retransmission, and the p99 answer time (INVITE → final
// response, sipp's response-time tracking). Every INVITE carries a valid, freshly signed Identity
// header (one token per call) that callshield must verify, from a caller with 2,000 reports in an
// index of 100,000: the worst realistic input. Both servers run in one process of their own
// (bench/support/sip-bench-server.ts) and are measured alternately at the same rates.
// Prints "skipped" when sipp (Debian package sip-tester) is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createSigner } from '../src/stir/create-signer.js';
import { buildPassportPayload } from '../src/stir/passport-sign.js';
import { createShakenCertificate, createTestCa } from '../src/stir/test-pki.js';
import { cpuSecondsOf } from './support/start-bench-server.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CALLER = '12155551212';
// BENCH_SIP_SIGNED=0: INVITEs without an Identity header (screening alone, no STIR verification).
const SIGNED = process.env.BENCH_SIP_SIGNED !== '0';
const SCENARIO = fileURLToPath(new URL(SIGNED ? './support/sip-uac.xml' : './support/sip-uac-unsigned.xml', import.meta.url));

if (spawnSync('sipp', ['-v']).error !== undefined) {
  console.log('## SIP redirect server\n\nskipped: sipp is not installed (apt-get install -y sip-tester)\n');
  process.exit(0);
}

interface Run {
  rate: number;
  calls: number;
  successful: number;
  failed: number;
  retransmissions: number;
  p50Ms: number;
  p99Ms: number;
  /** The server process's CPU time (user + system, /proc) during the step, per call. */
  cpuUsPerCall: number;
}

const dir = mkdtempSync(join(tmpdir(), 'callshield-sip-bench-'));
const ca = await createTestCa();
const leaf = await createShakenCertificate({ ca, spc: '1234' });
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, ca.certificatePem);
const x5uServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/x-pem-file', 'cache-control': 'max-age=3600' }).end(leaf.chainPem));
await new Promise<void>((resolve) => x5uServer.listen(0, '127.0.0.1', resolve));
const x5u = `http://127.0.0.1:${(x5uServer.address() as AddressInfo).port}/shaken-1234.pem`;
const signer = createSigner({ spc: '1234', x5u, privateKeyPem: leaf.privateKeyPem, certificatePem: leaf.certificatePem });

const child = spawn(process.execPath, ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), fileURLToPath(new URL('./support/sip-bench-server.ts', import.meta.url)), caFile, `+${CALLER}`], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const ports = JSON.parse(
  await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`SIP bench server exited ${code}`)));
  }),
) as { screenPort: number; barePort: number };

let seq = 0;
/** One fresh token per call (distinct callee and origid), so no call replays another's PASSporT. */
function injection(calls: number): string {
  const iat = Math.floor(Date.now() / 1000);
  const lines = ['SEQUENTIAL'];
  for (let i = 0; i < calls; i++) {
    const n = seq++;
    const callee = `1650${String(2_000_000 + (n % 8_000_000)).padStart(7, '0')}`;
    const origid = `5b1c2d3e-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const identity = signer.signIdentity(buildPassportPayload({ attest: 'A', orig: CALLER, dest: [callee], iat, origid }));
    lines.push(`+${CALLER};+${callee};${identity.split(';', 1)[0]}`);
  }
  const file = join(dir, `calls-${seq}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function sipp(port: number, rate: number, seconds: number): Promise<Run> {
  const calls = Math.max(1, Math.round(rate * seconds));
  const inf = injection(calls);
  const runDir = mkdtempSync(join(dir, 'run-'));
  const stat = join(runDir, 'stat.csv');
  const args = [
    `127.0.0.1:${port}`, '-sf', SCENARIO, '-inf', inf, '-key', 'x5u', x5u, '-t', 'u1', '-i', '127.0.0.1',
    '-r', String(rate), '-rp', '1000', '-m', String(calls), '-recv_timeout', '5000', '-timeout', `${seconds + 20}s`,
    '-nostdin', '-trace_stat', '-stf', stat, '-fd', '1', '-trace_rtt', '-rtt_freq', '1',
  ];
  const cpuBefore = cpuSecondsOf(child.pid!);
  await new Promise<void>((resolve) => spawn('sipp', args, { cwd: runDir, stdio: 'ignore' }).once('exit', () => resolve()));
  const cpuUsPerCall = ((cpuSecondsOf(child.pid!) - cpuBefore) * 1e6) / calls;
  const rows = readFileSync(stat, 'utf8').trim().split('\n').map((l) => l.split(';'));
  const head = rows[0]!;
  const last = rows[rows.length - 1]!;
  const col = (name: string): number => Number(last[head.indexOf(name)]);
  const rttFile = readdirSync(runDir).find((f) => f.endsWith('_rtt.csv'));
  const times = rttFile
    ? readFileSync(join(runDir, rttFile), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(';')[1])).filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
    : [];
  rmSync(runDir, { recursive: true, force: true });
  rmSync(inf, { force: true });
  return { rate, calls, successful: col('SuccessfulCall(C)'), failed: col('FailedCall(C)'), retransmissions: col('Retransmissions(C)'), p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), cpuUsPerCall };
}

const clean = (r: Run): boolean => r.failed === 0 && r.retransmissions === 0 && r.successful === r.calls;

/** One step; a step that is not clean is tried once more (a stall of the shared machine is not the server's limit). */
async function measureStep(port: number, rate: number): Promise<Run[]> {
  const first = await sipp(port, rate, SECONDS);
  return clean(first) ? [first] : [first, await sipp(port, rate, SECONDS)];
}

const servers = [
  { name: 'callshield SIP screening (verify Identity, screen, 302/603)', port: ports.screenPort },
  { name: 'baseline: 302-only responder, same stack', port: ports.barePort },
];
try {
  // Warm-up: the x5u fetch, JIT, the first transactions.
  for (const s of servers) await sipp(s.port, 50, 1);
  if (process.env.BENCH_SIP_RATE) {
    // Profiling aid: one step at one rate on the screening server, or the 302-only one with
    // BENCH_SIP_TARGET=bare (with BENCH_CPU_PROF=dir), so the two profiles can be compared.
    const port = process.env.BENCH_SIP_TARGET === 'bare' ? ports.barePort : ports.screenPort;
    console.log(JSON.stringify(await sipp(port, Number(process.env.BENCH_SIP_RATE), SECONDS)));
    // BENCH_SIP_COMPARE=1: the same rate on both servers, alternately, three times each: CPU per call side by side.
    if (process.env.BENCH_SIP_COMPARE === '1') {
      for (let r = 0; r < 3; r++) for (const s of servers) console.log(s.name.slice(0, 24), JSON.stringify(await sipp(s.port, Number(process.env.BENCH_SIP_RATE), SECONDS)));
    }
  } else {
    await search();
  }
} finally {
  child.kill('SIGINT');
  x5uServer.closeAllConnections();
  x5uServer.close();
  rmSync(dir, { recursive: true, force: true });
}

async function search(): Promise<void> {
  const best: Array<Run | undefined> = servers.map(() => undefined);
  const firstFail: Array<number | undefined> = servers.map(() => undefined);
  const all: Array<{ server: string; run: Run }> = [];
  // Doubling until each fails, alternating the two at each rate so shared-machine load hits both.
  for (let rate = 100; firstFail.some((f) => f === undefined) && rate <= 12_800; rate *= 2) {
    for (let i = 0; i < servers.length; i++) {
      if (firstFail[i] !== undefined) continue;
      const runs = await measureStep(servers[i]!.port, rate);
      for (const run of runs) all.push({ server: servers[i]!.name, run });
      const r = runs[runs.length - 1]!;
      if (clean(r)) best[i] = r;
      else firstFail[i] = rate;
    }
  }
  // Then three bisection steps between the last clean rate and the first failing one.
  for (let i = 0; i < servers.length; i++) {
    let lo = best[i]?.rate ?? 0;
    let hi = firstFail[i] ?? lo;
    for (let step = 0; step < 3 && hi - lo > 25; step++) {
      const rate = Math.round((lo + hi) / 2);
      const runs = await measureStep(servers[i]!.port, rate);
      for (const run of runs) all.push({ server: servers[i]!.name, run });
      const r = runs[runs.length - 1]!;
      if (clean(r)) {
        best[i] = r;
        lo = rate;
      } else hi = rate;
    }
  }
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
  const rows = servers.map((s, i) => {
    const b = best[i];
    return b ? `| ${s.name} | ${fmt(b.rate)} | ${ms(b.p50Ms)} | ${ms(b.p99Ms)} | ${fmt(b.cpuUsPerCall)} | ${firstFail[i] ? fmt(firstFail[i]!) : '> 12,800'} |` : `| ${s.name} | none clean | | | | ${fmt(firstFail[i] ?? 0)} |`;
  });
  const ratio = best[0] && best[1] ? best[0].rate / best[1].rate : Number.NaN;
  // p99 at a rate both sustained cleanly, for a like-for-like answer time.
  const common = Math.min(best[0]?.rate ?? 0, best[1]?.rate ?? 0);
  const atCommon = servers.map((s) => all.filter((a) => a.server === s.name && a.run.rate === common && clean(a.run)).map((a) => a.run)[0]);
  console.log(`## SIP redirect server

${SIGNED ? '' : '### Unsigned INVITEs (BENCH_SIP_SIGNED=0: screening alone, no Identity header to verify)\n\n'}sipp ${spawnSync('sipp', ['-v']).stdout.toString().match(/v[0-9.]+/)?.[0] ?? ''} UAC over UDP on loopback (INVITE ${SIGNED ? 'with a valid Identity header' : 'without an Identity header'} → 100 → 302/603 → ACK), ${SECONDS} s per step,
rates doubled from 100 calls/s then bisected; "clean" means every call succeeded with no retransmission
(a step that is not clean is run once more before it counts as the limit: the machine is shared).
One token per call, signed just before each step; the caller has 2,000 reports; index of 100,000 numbers.
${SIGNED ? `The ECDSA check runs ${process.env.CALLSHIELD_STIR_VERIFY === 'inline' ? 'on the event loop\'s thread (CALLSHIELD_STIR_VERIFY=inline)' : 'on libuv\'s thread pool (CALLSHIELD_STIR_VERIFY=pool, the default)'}.\n` : ''}Both servers in one process of their own, measured alternately; ${availableParallelism()} CPUs shared with sipp and with
other work (load average at the end ${loadavg().map((l) => l.toFixed(1)).join(', ')}).

| server | highest clean calls/s | p50 answer ms | p99 answer ms | server CPU µs per call | first failing rate |
| --- | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

ratio screening / 302-only (highest clean rate): ${ratio.toFixed(2)} (target ≥ 0.7)
${atCommon[0] && atCommon[1] ? `p99 answer at ${fmt(common)} calls/s (both clean): screening ${ms(atCommon[0].p99Ms)} ms, 302-only ${ms(atCommon[1].p99Ms)} ms` : ''}

Steps: ${all.map((a) => `${a.server.startsWith('callshield') ? 'S' : 'B'}@${a.run.rate}: ${a.run.successful}/${a.run.calls} ok, ${a.run.failed} failed, ${a.run.retransmissions} retrans, p99 ${ms(a.run.p99Ms)} ms, ${fmt(a.run.cpuUsPerCall)} µs CPU/call`).join('; ')}
`);
}
