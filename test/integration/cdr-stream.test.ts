// Call records streamed over NATS JetStream (issue 15): `callshield cdr publish` into the
// nats-server at 127.0.0.1:4222, `callshield serve --cdr-nats --cdr-subject` analysing them. A node
// killed mid-stream (right after a checkpoint's commit, before it acknowledged the messages; or
// with SIGKILL from outside) resumes where it stopped, and the counts and flags equal one clean
// `import cdr` of the same file; two nodes on one store share the durable consumer and each record
// is analysed once. Real processes on a real SQLite file, or PostgreSQL with --engine postgres.
// Campaigns: the labelled rotating and neighbour-spoofing campaigns of `gen cdr` show in
// GET /v1/campaigns while the stream flows (a number joining later gets the CAMPAIGN reason), with
// the import's recall and purity, and after a SIGKILL mid-campaign the stream ends with exactly
// the campaigns of one clean `import cdr --evaluate`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { spawnServiceNode } from '../helpers/spawn-node.js';
import type { ServiceNode } from '../helpers/spawn-node.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { generateKeyPem } from '../../src/audit/index.js';
import { cdrStreamNames } from '../../src/operations/governance/cdr-nats.js';
import { evaluateCampaigns } from '../../src/campaigns/index.js';
import type { CampaignGroup } from '../../src/campaigns/index.js';

const onPostgres = process.env.CALLSHIELD_TEST_ENGINE === 'postgres';
const NATS = 'nats://127.0.0.1:4222';

function cli(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['bin/callshield.js', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function natsUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port: 4222 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, done: (v: T) => boolean, ms = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined && done(v)) return v;
    if (Date.now() - started > ms) assert.fail(`${what}: ${JSON.stringify(v)}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** A nats-server of the test's own (the shared one on 4222 is never stopped). */
async function ownNatsServer(dir: string): Promise<{ url: string; start(): Promise<void>; kill(): Promise<void> }> {
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
  let proc: ChildProcess | undefined;
  const up = () =>
    new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
  return {
    url: `nats://127.0.0.1:${port}`,
    async start() {
      proc = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: 'ignore' });
      for (let i = 0; i < 500 && !(await up()); i++) await new Promise((r) => setTimeout(r, 20));
    },
    async kill() {
      const p = proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await exited;
    },
  };
}

interface StreamView {
  name: string;
  owner: string | null;
  lastSequence: number;
  messages: number;
  rows: number;
  malformed: number;
  callers: number;
  flagged: number;
  connection: { state: string; lastError: string | null; disconnects: number } | null;
}

const available = await natsUp();

