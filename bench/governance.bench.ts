// Governance: CDR import and feature computation over a generated file (synthetic data) beside a
// raw better-sqlite3 prepared-insert loop of the same rows, with memory sampled as the import goes;
// and the do-not-call scrub of 1,000,000 numbers against a 10,000,000-number registry beside
// HMAC-SHA256 per number (the hash the stored references use).
// BENCH_CDR_ROWS (default 10,000,000), BENCH_DNC_REGISTRY (10,000,000), BENCH_SCRUB (1,000,000).
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app-context.js';
import { generateCdr } from '../src/governance/index.js';
import { importCdrFile } from '../src/operations/governance/cdr.js';
import { createScrubber, scrubFile } from '../src/operations/governance/dnc.js';
import { governanceState, loadGovernance } from '../src/operations/governance/state.js';
import { CLI_OPERATOR } from '../src/operations/actor.js';

const ROWS = Number(process.env.BENCH_CDR_ROWS ?? 10_000_000);
const REGISTRY = Number(process.env.BENCH_DNC_REGISTRY ?? 10_000_000);
const SCRUB = Number(process.env.BENCH_SCRUB ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const mb = (b: number): string => (b / 1_048_576).toFixed(0);
const cpuSecs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1e6;
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(', ');
const dir = mkdtempSync(join(tmpdir(), 'callshield-gov-bench-'));

try {
  // --- generate the file (not timed against anything) ---
  const file = join(dir, 'cdr.csv');
  let t = performance.now();
  const out = createWriteStream(file);
  for (const chunk of generateCdr({ calls: ROWS, seed: 1 })) if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end(() => r()));
  const genSecs = (performance.now() - t) / 1000;
  const fileMb = statSync(file).size / 1_048_576;

  // --- callshield import: stream, per-caller windows, flags stored ---
  const ctx = await openApp(loadConfig({}, { dbPath: join(dir, 'gov.db'), logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
  const s = await loadGovernance(ctx);
  // A do-not-call registry of 100,000 numbers, so the "share of callees on the list" is computed for every record.
  for (let i = 0; i < 100_000; i++) {
    s.keyer.hashNumber(8613000000000 + i * 7919);
    s.dnc.add(s.keyer.hi, s.keyer.lo);
  }
  gc();
  const mem: { at: number; rss: number; heap: number }[] = [];
  let nextSample = 0.1;
  t = performance.now();
  let cpu = process.cpuUsage();
  const r = await importCdrFile(ctx, file, CLI_OPERATOR, {
    evaluate: true,
    onProgress: (p) => {
      const f = p.bytes / p.totalBytes;
      if (f >= nextSample) {
        const m = process.memoryUsage();
        mem.push({ at: p.rows, rss: m.rss, heap: m.heapUsed });
        nextSample += 0.1;
      }
    },
  });
  const importSecs = (performance.now() - t) / 1000;
  const importCpu = cpuSecs(process.cpuUsage(cpu));
  await ctx.close();

  // --- baseline: read the same file, split each line, one prepared INSERT per row ---
  gc();
  const raw = new Database(join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('create table cdr (caller text, callee text, start text, duration integer, answered integer, attestation text)');
  const insert = raw.prepare('insert into cdr values (?, ?, ?, ?, ?, ?)');
  t = performance.now();
  cpu = process.cpuUsage();
  let inserted = 0;
  let rest = '';
  let header = true;
  raw.exec('begin');
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    const text = rest + chunk;
    let i = 0;
    let j: number;
    while ((j = text.indexOf('\n', i)) >= 0) {
      const line = text.slice(i, j);
      i = j + 1;
      if (header) {
        header = false;
        continue;
      }
      const f = line.split(',');
      insert.run(f[0], f[1], f[2], Number(f[3]), Number(f[4]), f[5]);
      if (++inserted % 100_000 === 0) {
        raw.exec('commit');
        raw.exec('begin');
      }
    }
    rest = text.slice(i);
  }
  raw.exec('commit');
  const rawSecs = (performance.now() - t) / 1000;
  const rawCpu = cpuSecs(process.cpuUsage(cpu));
  raw.close();

  // --- scrub: 1,000,000 numbers against a 10,000,000-number registry, in memory ---
  gc();
  const sctx = await openApp(loadConfig({}, { dbPath: join(dir, 'scrub.db'), logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
  const st = await loadGovernance(sctx);
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  t = performance.now();
  for (let i = 0; i < REGISTRY; i++) {
    st.keyer.hashNumber(8613000000000 + i * 3);
    st.dnc.add(st.keyer.hi, st.keyer.lo);
  }
  const buildSecs = (performance.now() - t) / 1000;
  gc();
  const registryBytes = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore;
  // Half the list is registered (every third number from the registry's base), half is not; 1% is in national format.
  const numbers = Array.from({ length: SCRUB }, (_, i) => (i % 100 === 99 ? `1${31}${String(i).padStart(8, '0')}` : `+${8613000000000 + i * (i % 2 ? 2 : 3)}`));
  const scrubber = createScrubber(sctx, governanceState(sctx), { purpose: 'marketing' }, CLI_OPERATOR);
  t = performance.now();
  cpu = process.cpuUsage();
  let notCallable = 0;
  for (const n of numbers) if (!scrubber.check(n).callable) notCallable++;
  const scrubSecs = (performance.now() - t) / 1000;
  const scrubCpu = cpuSecs(process.cpuUsage(cpu));
  // The CLI path: the same numbers as a file, streamed in and out as CSV.
  const listFile = join(dir, 'numbers.txt');
  writeFileSync(listFile, `${numbers.join('\n')}\n`);
  t = performance.now();
  cpu = process.cpuUsage();
  let outBytes = 0;
  const counts = await scrubFile(sctx, listFile, { purpose: 'marketing' }, CLI_OPERATOR, { write: (c) => void (outBytes += c.length) });
  const fileSecs = (performance.now() - t) / 1000;
  const fileCpu = cpuSecs(process.cpuUsage(cpu));
  // Baseline: HMAC-SHA256 of each number, the keyed hash the stored person references use.
  const HMAC_N = Math.min(SCRUB, 200_000);
  t = performance.now();
  let sink = 0;
  for (let i = 0; i < HMAC_N; i++) sink += createHmac('sha256', 'bench-secret').update(numbers[i]!).digest().readUInt8(0);
  const hmacRate = HMAC_N / ((performance.now() - t) / 1000);
  await sctx.close();

  const rss = mem.map((m) => mb(m.rss));
  const heap = mem.map((m) => mb(m.heap));
  const evalRows = (r.evaluation ?? []).map((e) => `| ${e.label} | ${e.truth} | ${e.flagged} | ${e.truePositives} | ${(e.precision * 100).toFixed(1)}% | ${(e.recall * 100).toFixed(1)}% |`).join('\n');
  console.log(`## Governance

Machine: ${cpus().length} cores, load average at the end ${load()} (other sessions share this machine; wall times grow with the load, CPU seconds much less).

Synthetic data: \`callshield gen cdr --calls ${fmt(ROWS)} --seed 1\` (${fileMb.toFixed(0)} MB, generated in ${genSecs.toFixed(1)} s; the records are made up).

### CDR import and feature computation

| measure | callshield \`import cdr\` | raw SQLite prepared INSERT of the same rows | ratio |
|---|---:|---:|---:|
| rows | ${fmt(r.rows)} | ${fmt(inserted)} | |
| seconds (wall) | ${importSecs.toFixed(1)} | ${rawSecs.toFixed(1)} | ${(importSecs / rawSecs).toFixed(2)} |
| CPU seconds (user + system, this process) | ${importCpu.toFixed(1)} | ${rawCpu.toFixed(1)} | ${(importCpu / rawCpu).toFixed(2)} |
| rows per second | ${fmt(r.rows / importSecs)} | ${fmt(inserted / rawSecs)} | ${(r.rows / importSecs / (inserted / rawSecs)).toFixed(2)} |

The import streams the file, keeps per-caller windowed counters, checks every callee against a 100,000-number do-not-call set, and stores only the ${r.flagged} flagged callers (${fmt(r.callers)} callers seen, ${r.malformed} malformed lines). The baseline reads and splits the same file and inserts every row (100,000 per transaction, WAL, synchronous=NORMAL) and computes nothing.

Memory during the import (MB at each tenth of the file): RSS ${rss.join(' → ')}; heap ${heap.join(' → ')}.

Detection on this file (synthetic labels):

| label | injected callers | flagged | correct | precision | recall |
|---|---:|---:|---:|---:|---:|
${evalRows}

### Do-not-call scrub

| measure | callshield | baseline | ratio |
|---|---:|---:|---:|
| registry | ${fmt(REGISTRY)} numbers, built in ${buildSecs.toFixed(1)} s, ${(registryBytes / REGISTRY).toFixed(0)} bytes each | | |
| ${fmt(SCRUB)} numbers through \`createScrubber().check\` (parse, SipHash, look-up, rules) | ${scrubSecs.toFixed(2)} s wall, ${scrubCpu.toFixed(2)} s CPU (${fmt(SCRUB / scrubSecs)}/s) | HMAC-SHA256 alone: ${(SCRUB / hmacRate).toFixed(2)} s (${fmt(hmacRate)}/s) | ${(hmacRate / (SCRUB / scrubSecs)).toFixed(2)} |
| the same numbers as a file through \`dnc scrub\` (stream in, CSV out) | ${fileSecs.toFixed(2)} s wall, ${fileCpu.toFixed(2)} s CPU (${fmt(counts.total / fileSecs)}/s) | | |

${fmt(notCallable)} of ${fmt(SCRUB)} not callable (checksum ${(sink + outBytes) % 10}).
`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
