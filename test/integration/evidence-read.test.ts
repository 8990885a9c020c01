// loadEvidence (src/store/reputation/evidence.ts) reads every kind of evidence about a set of
// identifiers: on SQLite with eight statements, on PostgreSQL with one (each kind's rows as a JSON
// array). Seeded here with one row or more of every kind, and the rows that must not count beside
// them (a report held in a pending burst, a lifted list entry, a dismissed complaint, an appeal
// that was not upheld, a hit on a line that is no honeypot): each caller's evidence is what the
// rows say, on both engines; on PostgreSQL the single statement gives exactly what the eight give,
// and it is one statement, through the function each connection plans once (evidence-function.ts),
// or as a plain statement inside a transaction. The function's kept plan stays on the indexes when
// it was made while the tables were nearly empty (auto_explain shows the plan a call used).
// loadReportEvidence, which other nodes' report batches are applied with, reads reports by id the
// same way: the same evidence as loadEvidence, through a function of its own on PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { isDeepStrictEqual } from 'node:util';
import { loadEvidence, loadReportEvidence } from '../../src/store/reputation/evidence.js';
import { evidenceFunction } from '../../src/store/reputation/evidence-function.js';
import { installEvidenceRead } from '../../src/store/reputation/evidence.js';
import type { Database } from '../../src/store/schema.js';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

const A = '+8613800001001'; // every kind
const B = '+8613800001002'; // a report, and what does not count
const C = '+8613800001003'; // a name with quotes: "it's" is not a number, but identifiers are any text here
const NONE = '+8613800001009';
const AT = '2026-11-20T10:00:00.000Z';

async function seed(db: Kysely<Database>): Promise<void> {
  await db.insertInto('reputation_bursts').values([
    { id: 'burst-ok', caller: A, org_id: 'org-app', status: 'accepted', reporters: 30, first_at: AT, last_at: AT, created_at: AT, decided_at: AT, decided_by: 'reg', decision_reason: 'real' },
    { id: 'burst-held', caller: B, org_id: 'org-app', status: 'pending', reporters: 30, first_at: AT, last_at: AT, created_at: AT, decided_at: null, decided_by: null, decision_reason: null },
  ]).execute();
  const report = (id: string, caller: string, reporter: string, extra: Partial<Database['reports']> = {}) => ({
    id, caller, caller_kind: 'number', reporter_hash: reporter, org_id: 'org-app', category: 'fraud', comment: null, channel: null, claimed_org: null, occurred_at: AT, created_at: AT, import_source: null, ...extra,
  });
  await db.insertInto('reports').values([
    report('r1', A, 'h1', { claimed_org: 'Bank of Test', category: 'impersonation' }),
    report('r2', A, 'h2', { burst_id: 'burst-ok', occurred_at: '2026-11-21T10:00:00.000Z' }),
    report('r3', B, 'h1'),
    report('r4', B, 'h3', { burst_id: 'burst-held' }), // held: does not count
    report('r5', C, 'h2', { org_id: 'org-other' }),
  ]).execute();
  await db.insertInto('reporter_stats').values({ reporter_hash: 'h1', false_reports: 3 }).execute();
  await db.insertInto('reporters').values([{ org_id: 'org-app', reporter_hash: 'h1', first_seen_at: '2026-01-01T00:00:00.000Z' }]).execute();
  await db.insertInto('feedback').values({ id: 'f1', caller: A, reporter_hash: 'h9', org_id: 'org-app', verdict: 'not-spam', comment: null, occurred_at: AT, created_at: AT }).execute();
  await db.insertInto('lists').values({ id: 'list-1', org_id: 'org-police', source: 'police', name: 'Fraud numbers, unit 7', category: 'fraud', expires_at: null, created_at: AT, entries: 2 }).execute();
  await db.insertInto('list_entries').values([
    { id: 'e1', list_id: 'list-1', identifier: A, kind: 'number', category: 'fraud', reason: null, expires_at: '2027-01-01T00:00:00.000Z', created_at: AT },
    { id: 'e2', list_id: 'list-1', identifier: B, kind: 'number', category: 'fraud', reason: null, expires_at: null, created_at: AT, lifted_at: AT, lifted_by: 'owner:org-police / x' }, // lifted
  ]).execute();
  const appeal = (id: string, identifier: string, status: string, decided: string | null) => ({ id, identifier, org_id: 'org-biz', evidence: 'licence', contact: null, status, created_at: AT, decided_at: decided, decided_by: decided ? 'reg' : null, decision_reason: null });
  await db.insertInto('appeals').values([appeal('a1', A, 'upheld', '2026-11-22T00:00:00.000Z'), appeal('a2', A, 'upheld', '2026-11-25T00:00:00.000Z'), appeal('a3', B, 'rejected', AT)]).execute();
  await db.insertInto('governance_patterns').values({ id: 'p1', identifier: A, category: 'robocall', pattern: 'short-calls', origin: '400 calls of under 10 s', features: '{}', import_id: 'imp-1', at: AT, created_at: AT }).execute();
  const complaint = (id: string, caller: string, status: string, violations: string) => ({
    id, caller, caller_kind: 'number', callee_hash: `callee-${id}`, org_id: 'org-reg', category: 'sales', offered: null, consented: 0, claimed_org: id === 'c1' ? 'Shop' : null, holder_id: null, holder: null, carrier_org_id: null, violation: 1, violations, findings: '[]', status, outcome_note: null, decided_at: null, decided_by: null, occurred_at: AT, created_at: AT,
  });
  await db.insertInto('governance_complaints').values([complaint('c1', A, 'open', 'NO_CONSENT,CLAIM_ORG'), complaint('c2', A, 'warned', 'NO_CONSENT'), complaint('c3', B, 'dismissed', 'NO_CONSENT')]).execute();
  await db.insertInto('campaigns').values({ id: 'camp-0001-abcdef', first_seen: AT, last_seen: AT, members: 12, evidence: JSON.stringify([{ kind: 'script', count: 3 }, { kind: 'short-lived', count: 12 }]), created_at: AT, updated_at: AT }).execute();
  await db.insertInto('campaign_members').values({ campaign_id: 'camp-0001-abcdef', caller: A, kinds: '["script"]', first_seen: AT, last_seen: AT, joined_at: AT }).execute();
  await db.insertInto('honeypots').values({ number: '+8613900009999', org_id: 'org-carrier', created_by: 'x', created_at: AT }).execute();
  await db.insertInto('honeypot_hits').values([
    { caller: A, honeypot: '+8613900009999', org_id: 'org-carrier', day: '2026-11-20', at: AT, source: 'cdr' },
    { caller: B, honeypot: '+8613900008888', org_id: 'org-carrier', day: '2026-11-20', at: AT, source: 'cdr' }, // not a registered honeypot
  ]).execute();
}

