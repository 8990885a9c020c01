// Idempotency-Key on every POST (issue 16): a second click or a retried request with the same key
// returns the first answer and writes nothing; the same key with another body is refused; a failed
// request keeps nothing. Also: a held transfer names whose transfer it is (customerRef) to its bank
// only. Real HTTP on a real SQLite file (and PostgreSQL with --engine postgres).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';

let t: TestServer;
let police2: string;

const CARD = '4111 1111 1111 1111';
const freeze = (caseNumber: string) => ({ caseNumber, accounts: [{ account: CARD, bank: 'Test bank' }], amount: 1_630_000, currency: 'CNY', legalBasis: 'Anti-Telecom and Online Fraud Law art. 21 emergency suspension' });

async function count(table: 'freezes' | 'holds' | 'audit_log' | 'appeals' | 'idempotency_keys'): Promise<number> {
  const r = await t.ctx.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('Idempotency-Key on POST', () => {
  before(async () => {
    t = await startTestServer();
    police2 = (await createApiKey(t.ctx, { org: 'Test police', role: 'police', person: 'police-officer-2' }, CLI_OPERATOR)).key;
  });
  after(async () => t.close());

  it('a second "file freeze" with the same key (after, or at the same moment) files one freeze and gets the same answer', async () => {
    const before = await count('freezes');
    const audit = await count('audit_log');
    const headers = { 'idempotency-key': 'click-1' };
    const first = await t.call('POST', '/v1/freezes', { role: 'police', body: freeze('JS-IDEM-1'), headers });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await t.call('POST', '/v1/freezes', { role: 'police', body: freeze('JS-IDEM-1'), headers });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, first.body);
    assert.equal(await count('freezes'), before + 1);
    assert.equal(await count('audit_log'), audit + 1, 'the replay writes no audit entry either');

    // Two clicks at once: one freeze, both answers the same.
    const both = await Promise.all([1, 2].map(() => t.call('POST', '/v1/freezes', { role: 'police', body: freeze('JS-IDEM-2'), headers: { 'idempotency-key': 'click-2' } })));
    assert.deepEqual(both.map((r) => r.status), [201, 201], both.map((r) => r.text).join('\n'));
    assert.equal(both[0]!.body.id, both[1]!.body.id);
    assert.equal(await count('freezes'), before + 2);
  });

  it('the same key with another body is 409; another key or another caller is a new request', async () => {
    const res = await t.call('POST', '/v1/freezes', { role: 'police', body: freeze('JS-IDEM-OTHER'), headers: { 'idempotency-key': 'click-1' } });
    assert.equal(res.status, 409, res.text);
    assert.equal(res.body.code, 'REQUEST_IDEMPOTENCY_CONFLICT');
    assert.equal(res.body.field, 'idempotency-key');
    const n = await count('freezes');
    // The key is per caller: the second officer's "click-1" is theirs.
    const other = await t.call('POST', '/v1/freezes', { auth: `Bearer ${police2}`, body: freeze('JS-IDEM-1'), headers: { 'idempotency-key': 'click-1' } });
    assert.equal(other.status, 201, other.text);
    assert.equal(other.headers.get('idempotent-replayed'), null);
    assert.equal(await count('freezes'), n + 1);
  });

  it('a second "approve" with the same key approves once and answers the same; without a key the second is refused by state', async () => {
    const filed = await t.call('POST', '/v1/freezes', { role: 'police', body: freeze('JS-IDEM-3') });
    const id = filed.body.id as string;
    const headers = { 'idempotency-key': `approve-${id}` };
    const a = await t.call('POST', `/v1/freezes/${id}/approve`, { auth: `Bearer ${police2}`, headers });
    assert.equal(a.status, 200, a.text);
    const b = await t.call('POST', `/v1/freezes/${id}/approve`, { auth: `Bearer ${police2}`, headers });
    assert.equal(b.status, 200, b.text);
    assert.equal(b.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(b.body, a.body);
    const approvals = await t.ctx.db.selectFrom('audit_log').select('action').where('subject', '=', `freeze:${id}`).where('action', '=', 'freeze.approve').execute();
    assert.equal(approvals.length, 1);
  });

  it('a refused request keeps nothing: fixed and sent again with the same key, it is answered afresh', async () => {
    const bad = await t.call('POST', '/v1/freezes', { role: 'police', body: { ...freeze('JS-IDEM-4'), amount: -1 }, headers: { 'idempotency-key': 'fix-me' } });
    assert.equal(bad.status, 400, bad.text);
    const rows = await t.ctx.db.selectFrom('idempotency_keys').selectAll().where('idem_key', '=', 'fix-me').execute();
    assert.deepEqual(rows, []);
    // The same key with the corrected body is a new request, not a 409.
    const good = await t.call('POST', '/v1/freezes', { role: 'police', body: freeze('JS-IDEM-4'), headers: { 'idempotency-key': 'fix-me' } });
    assert.equal(good.status, 201, good.text);
  });

  it('refuses a malformed key, naming the header', async () => {
    const res = await t.call('POST', '/v1/freezes', { role: 'police', body: freeze('JS-IDEM-5'), headers: { 'idempotency-key': 'x'.repeat(201) } });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.field, 'idempotency-key');
  });

  it('an answer older than 24 hours is forgotten', async () => {
    await t.ctx.db.updateTable('idempotency_keys').set({ created_at: new Date(Date.now() - 25 * 3600_000).toISOString() }).where('idem_key', '=', 'click-2').execute();
    const n = await count('freezes');
    const res = await t.call('POST', '/v1/freezes', { role: 'police', body: freeze('JS-IDEM-2'), headers: { 'idempotency-key': 'click-2' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.get('idempotent-replayed'), null);
    assert.equal(await count('freezes'), n + 1);
  });

  it('a held transfer names the customer to its own bank, not to a regulator', async () => {
    await t.call('POST', '/v1/accounts/flags', { role: 'bank', body: { account: 'alipay:mule-88', evidence: 'many inbound transfers from elderly customers' } });
    const res = await t.call('POST', '/v1/transfers/check', { role: 'bank', body: { payer: 'cust-4711', payeeAccount: 'alipay:mule-88', amount: 3000, currency: 'CNY', channel: 'mobile' } });
    assert.equal(res.body.decision, 'hold', res.text);
    const mine = (await t.call('GET', '/v1/holds?status=held', { role: 'bank' })).body.holds.find((h: any) => h.id === res.body.holdId);
    assert.equal(mine.customerRef, 'cust-4711');
    assert.equal((await t.call('GET', `/v1/holds/${res.body.holdId}`, { role: 'bank' })).body.customerRef, 'cust-4711');
    const reg = (await t.call('GET', '/v1/holds?status=held', { role: 'regulator' })).body.holds.find((h: any) => h.id === res.body.holdId);
    assert.equal(reg.customerRef, null);
  });

  it('lists the bank organisations a freeze may name, to police only', async () => {
    const res = await t.call('GET', '/v1/banks', { role: 'police' });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.banks.some((b: any) => b.name === 'Test bank'));
    assert.ok(!res.body.banks.some((b: any) => b.name === 'Test police'));
    assert.equal((await t.call('GET', '/v1/banks', { role: 'bank' })).status, 403);
  });

  it('a new API key is never kept as an answer: the same Idempotency-Key again is refused and makes no second key', async () => {
    const body = { org: 'Idem Org', role: 'app', person: 'idem-1' };
    const first = await t.call('POST', '/v1/keys', { role: 'admin', body, headers: { 'idempotency-key': 'new-key-1' } });
    assert.equal(first.status, 201, first.text);
    const again = await t.call('POST', '/v1/keys', { role: 'admin', body, headers: { 'idempotency-key': 'new-key-1' } });
    assert.equal(again.status, 409, again.text);
    assert.equal(again.body.code, 'REQUEST_IDEMPOTENCY_CONFLICT');
    const keys = await t.ctx.db.selectFrom('api_keys').innerJoin('orgs', 'orgs.id', 'api_keys.org_id').select('api_keys.id').where('orgs.name', '=', 'Idem Org').execute();
    assert.equal(keys.length, 1);
    const stored = await t.ctx.db.selectFrom('idempotency_keys').selectAll().where('idem_key', '=', 'new-key-1').execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.response, null, 'the key is not stored');
    assert.ok(!JSON.stringify(stored).includes(first.body.key));
  });

  it('POST /v1/screen answers the key in its own handler (no hooks): replayed, refused with another body, nothing kept for a failure, in the reader\'s language', async () => {
    const call = { caller: '+8613800138000', callee: '+8613900139000', channel: 'pstn' };
    const headers = { 'idempotency-key': 'screen-1' };
    const before = await count('idempotency_keys');
    const first = await t.call('POST', '/v1/screen', { role: 'carrier', body: call, headers });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(await count('idempotency_keys'), before + 1);
    const again = await t.call('POST', '/v1/screen', { role: 'carrier', body: call, headers });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.match(again.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(again.text, first.text);

    const other = await t.call('POST', '/v1/screen', { role: 'carrier', body: { ...call, callee: '+8613900139001' }, headers });
    assert.equal(other.status, 409, other.text);
    assert.equal(other.body.code, 'REQUEST_IDEMPOTENCY_CONFLICT');

    const bad = await t.call('POST', '/v1/screen', { role: 'carrier', body: { ...call, caller: 'not a number' }, headers: { 'idempotency-key': 'screen-2' } });
    assert.equal(bad.status, 400, bad.text);
    const fixed = await t.call('POST', '/v1/screen', { role: 'carrier', body: call, headers: { 'idempotency-key': 'screen-2' } });
    assert.equal(fixed.status, 200, fixed.text);
    assert.equal(fixed.headers.get('idempotent-replayed'), null, 'the failed request kept nothing');

    const zh = { ...headers, 'idempotency-key': 'screen-zh', 'accept-language': 'zh-CN' };
    const inChinese = await t.call('POST', '/v1/screen', { role: 'carrier', body: call, headers: zh });
    assert.equal(inChinese.status, 200, inChinese.text);
    assert.equal(inChinese.headers.get('content-language'), 'zh-CN');
    assert.match(String(inChinese.body.label), /[\u4e00-\u9fff]/, `label in Chinese: ${inChinese.text}`);
    const replayedZh = await t.call('POST', '/v1/screen', { role: 'carrier', body: call, headers: zh });
    assert.equal(replayedZh.headers.get('idempotent-replayed'), 'true');
    assert.equal(replayedZh.text, inChinese.text);
  });
});
