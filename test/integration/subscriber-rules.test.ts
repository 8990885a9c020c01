// Subscriber rules in the policy (issue 14) over HTTP on a real SQLite file: blocked and allowed
// prefixes, quiet hours in the subscriber's time zone, ring-on-repeat, and the opt-in history
// (last 1,000, another app cannot read it, deleted with the policy).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { screen as screenOp } from '../../src/operations/screening/screen.js';
import { flushHistory } from '../../src/operations/screening/rules.js';

let t: TestServer;
let otherApp: string;
const codes = (d: { reasons: { code: string }[] }): string[] => d.reasons.map((r) => r.code);

async function policy(subscriber: string, body: Record<string, unknown>, key?: string): Promise<{ status: number; body: any }> {
  return t.call('PUT', `/v1/subscribers/${encodeURIComponent(subscriber)}/policy`, key ? { auth: `Bearer ${key}`, body } : { role: 'app', body });
}
async function screen(caller: string, callee: string, at?: string): Promise<any> {
  const res = await t.call('POST', '/v1/screen', { role: 'app', body: { caller, callee, channel: 'pstn', ...(at ? { at } : {}) } });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

before(async () => {
  t = await startTestServer();
  otherApp = (await createApiKey(t.ctx, { org: 'Other app', role: 'app', person: 'dev-2' }, CLI_OPERATOR)).key;
});
after(async () => {
  await t?.close();
});

describe('subscriber rules', () => {
  it('blocks a prefix with its own reason; a longer allowed prefix wins; silence on request', async () => {
    const me = '+8613800000001';
    const res = await policy(me, { blockPrefixes: ['+1900', '+86170'], allowPrefixes: ['+1900555'] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.blockPrefixes, ['+1900', '+86170']);
    const blocked = await screen('+19002345678', me);
    assert.equal(blocked.action, 'block');
    assert.ok(codes(blocked).includes('BLOCK_PREFIX'));
    const allowed = await screen('+19005550100', me);
    assert.equal(allowed.action, 'allow');
    assert.ok(codes(allowed).includes('ALLOW_PREFIX'));
    assert.equal((await screen('+12025550143', me)).action, 'allow', 'other numbers are untouched');
    await policy(me, { blockPrefixes: ['+1900'], blockPrefixAction: 'silence' });
    assert.equal((await screen('+19002345678', me)).action, 'silence');
    // Another subscriber of the same app without rules is untouched.
    assert.equal((await screen('+19002345678', '+8613800000099')).action, 'allow');
  });

  it('silences strangers in quiet hours in the subscriber time zone, never contacts', async () => {
    const me = '+8613800000002';
    assert.equal((await policy(me, { contacts: ['+8613911112222'], quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' } })).status, 200);
    // 22:30 UTC in January is 23:30 in Berlin: quiet. 12:00 UTC is 13:00: not.
    const night = await screen('+12025550143', me, '2026-01-10T22:30:00Z');
    assert.equal(night.action, 'silence');
    assert.ok(codes(night).includes('QUIET_HOURS'));
    assert.equal((await screen('+12025550143', me, '2026-01-10T12:00:00Z')).action, 'allow');
    // 21:30 UTC = 22:30 Berlin, but 21:30 in UTC itself would not be quiet: the zone is applied.
    assert.equal((await screen('+12025550143', me, '2026-01-10T21:30:00Z')).action, 'silence');
    assert.equal((await screen('+12025550143', me, '2026-01-10T20:30:00Z')).action, 'allow');
    assert.equal((await screen('+8613911112222', me, '2026-01-10T22:30:00Z')).action, 'allow', 'a contact rings');
  });

  it('a second call from the same number within the window rings', async () => {
    const me = '+8613800000003';
    await policy(me, { ringRepeatWithinMinutes: 5, quietHours: { start: '00:00', end: '23:59', timeZone: 'UTC' } });
    const first = await screen('+12025550177', me, '2026-01-10T10:00:00Z');
    assert.equal(first.action, 'silence');
    const again = await screen('+12025550177', me, '2026-01-10T10:03:00Z');
    assert.equal(again.action, 'allow');
    assert.ok(codes(again).includes('RING_REPEAT'));
    assert.equal((await screen('+12025550177', me, '2026-01-10T10:20:00Z')).action, 'silence', 'past the window it is silenced again');
    assert.equal((await screen('+12025550188', me, '2026-01-10T10:20:30Z')).action, 'silence', 'another number is a first call');
  });

  it('keeps the history only when asked, for the app that set the policy, and deletes it with the policy', async () => {
    const me = '+8613800000004';
    await policy(me, { blockPrefixes: ['+1900'] });
    await screen('+19002345678', me);
    let h = await t.call('GET', `/v1/subscribers/${encodeURIComponent(me)}/history`, { role: 'app' });
    assert.equal(h.status, 200, h.text);
    assert.deepEqual(h.body, { keepHistory: false, decisions: [] });

    await policy(me, { blockPrefixes: ['+1900'], keepHistory: true });
    await screen('+19002345678', me, '2026-01-10T10:00:00Z');
    await screen('+12025550143', me, '2026-01-10T10:01:00Z');
    h = await t.call('GET', `/v1/subscribers/${encodeURIComponent(me)}/history`, { role: 'app' });
    assert.equal(h.body.keepHistory, true);
    assert.deepEqual(h.body.decisions.map((d: any) => [d.caller, d.action]), [['+12025550143', 'allow'], ['+19002345678', 'block']]);
    assert.ok(h.body.decisions[1].reasons.some((r: any) => r.code === 'BLOCK_PREFIX'));

    // Another app: the same 404 as for a subscriber nobody registered; it cannot delete it either.
    assert.equal((await t.call('GET', `/v1/subscribers/${encodeURIComponent(me)}/history`, { auth: `Bearer ${otherApp}` })).status, 404);
    assert.equal((await t.call('DELETE', `/v1/subscribers/${encodeURIComponent(me)}/policy`, { auth: `Bearer ${otherApp}` })).status, 404);
    assert.equal((await t.call('GET', `/v1/subscribers/${encodeURIComponent(me)}/history`, { role: 'carrier' })).status, 403);

    // The last 1,000 only.
    const org = [...t.ctx.policies.keys()].find(([, h]) => h === t.ctx.hash(me))![0];
    for (let i = 0; i < 1005; i++) screenOp(t.ctx, { caller: `+1202555${String(1000 + i).padStart(4, '0')}`, callee: me, channel: 'pstn', at: new Date(Date.UTC(2026, 0, 11) + i * 1000).toISOString() }, org);
    await flushHistory(t.ctx);
    h = await t.call('GET', `/v1/subscribers/${encodeURIComponent(me)}/history`, { role: 'app' });
    assert.equal(h.body.decisions.length, 1000);
    assert.equal(h.body.decisions[0].caller, '+12025552004');

    assert.equal((await t.call('DELETE', `/v1/subscribers/${encodeURIComponent(me)}/policy`, { role: 'app' })).status, 200);
    const left = await t.ctx.db.selectFrom('subscriber_history').select((eb) => eb.fn.countAll().as('n')).where('subscriber_hash', '=', t.ctx.hash(me)).executeTakeFirstOrThrow();
    assert.equal(Number(left.n), 0, 'deleted with the policy');
    assert.equal((await t.call('GET', `/v1/subscribers/${encodeURIComponent(me)}/history`, { role: 'app' })).status, 404);
  });

  it('turning history off deletes what was kept', async () => {
    const me = '+8613800000005';
    await policy(me, { keepHistory: true });
    await screen('+12025550143', me);
    await flushHistory(t.ctx);
    await policy(me, { keepHistory: false });
    const left = await t.ctx.db.selectFrom('subscriber_history').select((eb) => eb.fn.countAll().as('n')).where('subscriber_hash', '=', t.ctx.hash(me)).executeTakeFirstOrThrow();
    assert.equal(Number(left.n), 0);
  });

  it('refuses bad rules, naming the field, and writes nothing', async () => {
    const me = '+8613800000006';
    for (const [body, field] of [
      [{ blockPrefixes: ['1900'] }, 'blockPrefixes.0'],
      [{ allowPrefixes: ['+1900', '+0'] }, 'allowPrefixes.1'],
      [{ blockPrefixAction: 'warn' }, 'blockPrefixAction'],
      [{ ringRepeatWithinMinutes: -1 }, 'ringRepeatWithinMinutes'],
      [{ ringRepeatWithinMinutes: 1.5 }, 'ringRepeatWithinMinutes'],
      [{ quietHours: { start: '25:00', end: '07:00', timeZone: 'UTC' } }, 'quietHours.start'],
      [{ quietHours: { start: '22:00', end: '22:00', timeZone: 'UTC' } }, 'quietHours.end'],
      [{ quietHours: { start: '22:00', end: '07:00', timeZone: 'Mars/Olympus' } }, 'quietHours.timeZone'],
      [{ quietHours: { start: '22:00', end: '07:00' } }, 'quietHours.timeZone'],
    ] as const) {
      const res = await policy(me, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.field, field, JSON.stringify(body));
    }
    assert.equal((await t.call('GET', `/v1/subscribers/${encodeURIComponent(me)}/policy`, { role: 'app' })).status, 404);
  });
});
