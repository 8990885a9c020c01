// The source case end to end over real HTTP on loopback (shared/seed-notes.md, case 1): a stranger
// video-calls Ms. Zhang from an e-mail address posing as loan-platform customer service, talks her
// into sharing her screen and moving 1.63 million yuan to a "certified safe account". Here the
// screening warns, the conversation guard raises the screen-share and safe-account alerts, the
// family is told, the bank's transfer check holds the payment, police file an emergency freeze that
// a second officer approves, the bank acknowledges what it froze, the audit chain verifies, and
// every party saw only what its role allows.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { startOutboxDispatcher } from '../../src/operations/payments/dispatcher.js';
import type { OutboxDispatcher } from '../../src/operations/payments/dispatcher.js';
import { verifySignature } from '../../src/payments/index.js';

const CALLER = 'loan-service@icloud.com';
const ZHANG = '+8613800138000';
const SUB = encodeURIComponent(ZHANG);
const SAFE_ACCOUNT = '6011 1111 1111 1117'; // the "CBRC certified safe account"
const HER_CARD = '4111 1111 1111 1111'; // where the money sat, not yet taken
const AMOUNT = 1_630_000;

let t: TestServer;
let secondOfficer: string;
let otherUnit: string;
let otherBank: string;
let family: Server;
const familyInbox: { signature: string; body: string }[] = [];
let guardianSecret: string;
let dispatcher: OutboxDispatcher;
let holdId: string;
let freezeId: string;
const usedGuard = { viaCalls: false };

