// Payments over HTTP on a real SQLite file, and again on PostgreSQL when one answers: enrolment, the transfer check and its idempotency,
// flags and who sees them, the hold queue, emergency freezes with dual control, victim cases,
// guardians, and bad input that must leave nothing behind.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';
import { openApp } from '../../src/app-context.js';
import { checkTransfer } from '../../src/operations/payments/transfers.js';
import { findOrgByName } from '../../src/store/orgs.js';
import { pino } from 'pino';

let t: TestServer;
let police2: string; // a second officer of the same unit ("Test police")
let otherUnit: string; // an officer of another police unit
let otherBank: string;

const CARD = '4111 1111 1111 1111';
const MULE = '6011111111111117';
const IBAN = 'DE89370400440532013000';
const SUBSCRIBER = '+8613800138000';

async function count(table: 'transfer_checks' | 'holds' | 'freezes' | 'freeze_accounts' | 'payee_flags' | 'victim_cases' | 'outbox' | 'payers' | 'audit_log'): Promise<number> {
  const r = await t.ctx.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string, field?: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, code);
  if (field !== undefined) assert.equal(res.body.field, field);
}

const check = (body: Record<string, unknown>, opts: { key?: string; auth?: string } = {}) =>
  t.call('POST', '/v1/transfers/check', { ...(opts.auth ? { auth: opts.auth } : { role: 'bank' as const }), body: { channel: 'mobile', currency: 'CNY', ...body }, ...(opts.key ? { headers: { 'idempotency-key': opts.key } } : {}) });

const pgUp = await postgresAvailable();
let pgdb: { url: string; drop: () => Promise<void> } | undefined;