describe(`streamed call records on NATS JetStream (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, { skip: available ? false : 'no nats-server at 127.0.0.1:4222 (.ci/run starts one)' }, () => {
  let dir: string;
  let file: string;
  const subjects: string[] = [];
  const nodes: ServiceNode[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  let expected: { rows: number; malformed: number; callers: number; flagged: number; flags: { caller: string; pattern: string }[] };
  // The import's campaigns (member lists, sorted) and its own recall and purity; the file's labels.
  let importCampaigns: string[][];
  let importEvaluation: { campaigns: number; found: number; recall: number; purity: number };
  let labels: Map<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callshield-cdrs-'));
    file = join(dir, 'cdr.csv');
    cli(['gen', 'cdr', '--calls', '150000', '--seed', '5', '--out', file]);
    // A few malformed lines in the middle: counted once, like the file import counts them.
    const text = readFileSync(file, 'latin1').split('\n');
    text.splice(5000, 0, '+8613800000000,not-a-number,2026-10-01T00:00:00Z,5,1,A', 'garbage');
    writeFileSync(file, text.join('\n'), 'latin1');
    const r = JSON.parse(cli(['import', 'cdr', file, '--db', join(dir, 'import.db'), '--evaluate', '--json'], { CALLSHIELD_SECRET_FILE: join(dir, 'import.secret') }));
    expected = { rows: r.rows, malformed: r.malformed, callers: r.callers, flagged: r.flagged, flags: r.flags.map((f: { caller: string; pattern: string }) => ({ caller: f.caller, pattern: f.pattern })) };
    assert.ok(expected.flagged > 0 && expected.malformed === 2);
    importEvaluation = r.campaignEvaluation;
    labels = new Map();
    for (const line of readFileSync(file, 'latin1').split('\n').slice(1)) {
      const f = line.split(',');
      if (f.length === 7 && f[6]!.startsWith('campaign')) labels.set(f[0]!, f[6]!);
    }
    const { openDatabase } = await import('../../src/store/open-database.js');
    const { db } = openDatabase({ dbPath: join(dir, 'import.db') });
    try {
      importCampaigns = groupsOf(await db.selectFrom('campaign_members').select(['campaign_id', 'caller']).execute());
    } finally {
      await db.destroy();
    }
    // Both kinds of labelled campaign were found by the import (the figure the stream is held to).
    assert.ok(importEvaluation.campaigns >= 2 && importCampaigns.length >= 2 && importEvaluation.recall > 0.5, JSON.stringify(importEvaluation));
  });

  function groupsOf(rows: { campaign_id: string; caller: string }[]): string[][] {
    const by = new Map<string, string[]>();
    for (const r of rows) by.set(r.campaign_id, [...(by.get(r.campaign_id) ?? []), r.caller]);
    return [...by.values()].map((m) => m.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
  }

  after(async () => {
    for (const n of nodes) if (n.proc.exitCode === null && n.proc.signalCode === null) await n.stop();
    for (const c of cleanups) await c().catch(() => undefined);
    const nc = await connect({ servers: NATS });
    const jsm = await jetstreamManager(nc);
    for (const s of subjects) await jsm.streams.delete(cdrStreamNames(s).stream).catch(() => undefined);
    await nc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function store(name: string): Promise<{ env: Record<string, string>; carrierKey: string; flags: () => Promise<{ caller: string; pattern: string }[]>; deltas: () => Promise<number> }> {
    let env: Record<string, string>;
    const sub = mkdtempSync(join(dir, `${name}-`));
    if (onPostgres) {
      const pg = await createTestDatabase();
      cleanups.push(pg.drop);
      writeFileSync(join(sub, 'audit-key.pem'), generateKeyPem(), { mode: 0o600 });
      env = { DATABASE_URL: pg.url, CALLSHIELD_SECRET_FILE: join(sub, 'callshield.secret'), CALLSHIELD_AUDIT_KEY_FILE: join(sub, 'audit-key.pem') };
    } else {
      env = { CALLSHIELD_DB: join(sub, 'serve.db') };
    }
    env.CALLSHIELD_CDR_CHECKPOINT_MS = '100';
    env.CALLSHIELD_CDR_LEASE_SECONDS = '2';
    const carrierKey = cli(['keys', 'create', '--org', 'Carrier', '--role', 'carrier'], env).trim().split('\n').at(-1)!;
    const flags = async () => {
      // The stream's pattern rows, read straight from the store.
      const { openDatabase } = await import('../../src/store/open-database.js');
      const { db } = openDatabase({ dbPath: env.CALLSHIELD_DB ?? '', databaseUrl: env.DATABASE_URL });
      try {
        const rows = await db.selectFrom('governance_patterns').select(['identifier', 'pattern']).where('import_id', 'like', 'stream:%').execute();
        return rows.map((r) => ({ caller: r.identifier, pattern: r.pattern }));
      } finally {
        await db.destroy();
      }
    };
    const deltas = async () => {
      // Incremental checkpoints written since the stream's last base snapshot.
      const { openDatabase } = await import('../../src/store/open-database.js');
      const { db } = openDatabase({ dbPath: env.CALLSHIELD_DB ?? '', databaseUrl: env.DATABASE_URL });
      try {
        const rows = await db.selectFrom('governance_cdr_stream_state').select('part').where('part', '>', 0).execute();
        return rows.length;
      } finally {
        await db.destroy();
      }
    };
    return { env, carrierKey, flags, deltas };
  }

  /** The campaigns as GET /v1/campaigns and GET /v1/campaigns/{id} show them: member lists, sorted. */
  async function campaigns(node: ServiceNode, key: string): Promise<{ groups: string[][]; joined: Map<string, string> }> {
    const auth = { authorization: `Bearer ${key}` };
    const list = (await fetch(`${node.url}/v1/campaigns`, { headers: auth }).then((r) => r.json())) as { items: { id: string }[] };
    const joined = new Map<string, string>();
    const rows: { campaign_id: string; caller: string }[] = [];
    for (const c of list.items) {
      const one = (await fetch(`${node.url}/v1/campaigns/${c.id}`, { headers: auth }).then((r) => r.json())) as { members: { caller: string; joinedAt: string }[] };
      for (const m of one.members) {
        rows.push({ campaign_id: c.id, caller: m.caller });
        joined.set(m.caller, m.joinedAt);
      }
    }
    return { groups: groupsOf(rows), joined };
  }

  const evaluate = (groups: string[][]) => evaluateCampaigns(groups.map((members) => ({ members }) as unknown as CampaignGroup), labels);

  async function reasons(node: ServiceNode, key: string, caller: string): Promise<string[]> {
    const rep = (await fetch(`${node.url}/v1/identifiers/${encodeURIComponent(caller)}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.json())) as { reasons: { code: string }[] };
    return rep.reasons.map((x) => x.code);
  }

  /** The 0-based record index (header excluded) of the first call of the n-th number of a campaign. */
  function nthNumberStarts(label: string, n: number): { index: number; caller: string } {
    const records = readFileSync(file, 'latin1').split('\n').slice(1);
    const seen = new Set<string>();
    for (let i = 0; i < records.length; i++) {
      const f = records[i]!.split(',');
      if (f[6] !== label || seen.has(f[0]!)) continue;
      seen.add(f[0]!);
      if (seen.size === n) return { index: i, caller: f[0]! };
    }
    throw new Error(`${label} has fewer than ${n} numbers`);
  }

  async function streams(node: ServiceNode, key: string): Promise<StreamView | undefined> {
    const r = await fetch(`${node.url}/v1/cdr/streams`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { items: StreamView[] };
    return body.items[0];
  }

  function publish(subject: string, from = file, nats = NATS): { messages: number; lines: number; lastSequence: number } {
    return JSON.parse(cli(['cdr', 'publish', from, '--nats', nats, '--subject', subject, '--json']));
  }

  /** The file's records from..to (0-based, header excluded) as a file of their own, with the header. */
  function part(name: string, from: number, to?: number): string {
    const [header, ...records] = readFileSync(file, 'latin1').split('\n').filter(Boolean);
    const path = join(dir, name);
    writeFileSync(path, [header, ...records.slice(from, to)].join('\n') + '\n', 'latin1');
    return path;
  }

  const sorted = (xs: { caller: string; pattern: string }[]) => [...xs].sort((a, b) => a.caller.localeCompare(b.caller));

  it('a node that dies after a checkpoint commits but before it acknowledges resumes and counts each record once', async () => {
    const s = await store('crash');
    const subject = `cdr.test.${randomUUID().slice(0, 8)}`;
    subjects.push(subject);
    const args = ['--cdr-nats', NATS, '--cdr-subject', subject];
    const pub = publish(subject);
    assert.equal(pub.lines, expected.rows + expected.malformed);
    // Dies the hardest way right after the first checkpoint that wrote flags, before its acks.
    const a = await spawnServiceNode({ ...s.env, CALLSHIELD_TEST_EXIT_AFTER_COMMIT: 'reputation' }, args);
    nodes.push(a);
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => a.proc.once('exit', (_c, sig) => resolve(sig)));
    assert.equal(signal, 'SIGKILL');
    const b = await spawnServiceNode(s.env, args);
    nodes.push(b);
    const partial = await streams(b, s.carrierKey);
    assert.ok(partial && partial.rows > 0 && partial.flagged > 0, `the dead node had committed a checkpoint: ${JSON.stringify(partial)}`);
    const done = await until('the restarted node analyses the rest', () => streams(b, s.carrierKey), (v) => v !== undefined && v.lastSequence === pub.lastSequence);
    assert.deepEqual({ rows: done.rows, malformed: done.malformed, callers: done.callers, flagged: done.flagged }, { rows: expected.rows, malformed: expected.malformed, callers: expected.callers, flagged: expected.flagged });
    assert.equal(done.messages, pub.messages, 'each message analysed once');
    assert.deepEqual(sorted(await s.flags()), sorted(expected.flags));
    // Flags are reputation evidence with the CALL_PATTERN reason.
    const caller = expected.flags[0]!.caller;
    const rep = await fetch(`${b.url}/v1/identifiers/${encodeURIComponent(caller)}`, { headers: { authorization: `Bearer ${s.carrierKey}` } }).then((r) => r.json() as Promise<{ reasons: { code: string }[] }>);
    assert.ok(rep.reasons.some((x: { code: string }) => x.code === 'CALL_PATTERN'), JSON.stringify(rep));
    await b.stop();
  });

  it('with checkpoints ten minutes apart, a stream that goes quiet is committed at once: its flags show, not ten minutes later', async () => {
    const s = await store('quiet');
    const subject = `cdr.test.${randomUUID().slice(0, 8)}`;
    subjects.push(subject);
    const node = await spawnServiceNode({ ...s.env, CALLSHIELD_CDR_CHECKPOINT_MS: '600000' }, ['--cdr-nats', NATS, '--cdr-subject', subject]);
    nodes.push(node);
    const pub = publish(subject);
    // Within the helper's minute: only the commit on a quiet stream can do it, the interval is ten.
    const done = await until('the quiet stream is committed', () => streams(node, s.carrierKey), (v) => v !== undefined && v.lastSequence === pub.lastSequence);
    assert.equal(done.rows, expected.rows);
    assert.deepEqual(sorted(await s.flags()), sorted(expected.flags));
    // The counters are stored packed (store/governance/checkpoint-bytes.ts), and read back whole.
    const { openDatabase } = await import('../../src/store/open-database.js');
    const { unpackCheckpointBytes } = await import('../../src/store/governance/checkpoint-bytes.js');
    const { db } = openDatabase({ dbPath: s.env.CALLSHIELD_DB ?? '', databaseUrl: s.env.DATABASE_URL });
    try {
      const base = await db.selectFrom('governance_cdr_stream_state').select('data').where('part', '=', 0).executeTakeFirstOrThrow();
      assert.deepEqual([...base.data.subarray(0, 4)], [0xff, 0x43, 0x53, 0x5a], 'packed');
      const counters = unpackCheckpointBytes(base.data);
      assert.ok(counters.byteLength > 2 * base.data.byteLength, `${base.data.byteLength} bytes stored for ${counters.byteLength}`);
    } finally {
      await db.destroy();
    }
    await node.stop();
  });

  it('a node killed twice, after incremental checkpoints and in the middle of a batch, resumes each time and ends like one clean import', async () => {
    const s = await store('deltas');
    const subject = `cdr.test.${randomUUID().slice(0, 8)}`;
    subjects.push(subject);
    const args = ['--cdr-nats', NATS, '--cdr-subject', subject];
    const seen = (node: ServiceNode, seq: number) => until(`the node analyses up to sequence ${seq}`, () => streams(node, s.carrierKey), (v) => v !== undefined && v.lastSequence === seq);
    const a = await spawnServiceNode(s.env, args);
    nodes.push(a);
    // Most of the file first (a base snapshot of its callers), then two small batches: each
    // checkpoint after them writes only the callers those batches touched.
    await seen(a, publish(subject, part('p1.csv', 0, 100_000)).lastSequence);
    await seen(a, publish(subject, part('p2.csv', 100_000, 101_000)).lastSequence);
    await seen(a, publish(subject, part('p3.csv', 101_000, 102_000)).lastSequence);
    const deltas = await s.deltas();
    assert.ok(deltas >= 1, `incremental checkpoints were written: ${deltas}`);
    a.proc.kill('SIGKILL');
    await new Promise((res) => a.proc.once('exit', res));
    // The second node resumes from base + deltas and is killed while the rest of the file flows.
    const b = await spawnServiceNode(s.env, args);
    nodes.push(b);
    const before = (await streams(b, s.carrierKey))!;
    assert.equal(before.rows, 102_000 - expected.malformed, 'the records of the three batches, as of the last checkpoint');
    const rest = publish(subject, part('p4.csv', 102_000));
    await until('the second node analyses part of the rest', () => streams(b, s.carrierKey), (v) => v !== undefined && v.rows > before.rows);
    b.proc.kill('SIGKILL');
    await new Promise((res) => b.proc.once('exit', res));
    const c = await spawnServiceNode(s.env, args);
    nodes.push(c);
    const done = await seen(c, rest.lastSequence);
    assert.deepEqual({ rows: done.rows, malformed: done.malformed, callers: done.callers, flagged: done.flagged }, { rows: expected.rows, malformed: expected.malformed, callers: expected.callers, flagged: expected.flagged });
    assert.deepEqual(sorted(await s.flags()), sorted(expected.flags));
    await c.stop();
  });

  it('survives its NATS server stopping and starting again mid-stream: reconnects, shows the state, and ends like one clean import', async () => {
    const nats = await ownNatsServer(mkdtempSync(join(dir, 'nats-')));
    cleanups.push(() => nats.kill());
    await nats.start();
    const s = await store('reconnect');
    const subject = `cdr.test.${randomUUID().slice(0, 8)}`;
    const args = ['--cdr-nats', nats.url, '--cdr-subject', subject];
    const head = publish(subject, part('r1.csv', 0, 75_000), nats.url);
    const a = await spawnServiceNode(s.env, args);
    nodes.push(a);
    const first = await until('the node analyses', () => streams(a, s.carrierKey), (v) => v !== undefined && v.rows > 0);
    assert.equal(first.connection?.state, 'connected');
    await nats.kill();
    const away = await until('the node sees NATS gone', () => streams(a, s.carrierKey), (v) => v !== undefined && v.connection?.state === 'reconnecting');
    assert.ok(away.connection!.lastError, 'the last error is shown');
    const ready = await fetch(`${a.url}/readyz`).then((r) => r.json() as Promise<{ checks: Record<string, string> }>);
    assert.equal(ready.checks[`cdrStream:${cdrStreamNames(subject).durable}`], 'reconnecting');
    await nats.start();
    const rest = publish(subject, part('r2.csv', 75_000), nats.url);
    // Messages in flight when the server died come again after the ack wait (30 s at least).
    const done = await until('the node finishes after the restart', () => streams(a, s.carrierKey), (v) => v !== undefined && v.messages === head.messages + rest.messages, 180_000);
    assert.equal(done.connection?.state, 'connected');
    assert.ok(done.connection!.disconnects >= 1);
    assert.deepEqual({ rows: done.rows, malformed: done.malformed, callers: done.callers, flagged: done.flagged }, { rows: expected.rows, malformed: expected.malformed, callers: expected.callers, flagged: expected.flagged });
    assert.deepEqual(sorted(await s.flags()), sorted(expected.flags));
    await a.stop();
  });

  it('two nodes share one durable consumer: one analyses, the other takes over when it is killed mid-stream, each record counted once', async () => {
    const s = await store('pair');
    const subject = `cdr.test.${randomUUID().slice(0, 8)}`;
    subjects.push(subject);
    const args = ['--cdr-nats', NATS, '--cdr-subject', subject];
    const a = await spawnServiceNode(s.env, args);
    const b = await spawnServiceNode(s.env, args);
    nodes.push(a, b);
    const pub = publish(subject);
    const first = await until('a node starts analysing', () => streams(a, s.carrierKey), (v) => v !== undefined && v.rows > 0 && v.owner !== null);
    const owner = first.owner!;
    const pid = Number(owner.split(':')[1]);
    const [dead, alive] = a.proc.pid === pid ? [a, b] : [b, a];
    assert.equal(dead.proc.pid, pid, `the lease names one of the two nodes: ${owner}`);
    dead.proc.kill('SIGKILL');
    const done = await until('the other node takes over and finishes', () => streams(alive, s.carrierKey), (v) => v !== undefined && v.lastSequence === pub.lastSequence);
    assert.notEqual(done.owner, owner);
    assert.deepEqual({ rows: done.rows, malformed: done.malformed, callers: done.callers, flagged: done.flagged }, { rows: expected.rows, malformed: expected.malformed, callers: expected.callers, flagged: expected.flagged });
    assert.equal(done.messages, pub.messages);
    assert.deepEqual(sorted(await s.flags()), sorted(expected.flags));
    // The campaigns span both nodes' records (the traces moved with the lease): exactly the import's.
    await until('the campaigns equal the import', () => campaigns(alive, s.carrierKey), (v) => JSON.stringify(v.groups) === JSON.stringify(importCampaigns), 30_000);
    await alive.stop();
  });

  it('groups the campaigns while the stream flows: a rotating campaign shows in GET /v1/campaigns, a number that joins later gets CAMPAIGN, recall and purity as the import', async () => {
    const s = await store('campaigns');
    const subject = `cdr.test.${randomUUID().slice(0, 8)}`;
    subjects.push(subject);
    const args = ['--cdr-nats', NATS, '--cdr-subject', subject];
    const node = await spawnServiceNode(s.env, args);
    nodes.push(node);
    // The stream up to the start of campaign-0's 15th number, then the rest.
    const cut = nthNumberStarts('campaign-0', 15);
    const head = publish(subject, part('c1.csv', 0, cut.index));
    await until('the node analyses the first part', () => streams(node, s.carrierKey), (v) => v !== undefined && v.lastSequence === head.lastSequence);
    const early = await until('campaign-0 shows while the stream flows', () => campaigns(node, s.carrierKey), (v) => v.groups.some((g) => g.filter((m) => labels.get(m) === 'campaign-0').length >= 3));
    assert.ok(!early.joined.has(cut.caller), 'the 15th number has not called yet');
    const rest = publish(subject, part('c2.csv', cut.index));
    await until('the node analyses the rest', () => streams(node, s.carrierKey), (v) => v !== undefined && v.lastSequence === rest.lastSequence);
    // The 15th number joined campaign-0's campaign and has the CAMPAIGN reason.
    const later = await until('the later number joins', () => campaigns(node, s.carrierKey), (v) => v.joined.has(cut.caller));
    const group = later.groups.find((g) => g.includes(cut.caller))!;
    assert.ok(group.filter((m) => labels.get(m) === 'campaign-0').length > group.length / 2, 'it joined the campaign of its own operation');
    assert.ok((await reasons(node, s.carrierKey, cut.caller)).includes('CAMPAIGN'));
    // Recall and purity against the labels, held to the import's own figures in this run.
    const done = await until('the campaigns settle', () => campaigns(node, s.carrierKey), (v) => evaluate(v.groups).recall >= importEvaluation.recall * 0.95);
    const e = evaluate(done.groups);
    assert.ok(e.recall >= importEvaluation.recall * 0.95, `recall ${e.recall} against the import's ${importEvaluation.recall}`);
    assert.ok(e.purity >= importEvaluation.purity * 0.95, `purity ${e.purity} against the import's ${importEvaluation.purity}`);
    await node.stop();
  });

  it('a node killed in the middle of a campaign resumes with its traces and ends with exactly the campaigns of one clean import', async () => {
    const s = await store('campaign-kill');
    const subject = `cdr.test.${randomUUID().slice(0, 8)}`;
    subjects.push(subject);
    const args = ['--cdr-nats', NATS, '--cdr-subject', subject];
    // Cut inside campaign-0's 10th number: its calls, and the campaign, straddle the kill.
    const cut = nthNumberStarts('campaign-0', 10).index + 5;
    const a = await spawnServiceNode(s.env, args);
    nodes.push(a);
    const head = publish(subject, part('k1.csv', 0, cut));
    await until('the first node analyses the first part', () => streams(a, s.carrierKey), (v) => v !== undefined && v.lastSequence === head.lastSequence);
    a.proc.kill('SIGKILL');
    await new Promise((res) => a.proc.once('exit', res));
    const b = await spawnServiceNode(s.env, args);
    nodes.push(b);
    const rest = publish(subject, part('k2.csv', cut));
    const done = await until('the second node analyses the rest', () => streams(b, s.carrierKey), (v) => v !== undefined && v.lastSequence === rest.lastSequence);
    assert.equal(done.rows, expected.rows);
    const final = await until('the campaigns equal the import', () => campaigns(b, s.carrierKey), (v) => JSON.stringify(v.groups) === JSON.stringify(importCampaigns), 30_000).catch(async (err) => {
      assert.deepEqual((await campaigns(b, s.carrierKey)).groups, importCampaigns);
      throw err;
    });
    assert.deepEqual(final.groups, importCampaigns);
    await b.stop();
  });

  it('refuses a subject with wildcards and a --cdr-nats without --cdr-subject', () => {
    assert.throws(() => cli(['cdr', 'publish', file, '--nats', NATS, '--subject', 'cdr.>']), /NATS subject/);
    assert.throws(() => cli(['serve', '--port', '0', '--cdr-nats', NATS], { CALLSHIELD_DB: join(dir, 'x.db') }), /--cdr-nats and --cdr-subject go together/);
  });
});