function forbidden(res: { status: number; body: any }, what: string): void {
  assert.equal(res.status, 403, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.code, 'AUTH_FORBIDDEN', what);
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

before(async () => {
  t = await startTestServer();
  secondOfficer = (await createApiKey(t.ctx, { org: 'Test police', role: 'police' , person: 'officer-4' }, CLI_OPERATOR)).key;
  otherUnit = (await createApiKey(t.ctx, { org: 'Minhang police', role: 'police' , person: 'officer-5' }, CLI_OPERATOR)).key;
  otherBank = (await createApiKey(t.ctx, { org: 'Other bank', role: 'bank' , person: 'officer-6' }, CLI_OPERATOR)).key;
  family = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      familyInbox.push({ signature: String(req.headers['x-callshield-signature']), body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => family.listen(0, '127.0.0.1', r));
  dispatcher = startOutboxDispatcher(t.ctx, { dispatchIntervalMs: 20, webhookBaseDelayMs: 40 });
});
after(async () => {
  await dispatcher?.stop();
  await new Promise<void>((r) => family.close(() => r()));
  await t?.close();
});

describe('the source case, end to end', () => {
  it('setup: her app sets her policy and names her son as guardian; her bank enrols her', async () => {
    assert.equal((await t.call('PUT', `/v1/subscribers/${SUB}/policy`, { role: 'app', body: { contacts: ['+8613911112222'], language: 'en' } })).status, 200);
    const url = `http://127.0.0.1:${(family.address() as AddressInfo).port}/son`;
    const g = await t.call('PUT', `/v1/subscribers/${SUB}/guardians`, { role: 'app', body: { guardians: [{ name: 'Son', contact: '+8613911112222', webhookUrl: url }] } });
    assert.equal(g.status, 200, JSON.stringify(g.body));
    guardianSecret = g.body.secret;
    const e = await t.call('POST', '/v1/payers', { role: 'bank', body: { payer: 'zhang-0001', subscriber: ZHANG } });
    assert.equal(e.status, 201);
    // Her usual payments, so that the bank knows what is normal for her.
    for (const amount of [300, 520, 410]) {
      const r = await t.call('POST', '/v1/transfers/check', { role: 'bank', body: { payer: 'zhang-0001', payeeAccount: '6011 0000 0000 0004', amount, currency: 'CNY', channel: 'mobile' } });
      assert.equal(r.body.decision, 'allow', JSON.stringify(r.body));
    }
  });

  it('a stranger video-calls from an e-mail address: screening warns after fraud reports', async () => {
    const first = await t.call('POST', '/v1/screen', { role: 'app', body: { caller: CALLER, callee: ZHANG, channel: 'video' } });
    assert.equal(first.status, 200);
    assert.match(first.body.advice ?? '', /screen/i, 'a stranger on video gets the screen-sharing advice');
    for (let i = 0; i < 6; i++) {
      const r = await t.call('POST', '/v1/reports', { role: 'app', body: { caller: CALLER, reporter: `victim-${i}`, category: 'fraud', channel: 'video', claimedOrganization: 'loan platform customer service' } });
      assert.equal(r.status, 201);
    }
    const d = await t.call('POST', '/v1/screen', { role: 'app', body: { caller: CALLER, callee: ZHANG, channel: 'video' } });
    assert.ok(['warn', 'silence', 'block'].includes(d.body.action), `action ${d.body.action}`);
  });

  it('the conversation guard raises the screen-share and safe-account alerts (the risky-call mark)', async () => {
    const hasCalls = t.server.routes.some((r) => r.method === 'POST' && r.url === '/v1/calls');
    if (hasCalls) {
      usedGuard.viaCalls = true;
      const call = await t.call('POST', '/v1/calls', { role: 'app', body: { caller: CALLER, callee: ZHANG, channel: 'video' } });
      assert.equal(call.status, 201, JSON.stringify(call.body));
      const script = [
        'Hello, this is customer service of the loan platform. You signed an electronic loan agreement and it will damage your credit record.',
        'To cancel the account please download the Zoom meeting app and share your screen so I can guide you.',
        'Now transfer the money to this China Banking Regulatory Commission certified safe account, and read me the 6-digit verification code.',
      ];
      let last: any;
      for (const text of script) {
        last = await t.call('POST', `/v1/calls/${call.body.callId}/utterances`, { role: 'app', body: { speaker: 'caller', text } });
        assert.equal(last.status, 200, JSON.stringify(last.body));
      }
      assert.ok(last.body.stages.includes('remote-access') && last.body.stages.includes('money-movement'), JSON.stringify(last.body.stages));
    }
    // Her app also sees the Zoom screen share with a stranger.
    const share = await t.call('POST', `/v1/subscribers/${SUB}/screen-sharing`, { role: 'app', body: { active: true, caller: CALLER } });
    assert.equal(share.body.marked, true);
    assert.ok(share.body.riskyCall.stages.includes('remote-access'));
    // Her son is told while the call is going on.
    const alert = await until('the guardian risky-call alert', () => familyInbox.find((m) => JSON.parse(m.body).type === 'guardian.risky-call'));
    assert.equal(verifySignature(alert.signature, alert.body, guardianSecret, Math.floor(Date.now() / 1000)).ok, true);
  });

  it('her app reports the "certified safe account" the caller gave', async () => {
    const r = await t.call('POST', '/v1/accounts/reports', { role: 'app', body: { reporter: 'zhang-app-ref', account: SAFE_ACCOUNT, caller: CALLER, comment: 'CBRC certified account to cancel the loan agreement' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });

  it("the bank's transfer check holds the payment while she is in the risky call", async () => {
    const res = await t.call('POST', '/v1/transfers/check', {
      role: 'bank',
      headers: { 'idempotency-key': 'zhang-tx-1' },
      body: { payer: 'zhang-0001', payeeAccount: SAFE_ACCOUNT, amount: AMOUNT, currency: 'CNY', channel: 'mobile' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.decision, 'hold');
    const codes = res.body.reasons.map((r: any) => r.code);
    for (const c of ['RISKY_CALL_ACTIVE', 'SCREEN_SHARING', 'PAYEE_REPORTED', 'FIRST_TIME_PAYEE', 'AMOUNT_UNUSUAL']) assert.ok(codes.includes(c), `${c} in ${codes}`);
    holdId = res.body.holdId;
    const queue = await t.call('GET', '/v1/holds?status=held', { role: 'bank' });
    assert.deepEqual(queue.body.holds.map((h: any) => h.id), [holdId]);
    await until('the guardian transfer-held alert', () => familyInbox.find((m) => JSON.parse(m.body).type === 'guardian.transfer-held'));
  });

  it('the bank calls her back and returns the money', async () => {
    const r = await t.call('POST', `/v1/holds/${holdId}/return`, { role: 'bank', body: { reason: 'call-back on the number on file: she hung up on the caller and confirmed the scam' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'returned');
  });

  it('police file an emergency freeze; a second officer approves; the bank acknowledges', async () => {
    const filed = await t.call('POST', '/v1/freezes', {
      role: 'police',
      body: { caseNumber: 'JS-2023-FT-0001', accounts: [{ account: HER_CARD, bank: 'Test bank' }], amount: AMOUNT, currency: 'CNY', legalBasis: 'emergency freeze and payment suspension, Anti-Telecom and Online Fraud Law' },
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    freezeId = filed.body.id;
    assert.equal((await t.call('POST', `/v1/freezes/${freezeId}/approve`, { role: 'police' })).body.code, 'PAYMENTS_SAME_OFFICER');
    const approved = await t.call('POST', `/v1/freezes/${freezeId}/approve`, { auth: `Bearer ${secondOfficer}` });
    assert.equal(approved.body.status, 'active');
    const seen = await t.call('GET', '/v1/freezes', { role: 'bank' });
    assert.deepEqual(seen.body.freezes.map((f: any) => f.id), [freezeId]);
    const ack = await t.call('POST', `/v1/freezes/${freezeId}/acknowledge`, {
      role: 'bank',
      body: { account: HER_CARD, frozenAmount: AMOUNT, alreadyLeft: false, note: 'moved by the fraudster into her own fixed-term deposit; not yet taken' },
    });
    assert.equal(ack.status, 200, JSON.stringify(ack.body));
    const unit = await t.call('GET', `/v1/freezes/${freezeId}`, { role: 'police' });
    assert.deepEqual([unit.body.accounts[0].status, unit.body.accounts[0].frozenAmount, unit.body.accounts[0].alreadyLeft], ['acknowledged', AMOUNT, false]);
  });

  it('her family is warned that her face and voice may be used to impersonate her', async () => {
    const r = await t.call('POST', `/v1/subscribers/${SUB}/impersonation-alert`, { role: 'app', body: { caller: CALLER, name: 'Ms. Zhang' } });
    assert.equal(r.status, 200);
    const m = await until('the impersonation alert', () => familyInbox.find((x) => JSON.parse(x.body).type === 'family.impersonation-alert'));
    assert.match(JSON.parse(m.body).data.message, /Ms\. Zhang.*call back on the number you already know/);
  });

  it('the audit chain verifies and records every sensitive step', async () => {
    const v = await t.call('GET', '/v1/audit/verify', { role: 'regulator' });
    assert.equal(v.body.ok, true, JSON.stringify(v.body));
    const entries = (await t.call('GET', '/v1/audit?limit=1000', { role: 'regulator' })).body.entries.map((e: any) => e.action);
    for (const a of ['payer.enrol', 'guardians.set', 'payee.report', 'hold.create', 'hold.return', 'freeze.file', 'freeze.approve', 'freeze.acknowledge', 'family.impersonation-alert']) {
      assert.ok(entries.includes(a), `${a} audited`);
    }
  });

  it('every party saw only what its role allows', async () => {
    // The app: no holds, no freezes, no flag lists, no audit.
    forbidden(await t.call('GET', '/v1/holds', { role: 'app' }), 'app holds');
    forbidden(await t.call('GET', '/v1/freezes', { role: 'app' }), 'app freezes');
    forbidden(await t.call('GET', '/v1/accounts/flags', { role: 'app' }), 'app flags');
    forbidden(await t.call('GET', '/v1/audit', { role: 'app' }), 'app audit');
    forbidden(await t.call('POST', '/v1/transfers/check', { role: 'app', body: { payer: 'x', payeeAccount: HER_CARD, amount: 1, currency: 'CNY', channel: 'mobile' } }), 'app transfer check');
    // Another bank: an empty queue, no freeze, not her hold.
    assert.deepEqual((await t.call('GET', '/v1/holds', { auth: `Bearer ${otherBank}` })).body.holds, []);
    assert.deepEqual((await t.call('GET', '/v1/freezes', { auth: `Bearer ${otherBank}` })).body.freezes, []);
    assert.equal((await t.call('GET', `/v1/holds/${holdId}`, { auth: `Bearer ${otherBank}` })).status, 404);
    assert.equal((await t.call('POST', `/v1/freezes/${freezeId}/acknowledge`, { auth: `Bearer ${otherBank}`, body: { account: HER_CARD, frozenAmount: 0, alreadyLeft: true } })).status, 403);
    // Another police unit: cannot see or touch the case.
    assert.deepEqual((await t.call('GET', '/v1/freezes', { auth: `Bearer ${otherUnit}` })).body.freezes, []);
    assert.equal((await t.call('GET', `/v1/freezes/${freezeId}`, { auth: `Bearer ${otherUnit}` })).status, 404);
    assert.equal((await t.call('POST', `/v1/freezes/${freezeId}/release`, { auth: `Bearer ${otherUnit}`, body: { reason: 'not ours' } })).status, 404);
    // Police do not see banks' hold queues; banks cannot file or approve freezes; carriers see nothing here.
    forbidden(await t.call('GET', '/v1/holds', { role: 'police' }), 'police holds');
    forbidden(await t.call('POST', `/v1/freezes/${freezeId}/approve`, { role: 'bank' }), 'bank approve');
    forbidden(await t.call('GET', '/v1/freezes', { role: 'carrier' }), 'carrier freezes');
    forbidden(await t.call('GET', '/v1/audit', { role: 'bank' }), 'bank audit');
    // The bank's view of the freeze does not name the officers.
    const bankView = await t.call('GET', `/v1/freezes/${freezeId}`, { role: 'bank' });
    assert.equal(bankView.body.filedBy, undefined);
    // The regulator sees everything.
    assert.ok((await t.call('GET', '/v1/holds', { role: 'regulator' })).body.holds.some((h: any) => h.id === holdId));
    assert.ok((await t.call('GET', '/v1/freezes', { role: 'regulator' })).body.freezes.some((f: any) => f.id === freezeId));
    // Her number and her bank reference are stored only as hashes.
    const stored = JSON.stringify(await t.ctx.db.selectFrom('payers').selectAll().execute()) + JSON.stringify(await t.ctx.db.selectFrom('holds').selectAll().execute());
    assert.ok(!stored.includes('13800138000') && !stored.includes('zhang-0001'));
  });

  it(`(the risky-call mark was set ${'through'} the conversation API when POST /v1/calls exists)`, () => {
    assert.equal(usedGuard.viaCalls, t.server.routes.some((r) => r.method === 'POST' && r.url === '/v1/calls'));
  });
});