for (const engine of ['sqlite', 'postgres'] as const) {
describe(`payments API on ${engine}`, { skip: engine === 'postgres' && !pgUp ? 'PostgreSQL is not reachable' : false }, () => {
  before(async () => {
    if (engine === 'postgres') {
      pgdb = await createTestDatabase();
      t = await startTestServer({ databaseUrl: pgdb.url });
    } else {
      t = await startTestServer();
    }
    police2 = (await createApiKey(t.ctx, { org: 'Test police', role: 'police' , person: 'officer-1' }, CLI_OPERATOR)).key;
    otherUnit = (await createApiKey(t.ctx, { org: 'Minhang police', role: 'police' , person: 'officer-2' }, CLI_OPERATOR)).key;
    otherBank = (await createApiKey(t.ctx, { org: 'Other bank', role: 'bank' , person: 'officer-3' }, CLI_OPERATOR)).key;
    const res = await t.call('POST', '/v1/payers', { role: 'bank', body: { payer: 'cust-001', subscriber: SUBSCRIBER } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });
  after(async () => {
    await t?.close();
    await pgdb?.drop();
    pgdb = undefined;
  });

  describe('enrolment', () => {
    it('stores only hashes of the payer reference and the subscriber', async () => {
      const rows = await t.ctx.db.selectFrom('payers').selectAll().execute();
      assert.equal(rows.length, 1);
      const text = JSON.stringify(rows);
      assert.ok(!text.includes('cust-001') && !text.includes('13800138000'), text);
    });
    it('refuses a payer reference with spaces and a non-bank role', async () => {
      assertProblem(await t.call('POST', '/v1/payers', { role: 'bank', body: { payer: 'has space', subscriber: SUBSCRIBER } }), 400, 'PAYMENTS_INVALID_PAYER', 'payer');
      assertProblem(await t.call('POST', '/v1/payers', { role: 'app', body: { payer: 'x', subscriber: SUBSCRIBER } }), 403, 'AUTH_FORBIDDEN');
    });
  });

  describe('transfer check', () => {
    it('learns the payer: first payments are new payees, then usual', async () => {
      for (let i = 0; i < 4; i++) {
        const res = await check({ payer: 'cust-001', payeeAccount: CARD, amount: 200 + i });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.decision, 'allow');
      }
      const usual = await check({ payer: 'cust-001', payeeAccount: CARD, amount: 210 });
      assert.deepEqual(usual.body.reasons.map((r: any) => r.code), ['NO_RISK_FOUND']);
      const big = await check({ payer: 'cust-001', payeeAccount: IBAN, amount: 50_000 });
      assert.equal(big.body.decision, 'confirm');
      assert.deepEqual(big.body.reasons.map((r: any) => r.code).sort(), ['AMOUNT_UNUSUAL', 'FIRST_TIME_PAYEE']);
      assert.ok(big.body.coolingOffSeconds > 0 && typeof big.body.message === 'string');
    });

    it('is idempotent: same key and body → the same stored answer; another body → 409, nothing written', async () => {
      const body = { payer: 'cust-001', payeeAccount: CARD, amount: 205 };
      const first = await check(body, { key: 'idem-1' });
      const again = await check(body, { key: 'idem-1' });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      const before = await count('transfer_checks');
      assertProblem(await check({ ...body, amount: 206 }, { key: 'idem-1' }), 409, 'PAYMENTS_IDEMPOTENCY_CONFLICT', 'idempotency-key');
      assert.equal(await count('transfer_checks'), before);
      // Keys belong to one bank: another bank may use the same key for its own request.
      const other = await check(body, { key: 'idem-1', auth: `Bearer ${otherBank}` });
      assert.equal(other.status, 200);
      assert.notEqual(other.body.checkId, first.body.checkId);
    });

    it('concurrent checks share transactions without losing any (group commit)', async () => {
      await t.call('POST', '/v1/payers', { role: 'bank', body: { payer: 'cust-busy', subscriber: '+8613300133000' } });
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => check({ payer: 'cust-busy', payeeAccount: CARD, amount: 100 + i }, { key: `busy-${i}` })));
      assert.ok(results.every((r) => r.status === 200));
      const rows = await t.ctx.db.selectFrom('transfer_checks').select('id').where('idempotency_key', 'like', 'busy-%').execute();
      assert.equal(rows.length, 40);
      const hist = await t.ctx.db.selectFrom('payer_history').selectAll().execute();
      assert.ok(hist.some((h) => Number(h.count) === 40), 'every allowed payment counted once in the stored history');
      // The same new key sent twice at once with different bodies: one answer, one 409.
      const [a, b] = await Promise.all([check({ payer: 'cust-busy', payeeAccount: CARD, amount: 101 }, { key: 'race-1' }), check({ payer: 'cust-busy', payeeAccount: CARD, amount: 102 }, { key: 'race-1' })]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409]);
    });

    it('bad input is refused with the field, and nothing is written', async () => {
      const before = await count('transfer_checks');
      const cases: [Record<string, unknown>, number, string, string][] = [
        [{ payer: 'cust-001', payeeAccount: '4111 1111 1111 1112', amount: 10 }, 400, 'PAYMENTS_INVALID_ACCOUNT', 'payeeAccount'],
        [{ payer: 'cust-001', payeeAccount: 'DE88370400440532013000', amount: 10 }, 400, 'PAYMENTS_INVALID_ACCOUNT', 'payeeAccount'],
        [{ payer: 'cust-001', payeeAccount: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', amount: 10 }, 400, 'PAYMENTS_INVALID_ACCOUNT', 'payeeAccount'],
        [{ payer: 'cust-001', payeeAccount: CARD, amount: -5 }, 400, 'PAYMENTS_INVALID_AMOUNT', 'amount'],
        [{ payer: 'cust-001', payeeAccount: CARD, amount: 0 }, 400, 'PAYMENTS_INVALID_AMOUNT', 'amount'],
        [{ payer: 'cust-001', payeeAccount: CARD, amount: 1e13 }, 400, 'PAYMENTS_INVALID_AMOUNT', 'amount'],
        [{ payer: 'cust-001', payeeAccount: CARD, amount: 10, currency: 'RMB' }, 400, 'PAYMENTS_INVALID_CURRENCY', 'currency'],
        [{ payer: 'cust-001', payeeAccount: CARD, amount: '10' }, 400, 'REQUEST_INVALID_BODY', 'amount'],
        [{ payer: 'cust-001', payeeAccount: CARD, amount: 10, extra: 1 }, 400, 'REQUEST_UNKNOWN_FIELD', 'extra'],
        [{ payer: 'cust-001', payeeAccount: CARD, amount: 10, channel: 'telepathy' }, 400, 'REQUEST_INVALID_BODY', 'channel'],
      ];
      for (const [body, status, code, field] of cases) assertProblem(await check(body), status, code, field);
      assert.equal(await count('transfer_checks'), before);
    });

    it('only banks (and admins) may ask', async () => {
      for (const role of ['app', 'police', 'carrier'] as const) {
        assertProblem(await t.call('POST', '/v1/transfers/check', { role, body: { payer: 'x', payeeAccount: CARD, amount: 1, currency: 'CNY', channel: 'mobile' } }), 403, 'AUTH_FORBIDDEN');
      }
    });
  });

  describe('flagged accounts', () => {
    it('police-confirmed → block; bank-suspected → hold; visibility by role', async () => {
      const p = await t.call('POST', '/v1/accounts/flags', { role: 'police', body: { account: MULE, evidence: 'mule account in case 2026-117' } });
      assert.equal(p.status, 201, JSON.stringify(p.body));
      assert.equal(p.body.level, 'confirmed');
      const b = await t.call('POST', '/v1/accounts/flags', { role: 'bank', body: { account: 'alipay:mule-77', evidence: 'many inbound transfers from elderly customers' } });
      assert.equal(b.body.level, 'suspected');

      assert.equal((await check({ payer: 'cust-001', payeeAccount: MULE, amount: 10 })).body.decision, 'block');
      const held = await check({ payer: 'cust-001', payeeAccount: 'ALIPAY:mule-77', amount: 10 });
      assert.equal(held.body.decision, 'hold');
      assert.ok(held.body.holdId);

      const asBank = await t.call('GET', '/v1/accounts/flags', { role: 'bank' });
      assert.deepEqual(asBank.body.flags.map((f: any) => f.account).sort(), ['card:6011111111111117', 'platform:alipay:mule-77']);
      const asOtherBank = await t.call('GET', '/v1/accounts/flags', { auth: `Bearer ${otherBank}` });
      assert.deepEqual(asOtherBank.body.flags.map((f: any) => f.account), ['card:6011111111111117'], 'another bank sees only the police-confirmed flag');
      assertProblem(await t.call('GET', '/v1/accounts/flags', { role: 'app' }), 403, 'AUTH_FORBIDDEN');
      const appCheck = await t.call('POST', '/v1/accounts/check', { role: 'app', body: { account: MULE } });
      assert.deepEqual([appCheck.body.flagged, appCheck.body.level], [true, 'confirmed']);
      assert.equal(appCheck.body.evidence, undefined);
      assertProblem(await t.call('POST', '/v1/accounts/check', { role: 'app', body: { account: '4111' } }), 400, 'PAYMENTS_INVALID_ACCOUNT', 'account');
    });

    it('a victim reports the "safe account" a caller gave; the caller gets a report', async () => {
      const res = await t.call('POST', '/v1/accounts/reports', { role: 'app', body: { reporter: 'sub-77', account: 'wechatpay:safe-acc-1', caller: 'cbrc-service@icloud.com' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.level, 'reported');
      const rep = await t.call('GET', `/v1/identifiers/${encodeURIComponent('cbrc-service@icloud.com')}`, { role: 'app' });
      assert.equal(rep.body.reports, 1);
      const d = await check({ payer: 'cust-001', payeeAccount: 'wechatpay:safe-acc-1', amount: 10 });
      assert.ok(d.body.reasons.some((r: any) => r.code === 'PAYEE_REPORTED'));
    });
  });

  describe('holds', () => {
    let holdId: string;
    before(async () => {
      await t.call('POST', '/v1/accounts/flags', { role: 'bank', body: { account: 'btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', evidence: 'crypto off-ramp used by a scam ring' } });
      const res = await check({ payer: 'cust-001', payeeAccount: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', amount: 3000 });
      assert.equal(res.body.decision, 'hold');
      holdId = res.body.holdId;
    });

    it("a bank's queue shows its own holds only", async () => {
      const mine = await t.call('GET', '/v1/holds?status=held', { role: 'bank' });
      assert.ok(mine.body.holds.some((h: any) => h.id === holdId));
      const theirs = await t.call('GET', '/v1/holds?status=held', { auth: `Bearer ${otherBank}` });
      assert.deepEqual(theirs.body.holds, []);
      assertProblem(await t.call('POST', `/v1/holds/${holdId}/release`, { auth: `Bearer ${otherBank}`, body: { reason: 'not mine' } }), 404, 'PAYMENTS_HOLD_NOT_FOUND');
      assertProblem(await t.call('GET', '/v1/holds', { role: 'police' }), 403, 'AUTH_FORBIDDEN');
      const reg = await t.call('GET', '/v1/holds', { role: 'regulator' });
      assert.ok(reg.body.holds.some((h: any) => h.id === holdId));
    });

    it('released after a call-back, with a reason on every step; no second decision', async () => {
      assertProblem(await t.call('POST', `/v1/holds/${holdId}/release`, { role: 'bank', body: {} }), 400, 'REQUEST_INVALID_BODY', 'reason');
      const res = await t.call('POST', `/v1/holds/${holdId}/release`, { role: 'bank', body: { reason: 'called back on the number on file; customer confirmed, no one else on the line' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'released');
      assert.deepEqual(res.body.steps.map((s: any) => s.status), ['held', 'released']);
      assert.ok(res.body.steps.every((s: any) => s.reason.length > 0));
      assertProblem(await t.call('POST', `/v1/holds/${holdId}/return`, { role: 'bank', body: { reason: 'too late' } }), 409, 'PAYMENTS_INVALID_STATE');
      const audit = await t.call('GET', '/v1/audit?limit=1000', { role: 'admin' });
      const actions = audit.body.entries.filter((e: any) => e.subject === `hold:${holdId}`).map((e: any) => e.action);
      assert.deepEqual(actions, ['hold.create', 'hold.release']);
    });
  });

  describe('emergency freeze and payment suspension', () => {
    let id: string;
    const body = { caseNumber: 'JS-2023-0417', accounts: [{ account: CARD, bank: 'Test bank' }, { account: IBAN, bank: 'Other bank' }], amount: 1_630_000, currency: 'CNY', legalBasis: 'Anti-Telecom and Online Fraud Law art. 21 emergency suspension' };

    it('bad filings are refused and leave nothing', async () => {
      const before = [await count('freezes'), await count('freeze_accounts')];
      assertProblem(await t.call('POST', '/v1/freezes', { role: 'police', body: { ...body, accounts: [{ account: '4111', bank: 'Test bank' }] } }), 400, 'PAYMENTS_INVALID_ACCOUNT', 'accounts.0.account');
      assertProblem(await t.call('POST', '/v1/freezes', { role: 'police', body: { ...body, accounts: [...body.accounts, { account: MULE, bank: 'No such bank' }] } }), 400, 'PAYMENTS_UNKNOWN_BANK', 'accounts.2.bank');
      assertProblem(await t.call('POST', '/v1/freezes', { role: 'police', body: { ...body, currency: 'XXQ' } }), 400, 'PAYMENTS_INVALID_CURRENCY', 'currency');
      assertProblem(await t.call('POST', '/v1/freezes', { role: 'bank', body }), 403, 'AUTH_FORBIDDEN');
      assert.deepEqual([await count('freezes'), await count('freeze_accounts')], before);
    });

    it('takes effect only when a second officer of the same unit approves', async () => {
      const filed = await t.call('POST', '/v1/freezes', { role: 'police', body });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      assert.equal(filed.body.status, 'pending');
      id = filed.body.id;
      // Pending: banks see nothing yet.
      assert.deepEqual((await t.call('GET', '/v1/freezes', { role: 'bank' })).body.freezes, []);
      assertProblem(await t.call('POST', `/v1/freezes/${id}/approve`, { role: 'police' }), 403, 'PAYMENTS_SAME_OFFICER');
      assertProblem(await t.call('POST', `/v1/freezes/${id}/approve`, { auth: `Bearer ${otherUnit}` }), 404, 'PAYMENTS_FREEZE_NOT_FOUND');
      assert.deepEqual((await t.call('GET', '/v1/freezes', { auth: `Bearer ${otherUnit}` })).body.freezes, []);
      const ok = await t.call('POST', `/v1/freezes/${id}/approve`, { auth: `Bearer ${police2}` });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.status, 'active');
      // Views name people (the staff or badge numbers behind the keys), never key ids.
      assert.equal(ok.body.filedBy, 'police-officer-1');
      assert.equal(ok.body.approvedBy, 'officer-1');
      assert.ok(Date.parse(ok.body.expiresAt) - Date.now() > 47 * 3_600_000);
      assertProblem(await t.call('POST', `/v1/freezes/${id}/approve`, { auth: `Bearer ${police2}` }), 409, 'PAYMENTS_INVALID_STATE');
    });

    it('each bank sees only its own accounts and acknowledges only those', async () => {
      const mine = await t.call('GET', '/v1/freezes', { role: 'bank' });
      assert.equal(mine.body.freezes.length, 1);
      assert.deepEqual(mine.body.freezes[0].accounts.map((a: any) => a.account), ['card:4111111111111111']);
      assert.equal(mine.body.freezes[0].filedBy, undefined);
      assertProblem(await t.call('POST', `/v1/freezes/${id}/acknowledge`, { role: 'bank', body: { account: IBAN, frozenAmount: 1, alreadyLeft: false } }), 403, 'PAYMENTS_FREEZE_NOT_ADDRESSED');
      const ack = await t.call('POST', `/v1/freezes/${id}/acknowledge`, { role: 'bank', body: { account: CARD, frozenAmount: 1_630_000, alreadyLeft: false, note: 'moved to a fixed-term deposit in her name; not withdrawn' } });
      assert.equal(ack.status, 200, JSON.stringify(ack.body));
      assert.equal(ack.body.accounts[0].status, 'acknowledged');
      assertProblem(await t.call('POST', `/v1/freezes/${id}/acknowledge`, { role: 'bank', body: { account: CARD, frozenAmount: 1, alreadyLeft: false } }), 409, 'PAYMENTS_INVALID_STATE');
      assertProblem(await t.call('POST', `/v1/freezes/${id}/acknowledge`, { role: 'bank', body: { account: CARD, frozenAmount: -1, alreadyLeft: false } }), 400, 'PAYMENTS_INVALID_AMOUNT', 'frozenAmount');
      const unit = await t.call('GET', `/v1/freezes/${id}`, { role: 'police' });
      assert.deepEqual(unit.body.accounts.map((a: any) => [a.account, a.status, a.frozenAmount]), [
        ['card:4111111111111111', 'acknowledged', 1_630_000],
        ['iban:DE89370400440532013000', 'pending', null],
      ]);
    });

    it('a bank a freeze is not addressed to gets 403 on acknowledge', async () => {
      const other = await t.call('POST', '/v1/freezes', { role: 'police', body: { ...body, accounts: [{ account: MULE, bank: 'Other bank' }] } });
      await t.call('POST', `/v1/freezes/${other.body.id}/approve`, { auth: `Bearer ${police2}` });
      assertProblem(await t.call('POST', `/v1/freezes/${other.body.id}/acknowledge`, { role: 'bank', body: { account: MULE, frozenAmount: 0, alreadyLeft: true } }), 403, 'PAYMENTS_FREEZE_NOT_ADDRESSED');
      assertProblem(await t.call('GET', `/v1/freezes/${other.body.id}`, { role: 'bank' }), 404, 'PAYMENTS_FREEZE_NOT_FOUND');
    });

    it('extends and releases with two officers each (the first request is recorded), audited; regulators see all', async () => {
      // Behaviour changed deliberately (issue 11): one officer's extend or release is only a request;
      // a second, different officer of the unit applies it, and the same officer again is refused.
      const before = (await t.call('GET', `/v1/freezes/${id}`, { role: 'police' })).body;
      const ask = await t.call('POST', `/v1/freezes/${id}/extend`, { role: 'police', body: { hours: 24, reason: 'bank investigation under way' } });
      assert.equal(ask.status, 200, JSON.stringify(ask.body));
      assert.equal(ask.body.expiresAt, before.expiresAt, 'a request alone changes nothing');
      assert.equal(ask.body.extendRequestedBy, 'police-officer-1');
      assert.equal(ask.body.extendRequestHours, 24);
      assertProblem(await t.call('POST', `/v1/freezes/${id}/extend`, { role: 'police', body: { hours: 24, reason: 'again' } }), 403, 'PAYMENTS_SAME_OFFICER');
      assertProblem(await t.call('POST', `/v1/freezes/${id}/extend`, { auth: `Bearer ${police2}`, body: { hours: 48, reason: 'other hours' } }), 409, 'REQUEST_CONFLICT', 'hours');
      const ext = await t.call('POST', `/v1/freezes/${id}/extend`, { auth: `Bearer ${police2}`, body: { reason: 'agreed: investigation under way' } });
      assert.equal(ext.status, 200, JSON.stringify(ext.body));
      assert.ok(Date.parse(ext.body.expiresAt) - Date.now() > 71 * 3_600_000);
      assert.equal(ext.body.extendRequestedBy, null);

      const first = await t.call('POST', `/v1/freezes/${id}/release`, { role: 'police', body: { reason: 'funds returned to the victim' } });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.status, 'active', 'one officer alone does not release');
      assert.equal(first.body.releaseRequestedBy, 'police-officer-1');
      assert.equal(first.body.releaseRequestReason, 'funds returned to the victim');
      assert.equal((await check({ payer: 'cust-001', payeeAccount: CARD, amount: 5 })).body.reasons[0].code, 'FREEZE_ACTIVE');
      assertProblem(await t.call('POST', `/v1/freezes/${id}/release`, { role: 'police', body: { reason: 'again' } }), 403, 'PAYMENTS_SAME_OFFICER');
      const rel = await t.call('POST', `/v1/freezes/${id}/release`, { auth: `Bearer ${police2}`, body: { reason: 'confirmed with the bank' } });
      assert.equal(rel.body.status, 'released');
      assert.equal(rel.body.releasedBy, 'officer-1');
      assert.equal(rel.body.releaseReason, 'funds returned to the victim');
      assertProblem(await t.call('POST', `/v1/freezes/${id}/extend`, { role: 'police', body: { reason: 'late' } }), 409, 'PAYMENTS_INVALID_STATE');
      const reg = await t.call('GET', '/v1/freezes', { role: 'regulator' });
      assert.ok(reg.body.freezes.length >= 2);
      const audit = await t.call('GET', '/v1/audit?limit=1000', { role: 'admin' });
      const actions = audit.body.entries.filter((e: any) => e.subject === `freeze:${id}`).map((e: any) => e.action);
      assert.deepEqual(actions, ['freeze.file', 'freeze.approve', 'freeze.acknowledge', 'freeze.extend-request', 'freeze.extend', 'freeze.release-request', 'freeze.release']);
      assert.equal((await t.call('GET', '/v1/audit/verify', { role: 'regulator' })).body.ok, true);
    });
  });

  describe('victim case', () => {
    it('reaches police, flags the accounts as suspected and feeds the callers', async () => {
      const res = await t.call('POST', '/v1/cases', {
        role: 'app',
        body: { subscriber: '+8613911112222', callers: ['pay-platform-staff@icloud.com'], payeeAccounts: ['NL91ABNA0417164300'], amount: 6000, currency: 'CNY', occurredAt: new Date(Date.now() - 3_600_000).toISOString() },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const police = await t.call('GET', '/v1/cases', { role: 'police' });
      assert.ok(police.body.cases.some((c: any) => c.id === res.body.id));
      assertProblem(await t.call('GET', '/v1/cases', { role: 'bank' }), 403, 'AUTH_FORBIDDEN');
      const flag = await t.call('POST', '/v1/accounts/check', { role: 'app', body: { account: 'NL91ABNA0417164300' } });
      assert.equal(flag.body.level, 'suspected');
      assert.equal((await check({ payer: 'cust-001', payeeAccount: 'NL91ABNA0417164300', amount: 10 })).body.decision, 'hold');
      const rep = await t.call('GET', `/v1/identifiers/${encodeURIComponent('pay-platform-staff@icloud.com')}`, { role: 'app' });
      assert.equal(rep.body.reports, 1);
    });
    it('bad cases are refused and leave nothing', async () => {
      const before = [await count('victim_cases'), await count('payee_flags')];
      const base = { subscriber: '+8613911112222', callers: ['x@icloud.com'], payeeAccounts: [CARD], amount: 10, currency: 'CNY', occurredAt: new Date().toISOString() };
      assertProblem(await t.call('POST', '/v1/cases', { role: 'app', body: { ...base, payeeAccounts: [CARD, '123'] } }), 400, 'PAYMENTS_INVALID_ACCOUNT', 'payeeAccounts.1');
      assertProblem(await t.call('POST', '/v1/cases', { role: 'app', body: { ...base, occurredAt: 'yesterday' } }), 400, 'REPUTATION_INVALID_TIME', 'occurredAt');
      assertProblem(await t.call('POST', '/v1/cases', { role: 'app', body: { ...base, callers: ['anonymous'] } }), 400, 'IDENTITY_ANONYMOUS_NOT_ALLOWED', 'callers.0');
      assert.deepEqual([await count('victim_cases'), await count('payee_flags')], before);
    });
  });

  describe('screen sharing, guardians and family alerts', () => {
    it('screen sharing with a stranger makes the next transfer a hold (with a new payee)', async () => {
      await t.call('POST', '/v1/payers', { role: 'bank', body: { payer: 'cust-002', subscriber: '+8613600136000' } });
      // Her app serves her (holds her policy): only that app's mark counts.
      assert.equal((await t.call('PUT', `/v1/subscribers/${encodeURIComponent('+8613600136000')}/policy`, { role: 'app', body: {} })).status, 200);
      const share = await t.call('POST', `/v1/subscribers/${encodeURIComponent('+8613600136000')}/screen-sharing`, { role: 'app', body: { active: true, caller: 'helpdesk@icloud.com' } });
      assert.equal(share.status, 200, JSON.stringify(share.body));
      assert.equal(share.body.marked, true);
      const d = await check({ payer: 'cust-002', payeeAccount: '0x52908400098527886E0F7030069857D2E4169EE7', amount: 500 });
      assert.equal(d.body.decision, 'hold');
      assert.ok(d.body.reasons.some((r: any) => r.code === 'SCREEN_SHARING'));
    });

    it('a contact sharing a screen is not marked', async () => {
      await t.call('PUT', `/v1/subscribers/${encodeURIComponent('+8613500135000')}/policy`, { role: 'app', body: { contacts: ['son@example.com'] } });
      const share = await t.call('POST', `/v1/subscribers/${encodeURIComponent('+8613500135000')}/screen-sharing`, { role: 'app', body: { active: true, caller: 'son@example.com' } });
      assert.equal(share.body.marked, false);
    });

    it('guardians get the secret once, and the impersonation alert goes to them through the outbox', async () => {
      const sub = encodeURIComponent('+8613700137000');
      assertProblem(await t.call('PUT', `/v1/subscribers/${sub}/guardians`, { role: 'app', body: { guardians: [] } }), 403, 'SCREENING_NOT_SERVING', 'subscriber');
      assert.equal((await t.call('PUT', `/v1/subscribers/${sub}/policy`, { role: 'app', body: {} })).status, 200);
      assertProblem(await t.call('POST', `/v1/subscribers/${sub}/impersonation-alert`, { role: 'app', body: {} }), 409, 'PAYMENTS_NO_GUARDIANS');
      const set = await t.call('PUT', `/v1/subscribers/${sub}/guardians`, { role: 'app', body: { guardians: [{ name: 'Daughter', contact: 'daughter@example.com', webhookUrl: 'http://127.0.0.1:9/family' }] } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.match(set.body.secret, /^[0-9a-f]{64}$/);
      const again = await t.call('PUT', `/v1/subscribers/${sub}/guardians`, { role: 'app', body: { guardians: [{ name: 'Daughter', contact: 'daughter@example.com', webhookUrl: 'http://127.0.0.1:9/family' }] } });
      assert.equal(again.body.secret, undefined);
      assertProblem(await t.call('PUT', `/v1/subscribers/${sub}/guardians`, { role: 'app', body: { guardians: [{ name: 'X', contact: 'x@example.com', webhookUrl: 'ftp://nope' }] } }), 400, 'PAYMENTS_INVALID_WEBHOOK', 'guardians.0.webhookUrl');
      const before = await count('outbox');
      const alert = await t.call('POST', `/v1/subscribers/${sub}/impersonation-alert`, { role: 'app', body: { name: 'Grandma Zhang' } });
      assert.equal(alert.status, 200, JSON.stringify(alert.body));
      assert.equal(alert.body.notified, 1);
      assert.match(alert.body.message, /calling back|call back/);
      const rows = await t.ctx.db.selectFrom('outbox').selectAll().where('event_type', '=', 'family.impersonation-alert').execute();
      assert.equal(await count('outbox'), before + rows.length);
      assert.ok(rows.some((r) => r.url === 'http://127.0.0.1:9/family' && r.secret_ref.startsWith('subscriber:')));
    });
  });

  describe('restart', () => {
    it('a fresh node loads flags, enrolments, history and known payees from the store', async () => {
      const ctx2 = await openApp(t.ctx.config, { logger: pino({ level: 'silent' }) });
      try {
        const bank = (await findOrgByName(ctx2.db, 'Test bank'))!;
        const actor = { orgId: bank.id, orgName: bank.name, role: 'bank' as const, keyId: 'restart', person: 'bank-officer-1' };
        const usual = await checkTransfer(ctx2, { payer: 'cust-001', payeeAccount: CARD, amount: 205, currency: 'CNY', channel: 'mobile' }, actor);
        assert.deepEqual(usual.response.reasons.map((r) => r.code), ['NO_RISK_FOUND'], 'known payee and usual amount survive a restart');
        const mule = await checkTransfer(ctx2, { payer: 'cust-001', payeeAccount: MULE, amount: 5, currency: 'CNY', channel: 'mobile' }, actor);
        assert.equal(mule.response.decision, 'block');
        const replay = await checkTransfer(ctx2, { payer: 'cust-001', payeeAccount: CARD, amount: 205, currency: 'CNY', channel: 'mobile' }, actor, 'idem-1');
        assert.equal(replay.replayed, true);
      } finally {
        await ctx2.close();
      }
    });
  });
});
}
