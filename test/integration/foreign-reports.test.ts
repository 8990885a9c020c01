// A report written by one node reaches the other nodes as that one report (change kind 'report'):
// they add it to the caller's tally, as the writer did, instead of re-reading every report of the
// caller and dropping their tally (issue 17: a number everybody reports, behind a load balancer).
// Two AppContexts on one store (a SQLite file, or PostgreSQL with --engine postgres), in this process.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import type { AppContext } from '../../src/app-context.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import type { Actor } from '../../src/operations/actor.js';
import { fileReport } from '../../src/operations/reputation/reports.js';
import { loadEvidence } from '../../src/store/reputation/evidence.js';
import { scoreEvidence } from '../../src/reputation/index.js';
import { readChangesAfter } from '../../src/store/changes.js';
import { generateKeyPem } from '../../src/audit/index.js';
import { createTestDatabase } from '../helpers/postgres.js';

const onPostgres = process.env.CALLSHIELD_TEST_ENGINE === 'postgres';
const DAY = 86_400_000;
const CALLER = '+8613812349001';

describe(`reports from another node are added to the tally, not re-read (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let dir: string;
  let drop: (() => Promise<void>) | undefined;
  let a: AppContext;
  let b: AppContext;
  let app: Actor;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callshield-foreign-'));
    let store: Parameters<typeof loadConfig>[1];
    if (onPostgres) {
      const pg = await createTestDatabase();
      drop = pg.drop;
      writeFileSync(join(dir, 'audit-key.pem'), generateKeyPem(), { mode: 0o600 });
      store = { databaseUrl: pg.url, secretFile: join(dir, 'callshield.secret'), auditKeyFile: join(dir, 'audit-key.pem') };
    } else {
      store = { dbPath: join(dir, 'shared.db') };
    }
    const open = () => openApp(loadConfig({}, { ...store, logLevel: 'silent' }), { logger: pino({ level: 'silent' }) });
    a = await open();
    b = await open();
    const { org } = await createApiKey(a, { org: 'App', role: 'app' }, CLI_OPERATOR);
    app = { orgId: org.id, orgName: 'App', role: 'app', person: 'app' };
    // Subscribers known for a month: their reports count at once (no burst hold).
    const seen = new Date(Date.now() - 30 * DAY).toISOString();
    await a.db.insertInto('reporters').values(Array.from({ length: 12 }, (_, i) => ({ org_id: org.id, reporter_hash: a.hash(`${org.id}:s${i}`), first_seen_at: seen }))).execute();
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const full = async (ctx: AppContext): Promise<number> => {
    const bundle = (await loadEvidence(ctx.db, [CALLER])).get(CALLER);
    return scoreEvidence(bundle?.evidence ?? [], ctx.now(), bundle?.clearance).score;
  };

  it("node B applies node A's reports one by one into its tally, keeps the tally, and scores what a full recompute scores", async () => {
    await b.applyChanges();
    const before = await readChangesAfter(a.db, b.appliedChangeSeq());
    assert.equal(before.length, 0);
    for (let i = 0; i < 3; i++) await fileReport(a, { caller: CALLER, reporter: `s${i}`, category: 'fraud' }, app);
    const logged = await readChangesAfter(a.db, b.appliedChangeSeq());
    assert.deepEqual([...new Set(logged.map((r) => r.kind))], ['report'], 'each report is logged as itself');
    assert.equal(logged.length, 3);

    await b.applyChanges();
    assert.equal(b.tallies.get(CALLER)?.size, 3, 'node B keeps a tally of the caller with its 3 reporters (a full re-score would have dropped it)');
    const first = b.index.get(CALLER)?.score ?? 0;
    assert.ok(first > 0);
    assert.equal(first, await full(b));

    for (let i = 3; i < 12; i++) await fileReport(a, { caller: CALLER, reporter: `s${i}`, category: 'fraud' }, app);
    await b.applyChanges();
    assert.equal(b.tallies.get(CALLER)?.size, 12, 'the same tally, grown by the 9 reports');
    const second = b.index.get(CALLER)?.score ?? 0;
    assert.ok(second >= first, `${second} >= ${first}`);
    assert.equal(second, await full(b));
    assert.equal(second, a.index.get(CALLER)?.score, 'both nodes agree');
  });
});
