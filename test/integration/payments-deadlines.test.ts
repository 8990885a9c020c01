// Time-driven steps, with a clock the test moves: a hold whose deadline passes returns the money,
// a freeze that is not extended expires, and a high-risk call mark set by the conversation guard
// alerts the guardians once. All of it is done by the dispatcher's sweep (SQLite, and PostgreSQL
// when one answers).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { sweepPayments } from '../../src/operations/payments/dispatcher.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';

const HOUR = 3_600_000;
let now = Date.UTC(2026, 10, 26, 9);
let t: TestServer;
let police2: string;
let pgdb: { url: string; drop: () => Promise<void> } | undefined;
const pgUp = await postgresAvailable();

for (const engine of ['sqlite', 'postgres'] as const) {
describe(engine, { skip: engine === 'postgres' && !pgUp ? 'PostgreSQL is not reachable' : false }, () => {
  before(async () => {
    now = Date.UTC(2026, 10, 26, 9);
    if (engine === 'postgres') {
      pgdb = await createTestDatabase();
      t = await startTestServer({ databaseUrl: pgdb.url }, () => now);
    } else {
      t = await startTestServer({}, () => now);
    }
    police2 = (await createApiKey(t.ctx, { org: 'Test police', role: 'police' , person: 'officer-7' }, CLI_OPERATOR)).key;
  });
  after(async () => {
    await t?.close();
    await pgdb?.drop();
    pgdb = undefined;
  });

  describe(`deadlines on ${engine}`, () => {
    it('a hold not decided by its deadline returns the money, audited with a reason', async () => {
      await t.call('POST', '/v1/accounts/flags', { role: 'bank', body: { account: 'alipay:late-1', evidence: 'suspected mule' } });
      const res = await t.call('POST', '/v1/transfers/check', { role: 'bank', body: { payer: 'p1', payeeAccount: 'alipay:late-1', amount: 50, currency: 'CNY', channel: 'online' } });
      assert.equal(res.body.decision, 'hold');
      await sweepPayments(t.ctx);
      assert.equal((await t.call('GET', `/v1/holds/${res.body.holdId}`, { role: 'bank' })).body.status, 'held');
      now += 24 * HOUR + 1000;
      const overdue = await t.call('GET', `/v1/holds/${res.body.holdId}`, { role: 'bank' });
      assert.equal(overdue.body.overdue, true);
      await sweepPayments(t.ctx);
      const hold = await t.call('GET', `/v1/holds/${res.body.holdId}`, { role: 'bank' });
      assert.equal(hold.body.status, 'returned');
      assert.match(hold.body.steps.at(-1).reason, /deadline/);
      assert.equal(hold.body.steps.at(-1).by, 'callshield (system)');
    });

    it('a freeze expires 48 hours after approval unless extended', async () => {
      const filed = await t.call('POST', '/v1/freezes', { role: 'police', body: { caseNumber: 'C-1', accounts: [{ account: '4111111111111111', bank: 'Test bank' }], amount: 10, currency: 'CNY', legalBasis: 'emergency suspension' } });
      const id = filed.body.id;
      await t.call('POST', `/v1/freezes/${id}/approve`, { auth: `Bearer ${police2}` });
      now += 47 * HOUR;
      await sweepPayments(t.ctx);
      assert.equal((await t.call('GET', `/v1/freezes/${id}`, { role: 'police' })).body.status, 'active');
      now += 2 * HOUR;
      await sweepPayments(t.ctx);
      assert.equal((await t.call('GET', `/v1/freezes/${id}`, { role: 'police' })).body.status, 'expired');
      const audit = await t.call('GET', '/v1/audit?limit=1000', { role: 'admin' });
      assert.ok(audit.body.entries.some((e: any) => e.subject === `freeze:${id}` && e.action === 'freeze.expire'));
      const ack = await t.call('POST', `/v1/freezes/${id}/acknowledge`, { role: 'bank', body: { account: '4111111111111111', frozenAmount: 0, alreadyLeft: true } });
      assert.equal(ack.status, 409);
      assert.equal(ack.body.code, 'PAYMENTS_INVALID_STATE');
    });

    it("a high-risk mark from the conversation guard alerts the subscriber's guardians once", async () => {
      const sub = '+8613200132000';
      // Her app serves her (holds her policy); only that app names her guardians.
      assert.equal((await t.call('PUT', `/v1/subscribers/${encodeURIComponent(sub)}/policy`, { role: 'app', body: {} })).status, 200);
      await t.call('PUT', `/v1/subscribers/${encodeURIComponent(sub)}/guardians`, { role: 'app', body: { guardians: [{ name: 'Son', contact: '+8613911112222', webhookUrl: 'http://127.0.0.1:9/son' }] } });
      const hash = t.ctx.hash(sub);
      t.ctx.riskyCalls.set(hash, { callId: 'call-low', caller: 'x@icloud.com', stage: 'impersonation', stages: ['impersonation'], risk: 0.5, at: now, screenSharing: false, active: true });
      await sweepPayments(t.ctx);
      const alerts = () => t.ctx.db.selectFrom('outbox').select(['event_type', 'payload']).where('event_type', '=', 'guardian.risky-call').execute();
      assert.equal((await alerts()).length, 0, 'a low-risk call does not alert');
      t.ctx.riskyCalls.set(hash, { callId: 'call-1', caller: 'x@icloud.com', stage: 'money-movement', stages: ['impersonation', 'money-movement'], risk: 0.93, at: now, screenSharing: false, active: true });
      await sweepPayments(t.ctx);
      await sweepPayments(t.ctx);
      const rows = await alerts();
      assert.equal(rows.length, 1);
      assert.equal(JSON.parse(rows[0]!.payload).data.callId, 'call-1');
    });
  });
});
}
