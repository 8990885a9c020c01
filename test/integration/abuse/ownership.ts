// Attacks on the ownership of subscriber records (docs/security.md, "Ownership of subscriber
// records"): each `it` tries one against a running server and names it. App A serves the
// subscriber (holds their policy); app B is another app that does not, or that registered the
// same person for itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { createApiKey } from '../../../src/operations/keys.js';
import { CLI_OPERATOR } from '../../../src/operations/actor.js';

const DAY = 86_400_000;
const FRAUD = '+8613200132111';

describe('ownership of subscriber records (abuse)', () => {
  let t: TestServer;
  let appB = '';

  const sub = (n: string): string => encodeURIComponent(n);
  const asA = { role: 'app' as const };
  const asB = (): { auth: string } => ({ auth: `Bearer ${appB}` });

  async function serve(who: { role: 'app' } | { auth: string }, subscriber: string, policy: Record<string, unknown> = {}): Promise<void> {
    const r = await t.call('PUT', `/v1/subscribers/${sub(subscriber)}/policy`, { ...who, body: policy });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }

  async function scrub(number: string, extra: Record<string, unknown> = {}): Promise<{ callable: boolean; reasons: { code: string }[] }> {
    const r = await t.call('POST', '/v1/dnc/scrub', { role: 'business', body: { purpose: 'marketing', numbers: [number], ...extra } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.results[0];
  }

  const codes = (x: { reasons: { code: string }[] }): string[] => x.reasons.map((r) => r.code);

  before(async () => {
    t = await startTestServer();
    appB = (await createApiKey(t.ctx, { org: 'Rival App', role: 'app', person: 'rival-dev-1' }, CLI_OPERATOR)).key;
    const listed = await t.call('POST', '/v1/lists', { role: 'police', body: { name: 'Case 2026-311', category: 'fraud', entries: [{ identifier: FRAUD }] } });
    assert.equal(listed.status, 201, JSON.stringify(listed.body));
  });
  after(async () => {
    await t?.close();
  });

  it("app B overwrites app A's subscriber policy (paused, the scammer in contacts) so a police-listed fraud number rings through", async () => {
    const victim = '+8613800130001';
    await serve(asA, victim, { guardianMode: true });
    const call = { caller: FRAUD, callee: victim, channel: 'pstn' };
    assert.equal((await t.call('POST', '/v1/screen', { ...asA, body: call })).body.action, 'block');
    await serve(asB(), victim, { paused: true, contacts: [FRAUD] });
    // A's subscriber still gets A's policy: the police listing blocks.
    const d = await t.call('POST', '/v1/screen', { ...asA, body: call });
    assert.equal(d.status, 200);
    assert.equal(d.body.action, 'block', JSON.stringify(d.body));
    assert.deepEqual((await t.call('GET', `/v1/subscribers/${sub(victim)}/policy`, asA)).body.guardianMode, true);
    // B's write changed only B's own policy, and both writes name the person behind the key.
    const audit = await t.ctx.db.selectFrom('audit_log').select(['actor', 'action']).where('action', 'like', 'policy.%').execute();
    assert.deepEqual(audit.map((a) => [a.action, a.actor]), [
      ['policy.create', 'Test app (app) / app-officer-1'],
      ['policy.create', 'Rival App (app) / rival-dev-1'],
    ]);
  });

  it("app B reads app A's subscriber policy", async () => {
    const victim = '+8613800130002';
    await serve(asA, victim, { contacts: ['+8613911110000'], language: 'zh' });
    const theirs = await t.call('GET', `/v1/subscribers/${sub(victim)}/policy`, asB());
    const nobodys = await t.call('GET', `/v1/subscribers/${sub('+8613800130099')}/policy`, asB());
    assert.equal(theirs.status, 404);
    // The same answer as for a subscriber nobody registered: B learns nothing, not even that one exists.
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined, requestId: undefined });
    assert.deepEqual(strip(theirs.body), strip(nobodys.body));
    assert.equal(theirs.body.code, 'SCREENING_POLICY_NOT_FOUND');
    // Nor can B delete it.
    assert.equal((await t.call('DELETE', `/v1/subscribers/${sub(victim)}/policy`, asB())).status, 404);
    assert.equal((await t.call('GET', `/v1/subscribers/${sub(victim)}/policy`, asA)).body.contacts, 1);
  });

  it('app B withdraws a do-not-call registration that app A made', async () => {
    const person = '+8613800130003';
    await serve(asA, person);
    assert.equal((await t.call('POST', '/v1/dnc', { ...asA, body: { number: person } })).status, 201);
    // Even an app that registered the same person for itself cannot withdraw A's registration.
    await serve(asB(), person);
    const w = await t.call('POST', '/v1/dnc/withdraw', { ...asB(), body: { number: person } });
    assert.equal(w.status, 404, JSON.stringify(w.body));
    assert.equal(w.body.code, 'GOVERNANCE_DNC_NOT_FOUND');
    assert.deepEqual(codes(await scrub(person)), ['DNC_REGISTERED']);
    // B's own registration and withdrawal leave A's standing.
    assert.equal((await t.call('POST', '/v1/dnc', { ...asB(), body: { number: person } })).status, 201);
    assert.equal((await t.call('POST', '/v1/dnc/withdraw', { ...asB(), body: { number: person } })).status, 200);
    assert.equal((await scrub(person)).callable, false);
    // A, on the person's word, takes it off.
    assert.equal((await t.call('POST', '/v1/dnc/withdraw', { ...asA, body: { number: person } })).status, 200);
    assert.equal((await scrub(person)).callable, true);
  });

  it("an app registers a stranger's number on the do-not-call list", async () => {
    const stranger = '+8613800130004';
    const r = await t.call('POST', '/v1/dnc', { ...asB(), body: { number: stranger } });
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.code, 'SCREENING_NOT_SERVING');
    assert.equal((await scrub(stranger)).callable, true);
    const rows = await t.ctx.db.selectFrom('governance_dnc').select('registered_by').where('withdrawn_at', 'is', null).execute();
    assert.ok(rows.every((r) => r.registered_by !== null), 'every registration names who made it');
  });

  it("any app marks any subscriber as screen-sharing to put that person's transfers on hold at every bank", async () => {
    const victim = '+8613800130005';
    await serve(asA, victim);
    assert.equal((await t.call('POST', '/v1/payers', { role: 'bank', body: { payer: 'abuse-005', subscriber: victim } })).status, 201);
    const transfer = { payer: 'abuse-005', payeeAccount: '6011 0000 0000 0004', amount: 800, currency: 'CNY', channel: 'mobile' };
    const share = await t.call('POST', `/v1/subscribers/${sub(victim)}/screen-sharing`, { ...asB(), body: { active: true, caller: 'helpdesk@icloud.com' } });
    assert.equal(share.status, 403, JSON.stringify(share.body));
    assert.equal(share.body.code, 'SCREENING_NOT_SERVING');
    // Nor through the conversation guard: B's guard alerts B, but sets no mark the banks read.
    const call = await t.call('POST', '/v1/calls', { ...asB(), body: { caller: 'helpdesk@icloud.com', callee: victim, channel: 'video' } });
    assert.equal(call.status, 201);
    for (const text of ['This is customer service, your loan account has a problem', 'Download the meeting app and share your screen', 'Move your money to the certified safe account now']) {
      assert.equal((await t.call('POST', `/v1/calls/${call.body.callId}/utterances`, { ...asB(), body: { speaker: 'caller', text } })).status, 200);
    }
    assert.equal(t.ctx.riskyCalls.has(t.ctx.hash(victim)), false);
    // Nor by naming guardians who would then be told of her calls.
    assert.equal((await t.call('PUT', `/v1/subscribers/${sub(victim)}/guardians`, { ...asB(), body: { guardians: [{ name: 'Rival', contact: 'rival@example.com' }] } })).status, 403);
    const d = await t.call('POST', '/v1/transfers/check', { role: 'bank', body: transfer });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    assert.notEqual(d.body.decision, 'hold', JSON.stringify(d.body));
    assert.ok(!d.body.reasons.some((r: { code: string }) => r.code === 'SCREEN_SHARING'));
    // Her own app's mark still holds the transfer (early warning survives).
    const own = await t.call('POST', `/v1/subscribers/${sub(victim)}/screen-sharing`, { ...asA, body: { active: true, caller: 'helpdesk@icloud.com' } });
    assert.equal(own.body.marked, true);
    const held = await t.call('POST', '/v1/transfers/check', { role: 'bank', body: { ...transfer, payeeAccount: '6011 0000 0000 0012' } });
    assert.equal(held.body.decision, 'hold', JSON.stringify(held.body));
  });

  it("app B learns from a conflict that another app names the person's guardians, or replaces them", async () => {
    const person = '+8613800130008';
    await serve(asA, person);
    const mine = await t.call('PUT', `/v1/subscribers/${sub(person)}/guardians`, { ...asA, body: { guardians: [{ name: 'Son', contact: '+8613911112222' }] } });
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    // B serves the same person (its own policy): it keeps its own list, and learns nothing of A's.
    await serve(asB(), person);
    assert.deepEqual((await t.call('GET', `/v1/subscribers/${sub(person)}/guardians`, asB())).body, { guardians: [] });
    const theirs = await t.call('PUT', `/v1/subscribers/${sub(person)}/guardians`, { ...asB(), body: { guardians: [{ name: 'Not family', contact: 'rival@example.com' }] } });
    assert.equal(theirs.status, 200, JSON.stringify(theirs.body));
    assert.deepEqual((await t.call('GET', `/v1/subscribers/${sub(person)}/guardians`, asA)).body.guardians.map((g: { name: string }) => g.name), ['Son']);
  });

  it("a business's self-recorded consent overrides a do-not-call registration forever", async () => {
    const person = '+8613800130006';
    await serve(asA, person);
    const consent = (body: Record<string, unknown>) =>
      t.call('POST', '/v1/consents', { role: 'business', body: { number: person, purpose: 'marketing', channel: 'voice', evidence: 'web form, self-recorded', ...body } });
    // Recorded after the registration but dated before it: the registration is the later word.
    assert.equal((await t.call('POST', '/v1/dnc', { ...asA, body: { number: person } })).status, 201);
    assert.equal((await consent({ grantedAt: new Date(Date.now() - 30 * DAY).toISOString(), channel: 'any' })).status, 201);
    assert.deepEqual(codes(await scrub(person)), ['CONSENT_SUPERSEDED', 'DNC_REGISTERED']);
    // "Forever" is refused, and the default is a year.
    const forever = await consent({ grantedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 50 * 365 * DAY).toISOString() });
    assert.equal(forever.status, 400);
    assert.equal(forever.body.field, 'expiresAt');
    const old = await consent({ grantedAt: new Date(Date.now() - 400 * DAY).toISOString() });
    assert.equal(Date.parse(old.body.expiresAt) < Date.now(), true, 'a consent given 400 days ago has lapsed');
    // A consent given after the registration counts for its own channel only.
    assert.equal((await consent({ grantedAt: new Date().toISOString(), channel: 'sms' })).status, 201);
    assert.equal((await scrub(person, { channel: 'sms' })).callable, true);
    assert.equal((await scrub(person, { channel: 'voice' })).callable, false);
  });

  it('the person cannot withdraw a consent', async () => {
    const person = '+8613800130007';
    await serve(asA, person);
    assert.equal((await t.call('POST', '/v1/consents', { role: 'business', body: { number: person, purpose: 'marketing', channel: 'any', grantedAt: new Date().toISOString(), evidence: 'signed form 88' } })).status, 201);
    assert.equal((await scrub(person)).callable, true);
    // Another app cannot withdraw it for her...
    const other = await t.call('POST', '/v1/consents/withdraw', { ...asB(), body: { number: person, business: 'Test business' } });
    assert.equal(other.status, 403, JSON.stringify(other.body));
    assert.equal((await scrub(person)).callable, true);
    // ...her own app does, on her word.
    const w = await t.call('POST', '/v1/consents/withdraw', { ...asA, body: { number: person, business: 'test  BUSINESS' } });
    assert.equal(w.status, 200, JSON.stringify(w.body));
    assert.equal(w.body.withdrawn.length, 1);
    assert.equal(w.body.withdrawn[0].revokedBy, 'the person, through their app');
    assert.deepEqual(codes(await scrub(person)), ['CONSENT_REVOKED']);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'consent.withdraw').execute();
    assert.deepEqual(audit.map((a) => a.actor), ['Test app (app) / app-officer-1']);
    const again = await t.call('POST', '/v1/consents/withdraw', { ...asA, body: { number: person, business: 'Test business' } });
    assert.equal(again.status, 404);
  });
});
