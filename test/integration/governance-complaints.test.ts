// Complaints end to end: checked against both registries, routed to the carrier that holds the
// number, tracked to an outcome, escalated after repeated confirmed violations, and counted as
// evidence against the caller.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';

let t: TestServer;
let carrier2 = '';
const HOUR = 3_600_000;
const ago = (h: number): string => new Date(Date.now() - h * HOUR).toISOString();

before(async () => {
  t = await startTestServer();
  carrier2 = (await createApiKey(t.ctx, { org: 'Second Carrier', role: 'carrier' }, CLI_OPERATOR)).key;
  const res = await t.call('POST', '/v1/holders', { role: 'carrier', body: [{ holder: 'Acme Notifications', identityLevel: 'documented', use: 'notifications', from: '+8613800000000', to: '+8613800009999' }] });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  // The callee's app serves them (holds their policy) and registers them on the list.
  assert.equal((await t.call('PUT', `/v1/subscribers/${encodeURIComponent('+8613911110003')}/policy`, { role: 'app', body: {} })).status, 200);
  assert.equal((await t.call('POST', '/v1/dnc', { role: 'app', body: { number: '+8613911110003' } })).status, 201);
});
after(async () => {
  await t?.close();
});

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string, field?: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, code);
  if (field !== undefined) assert.equal(res.body.field, field);
}

