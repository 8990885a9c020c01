// A node's change feed does not wake for its own report writes on PostgreSQL: the one-statement
// write of known reporters' reports (store/reputation/report-writes.ts), and the transaction of a
// new reporter's report (operations/write.ts, every entry published as applied), NOTIFY with the
// writing node's own notice, which that node already applied (AppContext.ownReputationChange). The other
// node wakes and applies it at once; the writer reads its own entries back with the next pass that
// another node's write (or the poll) brings. Two AppContexts on one fresh PostgreSQL database, each
// with its change feed, in this process.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/app-context.js';
import type { AppContext } from '../../src/app-context.js';
import { startChangeFeed } from '../../src/change-feed.js';
import type { ChangeFeed } from '../../src/change-feed.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import type { Actor } from '../../src/operations/actor.js';
import { fileReport } from '../../src/operations/reputation/reports.js';
import { CHANGE_CHANNEL, REPORT_CHANGE, latestChangeSeq, recordChanges } from '../../src/store/changes.js';
import pgClient from 'pg';
import { inTransaction } from '../../src/operations/write.js';
import { generateKeyPem } from '../../src/audit/index.js';
import { createTestDatabase } from '../helpers/postgres.js';

const onPostgres = process.env.CALLSHIELD_TEST_ENGINE === 'postgres';
const DAY = 86_400_000;

async function until(what: string, done: () => Promise<boolean> | boolean): Promise<void> {
  const started = Date.now();
  while (!(await done())) {
    if (Date.now() - started > 10_000) assert.fail(what);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a node does not wake for its own report writes (PostgreSQL NOTIFY)', { skip: onPostgres ? false : 'PostgreSQL only (SQLite nodes poll)' }, () => {
  let dir: string;
  let drop: () => Promise<void>;
  let a: AppContext;
  let b: AppContext;
  const feeds: ChangeFeed[] = [];
  let appA: Actor;
  let appB: Actor;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callshield-own-'));
    const pg = await createTestDatabase();
    drop = pg.drop;
    writeFileSync(join(dir, 'audit-key.pem'), generateKeyPem(), { mode: 0o600 });
    const open = () =>
      openApp(loadConfig({}, { databaseUrl: pg.url, secretFile: join(dir, 'callshield.secret'), auditKeyFile: join(dir, 'audit-key.pem'), logLevel: 'silent' }), { logger: pino({ level: 'silent' }) });
    a = await open();
    b = await open();
    const known = new Date(Date.now() - 30 * DAY).toISOString();
    const actorOf = async (ctx: AppContext, name: string, reporter: string): Promise<Actor> => {
      const { org } = await createApiKey(ctx, { org: name, role: 'app' }, CLI_OPERATOR);
      // Known for a month: its reports take the one-statement write, not the burst check.
      await ctx.db.insertInto('reporters').values({ org_id: org.id, reporter_hash: ctx.hash(`${org.id}:${reporter}`), first_seen_at: known }).execute();
      return { orgId: org.id, orgName: name, role: 'app', person: 'app' };
    };
    appA = await actorOf(a, 'App A', 'subscriber-a');
    appB = await actorOf(b, 'App B', 'subscriber-b');
    // Only NOTIFY wakes them (no poll within the test).
    for (const ctx of [a, b]) feeds.push(startChangeFeed(ctx, { pollMs: 600_000 }));
    // Both feeds listen once a change written by neither (payload '') wakes both.
    let ping = 0;
    await until('both nodes listen', async () => {
      await recordChanges(a.db, a.engine, 'test.ping', [String(ping++)]);
      const latest = await latestChangeSeq(a.db);
      await new Promise((r) => setTimeout(r, 100));
      return a.appliedChangeSeq() >= latest && b.appliedChangeSeq() >= latest;
    });
  });

  after(async () => {
    await Promise.all(feeds.map((f) => f.stop()));
    await a?.close();
    await b?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("node A's report wakes node B at once, not node A; node B's next write brings node A up to date", async () => {
    const caller = '+8613812340001';
    const r = await fileReport(a, { caller, reporter: 'subscriber-a', category: 'fraud' }, appA);
    assert.equal(r.held, false);
    const afterA = await latestChangeSeq(a.db);
    await until('node B applies node A\'s report', () => b.appliedChangeSeq() >= afterA);
    assert.ok((b.index.get(caller)?.score ?? 0) > 0, 'node B scores the caller from the change log');
    // Node B has woken and applied it; give node A the same time again: it must not have read its own entry back.
    await new Promise((res) => setTimeout(res, 300));
    assert.ok(a.appliedChangeSeq() < afterA, `node A did not wake for its own write (applied ${a.appliedChangeSeq()}, latest ${afterA})`);
    assert.ok((a.index.get(caller)?.score ?? 0) > 0, 'node A scored the caller itself, when it wrote');

    // Node B's own report is foreign to node A: node A wakes, and reads its own entry with B's.
    const r2 = await fileReport(b, { caller: '+8613812340002', reporter: 'subscriber-b', category: 'fraud' }, appB);
    assert.equal(r2.held, false);
    const afterB = await latestChangeSeq(b.db);
    await until('node A applies node B\'s report, and its own before it', () => a.appliedChangeSeq() >= afterB);
    assert.ok((a.index.get('+8613812340002')?.score ?? 0) > 0);
  });

  it("a new reporter's report (a transaction, through the burst check) wakes node B, not node A", async () => {
    const caller = '+8613812340003';
    const before = await latestChangeSeq(a.db);
    await until('node A is up to date', () => a.appliedChangeSeq() >= before);
    const r = await fileReport(a, { caller, reporter: 'subscriber-new', category: 'fraud' }, appA);
    assert.equal(r.held, false);
    const afterA = await latestChangeSeq(a.db);
    assert.ok(afterA > before, 'the report logged its change');
    const known = await a.db.selectFrom('reporters').select('first_seen_at').where('reporter_hash', '=', a.hash(`${appA.orgId}:subscriber-new`)).executeTakeFirst();
    assert.ok(known, 'the reporter was new: the transaction remembered it');
    await until('node B applies node A\'s report', () => b.appliedChangeSeq() >= afterA);
    assert.ok((b.index.get(caller)?.score ?? 0) > 0, 'node B scores the caller from the change log');
    await new Promise((res) => setTimeout(res, 300));
    assert.ok(a.appliedChangeSeq() < afterA, `node A did not wake for its own write (applied ${a.appliedChangeSeq()}, latest ${afterA})`);
    assert.ok((a.index.get(caller)?.score ?? 0) > 0, 'node A scored the caller itself, when it wrote');
  });

  it('a transaction that publishes a change this node did not apply itself still wakes the writer', async () => {
    const before = await latestChangeSeq(a.db);
    await inTransaction(a, async ({ publish }) => {
      publish(REPORT_CHANGE, ['applied-here +8613812340009'], true);
      publish('test.other', ['x']); // not applied here: every node, the writer too, must read it
    });
    await until('node A wakes for a change with the empty notice', () => a.appliedChangeSeq() > before);
  });
});

