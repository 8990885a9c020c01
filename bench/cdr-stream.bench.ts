// Streamed call records (issue 15): records per second through NATS JetStream into the analyser
// (`serve --cdr-nats`'s consumer, checkpoints included) beside `import cdr` of the same file, in the
// same run. Two stream figures: end to end (`callshield cdr publish` in its own process while the
// consumer runs, as a carrier's exporter would), and consume only (the file already on the stream,
// e.g. a node catching up). The stream groups campaigns as it goes, so each stream run is held to
// the import of the same file with grouping on, and again with grouping off on both sides.
// Needs nats-server -js at 127.0.0.1:4222 (BENCH_NATS_URL).
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
import { startCdrStreamConsumer } from '../src/operations/governance/cdr-stream.js';
import { cdrStreamNames, publishCdrFile } from '../src/operations/governance/cdr-nats.js';
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

/** Each campaign's members, sorted (to compare the stream's campaigns with the import's). */
async function campaignsOf(db: Parameters<typeof listCdrStreams>[0]): Promise<string> {
  const rows = await db.selectFrom('campaign_members').select(['campaign_id', 'caller']).execute();
  const by = new Map<string, string[]>();
  for (const r of rows) by.set(r.campaign_id, [...(by.get(r.campaign_id) ?? []), r.caller]);
  return JSON.stringify([...by.values()].map((m) => m.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!)));
}

/** When the stream stored its first message (epoch ms): where a record first is on the stream. */
async function firstStoredAt(subject: string): Promise<number> {
  const nc = await connect({ servers: NATS });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(cdrStreamNames(subject).stream);
    return Date.parse(info.state.first_ts);
  } finally {
    await nc.close();
  }
}

