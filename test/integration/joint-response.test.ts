// Joint response end to end over real HTTP (issue 22): the source case's video call came from an
// e-mail address of a platform that claimed icloud.com, the meeting ran on a meeting app, and the
// money went to a "safe account" at a bank; a second caller rang from a phone number a carrier holds.
// The victim's app files the case; the platform, the carrier and the bank each see their own task
// and act; the police see the timeline; the meeting app's task, left open past its deadline, reaches
// the regulator. Every party sees only its own tasks (tried with keys of other organisations of the
// same role). The clock is the test's.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { dispatchDue, sweepPayments } from '../../src/operations/payments/dispatcher.js';
import { verifySignature } from '../../src/payments/index.js';

const MINUTE = 60_000;
let now = Date.UTC(2026, 10, 26, 9);
const EMAIL_CALLER = 'loan-service@icloud.com';
const MEETING_CALLER = 'account:zoom:88123456';
const PHONE_CALLER = '+8613800001234';
const ZHANG = '+8613800138000';
const SAFE_ACCOUNT = '6011 1111 1111 1117';

let t: TestServer;
const key: Record<string, string> = {};
let receiver: Server;
const inbox: { path: string; signature: string; body: string }[] = [];
let caseId: string;
const taskOf: Record<string, any> = {};

async function as(who: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  return t.call(method, path, { auth: `Bearer ${key[who]}`, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });
}