// A node alone on its database sends no NOTIFY for the writes it applied itself: the only listener
// would be its own feed, which ignores them. It looks once a second whether another node's feed is
// connected (application_name in pg_stat_activity), and a feed that starts says so (its hello), so a
// node that joins is notified again at once. An observer connection that is not a feed listens too.
describe('a node alone sends no NOTIFY for its own writes; a node that joins is heard (PostgreSQL)', { skip: onPostgres ? false : 'PostgreSQL only (SQLite nodes poll)' }, () => {
  let dir: string;
  let url: string;
  let drop: () => Promise<void>;
  let a: AppContext;
  let feedA: ChangeFeed;
  let appA: Actor;
  let observer: pgClient.Client;
  const heard: string[] = [];
  let open: () => Promise<AppContext>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callshield-alone-'));
    const pg = await createTestDatabase();
    drop = pg.drop;
    url = pg.url;
    writeFileSync(join(dir, 'audit-key.pem'), generateKeyPem(), { mode: 0o600 });
    open = () =>
      openApp(loadConfig({}, { databaseUrl: url, secretFile: join(dir, 'callshield.secret'), auditKeyFile: join(dir, 'audit-key.pem'), logLevel: 'silent' }), { logger: pino({ level: 'silent' }) });
    a = await open();
    const { org } = await createApiKey(a, { org: 'App A', role: 'app' }, CLI_OPERATOR);
    await a.db.insertInto('reporters').values({ org_id: org.id, reporter_hash: a.hash(`${org.id}:subscriber-a`), first_seen_at: new Date(Date.now() - 30 * DAY).toISOString() }).execute();
    appA = { orgId: org.id, orgName: 'App A', role: 'app', person: 'app' };
    observer = new pgClient.Client({ connectionString: url });
    await observer.connect();
    observer.on('notification', (n) => heard.push(n.payload ?? ''));
    await observer.query(`LISTEN ${CHANGE_CHANNEL}`);
    feedA = startChangeFeed(a, { pollMs: 600_000 });
    await until('node A finds it is alone (an observer that is no feed does not count)', () => a.changeListeners.others === false);
  });

  after(async () => {
    await feedA?.stop();
    await observer?.end();
    await a?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('alone: reports are written and logged, with no NOTIFY; a second node is heard, notified and then missed when it goes', async () => {
    const before = await latestChangeSeq(a.db);
    // The one-statement write (a known reporter) and the transaction (a new reporter).
    assert.equal((await fileReport(a, { caller: '+8613812350001', reporter: 'subscriber-a', category: 'fraud' }, appA)).held, false);
    assert.equal((await fileReport(a, { caller: '+8613812350002', reporter: 'subscriber-new', category: 'fraud' }, appA)).held, false);
    assert.ok((await latestChangeSeq(a.db)) >= before + 2, 'both reports logged their change');
    assert.ok((a.index.get('+8613812350001')?.score ?? 0) > 0 && (a.index.get('+8613812350002')?.score ?? 0) > 0, 'node A scored both itself');
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual(heard.filter((p) => p === a.ownChangesNotice), [], 'no NOTIFY while no other node listens');
    // A change node A did not apply itself still wakes everyone, alone or not.
    await inTransaction(a, async ({ publish }) => publish('test.other', ['x']));
    await until('the empty notice is still sent', () => heard.includes(''));

    // Node B starts: node A hears it join and notifies again; only a NOTIFY can wake node B (its poll is 10 minutes).
    const b = await open();
    const feedB = startChangeFeed(b, { pollMs: 600_000 });
    try {
      await until('node A hears that node B listens', () => a.changeListeners.others === true);
      const caller = '+8613812350003';
      assert.equal((await fileReport(a, { caller, reporter: 'subscriber-a', category: 'fraud' }, appA)).held, false);
      const latest = await latestChangeSeq(a.db);
      await until("node B applies node A's report", () => b.appliedChangeSeq() >= latest);
      assert.ok((b.index.get(caller)?.score ?? 0) > 0, 'node B scores the caller');
      assert.ok(heard.includes(a.ownChangesNotice), "node A's own notice was sent");
    } finally {
      await feedB.stop();
      await b.close();
    }
    await until('node A finds it is alone again', () => a.changeListeners.others === false);
  });
});
