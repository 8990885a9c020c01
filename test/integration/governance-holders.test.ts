// The number-holder registry over HTTP, and what screening makes of it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';

let t: TestServer;
let carrier2 = '';
before(async () => {
  t = await startTestServer();
  carrier2 = (await createApiKey(t.ctx, { org: 'Second Carrier', role: 'carrier' }, CLI_OPERATOR)).key;
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

async function blocks(): Promise<number> {
  const r = await t.ctx.db.selectFrom('governance_holders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

const screen = async (caller: string, extra: Record<string, unknown> = {}) => {
  const res = await t.call('POST', '/v1/screen', { role: 'carrier', body: { caller, callee: '+8613911112222', channel: 'pstn', ...extra } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};

describe('number-holder registry', () => {
  it('a carrier registers a bank\'s customer-service prefix and a leased range (JSON array)', async () => {
    const res = await t.call('POST', '/v1/holders', {
      role: 'carrier',
      body: [
        { holder: 'ICBC', identityLevel: 'verified', use: 'customer-service', prefix: '+86106610' },
        { holder: 'Acme Notifications', identityLevel: 'documented', use: 'notifications', from: '+8613800000000', to: '+8613800009999' },
      ],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.registered, 2);
    assert.deepEqual(res.body.blocks.map((b: any) => b.block), ['+86106610…', '+8613800000000–+8613800009999']);
  });
  it('screening labels the bank\'s number as the bank, without touching the database', async () => {
    const d = await screen('+861066106610');
    assert.equal(d.verifiedCaller, 'ICBC');
    assert.equal(d.label, 'ICBC (verified)');
    assert.ok(d.reasons.some((r: any) => r.code === 'VERIFIED_HOLDER'));
    const leased = await screen('+8613800001234');
    assert.equal(leased.verifiedCaller, undefined);
    assert.ok(leased.reasons.some((r: any) => r.code === 'REGISTERED_HOLDER'));
  });
  it('a caller reported as "ICBC" from a number held by someone else is an impersonation sign', async () => {
    const r = await t.call('POST', '/v1/reports', { role: 'app', body: { caller: '+8613800001234', reporter: 'sub-1', category: 'fraud', claimedOrganization: 'ICBC customer service' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const d = await screen('+8613800001234');
    const claim = d.reasons.find((x: any) => x.code === 'CLAIM_NOT_HOLDER');
    assert.ok(claim, JSON.stringify(d.reasons));
    assert.match(claim.text, /registered to Acme Notifications/);
    assert.ok(d.score >= 30, `score ${d.score}`);
  });
  it('another carrier\'s overlapping block is a 409 naming both, and nothing is written', async () => {
    const before = await blocks();
    const res = await t.call('POST', '/v1/holders', {
      auth: `Bearer ${carrier2}`,
      body: { blocks: [{ holder: 'Fine Co', identityLevel: 'verified', use: 'marketing', number: '+8613900000001' }, { holder: 'Grab Co', identityLevel: 'declared', use: 'marketing', prefix: '+861380000' }] },
    });
    assertProblem(res, 409, 'GOVERNANCE_BLOCK_CONFLICT', 'blocks.1');
    assert.equal(res.body.conflict.holder, 'Acme Notifications');
    assert.equal(res.body.conflict.carrier, 'Test carrier');
    assert.equal(await blocks(), before);
    assert.equal((await screen('+8613800001234')).reasons.some((r: any) => /Grab Co/.test(r.text)), false);
  });
  it('the same carrier may lease one number out of its own block, and re-registering updates', async () => {
    const res = await t.call('POST', '/v1/holders', {
      role: 'carrier',
      raw: 'holder,identityLevel,use,number,prefix,from,to\nBank of Example card line,verified,customer-service,+8613800005555,,,\nAcme Notifications Ltd,verified,notifications,,,+8613800000000,+8613800009999\n',
      contentType: 'text/csv',
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual([res.body.registered, res.body.updated], [1, 1]);
    assert.equal((await screen('+8613800005555')).verifiedCaller, 'Bank of Example card line');
    assert.equal((await screen('+8613800001234')).reasons.find((r: any) => r.code === 'CLAIM_NOT_HOLDER')?.text.includes('Acme Notifications Ltd'), true);
  });
  it('looks a number up, and lists a carrier\'s blocks', async () => {
    const one = await t.call('GET', '/v1/holders?number=%2B861066100000', { role: 'regulator' });
    assert.equal(one.status, 200);
    assert.equal(one.body.holder.holder, 'ICBC');
    const none = await t.call('GET', '/v1/holders?number=%2B8613912345678', { role: 'carrier' });
    assert.equal(none.body.holder, null);
    const mine = await t.call('GET', '/v1/holders', { auth: `Bearer ${carrier2}` });
    assert.deepEqual(mine.body.blocks, []);
    assert.equal((await t.call('GET', '/v1/holders', { role: 'carrier' })).body.blocks.length, 3);
  });
  it('bad blocks are refused with the field at fault, and nothing is written', async () => {
    const before = await blocks();
    const cases: [unknown, string, string][] = [
      [[{ holder: 'X', identityLevel: 'verified', use: 'customer-service' }], 'GOVERNANCE_INVALID_BLOCK', 'blocks.0'],
      [[{ holder: 'X', identityLevel: 'verified', use: 'customer-service', prefix: '+86' }], 'GOVERNANCE_INVALID_BLOCK', 'blocks.0.prefix'],
      [[{ holder: 'X', identityLevel: 'verified', use: 'customer-service', number: '12' }], 'IDENTITY_INVALID_NUMBER', 'blocks.0.number'],
      [[{ holder: 'X', identityLevel: 'verified', use: 'customer-service', from: '+8613700000009', to: '+8613700000001' }], 'GOVERNANCE_INVALID_BLOCK', 'blocks.0.to'],
      [[{ holder: 'X', identityLevel: 'super', use: 'customer-service', number: '+8613700000001' }], 'REQUEST_INVALID_BODY', 'blocks.0.identityLevel'],
      [{ blocks: [{ holder: 'X', identityLevel: 'verified', use: 'marketing', number: '+8613700000001', colour: 'red' }] }, 'REQUEST_UNKNOWN_FIELD', 'blocks.0.colour'],
    ];
    for (const [body, code, field] of cases) assertProblem(await t.call('POST', '/v1/holders', { role: 'carrier', body }), 400, code, field);
    assertProblem(await t.call('POST', '/v1/holders', { role: 'carrier', raw: 'holder,use\nX,marketing\n', contentType: 'text/csv' }), 400, 'GOVERNANCE_INVALID_CSV', 'body');
    assert.equal(await blocks(), before);
  });
});
