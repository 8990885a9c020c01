// Reports that arrive together are written in one transaction (operations/write-batch.ts): the
// reports of subscribers the server has known for long are looked up and inserted together, the
// new ones go through the burst check one by one. Sent at once, they must end exactly where the
// same reports end one by one: known subscribers counted, an app's invented ones held as a burst
// after the sixth, and the incremental score equal to the full recompute.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

const DAY = 86_400_000;

describe('reports that arrive together', () => {
  let t: TestServer;
  let now = Date.UTC(2026, 10, 2, 9);

  async function report(caller: string, reporter: string): Promise<any> {
    const r = await t.call('POST', '/v1/reports', { role: 'app', body: { caller, reporter, category: 'fraud' } });
    assert.equal(r.status, 201, r.text);
    return r.body;
  }

  before(async () => {
    t = await startTestServer({}, () => now);
  });
  after(async () => {
    await t?.close();
  });

  it('known subscribers and invented ones sent at once: the burst holds the invented ones after the sixth, the score equals the full recompute', async () => {
    // Ten subscribers report another number: the server knows them from today.
    for (let i = 0; i < 10; i++) await report('+8613810000192', `old-${i}`);
    now += 30 * DAY;
    const caller = '+8613810000191';
    // The ten, and ten references the app invents, interleaved and all at once.
    const sent = Array.from({ length: 20 }, (_, i) => (i % 2 ? `old-${i >> 1}` : `new-${i >> 1}`));
    const results = await Promise.all(sent.map((reporter) => report(caller, reporter)));
    const held = (prefix: string): boolean[] => results.filter((_, i) => sent[i]!.startsWith(prefix)).map((r) => r.held);
    assert.deepEqual(held('old-'), Array(10).fill(false), 'known subscribers are never held');
    assert.equal(held('new-').filter(Boolean).length, 4, 'the seventh to tenth new reporter are held');

    const full = await t.call('GET', `/v1/identifiers/${encodeURIComponent(caller)}`, { role: 'regulator' });
    assert.equal(full.status, 200, full.text);
    assert.equal(full.body.reports, 16);
    const last = await report(caller, 'old-0'); // the same subscriber again: nothing more counts
    for (const k of ['score', 'category', 'confidence', 'label', 'reports', 'reasons']) assert.deepEqual(last.reputation[k], full.body[k], k);
    const bursts = await t.call('GET', '/v1/review/bursts?status=pending', { role: 'regulator' });
    const burst = bursts.body.bursts.find((b: any) => b.caller === caller);
    assert.ok(burst, bursts.text);
    assert.equal(burst.reporters, 4);
    assert.equal(burst.reports, 4);
  });

  it('PostgreSQL: known reporters\' reports in one statement of their own: only those, each with its change-log entry, all or nothing', async (tc) => {
    if (t.ctx.engine !== 'postgres') return tc.skip('the one-statement write is PostgreSQL\'s');
    const { writeKnownReports } = await import('../../src/store/reputation/report-writes.js');
    const db = t.ctx.db;
    const org = 'org-one-statement';
    const caller = '+8613810000193';
    const iso = (ms: number): string => new Date(ms).toISOString();
    await db.insertInto('reporters').values([
      { org_id: org, reporter_hash: 'h-known', first_seen_at: iso(now - 30 * DAY) },
      { org_id: org, reporter_hash: 'h-recent', first_seen_at: iso(now - DAY) },
    ]).execute();
    await db.insertInto('reporter_stats').values({ reporter_hash: 'h-known', false_reports: 2 }).execute();
    const row = (id: string, reporterHash: string) => ({
      id, caller, caller_kind: 'e164', reporter_hash: reporterHash, org_id: org, category: 'fraud', comment: null, channel: 'pstn',
      claimed_org: null, occurred_at: iso(now), created_at: iso(now), import_source: null, burst_id: null,
    });
    const knownBefore = iso(now - 7 * DAY);
    const logged = async (): Promise<number> => (await db.selectFrom('changes').select('seq').where('kind', '=', 'report').where('key', 'like', `% ${caller}`).execute()).length;
    const stored = async (ids: string[]): Promise<string[]> => (await db.selectFrom('reports').select('id').where('id', 'in', ids).orderBy('id').execute()).map((r) => r.id);

    // The statement's NOTIFY carries the payload it is given (the writing node's own notice).
    const pg = (await import('pg')).default;
    const listener = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
    await listener.connect();
    const notices: string[] = [];
    listener.on('notification', (n) => notices.push(n.payload ?? ''));
    await listener.query('LISTEN callshield_changes');
    const written = await writeKnownReports(db, [
      { row: row('one-statement-1', 'h-known'), knownBefore },
      { row: row('one-statement-2', 'h-recent'), knownBefore }, // first seen a day ago: the burst check's
      { row: row('one-statement-3', 'h-never'), knownBefore }, // never seen: the burst check's
    ], 'node:test-notice');
    for (let i = 0; i < 100 && notices.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await listener.end();
    assert.deepEqual(notices, ['node:test-notice']);
    assert.deepEqual([...written.entries()], [['one-statement-1', { firstSeen: iso(now - 30 * DAY), falseReports: 2 }]]);
    assert.deepEqual(await stored(['one-statement-1', 'one-statement-2', 'one-statement-3']), ['one-statement-1']);
    assert.equal(await logged(), 1, 'one change-log entry for the one report written');

    // A row that cannot be written (its id is taken) takes the whole statement down with it.
    await assert.rejects(writeKnownReports(db, [{ row: row('one-statement-4', 'h-known'), knownBefore }, { row: row('one-statement-1', 'h-known'), knownBefore }], 'node:test-notice'));
    assert.deepEqual(await stored(['one-statement-4']), [], 'nothing of the failed statement is left');
    assert.equal(await logged(), 1, 'nor its change-log entries');
  });

  it('PostgreSQL: the one-statement write stores every text as it came, whatever its characters', async (tc) => {
    if (t.ctx.engine !== 'postgres') return tc.skip('the one-statement write is PostgreSQL\'s');
    // The batch reaches PostgreSQL as one JSON document: quotes, backslashes, braces, commas, line
    // breaks, Chinese text and JSON-looking text must come out of it unchanged, column by column.
    const { writeKnownReports } = await import('../../src/store/reputation/report-writes.js');
    const db = t.ctx.db;
    const iso = (ms: number): string => new Date(ms).toISOString();
    const org = 'org-json-text';
    await db.insertInto('reporters').values({ org_id: org, reporter_hash: 'h-json', first_seen_at: iso(now - 30 * DAY) }).execute();
    const rows = [
      { comment: 'he said "call 95588 back" \\ {now}, [twice]\nthen hung up', claimed_org: 'O\'Brien & Co, "Ltd"' },
      { comment: '自称是银行客服，说我的征信有问题', claimed_org: '{"bank":"招商银行"}' },
      { comment: null, claimed_org: null },
    ].map((x, i) => ({
      id: `json-text-${i}`, caller: '+8613810000196', caller_kind: 'e164', reporter_hash: 'h-json', org_id: org, category: 'impersonation',
      comment: x.comment, channel: i === 2 ? null : 'video', claimed_org: x.claimed_org, occurred_at: iso(now - i), created_at: iso(now), import_source: null, burst_id: null,
    }));
    const written = await writeKnownReports(db, rows.map((row) => ({ row, knownBefore: iso(now - 7 * DAY) })), '');
    assert.equal(written.size, 3);
    const stored = await db.selectFrom('reports').selectAll().where('org_id', '=', org).orderBy('id').execute();
    assert.deepEqual(stored, rows);
  });

  it('PostgreSQL: the one-statement write is planned once, not at every batch', async (tc) => {
    if (t.ctx.engine !== 'postgres') return tc.skip('the one-statement write is PostgreSQL\'s');
    // With its arrays as plain parameters PostgreSQL re-planned the statement for every batch (a
    // custom plan sized to the arrays' lengths beat the generic plan's guess): a third of its time
    // (BENCHMARKS.md, "Sixth session"). A fresh store's sequential statements share one connection,
    // where pg_prepared_statements counts the plans of the named statement.
    const { writeKnownReports } = await import('../../src/store/reputation/report-writes.js');
    const { openDatabase } = await import('../../src/store/open-database.js');
    const { sql } = await import('kysely');
    const { db } = openDatabase({ dbPath: '', databaseUrl: t.ctx.config.databaseUrl });
    try {
      const iso = (ms: number): string => new Date(ms).toISOString();
      const org = 'org-plan-once';
      // As many subscribers as a real app has: on a small table the two plans cost the same and the
      // generic one was chosen anyway, which hid the re-planning.
      await sql`insert into reporters (org_id, reporter_hash, first_seen_at) select ${org}, 'h-plan-' || i, ${iso(now - 30 * DAY)} from generate_series(0, 49999) as i`.execute(db);
      await sql`analyze reporters`.execute(db);
      for (let batch = 0; batch < 8; batch++) {
        const size = 1 + (batch % 3); // batches of 1, 2 and 3 reports: different array lengths
        const reports = Array.from({ length: size }, (_, i) => ({
          row: {
            id: `plan-once-${batch}-${i}`, caller: '+8613810000194', caller_kind: 'e164', reporter_hash: `h-plan-${batch * 3 + i}`, org_id: org,
            category: 'fraud', comment: null, channel: 'pstn', claimed_org: null, occurred_at: iso(now), created_at: iso(now), import_source: null, burst_id: null,
          },
          knownBefore: iso(now - 7 * DAY),
        }));
        assert.equal((await writeKnownReports(db, reports, '')).size, size);
      }
      const plans = await sql<{ generic_plans: string; custom_plans: string }>`select generic_plans, custom_plans from pg_prepared_statements where name = 'callshield_known_reports'`.execute(db);
      assert.equal(plans.rows.length, 1, 'the statement is prepared on the connection');
      assert.deepEqual({ generic: Number(plans.rows[0]!.generic_plans), custom: Number(plans.rows[0]!.custom_plans) }, { generic: 3, custom: 5 }, 'after the five trial plans, the generic one');
    } finally {
      await db.destroy();
    }
  });

  it('PostgreSQL: the one-statement write inserts its reports before it waits for the change log\'s lock', async (tc) => {
    if (t.ctx.engine !== 'postgres') return tc.skip('the one-statement write is PostgreSQL\'s');
    // Several nodes' report writes serialise only on the change log's lock (held to commit), so the
    // lock comes after the reports' inserts: while one statement waits for it, its rows are already
    // in (a second insert of the same id waits on them), and only the log entries and the commit
    // remain for the section that runs one at a time.
    const { writeKnownReports } = await import('../../src/store/reputation/report-writes.js');
    const { CHANGE_LOG_LOCK } = await import('../../src/store/changes.js');
    const pg = (await import('pg')).default;
    const iso = (ms: number): string => new Date(ms).toISOString();
    const org = 'org-lock-last';
    await t.ctx.db.insertInto('reporters').values({ org_id: org, reporter_hash: 'h-lock', first_seen_at: iso(now - 30 * DAY) }).execute();
    const row = {
      id: 'lock-last-1', caller: '+8613810000195', caller_kind: 'e164', reporter_hash: 'h-lock', org_id: org, category: 'fraud',
      comment: null, channel: 'pstn', claimed_org: null, occurred_at: iso(now), created_at: iso(now), import_source: null, burst_id: null,
    };
    const holder = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
    const rival = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
    await Promise.all([holder.connect(), rival.connect()]);
    try {
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
      const writing = writeKnownReports(t.ctx.db, [{ row, knownBefore: iso(now - 7 * DAY) }], '');
      // Wait until the statement is blocked on the lock.
      for (let i = 0; i < 200; i++) {
        const r = await rival.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = $1 and not granted`, [CHANGE_LOG_LOCK]);
        if (r.rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await rival.query(`set lock_timeout = '300ms'`);
      await assert.rejects(
        rival.query(`insert into reports (id, caller, caller_kind, reporter_hash, org_id, category, occurred_at, created_at) values ($1, 'x', 'e164', 'h', 'o', 'fraud', 'x', 'x')`, [row.id]),
        /lock timeout/,
        'the waiting statement already holds its report\'s row',
      );
      await holder.query('commit');
      assert.equal((await writing).size, 1, 'and it commits once the lock is free');
    } finally {
      await holder.end();
      await rival.end();
    }
  });

  it('a write\'s change-log entries commit with it, in order, and roll back with it', async () => {
    // On SQLite the entries go in through a statement prepared beside kysely (store/changes.ts): it
    // must still be part of the write's transaction.
    const { inTransaction } = await import('../../src/operations/write.js');
    const entries = async (): Promise<string[]> => (await t.ctx.db.selectFrom('changes').select('key').where('kind', '=', 'test.entries').orderBy('seq').execute()).map((r) => r.key);
    await inTransaction(t.ctx, async ({ db, publish }) => {
      await db.insertInto('meta').values({ key: 'entries.kept', value: 'x' }).execute();
      publish('test.entries', ['b', 'a']);
      publish('test.entries', ['c']);
    });
    assert.deepEqual(await entries(), ['b', 'a', 'c']);
    // A transaction that fails after its entries were written (as a failed COMMIT would) leaves none.
    const { recordChangesIn } = await import('../../src/store/changes.js');
    await assert.rejects(
      t.ctx.db.transaction().execute(async (trx) => {
        await recordChangesIn(trx, t.ctx.engine, [['test.entries', ['d', 'e']]], '', t.ctx.db);
        throw new Error('after the entries');
      }),
      /after the entries/,
    );
    assert.deepEqual(await entries(), ['b', 'a', 'c'], 'no entry of the failed transaction');
  });

  it('a write that fails in a shared transaction fails alone; the writes queued with it are kept', async () => {
    const { writeBatched } = await import('../../src/operations/write-batch.js');
    const put = (key: string, fail = false): Promise<string> =>
      writeBatched(t.ctx, async ({ db }) => {
        await db.insertInto('meta').values({ key, value: 'x' }).execute();
        if (fail) throw new Error('refused');
        return key;
      });
    const results = await Promise.allSettled([put('batch.a'), put('batch.b', true), put('batch.c')]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    const rows = await t.ctx.db.selectFrom('meta').select('key').where('key', 'like', 'batch.%').orderBy('key').execute();
    assert.deepEqual(rows.map((r) => r.key), ['batch.a', 'batch.c'], 'nothing of the failed write is left');
  });

  it('reports on many new numbers at once read their evidence together, each caller its own, each score the full recompute', async () => {
    const { evidenceLoaderCounts, evidenceOf } = await import('../../src/operations/reputation/evidence-loader.js');
    now += DAY;
    // A number with earlier reports whose tally is gone (evicted, or invalidated by another change):
    // its next report rebuilds it from the store, in the same read as the new numbers'.
    const earlier = '+8613810000290';
    for (let i = 0; i < 3; i++) await report(earlier, `old-${i}`);
    t.ctx.tallies.invalidate(earlier);
    const fresh = Array.from({ length: 24 }, (_, i) => `+86138100003${String(i).padStart(2, '0')}`);
    const before = evidenceLoaderCounts(t.ctx);
    const results = await Promise.all([report(earlier, 'old-3'), ...fresh.map((caller, i) => report(caller, `old-${i % 10}`))]);
    const after = evidenceLoaderCounts(t.ctx);
    assert.equal(after.callers - before.callers, fresh.length + 1, 'each caller read once');
    assert.ok(after.reads - before.reads < fresh.length + 1, `${after.reads - before.reads} reads for ${fresh.length + 1} callers`);
    assert.equal(results[0].reputation.reports, 4, 'the rebuilt tally holds the earlier reports and the new one');
    for (const [i, caller] of [earlier, ...fresh].entries()) {
      const full = await t.call('GET', `/v1/identifiers/${encodeURIComponent(caller)}`, { role: 'regulator' });
      assert.equal(full.status, 200, full.text);
      for (const k of ['score', 'category', 'confidence', 'label', 'reports', 'reasons']) assert.deepEqual(results[i].reputation[k], full.body[k], `${caller} ${k}`);
    }

    // Callers asked for in one tick are one read, whatever their number.
    const tick = evidenceLoaderCounts(t.ctx);
    const bundles = await Promise.all([earlier, ...fresh, '+8613810000399'].map((caller) => evidenceOf(t.ctx, caller)));
    assert.equal(evidenceLoaderCounts(t.ctx).reads - tick.reads, 1);
    assert.equal(bundles[0]!.evidence.length, 4);
    assert.ok(bundles.slice(1, -1).every((b) => b!.evidence.length === 1), 'each new number has its one report');
    assert.equal(bundles.at(-1)!.evidence.length, 0, 'a number nobody reported has none');
  });
});
