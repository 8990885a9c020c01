// Campaign evidence from organisations' reports over HTTP (issue 15): callers reported with the
// same payee account by two organisations join one campaign (evidence kind `payee`, shown in GET
// /v1/campaigns/{id}) and get the CAMPAIGN reason; one organisation alone reporting its account
// against many numbers ties none of them. Likewise callers whose conversation-guard calls, followed
// by two organisations, read the same script (evidence kind `script`); one app's calls alone do not.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createApiKey } from '../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../src/operations/actor.js';

let t: TestServer;
let bank2: string;
before(async () => {
  t = await startTestServer();
  bank2 = (await createApiKey(t.ctx, { org: 'Second Bank', role: 'bank', person: 'bank2-officer-1' }, CLI_OPERATOR)).key;
});
after(async () => {
  await t?.close();
});

const flag = (auth: { role?: 'police' | 'bank'; auth?: string }, account: string, caller: string) =>
  t.call('POST', '/v1/accounts/flags', { ...auth, body: { account, caller, evidence: 'named as the safe account during the call' } });

describe('campaign evidence from payee accounts', () => {
  it("attack: one bank reporting one account against many numbers makes none of them a campaign member", async () => {
    const account = 'alipay:ring-attack-1';
    for (let i = 0; i < 12; i++) assert.equal((await flag({ role: 'bank' }, account, `+8613900100${String(i).padStart(3, '0')}`)).status, 201);
    assert.equal((await t.call('GET', '/v1/campaigns', { role: 'police' })).body.items.length, 0);
    const rep = await t.call('GET', `/v1/identifiers/${encodeURIComponent('+8613900100000')}`, { role: 'carrier' });
    assert.ok(!rep.body.reasons.some((x: { code: string }) => x.code === 'CAMPAIGN'), JSON.stringify(rep.body));
  });

  it('callers each reported with the same account by two organisations join one campaign with payee evidence and the CAMPAIGN reason', async () => {
    const account = 'alipay:ring-mule-2';
    const callers = ['+8613900200001', '+8613900200002', '+8613900200003'];
    for (const c of callers) {
      assert.equal((await flag({ role: 'bank' }, account, c)).status, 201);
      assert.equal((await flag({ auth: `Bearer ${bank2}` }, account, c)).status, 201);
    }
    const list = await t.call('GET', '/v1/campaigns', { role: 'police' });
    assert.equal(list.body.items.length, 1, JSON.stringify(list.body));
    const one = await t.call('GET', `/v1/campaigns/${list.body.items[0].id}`, { role: 'regulator' });
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.members.map((m: { caller: string }) => m.caller).sort(), callers);
    assert.deepEqual(one.body.evidence, [{ kind: 'payee', count: 2 }]);
    assert.ok(one.body.members.every((m: { kinds: string[] }) => m.kinds.includes('payee')));
    // A fourth number reported with the account by both joins the campaign and inherits its risk at once.
    const late = '+8613900200004';
    await flag({ role: 'bank' }, account, late);
    await flag({ auth: `Bearer ${bank2}` }, account, late);
    const again = await t.call('GET', `/v1/campaigns/${list.body.items[0].id}`, { role: 'police' });
    assert.equal(again.body.memberCount, 4);
    const rep = await t.call('GET', `/v1/identifiers/${encodeURIComponent(late)}`, { role: 'carrier' });
    assert.ok(rep.body.reasons.some((x: { code: string }) => x.code === 'CAMPAIGN'), JSON.stringify(rep.body));
    // The attack's numbers are still outside.
    assert.equal((await t.call('GET', '/v1/campaigns', { role: 'police' })).body.items.length, 1);
  });
});

describe('campaign evidence from conversation-guard call scripts', () => {
  const SCRIPT = ['This is the national tax office calling about your unpaid tax for last year.', 'Your bank account will be frozen today unless you move the balance to the safe account we give you.', 'Do not tell anyone at the bank about this call or the warrant will be issued.'];
  const guard = async (auth: { role?: 'app' | 'carrier'; auth?: string }, caller: string, lines: readonly string[]) => {
    const c = await t.call('POST', '/v1/calls', { ...auth, body: { caller, callee: '+8613800138000', lang: 'en' } });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    for (const text of lines) assert.equal((await t.call('POST', `/v1/calls/${c.body.callId}/utterances`, { ...auth, body: { speaker: 'caller', text } })).status, 200);
    assert.equal((await t.call('POST', `/v1/calls/${c.body.callId}/end`, auth)).status, 200);
  };

  it("attack: one app's guard calls alone tie no number to a script campaign", async () => {
    const before = (await t.call('GET', '/v1/campaigns', { role: 'police' })).body.items.length;
    for (let i = 0; i < 5; i++) await guard({ role: 'app' }, `+8613900300${String(i).padStart(3, '0')}`, SCRIPT);
    assert.equal((await t.call('GET', '/v1/campaigns', { role: 'police' })).body.items.length, before);
  });

  it('callers whose calls two organisations followed, reading one script, join one campaign with script evidence', async () => {
    const callers = ['+8613900400001', '+8613900400002', '+8613900400003'];
    for (const c of callers) {
      await guard({ role: 'app' }, c, SCRIPT);
      await guard({ role: 'carrier' }, c, SCRIPT);
    }
    const items = (await t.call('GET', '/v1/campaigns', { role: 'police' })).body.items as { id: string; evidence: { kind: string }[] }[];
    const scripted = items.filter((c) => c.evidence.some((e) => e.kind === 'script'));
    assert.equal(scripted.length, 1, JSON.stringify(items));
    const one = await t.call('GET', `/v1/campaigns/${scripted[0]!.id}`, { role: 'carrier' });
    assert.deepEqual(one.body.members.map((m: { caller: string }) => m.caller).sort(), callers, 'the attack numbers of the one app stay outside');
    const rep = await t.call('GET', `/v1/identifiers/${encodeURIComponent(callers[0]!)}`, { role: 'carrier' });
    assert.ok(rep.body.reasons.some((x: { code: string }) => x.code === 'CAMPAIGN'), JSON.stringify(rep.body));
  });
});