describe('loadEvidence: every kind of evidence, on each engine', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    await seed(t.ctx.db);
  });
  after(async () => {
    await t?.close();
  });

  it('gives each caller the evidence its rows hold, and none for rows that do not count', async () => {
    const got = await loadEvidence(t.ctx.db, [A, B, C, NONE]);
    const a = got.get(A)!;
    const kinds = (e: { source: string; reason?: string; negative?: boolean; listId?: string; reporter?: string }) =>
      e.reason ?? (e.negative ? 'feedback' : e.listId ? 'list' : e.reporter?.startsWith('complaint:') ? 'complaint' : e.source);
    assert.deepEqual(a.evidence.map(kinds).sort(), ['CAMPAIGN', 'HONEYPOT', 'complaint', 'complaint', 'crowd', 'crowd', 'feedback', 'list', 'pattern'].sort());
    assert.deepEqual(a.clearance, { clearedAt: Date.parse('2026-11-25T00:00:00.000Z') }, 'the latest upheld appeal');
    const r1 = a.evidence.find((e) => e.claimedOrganization === 'Bank of Test' && e.source === 'crowd' && e.reporter === 'h1')!;
    assert.equal(r1.category, 'impersonation');
    assert.equal(r1.reporterSince, Date.parse('2026-01-01T00:00:00.000Z'));
    assert.ok(r1.credibility! < 1, 'h1 has three false reports');
    const complaintC1 = a.evidence.find((e) => e.reporter === 'complaint:callee-c1')!;
    assert.equal(complaintC1.category, 'impersonation', 'a CLAIM_ violation');
    assert.equal(complaintC1.claimedOrganization, 'Shop');
    assert.match(a.evidence.find((e) => e.reason === 'CAMPAIGN')!.origin!, /12 numbers tied by the same script, numbers each used briefly/);
    assert.equal(a.evidence.find((e) => e.listId)!.expiresAt, Date.parse('2027-01-01T00:00:00.000Z'));

    const b = got.get(B)!;
    assert.deepEqual(b.evidence.map((e) => e.reporter), ['h1'], 'held report, lifted entry, dismissed complaint and a non-honeypot hit do not count');
    assert.equal(b.clearance, undefined, 'a rejected appeal clears nothing');
    assert.deepEqual(got.get(C)!.evidence.map((e) => e.org), ['org-other']);
    assert.deepEqual(got.get(NONE), { evidence: [] });
  });

  it('PostgreSQL: one statement gives what the eight give', async (tc) => {
    if (t.ctx.engine !== 'postgres') return tc.skip('SQLite reads with the eight statements');
    let statements = 0;
    const counted = t.ctx.db.withPlugin({
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        statements++;
        return a.result;
      },
    });
    const ids = [A, B, C, NONE];
    const together = await loadEvidence(counted, ids);
    assert.equal(statements, 1);
    statements = 0;
    const apart = await loadEvidence(counted, ids, { apart: true });
    assert.equal(statements, 8);
    assert.deepEqual(together, apart);
    assert.deepEqual(await loadEvidence(counted, []), new Map());
    // Inside a transaction the function is not used (it is the store's); the statement gives the same.
    await t.ctx.db.transaction().execute(async (trx) => {
      assert.equal(evidenceFunction(trx), undefined);
      assert.deepEqual(await loadEvidence(trx, ids), apart);
    });
  });

  it('PostgreSQL: the function exists once, however many nodes install it at once, and is what loadEvidence calls', async (tc) => {
    if (t.ctx.engine !== 'postgres') return tc.skip('PostgreSQL only');
    const name = evidenceFunction(t.ctx.db);
    assert.match(name ?? '', /^callshield_evidence_[0-9a-f]{16}$/);
    assert.deepEqual(await Promise.all([1, 2, 3].map(() => installEvidenceRead(t.ctx.db))), [name, name, name]);
    const { rows } = await sql<{ n: number; config: string[] }>`select count(*)::int as n, min(proconfig::text)::text[] as config from pg_proc where proname = ${name}`.execute(t.ctx.db);
    assert.equal(rows[0]!.n, 1);
    assert.ok(rows[0]!.config.includes('enable_seqscan=off') && rows[0]!.config.includes('plan_cache_mode=force_generic_plan'), String(rows[0]!.config));
    // loadEvidence calls it: without it the read fails; installed again, it works again.
    const expected = await loadEvidence(t.ctx.db, [A]);
    await sql.raw(`drop function ${name}(text[])`).execute(t.ctx.db);
    await assert.rejects(loadEvidence(t.ctx.db, [A]), /does not exist/);
    await installEvidenceRead(t.ctx.db);
    assert.deepEqual(await loadEvidence(t.ctx.db, [A]), expected);
  });

  it('loadReportEvidence gives each counted report the evidence loadEvidence gives it, and nothing for a held or missing one', async () => {
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r-missing'];
    const got = await loadReportEvidence(t.ctx.db, ids);
    assert.deepEqual(got.map((r) => r.id).sort(), ['r1', 'r2', 'r3', 'r5'], 'r4 is held in a pending burst');
    const byCaller = await loadEvidence(t.ctx.db, [A, B, C]);
    for (const { id, caller, evidence } of got) {
      assert.ok(byCaller.get(caller)!.evidence.some((e) => isDeepStrictEqual(e, evidence)), `${id}: ${JSON.stringify(evidence)}`);
    }
    assert.equal(got.find((r) => r.id === 'r1')!.evidence.claimedOrganization, 'Bank of Test');
    assert.deepEqual(await loadReportEvidence(t.ctx.db, []), []);
  });

  it('PostgreSQL: loadReportEvidence calls a function of its own, in one statement; a transaction sends the plain statement', async (tc) => {
    if (t.ctx.engine !== 'postgres') return tc.skip('PostgreSQL only');
    const name = evidenceFunction(t.ctx.db, 'reports');
    assert.match(name ?? '', /^callshield_evidence_reports_[0-9a-f]{16}$/);
    let statements = 0;
    const counted = t.ctx.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => (statements++, a.result) });
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5'];
    const byId = async (db: Kysely<Database>) => (await loadReportEvidence(db, ids)).sort((a, b) => a.id.localeCompare(b.id)); // in no set order
    const expected = await byId(counted);
    assert.equal(statements, 1);
    assert.equal(expected.length, 4);
    await t.ctx.db.transaction().execute(async (trx) => {
      assert.equal(evidenceFunction(trx, 'reports'), undefined);
      assert.deepEqual(await byId(trx), expected);
    });
    await sql.raw(`drop function ${name}(text[])`).execute(t.ctx.db);
    await assert.rejects(loadReportEvidence(t.ctx.db, ids), /does not exist/);
    await installEvidenceRead(t.ctx.db);
    assert.deepEqual(await byId(t.ctx.db), expected);
  });

  it('PostgreSQL: each connection parses the calls of the two functions once (named statements)', async (tc) => {
    if (t.ctx.engine !== 'postgres') return tc.skip('PostgreSQL only');
    // A fresh store's sequential calls share one connection, where pg_prepared_statements shows them.
    const { openDatabase } = await import('../../src/store/open-database.js');
    const { db } = openDatabase({ dbPath: '', databaseUrl: t.ctx.config.databaseUrl });
    try {
      const byCaller = await installEvidenceRead(db);
      const byId = evidenceFunction(db, 'reports')!;
      for (let i = 0; i < 3; i++) {
        assert.equal((await loadEvidence(db, [A])).get(A)!.evidence.length, 9);
        assert.equal((await loadReportEvidence(db, ['r1'])).length, 1);
      }
      const { rows } = await sql<{ name: string; calls: string }>`select name, generic_plans + custom_plans as calls from pg_prepared_statements order by name`.execute(db);
      assert.deepEqual(rows.map((r) => [r.name, Number(r.calls)]), [[byCaller, 3], [byId, 3]].sort());
    } finally {
      await db.destroy();
    }
  });

  it('PostgreSQL: a plan the function kept while reports was nearly empty still reads it by index once it has grown', async (tc) => {
    if (t.ctx.engine !== 'postgres') return tc.skip('plans are PostgreSQL\'s');
    const name = evidenceFunction(t.ctx.db)!;
    const client = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
    await client.connect();
    try {
      const plans: string[] = [];
      client.on('notice', (n) => plans.push(String(n.message)));
      await client.query(`load 'auto_explain'; set auto_explain.log_min_duration = 0; set auto_explain.log_nested_statements = on; set client_min_messages = log`);
      const byId = evidenceFunction(t.ctx.db, 'reports')!;
      await client.query(`select ${name}($1::text[])`, [[A, B]]); // this connection's plan, made now: reports holds 5 rows
      await client.query(`select ${byId}($1::text[])`, [['r1']]);
      await t.ctx.db.insertInto('reports').values(Array.from({ length: 3000 }, (_, i) => ({
        id: `grow-${i}`, caller: `+86137${String(i % 600).padStart(8, '0')}`, caller_kind: 'number', reporter_hash: `g${i}`, org_id: 'org-app', category: 'fraud', comment: null, channel: null, claimed_org: null, occurred_at: AT, created_at: AT, import_source: null,
      }))).execute();
      plans.length = 0;
      const got = await client.query<{ e: { reports: { caller: string }[] } }>(`select ${name}($1::text[]) as e`, [['+8613700000007']]);
      assert.equal(got.rows[0]!.e.reports.length, 5, 'five of the 3,000 reports name this caller');
      const one = await client.query<{ e: { reports: { id: string }[] } }>(`select ${byId}($1::text[]) as e`, [['grow-7', 'grow-8']]);
      assert.deepEqual(one.rows[0]!.e.reports.map((r) => r.id).sort(), ['grow-7', 'grow-8']);
      const nested = plans.filter((p) => p.includes('reports'));
      assert.ok(nested.length > 0, 'auto_explain showed the nested plan');
      for (const plan of nested) assert.doesNotMatch(plan, /Seq Scan on reports/, plan);
      assert.match(nested.join('\n'), /Index (Only )?Scan|Bitmap Index Scan/);
    } finally {
      await client.end();
    }
  });
});
