// Streamed call records (issue 15): records per second through NATS JetStream into the analyser
// (`serve --cdr-nats`'s consumer, checkpoints included) beside `import cdr` of the same file, in the
// same run. Two stream figures: end to end (`callshield cdr publish` in its own process while the
// consumer runs, as a carrier's exporter would), and consume only (the file already on the stream,
// e.g. a node catching up). Needs nats-server -js at 127.0.0.1:4222 (BENCH_NATS_URL).
// BENCH_CDR_STREAM_ROWS (default 2,000,000).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { openApp } from '../src/app-context.js';
import { generateCdr } from '../src/governance/index.js';
import { importCdrFile } from '../src/operations/governance/cdr.js';
import { cdrStreamNames, publishCdrFile, startCdrStreamConsumer } from '../src/operations/governance/cdr-stream.js';
import { listCdrStreams } from '../src/store/governance/cdr-streams.js';
// Polled without the snapshot column: reading megabytes of counters every 20 ms slowed the consumer it measures.
const progress = async (db: Parameters<typeof listCdrStreams>[0], name: string) => (await listCdrStreams(db)).find((r) => r.name === name);
import { CLI_OPERATOR } from '../src/operations/actor.js';

const ROWS = Number(process.env.BENCH_CDR_STREAM_ROWS ?? 2_000_000);
const NATS = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(', ');
const dir = mkdtempSync(join(tmpdir(), 'callshield-cdrs-bench-'));
const subjects: string[] = [];

async function consume(db: string, subject: string, publish: () => Promise<void>): Promise<{ secs: number; rows: number; flagged: number; cpu: number }> {
  const ctx = await openApp(loadConfig({}, { dbPath: join(dir, db), logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
  const t = performance.now();
  const cpu = process.cpuUsage();
  const consumer = startCdrStreamConsumer(ctx, { url: NATS, subject });
  await consumer.ready;
  const published = publish();
  let row = await progress(ctx.db, cdrStreamNames(subject).durable);
  while (!row || row.rows < ROWS) {
    await new Promise((r) => setTimeout(r, 20));
    row = await progress(ctx.db, cdrStreamNames(subject).durable);
  }
  const secs = (performance.now() - t) / 1000;
  const c = process.cpuUsage(cpu);
  await published;
  await consumer.stop();
  await ctx.close();
  return { secs, rows: row.rows, flagged: row.flagged, cpu: (c.user + c.system) / 1e6 };
}

try {
  const file = join(dir, 'cdr.csv');
  const out = createWriteStream(file);
  for (const chunk of generateCdr({ calls: ROWS, seed: 1 })) if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end(() => r()));
  const fileMb = statSync(file).size / 1_048_576;

  // --- baseline: import cdr of the same file ---
  const ictx = await openApp(loadConfig({}, { dbPath: join(dir, 'import.db'), logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
  let t = performance.now();
  const r = await importCdrFile(ictx, file, CLI_OPERATOR, { campaigns: false }); // the stream does not group campaigns: like with like
  const importSecs = (performance.now() - t) / 1000;
  await ictx.close();

  // --- end to end: the publisher in its own process, the consumer here ---
  const s1 = `cdr.bench.${process.pid}.e2e`;
  subjects.push(s1);
  const e2e = await consume('e2e.db', s1, async () => {
    const p = spawn(process.execPath, ['bin/callshield.js', 'cdr', 'publish', file, '--nats', NATS, '--subject', s1], { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'ignore', 'inherit'] });
    await new Promise<void>((res, rej) => p.once('exit', (code) => (code === 0 ? res() : rej(new Error(`cdr publish exited with ${code}`)))));
  });

  // --- consume only: the whole file already on the stream ---
  const s2 = `cdr.bench.${process.pid}.drain`;
  subjects.push(s2);
  t = performance.now();
  const pub = await publishCdrFile(file, { url: NATS, subject: s2 });
  const publishSecs = (performance.now() - t) / 1000;
  const drain = await consume('drain.db', s2, async () => {});

  if (e2e.rows !== r.rows || drain.rows !== r.rows || e2e.flagged !== r.flagged || drain.flagged !== r.flagged) {
    throw new Error(`the stream disagrees with the import: ${JSON.stringify({ import: [r.rows, r.flagged], e2e: [e2e.rows, e2e.flagged], drain: [drain.rows, drain.flagged] })}`);
  }
  const rate = (secs: number) => r.rows / secs;
  console.log(`## Streamed call records (NATS JetStream)

Machine: 2 cores shared with other sessions, load average at the end ${load()} (wall times grow with the load).
Synthetic data: \`callshield gen cdr --calls ${fmt(ROWS)} --seed 1\` (${fileMb.toFixed(0)} MB, ${pub.messages} messages of at most 256 kB); nats-server -js on loopback, file storage.
Command: \`npm run bench -- cdr-stream\`.

| measure | records | seconds (wall) | records per second | ratio to \`import cdr\` |
|---|---:|---:|---:|---:|
| \`import cdr\` of the file (baseline) | ${fmt(r.rows)} | ${importSecs.toFixed(1)} | ${fmt(rate(importSecs))} | 1.00 |
| stream end to end (\`cdr publish\` in its own process while the consumer runs) | ${fmt(e2e.rows)} | ${e2e.secs.toFixed(1)} | ${fmt(rate(e2e.secs))} | ${(importSecs / e2e.secs).toFixed(2)} |
| stream consume only (file already on the stream) | ${fmt(drain.rows)} | ${drain.secs.toFixed(1)} | ${fmt(rate(drain.secs))} | ${(importSecs / drain.secs).toFixed(2)} |
| \`cdr publish\` alone (in this process) | ${fmt(pub.lines)} | ${publishSecs.toFixed(1)} | ${fmt(pub.lines / publishSecs)} | |

Both stream runs end with the import's counts (${fmt(r.rows)} records, ${fmt(r.callers)} callers, ${r.flagged} flagged); their time includes the checkpoints (every 2 s: counters, record ids and changed flags in one transaction before the acks). Consumer CPU seconds: end to end ${e2e.cpu.toFixed(1)}, consume only ${drain.cpu.toFixed(1)}.
`);
} finally {
  const nc = await connect({ servers: NATS }).catch(() => undefined);
  if (nc) {
    const jsm = await jetstreamManager(nc);
    for (const s of subjects) await jsm.streams.delete(cdrStreamNames(s).stream).catch(() => undefined);
    await nc.close();
  }
  rmSync(dir, { recursive: true, force: true });
}
