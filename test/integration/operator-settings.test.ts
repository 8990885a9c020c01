// Settings an operator sets in the environment change what the service does: a shorter risky-call
// window (CALLSHIELD_RISKY_CALL_WINDOW_MINUTES) stops flagging a payer's transfers sooner after a
// scam call ended. And the
// risky-call marks leave memory and the store once past their window (they used to stay forever).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { sweepPayments } from '../../src/operations/payments/dispatcher.js';

const SUBSCRIBER = '+8613600136011';
const MINUTE = 60_000;

/** A server on a clock the test moves, with a payer who just ended a call the conversation guard judged a scam. */
async function afterRiskyCall(overrides: { riskyCallWindowMinutes?: number }): Promise<{ t: TestServer; clock: { now: number } }> {
  const clock = { now: Date.parse('2026-03-02T09:00:00Z') };
  const t = await startTestServer(overrides, () => clock.now);
  assert.equal((await t.call('POST', '/v1/payers', { role: 'bank', body: { payer: 'cust-window', subscriber: SUBSCRIBER } })).status, 201);
  assert.equal((await t.call('PUT', `/v1/subscribers/${encodeURIComponent(SUBSCRIBER)}/policy`, { role: 'app', body: {} })).status, 200);
  const call = await t.call('POST', '/v1/calls', { role: 'app', body: { caller: 'scammer@icloud.com', callee: SUBSCRIBER, channel: 'video' } });
  assert.equal(call.status, 201, call.text);
  for (const text of ['您好，我是贷款平台的客服', '您的征信记录有问题，需要注销', '请下载腾讯会议并共享屏幕', '把钱转到银监会认证的安全账户']) {
    assert.equal((await t.call('POST', `/v1/calls/${call.body.callId}/utterances`, { role: 'app', body: { speaker: 'caller', text } })).status, 200);
  }
  const end = await t.call('POST', `/v1/calls/${call.body.callId}/end`, { role: 'app', body: {} });
  assert.equal(end.status, 200, end.text);
  assert.equal(t.ctx.riskyCalls.size, 1);
  assert.equal([...t.ctx.riskyCalls.values()][0]!.active, false);
  return { t, clock };
}

async function reasonsOfCheck(t: TestServer): Promise<string[]> {
  const r = await t.call('POST', '/v1/transfers/check', { role: 'bank', body: { payer: 'cust-window', payeeAccount: '6222021234567890128', amount: 800, currency: 'CNY', channel: 'mobile' } });
  assert.equal(r.status, 200, r.text);
  return r.body.reasons.map((x: { code: string }) => x.code);
}

describe('operator settings change behaviour', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const t of servers) await t.close();
  });

  it('a risky call ten minutes ago still counts with the default 30-minute window, not with CALLSHIELD_RISKY_CALL_WINDOW_MINUTES=5', async () => {
    const standard = await afterRiskyCall({});
    const short = await afterRiskyCall({ riskyCallWindowMinutes: 5 });
    servers.push(standard.t, short.t);
    // Right after the share both hold the transfer for the risky call.
    assert.ok((await reasonsOfCheck(standard.t)).includes('RISKY_CALL_RECENT'));
    assert.ok((await reasonsOfCheck(short.t)).includes('RISKY_CALL_RECENT'));
    standard.clock.now += 10 * MINUTE;
    short.clock.now += 10 * MINUTE;
    assert.ok((await reasonsOfCheck(standard.t)).includes('RISKY_CALL_RECENT'), 'the default window still holds');
    const after = await reasonsOfCheck(short.t);
    assert.ok(!after.includes('RISKY_CALL_RECENT'), `the 5-minute window has passed: ${after.join(', ')}`);
  });

  it('risky-call marks past their window leave memory at the next sweep, and the store after a day', async () => {
    const { t, clock } = await afterRiskyCall({ riskyCallWindowMinutes: 5 });
    servers.push(t);
    const stored = async () => Number((await t.ctx.db.selectFrom('risky_calls').select(({ fn }) => fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    // The mark is stored without making the guard wait: give it a moment.
    for (let i = 0; i < 100 && (await stored()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await stored(), 1);
    clock.now += 4 * MINUTE;
    await sweepPayments(t.ctx);
    assert.equal(t.ctx.riskyCalls.size, 1, 'still inside the window: kept');
    clock.now += 2 * MINUTE;
    await sweepPayments(t.ctx);
    assert.equal(t.ctx.riskyCalls.size, 0, 'past the window: gone from memory');
    clock.now += 25 * 60 * MINUTE;
    await sweepPayments(t.ctx);
    assert.equal(await stored(), 0, 'a day later: gone from the store');
  });
});
