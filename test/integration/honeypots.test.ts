// Honeypot lines (issue 15): who may register them, calls to them (call records and screened calls)
// as evidence with the HONEYPOT reason, the bound on one owner's weight, owner-scoped removal, the
// audit trail, transcripts, and the attack of registering a real subscriber's number.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';
import { flushScreenedHits } from '../../src/operations/campaigns/honeypots.js';

let t: TestServer;
let otherCarrier: string;
before(async () => {
  t = await startTestServer();
  otherCarrier = (await createApiKey(t.ctx, { org: 'Other carrier', role: 'carrier', person: 'noc-2' }, CLI_OPERATOR)).key;
});
after(async () => {
  await t?.close();
});

const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const HEADER = 'caller,callee,start,duration,answered,attestation';

async function reputation(caller: string): Promise<{ score: number; reasons: { code: string; text: string }[] }> {
  const r = await t.call('GET', `/v1/identifiers/${encodeURIComponent(caller)}`, { role: 'carrier' });
  assert.equal(r.status, 200);
  return r.body;
}

describe('honeypot lines', () => {
  it('carriers, regulators and admins register lines; other roles get 403', async () => {
    for (const role of ['carrier', 'regulator', 'admin'] as const) {
      const r = await t.call('POST', '/v1/honeypots', { role, body: { numbers: [`+861709999${role.length}00${role === 'admin' ? 1 : 0}`] } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    for (const role of ['platform', 'bank', 'police', 'app', 'business'] as const) {
      const r = await t.call('POST', '/v1/honeypots', { role, body: { numbers: ['+8617099990001'] } });
      assert.equal(r.status, 403, role);
    }
  });

  it('bad numbers are refused naming the field, and nothing is written', async () => {
    const r = await t.call('POST', '/v1/honeypots', { role: 'carrier', body: { numbers: ['+8617099991111', 'not a number'] } });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'numbers.1');
    const list = await t.call('GET', '/v1/honeypots', { role: 'carrier' });
    assert.ok(!list.body.items.some((i: { number: string }) => i.number === '+8617099991111'));
  });

  it('attack: a number a person put on the do-not-call list cannot be made a honeypot', async () => {
    const dnc = await t.call('POST', '/v1/dnc', { role: 'admin', body: { number: '+8613800555001' } });
    assert.equal(dnc.status, 201, JSON.stringify(dnc.body));
    const r = await t.call('POST', '/v1/honeypots', { role: 'carrier', body: { numbers: ['+8617099992222', '+8613800555001'] } });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'HONEYPOT_NUMBER_IN_USE');
    assert.equal(r.body.field, 'numbers.1');
    const list = await t.call('GET', '/v1/honeypots', { role: 'carrier' });
    assert.ok(!list.body.items.some((i: { number: string }) => i.number === '+8617099992222'), 'nothing of the request was written');
  });

  it('a call record to a line is evidence with reason HONEYPOT; one owner\'s lines together only warn, a second owner\'s line adds up', async () => {
    const lines = ['+8613700100001', '+8613700100002', '+8613700100003'];
    assert.equal((await t.call('POST', '/v1/honeypots', { role: 'carrier', body: { numbers: lines } })).status, 201);
    const caller = '+8617055500001';
    const now = Date.now() - 3_600_000;
    const csv = [HEADER, ...lines.map((l, i) => `${caller},${l},${iso(now + i * 60_000)},4,0,B`)].join('\n');
    const up = await t.call('POST', '/v1/cdr', { role: 'carrier', raw: `${csv}\n`, contentType: 'text/csv' });
    assert.equal(up.status, 201, JSON.stringify(up.body));
    let rep = await reputation(caller);
    const reason = rep.reasons.find((r) => r.code === 'HONEYPOT');
    assert.ok(reason, JSON.stringify(rep));
    assert.match(reason.text, /3 honeypot lines/);
    // Three lines of one owner: capped at weight 4 (score 63), a warning, not a block.
    assert.ok(rep.score > 55 && rep.score < 70, `score ${rep.score}`);
    const oneOwner = rep.score;
    // The regulator's own line, reached by a screened call: a second, independent owner.
    const regLine = '+8613700200001';
    assert.equal((await t.call('POST', '/v1/honeypots', { role: 'regulator', body: { numbers: [regLine] } })).status, 201);
    const s = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee: regLine, channel: 'pstn' } });
    assert.equal(s.status, 200);
    await flushScreenedHits(t.ctx);
    rep = await reputation(caller);
    assert.ok(rep.score > oneOwner, `a second owner's line adds: ${rep.score}`);
  });

  it('only the owner removes its line (another carrier gets 404); the calls it caught stop counting; both are audited', async () => {
    const line = '+8613700300001';
    const caller = '+8617055500002';
    assert.equal((await t.call('POST', '/v1/honeypots', { role: 'carrier', body: { numbers: [line] } })).status, 201);
    await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee: line, channel: 'pstn' } });
    await flushScreenedHits(t.ctx);
    assert.ok((await reputation(caller)).reasons.some((r) => r.code === 'HONEYPOT'));
    const theirs = await t.call('DELETE', `/v1/honeypots/${encodeURIComponent(line)}`, { auth: `Bearer ${otherCarrier}` });
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.code, 'HONEYPOT_NOT_FOUND');
    const others = await t.call('GET', '/v1/honeypots', { auth: `Bearer ${otherCarrier}` });
    assert.deepEqual(others.body.items, [], 'another carrier does not see the line');
    const mine = await t.call('DELETE', `/v1/honeypots/${encodeURIComponent(line)}`, { role: 'carrier' });
    assert.equal(mine.status, 200);
    assert.ok(!(await reputation(caller)).reasons.some((r) => r.code === 'HONEYPOT'));
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'details']).where('action', 'in', ['honeypot.register', 'honeypot.remove']).execute();
    assert.ok(audit.some((a) => a.action === 'honeypot.remove' && String(a.details).includes(line)));
    assert.ok(audit.some((a) => a.action === 'honeypot.register' && String(a.details).includes(line)));
  });

  it('a transcript on a line counts as a call and carries a script fingerprint; only the line\'s owner may send one', async () => {
    const line = '+8613700400001';
    assert.equal((await t.call('POST', '/v1/honeypots', { role: 'carrier', body: { numbers: [line] } })).status, 201);
    const body = { number: line, caller: '+8617055500003', text: 'This is the fraud department of your bank, your account is frozen, press 1 to speak to an agent' };
    const theirs = await t.call('POST', '/v1/honeypots/transcripts', { auth: `Bearer ${otherCarrier}`, body });
    assert.equal(theirs.status, 404);
    const r = await t.call('POST', '/v1/honeypots/transcripts', { role: 'carrier', body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.shingles, 64);
    assert.ok((await reputation('+8617055500003')).reasons.some((x) => x.code === 'HONEYPOT'));
    const bad = await t.call('POST', '/v1/honeypots/transcripts', { role: 'carrier', body: { ...body, caller: 'nobody' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'caller');
  });
});