before(async () => {
  t = await startTestServer({}, () => now);
  key.app = t.keys.app;
  key.police = t.keys.police;
  key.regulator = t.keys.regulator;
  key.admin = t.keys.admin;
  key.platform = t.keys.platform; // "Test platform": holds icloud.com
  key.carrier = t.keys.carrier; // "Test carrier": holds the phone caller's block
  key.bank = t.keys.bank; // "Test bank": holds the safe account
  const mk = async (org: string, role: any, person: string) => (await createApiKey(t.ctx, { org, role, person }, CLI_OPERATOR)).key;
  key.meeting = await mk('Meeting platform', 'platform', 'trust-safety-1');
  key.otherPlatform = await mk('Other platform', 'platform', 'ops-9');
  key.otherCarrier = await mk('Other carrier', 'carrier', 'noc-9');
  key.otherBank = await mk('Other bank', 'bank', 'fraud-desk-9');
  key.otherPolice = await mk('Minhang police', 'police', 'officer-9');
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      inbox.push({ path: req.url ?? '', signature: String(req.headers['x-callshield-signature']), body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
});
after(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
  await t?.close();
});

function events(path: string, type: string): any[] {
  return inbox.filter((m) => m.path === path && JSON.parse(m.body).type === type).map((m) => JSON.parse(m.body));
}

describe('joint response', () => {
  const secrets: Record<string, string> = {};

  it('setup: webhooks, the carrier registers its block, the app sets her language', async () => {
    const port = (receiver.address() as AddressInfo).port;
    for (const who of ['bank', 'platform', 'carrier', 'app', 'regulator']) {
      const r = await as(who, 'PUT', '/v1/webhooks', { url: `http://127.0.0.1:${port}/${who}` });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      secrets[who] = r.body.secret;
    }
    const h = await as('carrier', 'POST', '/v1/holders', [{ holder: 'Pudong Trading Co', identityLevel: 'documented', use: 'customer-service', from: '+8613800001000', to: '+8613800001999' }]);
    assert.equal(h.status, 201, JSON.stringify(h.body));
    const p = await as('app', 'PUT', `/v1/subscribers/${encodeURIComponent(ZHANG)}/policy`, { language: 'zh' });
    assert.equal(p.status, 200, JSON.stringify(p.body));
  });

  it('platforms claim their namespaces; a space another platform holds stays pending until an admin decides', async () => {
    const a = await as('platform', 'POST', '/v1/platforms/namespaces', { emailDomains: ['icloud.com'] });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.deepEqual(a.body.claims.map((c: any) => [c.kind, c.value, c.status]), [['email-domain', 'icloud.com', 'approved']]);
    const m = await as('meeting', 'POST', '/v1/platforms/namespaces', { accounts: ['Zoom'] });
    assert.deepEqual(m.body.claims.map((c: any) => [c.kind, c.value, c.status, c.claimedBy]), [['account', 'zoom', 'approved', 'trust-safety-1']]);
    const o = await as('otherPlatform', 'POST', '/v1/platforms/namespaces', { emailDomains: ['icloud.com', 'other.example'] });
    assert.deepEqual(o.body.claims.map((c: any) => [c.value, c.status]), [['icloud.com', 'pending'], ['other.example', 'approved']]);
    const pending = o.body.claims[0].id;
    // A platform may not decide; the admin rejects the contested claim.
    assert.equal((await as('otherPlatform', 'POST', `/v1/platforms/namespaces/${pending}/approve`)).status, 403);
    const r = await as('admin', 'POST', `/v1/platforms/namespaces/${pending}/reject`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'rejected');
    assert.equal((await as('admin', 'POST', `/v1/platforms/namespaces/${pending}/approve`)).body.code, 'RESPONSE_INVALID_STATE');
    // Each platform lists its own claims only.
    const mine = await as('otherPlatform', 'GET', '/v1/platforms/namespaces');
    assert.deepEqual(mine.body.claims.map((c: any) => c.value).sort(), ['icloud.com', 'other.example']);
    assert.ok(mine.body.claims.every((c: any) => c.platform === 'Other platform'));
    const bad = await as('platform', 'POST', '/v1/platforms/namespaces', { emailDomains: ['not a domain'] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'RESPONSE_INVALID_NAMESPACE');
    assert.equal(bad.body.field, 'emailDomains.0');
  });

  it('a case naming a bank that is not on callshield is refused whole (no case, no task)', async () => {
    const before = (await as('app', 'GET', '/v1/cases')).body.cases.length;
    const r = await as('app', 'POST', '/v1/cases', { subscriber: ZHANG, callers: [EMAIL_CALLER], payeeAccounts: [{ account: SAFE_ACCOUNT, bank: 'No Such Bank' }], amount: 10, currency: 'CNY', occurredAt: new Date(now - MINUTE).toISOString() });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.code, 'PAYMENTS_UNKNOWN_BANK');
    assert.equal(r.body.field, 'payeeAccounts.0.bank');
    assert.equal((await as('app', 'GET', '/v1/cases')).body.cases.length, before);
    assert.deepEqual((await as('bank', 'GET', '/v1/tasks')).body.tasks, []);
  });

  it("the victim's app files the case: one task per responsible party", async () => {
    const r = await as('app', 'POST', '/v1/cases', {
      subscriber: ZHANG,
      callers: [EMAIL_CALLER, MEETING_CALLER, PHONE_CALLER],
      payeeAccounts: [{ account: SAFE_ACCOUNT, bank: 'Test bank' }, '4111 1111 1111 1111'],
      amount: 1_630_000,
      currency: 'CNY',
      occurredAt: new Date(now - 30 * MINUTE).toISOString(),
      description: 'loan-platform customer service on a video call, screen sharing, certified safe account',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    caseId = r.body.id;
    assert.match(caseId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(r.body.payeeAccounts, ['card:6011111111111117', 'card:4111111111111111']);
    const got = r.body.tasks.map((x: any) => [x.kind, x.identifier, x.organisation]).sort();
    assert.deepEqual(got, [
      ['freeze-preparation', 'card:6011111111111117', 'Test bank'],
      ['review', caseId, null],
      ['suspend-account', MEETING_CALLER, 'Meeting platform'],
      ['suspend-account', EMAIL_CALLER, 'Test platform'],
      ['trace-and-suspend', PHONE_CALLER, 'Test carrier'],
    ]);
    const bank = r.body.tasks.find((x: any) => x.kind === 'freeze-preparation');
    // The bank's deadline is the golden hour (default 60 minutes).
    assert.equal(bank.deadline, new Date(now + 60 * MINUTE).toISOString());
    assert.deepEqual(r.body.unrouted.map((u: any) => u.identifier), ['card:4111111111111111']);
  });

  it('each party sees its own task in its queue, and nobody else sees it', async () => {
    for (const [who, kind] of [['bank', 'freeze-preparation'], ['platform', 'suspend-account'], ['meeting', 'suspend-account'], ['carrier', 'trace-and-suspend'], ['police', 'review']] as const) {
      const q = await as(who, 'GET', '/v1/tasks?status=open');
      assert.equal(q.status, 200, JSON.stringify(q.body));
      assert.equal(q.body.tasks.length, 1, `${who}: ${JSON.stringify(q.body.tasks)}`);
      const task = q.body.tasks[0];
      for (const f of ['id', 'caseId', 'kind', 'identifier', 'deadline', 'status']) assert.ok(f in task, `${who} task has ${f}`);
      assert.equal(task.kind, kind);
      assert.equal(task.caseId, caseId);
      assert.equal(task.status, 'open');
      taskOf[who] = task;
    }
    for (const who of ['otherBank', 'otherPlatform', 'otherCarrier']) {
      assert.deepEqual((await as(who, 'GET', '/v1/tasks?status=open')).body.tasks, [], who);
    }
    // Another organisation of the same role cannot touch (or learn of) a task: 404.
    for (const [who, owner] of [['otherBank', 'bank'], ['otherPlatform', 'platform'], ['meeting', 'platform'], ['otherCarrier', 'carrier'], ['platform', 'meeting']] as const) {
      for (const [path, body] of [['accept', undefined], ['done', { outcome: 'number suspended' }], ['refuse', { reason: 'not ours' }]] as const) {
        const res = await as(who, 'POST', `/v1/tasks/${taskOf[owner].id}/${path}`, body);
        assert.equal(res.status, 404, `${who} ${path} ${owner}'s task: ${res.status}`);
        assert.equal(res.body.code, 'RESPONSE_TASK_NOT_FOUND');
      }
      assert.equal((await as(who, 'GET', `/v1/tasks/${taskOf[owner].id}`)).status, 404);
    }
    // A queue can be narrowed to one case.
    assert.equal((await as('bank', 'GET', `/v1/tasks?caseId=${caseId}`)).body.tasks.length, 1);
    assert.equal((await as('bank', 'GET', '/v1/tasks?caseId=00000000-0000-0000-0000-000000000000')).body.tasks.length, 0);
    // An app has no queue.
    assert.equal((await as('app', 'GET', '/v1/tasks')).status, 403);
  });

  it('the bank, the platform, the carrier and the police act, each step by a person', async () => {
    now += 4 * MINUTE;
    const acc = await as('bank', 'POST', `/v1/tasks/${taskOf.bank.id}/accept`);
    assert.equal(acc.status, 200, JSON.stringify(acc.body));
    assert.equal(acc.body.status, 'accepted');
    assert.equal((await as('bank', 'POST', `/v1/tasks/${taskOf.bank.id}/accept`)).body.code, 'RESPONSE_INVALID_STATE');
    now += 7 * MINUTE;
    const bad = await as('bank', 'POST', `/v1/tasks/${taskOf.bank.id}/done`, { outcome: '' });
    assert.equal(bad.status, 400);
    const fractional = await as('bank', 'POST', `/v1/tasks/${taskOf.bank.id}/done`, { outcome: 'amount held', details: { heldAmount: 16300.5 } });
    assert.equal(fractional.status, 400, 'an amount is a whole number of minor units');
    assert.equal(fractional.body.field, 'details.heldAmount');
    const notAnAmount = await as('bank', 'POST', `/v1/tasks/${taskOf.bank.id}/done`, { outcome: 'amount held', details: { heldAmount: 'all of it' } });
    assert.equal(notAnAmount.status, 400);
    assert.equal(notAnAmount.body.field, 'details.heldAmount');
    assert.equal((await as('bank', 'GET', `/v1/tasks/${taskOf.bank.id}`)).body.status, 'accepted', 'nothing written');
    const done = await as('bank', 'POST', `/v1/tasks/${taskOf.bank.id}/done`, { outcome: 'amount held', details: { heldAmount: 1_630_000, currency: 'CNY' } });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.status, 'done');
    assert.deepEqual(done.body.steps.at(-1).details, { heldAmount: 1_630_000, currency: 'CNY' });
    assert.equal(done.body.steps.at(-1).person, 'bank-officer-1');

    now += 9 * MINUTE;
    assert.equal((await as('platform', 'POST', `/v1/tasks/${taskOf.platform.id}/accept`)).status, 200);
    assert.equal((await as('platform', 'POST', `/v1/tasks/${taskOf.platform.id}/done`, { outcome: 'account suspended' })).status, 200);

    now += 15 * MINUTE;
    const c = await as('carrier', 'POST', `/v1/tasks/${taskOf.carrier.id}/done`, { outcome: 'number suspended', details: { tracedTo: 'Test carrier', subscriberOfRecord: 'Pudong Trading Co' } });
    assert.equal(c.status, 200, JSON.stringify(c.body));

    // The review was any unit's until one took it; then it is that unit's alone.
    assert.equal((await as('otherPolice', 'GET', '/v1/tasks?status=open')).body.tasks.length, 1);
    now += 2 * MINUTE;
    assert.equal((await as('police', 'POST', `/v1/tasks/${taskOf.police.id}/accept`)).body.organisation, 'Test police');
    assert.deepEqual((await as('otherPolice', 'GET', '/v1/tasks')).body.tasks, []);
    assert.equal((await as('otherPolice', 'POST', `/v1/tasks/${taskOf.police.id}/done`, { outcome: 'freeze filed' })).status, 404);
    assert.equal((await as('police', 'POST', `/v1/tasks/${taskOf.police.id}/done`, { outcome: 'freeze filed, investigation opened' })).status, 200);
  });

  it('a task left open past its deadline escalates to the regulator', async () => {
    await sweepPayments(t.ctx);
    assert.deepEqual((await as('regulator', 'GET', '/v1/tasks?status=escalated')).body.tasks, []);
    now += 121 * MINUTE; // the platform deadline is 120 minutes
    // Before the sweep, ?status=overdue already shows it, to its own platform only.
    assert.deepEqual((await as('meeting', 'GET', '/v1/tasks?status=overdue')).body.tasks.map((x: any) => [x.identifier, x.status, x.overdue]), [[MEETING_CALLER, 'open', true]]);
    assert.deepEqual((await as('otherPlatform', 'GET', '/v1/tasks?status=overdue')).body.tasks, []);
    await sweepPayments(t.ctx);
    const q = await as('regulator', 'GET', '/v1/tasks?status=escalated');
    assert.equal(q.status, 200);
    assert.deepEqual(q.body.tasks.map((x: any) => [x.kind, x.identifier, x.organisation]), [['suspend-account', MEETING_CALLER, 'Meeting platform']]);
    assert.equal(q.body.tasks[0].steps.at(-1).by, 'callshield (system)');
    // Done tasks do not escalate; the meeting platform still sees (and may still do) its task.
    assert.equal((await as('meeting', 'GET', '/v1/tasks?status=escalated')).body.tasks.length, 1);
    assert.deepEqual((await as('bank', 'GET', '/v1/tasks?status=escalated')).body.tasks, []);
    now += MINUTE;
    assert.equal((await as('meeting', 'POST', `/v1/tasks/${taskOf.meeting.id}/refuse`, { reason: 'the account was already deleted by its owner' })).body.status, 'refused');
  });

  it('the police see the whole timeline: every task, who did what and when, minutes from filing', async () => {
    const r = await as('police', 'GET', `/v1/cases/${caseId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.id, caseId);
    assert.equal(r.body.filedBy, 'Test app');
    assert.equal(r.body.tasks.length, 5);
    const bank = r.body.tasks.find((x: any) => x.kind === 'freeze-preparation');
    assert.deepEqual(bank.steps.map((s: any) => [s.action, s.organisation, s.person, s.minutesFromFiling]), [
      ['created', null, null, 0],
      ['accepted', 'Test bank', 'bank-officer-1', 4],
      ['done', 'Test bank', 'bank-officer-1', 11],
    ]);
    const carrier = r.body.timeline.find((e: any) => e.kind === 'trace-and-suspend' && e.action === 'done');
    assert.deepEqual([carrier.organisation, carrier.person, carrier.minutesFromFiling, carrier.outcome], ['Test carrier', 'carrier-officer-1', 35, 'number suspended']);
    const esc = r.body.timeline.find((e: any) => e.action === 'escalated');
    assert.equal(esc.identifier, MEETING_CALLER);
    assert.ok(r.body.timeline.every((e: any, i: number, a: any[]) => i === 0 || a[i - 1].at <= e.at), 'in time order');
    assert.equal(r.body.summary, undefined, 'the plain-language summary is for the victim\'s app');
    // Other parties do not read cases.
    assert.equal((await as('bank', 'GET', `/v1/cases/${caseId}`)).status, 403);
  });

  it("the victim's app sees a plain-language summary in her language (policy: zh; Accept-Language overrides)", async () => {
    const zh = await as('app', 'GET', `/v1/cases/${caseId}`);
    assert.equal(zh.body.summary.language, 'zh');
    assert.match(zh.body.summary.headline, /5 个相关方/);
    assert.ok(zh.body.summary.lines.some((l: string) => l.includes('银行') && l.includes('amount held')), zh.body.summary.lines.join('\n'));
    const en = await as('app', 'GET', `/v1/cases/${caseId}`, undefined, { 'accept-language': 'en-GB,en;q=0.8' });
    assert.equal(en.body.summary.language, 'en');
    assert.ok(en.body.summary.lines.some((l: string) => /bank that holds the account card:6011111111111117 has acted: amount held \(11 minutes/.test(l)), en.body.summary.lines.join('\n'));
    assert.ok(en.body.summary.lines.some((l: string) => /could not act: the account was already deleted/.test(l)));
    // The app sees which organisation acted and when, not the staff behind it.
    assert.ok(en.body.timeline.every((e: any) => e.person === null));
    assert.ok(en.body.tasks.every((x: any) => x.steps.every((s: any) => s.person === null && !String(s.by).includes('officer'))));
    assert.ok(en.body.timeline.some((e: any) => e.organisation === 'Test bank' && e.action === 'done'));
  });

  it('every step went out as a signed webhook to the party, the filing app and (escalation) the regulator', async () => {
    while ((await dispatchDue(t.ctx)) > 0);
    const created = events('/bank', 'task.created');
    assert.equal(created.length, 1);
    assert.equal(created[0].data.kind, 'freeze-preparation');
    assert.equal(events('/bank', 'task.done')[0].data.step.outcome, 'amount held');
    assert.ok(events('/app', 'task.done').length >= 3);
    assert.equal(events('/regulator', 'task.escalated')[0].data.identifier, MEETING_CALLER);
    // Nobody else's task reached the bank.
    assert.ok(inbox.filter((m) => m.path === '/bank' && JSON.parse(m.body).type.startsWith('task.')).every((m) => JSON.parse(m.body).data.kind === 'freeze-preparation'));
    for (const m of inbox.filter((x) => JSON.parse(x.body).type.startsWith('task.'))) {
      const who = m.path.slice(1);
      assert.equal(verifySignature(m.signature, m.body, secrets[who]!, Math.floor(now / 1000)).ok, true, `signature of ${m.path}`);
    }
  });

  it('the regulator gets median and p90 minutes from case to each action, per organisation and week (JSON and CSV)', async () => {
    const r = await as('regulator', 'GET', '/v1/stats/response-times');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const row = r.body.rows.find((x: any) => x.organisation === 'Test bank' && x.action === 'done');
    assert.deepEqual(row, { week: '2026-11-23', organisation: 'Test bank', kind: 'freeze-preparation', action: 'done', count: 1, medianMinutes: 11, p90Minutes: 11 });
    assert.ok(r.body.rows.some((x: any) => x.organisation === 'Meeting platform' && x.action === 'escalated'));
    const csv = await as('regulator', 'GET', '/v1/stats/response-times?format=csv');
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = csv.text.trim().split('\n');
    assert.equal(lines[0], 'week,organisation,kind,action,count,medianMinutes,p90Minutes');
    assert.ok(lines.includes('2026-11-23,Test bank,freeze-preparation,done,1,11,11'), csv.text);
    assert.equal((await as('bank', 'GET', '/v1/stats/response-times')).status, 403);
  });

  it('every step is in the audit log with the person', async () => {
    const a = await as('regulator', 'GET', '/v1/audit?limit=200');
    assert.equal(a.status, 200, JSON.stringify(a.body));
    const entries = a.body.entries ?? a.body.audit ?? a.body;
    const acts = (entries as any[]).filter((e) => String(e.action).startsWith('task.')).map((e) => `${e.action} ${e.actor}`);
    assert.ok(acts.includes('task.done Test bank (bank) / bank-officer-1'), acts.join('\n'));
    assert.ok(acts.some((x) => x.startsWith('task.escalate callshield (system)')), acts.join('\n'));
    assert.ok(acts.some((x) => x.startsWith('task.create Test app (app)')), acts.join('\n'));
  });
});