async function consume(db: string, subject: string, campaigns: boolean, publish: () => Promise<void>): Promise<{ secs: number; rows: number; flagged: number; cpu: number; campaigns: string; fromFirstRecord: number }> {
  const ctx = await openApp(loadConfig({}, { dbPath: join(dir, db), logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
  const t = performance.now();
  const cpu = process.cpuUsage();
  const consumer = startCdrStreamConsumer(ctx, { url: NATS, subject, campaigns });
  await consumer.ready;
  const published = publish();
  let row = await progress(ctx.db, cdrStreamNames(subject).durable);
  while (!row || row.rows < ROWS) {
    await new Promise((r) => setTimeout(r, 20));
    row = await progress(ctx.db, cdrStreamNames(subject).durable);
  }
  const secs = (performance.now() - t) / 1000;
  const doneAt = Date.now();
  const c = process.cpuUsage(cpu);
  await published;
  await consumer.stop(); // the last grouping, if one was still due, runs before stop() returns
  const found = await campaignsOf(ctx.db);
  await ctx.close();
  // From the first record stored on the stream to the last one committed: the end-to-end time
  // without the publisher's own start (a node process loading the CLI and NATS, about 0.1 s).
  const fromFirstRecord = (doneAt - (await firstStoredAt(subject))) / 1000;
  return { secs, rows: row.rows, flagged: row.flagged, cpu: (c.user + c.system) / 1e6, campaigns: found, fromFirstRecord };
}

try {
  const file = join(dir, 'cdr.csv');
  const out = createWriteStream(file);
  for (const chunk of generateCdr({ calls: ROWS, seed: 1 })) if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end(() => r()));
  const fileMb = statSync(file).size / 1_048_576;

  // --- baselines: import cdr of the same file, with campaign grouping on and off ---
  const imports: { secs: number; cpu: number; campaigns: string }[] = [];
  let r!: Awaited<ReturnType<typeof importCdrFile>>;
  let t = 0;
  for (const campaigns of [true, false]) {
    const ictx = await openApp(loadConfig({}, { dbPath: join(dir, `import-${campaigns}.db`), logLevel: 'silent' }), { logger: pino({ level: 'silent' }), skipIndex: true });
    t = performance.now();
    const cpu = process.cpuUsage();
    r = await importCdrFile(ictx, file, CLI_OPERATOR, { campaigns });
    const c = process.cpuUsage(cpu);
    imports.push({ secs: (performance.now() - t) / 1000, cpu: (c.user + c.system) / 1e6, campaigns: await campaignsOf(ictx.db) });
    await ictx.close();
  }
  const [on, off] = imports as [(typeof imports)[0], (typeof imports)[0]];

  // --- end to end: the publisher in its own process, the consumer here ---
  const s1 = `cdr.bench.${process.pid}.e2e`;
  subjects.push(s1);
  const e2e = await consume('e2e.db', s1, true, async () => {
    const p = spawn(process.execPath, ['bin/callshield.js', 'cdr', 'publish', file, '--nats', NATS, '--subject', s1], { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'ignore', 'inherit'] });
    await new Promise<void>((res, rej) => p.once('exit', (code) => (code === 0 ? res() : rej(new Error(`cdr publish exited with ${code}`)))));
  });

  // --- consume only: the whole file already on the stream ---
  const s2 = `cdr.bench.${process.pid}.drain`;
  subjects.push(s2);
  t = performance.now();
  const pub = await publishCdrFile(file, { url: NATS, subject: s2 });
  const publishSecs = (performance.now() - t) / 1000;
  const drain = await consume('drain.db', s2, true, async () => {});

  // --- the same two without grouping, against the import without grouping ---
  const s3 = `cdr.bench.${process.pid}.e2e-off`;
  subjects.push(s3);
  const e2eOff = await consume('e2e-off.db', s3, false, async () => {
    const p = spawn(process.execPath, ['bin/callshield.js', 'cdr', 'publish', file, '--nats', NATS, '--subject', s3], { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'ignore', 'inherit'] });
    await new Promise<void>((res, rej) => p.once('exit', (code) => (code === 0 ? res() : rej(new Error(`cdr publish exited with ${code}`)))));
  });
  const s4 = `cdr.bench.${process.pid}.drain-off`;
  subjects.push(s4);
  await publishCdrFile(file, { url: NATS, subject: s4 });
  const drainOff = await consume('drain-off.db', s4, false, async () => {});

  for (const x of [e2e, drain, e2eOff, drainOff]) {
    if (x.rows !== r.rows || x.flagged !== r.flagged) throw new Error(`the stream disagrees with the import: ${JSON.stringify({ import: [r.rows, r.flagged], stream: [x.rows, x.flagged] })}`);
  }
  for (const x of [e2e, drain]) if (x.campaigns !== on.campaigns) throw new Error('the stream found other campaigns than the import');
  const rate = (secs: number) => r.rows / secs;
  const campaignCount = (JSON.parse(on.campaigns) as string[][]).length;
  const row = (what: string, secs: number, base: number, cpu: number) => `| ${what} | ${fmt(r.rows)} | ${secs.toFixed(1)} | ${fmt(rate(secs))} | ${(base / secs).toFixed(2)} | ${cpu.toFixed(1)} |`;
  console.log(`## Streamed call records (NATS JetStream)

Machine: 2 cores shared with other sessions, load average at the end ${load()} (wall times grow with the load).
Synthetic data: \`callshield gen cdr --calls ${fmt(ROWS)} --seed 1\` (${fileMb.toFixed(0)} MB, ${pub.messages} messages of at most 256 kB); nats-server -js on loopback, file storage.
Command: \`npm run bench -- cdr-stream\`.

| measure | records | seconds (wall) | records per second | ratio to the \`import cdr\` above it | CPU s |
|---|---:|---:|---:|---:|---:|
${row('`import cdr`, campaign grouping on (baseline)', on.secs, on.secs, on.cpu)}
${row('stream end to end, grouping on (`cdr publish` in its own process while the consumer runs)', e2e.secs, on.secs, e2e.cpu)}
${row('… the same run from the first record on the stream (without the publisher\'s start)', e2e.fromFirstRecord, on.secs, e2e.cpu)}
${row('stream consume only, grouping on (file already on the stream)', drain.secs, on.secs, drain.cpu)}
${row('`import cdr`, grouping off (baseline)', off.secs, off.secs, off.cpu)}
${row('stream end to end, grouping off', e2eOff.secs, off.secs, e2eOff.cpu)}
${row('… the same run from the first record on the stream', e2eOff.fromFirstRecord, off.secs, e2eOff.cpu)}
${row('stream consume only, grouping off', drainOff.secs, off.secs, drainOff.cpu)}
| \`cdr publish\` alone (in this process) | ${fmt(pub.lines)} | ${publishSecs.toFixed(1)} | ${fmt(pub.lines / publishSecs)} | | |

Every stream run ends with the import's counts (${fmt(r.rows)} records, ${fmt(r.callers)} callers, ${r.flagged} flagged); with grouping on, with exactly the import's ${campaignCount} campaigns (the same members). Times include the checkpoints.
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
