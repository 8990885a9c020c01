// Appeals (a business contests a label; a regulator decides), reporter credibility after an upheld
// appeal, and the hash-chained audit log, over HTTP on a real SQLite file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

const LABELLED = '+8613812345678';
const REPORTERS = ['charged-1', 'charged-2', 'charged-3'];

describe('appeals and the audit log', () => {
  let t: TestServer;
  let appealId: string;
  let otherBusinessKey: string;
  let otherAppealId: string;

  async function lookup(identifier: string): Promise<any> {
    const res = await t.call('GET', `/v1/identifiers/${encodeURIComponent(identifier)}`, { role: 'regulator' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  }

  async function report(caller: string, reporter: string): Promise<any> {
    const res = await t.call('POST', '/v1/reports', { role: 'app', body: { caller, reporter, category: 'harassment' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  async function auditEntries(): Promise<any[]> {
    const res = await t.call('GET', '/v1/audit?limit=1000', { role: 'regulator' });
    assert.equal(res.status, 200);
    return res.body.entries;
  }

  before(async () => {
    t = await startTestServer();
    for (const r of REPORTERS) await report(LABELLED, r);
    const created = await t.call('POST', '/v1/keys', { role: 'admin', body: { org: 'Other Courier Ltd', role: 'business' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    otherBusinessKey = created.body.key;
  });
  after(async () => {
    await t?.close();
  });

  it('the number starts out labelled', async () => {
    const rep = await lookup(LABELLED);
    assert.equal(rep.reports, 3);
    assert.ok(rep.score >= 30, `score ${rep.score}`);
    const d = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: LABELLED, callee: '+8613911112222', channel: 'pstn' } });
    assert.equal(d.body.action, 'label');
  });

  it('a business files an appeal with evidence (201, pending)', async () => {
    const res = await t.call('POST', '/v1/appeals', {
      role: 'business',
      body: { identifier: '138 1234 5678', evidence: 'We are a licensed courier (registration 91110000); these are delivery calls.', contact: 'ops@courier.example' },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'pending');
    assert.equal(res.body.identifier, LABELLED, 'the identifier is canonicalised');
    assert.match(res.body.id, /^[0-9a-f-]{36}$/);
    appealId = res.body.id;
    const other = await t.call('POST', '/v1/appeals', { auth: `Bearer ${otherBusinessKey}`, body: { identifier: '+8613812345679', evidence: 'Another business, another number, with evidence.' } });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    otherAppealId = other.body.id;
  });

  it('filing an appeal does not change the score', async () => {
    assert.ok((await lookup(LABELLED)).score >= 30);
  });

  it('a business sees only its own appeals; a regulator sees all', async () => {
    const mine = await t.call('GET', '/v1/appeals', { role: 'business' });
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.appeals.map((a: any) => a.id), [appealId]);
    const theirs = await t.call('GET', '/v1/appeals', { auth: `Bearer ${otherBusinessKey}` });
    assert.deepEqual(theirs.body.appeals.map((a: any) => a.id), [otherAppealId]);
    const all = await t.call('GET', '/v1/appeals?status=pending', { role: 'regulator' });
    assert.deepEqual(new Set(all.body.appeals.map((a: any) => a.id)), new Set([appealId, otherAppealId]));
  });

  it('a carrier, a business or an app cannot decide (403), and nothing changes', async () => {
    for (const role of ['carrier', 'business', 'app', 'police'] as const) {
      const res = await t.call('POST', `/v1/appeals/${appealId}/decision`, { role, body: { decision: 'upheld', reason: 'trying' } });
      assert.equal(res.status, 403, role);
      assert.equal(res.body.code, 'AUTH_FORBIDDEN');
    }
    const row = await t.ctx.db.selectFrom('appeals').select('status').where('id', '=', appealId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
  });

  it('a regulator upholds it: score 0, reason APPEAL_UPHELD, and the call is no longer labelled', async () => {
    const res = await t.call('POST', `/v1/appeals/${appealId}/decision`, { role: 'regulator', body: { decision: 'upheld', reason: 'Licence checked with the registry' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'upheld');
    assert.equal(res.body.decisionReason, 'Licence checked with the registry');
    assert.equal(typeof res.body.decidedAt, 'string');
    const rep = await lookup(LABELLED);
    assert.equal(rep.score, 0);
    assert.equal(rep.category, null);
    assert.ok(rep.reasons.some((r: any) => r.code === 'APPEAL_UPHELD'), JSON.stringify(rep.reasons));
    const d = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller: LABELLED, callee: '+8613911112222', channel: 'pstn' } });
    assert.equal(d.body.action, 'allow');
    assert.equal(d.body.score, 0);
  });

  it('deciding again is 409 REPUTATION_APPEAL_ALREADY_DECIDED', async () => {
    for (const decision of ['upheld', 'rejected']) {
      const res = await t.call('POST', `/v1/appeals/${appealId}/decision`, { role: 'admin', body: { decision, reason: 'again' } });
      assert.equal(res.status, 409);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(res.body.code, 'REPUTATION_APPEAL_ALREADY_DECIDED');
    }
    const row = await t.ctx.db.selectFrom('appeals').select(['status', 'decision_reason']).where('id', '=', appealId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'upheld', decision_reason: 'Licence checked with the registry' });
  });

  it('a rejected appeal leaves the label', async () => {
    const before = await lookup('+8613812345679');
    const res = await t.call('POST', `/v1/appeals/${otherAppealId}/decision`, { role: 'admin', body: { decision: 'rejected', reason: 'No licence on file' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'rejected');
    const after = await lookup('+8613812345679');
    assert.equal(after.score, before.score);
    assert.ok(!after.reasons.some((r: any) => r.code === 'APPEAL_UPHELD'));
  });

  it('the reporters of an upheld appeal weigh less on their next reports', async () => {
    const charged = '+8613887654321';
    const fresh = '+8613887654322';
    let chargedRep: any;
    let freshRep: any;
    for (const r of REPORTERS) chargedRep = (await report(charged, r)).reputation;
    for (const r of ['fresh-1', 'fresh-2', 'fresh-3']) freshRep = (await report(fresh, r)).reputation;
    assert.equal(chargedRep.reports, 3);
    assert.equal(freshRep.reports, 3);
    assert.ok(chargedRep.score < freshRep.score, `charged ${chargedRep.score} < fresh ${freshRep.score}`);
    const stats = await t.ctx.db.selectFrom('reporter_stats').select('false_reports').execute();
    assert.equal(stats.length, 3);
    assert.ok(stats.every((s) => Number(s.false_reports) === 1));
  });

  it('the audit log records the appeal steps and the chain verifies', async () => {
    const entries = await auditEntries();
    const filed = entries.filter((e) => e.action === 'appeal.file');
    assert.equal(filed.length, 2);
    assert.ok(filed.some((e) => e.subject === `appeal:${appealId}`));
    const upheld = entries.filter((e) => e.action === 'appeal.upheld');
    assert.equal(upheld.length, 1);
    assert.equal(upheld[0].subject, `appeal:${appealId}`);
    assert.match(upheld[0].actor, /regulator/);
    const details = JSON.parse(upheld[0].details);
    assert.equal(details.identifier, LABELLED);
    assert.equal(details.reportersCharged, 3);
    assert.ok(entries.some((e) => e.action === 'appeal.rejected'));
    assert.ok(entries.some((e) => e.action === 'key.create' && e.subject === 'org:Other Courier Ltd'));
    // Sequence numbers are dense and every entry points at the one before.
    entries.forEach((e, i) => {
      assert.equal(e.seq, i + 1);
      if (i > 0) assert.equal(e.prevHash, entries[i - 1].hash);
    });
    const paged = await t.call('GET', `/v1/audit?after=${entries.length - 2}&limit=1`, { role: 'admin' });
    assert.equal(paged.status, 200, JSON.stringify(paged.body));
    assert.deepEqual(paged.body.entries.map((e: any) => e.seq), [entries.length - 1]);
    for (const bad of ['limit=0', 'limit=1001', 'limit=abc', 'after=-1', 'after=1.5']) {
      const res = await t.call('GET', `/v1/audit?${bad}`, { role: 'admin' });
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.code, 'REQUEST_INVALID_QUERY', bad);
      assert.equal(res.body.field, bad.split('=')[0], bad);
    }
    const verify = await t.call('GET', '/v1/audit/verify', { role: 'regulator' });
    assert.equal(verify.status, 200);
    assert.equal(verify.body.ok, true);
    assert.equal(verify.body.entries, entries.length);
    assert.equal(verify.body.head, entries[entries.length - 1].hash);
  });

  it('tampering with one audit row breaks the chain at exactly that entry', async () => {
    const upheld = (await auditEntries()).find((e) => e.action === 'appeal.upheld');
    const seq = Number(upheld.seq);
    await t.ctx.db
      .updateTable('audit_log')
      .set({ details: JSON.stringify({ identifier: LABELLED, reason: 'nothing to see', reportersCharged: 0 }) })
      .where('seq', '=', seq)
      .execute();
    const verify = await t.call('GET', '/v1/audit/verify', { role: 'admin' });
    assert.equal(verify.status, 200);
    assert.equal(verify.body.ok, false);
    assert.equal(verify.body.brokenAt.seq, seq);
    assert.match(verify.body.brokenAt.problem, /altered/);
  });
});