async function complain(body: Record<string, unknown>, role: 'app' | 'carrier' = 'app') {
  const res = await t.call('POST', '/v1/complaints', { role, body: { caller: '+8613800001234', callee: '+8613911110001', occurredAt: ago(2), consented: false, category: 'spam-ad', offered: 'cheap loans', ...body } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const ids: string[] = [];

describe('complaints', () => {
  it('marketing from a notifications block without consent: two violations, routed to the holder\'s carrier', async () => {
    const c = await complain({});
    ids.push(c.id);
    assert.equal(c.violation, true);
    assert.deepEqual(c.violations, ['NO_CONSENT', 'USE_MISMATCH']);
    assert.equal(c.holder, 'Acme Notifications');
    assert.equal(c.routedTo, 'Test carrier');
    assert.equal(c.status, 'open');
    assert.ok(c.findings.some((f: any) => f.code === 'USE_MISMATCH' && /declared for notifications/.test(f.text)));
  });
  it('the callee on the do-not-call list is a further violation; a consent on record clears the consent check', async () => {
    const dnc = await complain({ callee: '+8613911110003' }, 'carrier');
    ids.push(dnc.id);
    assert.ok(dnc.violations.includes('DNC_REGISTERED'));
    const biz = await createApiKey(t.ctx, { org: 'Acme Notifications', role: 'business' }, CLI_OPERATOR);
    const consent = await t.call('POST', '/v1/consents', { auth: `Bearer ${biz.key}`, body: { number: '+8613911110004', purpose: 'marketing', channel: 'voice', grantedAt: ago(48), evidence: 'opt-in SMS reply' } });
    assert.equal(consent.status, 201, JSON.stringify(consent.body));
    const c = await complain({ callee: '+8613911110004' });
    ids.push(c.id);
    assert.deepEqual(c.violations, ['USE_MISMATCH']);
    assert.ok(c.findings.some((f: any) => f.code === 'CONSENT_ON_RECORD'));
  });
  it('the holder\'s carrier sees it; another carrier does not; an app sees what it filed; the regulator all', async () => {
    const mine = await t.call('GET', '/v1/complaints', { role: 'carrier' });
    assert.equal(mine.body.complaints.length, 3);
    const other = await t.call('GET', '/v1/complaints', { auth: `Bearer ${carrier2}` });
    assert.deepEqual(other.body.complaints, []);
    assert.equal((await t.call('GET', '/v1/complaints', { role: 'app' })).body.complaints.length, 2);
    assert.equal((await t.call('GET', '/v1/complaints?status=open', { role: 'regulator' })).body.complaints.length, 3);
  });
  it('complaints are harassment evidence against the caller', async () => {
    const res = await t.call('GET', `/v1/identifiers/${encodeURIComponent('+8613800001234')}`, { role: 'regulator' });
    assert.equal(res.body.category, 'harassment');
    assert.equal(res.body.reports, 3);
    assert.ok(res.body.score >= 40, `score ${res.body.score}`);
  });
  it('only the routed carrier records the outcome; twice is a conflict', async () => {
    assertProblem(await t.call('POST', `/v1/complaints/${ids[0]}/outcome`, { auth: `Bearer ${carrier2}`, body: { outcome: 'warned', note: 'x' } }), 404, 'GOVERNANCE_COMPLAINT_NOT_FOUND', 'id');
    const ok = await t.call('POST', `/v1/complaints/${ids[0]}/outcome`, { role: 'carrier', body: { outcome: 'warned', note: 'Holder warned in writing, ref W-17' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.complaint.status, 'warned');
    assert.equal(ok.body.escalation, null);
    assertProblem(await t.call('POST', `/v1/complaints/${ids[0]}/outcome`, { role: 'carrier', body: { outcome: 'dismissed', note: 'again' } }), 409, 'GOVERNANCE_COMPLAINT_DECIDED', 'id');
    assertProblem(await t.call('POST', `/v1/complaints/${ids[1]}/outcome`, { role: 'carrier', body: { outcome: 'fined', note: 'x' } }), 400, 'REQUEST_INVALID_BODY', 'outcome');
  });
  it('the third confirmed violation in 30 days escalates the holder to the regulator with the evidence', async () => {
    assert.deepEqual((await t.call('GET', '/v1/escalations', { role: 'regulator' })).body.escalations, []);
    const second = await t.call('POST', `/v1/complaints/${ids[1]}/outcome`, { role: 'carrier', body: { outcome: 'suspended', note: 'line suspended for 7 days' } });
    assert.equal(second.body.escalation, null);
    const third = await t.call('POST', `/v1/complaints/${ids[2]}/outcome`, { role: 'carrier', body: { outcome: 'warned', note: 'second warning' } });
    assert.equal(third.status, 200);
    assert.equal(third.body.escalation.violations, 3);
    const list = await t.call('GET', '/v1/escalations', { role: 'regulator' });
    assert.equal(list.body.escalations.length, 1);
    const e = list.body.escalations[0];
    assert.equal(e.holder, 'Acme Notifications');
    assert.equal(e.block, '+8613800000000–+8613800009999');
    assert.match(e.recommendation, /^Suspend \+8613800000000–\+8613800009999 held by Acme Notifications: 3 confirmed violations in 30 days$/);
    assert.deepEqual([...e.complaints].sort(), [...ids].sort());
    assert.equal(e.evidence.length, 3);
    assert.ok(e.evidence.every((x: any) => x.note && x.violations.length > 0));
    assertProblem(await t.call('GET', '/v1/escalations', { role: 'app' }), 403, 'AUTH_FORBIDDEN');
  });
  it('a dismissed complaint stops counting as evidence', async () => {
    const c = await complain({ caller: '+8613800007777', callee: '+8613911110009' });
    const before = (await t.call('GET', `/v1/identifiers/${encodeURIComponent('+8613800007777')}`, { role: 'regulator' })).body.reports;
    assert.equal(before, 1);
    await t.call('POST', `/v1/complaints/${c.id}/outcome`, { role: 'carrier', body: { outcome: 'dismissed', note: 'the person had a contract' } });
    assert.equal((await t.call('GET', `/v1/identifiers/${encodeURIComponent('+8613800007777')}`, { role: 'regulator' })).body.reports, 0);
  });
  it('a number nobody registered goes to the regulator only; an impersonation claim is recorded', async () => {
    const c = await complain({ caller: '+8613700001111', category: 'impersonation', claimedOrganization: 'ICBC customer service' });
    assert.equal(c.routedTo, null);
    assert.deepEqual(c.violations, ['CLAIM_UNREGISTERED']);
    assert.ok(c.findings.some((f: any) => f.code === 'UNREGISTERED_NUMBER'));
    const rep = await t.call('GET', `/v1/identifiers/${encodeURIComponent('+8613700001111')}`, { role: 'regulator' });
    assert.equal(rep.body.category, 'impersonation');
    assert.equal(rep.body.claimedOrganization, 'ICBC customer service');
  });
  it('bad complaints are refused with the field, and nothing is written', async () => {
    const count = async () => Number((await t.ctx.db.selectFrom('governance_complaints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const base = { caller: '+8613800001234', callee: '+8613911110001', occurredAt: ago(1), consented: false, category: 'spam-ad' };
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ ...base, caller: 'anonymous' }, 400, 'IDENTITY_ANONYMOUS_NOT_ALLOWED', 'caller'],
      [{ ...base, callee: '12' }, 400, 'IDENTITY_INVALID_NUMBER', 'callee'],
      [{ ...base, occurredAt: new Date(Date.now() + 86_400_000).toISOString() }, 400, 'REPUTATION_INVALID_TIME', 'occurredAt'],
      [{ ...base, consented: 'no' }, 400, 'REQUEST_INVALID_BODY', 'consented'],
      [{ ...base, category: 'annoying' }, 400, 'REQUEST_INVALID_BODY', 'category'],
    ];
    for (const [body, status, code, field] of cases) assertProblem(await t.call('POST', '/v1/complaints', { role: 'app', body }), status, code, field);
    assert.equal(await count(), before);
  });
});
